"""The concordance (``search.kwic``): rows counted independently, fields, contexts, written
forms, order and cursors, exports, the API, the page and the CLI, on a test index built here."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest

from search.kwic import KwicRequest, concordance, concordance_rows
from search.models import InvalidRequest, SearchRequest
from tests.conftest import write_native

ARTICLES = [
    # name, date, section, title, body
    ("001_a1.txt", "2024-03-01", "Inland", "Haushalt im Bundestag",
     "Der Haushalt wurde beraten. Die Koalition streitet über den Haushalt. "
     "Zum Haushalt sagte die Verteidigungsministerin nichts."),
    ("002_a2.txt", "2024-03-02", "Ausland", "Selenskyj in Berlin",
     "Präsident Wolodymyr Selenskyj traf den Kanzler. Der Minister für Finanzen fehlte."),
    ("003_a3.txt", "2024-02-01", "Inland", "Streit um den Haushalt",
     "Olaf Scholz verteidigt die Pläne. Ohne Einigung kein Haushalt, sagte Olaf Scholz."),
    ("004_a4.txt", "2024-02-01", "Inland", "Bundesregierung ohne Einigung",
     "Die Bundesregierung tagt. Der Haushaltsausschuss berät am Freitag erneut."),
    ("005_a5.txt", "2023-12-24", "Wirtschaft", "Wirtschaft im Winter",
     "Die Wirtschaft wächst kaum. Minister Lindner sieht den Bundeshaushalt belastet."),
]
HAUSHALT = re.compile(r"\b\w*[Hh]aushalt\w*\b")


@pytest.fixture(scope="module")
def kwic_index(tmp_path_factory):
    from indexer.build import build_index

    root = tmp_path_factory.mktemp("kwic")
    for name, date, section, title, body in ARTICLES:
        write_native(root / "src", name, date, section, title, body)
    build_index([str(root / "src")], root / "index")
    return root / "index"


@pytest.fixture(scope="module")
def kwic_engine(kwic_index):
    from search import open_engine

    return open_engine(kwic_index)


def rows(engine, q, **kw) -> list:
    return concordance(engine, KwicRequest(SearchRequest(q=q), size=500, **kw)).rows


def test_row_count_equals_occurrences_counted_independently(kwic_engine):
    """``Haushalt`` reaches every word containing it (inflections and compounds); counted
    here by a regular expression over the stored texts of the matching articles."""
    response = concordance(kwic_engine, KwicRequest(SearchRequest(q="Haushalt"), size=500))
    matching = {h.id for h in kwic_engine.search(SearchRequest(q="Haushalt", size=100)).hits}
    expected = 0
    for article_id in matching:
        article = kwic_engine.article(article_id, similar=0)
        expected += len(HAUSHALT.findall(article.title)) + len(HAUSHALT.findall(article.body))
    assert expected == 8
    assert len(response.rows) == response.occurrences == expected
    assert response.complete and response.next_cursor is None
    assert {r.id for r in response.rows} == matching
    assert {r.match for r in response.rows} == {"Haushalt", "Haushaltsausschuss",
                                                "Bundeshaushalt"}


def test_matches_only_in_the_field_searched(kwic_engine):
    found = rows(kwic_engine, "titel:Haushalt")
    assert found and all(r.field == "title" for r in found)
    assert {r.id for r in found} == {"a1", "a3"}
    assert len(found) == 2


def test_offsets_point_at_the_match_and_contexts_stay_in_the_article(kwic_engine):
    texts = {name.split("_")[1][:-4]: (title, body) for name, _, _, title, body in ARTICLES}
    for row in rows(kwic_engine, "Haushalt", width=30):
        title, body = texts[row.id]
        text = title if row.field == "title" else body
        assert text[row.start:row.end] == row.match
        assert text[:row.start].split()[-30:] == row.left.split()  # all the words before
        assert row.right.split() == text[row.end:].split()[:len(row.right.split())]
        assert row.right in text and row.left in text  # nothing from another field or article


def test_word_forms_decided_in_earlier_requests_give_the_same_rows(kwic_engine, monkeypatch):
    import search.kwic as kwic

    first = [(r.id, r.start, r.match) for r in rows(kwic_engine, "Minister")]
    again = [(r.id, r.start, r.match) for r in rows(kwic_engine, "Minister")]
    kwic._WORD_FORMS.clear()
    monkeypatch.setattr(kwic, "MAX_KNOWN_FORMS", 3)  # start afresh nearly every article
    bounded = [(r.id, r.start, r.match) for r in rows(kwic_engine, "Minister")]
    assert first and first == again == bounded


@pytest.mark.parametrize("q", ['"Minister sagte"', '"Haushalt"', 'Minister "der Haushalt"'])
def test_phrases_read_in_windows_give_the_rows_of_the_whole_text(kwic_engine, monkeypatch, q):
    import search.kwic as kwic

    by_paragraph = [(r.id, r.field, r.start, r.end) for r in rows(kwic_engine, q)]
    kwic._WORD_FORMS.clear()
    monkeypatch.setattr(kwic, "_windows_around",
                        lambda tokens, spans, reach: [(0, tokens[-1][1])] if tokens else [])
    whole = [(r.id, r.field, r.start, r.end) for r in rows(kwic_engine, q)]
    assert by_paragraph == whole


def test_width_counts_words(kwic_engine):
    row = next(r for r in rows(kwic_engine, "Koalition", width=2))
    assert (row.left, row.match, row.right) == ("beraten. Die", "Koalition", "streitet über")


def test_written_forms_for_compounds_aliases_and_phrases(kwic_engine):
    assert "Verteidigungsministerin" in {r.match for r in rows(kwic_engine, "Minister")}
    assert {r.match for r in rows(kwic_engine, "Selensky")} == {"Selenskyj"}
    assert {r.match for r in rows(kwic_engine, "person:Selensky")} == {"Selenskyj"}
    phrase = rows(kwic_engine, '"Olaf Scholz"')
    assert [r.match for r in phrase] == ["Olaf Scholz", "Olaf Scholz"]
    assert [r.right for r in phrase] == ["verteidigt die Pläne. Ohne Einigung kein Haushalt, "
                                         "sagte", "."]
    assert {r.id for r in phrase} == {"a3"}


def test_excluded_words_are_not_rows(kwic_engine):
    found = rows(kwic_engine, "Haushalt -Koalition")
    assert "a1" not in {r.id for r in found}
    assert all(r.match != "Koalition" for r in found)


def test_a_query_without_words_has_no_rows_and_says_why(kwic_engine):
    response = concordance(kwic_engine, KwicRequest(SearchRequest(q="datum:2024")))
    assert response.rows == [] and response.articles == 4 and response.articles_read == 0
    assert response.warnings


def test_sorts_and_cursor_pages_give_every_row_once(kwic_engine):
    everything = rows(kwic_engine, "Haushalt")
    dates = [r.date for r in everything]
    assert dates == sorted(dates, reverse=True)
    for sort in ("newest", "oldest", "left", "right"):
        whole = list(concordance_rows(kwic_engine, KwicRequest(SearchRequest(q="Haushalt"),
                                                                sort=sort)))
        paged, cursor = [], None
        while True:
            page = concordance(kwic_engine, KwicRequest(SearchRequest(q="Haushalt"), sort=sort,
                                                        size=2, cursor=cursor))
            paged += page.rows
            cursor = page.next_cursor
            if cursor is None:
                break
        key = [(r.id, r.field, r.start) for r in whole]
        assert [(r.id, r.field, r.start) for r in paged] == key
        assert len(set(key)) == len(key) == 8
    left = rows(kwic_engine, "Haushalt", sort="left")
    words = [(r.left.split()[-1].strip(".,").casefold() if r.left else "") for r in left]
    assert words == sorted(words)
    assert words[0] == ""  # the titles that start with the word come first


def test_a_page_stops_at_its_article_budget_and_the_cursor_goes_on(kwic_engine, monkeypatch):
    import search.kwic

    whole = rows(kwic_engine, "Haushalt")
    monkeypatch.setattr(search.kwic, "MAX_READ_PER_PAGE", 1)
    paged, cursor, pages = [], None, 0
    while True:
        page = concordance(kwic_engine, KwicRequest(SearchRequest(q="Haushalt"), size=100,
                                                    cursor=cursor))
        assert page.articles_read == 1
        paged += page.rows
        pages += 1
        cursor = page.next_cursor
        if cursor is None:
            break
    assert pages == 4 and [(r.id, r.start) for r in paged] == [(r.id, r.start) for r in whole]


def test_left_right_sort_bounds_the_articles_read(kwic_engine, monkeypatch):
    import search.kwic

    monkeypatch.setattr(search.kwic, "MAX_SORT_ARTICLES", 2)
    response = concordance(kwic_engine, KwicRequest(SearchRequest(q="Haushalt"), sort="right"))
    assert not response.complete and response.articles_read == 2 and response.articles == 4
    assert response.occurrences is None and response.warnings
    assert {r.date for r in response.rows} == {"2024-03-01", "2024-02-01"}


def test_bad_requests_name_the_parameter(kwic_engine):
    for kwargs, parameter in (({"width": 0}, "width"), ({"size": 501}, "size"),
                              ({"sort": "middle"}, "sort"), ({"cursor": "xyz"}, "cursor")):
        with pytest.raises(InvalidRequest) as info:
            concordance(kwic_engine, KwicRequest(SearchRequest(q="Haushalt"), **kwargs))
        assert info.value.parameter == parameter
    other = concordance(kwic_engine, KwicRequest(SearchRequest(q="Haushalt"), size=1))
    with pytest.raises(InvalidRequest):  # a cursor of another query
        concordance(kwic_engine, KwicRequest(SearchRequest(q="Minister"),
                                             cursor=other.next_cursor))


# the web and the CLI -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def client(kwic_index):
    from web import create_app

    return create_app({"TESTING": True, "INDEX_DIR": str(kwic_index)}).test_client()


def test_api_pages_and_exports(client):
    page = client.get("/api/kwic?q=Haushalt&size=4&section=Inland&width=3")
    assert page.status_code == 200
    data = page.get_json()
    assert len(data["rows"]) == 4 and data["next_cursor"] and data["articles"] == 3
    following = client.get(data["links"]["next"]).get_json()
    assert len(following["rows"]) == 3  # 7 occurrences in the three Inland articles
    assert following["width"] == 3 and len(following["rows"][0]["left"].split()) <= 3
    assert following["next_cursor"] is None
    exported = client.get("/api/kwic?q=Haushalt&format=csv&section=Inland&width=3")
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    table = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
    assert [(r["id"], int(r["start"]), r["left"]) for r in table] == \
        [(r["id"], r["start"], r["left"]) for r in data["rows"] + following["rows"]]
    lines = client.get("/api/kwic?q=Haushalt&format=jsonl&limit=3").get_data(as_text=True)
    records = [json.loads(line) for line in lines.splitlines()]
    assert len(records) == 3 and records[0]["match"] == "Haushalt"


def test_api_errors(client):
    for query, parameter in (("q=Haushalt&width=31", "width"), ("q=Haushalt&sort=relevance",
                                                                 "sort"),
                             ("q=Haushalt&page=2", "page"), ("q=Haushalt&cursor=%%%", "cursor"),
                             ("q=Haushalt&limit=0&format=csv", "limit")):
        response = client.get(f"/api/kwic?{query}")
        assert response.status_code == 400, query
        assert response.get_json()["error"]["parameter"] == parameter


def test_belegstellen_page(client):
    from bs4 import BeautifulSoup

    html = client.get("/belegstellen?q=Minister&sort=left").get_data(as_text=True)
    soup = BeautifulSoup(html, "html.parser")
    matches = [m.get_text() for m in soup.select("td.kwic-match mark")]
    assert "Verteidigungsministerin" in matches and "Minister" in matches
    assert soup.select_one("td.kwic-source a")["href"].startswith("/artikel/")
    search = BeautifulSoup(client.get("/?q=Minister").get_data(as_text=True), "html.parser")
    assert search.select_one("a.kwic-link")["href"] == "/belegstellen?q=Minister"
    bad = client.get("/belegstellen?q=Minister&width=abc")
    assert bad.status_code == 400 and "width" in bad.get_data(as_text=True)


def test_cli(kwic_index, runner):
    from pressearchiv.cli import cli

    result = runner.invoke(cli, ["kwic", "Haushalt", "--index", str(kwic_index), "--format",
                                 "jsonl", "--sort", "oldest"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    assert len(records) == 8 and records[0]["date"] == "2023-12-24"
    text = runner.invoke(cli, ["kwic", "Selensky", "--index", str(kwic_index)])
    assert text.exit_code == 0 and "Selenskyj" in text.output and "2 Belegstellen" in text.output


@pytest.mark.parametrize("q", ["Minister", "Regierung", "Ukraine", "Selensky", "NATO", "EU",
                               "Sanktion*", "Bundes*", "1.000", "Prozent"])
def test_the_quick_word_search_finds_what_the_analysis_finds(engine, monkeypatch, q):
    """Words are found by distinct word forms and one regular expression; the same rows
    (spans, contexts, keys) as analysing every word, on the sample corpus."""
    import search.kwic

    for width in (1, 8):
        request = KwicRequest(SearchRequest(q=q), sort="right", width=width)
        quick = [r.to_dict() for r in concordance_rows(engine, request)]
        monkeypatch.setattr(search.kwic, "_word_spans", lambda text, forms: None)
        analysed = [r.to_dict() for r in concordance_rows(engine, request)]
        monkeypatch.undo()
        assert quick == analysed
        assert quick or q == "1.000"
