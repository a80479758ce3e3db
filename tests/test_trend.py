"""Outlets as a facet and filter, word counts, and attention over time (search.trend,
/api/trend, /zeitverlauf, pressearchiv trend), on small indexes built here whose numbers
are counted by hand, and on the zeitgeist news file."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import ZEITGEIST, ZEITGEIST_FIELDS

# Six articles. r6 has the text of r1 (an exact duplicate, later, another outlet); r5 is
# undated; February 2024 has none. Word counts (analysis.count_words, stop words included):
# r1 2 + 8 = 10, r2 3 + 4 = 7, r3 3 + 3 = 6, r4 3 + 3 = 6.
RECORDS = [
    {"id": "r1", "date": "2024-01-05", "url": "https://www.tagesschau.de/inland/1",
     "title": "Haushalt beschlossen",
     "body": "Der Bundestag beschließt den Haushalt. Der Haushalt wächst."},
    {"id": "r2", "date": "2024-01-20", "url": "https://www.zeit.de/politik/2",
     "title": "Streit um Rente", "body": "Die Rente steigt nicht."},
    {"id": "r3", "date": "2024-03-02", "url": "https://m.zeit.de/3",
     "title": "Haushalt und Rente", "body": "Haushalt Haushalt Rente."},
    {"id": "r4", "date": "2024-03-15", "source": "DER STANDARD",
     "url": "https://www.derstandard.at/4", "title": "Wetter in Wien", "body": "Sonne und Regen."},
    {"id": "r5", "url": "https://www.tagesschau.de/5", "title": "Haushalt ohne Datum",
     "body": "Ein Haushalt."},
    {"id": "r6", "date": "2024-03-20", "url": "https://www.zeit.de/6",
     "title": "Haushalt beschlossen",
     "body": "Der Bundestag beschließt den Haushalt. Der Haushalt wächst."},
]


def _build(folder: Path, records=RECORDS) -> Path:
    from indexer.build import build_index

    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "articles.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                      encoding="utf-8")
    index = folder / "index"
    build_index([str(source)], index, jobs=1, enrich=False)
    return index


@pytest.fixture(scope="module")
def small_index(tmp_path_factory):
    return _build(tmp_path_factory.mktemp("trend-small"))


@pytest.fixture(scope="module")
def small(small_index):
    from search import open_engine

    return open_engine(small_index)


def _trend(engine, filters=None, **kwargs):
    from search.models import SearchRequest
    from search.trend import TrendRequest, trend

    return trend(engine, TrendRequest(filters=filters or SearchRequest(), **kwargs))


# -- outlets ---------------------------------------------------------------------------

def test_outlet_facet_counts_and_filter(small):
    from search.models import SearchRequest

    facet = small.search(SearchRequest()).facets["outlet"]
    assert {v.value: v.count for v in facet.values} == {
        "zeit.de": 3, "tagesschau.de": 2, "DER STANDARD": 1}
    found = small.search(SearchRequest(outlets=["ZEIT.DE"], size=10))
    assert sorted(h.id for h in found.hits) == ["r2", "r3", "r6"]
    either = small.search(SearchRequest(outlets=["tagesschau.de", "DER STANDARD"], size=10))
    assert sorted(h.id for h in either.hits) == ["r1", "r4", "r5"]
    chosen = either.facets["outlet"].values  # its own filter left out: all three counted
    assert {v.value: (v.count, v.selected) for v in chosen} == {
        "zeit.de": (3, False), "tagesschau.de": (2, True), "DER STANDARD": (1, True)}


def test_outlet_in_the_api_and_on_the_page(small_index):
    from bs4 import BeautifulSoup

    from web import create_app

    client = create_app({"TESTING": True, "INDEX_DIR": str(small_index)}).test_client()
    body = client.get("/api/search?outlet=zeit.de").get_json()
    assert body["total"] == 3
    values = {v["value"]: v for v in body["facets"]["outlet"]["values"]}
    assert values["zeit.de"]["selected"] and "outlet=zeit.de" not in values["zeit.de"]["url"]
    assert "outlet=tagesschau.de" in values["tagesschau.de"]["url"]
    page = BeautifulSoup(client.get("/?outlet=zeit.de").get_data(as_text=True), "html.parser")
    boxes = {b["value"]: b.has_attr("checked")
             for b in page.select(".facet-outlet input[name=outlet]")}
    assert boxes == {"zeit.de": True, "tagesschau.de": False, "DER STANDARD": False}
    chips = [c.get_text(" ", strip=True) for c in page.select(".chip.removable")]
    assert any("Medium" in c and "zeit.de" in c for c in chips)


def test_an_index_without_the_new_columns_still_serves(tmp_path):
    """Doc values written before ``outlet`` and ``words`` existed: the server computes them
    from the stored fields, and the next index run writes them into the file."""
    from indexer import docvalues
    from indexer.build import build_index
    from search import open_engine
    from search.models import SearchRequest

    index = _build(tmp_path)
    files = list((index / "current").resolve().glob("*.dvals"))
    assert files
    for path in files:
        dv = docvalues.read_file(str(path))
        arrays = {k: np.array(v) for k, v in dv.arrays.items() if k not in docvalues.LATER}
        labels = {k: v for k, v in dv.labels.items() if k not in docvalues.LATER}
        docvalues.write_file(str(path), arrays, labels)
        assert "outlet" not in docvalues.read_file(str(path)).arrays
    engine = open_engine(index)
    facet = engine.search(SearchRequest()).facets["outlet"]
    assert {v.value: v.count for v in facet.values} == {
        "zeit.de": 3, "tagesschau.de": 2, "DER STANDARD": 1}
    ipm = _trend(engine, queries=["Haushalt"], measure="ipm", interval="month")
    assert [b.words for b in ipm.series[0].buckets] == [17, 0, 12]
    more = tmp_path / "more.jsonl"
    more.write_text(json.dumps({"id": "r7", "date": "2024-02-01", "title": "Neu",
                                "body": "Ein neuer Text.", "source": "taz"}) + "\n")
    build_index([str(more)], index, jobs=1, enrich=False)
    for path in files:
        assert {"outlet", "words"} <= set(docvalues.read_file(str(path)).arrays)


def test_merges_carry_outlets_and_words(tmp_path):
    from indexer import docvalues, whoosh_compat
    from indexer.build import build_index
    from indexer.merge import merge_segments
    from indexer.store import open_index

    source = tmp_path / "articles.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS),
                      encoding="utf-8")
    build_index([str(source)], tmp_path / "index", jobs=1, enrich=False, segment_docs=2)
    ix = open_index(tmp_path / "index" / "current")
    segments = whoosh_compat.segments(ix)
    assert len(segments) == 3
    merged = docvalues.read_file(docvalues.segment_path(ix.storage, merge_segments(ix, segments)))
    words = dict(zip(merged["key"].tolist(), merged["words"].tolist()))
    # r5: "Haushalt ohne Datum" 3 + "Ein Haushalt" 2
    assert [words[docvalues.key_hash(r["id"])] for r in RECORDS] == [10, 7, 6, 6, 5, 10]
    outlets = [merged.labels["outlet"][c] for c in merged["outlet"].tolist()]
    assert sorted(outlets) == ["DER STANDARD", "tagesschau.de", "tagesschau.de", "zeit.de",
                               "zeit.de", "zeit.de"]


def test_word_counts_follow_the_analysis():
    from indexer.analysis import count_words
    from indexer.article import Article
    from indexer.documents import to_document

    assert count_words("Der NATO-Generalsekretär sagt: 1.000 Soldaten!") == 6
    assert count_words("The NATO-led mission", "en") == 3
    article = Article(key="x", title="Haushalt beschlossen",
                      body="Der Bundestag beschließt den Haushalt. Der Haushalt wächst.",
                      date=None, section=None, url=None, source=None, lang="de", origin="-",
                      line=1)
    assert to_document(article, enriched=False)["_words"] == 10


# -- trend: hand-counted ---------------------------------------------------------------

def test_counts_share_and_wilson_by_hand(small):
    from search.models import SearchRequest

    result = _trend(small, queries=["Haushalt", "Rente"], measure="share", interval="month")
    assert result.interval == "month"
    assert [(t.key, t.articles) for t in result.totals] == [
        ("2024-01", 2), ("2024-02", 0), ("2024-03", 2)]  # r6 counts as r1, in January
    assert result.undated == 1
    haushalt, rente = result.series
    assert [(b.hits, b.total) for b in haushalt.buckets] == [(1, 2), (0, 0), (1, 2)]
    assert haushalt.undated == 1 and haushalt.hits == 2
    assert [b.value for b in haushalt.buckets] == [0.5, 0.0, 0.5]
    # Wilson, n = 2, p = 1/2, z = 1.959964: centre 0.5, half-width
    # z * sqrt(0.25 / 2 + z^2 / 16) / (1 + z^2 / 2) = 1.184266 / 2.920729 = 0.405470
    assert haushalt.buckets[0].low == pytest.approx(0.094530, abs=1e-5)
    assert haushalt.buckets[0].high == pytest.approx(0.905470, abs=1e-5)
    assert haushalt.buckets[1].low is None and haushalt.buckets[1].value == 0.0
    assert [b.hits for b in rente.buckets] == [1, 0, 1]
    # the dated hits and the undated add up to the search's total
    total = small.search(SearchRequest(q="Haushalt")).total
    assert haushalt.hits + haushalt.undated == total == 3


def test_wilson_against_hand_computed_values():
    from search.trend import wilson

    # 0 of 10: (0, z^2 / (n + z^2)) = (0, 3.841459 / 13.841459)
    assert wilson(0, 10) == (0.0, pytest.approx(0.277533, abs=1e-6))
    # 8 of 10: centre (0.8 + 0.192073) / 1.384146 = 0.716741; half-width
    # 1.959964 * sqrt(0.016 + 0.009604) / 1.384146 = 0.226578
    low, high = wilson(8, 10)
    assert low == pytest.approx(0.490162, abs=1e-5) and high == pytest.approx(0.943318, abs=1e-5)
    assert wilson(0, 0) == (None, None)


def test_count_and_ipm_by_hand(small):
    count = _trend(small, queries=["Haushalt"], measure="count", interval="month")
    assert [b.value for b in count.series[0].buckets] == [1.0, 0.0, 1.0]
    ipm = _trend(small, queries=["Haushalt"], measure="ipm", interval="month")
    buckets = ipm.series[0].buckets
    # January: "Haushalt" 3 times in r1 (title 1, body 2) of 10 + 7 words; March: 3 in r3
    # of 6 + 6 words (r6 is r1's duplicate and counts in January only)
    assert [(b.occurrences, b.words) for b in buckets] == [(3, 17), (0, 0), (3, 12)]
    assert buckets[0].value == pytest.approx(3 / 17 * 1e6)
    assert buckets[2].value == pytest.approx(250_000.0)
    assert [t.words for t in ipm.totals] == [17, 0, 12]
    # two terms (positions decoded): January r1 3 + r2 2 ("Rente" twice), March r3 3 + 2
    either = _trend(small, queries=["Haushalt ODER Rente"], measure="ipm", interval="month")
    assert [b.occurrences for b in either.series[0].buckets] == [5, 0, 5]


def test_browse_is_share_one_and_empty_buckets_are_zero(small, engine):
    for eng in (small, engine):
        result = _trend(eng, queries=[""], measure="share")
        buckets = result.series[0].buckets
        assert any(b.total for b in buckets)
        for b in buckets:
            assert b.value == (1.0 if b.total else 0.0) and b.hits == b.total
    week = _trend(small, queries=["Rente"], interval="week")
    assert len(week.totals) == 11  # 2024-W01 … 2024-W11, most of them empty
    assert [b.hits for b in week.series[0].buckets] == [0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0]
    assert week.series[0].buckets[0].key == "2024-W01"


def test_per_bucket_hits_add_up_to_the_search_total(engine):
    from search.models import SearchRequest

    for q in ("Ukraine", "Merz", "Regierung"):
        result = _trend(engine, queries=[q], interval="month")
        series = result.series[0]
        assert sum(b.hits for b in series.buckets) + series.undated \
            == engine.search(SearchRequest(q=q)).total
        assert series.hits > 0


def test_smoothing_and_split_by_outlet(small):
    smoothed = _trend(small, queries=["Haushalt"], interval="month", smooth=3)
    assert [b.smoothed for b in smoothed.series[0].buckets] == pytest.approx(
        [0.5, 2 / 3, 0.5])  # edges average over the buckets there are
    split = _trend(small, queries=["Haushalt"], measure="share", interval="month",
                   split="outlet")
    by_outlet = {s.outlet: s for s in split.series}
    assert set(by_outlet) == {"tagesschau.de", "zeit.de", "DER STANDARD"}
    zeit = by_outlet["zeit.de"]  # r2 (January), r3 (March); r6 is r1's copy
    assert [(b.hits, b.total) for b in zeit.buckets] == [(0, 1), (0, 0), (1, 1)]
    assert zeit.label == "Haushalt – zeit.de"


def test_bad_requests_are_refused(small):
    from search.models import InvalidRequest
    from search.trend import TrendRequest

    for kwargs, parameter in (({"interval": "hour"}, "interval"), ({"measure": "x"}, "measure"),
                              ({"queries": ["a"] * 9}, "q"), ({"smooth": 4}, "smooth")):
        with pytest.raises(InvalidRequest) as err:
            TrendRequest(**kwargs).validate()
        assert err.value.parameter == parameter


def test_too_many_buckets_are_refused(engine):
    from search.models import InvalidRequest

    with pytest.raises(InvalidRequest) as err:  # three years of days, 160 series
        _trend(engine, queries=["Ukraine"] * 8, interval="day", split="outlet", split_size=20)
    assert err.value.parameter == "interval"
    assert len(_trend(engine, queries=["Ukraine"], interval="day").totals) > 1000


def test_auto_interval_keeps_20_to_120_buckets():
    from datetime import date

    from search.trend import choose_interval

    assert choose_interval(date(2024, 1, 1), date(2024, 3, 1)) == "day"
    assert choose_interval(date(2023, 1, 1), date(2024, 12, 31)) == "week"
    assert choose_interval(date(2016, 1, 1), date(2025, 12, 31)) == "month"
    assert choose_interval(date(1900, 1, 1), date(2025, 12, 31)) == "year"


# -- the API, the CSV, the CLI -------------------------------------------------------------

@pytest.fixture(scope="module")
def client(small_index):
    from web import create_app

    return create_app({"TESTING": True, "INDEX_DIR": str(small_index)}).test_client()


@pytest.mark.parametrize("query, parameter", [
    ("interval=hour", "interval"), ("measure=percent", "measure"),
    ("&".join(["q=a"] * 9), "q"), ("smooth=4", "smooth"), ("split=section", "split"),
    ("q=a&label=x&label=y", "label"), ("nope=1", "nope"), ("from=2024-13", "from"),
])
def test_api_refuses_bad_parameters(client, query, parameter):
    response = client.get(f"/api/trend?{query}")
    assert response.status_code == 400
    assert response.get_json()["error"]["parameter"] == parameter


def test_api_json_and_wide_csv(client):
    body = client.get("/api/trend?q=Haushalt&q=Rente&label=Etat&measure=share"
                      "&interval=month&outlet=zeit.de&outlet=tagesschau.de").get_json()
    assert [s["label"] for s in body["series"]] == ["Etat", "Rente"]
    first = body["series"][0]["buckets"][0]
    assert (first["hits"], first["total"]) == (1, 2)  # r1 of r1, r2
    assert "from=2024-01-01" in first["url"] and "outlet=zeit.de" in first["url"]
    text = client.get("/api/trend?q=Haushalt&q=Rente&label=%3DEtat&measure=share"
                      "&interval=month&format=csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["bucket", "start", "end", "'=Etat: hits", "'=Etat: total",
                       "'=Etat: value", "'=Etat: low", "'=Etat: high", "Rente: hits",
                       "Rente: total", "Rente: value", "Rente: low", "Rente: high"]
    assert [r[0] for r in rows[1:]] == ["2024-01", "2024-02", "2024-03"]
    assert rows[1][3:6] == ["1", "2", "0.5"] and rows[2][3:8] == ["0", "0", "0.0", "", ""]


def test_page_draws_and_links(client):
    from bs4 import BeautifulSoup

    html = client.get("/zeitverlauf?q=Haushalt&q=Rente&q=&label=&label=Rente&"
                      "measure=share&interval=month").get_data(as_text=True)
    page = BeautifulSoup(html, "html.parser")
    assert len(page.select("svg.trend-chart polyline")) == 2
    links = page.select("svg.trend-chart a.point")
    assert len(links) == 6 and "from=2024-03-01" in links[2]["href"]
    assert page.select_one("svg.trend-chart title") and page.select_one("svg.trend-chart desc")
    assert len(page.select(".trend-table tbody tr")) == 3
    assert client.get("/zeitverlauf?interval=hour").status_code == 400
    search = BeautifulSoup(client.get("/?q=Haushalt").get_data(as_text=True), "html.parser")
    assert "q=Haushalt" in search.select_one("a.trend-link")["href"]


def test_cli_trend(runner, small_index):
    from pressearchiv.cli import cli

    result = runner.invoke(cli, ["trend", "Haushalt", "Rente", "--measure", "share",
                                 "--interval", "month", "--index", str(small_index)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1].split() == ["2024-01", "2", "50,0", "%", "50,0", "%"]
    bad = runner.invoke(cli, ["trend", "x", "--smooth", "2", "--index", str(small_index)])
    assert bad.exit_code == 2 and "smooth" in bad.output
    narrowed = runner.invoke(cli, ["search", "", "--outlet", "zeit.de", "--index",
                                   str(small_index)])
    assert narrowed.exit_code == 0 and narrowed.output.startswith("3 Treffer"), narrowed.output
    csv_out = runner.invoke(cli, ["trend", "Haushalt", "--format", "csv", "--interval", "year",
                                  "--index", str(small_index)])
    assert csv_out.output.splitlines()[1].startswith("2024,2024-01-01,2024-12-31,2,4,2")


# -- the real news file ------------------------------------------------------------------

@pytest.mark.skipif(not ZEITGEIST.exists(), reason=f"{ZEITGEIST} is absent")
def test_state_elections_peak_in_march_2026(tmp_path):
    """Baden-Württemberg and Rheinland-Pfalz elected their Landtage on 8 and 22 March 2026:
    the share of articles on a Landtagswahl peaks in that month."""
    from indexer.build import build_index
    from indexer.readers import ReadOptions, parse_field_map
    from search import open_engine

    build_index([str(ZEITGEIST)], tmp_path / "index", jobs=1, enrich=False,
                options=ReadOptions(field_map=parse_field_map(ZEITGEIST_FIELDS)))
    result = _trend(open_engine(tmp_path / "index"), queries=["Landtagswahl"],
                    measure="share", interval="month")
    buckets = result.series[0].buckets
    peak = max(buckets, key=lambda b: b.value)
    assert peak.key == "2026-03", [(b.key, b.hits, b.total) for b in buckets]
