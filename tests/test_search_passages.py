"""Ranking of pasted passages (op=or): compounds by their parts, hyphenated words once.

A real index of a few articles; the passage set of ``bench/relevance.py`` measures
the effect on real text, these tests pin the behaviour.
"""
import json

import pytest

from indexer.build import build_index
from search import open_engine
from search.evaluate import QUERY_PART_WEIGHT
from search.models import SearchRequest

ARTICLES = [
    {"id": "whole", "title": "Brand in Flüchtlingsheim",
     "body": "In der Nacht brannte ein Flüchtlingsheim am Stadtrand. Die Polizei ermittelt."},
    {"id": "parts", "title": "Feuer in einem Heim",
     "body": "Ein Heim, in dem Flüchtlinge wohnen, stand in der Nacht in Flammen."},
    {"id": "other", "title": "Neue Buslinie am Stadtrand",
     "body": "Die Stadt eröffnet eine neue Buslinie. Die Fahrgäste freuen sich."},
    {"id": "nato", "title": "Treffen in Brüssel",
     "body": "Der NATO-Generalsekretär traf die Verteidigungsminister in Brüssel."},
    {"id": "nato-parts", "title": "Ein Generalsekretär in Brüssel",
     "body": "Die NATO hat einen neuen Generalsekretär, der in Brüssel sitzt."},
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    base = tmp_path_factory.mktemp("passages")
    source = base / "articles.jsonl"
    source.write_text("".join(json.dumps(dict(a, lang="de"), ensure_ascii=False) + "\n"
                              for a in ARTICLES), encoding="utf-8")
    build_index([str(source)], base / "index")
    return open_engine(base / "index")


def hits(engine, q, op="or", **kw):
    return engine.search(SearchRequest(q=q, op=op, size=10, **kw)).hits


def test_an_or_query_reaches_a_compound_by_its_parts(engine):
    ids = [h.id for h in hits(engine, "Flüchtlingsheim Stadtrand")]
    assert ids[0] == "whole"  # the compound itself ranks first
    assert "parts" in ids  # "Heim" and "Flüchtlinge" without the compound
    assert ids.index("parts") > ids.index("whole")
    assert QUERY_PART_WEIGHT < 1


def test_and_queries_are_not_widened_by_parts(engine):
    assert [h.id for h in hits(engine, "Flüchtlingsheim", op="and")] == ["whole"]
    assert [h.id for h in hits(engine, "Flüchtlingsheim Nacht", op="and")] == ["whole"]


def test_parts_are_marked_in_snippets(engine):
    parts = next(h for h in hits(engine, "Flüchtlingsheim Stadtrand") if h.id == "parts")
    html = " ".join(s.html for s in parts.snippets)
    assert "<mark>Heim</mark>" in html and "<mark>Flüchtlinge</mark>" in html


def test_a_hyphenated_word_counts_once(engine):
    # the article writing "NATO-Generalsekretär" matches the whole term and both parts;
    # its score is the better of the two, not their sum
    with engine._lease() as snap:
        doc = snap.docnum_of("nato")

        def score(term):
            docs, scores = snap.bm25("text", term)
            return float(scores[list(docs).index(doc)])

        whole = score("nato-generalsekretar")
        parts = score("nato") + score("generalsekretar")
    got = next(h for h in hits(engine, "NATO-Generalsekretär", op="and") if h.id == "nato")
    assert got.score == pytest.approx(max(whole, parts), abs=1e-3)
    assert {h.id for h in hits(engine, "NATO-Generalsekretär", op="and")} == {"nato",
                                                                             "nato-parts"}
