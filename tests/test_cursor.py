"""Deep paging by cursor (``search.cursor``): whole results paged with sizes 7, 50 and 100
are exactly the one big ranking, with ties of score and date and exact duplicates; a
cursor from before a rebuild is a 409, a damaged one a 400."""
from __future__ import annotations

import json

import pytest

from search.models import InvalidRequest, SearchRequest

N = 230


def _records() -> list[dict]:
    records = []
    for i in range(N):
        # three dates and four body shapes: many articles tie on score and on date
        body = ["Die Regierung berät über den Haushalt.",
                "Die Regierung berät über den Haushalt und die Rente.",
                "Regierung und Opposition streiten, die Regierung bleibt.",
                "Ein Bericht ohne das gesuchte Wort."][i % 4] + f" Kennung k{i}."
        records.append({"id": f"d{i:03d}", "title": f"Meldung {i}", "body": body,
                        "date": f"2024-0{1 + i % 3}-15" if i % 17 else "",
                        "section": "Inland"})
    for i in range(6):  # exact duplicates: one hit each, never twice across pages
        records.append({"id": f"dup{i}", "title": "Gleicher Text", "date": "2024-02-15",
                        "body": "Die Regierung berät über den Haushalt. Doppelt."})
    return records


def _write(path, records) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from indexer.build import build_index

    root = tmp_path_factory.mktemp("cursor")
    _write(root / "articles.jsonl", _records())
    build_index([str(root / "articles.jsonl")], root / "index", jobs=1, enrich=False)
    return root


@pytest.fixture(scope="module")
def engine(built):
    from search import open_engine

    return open_engine(built / "index")


def _paged(engine, size: int, **kw) -> list[str]:
    ids, cursor = [], None
    while True:
        response = engine.search(SearchRequest(size=size, cursor=cursor, facets=False,
                                               snippets=False, **kw))
        ids += [h.id for h in response.hits]
        assert len(response.hits) <= size
        cursor = response.next_cursor
        if cursor is None:
            return ids


def _ranking(engine, **kw) -> list[str]:
    ids, page = [], 1
    while True:
        hits = engine.search(SearchRequest(size=100, page=page, facets=False, snippets=False,
                                           **kw)).hits
        if not hits:
            return ids
        ids += [h.id for h in hits]
        page += 1


@pytest.mark.parametrize("query", [{"q": "Regierung"}, {"q": "Regierung", "sort": "newest"},
                                   {"q": "Regierung Haushalt", "sort": "oldest"},
                                   {"q": ""}, {"q": "", "sort": "oldest"}])
def test_cursor_pages_are_the_whole_ranking(engine, query):
    whole = _ranking(engine, **query)
    total = engine.search(SearchRequest(facets=False, **query)).total
    assert len(whole) == total > 100
    assert len(set(whole)) == len(whole)
    assert sum(i.startswith("dup") for i in whole) == 1  # six copies, one hit
    for size in (7, 50, 100):
        assert _paged(engine, size, **query) == whole


def test_last_page_has_no_next_cursor_and_total_stays(engine):
    exact = engine.search(SearchRequest(q="Opposition", size=57))  # the page ends the result
    assert exact.total == len(exact.hits) == 57 and exact.next_cursor is None
    one_short = engine.search(SearchRequest(q="Opposition", size=56))
    last = engine.search(SearchRequest(q="Opposition", size=56, cursor=one_short.next_cursor))
    assert len(last.hits) == 1 and last.next_cursor is None
    start = engine.search(SearchRequest(q="Regierung", size=7))
    second = engine.search(SearchRequest(q="Regierung", size=7, cursor=start.next_cursor))
    assert second.total == start.total and second.page == 1


def test_bad_cursors_are_refused(engine):
    token = engine.search(SearchRequest(q="Regierung", size=7)).next_cursor
    for cursor, kw, parameter in (("kaputt", {}, "cursor"), (token[:-3], {}, "cursor"),
                                  (token, {"page": 2}, "page"),
                                  (token, {"sort": "newest"}, "cursor"),  # another search
                                  (token, {"sections": ["Ausland"]}, "cursor")):
        with pytest.raises(InvalidRequest) as info:
            engine.search(SearchRequest(q="Regierung", cursor=cursor, **kw))
        assert info.value.parameter == parameter


def test_api_cursor_and_stale_cursor_after_a_rebuild(built, tmp_path):
    from indexer.build import build_index
    from web import create_app

    index = tmp_path / "index"
    _write(tmp_path / "a.jsonl", _records()[:40])
    build_index([str(tmp_path / "a.jsonl")], index, jobs=1, enrich=False)
    app = create_app({"TESTING": True, "INDEX_DIR": str(index)})
    client = app.test_client()
    first = client.get("/api/search?q=Regierung&size=5").get_json()
    assert first["next_cursor"]
    second = client.get(f"/api/search?q=Regierung&size=5&cursor={first['next_cursor']}")
    assert second.status_code == 200
    assert not {h["id"] for h in first["hits"]} & {h["id"] for h in second.get_json()["hits"]}
    bad = client.get("/api/search?q=Regierung&cursor=%%%")
    assert bad.status_code == 400 and bad.get_json()["error"]["parameter"] == "cursor"
    with_format = client.get(f"/api/search?q=Regierung&format=csv&cursor={first['next_cursor']}")
    assert with_format.status_code == 400

    build_index([str(tmp_path / "a.jsonl")], index, jobs=1, enrich=False, rebuild=True)
    app.extensions["pressearchiv"].get().refresh()
    stale = client.get(f"/api/search?q=Regierung&size=5&cursor={first['next_cursor']}")
    assert stale.status_code == 409
    error = stale.get_json()["error"]
    assert error["code"] == "stale_cursor" and error["parameter"] == "cursor"
    kwic = client.get("/api/kwic?q=Regierung&size=2").get_json()["next_cursor"]
    build_index([str(tmp_path / "a.jsonl")], index, jobs=1, enrich=False, rebuild=True)
    app.extensions["pressearchiv"].get().refresh()
    assert client.get(f"/api/kwic?q=Regierung&size=2&cursor={kwic}").status_code == 409


def test_concordance_reads_exact_duplicates_once(engine):
    from search.kwic import KwicRequest, concordance

    response = concordance(engine, KwicRequest(SearchRequest(q="Doppelt")))
    assert response.articles == 1 and len(response.rows) == 1 == response.occurrences
