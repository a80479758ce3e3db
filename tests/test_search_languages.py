"""Articles in other languages among German ones: found by their words as written.

A real index of a small JSON Lines archive: German articles, and English and French
ones analysed with their own stemmers and stop words. Query words meet every
language's analysis (``search.evaluate.Evaluator._analyses``).
"""
import json

import pytest

from indexer.build import build_index
from search import open_engine
from search.models import SearchRequest

ARTICLES = [
    {"id": "en-budget", "lang": "en", "date": "2024-11-12", "section": "World",
     "title": "Parliament approves new budget rules",
     "body": "The parliament approved the new budget rules on Tuesday. Lawmakers voted "
             "for the rules after a long debate about spending limits and the deficit."},
    {"id": "en-storm", "lang": "en", "date": "2024-11-13", "section": "World",
     "title": "Storm damages houses on the coast",
     "body": "A heavy storm damaged hundreds of houses along the coast. The war on "
             "poverty was the theme of the evening, the mayor said."},
    {"id": "fr-budget", "lang": "fr", "date": "2024-11-14", "section": "Monde",
     "title": "Le gouvernement présente ses règles budgétaires",
     "body": "Les ministres ont présenté les nouvelles règles budgétaires mardi. "
             "L'opposition critique un budget trop faible pour les hôpitaux."},
    {"id": "de-haushalt", "lang": "de", "date": "2024-11-15", "section": "Inland",
     "title": "Bundestag beschließt den Haushalt",
     "body": "Die Regierung hat den Haushalt für das kommende Jahr durch den Bundestag "
             "gebracht. Die Opposition kritisierte die Regeln für neue Schulden."},
    {"id": "de-budget", "lang": "de", "date": "2024-11-16", "section": "Inland",
     "title": "Nationalrat debattiert das Budget",
     "body": "Der Nationalrat hat über das Budget des Bundes debattiert. Die Regierung "
             "verteidigte die Ausgaben für die Pensionen."},
    {"id": "de-sturm", "lang": "de", "date": "2024-11-17", "section": "Inland",
     "title": "Sturm richtet Schäden an",
     "body": "Ein Sturm hat an der Küste Häuser beschädigt. Die Feuerwehr war die ganze "
             "Nacht im Einsatz."},
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    base = tmp_path_factory.mktemp("languages")
    source = base / "articles.jsonl"
    source.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in ARTICLES),
                      encoding="utf-8")
    build_index([str(source)], base / "index")
    return open_engine(base / "index")


def ids(engine, q, **kw):
    return [h.id for h in engine.search(SearchRequest(q=q, size=20, **kw)).hits]


def test_english_words_as_written(engine):
    assert "en-budget" in ids(engine, "budget")
    assert ids(engine, "rules") == ["en-budget"]
    assert ids(engine, "budget rules") == ["en-budget"]
    assert ids(engine, "parliament") == ["en-budget"]


def test_english_inflections_meet(engine):
    for q in ("rule", "approved", "approving", "approves"):
        assert ids(engine, q) == ["en-budget"], q
    assert ids(engine, "damaging houses") == ["en-storm"]


def test_french_words_and_inflections(engine):
    assert ids(engine, "règles") == ["fr-budget"]
    assert ids(engine, "règle budgétaire") == ["fr-budget"]
    assert ids(engine, "ministre") == ["fr-budget"]
    assert "fr-budget" in ids(engine, "budget")


def test_german_analysis_unchanged_beside_them(engine):
    assert ids(engine, "Haushalte") == ["de-haushalt"]
    assert set(ids(engine, "Budgets")) >= {"de-budget"}
    assert ids(engine, "Stürme") == ["de-sturm"]


def test_a_german_stop_word_is_a_word_in_english_articles(engine):
    # "war" and "die" are German stop words: they must not exclude German articles
    # from an AND, yet they are words of English articles
    assert ids(engine, "die Regierung") == ids(engine, "Regierung")
    assert set(ids(engine, "Regierung")) == {"de-haushalt", "de-budget"}
    assert ids(engine, "war poverty") == ["en-storm"]
    assert ids(engine, "war Feuerwehr") == ["de-sturm"]


def test_an_english_stop_word_does_not_exclude_english_articles(engine):
    assert ids(engine, "the budget rules") == ["en-budget"]


def test_phrases_in_each_language(engine):
    assert ids(engine, '"budget rules"') == ["en-budget"]
    assert ids(engine, '"approved the new budget"') == ["en-budget"]
    assert ids(engine, '"rules budget"') == []
    assert ids(engine, '"règles budgétaires"') == ["fr-budget"]
    assert ids(engine, '"neue Schulden"') == ["de-haushalt"]


def test_snippets_mark_the_words_of_other_languages(engine):
    r = engine.search(SearchRequest(q="rules approved", size=5))
    hit = r.hits[0]
    assert hit.id == "en-budget"
    html = " ".join(s.html for s in hit.snippets)
    assert "<mark>rules</mark>" in html and "<mark>approved</mark>" in html
    r = engine.search(SearchRequest(q="règle", size=5))
    assert "<mark>règles</mark>" in " ".join(s.html for s in r.hits[0].snippets)


def test_language_filter_still_applies(engine):
    assert ids(engine, "budget", langs=["en"]) == ["en-budget"]
    assert ids(engine, "budget", langs=["fr"]) == ["fr-budget"]
    assert ids(engine, "budget", langs=["de"]) == ["de-budget"]
    assert ids(engine, "sprache:fr budget") == ["fr-budget"]
