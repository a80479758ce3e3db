from indexer.language import detect_language, looks_german

GERMAN_TEASER = ("Der Bundestag hat am Donnerstag den Haushalt für das kommende Jahr beschlossen. "
                 "Die Opposition kritisierte die Pläne der Regierung scharf.")
ENGLISH = ("The Senate passed the spending bill on Thursday after a long debate, sending it to "
           "the president, who is expected to sign it before the weekend.")
SWEDISH = ("Regeringen meddelade på torsdagen att försvarsbudgeten ska öka kraftigt under de "
           "kommande åren, säger statsministern till journalister i Stockholm.")


def test_german_is_decided_without_the_detector():
    assert looks_german(GERMAN_TEASER)
    assert detect_language("Haushalt beschlossen", GERMAN_TEASER) == "de"


def test_other_languages_are_detected():
    assert not looks_german(ENGLISH) and not looks_german(SWEDISH)
    assert detect_language("Senate passes bill", ENGLISH) == "en"
    assert detect_language("Budget", SWEDISH) == "sv"


def test_detection_is_deterministic():
    text = "Merkel Macron Brexit EU 2019"
    assert len({detect_language("", text) for _ in range(5)}) == 1


def test_undecidable_text_is_und():
    assert detect_language("", "2024 / 12 / 3") == "und"
    assert detect_language("", "") == "und"
