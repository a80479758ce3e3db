from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.analysis import GermanAnalyzer, analyze, fold_umlauts, query_terms, term_for


def terms(text, **kw):
    return [t.text for t in analyze(text, **kw)]


def test_hyphenated_compound_kept_whole_and_split():
    got = terms("NATO-Generalsekretär", decompound=False)
    assert got == ["nato-generalsekretar", "nato", "generalsekretar"]


def test_hyphen_parts_take_consecutive_positions_for_phrases():
    toks = analyze("NATO-Generalsekretär Rutte", decompound=False)
    pos = {t.text: t.pos for t in toks}
    assert pos["nato"] + 1 == pos["generalsekretar"]
    assert pos["generalsekretar"] + 1 == pos["rutt"]


def test_numbers_and_mixed_tokens_survive():
    assert terms("G20 2024 1.000 Euro") == ["g20", "2024", "1.000", "euro"]


def test_umlaut_folding_makes_spellings_meet():
    assert term_for("märz") == term_for("maerz")
    assert term_for("straße") == term_for("strasse")
    assert term_for("köln") == term_for("koeln")
    assert term_for("düsseldorf") == term_for("duesseldorf")
    assert fold_umlauts("neue") == "neue"  # ue after a vowel is no umlaut
    assert fold_umlauts("quelle") == "quelle"


def test_stop_words_dropped_but_positions_kept():
    toks = analyze("der Minister und die Ministerin")
    assert [t.text for t in toks] == ["minist", "minist"]
    assert toks[1].pos - toks[0].pos == 3


def test_stemming_joins_inflections():
    assert term_for("sanktionen") == term_for("sanktion")
    assert term_for("ministerin") == term_for("minister")


def test_closed_compounds_add_weak_parts_on_same_position():
    toks = analyze("Verteidigungsminister")
    whole, *parts = toks
    assert whole.text == term_for("verteidigungsminister") and whole.boost == 1.0
    assert {p.text for p in parts} == {term_for("verteidigung"), term_for("minister")}
    assert all(p.pos == whole.pos and p.boost < 0.5 for p in parts)


def test_query_side_does_not_decompound():
    assert query_terms("Verteidigungsminister") == [term_for("verteidigungsminister")]


def test_invisible_characters_do_not_split_words():
    assert terms("Bundes\u00adtag Wort\u200bteil", decompound=False) == ["bundestag", "wortteil"]


def test_char_offsets_point_at_the_written_word():
    text = "Die Sanktionen gegen Russland"
    for t in analyze(text, decompound=False):
        assert text[t.start:t.end].lower().startswith(t.text[:4])


def test_whoosh_analyzer_wrapper_matches_analyze():
    ana = GermanAnalyzer()
    got = [t.text for t in ana("Außenminister in Brüssel", mode="query")]
    assert got == [term_for("außenminister"), term_for("brüssel")]


def _grouped(text, **kw):
    """analyze()'s output as collect_postings reports it."""
    grouped = {}
    for t in analyze(text, **kw):
        found = grouped.setdefault(t.text, [0.0])
        found[0] += t.boost
        found.append(t.pos)
    return {term: [round(found[0], 9), *found[1:]] for term, found in grouped.items()}


EDGE_CASES = [
    "NATO-Generalsekretär Mark Rutte und der Bundes\u00adtag-Abgeordnete",
    "Der Verteidigungsminister sagte am 3.10.2024 in Brüssel: 1.000 Soldaten, 3,5 Prozent.",
    "İmamoğlu in İstanbul, Erdoğan in Ankara; ΣΟΦΙΑ und Ærø",
    "ΣΥΡΙΖΑΣ.Ein Satz, ΟΔΟΣ—Weg",  # final sigma: lower-cased by word, as analyze() does
    "Ost-West-Konflikt  —  Nord–Süd, E-Mail-Adresse, 5-Prozent-Hürde, G20-Gipfel",
    "die der das und",  # only stop words
    "",
    "Wort\u200bteil \ufeffBOM am Anfang, Soft\u00adhyphen, Nord-\u00adStream-\u200b2",
]


def test_collect_postings_reports_what_analyze_does():
    from pathlib import Path

    from indexer.analysis import collect_postings
    corpus = Path(__file__).parent.parent / "corpus"
    texts = EDGE_CASES + [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))]
    for text in texts:
        for kw in ({}, {"boost": 2.0, "start_pos": 17}, {"lang": "en"}):
            postings = {}
            end = collect_postings(text, postings, **kw)
            rounded = {t: [round(f[0], 9), *f[1:]] for t, f in postings.items()}
            assert rounded == _grouped(text, **kw), (text[:40], kw)
            expected = [t.pos for t in analyze(text, **kw)]
            assert end > max(expected, default=kw.get("start_pos", 0) - 1)


# Text made of what trips tokenisers: hyphens of three kinds next to invisible
# characters, numbers with separators, "İ" and "Σ", stop words and compounds.
_PIECES = ["Verteidigungsminister", "NATO", "der", "und", "Bundestagswahl", "Außenministerin",
           "Straße", "Maerz", "İstanbul", "ΣΥΡΙΖΑΣ", "Σ", "12", "3,5", "1.000", "G20"]
_GLUE = ["-", "\u2010", "\u2011", " ", ". ", "\u00ad", "\u200b", "\ufeff", ":", "„", "\n"]


@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.sampled_from(_GLUE),
                          st.text(max_size=4)), max_size=30))
@settings(max_examples=300, deadline=None)
def test_collect_postings_agrees_with_analyze_on_odd_text(pieces):
    from indexer.analysis import collect_postings

    text = "".join(pieces)
    postings = {}
    collect_postings(text, postings)
    assert {t: [round(f[0], 9), *f[1:]] for t, f in postings.items()} == _grouped(text)
