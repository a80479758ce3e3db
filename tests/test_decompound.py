"""The decompounder against hand-made lists of real compounds and non-compounds.

Parts are compared as index terms (folded and stemmed), which is what
search sees: ``schulden`` and ``schuld`` are the same term.
"""
from pathlib import Path

import pytest

from indexer.analysis import term_for
from indexer.decompound import split_compound

DATA = Path(__file__).parent / "data"


def load_compounds():
    rows = DATA.joinpath("compounds.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return [(w, p.split()) for w, p in (r.split("\t") for r in rows if r.strip())]


def load_non_compounds():
    lines = DATA.joinpath("non_compounds.txt").read_text(encoding="utf-8").splitlines()
    return [w.strip() for w in lines if w.strip() and not w.startswith("#")]


def as_terms(parts):
    return [term_for(p) for p in parts]


def test_lists_are_big_enough():
    assert len(load_compounds()) >= 150
    assert len(load_non_compounds()) >= 150


def test_compound_accuracy():
    rows = load_compounds()
    wrong = [(w, exp, split_compound(w)) for w, exp in rows
             if as_terms(split_compound(w)) != as_terms(exp)]
    accuracy = 1 - len(wrong) / len(rows)
    assert accuracy >= 0.9, f"{accuracy:.3f}: {wrong[:20]}"


def test_non_compounds_stay_whole():
    words = load_non_compounds()
    split = [(w, split_compound(w)) for w in words if split_compound(w)]
    assert len(split) / len(words) <= 0.02, split


@pytest.mark.parametrize("word, parts", [
    ("Verteidigungsminister", ["verteidigung", "minister"]),
    ("Bundestagsmandat", ["bundestag", "mandat"]),
    ("Wandhalterung", ["wand", "halterung"]),
])
def test_issue_examples(word, parts):
    assert as_terms(split_compound(word)) == as_terms(parts)


@pytest.mark.parametrize("word", ["Verantwortung", "Unternehmen", "Sanktionen", "Gesellschaft"])
def test_ordinary_words_left_whole(word):
    assert split_compound(word) == ()


def test_frequency_table_floor_changes_no_decision():
    """Words below TABLE_FLOOR are left out of the table; no threshold may reach down there."""
    from indexer import decompound as d
    from indexer import entities as e

    lowest_split = (d.HEAD_ZIPF - d.LINK_PENALTY + d.TAIL_ZIPF) / 2 + 2 * d.LENGTH_BONUS
    assert all(d.zipf(part) >= d.TAIL_ZIPF for part in d.SHORT_PARTS)  # they score like the rest
    assert d.TABLE_FLOOR <= lowest_split - d.LENGTH_BONUS * d.MIN_TAIL
    assert d.TABLE_FLOOR <= min(e.COMMON_WORD_ZIPF, e.GIVEN_NAME_ZIPF, e.ORDINARY_WORD_ZIPF,
                                e.GENITIVE_ZIPF)
    assert d.zipf("regierung") > 4 and d.zipf("xqzvw") == 0.0
