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
