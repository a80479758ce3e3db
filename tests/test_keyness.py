"""Keywords (keyness) and co-occurrence: the statistics against hand-computed values and
scipy, real indexes built in tmp folders, the API, the pages and the CLI."""
from __future__ import annotations

import csv
import io
import math
import xml.etree.ElementTree as ET

import networkx as nx
import numpy as np
import pytest
from scipy.stats import chi2_contingency

from indexer.analysis import analyze
from search import open_engine
from search.association import (cooccurrence_log_likelihood, log_dice, log_ratio,
                                signed_log_likelihood)
from search.cooccurrence import CooccurrenceRequest, cooccurrence, network
from search.keywords import KeywordsRequest, keywords
from search.models import SearchRequest
from tests.conftest import CORPUS as REPO_CORPUS
from tests.conftest import ZEITGEIST, ZEITGEIST_FIELDS, needs_shared_data, write_native


# statistics -------------------------------------------------------------------------------

def _g2_by_hand(a, b, n1, n2):
    """2 Σ O ln(O/E) over the four cells, written out."""
    n = n1 + n2
    cells = [(a, n1 * (a + b) / n), (n1 - a, n1 * (n - a - b) / n),
             (b, n2 * (a + b) / n), (n2 - b, n2 * (n - a - b) / n)]
    return 2 * sum(o * math.log(o / e) for o, e in cells if o)


@pytest.mark.parametrize("a, b, n1, n2", [(10, 5, 100, 1000), (4, 0, 10, 10), (3, 40, 50, 400),
                                          (1, 900, 20, 1000)])
def test_g2_equals_hand_computed_and_scipy(a, b, n1, n2):
    ours = float(signed_log_likelihood(a, b, n1, n2))
    assert abs(ours) == pytest.approx(_g2_by_hand(a, b, n1, n2), rel=1e-9)
    table = np.array([[a, n1 - a], [b, n2 - b]])
    g2, _, _, _ = chi2_contingency(table, correction=False, lambda_="log-likelihood")
    assert abs(ours) == pytest.approx(g2, rel=1e-9)
    assert (ours > 0) == (a / n1 > b / n2)  # signed: + over-represented


def test_fixed_tables():
    # a=10 of 100 against b=5 of 1000; expected cells 1.364, 98.64, 13.64, 986.4:
    # 2 (10 ln 7.333 + 90 ln 0.9124 + 5 ln 0.3667 + 995 ln 1.00876) = 2 (19.924 - 8.247
    # - 5.017 + 8.677) = 30.67
    assert float(signed_log_likelihood(10, 5, 100, 1000)) == pytest.approx(30.6702, abs=1e-3)
    # Log Ratio: log2((10/100)/(5/1000)) = log2(20); a zero count is 0.5: log2(0.4/0.05) = 3
    assert float(log_ratio(10, 5, 100, 1000)) == pytest.approx(math.log2(20))
    assert float(log_ratio(4, 0, 10, 10)) == pytest.approx(3.0)
    assert float(log_ratio(0, 4, 10, 10)) == pytest.approx(-3.0)
    assert float(signed_log_likelihood(1, 900, 20, 1000)) < 0  # under-represented
    # logDice: 14 + log2(2*5/(10+10)) = 13; the maximum 14 when always together
    assert float(log_dice(5, 10, 10)) == pytest.approx(13.0)
    assert float(log_dice(7, 7, 7)) == pytest.approx(14.0)
    # co-occurrence G²: the 2x2 table of x's articles against the rest, naming y or not
    table = np.array([[6, 4], [14, 976]])
    g2, _, _, _ = chi2_contingency(table, correction=False, lambda_="log-likelihood")
    assert float(cooccurrence_log_likelihood(6, 10, 20, 1000)) == pytest.approx(g2)


# a small hand-built index ------------------------------------------------------------------

FILLER = ("Der Ausschuss beriet am Montag über den Bericht. Die Sitzung dauerte mehrere "
          "Stunden, danach wurde eine Erklärung veröffentlicht.")


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """40 articles; the 6 on the budget (Haushalt) alone write Zölle."""
    from indexer.build import build_index

    root = tmp_path_factory.mktemp("keyness")
    docs = root / "docs"
    for i in range(40):
        if i < 6:
            title = f"Haushalt {i} im Parlament"
            body = f"Der Haushalt und die Zölle. {FILLER}"
        else:
            title = f"Meldung {i} aus dem Parlament"
            body = f"{FILLER} Thema {i % 5} der Woche: Verkehr und Schule."
        write_native(docs, f"{i:03d}_{i:016x}.txt", f"2024-0{1 + i % 3}-10", "Politik",
                     title, body)
    # an exact duplicate of a budget article counts once
    write_native(docs, f"900_{900:016x}.txt", "2024-01-10", "Politik",
                 "Haushalt 0 im Parlament", f"Der Haushalt und die Zölle. {FILLER}")
    build_index([str(docs)], root / "index", enrich=False)
    return open_engine(root / "index")


def test_a_word_planted_in_the_focus_ranks_first_as_written(planted):
    result = keywords(planted, KeywordsRequest(SearchRequest(q="Haushalt")))
    first = result.overall.terms[0]
    assert (first.term, first.label) == ("zoll", "Zölle")  # written form, not the stem
    assert result.overall.focus_articles == 6  # the duplicate counted once
    assert (first.focus_count, first.reference_count) == (6, 0)
    assert result.overall.reference_articles == 34
    assert first.g2 == pytest.approx(float(signed_log_likelihood(6, 0, 6, 34)), abs=1e-3)
    assert "haushalt" not in [k.term for k in result.overall.terms]  # the query's own word
    assert "G²" in result.method and "Log Ratio" in result.method


def test_keywords_per_period_and_reference_query(planted):
    result = keywords(planted, KeywordsRequest(SearchRequest(q="Haushalt"), min_count=1,
                                               interval="month"))
    assert [p.period for p in result.periods] == ["2024-01", "2024-02", "2024-03"]
    assert sum(p.focus_articles for p in result.periods) == 6
    assert all(p.terms[0].label == "Zölle" for p in result.periods)
    rows = list(result.rows())
    assert {r["period"] for r in rows} == {"2024-01", "2024-02", "2024-03"}
    # against another query's result: the focus never counts in the reference
    against = keywords(planted, KeywordsRequest(SearchRequest(q="Haushalt"),
                                                reference_q="Parlament"))
    assert against.overall.reference_articles == 34
    assert against.reference["kind"] == "query"


def test_sample_is_stated(planted):
    result = keywords(planted, KeywordsRequest(SearchRequest(q="Parlament"), sample=100))
    assert result.overall.focus_sample == result.overall.focus_articles == 40
    # everything matched: nothing left to compare with
    assert result.overall.reference_articles == 0 and result.warnings


@pytest.fixture(scope="module")
def people(tmp_path_factory):
    """Six articles naming persons; Selenskyj written two ways."""
    from indexer.build import build_index

    root = tmp_path_factory.mktemp("people")
    texts = [
        "Bundeskanzler Olaf Scholz empfing den ukrainischen Präsidenten Volodymyr Zelensky.",
        "Bundeskanzler Olaf Scholz sprach mit Präsident Wolodymyr Selenskyj über Hilfe.",
        "Bundeskanzler Olaf Scholz traf den französischen Präsidenten Emmanuel Macron.",
        "Der ukrainische Präsident Wolodymyr Selenskyj bat um weitere Unterstützung.",
        "Der französische Präsident Emmanuel Macron hielt eine Rede.",
        "Das Wetter bleibt am Wochenende wechselhaft und kühl.",
    ]
    for i, text in enumerate(texts):
        write_native(root / "docs", f"{i:03d}_{i + 1:016x}.txt", "2024-05-0" + str(i + 1),
                     "Politik", f"Meldung {i}", text)
    build_index([str(root / "docs")], root / "index")
    return open_engine(root / "index")


def test_cooccurrence_counts_on_a_hand_built_index(people):
    result = cooccurrence(people, CooccurrenceRequest(SearchRequest(persons=["Scholz"]),
                                                      kinds=["person"], min_count=1))
    assert result.overall.target_articles == 3 and result.overall.universe_articles == 6
    [selenskyj] = result.overall.items  # Macron: 1 shared article, expected 3*2/6 = 1: left out
    assert selenskyj.name == "Wolodymyr Selenskyj"  # both spellings, one person
    assert (selenskyj.count, selenskyj.frequency) == (2, 3)
    assert selenskyj.expected == pytest.approx(1.5)
    assert selenskyj.log_dice == pytest.approx(14 + math.log2(2 * 2 / (3 + 3)), abs=1e-3)
    table = np.array([[2, 1], [1, 2]])
    g2, _, _, _ = chi2_contingency(table, correction=False, lambda_="log-likelihood")
    assert selenskyj.g2 == pytest.approx(g2, abs=1e-3)


def test_aliases_are_one_node_and_exports_parse(people):
    net = network(people, CooccurrenceRequest(SearchRequest(q="Präsident"), kinds=["person"],
                                              min_count=1))
    names = [n.name for n in net.nodes]
    assert names.count("Wolodymyr Selenskyj") == 1
    assert {n.name: n.count for n in net.nodes}["Wolodymyr Selenskyj"] == 3
    g = nx.read_graphml(io.BytesIO(net.graphml()))
    assert sorted(d["label"] for _, d in g.nodes(data=True)) == sorted(names)
    assert g.number_of_edges() == len(net.edges)
    root = ET.fromstring(net.svg())  # well-formed
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert len(root.findall(".//{http://www.w3.org/2000/svg}circle")) == len(net.nodes)
    assert net.svg() == network(people, CooccurrenceRequest(
        SearchRequest(q="Präsident"), kinds=["person"], min_count=1)).svg()  # deterministic


# the web layer ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def client(planted):
    from web import create_app

    return create_app({"ENGINE": planted, "TESTING": True,
                       "KEYWORD_PANEL_WAIT": 10.0}).test_client()


def test_api_keywords_and_errors(client):
    data = client.get("/api/keywords?q=Haushalt&size=5").get_json()
    assert data["terms"][0]["label"] == "Zölle"
    assert data["terms"][0]["search_url"].startswith("/?q=Haushalt+Z")
    assert data["terms"][0]["concordance_url"].startswith("/belegstellen?q=Z")
    body = client.get("/api/keywords?q=Haushalt&interval=month&min_count=1&format=csv"
                      ).get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(body)))
    assert {r["period"] for r in rows} == {"2024-01", "2024-02", "2024-03"}
    for url, parameter in [("/api/keywords?q=x&size=0", "size"),
                           ("/api/keywords?q=x&interval=week", "interval"),
                           ("/api/keywords?q=x&ref_to=2024-02-30", "ref_to"),
                           ("/api/keywords?q=x&nope=1", "nope"),
                           ("/api/cooccurrence", "q"),
                           ("/api/cooccurrence?q=x&kind=thing", "kind"),
                           ("/api/cooccurrence?q=x&sort=weight", "sort"),
                           ("/api/network?q=x&nodes=1", "nodes"),
                           ("/api/network?q=x&format=png", "format")]:
        response = client.get(url)
        assert response.status_code == 400, url
        assert response.get_json()["error"]["parameter"] == parameter


def test_search_page_has_the_panel_and_the_network_page_draws(client):
    from bs4 import BeautifulSoup

    page = BeautifulSoup(client.get("/?q=Haushalt").data, "html.parser")
    panel = page.find(id="typische-begriffe").parent
    assert panel.find("span", class_="value").get_text() == "Zölle"
    network_page = client.get("/netzwerk?q=Haushalt")
    assert network_page.status_code == 200 and "Wer mit wem" in network_page.get_data(as_text=True)
    svg = client.get("/api/network?q=Parlament&format=svg")
    assert svg.content_type.startswith("image/svg+xml")
    ET.fromstring(svg.data)


def test_cli_keywords(runner, planted):
    from pressearchiv.cli import cli

    index = planted.store.root
    result = runner.invoke(cli, ["keywords", "Haushalt", "--index", str(index), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert list(csv.DictReader(io.StringIO(result.output)))[0]["label"] == "Zölle"
    result = runner.invoke(cli, ["cooccurrence", "--index", str(index)])
    assert result.exit_code == 2 and "--q" not in result.output


# the real news file --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def zeitgeist(tmp_path_factory):
    from indexer.build import build_index
    from indexer.readers import ReadOptions, parse_field_map

    if not ZEITGEIST.exists():
        pytest.skip(f"{ZEITGEIST} is absent")
    path = tmp_path_factory.mktemp("zeitgeist-keyness")
    build_index([str(ZEITGEIST)], path,
                options=ReadOptions(field_map=parse_field_map(ZEITGEIST_FIELDS)))
    return open_engine(path)


@needs_shared_data()
def test_news_event_lists_its_names_above_generic_words(zeitgeist):
    result = keywords(zeitgeist, KeywordsRequest(SearchRequest(q="Gaza")))
    top = [k.label for k in result.overall.terms]
    for distinctive in ("Gazastreifen", "Hamas", "Geiseln", "Netanjahu"):
        assert distinctive in top[:10], top
    for generic in ("Regierung", "Prozent", "Montag", "sagte"):
        assert generic not in top, top
    names = [k.label for k in result.overall.entities]
    assert "Hamas" in names[:5] and "Israel" in names[:5]


@needs_shared_data()
def test_news_politician_cooccurrences_are_plausible(zeitgeist):
    result = cooccurrence(zeitgeist, CooccurrenceRequest(SearchRequest(persons=["Merz"]),
                                                         size=30))
    names = [c.name for c in result.overall.items]
    assert "CDU" in names[:5] and "Friedrich Merz" not in names
    assert {"SPD", "Bundestag", "Jens Spahn", "Markus Söder"} <= set(names)
    assert all(c.count > c.expected for c in result.overall.items)
    by_g2 = cooccurrence(zeitgeist, CooccurrenceRequest(SearchRequest(persons=["Merz"]),
                                                        sort="g2"))
    g2s = [c.g2 for c in by_g2.overall.items]
    assert g2s == sorted(g2s, reverse=True) and by_g2.overall.items[0].name == "CDU"


# merges, deletions and segments without term vectors -----------------------------------

def test_merged_segments_and_deletions_give_a_fresh_builds_keywords(tmp_path):
    """Updates that replace articles (deleting the old versions) and merge segments: the
    keyword lists equal those of a fresh build of the same articles, and every segment's
    forward index equals the one read back from its posting lists."""
    import shutil

    from indexer import termvectors, whoosh_compat
    from indexer.build import build_index
    from indexer.store import IndexStore
    from tests.conftest import CORPUS
    from whoosh import index as whoosh_index

    src, index_dir = tmp_path / "src", tmp_path / "index"
    corpus = sorted(CORPUS.glob("*.txt"))
    src.mkdir()
    for path in corpus[:10]:
        shutil.copy(path, src)
    build_index([str(src)], index_dir, segment_docs=40)
    merged = 0
    for step, path in enumerate(corpus[10:24]):
        shutil.copy(path, src)
        changed = src / corpus[step % 10].name
        changed.write_text(changed.read_text(encoding="utf-8") + f"\nNachtrag {step}.\n",
                           encoding="utf-8")
        merged += build_index([str(src)], index_dir, segment_docs=40).merged
    assert merged > 0
    fresh = tmp_path / "fresh"
    build_index([str(src)], fresh)
    ours, theirs = open_engine(index_dir), open_engine(fresh)
    with ours._lease() as snap:
        assert not snap.live.all()  # deleted old versions are there, and not counted
    for q in ["Ukraine", "Minister", "Nachtrag"]:
        request = KeywordsRequest(SearchRequest(q=q), min_count=1)
        a, b = keywords(ours, request).overall, keywords(theirs, request).overall
        assert (a.focus_articles, a.reference_articles) == (b.focus_articles, b.reference_articles)
        assert [(k.term, k.focus_count, k.reference_count, k.g2) for k in a.terms] == \
            [(k.term, k.focus_count, k.reference_count, k.g2) for k in b.terms], q
        # written forms: each a form of its term; the same as a fresh build's but where
        # two forms compete across merged segments (merges keep each segment's top form)
        assert all(k.term in {t.text for t in analyze(k.label)} for k in a.terms), q
        same = sum(x.label == y.label for x, y in zip(a.terms, b.terms))
        assert same >= 0.8 * len(a.terms), q
        assert a.entities == b.entities
    from whoosh.reading import SegmentReader

    ix = whoosh_index.open_dir(str(IndexStore(index_dir).current()))
    for segment in whoosh_compat.segments(ix):
        reader = SegmentReader(ix.storage, ix.schema, segment)
        stored = termvectors.read(termvectors.path_for(ix.storage, segment))
        rebuilt = termvectors.from_reader(reader)
        assert np.array_equal(stored.indptr, rebuilt.indptr)
        assert np.array_equal(stored.ordinals, rebuilt.ordinals)
        assert np.array_equal(stored.df, rebuilt.df)
        reader.close()


def test_a_segment_without_term_vectors_is_read_from_its_postings(tmp_path):
    from indexer.build import build_index
    from indexer.store import IndexStore

    index_dir = tmp_path / "index"
    build_index([str(REPO_CORPUS)], index_dir)
    request = KeywordsRequest(SearchRequest(q="Ukraine"), min_count=2)
    before = keywords(open_engine(index_dir), request).overall
    for path in IndexStore(index_dir).current().glob("*.tvec"):
        path.unlink()
    after = keywords(open_engine(index_dir), request).overall
    assert [(k.term, k.focus_count, k.reference_count) for k in after.terms] == \
        [(k.term, k.focus_count, k.reference_count) for k in before.terms]
    assert after.entities == before.entities

