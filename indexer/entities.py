"""The people, organisations and places an article names.

No German NER model can be had here, so this is a gazetteer plus rules:

1. gazetteer names, longest first, case-sensitive (``Grüne`` the party,
   not ``grüne`` the colour), in declined forms (``der Europäischen Union``,
   ``Putins``, ``Scholz'``, ``des Bundestags``), also as the part of a
   hyphenated compound (``Ukraine-Krieg``, ``CDU-Chef``);
2. a role noun followed by a name (``Verteidigungsminister Rustem Umjerow``,
   ``Präsidentin Maia Sandu``);
3. a known given name followed by a family name (``Serhij Suchomlyn``);
4. a family name alone is the person of that name the article names in
   full, else the one gazetteer person of that name, unless the name is
   also an ordinary word;
5. ``Region``, ``Stadt``, ``Provinz`` ... followed by a name is a place;
6. a closed compound led by an organisation names it (``Kremlchef``);
7. in an article about Switzerland or Austria, names that several countries
   use (``Bundesrat``, ``Nationalrat``, ``Grüne``, ``FDP``) are that country's.

German capitalises every noun, so rules 2, 3 and 5 only accept a word as a
name when it is rare as an ordinary word and does not end like a noun.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from indexer.decompound import split_compound, zipf
from indexer.gazetteer import FIELD_OF_TYPE, Entry, Gazetteer, load_gazetteer, surname_of

TOKEN = re.compile(r"[^\W\d_]\w*(?:['’-]\w+)*['’]?|\d+|[^\w\s]")
SENTENCE_END = {".", "!", "?", ":", "«", "»", "\"", "„", "“"}

ROLE_SUFFIXES = (
    "präsident", "präsidentin", "kanzler", "kanzlerin", "minister", "ministerin", "meister",
    "meisterin", "chef", "chefin", "vorsitzende", "vorsitzender", "sprecher", "sprecherin",
    "sekretär", "sekretärin", "abgeordnete", "abgeordneter", "senator", "senatorin",
    "gouverneur", "gouverneurin", "könig", "königin", "botschafter", "botschafterin",
    "richter", "richterin", "kommissar", "kommissarin", "general", "admiral", "kommandeur",
    "befehlshaber", "politiker", "politikerin", "aktivist", "aktivistin", "anwalt", "anwältin",
    "kandidat", "kandidatin", "herausforderer", "herausforderin", "diktator", "machthaber",
    "regierungschef", "staatschef", "hauptmann", "hauptfrau", "führer", "führerin",
    "gründer", "gründerin", "unternehmer", "unternehmerin", "milliardär", "papst", "prinz",
    "prinzessin", "beauftragte", "beauftragter", "vize", "bundesrat", "bundesrätin",
    "staatsrat", "ökonom", "ökonomin", "experte", "expertin", "journalist", "journalistin",
    "oberst", "leutnant", "autor", "autorin", "sänger", "sängerin", "ministerpräsident",
    "ministerpräsidentin", "landrat", "landrätin", "stadtrat", "stadträtin",
)
TITLES = {"König", "Königin", "Papst", "Queen", "King", "Kaiser", "Prinz", "Prinzessin",
          "Kronprinz", "Scheich", "Emir", "Sultan", "Dr.", "Prof.", "Sir", "Lord", "Lady"}
PLACE_NOUNS = {"Region", "Stadt", "Provinz", "Gebiet", "Oblast", "Bundesstaat", "Kanton",
               "Gemeinde", "Ortschaft", "Dorf", "Bezirk", "Landkreis", "Kreis", "Hafenstadt",
               "Großstadt", "Kleinstadt", "Hauptstadt", "Grenzstadt", "Frontstadt"}
NOUN_ENDINGS = ("ung", "ungen", "heit", "keit", "schaft", "tion", "tionen", "ismus", "tät",
                "nis", "ment", "ente", "enten", "ieren", "isch", "ische", "ischen", "lich",
                "liche", "lichen", "ern")
COMMON_WORD_ZIPF = 3.9  # a capitalised word more common than this is a noun, not a name
GIVEN_NAME_ZIPF = 4.6  # after a given name a word may be commoner ("Olaf Scholz", "Mark Rutte")
ORDINARY_WORD_ZIPF = 4.9  # a family name this common as a word needs the full name nearby
GENITIVE_ZIPF = 3.5  # a name in -s this common as a word is no genitive ("Chaos", not "Chao's")


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    text = (resources.files("indexer") / "data" / "first_names.txt").read_text(encoding="utf-8")
    names = {w for line in text.splitlines() if not line.startswith("#") for w in line.split()}
    for entry in load_gazetteer().entries:
        first = entry.canonical.split()[0]
        if entry.type == "person" and len(entry.canonical.split()) > 1 and not _is_role(first) \
                and first not in TITLES:
            names.add(first)
    return frozenset(names)


@lru_cache(maxsize=1)
def ambiguous_surnames() -> frozenset[str]:
    text = (resources.files("indexer") / "data" / "ambiguous_surnames.txt").read_text("utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#")
                     for w in line.split())


def _stands_alone(surname: str) -> bool:
    """May this family name alone mean the one person the gazetteer knows by it?"""
    return surname not in ambiguous_surnames() and zipf(surname.lower()) < ORDINARY_WORD_ZIPF


@dataclass
class Mention:
    start: int
    type: str
    name: str  # canonical where known


def _is_cap(word: str) -> bool:
    return word[:1].isupper()


@lru_cache(maxsize=100_000)
def _variants(token: str) -> tuple[str, ...]:
    """A token and what it may be before German inflection: ``Putins`` -> ``Putin``."""
    out = [token]
    for suffix in ("'s", "’s", "'", "’"):
        if token.endswith(suffix):
            out.append(token[: -len(suffix)])
    if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
        out.append(token[:-1])
    if len(token) > 4 and token.endswith("es"):
        out.append(token[:-2])
    if len(token) > 4 and token.endswith("en"):
        out.append(token[:-1])  # "der Grünen" -> "Grüne"
    return tuple(out)


@lru_cache(maxsize=100_000)
def _surname_variants(token: str) -> tuple[str, ...]:
    """A family name and its genitive (``Putins``, ``Scholz'``), not other endings:
    ``Chaos`` is no genitive of Chao, ``Leyen`` no form of Leye."""
    out = [token]
    for suffix in ("'s", "’s", "'", "’"):
        if token.endswith(suffix):
            out.append(token[: -len(suffix)])
    if len(token) > 3 and token.endswith("s") and zipf(token.lower()) < GENITIVE_ZIPF:
        out.append(token[:-1])
    return tuple(out)


def _name_like(word: str, limit: float = COMMON_WORD_ZIPF) -> bool:
    """Could this capitalised word be a family name rather than a noun?"""
    if not _is_cap(word) or len(word) < 3 or word.isupper():
        return False
    lower = word.lower()
    return not lower.endswith(NOUN_ENDINGS) and zipf(lower) < limit


@lru_cache(maxsize=100_000)
def _is_role(word: str) -> bool:
    """``Verteidigungsminister``, ``Präsidentin``, ``Präsidenten``, ``CDU-Chef`` ..."""
    if not _is_cap(word):
        return False
    lower = word.lower()
    return any(form.endswith(ROLE_SUFFIXES) for form in
               (lower, lower.removesuffix("en"), lower.removesuffix("n"), lower.removesuffix("s")))


class EntityExtractor:
    def __init__(self, gazetteer: Gazetteer | None = None):
        self.gaz = gazetteer or load_gazetteer()
        self.first_names = first_names()
        self._skip: dict[str, bool] = {}  # word -> no rule starts at it (see _classify)

    # matching ------------------------------------------------------------------
    def _gazetteer_match(self, words: list[str], i: int) -> tuple[int, list[Entry]]:
        """The longest gazetteer form at words[i:], its last word possibly inflected."""
        by_surface = self.gaz.by_surface
        for n in self.gaz.lengths_from.get(words[i], ()):
            if i + n > len(words):
                continue
            head = tuple(words[i:i + n - 1])
            for last in _variants(words[i + n - 1]):
                found = by_surface.get(head + (last,))
                if found:
                    return n, found
        for variant in _variants(words[i]):
            found = by_surface.get((variant,))
            if found:
                return 1, found
        return 0, []

    def _surname_entries(self, word: str) -> tuple[str, list[Entry]]:
        for variant in _surname_variants(word):
            if variant in self.gaz.surnames:
                return variant, self.gaz.surnames[variant]
        return "", []

    def _read_name(self, words: list[str], i: int) -> int:
        """Length of a person name starting at i: given name(s), particles, family name."""
        j = i
        while j < len(words) and (words[j] in self.first_names
                                  or (j > i and words[j].lower() in ("von", "van", "de", "der"))):
            j += 1
        if j == i or j >= len(words):
            return 0
        if words[j].lower() in ("von", "van", "de", "der", "al", "bin"):
            j += 1
        if j < len(words) and (_name_like(words[j], GIVEN_NAME_ZIPF)
                               or self._surname_entries(words[j])[1]):
            return j - i + 1
        return 0

    # extraction ----------------------------------------------------------------
    def mentions(self, text: str) -> list[Mention]:
        """Mentions in text order; ``start`` is the index of the word they begin at."""
        words = TOKEN.findall(text)
        found: list[Mention] = []
        bare_surnames: list[tuple[int, str, list[Entry]]] = []
        skip = self._skip.get
        resume = 0  # a rule that took several words resumes here
        for i, word in enumerate(words):
            if i < resume:
                continue
            skipped = skip(word)
            if skipped is None:
                skipped = self._classify(word)
            if skipped:
                continue
            n, entries = self._gazetteer_match(words, i)
            if n:
                entry = self._choose(entries)
                if entry is not None:
                    found.append(Mention(i, entry.type, entry.canonical))
                resume = i + n
                continue
            org = self._compound_org(word)
            if org is not None:
                found.append(Mention(i, "org", org.canonical))
            if "-" in word:
                found.extend(self._compound_parts(word, i))
                if _is_role(word) and i + 1 < len(words):
                    resume = self._after_role(words, i + 1, found, bare_surnames)
                continue
            if _is_role(word) and i + 1 < len(words):
                resume = self._after_role(words, i + 1, found, bare_surnames)
                continue
            if word in PLACE_NOUNS and i + 1 < len(words) and _name_like(words[i + 1]) \
                    and not self._gazetteer_match(words, i + 1)[0]:
                name = _strip_genitive(words[i + 1], _at(words, i + 2))
                found.append(Mention(i + 1, "place", name))
                resume = i + 2
                continue
            if org is not None:
                continue
            length = self._read_name(words, i)
            if length:
                found.append(Mention(i, "person", _strip_genitive(
                    " ".join(words[i:i + length]), _at(words, i + length))))
                resume = i + length
                continue
            key, entries = self._surname_entries(word)
            if entries:
                bare_surnames.append((i, key, entries))
        return self._resolve_surnames(found, bare_surnames)

    def _classify(self, word: str) -> bool:
        """True for a word no rule can start at: not capitalised, or inert. Cached per
        word, as news repeats its vocabulary; this keeps the rules off the common path."""
        skipped = not _is_cap(word) or self._inert(word)
        if len(self._skip) < 500_000:
            self._skip[word] = skipped
        return skipped

    def _inert(self, word: str) -> bool:
        """True for a capitalised word no rule can start at: most nouns."""
        first = self.gaz.first_tokens
        return not (
            any(v in first for v in _variants(word)) or "-" in word
            or _is_role(word) or word in PLACE_NOUNS or word in self.first_names
            or self._surname_entries(word)[1] or self._compound_org(word) is not None)

    def _compound_org(self, word: str) -> Entry | None:
        """``Kremlchef``, ``Bundestagswahl``: a closed compound led by an organisation."""
        if len(word) < 8 or not word.isalpha():
            return None
        lower = word.lower()
        heads = self.gaz.org_heads
        if not any(lower[:k] in heads for k in range(3, min(len(lower) - 2, 20))):
            return None  # cheap test first: splitting is the expensive part
        parts = split_compound(lower)  # the key analysis caches it under
        if not parts:
            return None
        head = parts[0][:1].upper() + parts[0][1:]
        n, entries = self._gazetteer_match([head], 0)
        entry = self._choose(entries) if n else None
        return entry if entry is not None and entry.type == "org" else None

    def _localise(self, found: list[Mention]) -> None:
        """In a Swiss or Austrian article, ``Bundesrat``, ``Grüne``, ``FDP`` are that country's."""
        counts = Counter(self.gaz.country_of.get(m.name) for m in found if m.type == "place")
        country = max(("CH", "AT"), key=lambda c: counts[c])
        if counts[country] < 2 or counts[country] <= counts["DE"]:
            return
        for m in found:
            local = self.gaz.local_variants.get((country, m.name))
            if local is not None and m.type == local.type:
                m.name = local.canonical

    def _choose(self, entries: list[Entry]) -> Entry | None:
        return entries[0] if len(entries) == 1 else None

    def _compound_parts(self, word: str, start: int) -> list[Mention]:
        out = []
        for part in word.split("-"):
            if part and _is_cap(part):
                n, entries = self._gazetteer_match([part], 0)
                entry = self._choose(entries) if n else None
                if entry is not None:
                    out.append(Mention(start, entry.type, entry.canonical))
                else:
                    key, people = self._surname_entries(part)
                    if len(people) == 1 and _stands_alone(key):
                        out.append(Mention(start, "person", people[0].canonical))
        return out  # in word order: the sort of all mentions is stable

    def _after_role(self, words, j, found, bare_surnames) -> int:
        """After a role noun: a gazetteer name, a full name, or a family name."""
        if j >= len(words) or not _is_cap(words[j]):
            return j
        n, entries = self._gazetteer_match(words, j)
        if n:
            return j  # the main loop takes it
        length = self._read_name(words, j)
        if not length:
            # "Präsidentin Maia Sandu": an unknown given name, then a family name
            if j + 1 < len(words) and _name_like(words[j]) and _name_like(words[j + 1]):
                length = 2
        if length:
            found.append(Mention(j, "person", _strip_genitive(
                " ".join(words[j:j + length]), _at(words, j + length))))
            return j + length
        if _name_like(words[j]) and words[j] not in self.first_names:
            key, entries = self._surname_entries(words[j])
            if entries:
                bare_surnames.append((j, key, entries))
            else:
                found.append(Mention(j, "person", _strip_genitive(words[j], _at(words, j + 1))))
            return j + 1
        return j

    def _canonical_person(self, name: str) -> str:
        """A rule-found name the gazetteer knows under another spelling gets its canonical."""
        entry = self.gaz.resolve(name, "person")
        if entry is None and " " in name:
            people = self.gaz.surnames.get(surname_of(name), [])
            given = name.split()[0]
            people = [p for p in people if any(n.split()[0] == given for n in p.names)]
            entry = people[0] if len(people) == 1 else None
        return entry.canonical if entry else name

    def _resolve_surnames(self, found, bare_surnames) -> list[Mention]:
        for m in found:
            if m.type == "person":
                m.name = self._canonical_person(m.name)
        full = {}
        for m in found:
            if m.type == "person" and " " in m.name:
                full.setdefault(surname_of(m.name), m.name)
        # a lone family name found by a rule ("Präsident Suchomlyn") is the full name given
        for m in found:
            if m.type == "person" and " " not in m.name and m.name in full:
                m.name = full[m.name]
        for start, key, entries in bare_surnames:
            if key in full:
                found.append(Mention(start, "person", full[key]))
            elif len(entries) == 1 and _stands_alone(key):
                found.append(Mention(start, "person", entries[0].canonical))
        found.sort(key=lambda m: m.start)
        self._localise(found)
        return found

    def extract(self, title: str, body: str) -> dict[str, list[str]]:
        """Canonical names by field (``persons``, ``orgs``, ``places``), first mention first."""
        result: dict[str, list[str]] = {f: [] for f in FIELD_OF_TYPE.values()}
        for m in self.mentions(f"{title}.\n{body}"):
            names = result[FIELD_OF_TYPE[m.type]]
            if m.name not in names:
                names.append(m.name)
        return result


def _strip_genitive(name: str, following: str = "") -> str:
    """``Scholz'`` -> ``Scholz``; ``Donald Trumps Wahlkampf`` -> ``Donald Trump``.

    A name ending in ``s`` directly before a capitalised noun is a genitive
    in German ("Trumps Zölle"); anywhere else the ``s`` may be the name's own.
    """
    for suffix in ("'s", "’s", "'", "’"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    if name.endswith("s") and not name.endswith("ss") and following[:1].isupper():
        return name[:-1]
    return name


def _at(words: list[str], i: int) -> str:
    return words[i] if i < len(words) else ""


@lru_cache(maxsize=1)
def default_extractor() -> EntityExtractor:
    return EntityExtractor()


def extract_entities(title: str, body: str) -> dict[str, list[str]]:
    return default_extractor().extract(title, body)
