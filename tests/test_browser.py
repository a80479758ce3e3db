"""The search page in a real browser: Debian's chromium driven by Playwright for Python,
against the real server (waitress, ``python -m web.serve``) over the sample corpus.

No browser is ever downloaded: Playwright is pointed at /usr/bin/chromium. Where that is
missing the tests skip, except in CI (``CI=true``), where its absence is a failure.
Screenshots go to ``test-artifacts/``.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.conftest_web import REPO, RunningServer, corpus_index

pytestmark = pytest.mark.browser

CHROMIUM = Path(os.environ.get("PRESSEARCHIV_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
ARTIFACTS = REPO / "test-artifacts"
IN_CI = os.environ.get("CI", "").lower() == "true"


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="session")
def browser():
    reason = _missing()
    if reason:
        if IN_CI:
            pytest.fail(f"browser tests cannot run in CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory, browser):
    running = RunningServer(corpus_index(tmp_path_factory))
    yield running
    log = running.stop()
    assert "Traceback" not in log, log


@pytest.fixture
def console_errors() -> list[str]:
    return []


@pytest.fixture
def page(browser, server, console_errors):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE",
                                  base_url=server.url)
    page = context.new_page()
    errors = console_errors
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()
    assert errors == [], errors  # no script errors, no CSP violations, no missing resources


def total(page) -> int:
    return int(re.match(r"[\d.]+", page.locator("h1").inner_text()).group().replace(".", ""))


def query(page) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(page.url).query)


def test_search_narrow_open_and_go_back(page):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto("/")
    page.get_by_label("Suchbegriffe").fill("Ukraine")
    page.get_by_role("button", name="Suchen").click()
    page.wait_for_url(re.compile(r"q=Ukraine"))
    marks = page.locator(".snippet mark")
    assert marks.count() > 3
    assert "ukrain" in marks.first.inner_text().lower()
    all_hits = total(page)
    assert all_hits > 10
    page.screenshot(path=str(ARTIFACTS / "search-page.png"), full_page=True)

    # tick a section checkbox and apply: the results narrow to that section
    box = page.locator(".filter-form input[name=section]").first
    section = box.get_attribute("value")
    box.check()
    page.get_by_role("button", name="Filter anwenden").click()
    page.wait_for_url(re.compile(r"section="))
    assert ("section", section) in query(page)
    by_section = total(page)
    assert by_section < all_hits
    sections = page.locator(".hit .meta .section").all_inner_texts()
    assert sections and set(sections) == {section}
    assert page.locator(f".filter-form input[name=section][value='{section}']").is_checked()

    # click a person chip in a hit: narrower still, the filter shows as a removable chip
    chip = page.locator(".hit .entity-chips a.chip-person").first
    chip.click()
    page.wait_for_url(re.compile(r"person="))
    person = dict(query(page))["person"]
    by_person = total(page)
    assert by_person <= by_section
    assert page.locator(".active-filters a.removable", has_text=person).count() == 1

    # click a histogram bar: narrowed to its period
    bar = page.locator("svg.chart a.bar-link").first
    bar.click()
    page.wait_for_url(re.compile(r"from="))
    params = dict(query(page))
    assert params["from"] == params["to"] and params["person"] == person
    assert total(page) <= by_person
    dates = page.locator(".hit time").evaluate_all("els => els.map(e => e.dateTime)")
    assert dates and all(d.startswith(params["from"]) for d in dates)

    # open an article, then go back to exactly this result page
    narrowed_url = page.url
    link = page.locator(".hit h2 a").first
    title = link.inner_text()
    link.click()
    page.wait_for_url(re.compile(r"/artikel/"))
    assert page.locator("h1").inner_text() == title
    assert page.locator("article .body p").count() >= 2
    page.screenshot(path=str(ARTIFACTS / "article-page.png"), full_page=True)
    page.go_back()
    page.wait_for_url(narrowed_url)
    assert page.get_by_label("Suchbegriffe").input_value() == "Ukraine"

    # remove the person filter again with its chip
    page.locator(".active-filters a.removable", has_text=person).click()
    page.wait_for_load_state()
    assert "person" not in dict(query(page))


def test_keyboard_use_and_phone_width(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=server.url,
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto("/?q=Bundestag")
        page.keyboard.press("Tab")
        skip = page.locator("a.skip-link")
        assert skip.evaluate("el => el === document.activeElement")
        assert skip.is_visible()
        page.keyboard.press("Enter")
        # nothing wider than the screen
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= 390 + 1, overflow
        page.screenshot(path=str(ARTIFACTS / "search-page-phone.png"), full_page=False)
        # "/" focuses the search box (the one bit of JavaScript)
        page.locator("h1").click()
        page.keyboard.press("/")
        assert page.evaluate("document.activeElement.id") == "q"
    finally:
        context.close()


def test_works_without_javascript(browser, server):
    context = browser.new_context(java_script_enabled=False, base_url=server.url)
    page = context.new_page()
    try:
        page.goto("/")
        page.get_by_label("Suchbegriffe").fill("Sanktionen")
        page.get_by_label("Suchbegriffe").press("Enter")
        page.wait_for_url(re.compile(r"q=Sanktionen"))
        assert page.locator(".hit").count() > 0
        page.get_by_label("Sortierung").select_option("newest")
        page.get_by_role("button", name="Sortieren").click()
        page.wait_for_url(re.compile(r"sort=newest"))
        dates = page.locator(".hit time").evaluate_all("els => els.map(e => e.dateTime)")
        assert dates == sorted(dates, reverse=True)
    finally:
        context.close()


def test_belegstellen_from_the_search_page(page):
    """The concordance: reached from the search page, one row per occurrence with the match
    centred and marked, paged by cursor, each row leading to its article."""
    page.goto("/?q=Minister")
    page.get_by_role("link", name="Belegstellen (Wörter im Kontext)").click()
    page.wait_for_url(re.compile(r"/belegstellen\?q=Minister"))
    rows = page.locator("table.kwic-table tbody tr")
    assert rows.count() == 50
    matches = page.locator("td.kwic-match mark").all_inner_texts()
    assert "Verteidigungsminister" in matches
    assert all("minister" in m.lower() for m in matches)
    cell = page.locator("td.kwic-match").first
    assert cell.evaluate("el => getComputedStyle(el).textAlign") == "center"
    assert page.locator("td.kwic-left").first.evaluate(
        "el => getComputedStyle(el).textAlign") == "right"
    page.get_by_label("Sortierung").select_option("right")
    page.get_by_role("button", name="Belegstellen zeigen").click()
    page.wait_for_url(re.compile(r"sort=right"))
    first_page = page.locator("td.kwic-right").all_inner_texts()
    page.get_by_role("link", name="Weiter ›").click()
    page.wait_for_url(re.compile(r"cursor="))
    second_page = page.locator("td.kwic-right").all_inner_texts()
    from indexer.analysis import TOKEN_RE  # the words the order counts

    words = [(m.group().casefold() if (m := TOKEN_RE.search(t)) else "")
             for t in first_page + second_page]
    assert words == sorted(words)
    page.screenshot(path=str(ARTIFACTS / "belegstellen.png"), full_page=False)
    page.locator("td.kwic-source a").first.click()
    page.wait_for_url(re.compile(r"/artikel/"))


def test_xss_title_shows_as_text(browser, tmp_path_factory):
    from tests.conftest_web import XSS_ID, XSS_TITLE, xss_index

    running = RunningServer(xss_index(tmp_path_factory), threads=2)
    context = browser.new_context(base_url=running.url)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.goto("/?q=Bundestag")
        assert XSS_TITLE in page.locator(".hit h2 a").all_inner_texts()
        page.goto(f"/artikel/{XSS_ID}")
        assert page.locator("h1").inner_text() == XSS_TITLE
        page.goto("/?q=%3Cscript%3Ealert(5)%3C/script%3E")
        assert "<script>alert(5)</script>" in page.locator("h1").inner_text()
        assert dialogs == []
    finally:
        context.close()
        running.stop()


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def violations(page) -> list:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return [(page.url, v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
            for v in result.response["violations"]]


@pytest.mark.parametrize("path", ["/?q=Ukraine", "/?q=Ukraine&section=Ausland&from=2024",
                                  "/?q=Ukriane", "/", "/?size=abc", "/gibt-es-nicht",
                                  "/belegstellen?q=Minister",
                                  "/zeitverlauf?q=Ukraine&q=Merz&measure=share"])
def test_axe_finds_no_accessibility_violations(page, console_errors, path):
    """axe-core (WCAG 2.1 A and AA, best practices) on search, error and article pages."""
    response = page.goto(path)
    if response.status >= 400:  # the error pages: chromium logs their status
        assert all("status of 4" in e for e in console_errors), console_errors
        console_errors.clear()
    found = violations(page)
    link = page.locator(".hit h2 a").first
    if link.count():  # and the article page the first hit leads to
        link.click()
        page.wait_for_url(re.compile(r"/artikel/"))
        found += violations(page)
    assert found == [], found


def test_trend_page_draws_lines_that_lead_to_the_search(page):
    """Zeitverlauf: two queries typed into the form make two lines with a legend; a
    point leads to the search for its query, narrowed to its month."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto("/")
    page.get_by_role("navigation", name="Bereiche").get_by_role("link", name="Zeitverlauf").click()
    page.wait_for_url(re.compile(r"/zeitverlauf"))
    page.get_by_label("Suche 1", exact=True).fill("Ukraine")
    page.get_by_label("Suche 2", exact=True).fill("Merz")
    page.get_by_label("Maß").select_option("share")
    page.get_by_label("Zeitraster").select_option("month")
    page.get_by_role("button", name="Zeitverlauf zeigen").click()
    page.wait_for_url(re.compile(r"measure=share"))
    lines = page.locator("svg.trend-chart polyline")
    assert lines.count() == 2
    assert lines.first.evaluate("e => e.getTotalLength()") > 100  # drawn, not empty
    assert page.locator(".legend li").all_inner_texts()[0].startswith("Ukraine")
    page.screenshot(path=str(ARTIFACTS / "trend-page.png"), full_page=True)
    points = page.locator("svg.trend-chart g[data-series='0'] a.point")
    label = ""
    for i in range(points.count()):  # the first month with a hit
        label = points.nth(i).get_attribute("aria-label")
        if not label.endswith(": 0,0 % (0 von 0 Artikeln)") and " 0 von" not in label:
            points.nth(i).click()
            break
    page.wait_for_url(re.compile(r"/\?q=Ukraine"))
    params = dict(query(page))
    assert params["from"][:7] == params["to"][:7]
    assert total(page) >= 1
    dates = page.locator(".hit time").evaluate_all("els => els.map(e => e.dateTime)")
    assert dates and all(d.startswith(params["from"][:7]) for d in dates)


# the keyword panel and the network page (search.keywords, search.cooccurrence) -----------

def test_panel_keyword_adds_itself_to_the_search(page):
    for _ in range(50):  # the first search of a generation may come before its counts
        page.goto("/?q=Ukraine")
        if page.locator(".keywords-panel").count():
            break
        page.wait_for_timeout(100)
    panel = page.locator(".keywords-panel")
    first = panel.locator(".keyword-list a .value").first
    label = first.inner_text()
    assert label and label[0].isupper()  # a written form (Selenskyj), not a stem
    first.click()
    page.wait_for_url(re.compile(r"q=Ukraine"))
    assert dict(query(page))["q"] == f"Ukraine {label}"


def test_network_page_draws_and_passes_axe(page):
    page.goto("/netzwerk?person=Selensky")
    assert page.locator("figure.network svg circle").count() >= 5
    rows = page.locator("table.cooccurrence tbody tr")
    assert rows.count() >= 3
    assert "Wolodymyr Selenskyj" not in rows.all_inner_texts()[0]  # not the target itself
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "netzwerk.png"), full_page=True)
    assert violations(page) == []
    page.goto("/?q=Ukraine")
    assert violations(page) == []
