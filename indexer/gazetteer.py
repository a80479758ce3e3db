"""The curated list of people, organisations and places (``data/gazetteer/*.tsv``).

Each entry has one canonical name, which facets show and filters take, and
aliases (transliterations, short forms, abbreviations). This module loads
the files and answers two questions: which entries a run of words can name
(for extraction, case-sensitive and with German inflections), and which
entry a user's spelling means (for queries and filters, case-insensitive).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from indexer.decompound import zipf

TYPES = ("person", "org", "place")
FIELD_OF_TYPE = {"person": "persons", "org": "orgs", "place": "places"}
# Words of running text; a name's surface forms are split the same way (``1. FC Köln``,
# ``St. Pölten``, ``U.S. Army`` match where they stand).
TOKEN = re.compile(r"[^\W\d_]\w*(?:['’-]\w+)*['’]?|\d+|[^\w\s]")
NAME_PARTICLES = frozenset({"von", "van", "der", "den", "de", "da", "di", "del", "bin", "al",
                            "zu", "dos", "la", "le", "ibn", "el"})


@dataclass(frozen=True)
class Entry:
    type: str
    canonical: str
    aliases: tuple[str, ...] = ()
    note: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return (self.canonical, *self.aliases)


# Letters NFKD does not split into a base letter and a diacritic: the Turkish dotless i,
# the Polish l, the Scandinavian o (German writes it ö: ``Sørensen`` is ``Sörensen``), the
# South Slavic d (``Yılmaz`` is ``Yilmaz``).
UNSPLIT_LETTERS = str.maketrans({"ı": "i", "ł": "l", "ø": "oe", "đ": "d", "ð": "d", "þ": "th",
                                 "æ": "ae", "œ": "oe", "ħ": "h"})


# a note that makes a person someone's kin ("Ehefrau von Emmanuel Macron", "First Lady")
KIN_NOTE = re.compile(r"\b(?:Sohn|Tochter|Ehefrau|Ehemann|Witwe|Witwer|Bruder|Schwester|Mutter"
                      r"|Vater|Enkel|Enkelin|Neffe|Nichte|Gattin|Gatte|Schwiegersohn"
                      r"|Schwiegertochter) (?:von|des|der)\b|\bFirst Lady\b")


def fold(name: str) -> str:
    """Spelling-insensitive key: case, diacritics, umlaut spellings, hyphens, spaces."""
    name = name.casefold().replace("ß", "ss").translate(UNSPLIT_LETTERS)
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue")):
        name = name.replace(umlaut, plain)
    name = unicodedata.normalize("NFKD", name)
    name = "".join(c for c in name if not unicodedata.combining(c))
    return " ".join(name.replace("-", " ").replace("’", "'").split())


def plain(name: str) -> str:
    """``fold`` that also drops the umlaut dots: ``Schützenhofer`` is ``Schützenhöfer``
    misspelt, which ``fold`` keeps apart (``oe`` against ``o``)."""
    name = unicodedata.normalize("NFKD", name.casefold().replace("ß", "ss").replace("ø", "o"))
    return fold("".join(c for c in name if not unicodedata.combining(c)))


def _adjective_forms(word: str) -> list[str]:
    """``Europäische`` -> also ``Europäischen``, ``Europäischer`` ...: names decline."""
    if not word[:1].isupper() or word.isupper():
        return [word]
    if word.endswith("e"):
        return [word, word + "n", word + "r", word + "s", word + "m"]
    if word.endswith(("er", "es")) and len(word) > 4:  # "Rotes Kreuz": "das Rote Kreuz"
        stem = word[:-2]
        return [word, stem + "e", stem + "en", stem + "em"]
    return [word]


def surface_forms(name: str) -> set[tuple[str, ...]]:
    """Token tuples under which a name occurs in running text."""
    tokens = TOKEN.findall(name.replace("’", "'"))
    variants: list[list[str]] = [[]]
    for i, token in enumerate(tokens):
        options = [token] if i == len(tokens) - 1 else _adjective_forms(token)
        variants = [v + [o] for v in variants for o in options]
    forms = {tuple(v) for v in variants}
    if len(tokens) == 1 and len(name) >= 4 and name.isalpha() and not name.isupper() \
            and any(c.isupper() for c in name[1:]):
        forms.add((name[0].upper() + name[1:].lower(),))  # "YouTube" written "Youtube"
    elif len(tokens) == 1 and 4 <= len(name) <= 6 and name.isalpha() and name.isupper() \
            and zipf(name.lower()) < 5:  # not "BILD", "ZEIT": "Bild", "Zeit" are words
        forms.add((name[0] + name[1:].lower(),))  # "CERN", "NATO" written "Cern", "Nato"
    return forms


@dataclass
class Gazetteer:
    entries: list[Entry]
    by_surface: dict[tuple[str, ...], list[Entry]] = field(default_factory=dict)
    by_fold: dict[str, list[Entry]] = field(default_factory=dict)
    surnames: dict[str, list[Entry]] = field(default_factory=dict)
    persons_by_plain: dict[str, list[Entry]] = field(default_factory=dict)  # plain() -> persons
    first_tokens: set[str] = field(default_factory=set)
    org_heads: set[str] = field(default_factory=set)  # one-word org names, lower case
    country_of: dict[str, str] = field(default_factory=dict)  # place -> CH, AT or DE
    org_country_of: dict[str, str] = field(default_factory=dict)  # "SPÖ" -> AT, "SVP" -> CH
    local_variants: dict[tuple[str, str], Entry] = field(default_factory=dict)
    # first token -> the lengths of the multi-token forms it begins, longest first
    lengths_from: dict[str, tuple[int, ...]] = field(default_factory=dict)
    # sports clubs: a word of a club's names -> the clubs, and club -> its words
    clubs_by_token: dict[str, tuple[str, ...]] = field(default_factory=dict)
    club_tokens_of: dict[str, frozenset[str]] = field(default_factory=dict)
    sport_of_club: dict[str, str] = field(default_factory=dict)  # "Fußballklub", ...
    _folded: dict[str, str] = field(default_factory=dict, repr=False)  # fold() cache

    def __post_init__(self):
        for entry in self.entries:
            for name in entry.names:
                for form in surface_forms(name):
                    bucket = self.by_surface.setdefault(form, [])
                    if entry not in bucket:
                        bucket.append(entry)
                    self.first_tokens.add(form[0])
                    if len(form) > 1:
                        lengths = set(self.lengths_from.get(form[0], ())) | {len(form)}
                        self.lengths_from[form[0]] = tuple(sorted(lengths, reverse=True))
                    if entry.type == "org" and len(form) == 1:
                        self.org_heads.add(form[0].lower())
                key = fold(name)
                bucket = self.by_fold.setdefault(key, [])
                if entry not in bucket:
                    bucket.append(entry)
                if entry.type == "person" and len(name.split()) > 1:
                    bucket = self.persons_by_plain.setdefault(plain(name), [])
                    if entry not in bucket:
                        bucket.append(entry)
                    surname = surname_of(name)
                    bucket = self.surnames.setdefault(surname, [])
                    if entry not in bucket:
                        bucket.append(entry)

        self._principal_bearers()
        self._index_countries()
        self._index_clubs()

    def _principal_bearers(self) -> None:
        """A family name alone means the one bearer the others are kin of: ``Trump`` is
        Donald Trump when the other Trumps' notes say ``Tochter von Donald Trump``, ``First
        Lady``; family names several unrelated people share stay ambiguous."""
        for surname, bearers in self.surnames.items():
            if len(bearers) > 1:
                principal = [e for e in bearers if not KIN_NOTE.search(e.note)]
                if len(principal) == 1:
                    self.surnames[surname] = principal

    def _index_clubs(self) -> None:
        """Clubs are the organisations whose note says ``...klub``; ``Borussia Dortmund``
        is found under ``Borussia`` and ``Dortmund``."""
        by_token: dict[str, list[str]] = {}
        for entry in self.entries:
            if entry.type != "org" or "klub" not in entry.note.lower():
                continue
            tokens = frozenset(t for name in entry.names  # not "(Fußballklub)"
                               for t in TOKEN.findall(re.sub(r"\s*\([^()]*\)", "", name))
                               if t[:1].isupper() and len(t) > 2)
            self.club_tokens_of[entry.canonical] = tokens
            self.sport_of_club[entry.canonical] = entry.note.split()[0] if entry.note else ""
            for token in tokens:
                by_token.setdefault(token, []).append(entry.canonical)
        self.clubs_by_token = {t: tuple(c) for t, c in by_token.items()}

    def _index_countries(self) -> None:
        """Which country a place belongs to, and the Swiss/Austrian namesakes of entries
        (and South Tyrol's, whose parties German news names like others: ``SVP``).

        Read off the data: notes say "Kanton", "(Schweiz)", "(Österreich)", "Südtirol";
        ``Bundesrat (Schweiz)`` or ``FDP Schweiz`` name the local variant of ``Bundesrat``, ``FDP``.
        """
        markers = {"CH": ("Schweiz", "Kanton"), "AT": ("Österreich",), "ST": ("Südtirol",)}
        for entry in self.entries:
            text = f"{entry.canonical} {entry.note}"
            country = next((c for c, words in markers.items() if any(w in text for w in words)),
                           None)
            if entry.type == "place":
                if country is None and (entry.canonical == "Deutschland"
                                        or entry.note.startswith(("Bundesland", "Stadtstaat"))):
                    country = "DE"
                if country:
                    self.country_of[entry.canonical] = country
                continue
            if country is None:
                continue
            self.org_country_of[entry.canonical] = country
            qualifiers = (" (Schweiz)", " Schweiz", "Schweizer ", " (Österreich)", " Österreich",
                          "Österreichischer ", " (Südtirol)")
            for name in entry.names:
                for q in qualifiers:
                    if q in name:
                        bare = name.replace(q, "").strip()
                        base = self.resolve(bare)
                        if base is not None and base is not entry:
                            self.local_variants.setdefault((country, base.canonical), entry)
                        elif base is None:  # "Oberster Gerichtshof", named by the rules
                            self.local_variants.setdefault((country, bare), entry)

    def resolve(self, name: str, type: str | None = None) -> Entry | None:
        """The entry a user's spelling names (any alias, any case), if unambiguous."""
        key = self._folded.get(name)
        if key is None:
            key = fold(name)
            if len(self._folded) < 200_000:
                self._folded[name] = key
        found = [e for e in self.by_fold.get(key, []) if type in (None, e.type)]
        if not found and (type in (None, "person")):
            found = self.surnames.get(_surname_key(name), []) if " " not in name.strip() else []
        return found[0] if len(found) == 1 else None

    def canonical(self, name: str, type: str | None = None) -> str:
        entry = self.resolve(name, type)
        return entry.canonical if entry else " ".join(name.split())


def surname_of(name: str) -> str:
    """The family name of a full name: the last word, with its particles."""
    tokens = name.split()
    start = len(tokens) - 1
    while start > 1 and tokens[start - 1].lower() in NAME_PARTICLES:
        start -= 1
    return " ".join(tokens[start:])


def _surname_key(name: str) -> str:
    return " ".join(name.split())


def _read_tsv(text: str, source: str) -> list[Entry]:
    entries = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#") or line.startswith("type\t"):
            continue
        cols = line.split("\t")
        if len(cols) < 2 or cols[0] not in TYPES:
            raise ValueError(f"{source}:{number}: expected 'type<TAB>canonical<TAB>aliases"
                             f"<TAB>note' with type one of {TYPES}")
        aliases = tuple(a.strip() for a in (cols[2] if len(cols) > 2 else "").split("|")
                        if a.strip())
        entries.append(Entry(cols[0], cols[1].strip(), aliases,
                             cols[3].strip() if len(cols) > 3 else ""))
    return entries


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The gazetteer that ships with the package."""
    folder = resources.files("indexer") / "data" / "gazetteer"
    entries: list[Entry] = []
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".tsv"):
            entries.extend(_read_tsv(item.read_text(encoding="utf-8"), item.name))
    return Gazetteer(entries)
