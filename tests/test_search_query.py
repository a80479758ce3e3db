import pytest

from search.query import And, DateRange, Exact, Not, Or, Phrase, Word, parse_query


def tree(q, **kw):
    parsed = parse_query(q, **kw)
    return parsed.tree, parsed.warnings


def test_operators_in_both_languages():
    for q in ("a UND b", "a AND b", "a b"):
        assert tree(q)[0] == And((Word("a"), Word("b")))
    for q in ("a ODER b", "a OR b"):
        assert tree(q)[0] == Or((Word("a"), Word("b")))
    assert tree("a NICHT b")[0] == And((Word("a"), Not(Word("b"))))
    assert tree("a -b")[0] == And((Word("a"), Not(Word("b"))))


def test_parentheses_phrases_proximity_prefix_fuzzy():
    t, w = tree('(Russland ODER Iran) "Rutte Macron"~10 Sanktion* Selensky~')
    assert t == And((Or((Word("Russland"), Word("Iran"))), Phrase(("Rutte", "Macron"), slop=10),
                     Word("Sanktion", prefix=True), Word("Selensky", fuzzy=2)))
    assert w == []


def test_fields_with_german_and_english_names():
    t, _ = tree("titel:Haushalt ressort:Inland person:Selensky org:NATO ort:Kiew")
    assert t == And((Word("Haushalt", field="title"), Exact("section", "Inland"),
                     Exact("persons", "Selensky"), Exact("orgs", "NATO"), Exact("places", "Kiew")))
    assert tree("section:Inland")[0] == tree("ressort:Inland")[0]
    assert tree('person:"Olaf Scholz"')[0] == Exact("persons", "Olaf Scholz")


@pytest.mark.parametrize("q, start, end", [
    ("datum:2024", "2024-01-01", "2024-12-31"),
    ("date:2024-11", "2024-11-01", "2024-11-30"),
    ("datum:2024-11-14", "2024-11-14", "2024-11-14"),
    ("datum:[2024-01 TO 2024-06]", "2024-01-01", "2024-06-30"),
    ("datum:[2024-03 TO *]", "2024-03-01", None),
])
def test_dates(q, start, end):
    assert tree(q)[0] == DateRange(start, end)


@pytest.mark.parametrize("q, warned", [
    ('"offenes Zitat', "Anführungszeichen"), ("(a b", "Klammer"), ("a b)", "Klammer"),
    ("titel:", "ohne Wert"), ("datum:2024-13-45", "Datum"), ("NOT", "ohne Begriff"),
    ("foo:bar", "Unbekanntes Feld"), ("*", "Platzhalter"), ("[2024 TO 2025]", "ohne Feld"),
])
def test_broken_input_never_raises_and_warns(q, warned):
    t, warnings = tree(q)
    assert any(warned in w for w in warnings), warnings


def test_broken_input_keeps_what_it_can():
    assert tree('Haushalt "offenes Zitat')[0] == And((Word("Haushalt"),
                                                      Phrase(("offenes", "Zitat"))))
    assert tree("Haushalt titel:")[0] == Word("Haushalt")


def test_op_or_makes_plain_words_alternatives_but_keeps_exclusions():
    assert tree("a b -c", op="or")[0] == And((Or((Word("a"), Word("b"))), Not(Word("c"))))


def test_plain_syntax_ignores_operators():
    t, w = tree('Nato ODER "Gipfel (Haag)" -x titel:y', syntax="plain")
    assert t == And((Word("Nato"), Word("ODER"), Word("Gipfel"), Word("Haag"), Word("-x"),
                     Word("titel:y")))
    assert w == []


def test_empty_query_is_browse():
    assert tree("")[0] is None and tree("   ")[0] is None
