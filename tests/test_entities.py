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


# --- beyond the gazetteer's home (issue 14) ------------------------------------------------

def test_names_with_particles_and_other_naming_systems_stay_whole():
    found = ents("Kronprinz Mohammed bin Salman traf Präsident Abdel Fattah al-Sisi. "
                 "Gesundheitsministerin Maggie De Block sprach mit Hans Van Bylen. "
                 "Der Film (Regie: Christopher B. Landon) lief an.")
    persons = set(found["persons"])
    assert {"Mohammed bin Salman", "Abdel Fattah al-Sisi", "Maggie De Block",
            "Hans Van Bylen", "Christopher B. Landon"} <= persons, persons
    assert not persons & {"Mohammed", "Abdel Fattah", "Maggie", "Christopher B"}


def test_given_names_from_other_languages_start_a_name():
    found = ents("Das Tor erzielte Jonatan Soriano nach Vorlage von Valon Berisha. "
                 "Im Finale trifft er auf Jean-François Copé und Shinji Kagawa.")
    assert {"Jonatan Soriano", "Valon Berisha", "Jean-François Copé",
            "Shinji Kagawa"} <= set(found["persons"]), found


def test_persons_by_context_speech_verb_nationality_and_credit():
    found = ents("Siemens-Chef Joe Kaeser sprach in Berlin. Das sei wichtig, sagte Kaeser. "
                 "Er trifft den Spanier Rafael Nadal und den Serben Lajovic, der gegen "
                 "Dusan Lajovic gewann, den Bruder. (Ljubiša Tošic, 22.3.2016)")
    persons = set(found["persons"])
    assert persons == {"Joe Kaeser", "Rafael Nadal", "Dusan Lajovic", "Ljubiša Tošic"}, persons
    # a lone family name after a nationality or a speech verb needs the full name nearby
    assert ents("Er schlug den Serben Krstic, sagte Vorstoß.")["persons"] == []


def test_context_rules_leave_common_nouns_alone():
    found = ents("Die Wiener Psychologen fanden heraus, sagte Ministerin Mikl-Leitner nicht. "
                 "Der Konzern Mitarbeiter entließ, so Experten. Die Zeitung am Sonntag.")
    assert not set(found["persons"]) & {"Psychologen", "Experten", "Mitarbeiter"}, found
    assert found["orgs"] == [], found
    found = ents("Die Präsidentin des Obersten Gerichtshofs sprach in Hinkunft. Das Urteil "
                 "fiel in der Entscheidung. London – Die Briten reagierten.")
    assert found["persons"] == [] and found["places"] == ["London"], found


def test_organisations_by_their_form_and_by_the_noun_before_them():
    found = ents("Das Gesundheitsministerium und die Arbeiterkammer widersprachen. "
                 "Die Pariser Staatsanwaltschaft ermittelt, ebenso die Staatsanwaltschaft "
                 "Wien. Die Gewerkschaft Verdi streikt, berichtete der Fernsehsender "
                 "Rossija 24 unter Berufung auf die Tageszeitung Österreich.")
    orgs = set(found["orgs"])
    assert {"Gesundheitsministerium", "Arbeiterkammer", "Staatsanwaltschaft Paris",
            "Staatsanwaltschaft Wien", "Verdi", "Rossija 24", "Österreich (Zeitung)"} <= orgs, orgs
    assert "Österreich" not in found["places"]


def test_a_short_form_in_brackets_spells_the_name_before_it():
    found = ents("ESPN kooperiert mit der International Drone Racing Association (IDRA). "
                 "Der Verbleib in der Bundesliga (ABL) ist offen, sagte Björn Höcke (AfD).")
    assert found["orgs"] == ["ESPN", "International Drone Racing Association", "ABL", "AfD"]


def test_austrian_institutions_media_parties_and_companies():
    found = ents("Wien – Der Verfassungsgerichtshof und die Volksanwaltschaft prüfen. "
                 "Laut STANDARD-Anfrage kritisierten NEOS, KPÖ und Liste Pilz die "
                 "Nationalbank; die OMV und die voestalpine schwiegen (APA, 3.2.2016).")
    assert {"Verfassungsgerichtshof (Österreich)", "Volksanwaltschaft", "Der Standard",
            "NEOS", "KPÖ", "Liste Pilz", "OMV", "voestalpine", "APA"} <= set(found["orgs"]), found


def test_dateline_names_the_towns_a_report_is_filed_from():
    found = ents("Ein Lenker starb. Pregarten – Ein 18-Jähriger ist gestorben.")
    assert found["places"] == ["Pregarten"]
    found = ents("Die Branche ist stolz. Wien/Graz/Aurora – Die Industrie zeigt sich.")
    assert {"Wien", "Graz", "Aurora"} == set(found["places"])
    assert ents("Das Fazit. Kurz gesagt – Es regnet.")["places"] == []


def test_an_unknown_word_after_a_preposition_of_place_is_a_town():
    found = ents("Der Unfall geschah in Wrantzendorf. Er kam aus Kvarnsbyholm im Turbomodus, "
                 "stand im Flüchtlingsthema und nach Verschütteten.")
    assert found["places"] == ["Wrantzendorf", "Kvarnsbyholm"], found  # invented towns


def test_austrian_article_gets_the_austrian_government():
    found = ents("Wien – Die Bundesregierung in Österreich beschloss in Wien und Graz ein Paket.")
    assert "Bundesregierung (Österreich)" in found["orgs"]


def test_gazetteer_names_with_punctuation_match_in_text():
    found = ents("Der 1. FC Köln gewann in St. Pölten gegen die U.S. Army.")
    assert "1. FC Köln" in found["orgs"] and "U.S. Army" in found["orgs"]
    assert "St. Pölten" in found["places"]


def test_every_gazetteer_name_belongs_to_one_entry():
    from indexer.gazetteer import fold
    owners = {}
    for entry in load_gazetteer().entries:
        for name in entry.names:
            owner = owners.setdefault(fold(name), entry.canonical)
            assert owner == entry.canonical, (name, owner, entry.canonical)


# --- evaluation on text the rules were not written from ------------------------------------

def _shared_data_or_skip():
    from bench.entities_eval import STANDARD_CSV, ZEITGEIST_JSONL
    if not (STANDARD_CSV.exists() and ZEITGEIST_JSONL.exists()):
        pytest.skip("../shared/data is not there")


def test_annotations_are_the_drawn_sample_and_hold_no_text():
    _shared_data_or_skip()
    from bench.entities_eval import STANDARD, ZEITGEIST, _records, draw_sample
    standard, zeitgeist = draw_sample()
    records = _records(STANDARD)
    assert [r["row"] for r in records] == standard
    assert [r["split"] for r in records] == ["tune"] * 40 + ["test"] * 40
    assert [r["line"] for r in _records(ZEITGEIST)] == zeitgeist
    for record in records + _records(ZEITGEIST):
        assert set(record) <= {"row", "line", "split", "sha1", "persons", "orgs", "places"}


def test_fresh_annotations_are_the_second_draw_apart_from_the_first():
    _shared_data_or_skip()
    from bench.entities_eval import (STANDARD_FRESH, ZEITGEIST_FRESH, _records, draw_fresh_sample,
                                     draw_sample)
    standard, zeitgeist = draw_fresh_sample()
    first_standard, first_zeitgeist = draw_sample()
    assert not set(standard) & set(first_standard) and not set(zeitgeist) & set(first_zeitgeist)
    assert [r["row"] for r in _records(STANDARD_FRESH)] == standard
    assert [r["line"] for r in _records(ZEITGEIST_FRESH)] == zeitgeist
    for record in _records(STANDARD_FRESH) + _records(ZEITGEIST_FRESH):
        assert record["split"] == "fresh"
        assert set(record) <= {"row", "line", "split", "sha1", "persons", "orgs", "places"}


@pytest.mark.parametrize("source", ["standard-test", "zeitgeist", "standard-fresh",
                                    "zeitgeist-fresh", "standard-fresh2", "zeitgeist-fresh2",
                                    "standard-fresh3", "zeitgeist-fresh3", "standard-fresh4",
                                    "zeitgeist-fresh4"])
def test_held_out_scores(source):
    _shared_data_or_skip()
    scores, errors = evaluate(source)
    for field, s in scores.items():
        assert s["precision"] >= HELD_OUT_FLOOR[source][field][0], (field, s)
        assert s["recall"] >= HELD_OUT_FLOOR[source][field][1], (field, s)


# (precision, recall) the extractor keeps on the held-out samples: issue 14's bar (recall
# 0.85 for persons and places, 0.75 for organisations, precision 0.9); the measured values
# are in the README's Enrichment section
HELD_OUT_FLOOR = {
    "standard-test": {"persons": (0.9, 0.85), "orgs": (0.9, 0.75), "places": (0.9, 0.85)},
    "zeitgeist": {"persons": (0.9, 0.85), "orgs": (0.9, 0.75), "places": (0.9, 0.85)},
    # the second sample, held out from the start, does not reach that bar for persons and
    # organisations (README): these floors are the measured values less about 0.02
    "standard-fresh": {"persons": (0.88, 0.82), "orgs": (0.88, 0.76), "places": (0.92, 0.87)},
    "zeitgeist-fresh": {"persons": (0.95, 0.78), "orgs": (0.95, 0.88), "places": (0.95, 0.9)},
    # the fourth sample, annotated by others and held out (fourth round): measured less 0.02
    "standard-fresh2": {"persons": (0.82, 0.80), "orgs": (0.80, 0.72), "places": (0.90, 0.94)},
    "zeitgeist-fresh2": {"persons": (0.95, 0.74), "orgs": (0.78, 0.74), "places": (0.95, 0.94)},
    # the sixth sample, annotated by others and held out (fifth round): measured less 0.02
    "standard-fresh3": {"persons": (0.83, 0.87), "orgs": (0.68, 0.61), "places": (0.89, 0.85)},
    "zeitgeist-fresh3": {"persons": (0.95, 0.83), "orgs": (0.95, 0.89), "places": (0.95, 0.88)},
    # the seventh sample, annotated by others and held out (sixth round): measured less 0.02
    "standard-fresh4": {"persons": (0.87, 0.82), "orgs": (0.79, 0.71), "places": (0.95, 0.92)},
    "zeitgeist-fresh4": {"persons": (0.95, 0.93), "orgs": (0.92, 0.78), "places": (0.95, 0.89)},
}


# --- rules that hold beyond the gazetteer (issue 14, second round) ----------------------------

def test_given_names_of_many_languages_and_their_limits():
    found = ents("Die Stürmerin Kiki Veldhoven gewann. Dann traf Jaromir Sedlacek. "
                 "Der Song Silver Machine lief, und in Vance Zustände herrschten.")
    assert {"Kiki Veldhoven", "Jaromir Sedlacek"} <= set(found["persons"])
    assert not {"Silver Machine", "Vance Zustände"} & set(found["persons"])


def test_a_person_named_again_by_the_family_name():
    found = ents("In Kairo traf er Bakr Hannawi. Später sagte Hannawi, man sei einig. "
                 "Der Tiergarten Schönbrunn meldet, Schönbrunn habe mehr Besucher.")
    assert "Bakr Hannawi" in found["persons"]
    assert not [p for p in found["persons"] if "Schönbrunn" in p]


def test_persons_by_age_coordination_genitive_and_nationality_of_women():
    found = ents("Überraschend war der Sieg für Marek Novotny (56). Die Topstars Bob und Mike "
                 "Brandon verloren. Er spielte in Steven Spielbergs neuem Film. Die Inderin "
                 "Sunita Rao gewann.")
    assert {"Marek Novotny", "Bob Brandon", "Mike Brandon", "Steven Spielberg",
            "Sunita Rao"} <= set(found["persons"])


def test_organisations_by_a_kind_that_ends_the_name_or_a_legal_form():
    found = ents("Die International Wetland Foundation zeichnete das Projekt aus, wie die "
                 "Forscher der University of Manitoba und die Vorarlberger Nachrichten meldeten. "
                 "Die Krenner Bleche GmbH baut, die KLV-Stiftung hält Aktien. "
                 "Die ugandische Gruppe sprach von der Berlusconi-Partei.")
    orgs = set(found["orgs"])
    assert {"International Wetland Foundation", "University of Manitoba", "Krenner Bleche GmbH",
            "KLV-Stiftung"} <= orgs
    assert not {"Ugandische Gruppe", "Berlusconi-Partei"} & orgs
    assert "Vorarlberger Nachrichten" in orgs


def test_institutions_with_adjective_and_town_and_places_by_their_noun():
    found = ents("An der Medizinischen Hochschule Linz lehrt sie. Im Städtchen Amude und in der "
                 "Islamistenhochburg Rakka wird gekämpft.")
    assert "Medizinische Hochschule Linz" in found["orgs"]
    assert {"Amude", "Rakka"} <= set(found["places"])


# --- third round (issue 14): error classes of the third sample, examples invented ------------

def test_austrian_parties_pick_the_austrian_namesakes_and_idioms_are_no_party():
    found = ents("In Graz stimmten SPÖ, ÖVP und die Grünen dem Budget zu. Die Union solle "
                 "helfen, sagte die FPÖ.")
    assert "Die Grünen (Österreich)" in found["orgs"] and "Grüne" not in found["orgs"]
    assert "Europäische Union" in found["orgs"] and "CDU/CSU" not in found["orgs"]
    found = ents("Er verbrachte ein Wochenende im Grünen. Ein Riss geht durch die europäische "
                 "Union.")
    assert found["orgs"] == ["Europäische Union"]


def test_a_family_name_in_s_before_a_verb_keeps_its_s():
    found = ents("Der Geologe Tomas Reyes erklärte das Modell. Reyes hatte recht, und die "
                 "Thesen Reyes' gelten.")
    assert "Tomas Reyes" in found["persons"] and "Tomas Reye" not in found["persons"]
    found = ents("Ein Ölbild Egon Schieles verschwand. Die Schiele-Ausstellung öffnet.")
    assert "Egon Schiele" in found["persons"]


def test_names_joined_by_an_ampersand_are_a_firm_but_not_in_credits_or_titles():
    found = ents("Die Kanzlei Brandtner & Lindqvist vertritt die Erben. Das Album Rivers & "
                 "Streams erschien. (Fotos: Lena Moser & Paul Wimmer, 3.3.2016)")
    assert found["orgs"] == ["Brandtner & Lindqvist"]
    assert {"Lena Moser", "Paul Wimmer"} <= set(found["persons"])


def test_rulers_and_kin_before_names_and_no_person_from_a_kind_of_firm():
    found = ents("Sultan Farid bin Taimur regiert seit 1970. Farid gilt als krank, sein "
                 "Halbbruder Haroun berät ihn. Die Schweizer Werbeagentur Gruber & Gruber "
                 "gewann, während Ökonomen Flexibilisierung meinen.")
    assert {"Farid bin Taimur", "Haroun"} <= set(found["persons"])
    assert not {"Farid", "Werbeagentur Gruber", "Flexibilisierung"} & set(found["persons"])


def test_organisations_by_kind_with_fuer_adjectives_or_an_english_tail():
    found = ents("Sie forscht am Institut für Hochenergiephysik und im Ägyptischen Museum. "
                 "Die Leihgaben des Österreichischen Museums für Volkskunde, der "
                 "Österreichischen Physikalischen Gesellschaft und des National Film Board of "
                 "Canada. Auch das Museum of Modern Art. Ein Zentrum für Flüchtlinge entsteht.")
    assert {"Institut für Hochenergiephysik", "Ägyptisches Museum",
            "Österreichisches Museum für Volkskunde", "Österreichische Physikalische Gesellschaft",
            "National Film Board of Canada", "Museum of Modern Art"} <= set(found["orgs"])
    assert not [o for o in found["orgs"] if "Zentrum" in o]


def test_legal_forms_in_other_spellings_lists_after_a_plural_kind_and_clubs_abroad():
    found = ents("Die Brunner HandelsgmbH und die Firma Kallweit Installtec Gmbh. Die "
                 "Internetkonzerne wie Zorbly und Quintara wachsen. Dinamo Zagreb spielte gegen "
                 "Hellas Verona und MFK Košice.")
    assert {"Brunner HandelsgmbH", "Zorbly", "Quintara", "Dinamo Zagreb", "Hellas Verona",
            "FC Košice"} <= set(found["orgs"])
    assert "Griechenland" not in found["places"]


def test_places_of_two_words_inflected_place_nouns_and_listed_towns():
    found = ents("Die Polizei im Bundesstaat Tamil Nadu und in Andhra Pradesh ermittelt, so die "
                 "Polizeichefin des Bezirks Kangra. Sie fuhren nach Calais, Dieppe oder "
                 "Fécampville und zwischen Tunis und Gabèsville.")
    assert {"Tamil Nadu", "Andhra Pradesh", "Kangra", "Fécampville",
            "Gabèsville"} <= set(found["places"]), found["places"]


def test_adjectives_of_towns_and_nouns_among_nouns_are_no_names():
    found = ents("Sie aßen in einem New Yorker Restaurant. Er bestellt Kleidung, Bücher oder "
                 "Essen online. Sie fuhr nach Essen.")
    assert "The New Yorker" not in found["orgs"] and found["places"] == ["Essen"]
    assert ents("Er kaufte Essen oder Trinken.")["places"] == []


def test_the_dateline_stays_a_place_in_a_sports_report():
    found = ents("Trainer tritt zurück. Hannover – Hannover 96 verlor gegen Werder Bremen.")
    assert "Hannover" in found["places"]


def test_brand_and_acronym_spellings_and_names_listed_with_a_name():
    found = ents("Auf Youtube und bei der Nato. Sie singt wie Helene Fischer und Zoltar Brimble, "
                 "die gefeiert werden. Der Roman Paradiso erschien.")
    assert {"YouTube", "NATO"} <= set(found["orgs"])
    assert "Zoltar Brimble" in found["persons"] and "Roman Paradiso" not in found["persons"]


def test_tune2_annotations_are_the_third_draw_apart_from_the_others():
    _shared_data_or_skip()
    from bench.entities_eval import (STANDARD_TUNE2, _records, draw_fresh_sample, draw_sample,
                                     draw_tune2_sample)
    rows = draw_tune2_sample()
    assert not set(rows) & (set(draw_sample()[0]) | set(draw_fresh_sample()[0]))
    assert [r["row"] for r in _records(STANDARD_TUNE2)] == rows
    assert {r["split"] for r in _records(STANDARD_TUNE2)} == {"tune2"}


def test_a_title_after_a_work_noun_names_nothing_and_towns_by_their_ending():
    found = ents("Bekannt wurde sie durch den Film Hiroshima mon amour. Im Film spielt Tom "
                 "Hanks. Die Schüler wohnen nun in Obermettingen, nicht in Flüchtlingsheimen.")
    assert "Hiroshima" not in found["places"] and "Tom Hanks" in found["persons"]
    assert found["places"] == ["Obermettingen"]


def test_a_paper_named_like_a_phrase_opens_a_sentence_only_when_it_reports():
    found = ents("Die Zeit drängt. Die Welt schaut zu. Die Zeit berichtete darüber. Die Grünen "
                 "fordern mehr.")
    assert found["orgs"] == ["Die Zeit", "Grüne"]


def test_a_common_word_as_family_name_after_a_role_or_speech_verb():
    found = ents("Vor dem Spiel erklärte Kölns Sportdirektor Stefan Grund, dass alles passe. "
                 "Das sei neu, sagt etwa Michael Ernte vom Verband.")
    assert "Stefan Grund" in found["persons"] and "Michael Ernte" in found["persons"]
    found = ents("Vor dem Spiel sprach Manager Thomas Linke mit der Presse.")
    assert found["persons"] == ["Thomas Linke"] and found["orgs"] == []


def test_a_counted_role_noun_names_no_one():
    found = ents("Das Land schickte 200 Soldaten Grenzer an die Küste. Mehrere Polizisten "
                 "Wächter kamen dazu.")
    assert found["persons"] == []


def test_a_genitive_s_belongs_to_the_last_word_of_a_name():
    found = ents("Sie las Henrietta Collins Wyndhams Roman über den Krieg.")
    assert found["persons"] == ["Henrietta Collins Wyndham"]
    found = ents("Im Drama liest der Richter Arnold Harris Briefe aus Rom. Dann Carlo Renzis "
                 "Rede.")
    assert "Arnold Harris" in found["persons"] and "Carlo Renzi" in found["persons"]


def test_coordinated_double_given_names_share_the_family_name():
    found = ents("Da zeichnen Anna Lena und Eva Maria Hubmeier für das Studio.")
    assert found["persons"] == ["Anna Lena Hubmeier", "Eva Maria Hubmeier"]


def test_a_middle_name_named_once_joins_the_short_form():
    found = ents("Ich bin Carlos Alberto Mendozar, sagt er. Carlos Mendozar war reich.")
    assert found["persons"] == ["Carlos Mendozar"]


def test_a_rare_pair_never_named_alone_is_no_person_and_a_given_name_may_be_a_family():
    found = ents("Im Labor steht der Great Zorbon Quaxitron. Der Zorbon Quaxitron misst "
                 "Teilchen.")
    assert found["persons"] == []
    found = ents("Er las die Märchen von Gianfiore Ottavio, die alten. Von Ottavio stammen viele "
                 "Märchen. Bei Ottavio geht es um Liebe.")
    assert found["persons"] == ["Gianfiore Ottavio"]


def test_second_family_names_and_unaccented_given_names_stay_in_the_name():
    found = ents("Regisseur Ramiro Quintero Albán erhielt den Preis. Im Springen siegte "
                 "Jose Anderssen vor Henrik Andre Thorvaldsby. Verleger Tobias Berger von "
                 "Quastenhorn sprach. Nach der Wahl soll Ines Pfandlbauer Hirschmugl ablösen, "
                 "schrieb Erwin Hirschmugl.")
    persons = set(found["persons"])
    assert {"Ramiro Quintero Albán", "Jose Anderssen", "Henrik Andre Thorvaldsby",
            "Tobias Berger von Quastenhorn", "Ines Pfandlbauer"} <= persons, persons
    # a family name already given to someone else ends the name before it
    assert "Ines Pfandlbauer Hirschmugl" not in persons
    # a known place or organisation after a name is no second family name
    found = ents("Mit Lionel Messi Barcelona zu schlagen ist schwer. Peter Huber von Siemens "
                 "sprach.")
    assert {"Lionel Messi", "Peter Huber"} <= set(found["persons"]), found
    assert "Barcelona" in found["places"] and "Siemens" in found["orgs"]


def test_a_sports_report_names_clubs_by_a_short_name():
    found = ents("Der FC Porto und AS Roma kämpfen um den Aufstieg. Chelsea (10 Punkte) "
                 "empfängt Porto, Arsenals Lage ist schwieriger.")
    assert {"FC Chelsea", "FC Arsenal", "FC Porto", "AS Roma"} <= set(found["orgs"]), found
    # outside a sports report, or followed by a family name, it is no club
    found = ents("Chelsea Clinton besuchte den FC Porto und AS Roma.")
    assert "FC Chelsea" not in found["orgs"] and "Chelsea Clinton" in found["persons"]
    assert "FC Arsenal" not in ents("Das Arsenal der Armee ist groß.")["orgs"]


def test_organisations_with_a_number_or_in_lower_case_start_hyphenated_compounds():
    found = ents("Er sagte in einem Puls-4-Interview, die Jahres-2015-Bilanz sei gut. Nach "
                 "dpa-Informationen stieg die voestalpine-Aktie.")
    assert {"Puls 4", "dpa", "voestalpine"} <= set(found["orgs"]), found
    assert not any("2015" in name for names in found.values() for name in names)


def test_a_body_with_the_adjective_of_its_state_or_town_is_that_states():
    found = ents("Sie gehörte der niederösterreichischen Landesregierung an. Der steirische "
                 "Landtag tagte, die Zürcher Staatsanwaltschaft ermittelt, das Militärkommando "
                 "Kärnten half.")
    assert {"Landesregierung Niederösterreich", "Landtag Steiermark", "Staatsanwaltschaft Zürich",
            "Militärkommando Kärnten"} <= set(found["orgs"]), found
    # without a state or town the body names no one
    assert ents("Die Landesregierung sprach, der Landtag tagte.")["orgs"] == []


def test_an_adjective_capitalised_inside_a_sentence_names_an_organisation_of_its_kind():
    found = ents("Nach Berechnungen der Österreichischen Hagelversicherung stieg der Schaden. "
                 "Laut Koreanischer Volksarmee wurde geschossen. Die Sächsische Staatskanzlei "
                 "schwieg.")
    assert {"Österreichische Hagelversicherung", "Koreanische Volksarmee",
            "Sächsische Staatskanzlei"} <= set(found["orgs"]), found
    # a country in the genitive after the kind belongs to the name
    found = ents("Damals waren die Kommunistische Partei Frankreichs und der Oberste "
                 "Gerichtshof Nordkoreas mächtig.")
    assert found["orgs"] == ["Kommunistische Partei Frankreichs",
                             "Oberster Gerichtshof (Nordkorea)"], found
    assert found["places"] == []
    # at the start of a sentence any word is capitalised; lower case is no name
    found = ents("Österreichische Banken klagen. Wien – Deutsche Versicherungen auch. Die "
                 "österreichische Regierung schwieg.")
    assert found["orgs"] == [], found


def test_adjectives_that_begin_names_and_austrian_namesakes_the_rules_name():
    found = ents("Das kritisiert die Junge Kurie der Akademie. Die Rote Armee marschierte. Die "
                 "jungen Leute lesen Neue Medien.")
    assert {"Junge Kurie", "Rote Armee"} <= set(found["orgs"]), found
    assert not any("Medien" in name or "Leute" in name for name in found["orgs"])
    # a body the rules name has the Austrian namesake in an Austrian article
    austrian = ents("Strache zog vor den Obersten Gerichtshof. Die ÖVP und die SPÖ in Wien und "
                    "Graz schwiegen.")
    assert "Oberster Gerichtshof (Österreich)" in austrian["orgs"], austrian
    assert "Oberster Gerichtshof" in ents("Er zog vor den Obersten Gerichtshof.")["orgs"]


def test_korean_names_family_name_first_with_a_hyphenated_given_name():
    found = ents("Der Stürmer Jon Kwang-ik traf, Südkoreas Ministerin Yoo Eun-hae sprach. "
                 "Die Ost-West-Achse hält.")
    assert {"Jon Kwang-ik", "Yoo Eun-hae"} <= set(found["persons"]), found
    assert not any("West" in name for name in found["persons"])


def test_fourth_and_fifth_samples_are_their_draws_apart_from_all_others():
    _shared_data_or_skip()
    from bench.entities_eval import (STANDARD_FRESH2, STANDARD_TUNE3, ZEITGEIST_FRESH2, _records,
                                     draw_fresh2_sample, draw_fresh_sample, draw_sample,
                                     draw_tune2_sample, draw_tune3_sample)
    earlier = set(draw_sample()[0]) | set(draw_fresh_sample()[0]) | set(draw_tune2_sample())
    fresh2_standard, fresh2_zeitgeist = draw_fresh2_sample()
    tune3 = draw_tune3_sample()
    assert not set(fresh2_standard) & earlier and not set(tune3) & (earlier | set(fresh2_standard))
    assert not set(fresh2_zeitgeist) & (set(draw_sample()[1]) | set(draw_fresh_sample()[1]))
    assert [r["row"] for r in _records(STANDARD_FRESH2)] == fresh2_standard
    assert [r["line"] for r in _records(ZEITGEIST_FRESH2)] == fresh2_zeitgeist
    assert [r["row"] for r in _records(STANDARD_TUNE3)] == tune3
    for path, split in ((STANDARD_FRESH2, "fresh2"), (ZEITGEIST_FRESH2, "fresh2"),
                        (STANDARD_TUNE3, "tune3")):
        for record in _records(path):
            assert record["split"] == split
            assert set(record) <= {"row", "line", "split", "sha1", "persons", "orgs", "places"}


def test_a_country_in_brackets_is_compared_as_the_entity_it_qualifies():
    from bench.entities_eval import _key
    gaz = load_gazetteer()
    # a note of which country's body is meant, where no entry carries it
    assert _key(gaz, "Außenministerium (Polen)", "org") == _key(gaz, "Außenministerium", "org")
    # a namesake the gazetteer knows by its official name: the same in an Austrian article
    assert _key(gaz, "Innenministerium (Österreich)", "org") == _key(
        gaz, "Innenministerium", "org", "AT") == _key(gaz, "Bundesministerium für Inneres", "org")
    assert _key(gaz, "Nationalrat (Österreich)", "org") == _key(gaz, "Nationalrat", "org")
    # namesakes the gazetteer tells apart stay apart
    assert _key(gaz, "Bundesrat (Schweiz)", "org") != _key(gaz, "Bundesrat", "org")
    assert _key(gaz, "Nationalrat (Schweiz)", "org") != _key(gaz, "Nationalrat", "org")


def test_a_shared_family_name_in_a_compound_is_the_person_the_article_names():
    found = ents("Präsident Emmanuel Macron will es. Das Macron-Gesetz liberalisiert den Markt.")
    assert found["persons"] == ["Emmanuel Macron"], found
    # two listed people share the name, neither kin of the other, and the article names
    # neither: no guess
    assert ents("Das Clinton-Gesetz liberalisiert den Markt.")["persons"] == []


def test_austrian_short_party_names_and_declined_names_of_the_list():
    found = ents("Landeshauptmann Markus Wallner (VP) lobte, der frühere FP-Politiker schwieg, "
                 "SP-Chef Werner Faymann in Wien und Graz nicht. Das Rote Kreuz half.")
    assert {"ÖVP", "FPÖ", "SPÖ", "Rotes Kreuz"} <= set(found["orgs"]), found
    # in a Swiss article the SP is the Swiss party
    assert ents("Die SP und die SVP in Bern und Zürich.")["orgs"] == ["SP", "SVP"]


def test_english_kinds_of_company_end_a_name_but_not_events_or_genres():
    found = ents("Die Firma Blue Origin Systems und Activision Blizzard Entertainment wachsen. "
                 "Bei den European Games spielte er Casual Games.")
    assert found["orgs"] == ["Blue Origin Systems", "Activision Blizzard Entertainment"], found


def test_names_end_before_a_place_a_compound_noun_or_another_persons_name():
    found = ents("Rooney ist nun mit Sir Bobby Charlton Englands Rekordtorschütze. Der Schweizer "
                 "Jungstar Belinda Bencic weinte. In den Recherchen von Robert Gordon und Julia "
                 "Kovarik fand sich nichts. Wenn Analytiker Analytiker analysieren, die "
                 "Analytiker.")
    assert set(found["persons"]) == {"Wayne Rooney", "Bobby Charlton", "Belinda Bencic",
                                     "Robert Gordon", "Julia Kovarik"}, found
    assert "England" in found["places"]


def test_a_family_name_that_is_a_currency_needs_the_full_name():
    assert ents("Die Dividende steigt auf 12,6 Pence je Aktie.")["persons"] == []
    assert ents("Vizepräsident Mike Pence sprach. Pence sagte dann etwas.")["persons"] == [
        "Mike Pence"]


def test_a_direction_before_a_known_place_names_a_region():
    found = ents("In Osteuropa, Nordafrika und Südostasien, im Nordatlantik und in Westeuropas "
                 "Städten. Der Westwind und die Mittelschicht wehen nicht.")
    assert found["places"] == ["Osteuropa", "Nordafrika", "Südostasien", "Nordatlantik",
                               "Westeuropa"], found


def test_an_adjective_capitalised_before_a_kind_of_place_names_a_place():
    found = ents("Schiffe kreuzten in der Keltischen See, am Persischen Golf und auf der "
                 "Arabischen Halbinsel. Er wohnt am See.")
    assert found["places"] == ["Keltische See", "Persischer Golf", "Arabische Halbinsel"], found
    assert found["orgs"] == []


def test_a_name_in_s_after_a_person_noun_keeps_its_s_after_other_nouns_not():
    found = ents("Dann traf der Bolivianer Ronald Raldes (86.) ins eigene Tor. Sie wurde die "
                 "Stieftochter Johnny Rottens. Die Alleinregierung Bruno Kreiskys endete.")
    assert set(found["persons"]) == {"Ronald Raldes", "Johnny Rotten", "Bruno Kreisky"}, found


def test_a_person_a_street_or_school_is_named_after_is_not_named_there():
    found = ents("Die Karl-Marx-Allee, der Theodor-Heuss-Platz und die Sigmund-Freud-Universität "
                 "liegen fern. Das Mozart-Jahr und die Klimt-Zeichnung aber nennen ihn.")
    assert set(found["persons"]) == {"Wolfgang Amadeus Mozart", "Gustav Klimt"}, found


# --- fifth round: result boxes, spellings without their diacritics, venues -------------------

def test_a_result_box_after_the_closing_credit_names_no_persons_or_places():
    report = ("Die Grazer gewannen das Derby gegen den SK Rapid Wien, Trainer Franco Foda lobte "
              "Torschütze Deni Alar. (APA, 3.3.2016) ")
    box = ("Ergebnisse der 25. Runde: SK Sturm Graz – SK Rapid Wien 2:1 (1:0). Graz, "
           "12.000 Zuschauer, SR Lechner. Tore: 1:0 (12.) Alar, 2:0 (55.) Kienast, 2:1 (80.) "
           "Schobesberger Sturm: Gratzei – Spendlhofer, Lykogiannis – Offenbacher, Hadzic "
           "Ersatz: Pöllhuber – Schick, Lovric. 1. Salzburg 54 – 2. Rapid 48 – 3. Altach 40")
    found = ents(report + box)
    assert {"Franco Foda", "Deni Alar"} <= set(found["persons"])
    assert not {"Kienast", "Schobesberger", "Gratzei", "Pöllhuber"} & {
        p.split()[-1] for p in found["persons"]}, found
    assert "Rapid Wien" in found["orgs"]
    # the same tail without scores and headings is report, and is read
    found = ents(report + "Am Abend empfing Bürgermeister Siegfried Nagl die Mannschaft in Graz.")
    assert "Siegfried Nagl" in found["persons"]


def test_letters_without_a_diacritic_of_their_own_and_a_dropped_umlaut_resolve():
    from indexer.gazetteer import fold, plain
    assert fold("Yılmaz") == fold("Yilmaz") and fold("Łódź") == fold("Lodz")
    assert fold("Søren Kierkegaard") == fold("Sören Kierkegaard")  # German writes ø as ö
    assert plain("Søren Kierkegaard") == plain("Soren Kierkegaard")
    assert plain("Schützenhofer") == plain("Schützenhöfer") != plain("Schutzenhofer x")
    assert fold("Schützenhofer") != fold("Schützenhöfer")  # fold keeps the oe spelling
    # a full name misspelt without an umlaut is the known person, who is named in full
    found = ents("Landeshauptmann Hermann Schützenhofer (ÖVP) eröffnete die Sitzung.")
    assert "Hermann Schützenhöfer" in found["persons"], found


def test_a_venue_named_after_a_company_names_no_organisation():
    found = ents("Die FPÖ lud in die Sky-Bar. Im Gespräch mit Sky sagte der Trainer, er sei "
                 "zufrieden.")
    assert found["orgs"].count("Sky (Sender)") == 1 and "FPÖ" in found["orgs"]
    assert ents("Die FPÖ lud in die Sky-Bar.")["orgs"] == ["FPÖ"]


def test_an_austrian_articles_unqualified_name_is_compared_as_the_austrian_namesake():
    from bench.entities_eval import _key
    gaz = load_gazetteer()
    assert _key(gaz, "Die Grünen", "org", "AT") == _key(gaz, "Die Grünen (Österreich)", "org")
    assert _key(gaz, "Die Grünen", "org") != _key(gaz, "Die Grünen (Österreich)", "org")
    assert _key(gaz, "Bundesregierung", "org", "AT") == _key(
        gaz, "Bundesregierung (Österreich)", "org", "AT")
    assert _key(gaz, "SPÖ", "org", "AT") == _key(gaz, "SPÖ", "org")


def test_sixth_sample_is_its_draw_apart_from_all_others():
    _shared_data_or_skip()
    from bench.entities_eval import (FRESH3_SECOND, STANDARD_FRESH3, ZEITGEIST_FRESH3, _records,
                                     draw_fresh2_sample, draw_fresh3_sample, draw_fresh_sample,
                                     draw_sample, draw_tune2_sample, draw_tune3_sample)
    earlier = (set(draw_sample()[0]) | set(draw_fresh_sample()[0]) | set(draw_tune2_sample())
               | set(draw_fresh2_sample()[0]) | set(draw_tune3_sample()))
    standard, zeitgeist = draw_fresh3_sample()
    assert len(standard) == 40 and not set(standard) & earlier
    assert len(zeitgeist) == 20 and not set(zeitgeist) & (
        set(draw_sample()[1]) | set(draw_fresh_sample()[1]) | set(draw_fresh2_sample()[1]))
    assert [r["row"] for r in _records(STANDARD_FRESH3)] == standard
    assert [r["line"] for r in _records(ZEITGEIST_FRESH3)] == zeitgeist
    second = _records(FRESH3_SECOND)
    assert [r.get("row", r.get("line")) for r in second] == standard + zeitgeist
    for record in _records(STANDARD_FRESH3) + _records(ZEITGEIST_FRESH3) + second:
        assert record["split"] == "fresh3"
        assert set(record) <= {"row", "line", "split", "sha1", "persons", "orgs", "places"}


def test_a_family_name_alone_means_the_one_bearer_the_others_are_kin_of():
    found = ents("Merz gratuliert Trump. Macron sagte, er sei bereit.")
    assert {"Donald Trump", "Emmanuel Macron"} <= set(found["persons"]), found
    # an article that names the kin in full means the kin
    assert ents("Melania Trump kam. Trump sagte, sie sei zufrieden.")["persons"] == [
        "Melania Trump"]
    gaz = load_gazetteer()
    assert gaz.resolve("Trump", "person").canonical == "Donald Trump"
    assert gaz.resolve("Müller", "person") is None  # unrelated namesakes stay ambiguous


def test_a_short_given_name_is_the_full_one_the_gazetteer_knows():
    found = ents("Sozialminister Rudi Hundstorfer (SPÖ) kam, und Tom Cruise war auch da.")
    assert {"Rudolf Hundstorfer", "Tom Cruise"} <= set(found["persons"]), found


def test_a_name_after_the_body_a_role_belongs_to_and_given_names_that_are_words():
    found = ents("Der Vorsitzende des ghanaischen Kakaoverbands, Kwabena Osei-Tutu, sagte, "
                 "die Ernte sei gut. Stiftungsdirektor Lasse Bjørnstad erklärte, der Fang sei "
                 "zu groß.")
    assert {"Kwabena Osei-Tutu", "Lasse Bjørnstad"} <= set(found["persons"]), found
    assert ents("Der Chef der Firma Gewinne machte das. Trainer Ende Oktober kam nie.")[
        "persons"] == []
    found = ents("Der Chef der Sicherheitsfirma Nortek Vault, Ian Price, rät ab.")
    assert "Nortek Vault" not in found["persons"] and "Ian Price" in found["persons"], found


def test_a_small_town_may_be_a_family_name_after_a_given_name():
    found = ents("Mads Lund gelang der Ausgleich. Ex-Präsident Otto Pérez Molina ist in Haft. "
                 "Peter Wien kam nicht.")
    assert {"Mads Lund", "Otto Pérez Molina"} <= set(found["persons"]), found
    assert "Wien" in found["places"]


def test_a_short_form_in_brackets_inside_a_known_name():
    assert ents("Sie forscht an der Technischen Universität (TU) Wien.")["orgs"] == ["TU Wien"]


def test_a_club_by_its_town_is_of_the_sport_the_report_names():
    found = ents("Die Oberwart Gunners schlugen die Swans Gmunden 88:80. Kapfenberg verlor.")
    assert "Kapfenberg Bulls" in found["orgs"], found  # not EC Kapfenberg (ice hockey)
    found = ents("Werder Bremen schlug den VfL Wolfsburg 2:0. Hannover verlor daheim 0:1.")
    assert "Hannover 96" in found["orgs"], found  # not the Hannover Scorpions
    found = ents("Der FC Chelsea schlug den FC Liverpool 2:1. Die Gunners verloren dagegen.")
    assert "Oberwart Gunners" not in found["orgs"], found  # a nickname of another sport's club
    assert "Crystal Palace (Fußballklub)" not in ents(
        "Der FC Chelsea schlug den FC Liverpool. Kein Fußballklub war besser.")["orgs"]


def test_chinese_names_family_name_first_with_a_pinyin_given_name():
    found = ents("Premier Li Qiang traf die Forscherin Guo Jianmei. Feng Shui half nicht, "
                 "und Wang Lange kam.")
    assert set(found["persons"]) == {"Li Qiang", "Guo Jianmei"}, found


def test_von_before_a_full_name_is_by_and_event_and_noun_namesakes_name_no_place():
    found = ents("Der Film Son of Saul von László Nemes siegte. Peter Müller von Blumencron "
                 "sah ihn.")
    assert {"László Nemes", "Peter Müller von Blumencron"} <= set(found["persons"]), found
    found = ents("Rapids Europa-League-Gegner ist nicht auf Siegen aus. Die Abu-Dhabi-Reise "
                 "endete, das Spiel in Siegen 1:1.")
    assert found["places"] == ["Abu Dhabi", "Siegen"], found
    assert found["persons"] == []


# --- sixth round: read on the sixth sample (then a tune set) -------------------------------

def test_south_tyrol_has_its_own_namesakes():
    found = ents("Bozen – Die SVP verliert im Südtiroler Landtag die Mehrheit. In Meran und "
                 "Brixen jubelt die Opposition.")
    assert found["orgs"] == ["Südtiroler Volkspartei", "Südtiroler Landtag"], found
    assert "SVP" in ents("Bern – Die SVP gewinnt im Kanton Zürich. In Basel regnet es.")["orgs"]


def test_words_a_feed_ran_together_are_read_apart():
    found = ents("Drohne trifft Kindergarten in CharkiwSelenskyj nennt Trumps Plan gut. Von Eva "
                 "Lindqvist, ARD BrüsselWas bleibt? BürgermeisterThomas Steiner sprach. "
                 "TransCanada Corp baut, YouTube sendet, der DeutschlandTrend misst.")
    assert {"Wolodymyr Selenskyj", "Donald Trump", "Thomas Steiner"} <= set(found["persons"])
    assert {"Charkiw", "Brüssel"} <= set(found["places"]) and "Deutschland" not in found[
        "places"], found
    assert {"TransCanada Corp", "YouTube"} <= set(found["orgs"]), found


def test_a_result_box_keeps_only_the_clubs_the_report_names():
    found = ents("Die Atlanta Hawks gewannen in Salt Lake City, Trainer Mike Budenholzer war "
                 "zufrieden. (APA, 1.12.2015) NBA-Ergebnisse vom Montag: Atlanta Hawks – Utah "
                 "Jazz 106:100, Chicago Bulls – San Antonio Spurs 92:89, Miami Heat – Boston "
                 "Celtics 98:95")
    assert "Atlanta Hawks" in found["orgs"]
    assert not {"Chicago Bulls", "Miami Heat", "Boston Celtics"} & set(found["orgs"]), found


def test_vietnamese_names_events_and_bodies_with_a_town():
    found = ents("Der Dissident Nguyen Van Ly ist frei, Nguyen Phu Trong bleibt. Die Familie "
                 "Nguyen wohnt in Wien. Sie gewannen den Stanley Cup.")
    assert found["persons"] == ["Nguyen Van Ly", "Nguyen Phu Trong"], found
    found = ents("Beim Großen Preis von Monaco siegte er. Die Staatsanwaltschaft Graz ermittelt. "
                 "Unabhängige Experten Senfgas nannten es.")
    assert "Monaco" not in found["places"] and "Graz" not in found["places"], found
    assert "Staatsanwaltschaft Graz" in found["orgs"] and found["persons"] == []


def test_a_lands_body_needs_its_land_and_kin_free_family_names_after_a_role():
    found = ents("Das Landeskriminalamt ermittelt. Das Landesarbeitsgericht Hessen gab statt, "
                 "das steirische Landeskriminalamt auch. Eigene Software auf Linux-Basis.")
    assert found["orgs"] == ["Landesarbeitsgericht Hessen", "Landeskriminalamt Steiermark"], found
    assert found["places"] == []
    found = ents("Da lobten Bundeskanzler Merz und Arbeitsministerin Bas die Ideen. Das "
                 "Bas-Relief ist alt.")
    assert found["persons"] == ["Friedrich Merz", "Bärbel Bas"], found


def test_seventh_sample_is_its_draw_apart_from_all_others_and_what_was_read():
    _shared_data_or_skip()
    from bench.entities_eval import (FRESH4_SECOND, READ_IN_FIFTH_ROUND, STANDARD_FRESH4,
                                     ZEITGEIST_FRESH4, _records, draw_fresh2_sample,
                                     draw_fresh3_sample, draw_fresh4_sample, draw_fresh_sample,
                                     draw_sample, draw_tune2_sample, draw_tune3_sample)
    earlier = (set(draw_sample()[0]) | set(draw_fresh_sample()[0]) | set(draw_tune2_sample())
               | set(draw_fresh2_sample()[0]) | set(draw_tune3_sample())
               | set(draw_fresh3_sample()[0]))
    standard, zeitgeist = draw_fresh4_sample()
    assert len(standard) == 40 and not set(standard) & (earlier | READ_IN_FIFTH_ROUND)
    assert len(zeitgeist) == 20 and not set(zeitgeist) & (
        set(draw_sample()[1]) | set(draw_fresh_sample()[1]) | set(draw_fresh2_sample()[1])
        | set(draw_fresh3_sample()[1]))
    assert [r["row"] for r in _records(STANDARD_FRESH4)] == standard
    assert [r["line"] for r in _records(ZEITGEIST_FRESH4)] == zeitgeist
    assert [r.get("row", r.get("line")) for r in _records(FRESH4_SECOND)] == standard + zeitgeist
    for record in _records(STANDARD_FRESH4) + _records(ZEITGEIST_FRESH4):
        assert record["split"] == "fresh4"
