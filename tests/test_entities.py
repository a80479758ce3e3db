import pytest

from bench.entities_eval import evaluate
from indexer.entities import extract_entities
from indexer.gazetteer import load_gazetteer


def test_gold_set_f1_per_type():
    scores, errors = evaluate()
    for field, s in scores.items():
        assert s["gold"] >= 150, field
        assert s["f1"] >= 0.85, (field, s, [e for e in errors if e[1] == field][:20])


def ents(text, title=""):
    return extract_entities(title, text)


def test_inflected_names_resolve_to_canonical():
    found = ents("Putins Truppen rücken vor. Donald Trumps Wahlkampfversprechen gilt. "
                 "Scholz' Regierung zerbrach.")
    assert {"Wladimir Putin", "Donald Trump", "Olaf Scholz"} <= set(found["persons"])


def test_role_noun_and_given_name_rules_find_unlisted_people():
    found = ents("Bürgermeister Serhij Suchomlyn sprach von Schäden. Später sagte Suchomlyn, "
                 "die Stadt brauche Hilfe. Präsidentin Maia Sandu reiste nach Brüssel.")
    assert "Serhij Suchomlyn" in found["persons"] and "Maia Sandu" in found["persons"]
    assert "Suchomlyn" not in found["persons"]  # the surname alone is the same man


def test_capitalised_common_words_and_adjectives_are_not_entities():
    found = ents("Derweil gelten Sanktionen. Angesichts der russischen Angriffe beraten "
                 "ukrainische Soldaten und der Verteidigungsminister.")
    assert found == {"persons": [], "orgs": [], "places": []}


def test_aliases_and_transliterations_share_one_name():
    for spelling in ("Selenskyj", "Selensky", "Zelensky"):
        assert ents(f"Präsident Wolodymyr {spelling} sprach.")["persons"] == ["Wolodymyr Selenskyj"]
    assert ents("Die Vereinten Nationen und die UNO tagten in Kyjiw.") == {
        "persons": [], "orgs": ["Vereinte Nationen"], "places": ["Kiew"]}


def test_hyphenated_and_closed_compounds_name_their_entity():
    found = ents("Der Ukraine-Krieg und der NATO-Gipfel. Der Kremlchef schwieg.")
    assert "Ukraine" in found["places"]
    assert {"NATO", "Kreml"} <= set(found["orgs"])


def test_swiss_context_picks_the_swiss_namesakes():
    found = ents("In Bern hat der Bundesrat beraten. Die FDP und die Grünen im Kanton Zürich "
                 "sowie in Basel widersprachen.")
    assert {"Bundesrat (Schweiz)", "FDP.Die Liberalen", "Grüne Schweiz"} <= set(found["orgs"])


@pytest.mark.parametrize("spelling, canonical", [
    ("selensky", "Wolodymyr Selenskyj"), ("Zelenskyy", "Wolodymyr Selenskyj"),
    ("UNO", "Vereinte Nationen"), ("Kyiv", "Kiew"), ("Merz", "Friedrich Merz"),
])
def test_gazetteer_resolves_user_spellings(spelling, canonical):
    assert load_gazetteer().canonical(spelling) == canonical


def test_gazetteer_size_and_uniqueness():
    gaz = load_gazetteer()
    assert len(gaz.entries) >= 1500
    canonical = [(e.type, e.canonical) for e in gaz.entries]
    assert len(canonical) == len(set(canonical))
