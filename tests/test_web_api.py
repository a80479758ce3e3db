"""The JSON API, through Flask's test client, over a real index of the sample corpus."""
from __future__ import annotations

import csv
import io
import json
import logging
import shutil
import sys
import threading
import time
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.conftest_web import CORPUS, corpus_index
from web import create_app
from web.api import EXPORT_FIELDS

ERROR_KEYS = {"status", "code", "message"}


@pytest.fixture(scope="session")
def web_index(tmp_path_factory):
    return corpus_index(tmp_path_factory)


@pytest.fixture(scope="session")
def app(web_index):
    return create_app({"TESTING": True, "INDEX_DIR": str(web_index)})


@pytest.fixture
def client(app):
    return app.test_client()


def eventually(client, url, ready, seconds=20):
    """The JSON of ``url`` once ``ready(json)`` holds: a new generation is opened in
    the background while the old one keeps answering."""
    deadline = time.monotonic() + seconds
    while True:
        data = get_json(client, url)
        if ready(data) or time.monotonic() > deadline:
            return data
        time.sleep(0.02)


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.get_data(as_text=True)[:500])
    assert response.mimetype == "application/json"
    return response.get_json()


def assert_error(response, status: int, code: str, parameter: str | None = None):
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"}
    error = body["error"]
    assert ERROR_KEYS <= set(error) <= ERROR_KEYS | {"parameter"}
    assert error["status"] == status
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    assert "Traceback" not in error["message"] and "<" not in error["message"]
    if parameter is not None:
        assert error.get("parameter") == parameter, error
    return error


# search ------------------------------------------------------------------------------------

def test_search_response_shape(client):
    data = get_json(client, "/api/search?q=Ukraine&size=5")
    assert data["query"] == "Ukraine"
    assert data["total"] > 10
    assert data["page"] == 1 and data["size"] == 5
    assert isinstance(data["took_ms"], (int, float)) and isinstance(data["warnings"], list)
    assert len(data["hits"]) == 5
    for hit in data["hits"]:
        assert {"id", "title", "date", "section", "url", "score", "snippets", "entities",
                "duplicates"} <= set(hit)
        assert hit["snippets"] and all("html" in s for s in hit["snippets"])
        assert set(hit["entities"]) >= {"persons", "orgs", "places"}
    assert any("<mark>" in s["html"] for hit in data["hits"] for s in hit["snippets"])
    assert {"section", "person", "org", "place"} <= set(data["facets"])
    for facet in data["facets"].values():
        for value in facet["values"]:
            assert {"value", "count", "selected", "url"} <= set(value)
            assert value["url"].startswith("/api/search?")
    assert data["histogram"]["buckets"]
    assert "suggestion" in data
    assert data["links"]["next"] and data["links"]["prev"] is None


def test_relevance_ranked_scores_descend(client):
    hits = get_json(client, "/api/search?q=Ukraine&size=20")["hits"]
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_sort_by_date(client, sort):
    hits = get_json(client, f"/api/search?q=Ukraine&size=50&sort={sort}")["hits"]
    dates = [h["date"] for h in hits if h["date"]]
    assert dates == sorted(dates, reverse=sort == "newest") and len(dates) > 5


def test_empty_query_browses_the_archive(client):
    everything = get_json(client, "/api/search")
    assert everything["total"] >= 80
    ausland = get_json(client, "/api/search?section=Ausland&size=100")
    assert 0 < ausland["total"] < everything["total"]
    assert all(h["section"] == "Ausland" for h in ausland["hits"])


def toggled(client, url):
    """Follow a facet URL; it must stay under /api/search."""
    parts = urlsplit(url)
    assert parts.path == "/api/search"
    return get_json(client, url), parse_qsl(parts.query)


@pytest.mark.parametrize("facet,entity_key", [
    ("section", None), ("person", "persons"), ("org", "orgs"), ("place", "places")])
def test_facet_urls_toggle_their_filter(client, facet, entity_key):
    first = get_json(client, "/api/search?q=Ukraine&size=100")
    value = first["facets"][facet]["values"][0]
    assert value["selected"] is False
    narrowed, params = toggled(client, value["url"])
    assert (facet, value["value"]) in params and ("q", "Ukraine") in params
    assert narrowed["total"] == value["count"] < first["total"]
    for hit in narrowed["hits"]:
        if entity_key:
            assert value["value"] in hit["entities"][entity_key]
        else:
            assert hit["section"] == value["value"]
    # the value is now selected, and its URL takes the filter away again
    again = next(v for v in narrowed["facets"][facet]["values"] if v["value"] == value["value"])
    assert again["selected"] is True
    restored, params = toggled(client, again["url"])
    assert (facet, value["value"]) not in params
    assert restored["total"] == first["total"]


def test_facet_counts_ignore_their_own_filter(client):
    """Picking a second section stays possible: section counts ignore the section filter."""
    base = get_json(client, "/api/search?q=Ukraine")
    one = get_json(client, "/api/search?q=Ukraine&section=Ausland")
    assert {(v["value"], v["count"]) for v in base["facets"]["section"]["values"]} == \
        {(v["value"], v["count"]) for v in one["facets"]["section"]["values"]}
    other = next(v for v in one["facets"]["section"]["values"] if not v["selected"])
    both, params = toggled(client, other["url"])
    assert {("section", "Ausland"), ("section", other["value"])} <= set(params)
    assert both["total"] > one["total"]


def test_histogram_bucket_urls_narrow_to_the_bucket(client):
    data = get_json(client, "/api/search?q=Ukraine&size=100")
    bucket = max(data["histogram"]["buckets"], key=lambda b: b["count"])
    narrowed, params = toggled(client, bucket["url"])
    assert ("from", bucket["key"]) in params and ("to", bucket["key"]) in params
    assert narrowed["total"] == bucket["count"]
    assert all(bucket["start"] <= h["date"] <= bucket["end"] for h in narrowed["hits"])


def test_date_filters(client):
    data = get_json(client, "/api/search?q=Ukraine&from=2024&to=2024-06&size=100")
    assert data["total"] > 0
    assert all("2024-01-01" <= h["date"] <= "2024-06-30" for h in data["hits"])


def test_pagination_and_page_beyond_the_end(client):
    one = get_json(client, "/api/search?q=Ukraine&size=5")
    two = get_json(client, "/api/search?q=Ukraine&size=5&page=2")
    assert {h["id"] for h in one["hits"]}.isdisjoint({h["id"] for h in two["hits"]})
    assert two["links"]["prev"] and "page=" not in two["links"]["prev"]
    beyond = get_json(client, "/api/search?q=Ukraine&size=5&page=500")
    assert beyond["hits"] == [] and beyond["total"] == one["total"]
    assert beyond["links"]["next"] is None


def test_query_syntax_problems_are_warnings_not_errors(client):
    data = get_json(client, "/api/search?q=%22offen")
    assert data["warnings"]
    data = get_json(client, "/api/search?q=titel%3A")
    assert data["warnings"]


@pytest.mark.parametrize("q", ["a\x00b", "((((", "\"", "*", "~", "NOT", "-", "datum:[2024 TO",
                               "ü" * 1000, "😀 Ukraine", "titel:\"", "person:", "AND OR NOT",
                               "datum:[2024-13 TO 2025]", "datum:abc", "datum:0000",
                               "datum:[0000-05 TO 9999]"])
def test_odd_queries_never_fail(client, q):
    response = client.get("/api/search", query_string={"q": q})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]


def test_plain_syntax_and_or_operator(client):
    plain = get_json(client, "/api/search?q=Ukraine+ODER&syntax=plain")
    assert plain["total"] >= 0
    both = get_json(client, "/api/search?q=Ukraine+Merz")
    either = get_json(client, "/api/search?q=Ukraine+Merz&op=or")
    assert either["total"] > both["total"]


def test_spelling_suggestion(client):
    data = get_json(client, "/api/search?q=Ukriane")
    assert data["total"] == 0
    assert data["suggestion"]


# errors ------------------------------------------------------------------------------------

BAD_SEARCHES = [
    ("size=1000", "size"), ("size=abc", "size"), ("size=0", "size"), ("size=-1", "size"),
    ("size=1.5", "size"), ("size=", "size"), ("size=1&size=2", "size"), ("size=%201", "size"),
    ("page=0", "page"), ("page=abc", "page"), ("page=99999999999999999999", "page"),
    ("facet_size=101", "facet_size"), ("facet_size=x", "facet_size"),
    ("from=2024-13-45", "from"), ("to=2024-02-30", "to"), ("from=abc", "from"),
    ("from=0000-05", "from"), ("to=2024-13", "to"), ("from=14.11.2024x", "from"),
    ("from=2025&to=2024", "to"), ("sort=best", "sort"), ("op=xor", "op"),
    ("syntax=lucene", "syntax"), ("format=xml", "format"), ("q=" + "x" * 1001, "q"),
    ("foo=bar", "foo"), ("q=a&Q=b", "Q"), ("section=", "section"),
    ("person=" + "x" * 201, "person"), ("lang=" + "&lang=".join(map(str, range(21))), "lang"),
    ("format=csv&size=abc", "size"), ("format=jsonl&from=2024-99", "from"),
]


@pytest.mark.parametrize("query,parameter", BAD_SEARCHES, ids=[p for _, p in BAD_SEARCHES])
def test_bad_parameters_get_one_error_shape(client, query, parameter):
    response = client.get(f"/api/search?{query}", headers={"Accept": "text/html"})
    assert_error(response, 400, "invalid_parameter", parameter)


def test_query_of_exactly_the_limit_is_fine(client):
    get_json(client, "/api/search?q=" + "Ukraine+" * 124 + "Ukr")  # 1,000 characters


def test_unknown_article_is_404(client):
    assert_error(client.get("/api/articles/no-such-id"), 404, "not_found")
    assert_error(client.get("/api/articles/a/b%2Fc"), 404, "not_found")


def test_article_parameters(client):
    hit = get_json(client, "/api/search?q=Ukraine&size=1")["hits"][0]
    assert_error(client.get(f"/api/articles/{hit['id']}?similar=abc"), 400, "invalid_parameter",
                 "similar")
    assert_error(client.get(f"/api/articles/{hit['id']}?similar=21"), 400, "invalid_parameter",
                 "similar")
    assert_error(client.get(f"/api/articles/{hit['id']}?x=1"), 400, "invalid_parameter", "x")
    assert get_json(client, f"/api/articles/{hit['id']}?similar=0")["similar"] == []


@pytest.mark.parametrize("url", ["/api/nope", "/api", "/api/", "/api/search/extra",
                                 "/api/articles/"])
def test_unknown_api_routes_are_json_404(client, url):
    assert_error(client.get(url, headers={"Accept": "text/html"}), 404, "not_found")


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_wrong_method_is_json_405(client, method):
    response = getattr(client, method)("/api/search?q=x")
    assert_error(response, 405, "method_not_allowed")
    assert "GET" in response.headers["Allow"]
    assert_error(getattr(client, method)("/api/health"), 405, "method_not_allowed")


def test_health_and_unknown_parameters(client):
    health = get_json(client, "/api/health")
    assert health["ok"] is True and health["articles"] >= 80 and health["generation"]
    assert_error(client.get("/api/health?verbose=1"), 400, "invalid_parameter", "verbose")


def test_security_headers_on_api(client):
    response = client.get("/api/search?q=x")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


class BrokenEngine:
    """An engine that fails the way a bug would: with a detail that must not leak."""

    def search(self, *args, **kwargs):
        raise RuntimeError("secret detail /etc/passwd")

    article = export = health = search


def test_unexpected_failure_is_a_logged_500_in_the_error_shape(caplog):
    app = create_app({"TESTING": True, "ENGINE": BrokenEngine()})
    client = app.test_client()
    with caplog.at_level(logging.ERROR, logger="pressearchiv.web"):
        for url in ("/api/search?q=x", "/api/articles/x", "/api/health",
                    "/api/search?q=x&format=csv"):
            error = assert_error(client.get(url), 500, "internal_error")
            assert "secret" not in error["message"]
    records = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(records) == 4
    assert all(r.exc_info and "secret detail" in str(r.exc_info[1]) for r in records)
    assert "Traceback" in caplog.text


def test_no_index_is_503_then_served_once_built(tmp_path):
    index = tmp_path / "index"
    app = create_app({"TESTING": True, "INDEX_DIR": str(index)})
    client = app.test_client()
    assert_error(client.get("/api/search?q=Ukraine"), 503, "index_unavailable")
    assert_error(client.get("/api/health"), 503, "index_unavailable")
    from indexer.build import build_index

    build_index([str(CORPUS)], index)
    assert get_json(client, "/api/search?q=Ukraine")["total"] > 10


def test_rebuilt_index_is_served_without_restart(tmp_path):
    from indexer.build import build_index

    sources = tmp_path / "src"
    sources.mkdir()
    files = sorted(CORPUS.glob("*.txt"))
    for path in files[:10]:
        shutil.copy(path, sources)
    index = tmp_path / "index"
    build_index([str(sources)], index)
    client = create_app({"TESTING": True, "INDEX_DIR": str(index)}).test_client()
    before = get_json(client, "/api/health")
    assert before["articles"] == 10
    assert get_json(client, "/api/search")["total"] == 10
    for path in files[10:20]:  # an update in place
        shutil.copy(path, sources)
    build_index([str(sources)], index)
    assert eventually(client, "/api/search", lambda r: r["total"] == 20)["total"] == 20
    for path in files[20:]:  # a rebuild: a new generation swapped in
        shutil.copy(path, sources)
    build_index([str(sources)], index, rebuild=True)
    after = eventually(client, "/api/health", lambda r: r["articles"] == len(files))
    assert after["articles"] == len(files) and after["generation"] != before["generation"]
    assert get_json(client, "/api/search")["total"] == len(files)


def test_concurrent_requests(app):
    queries = ["Ukraine", "Merz", "Bundestag", "Sanktionen", "Wahl", "NATO", "Haushalt", "EU"]
    expected = {q: app.test_client().get(f"/api/search?q={q}").get_json()["total"]
                for q in queries}
    failures = []

    def worker(offset):
        client = app.test_client()
        for i in range(12):
            q = queries[(offset + i) % len(queries)]
            response = client.get(f"/api/search?q={q}&page={1 + i % 2}")
            if response.status_code != 200 or response.get_json()["total"] != expected[q]:
                failures.append((q, response.status_code))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


# export ------------------------------------------------------------------------------------

def all_hit_ids(client, query):
    ids, page = [], 1
    while True:
        data = get_json(client, f"/api/search?{query}&size=100&page={page}")
        ids += [h["id"] for h in data["hits"]]
        if not data["links"]["next"]:
            return ids, data["total"]
        page += 1


def test_csv_export_streams_all_matches(client):
    response = client.get("/api/search?q=Ukraine&format=csv&size=2")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.is_streamed
    assert "attachment" in response.headers["Content-Disposition"]
    assert ".csv" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert tuple(rows[0]) == EXPORT_FIELDS
    ids, total = all_hit_ids(client, "q=Ukraine")
    assert len(rows) >= total > 2
    assert set(ids) <= {r["id"] for r in rows}
    assert all(r["body"] for r in rows)
    assert any("; " in r["places"] for r in rows)


def test_jsonl_export_streams_all_matches(client):
    response = client.get("/api/search?q=Ukraine&section=Ausland&format=jsonl")
    assert response.status_code == 200
    assert response.mimetype == "application/x-ndjson"
    assert ".jsonl" in response.headers["Content-Disposition"]
    lines = response.get_data(as_text=True).splitlines()
    records = [json.loads(line) for line in lines]
    assert records and all(tuple(r) == EXPORT_FIELDS for r in records)
    assert all(r["section"] == "Ausland" for r in records)
    assert all(isinstance(r["persons"], list) for r in records)
    ids, total = all_hit_ids(client, "q=Ukraine&section=Ausland")
    assert set(ids) <= {r["id"] for r in records}


def test_export_in_request_order(client):
    newest = client.get("/api/search?q=Ukraine&format=jsonl&sort=newest").get_data(as_text=True)
    dates = [json.loads(line)["date"] for line in newest.splitlines()]
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=True)


def test_empty_export_has_header_only(client):
    response = client.get("/api/search?q=xyzzyqwertz&format=csv")
    assert response.status_code == 200
    assert response.get_data(as_text=True).strip() == ",".join(EXPORT_FIELDS)
    response = client.get("/api/search?q=xyzzyqwertz&format=jsonl")
    assert response.get_data(as_text=True) == ""


# articles ----------------------------------------------------------------------------------

def test_article(client):
    hit = get_json(client, "/api/search?q=Ukraine&size=1")["hits"][0]
    article = get_json(client, f"/api/articles/{hit['id']}")
    assert article["id"] == hit["id"] and article["title"] == hit["title"]
    assert len(article["body"]) > 200
    assert set(article["entities"]) >= {"persons", "orgs", "places"}
    assert 0 < len(article["similar"]) <= 5
    assert hit["id"] not in {s["id"] for s in article["similar"]}


# the real server -----------------------------------------------------------------------------

@pytest.mark.slow
def test_load_script_against_the_real_server(web_index, capsys):
    """bench/load.py starts waitress over an index and reports a table, with no errors."""
    import importlib.util

    from tests.conftest_web import REPO

    spec = importlib.util.spec_from_file_location("bench_load", REPO / "bench" / "load.py")
    load = importlib.util.module_from_spec(spec)
    sys.modules["bench_load"] = load  # dataclasses look their module up there
    spec.loader.exec_module(load)
    status = load.main(["--index", str(web_index), "--requests", "120", "--clients", "4",
                        "--threads", "4", "--warmup", "5", "--time-limit", "60"])
    out = capsys.readouterr().out
    assert status == 0, out
    assert "| requests | seconds | requests/s | p50 ms | p95 ms | p99 ms |" in out
    row = next(line for line in out.splitlines() if line.startswith("| 120 |"))
    assert row.rstrip().endswith("| 0 |")  # no errors
