"""The German HTML pages through Flask's test client, over real indexes (no JavaScript)."""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from bs4 import BeautifulSoup

from tests.conftest_web import XSS_ID, XSS_TITLE, corpus_index, xss_index
from web import create_app


@pytest.fixture(scope="session")
def client(tmp_path_factory):
    app = create_app({"TESTING": True, "INDEX_DIR": str(corpus_index(tmp_path_factory))})
    return app.test_client()


@pytest.fixture(scope="session")
def xss_client(tmp_path_factory):
    app = create_app({"TESTING": True, "INDEX_DIR": str(xss_index(tmp_path_factory))})
    return app.test_client()


def page(client, url, status=200) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == status, (url, response.get_data(as_text=True)[:300])
    assert response.mimetype == "text/html"
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def follow(client, href: str) -> BeautifulSoup:
    return page(client, href)


def params(href: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(href).query)


def hit_sections(soup) -> list[str]:
    return [el.get_text(strip=True) for el in soup.select(".hit .meta .section")]


# structure and accessibility ---------------------------------------------------------------

def test_search_page_structure(client):
    soup = page(client, "/?q=Ukraine")
    assert soup.html["lang"] == "de"
    assert soup.find("meta", attrs={"name": "viewport"})
    skip = soup.select_one("a.skip-link")
    assert skip["href"] == "#inhalt" and soup.find(id="inhalt").name == "main"
    for landmark in ("header", "main", "aside", "footer"):
        assert soup.find(landmark), landmark
    form = soup.find("form", attrs={"role": "search"})
    assert form["method"] == "get"
    box = form.find("input", attrs={"name": "q"})
    assert box["value"] == "Ukraine"
    assert soup.find("label", attrs={"for": box["id"]})
    assert soup.select_one("details.syntax-help")
    # every visible form control has a label
    for control in soup.select("input:not([type=hidden]), select"):
        has_label = control.find_parent("label") or (
            control.get("id") and soup.find("label", attrs={"for": control["id"]}))
        assert has_label, control
    assert len(soup.find_all("h1")) == 1
    # no inline script anywhere; the one script is a file
    for script in soup.find_all("script"):
        assert script.get("src") and not script.string


def test_results_with_highlights_links_and_meta(client):
    soup = page(client, "/?q=Ukraine")
    hits = soup.select("ol.hits > li.hit")
    assert len(hits) == 10
    assert "Treffer für „Ukraine“" in soup.h1.get_text()
    for hit in hits:
        link = hit.select_one("h2 a")
        assert link["href"].startswith("/artikel/")
        assert hit.select_one(".meta time") or "ohne Datum" in hit.select_one(".meta").text
    assert soup.select(".snippet mark")
    assert all("ukrain" in m.get_text().lower() for m in soup.select(".snippet mark"))


def test_security_headers(client):
    response = client.get("/?q=Ukraine")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp
    assert "script-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_static_files(client):
    css = client.get("/static/style.css")
    assert css.status_code == 200 and css.mimetype == "text/css"
    assert ":focus-visible" in css.get_data(as_text=True)
    assert "@media" in css.get_data(as_text=True)


# filters -----------------------------------------------------------------------------------

def test_section_checkboxes_with_counts_in_a_get_form(client):
    soup = page(client, "/?q=Ukraine")
    form = soup.select_one("form.filter-form")
    assert form["method"] == "get"
    boxes = form.select("input[type=checkbox][name=section]")
    assert len(boxes) >= 3 and not any(b.has_attr("checked") for b in boxes)
    label = boxes[0].find_parent("label")
    count = int(label.select_one(".count").get_text().replace(".", ""))
    hidden = {(i["name"], i["value"]) for i in form.select("input[type=hidden]")}
    assert ("q", "Ukraine") in hidden
    # submitting the form with the box ticked is a GET with these fields
    query = "&".join(f"{n}={v}" for n, v in sorted(hidden)) + f"&section={boxes[0]['value']}"
    narrowed = page(client, "/?" + query)
    assert set(hit_sections(narrowed)) == {boxes[0]["value"]}
    assert f"{count} Treffer" in narrowed.h1.get_text()
    ticked = narrowed.select_one(f".filter-form input[name=section][value='{boxes[0]['value']}']")
    assert ticked.has_attr("checked")


def test_entity_chip_adds_a_filter_and_chip_removes_it(client):
    soup = page(client, "/?q=Ukraine")
    total = int(re.match(r"\d+", soup.h1.get_text(strip=True)).group())
    chip = soup.select_one(".hit .entity-chips a.chip-person")
    person = chip.select_one(".chip-kind").next_sibling.strip()
    assert ("person", person) in params(chip["href"])
    narrowed = follow(client, chip["href"])
    new_total = int(re.match(r"\d+", narrowed.h1.get_text(strip=True)).group())
    assert new_total < total
    active = narrowed.select(".active-filters a.removable")
    assert any(person in a.get_text() for a in active)
    removed = follow(client, next(a for a in active if person in a.get_text())["href"])
    assert int(re.match(r"\d+", removed.h1.get_text(strip=True)).group()) == total


def test_sidebar_entity_facets_toggle(client):
    soup = page(client, "/?q=Ukraine")
    for name in ("person", "org", "place"):
        links = soup.select(f".facet-{name} a")
        assert links, name
        first = links[0]
        assert first.select_one(".count")
        narrowed = follow(client, first["href"])
        selected = narrowed.select_one(f".facet-{name} a.is-selected")
        assert selected is not None and selected["aria-current"] == "true"
        assert (name, selected.select_one(".value").get_text()) not in params(selected["href"])


def test_histogram_is_svg_with_links_that_narrow(client):
    soup = page(client, "/?q=Ukraine")
    svg = soup.select_one("figure.histogram svg")
    bars = svg.select("a.bar-link")
    assert len(bars) >= 5
    for bar in bars:
        assert bar.get("aria-label") and bar.find("title")
    widest = max(bars, key=lambda a: float(a.select_one("rect.bar")["height"]))
    query = dict(params(widest["href"]))
    assert query["from"] == query["to"] and query["q"] == "Ukraine"
    narrowed = follow(client, widest["href"])
    dates = [t["datetime"] for t in narrowed.select(".hit .meta time")]
    assert dates and all(d.startswith(query["from"]) for d in dates)
    assert any("ab" in c.get_text() for c in narrowed.select(".active-filters a"))


def test_sort_selector_and_pagination(client):
    soup = page(client, "/?q=Ukraine")
    select = soup.select_one("form.sort-form select[name=sort]")
    assert select.find("option", selected=True)["value"] == "relevance"
    newest = page(client, "/?q=Ukraine&sort=newest")
    dates = [t["datetime"] for t in newest.select(".hit time")]
    assert dates == sorted(dates, reverse=True)
    nav = soup.select_one("nav.pagination")
    assert nav["aria-label"] == "Seiten"
    assert nav.select_one("a[aria-current=page]").get_text(strip=True) == "1"
    nxt = nav.select_one("a[rel=next]")
    second = follow(client, nxt["href"])
    assert second.select_one("nav.pagination a[aria-current=page]").get_text(strip=True) == "2"
    assert second.select_one("ol.hits")["start"] == "11"


def test_browse_without_query_lists_the_archive_newest_first(client):
    soup = page(client, "/")
    assert "Artikel im Archiv" in soup.h1.get_text()
    dates = [t["datetime"] for t in soup.select(".hit time")]
    assert dates == sorted(dates, reverse=True) and dates
    assert soup.select("input[name=section]")


def test_suggestion_and_zero_result_help(client):
    soup = page(client, "/?q=Ukriane")
    assert soup.select_one(".notice.zero")
    assert "Keine Artikel gefunden" in soup.get_text()
    suggestion = soup.select_one("p.suggestion a")
    assert "Meinten Sie" in soup.select_one("p.suggestion").get_text()
    assert ("q", suggestion.get_text()) in params(suggestion["href"])
    found = follow(client, suggestion["href"])
    assert found.select("ol.hits li")


def test_zero_results_offer_or_and_filter_removal(client):
    soup = page(client, "/?q=Ukraine+xyzzyqwertz&section=Ausland")
    help_links = [a["href"] for a in soup.select(".notice.zero a")]
    assert any(("op", "or") in params(h) for h in help_links)
    assert any(("section", "Ausland") not in params(h) for h in help_links)


def test_query_warning_is_shown(client):
    soup = page(client, '/?q=%22offen')
    assert soup.select_one(".notice.warning li")


@pytest.mark.parametrize("query,parameter", [
    ("size=abc", "size"), ("from=2024-13-45", "from"), ("page=0", "page"),
    ("q=" + "x" * 1001, "q"), ("sort=zufall", "sort")])
def test_bad_parameters_give_a_german_400_page(client, query, parameter):
    soup = page(client, "/?" + query, status=400)
    alert = soup.select_one("[role=alert]")
    assert "Fehler" in alert.get_text() and f"({parameter})" in alert.get_text()


def test_unknown_parameters_are_ignored_on_pages(client):
    soup = page(client, "/?q=Ukraine&utm_source=newsletter")
    assert "utm_source" not in str(soup.select_one("form.filter-form"))


# article page ------------------------------------------------------------------------------

def test_article_page(client):
    soup = page(client, "/?q=Ukraine")
    link = soup.select_one(".hit h2 a")
    article = follow(client, link["href"])
    assert article.h1.get_text() == link.get_text()
    assert article.select_one("article .meta time")
    assert len(article.select("article .body p")) >= 2
    assert article.select(".chip-person") or article.select(".chip-place")
    chip = (article.select(".chip-person") or article.select(".chip-place"))[0]
    assert follow(client, chip["href"]).select("ol.hits li")
    similar = article.select(".similar li a")
    assert 0 < len(similar) <= 5
    assert all(a["href"].startswith("/artikel/") for a in similar)
    assert article.select_one("nav.breadcrumb a")["href"] == "/"


def test_unknown_article_and_page_are_german_404s(client):
    soup = page(client, "/artikel/gibt-es-nicht", status=404)
    assert soup.html["lang"] == "de" and "nicht" in soup.get_text()
    soup = page(client, "/gibt/es/nicht", status=404)
    assert "Seite nicht gefunden" in soup.h1.get_text()
    response = client.post("/")
    assert response.status_code == 405 and response.mimetype == "text/html"
    assert "Werkzeug" not in response.get_data(as_text=True)


def test_unexpected_failure_is_a_german_500_page_without_details():
    class Broken:
        def search(self, *args, **kwargs):
            raise RuntimeError("secret detail")

        article = search

    client = create_app({"TESTING": True, "ENGINE": Broken()}).test_client()
    for url in ("/?q=x", "/artikel/x"):
        response = client.get(url)
        assert response.status_code == 500
        text = response.get_data(as_text=True)
        assert "Interner Fehler" in text and "secret" not in text and "Traceback" not in text


def test_no_index_gives_a_german_503(tmp_path):
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "leer")}).test_client()
    response = client.get("/?q=x")
    assert response.status_code == 503
    assert "Suchindex nicht verfügbar" in response.get_data(as_text=True)


# escaping ----------------------------------------------------------------------------------

def test_markup_in_articles_is_shown_as_text(xss_client):
    response = xss_client.get("/?q=Ukraine")
    html = response.get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html and "<iframe" not in html
    assert "<i>Ressort</i>" not in html
    soup = BeautifulSoup(html, "html.parser")
    titles = [a.get_text() for a in soup.select(".hit h2 a")]
    assert XSS_TITLE in titles
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not [s for s in soup.find_all("script") if not s.get("src")]
    assert all(tag.name in ("mark",) for s in soup.select(".snippet") for tag in s.find_all())


def test_markup_in_the_article_page_is_text(xss_client):
    response = xss_client.get(f"/artikel/{XSS_ID}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<script>alert" not in html and "<img src=x" not in html
    soup = BeautifulSoup(html, "html.parser")
    assert soup.h1.get_text() == XSS_TITLE
    assert "<b>fett</b>" in soup.select_one("article .body").get_text()


def test_javascript_urls_are_never_links(xss_client):
    soup = BeautifulSoup(xss_client.get("/artikel/xss-2").get_data(as_text=True), "html.parser")
    assert not soup.select("a[href^='javascript']")
    assert "javascript:alert(3)" in soup.get_text()  # shown, not linked
    soup = BeautifulSoup(xss_client.get("/artikel/xss-3").get_data(as_text=True), "html.parser")
    link = soup.select_one(".source-link a")
    assert link["href"] == "https://example.org/artikel?a=1&b=<2>"
    assert link["rel"] == ["noopener", "noreferrer", "nofollow"]


def test_queries_are_escaped(xss_client):
    html = xss_client.get("/?q=%3Cscript%3Ealert(2)%3C%2Fscript%3E%22%3E").get_data(as_text=True)
    assert "<script>alert(2)" not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    html = xss_client.get("/?person=%3Cb%3Ex%3C%2Fb%3E").get_data(as_text=True)
    assert "<b>x</b>" not in html


def test_export_links_carry_the_search(client):
    soup = page(client, "/?q=Ukraine&section=Ausland&page=2&size=5")
    links = {a.get_text(): a["href"] for a in soup.select("p.export a")}
    assert set(links) == {"CSV", "JSON Lines"}
    query = params(links["CSV"])
    assert urlsplit(links["CSV"]).path == "/api/search"
    assert ("format", "csv") in query and ("q", "Ukraine") in query
    assert ("section", "Ausland") in query
    assert not {"page", "size"} & {name for name, _ in query}
    response = client.get(links["JSON Lines"])
    assert response.status_code == 200 and response.mimetype == "application/x-ndjson"
