"""Hostile and odd requests against the real app over a real index: redirects, caching,
echoed input, repeated filters, filters in another spelling, date patterns."""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from bs4 import BeautifulSoup

from indexer.dates import DateError, parse_date_bound
from tests.conftest_web import corpus_index
from web import create_app
from web.params import DATE_BOUND_PATTERN, MAX_FILTER_VALUES


@pytest.fixture(scope="session")
def client(tmp_path_factory):
    app = create_app({"TESTING": True, "INDEX_DIR": str(corpus_index(tmp_path_factory))})
    return app.test_client()


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def params(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query)


# redirects ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/api//health", "//", "/artikel//abc", "//evil.example//"])
def test_redirects_never_point_to_another_host(client, path):
    response = client.get(path, headers={"Host": "evil.example"})
    assert response.status_code == 308
    location = response.headers["Location"]
    parts = urlsplit(location)
    assert not parts.scheme and not parts.netloc, location
    assert location.startswith("/") and not location.startswith("//"), location
    assert "//" not in location


def test_merged_slash_redirect_still_arrives(client):
    response = client.get("/api//health", follow_redirects=True)
    assert response.status_code == 200 and response.get_json()["ok"]


# caching -----------------------------------------------------------------------------------

@pytest.mark.parametrize("url, expected", [
    ("/api/search?q=Ukraine", "public, max-age=60"),
    ("/api/openapi.json", "public, max-age=60"),
    ("/api/health", "no-store"),
    ("/api/search?q=Ukraine&format=csv", "no-store"),
    ("/api/search?size=0", "no-store"),            # 400
    ("/api/articles/nonexistent", "no-store"),     # 404
    ("/api/nowhere", "no-store"),                  # 404 of the app, not the blueprint
])
def test_api_cache_control(client, url, expected):
    response = client.get(url)
    assert response.headers.get("Cache-Control") == expected, (url, response.status_code)


def test_articles_are_cacheable(client):
    article_id = client.get("/api/search?q=Ukraine&size=1").get_json()["hits"][0]["id"]
    response = client.get(f"/api/articles/{article_id}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=60"


def test_unavailable_index_is_not_cached(tmp_path):
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "none")}).test_client()
    response = client.get("/api/search?q=x")
    assert response.status_code == 503 and response.headers["Cache-Control"] == "no-store"


# echoed input ------------------------------------------------------------------------------

HUGE = "x" * 100_000


@pytest.mark.parametrize("url, status, code", [
    (f"/api/articles/{HUGE}", 404, "not_found"),
    (f"/api/{HUGE}", 404, "not_found"),
    (f"/api/health?{HUGE}=1", 400, "invalid_parameter"),
    (f"/api/articles/abc?{HUGE}=1", 400, "invalid_parameter"),
    (f"/api/search?{HUGE}=1", 400, "invalid_parameter"),
    (f"/api/search?from={HUGE}", 400, "invalid_parameter"),
])
def test_error_messages_cut_echoed_input_short(client, url, status, code):
    response = client.get(url)
    assert response.status_code == status
    error = response.get_json()["error"]  # the one error shape, whatever was sent
    assert error["code"] == code and error["status"] == status
    assert "xxxxxxxxxx" in error["message"] + error.get("parameter", "")  # still recognisable
    assert len(response.get_data()) < 1000
    assert len(error["message"]) < 400 and len(error.get("parameter", "")) < 100


# repeated filter values --------------------------------------------------------------------

def test_a_repeated_filter_value_counts_once_and_links_carry_it_once(client):
    query = "q=Ukraine&" + "&".join(["section=Ausland"] * 10_000)
    response = client.get("/?" + query)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert len(html) < 200_000  # was 23 MB: every link repeated the whole query
    hrefs = [a["href"] for a in soup_of(response).select("a[href]")]
    assert hrefs and all(params(h).count(("section", "Ausland")) <= 1 for h in hrefs)
    api = client.get("/api/search?" + query).get_json()
    assert api["total"] > 0
    assert params(api["links"]["self"]) == [("q", "Ukraine"), ("section", "Ausland")]


def test_a_repeated_single_parameter_on_the_page_is_carried_once(client):
    response = client.get("/?" + "&".join(f"q=Ukraine{n}" for n in range(5_000)))
    assert response.status_code == 200
    assert len(response.get_data()) < 200_000


def test_spellings_of_one_filter_value_count_once(client):
    data = client.get("/api/search?q=Ukraine&section=Ausland&section=ausland"
                      "&section=AUSLAND").get_json()
    assert params(data["links"]["self"]) == [("q", "Ukraine"), ("section", "Ausland")]


@pytest.mark.parametrize("distinct", [MAX_FILTER_VALUES + 1, 10_000])
def test_too_many_distinct_values_are_a_400_naming_the_parameter(client, distinct):
    query = "q=Ukraine&" + "&".join(f"person=P{n}" for n in range(distinct))
    api = client.get("/api/search?" + query)
    assert api.status_code == 400
    error = api.get_json()["error"]
    assert error["parameter"] == "person" and str(MAX_FILTER_VALUES) in error["message"]
    page = client.get("/?" + query)
    assert page.status_code == 400
    assert "(person)" in page.get_data(as_text=True)
    assert len(page.get_data()) < 50_000  # the form on the error page drops the values


def test_the_limit_itself_is_fine(client):
    query = "&".join(f"place=Ort{n}" for n in range(MAX_FILTER_VALUES))
    assert client.get("/api/search?" + query).status_code == 200


# a filter in another spelling --------------------------------------------------------------

ODD_SPELLINGS = "q=Ukraine&section=ausland&person=Selensky&lang=DE"


def test_api_facet_url_removes_a_filter_written_differently(client):
    data = client.get("/api/search?" + ODD_SPELLINGS).get_json()
    assert data["total"] > 0
    for name, canonical in (("section", "Ausland"), ("person", "Wolodymyr Selenskyj"),
                            ("lang", "de")):
        selected = [v for v in data["facets"][name]["values"] if v["selected"]]
        assert [v["value"] for v in selected] == [canonical], name
        remaining = params(selected[0]["url"])
        assert name not in {k for k, _ in remaining}, (name, remaining)
        assert len(remaining) == 3  # the other filters and q stay


def test_page_ticks_a_filter_written_differently_once_and_unticks_it(client):
    soup = soup_of(client.get("/?" + ODD_SPELLINGS))
    ticked = soup.select(".filter-form input[name=section][checked]")
    assert [box["value"] for box in ticked] == ["Ausland"]
    for name, canonical in (("person", "Wolodymyr Selenskyj"), ("lang", "de")):
        selected = soup.select(f".facet-{name} a.is-selected")
        assert [a.select_one(".value").get_text() for a in selected] == [canonical], name
        assert name not in {k for k, _ in params(selected[0]["href"])}
    chips = soup.select(".hit .entity-chips a.chip-person.is-selected")
    assert chips and all("Selenskyj" in chip.get_text() for chip in chips)
    assert all("person" not in {k for k, _ in params(chip["href"])} for chip in chips)


# date patterns -----------------------------------------------------------------------------

TRICKY_DATES = [
    "2024", "0001", "0000", "9998", "9999", "2024-1", "2024-01", "2024-12", "2024-0",
    "2024-00", "2024-13", "2024-001", "2024-2-3", "2024-02-3", "2024-2-03", "2024-02-03",
    "0000-0-00", "2024-02-29", "2023-02-29", "2000-02-29", "1900-02-29", "2100-02-29",
    "1600-02-29", "0004-02-29", "2024-04-30", "2024-04-31", "2024-01-31", "2024-12-31",
    "2024-06-31", "2024-11-00", "2024-11-32", "9998-12-31", "202", "20241", "2024-",
    "2024--01", "24-11-14",
]


def _parser_takes(value: str) -> bool:
    try:
        parse_date_bound(value, end=True)
        parse_date_bound(value, end=False)
    except (DateError, ValueError):
        return False
    return True


def _every_shape():
    """Every year-month-day of some telling years, with and without leading zeros."""
    for year in ("0000", "0001", "1900", "2000", "2023", "2024", "2100", "9998", "9999"):
        yield year
        for month in [f"{m}" for m in range(14)] + [f"{m:02d}" for m in range(14)]:
            yield f"{year}-{month}"
            for day in [f"{d}" for d in range(33)] + [f"{d:02d}" for d in range(33)]:
                yield f"{year}-{month}-{day}"


def test_date_pattern_accepts_exactly_what_the_parser_accepts():
    pattern = re.compile(DATE_BOUND_PATTERN)
    differ = [v for v in [*TRICKY_DATES, *_every_shape()]
              if bool(pattern.fullmatch(v)) != _parser_takes(v)]
    assert differ == []


def test_openapi_and_form_patterns_are_the_api_s(client):
    document = client.get("/api/openapi.json").get_json()
    parameters = {p["name"]: p for p in document["paths"]["/api/search"]["get"]["parameters"]}
    soup = soup_of(client.get("/?q=Ukraine"))
    for name in ("from", "to"):
        openapi_pattern = re.compile(parameters[name]["schema"]["pattern"])  # anchored itself
        form_pattern = re.compile(soup.select_one(f"input[name={name}]")["pattern"])
        for value in TRICKY_DATES:
            expected = _parser_takes(value)
            assert bool(openapi_pattern.search(value)) == expected, (name, value)
            assert bool(form_pattern.fullmatch(value)) == expected, (name, value)  # as HTML
            status = client.get(f"/api/search?{name}={value}").status_code
            assert status == (200 if expected else 400), (name, value, status)
