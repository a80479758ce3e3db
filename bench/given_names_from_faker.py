"""Write ``indexer/data/given_names_world.txt``: given names of many languages.

    .venv/bin/pip install -e '.[names]' && .venv/bin/python bench/given_names_from_faker.py

The names come from the person providers of Faker (MIT licence), which lists the common
given names of some 80 locales, compiled by its contributors from national statistics; only
the locales written in Latin script are read. Run once when Faker changes; the build reads
the written file and does not need Faker.

A name is left out when a German reader would take it for a word or a place: it is a German
word more common than ``MAX_WORD_ZIPF`` (``Rose``), an English word that begins titles
(``ENGLISH_WORDS``: ``Silver``, ``River``), a stop word, a
role, title, month or demonym, or a name of a place or an organisation in the gazetteer
(``Jordan``, ``Florence``, ``Mercedes``), or it is shorter than three letters.
"""
from __future__ import annotations

import importlib
import pkgutil
import sys
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from indexer.decompound import STOP_WORDS, zipf  # noqa: E402
from indexer.entities import DEMONYMS, PLACE_NOUNS, TITLES, _is_role  # noqa: E402
from indexer.gazetteer import load_gazetteer  # noqa: E402

OUT = REPO / "indexer" / "data" / "given_names_world.txt"
MAX_WORD_ZIPF = 3.9  # the limit of COMMON_WORD_ZIPF in indexer.entities: the table has names too
MONTHS_AND_DAYS = frozenset("""Januar Jänner Februar März April Mai Juni Juli August September
    Oktober November Dezember Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag
    January February March May June July October December Monday Tuesday Wednesday
    Thursday Friday Saturday Sunday""".split())


# English words that Faker lists as given names; in German news they begin titles of films,
# songs and products more often than names ("Silver Machine", "River Thames")
ENGLISH_WORDS = frozenset("""River Summer Hope Grace Joy Faith Sky Storm Rain Star Dawn Ocean
    Honey Sunny Brook Forest Stone Hunter Chase Rich Art Will Royal King Major Blue Golden
    Silver Ivy Holly Ruby Pearl Jewel Crystal Amber Jade Cash Gay Guy Sterling Page Miles
    Rock Wolf Fox Bear Hawk Lake Harbor Haven Journey Justice Liberty Marvel Memory Destiny
    Harmony Melody Serenity Trinity Unique Precious Princess Prince Lord Duke Earl Baron
    Bishop Dean Chance Gentry Noble Price Sage Saint Shepherd Smith Taylor Mason Cook Walker
    Young Early Ever Free Glory Heaven Lucky Merry Mercy Patience Prosperity Rebel Reign
    Rowan Ryder Santana Scout Stormy Winter Autumn Spring April May June August Phantom Gear
    Machine Martial Cloud Echo Ember Flame Fortune Gem Genesis Legend Lux Magic Nova Onyx
    Phoenix Raven Shadow Spirit Zen French English Mentor Darwin""".split())


def _latin(name: str) -> bool:
    return all(c in "-'" or (c.isalpha() and "LATIN" in unicodedata.name(c, "")) for c in name)


def _without_diacritics(name: str) -> str:
    decomposed = unicodedata.normalize("NFD", name)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed
                                                if not unicodedata.combining(c)))


def faker_given_names() -> set[str]:
    import faker.providers.person as person
    names: set[str] = set()
    for info in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"faker.providers.person.{info.name}").Provider
        for attr in ("first_names", "first_names_male", "first_names_female",
                     "first_names_nonbinary"):
            value = getattr(provider, attr, ())
            if not isinstance(value, (dict, tuple, list, set)):
                continue  # a property computed from the others
            names.update(value.keys() if isinstance(value, dict) else value)
    return names


def acceptable(name: str, taken: set[str]) -> bool:
    return (len(name) >= 3 and name[:1].isupper() and not name.isupper() and _latin(name)
            and name.lower() not in STOP_WORDS and zipf(name.lower()) < MAX_WORD_ZIPF
            and name not in MONTHS_AND_DAYS and name not in DEMONYMS and name not in TITLES
            and name not in PLACE_NOUNS and not _is_role(name) and name not in taken
            and name not in ENGLISH_WORDS)


def main() -> int:
    gaz = load_gazetteer()
    taken = {n.split()[0] for e in gaz.entries if e.type in ("place", "org") for n in e.names}
    listed = {n.strip() for n in faker_given_names()}
    # German news often drops the diacritics of foreign names ("Jaromir", "Jose")
    listed |= {_without_diacritics(n) for n in listed}
    names = sorted(n for n in listed if acceptable(n, taken))
    lines = ["# Given names of many languages, from Faker's person providers (MIT licence);",
             "# written by bench/given_names_from_faker.py, which says what is left out."]
    line: list[str] = []
    for name in names:
        line.append(name)
        if len(line) == 12:
            lines.append(" ".join(line))
            line = []
    if line:
        lines.append(" ".join(line))
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(names)} names -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
