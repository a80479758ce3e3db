"""Ranking of pasted passages (op=or): compounds by their parts, hyphenated words once,
the scoring of long pastes (``search.evaluate.PASSAGE_WORDS``).

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


# Eleven words no article has: with "Polizei" a pasted passage of twelve words.
NOWHERE = "Xylofon Quarzuhr Zebrafink Walross Kupferkessel Tulpenzwiebel Gondel Moorhuhn " \
          "Lakritz Pelikan Harfe"


def _score_of(engine, q, doc_id):
    hit = next(h for h in hits(engine, q, syntax="plain") if h.id == doc_id)
    return hit.score


def test_a_pasted_passage_is_scored_with_full_length_normalisation(engine):
    from search.evaluate import PASSAGE_B, PASSAGE_WORDS
    from search.snapshot import B, K1

    q = "Polizei " + NOWHERE
    assert len(q.split()) >= PASSAGE_WORDS
    with engine._lease() as snap:
        doc = snap.docnum_of("whole")
        docs, tf = snap.postings.read("text", "polizei")
        i = list(docs).index(doc)
        idf = snap.idf(len(docs))
        norm = K1 * (1 - PASSAGE_B + PASSAGE_B * snap.lengths[doc] / snap.avg_length)
        expected = idf * tf[i] * (K1 + 1) / (tf[i] + norm)
        bm25 = float(snap.bm25("text", "polizei")[1][i])
    assert _score_of(engine, q, "whole") == pytest.approx(expected, rel=1e-3)
    # a short query keeps BM25 as it is: the same word scores otherwise there
    assert _score_of(engine, "Polizei Xylofon", "whole") == pytest.approx(bm25, rel=1e-3)
    assert PASSAGE_B > B and abs(expected - bm25) > 0.01


def test_in_a_pasted_passage_the_shorter_report_of_the_same_words_ranks_first(tmp_path):
    from search.evaluate import PASSAGE_WORDS

    padding = " ".join(f"Satz {i} handelt von etwas anderem." for i in range(40))
    articles = [
        {"id": "short", "title": "Streik bei der Bahn", "body": "Die Lokführer streiken."},
        {"id": "long", "title": "Streik bei der Bahn",
         "body": "Die Lokführer streiken. " + padding},
        *({"id": f"n{i}", "title": f"Meldung {i}", "body": f"Nichts über Züge, Nummer {i}."}
          for i in range(6)),
    ]
    source = tmp_path / "articles.jsonl"
    source.write_text("".join(json.dumps(dict(a, lang="de"), ensure_ascii=False) + "\n"
                              for a in articles), encoding="utf-8")
    build_index([str(source)], tmp_path / "index")
    eng = open_engine(tmp_path / "index")
    q = "Streik Bahn Lokführer " + NOWHERE
    assert len(q.split()) >= PASSAGE_WORDS
    ranked = [h.id for h in hits(eng, q, syntax="plain")]
    assert ranked[:2] == ["short", "long"]
    short, long_ = (_score_of(eng, q, d) for d in ("short", "long"))
    assert long_ < 0.6 * short  # length normalisation: the padded report counts far less
