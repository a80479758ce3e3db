"""Splitting closed German compounds into their immediate constituents.

The method is Koehn & Knight's frequency-based splitting (2003): a word is
split where both sides are known words and their mean log frequency beats
the whole word's own, with the linking elements (Fugen-s, -es, -n, -en,
-er, -e) stripped from the left side. Word frequencies come from the
``wordfreq`` package (German news, Wikipedia, subtitles, web text), so
the splitter knows the living vocabulary rather than a dictionary's.

What keeps it from splitting ordinary words (the failure that makes
dictionary decompounders hurt ranking):

* words that are frequent themselves are lexicalised and stay whole
  (``Unternehmen`` is not ``unter`` + ``nehmen``, ``Bundestag`` not
  ``bund`` + ``tag``);
* a left side must be a content word, not a prefix, preposition or
  particle (``ver-``, ``unter-``, ``aus-``);
* a right side must be a word of its own, not a derivational suffix that
  happens to be a word (``-schaft``, ``-ling``);
* both sides must be reasonably frequent and long enough.

Only the top-level split is returned; ``analysis.compound_terms`` recurses.
"""
from __future__ import annotations

import math
from functools import lru_cache

from whoosh.lang.stopwords import stoplists

STOP_WORDS = frozenset(stoplists["de"])

MIN_WORD = 7  # shorter words are practically never compounds worth splitting
MIN_TAIL = 3
HEAD_ZIPF = 3.0  # each side at least this common (Zipf scale: 3 = once per million words)
TAIL_ZIPF = 3.0
LINK_PENALTY = 0.2  # "Erbschaft|steuer", not "Erbschafts|teuer"
LENGTH_BONUS = 0.1  # per letter of the shorter side: "Pflege|reform", not "Pfleger|form"
LEXICALISED_ZIPF = 5.0  # a whole word this common is a word, not a compound

LINKING = ("", "s", "es", "n", "en", "er", "e", "ns")

# Parts of two or three letters are allowed only from this list: short strings
# match by accident inside longer words ("Verb|and", "Schul|den").
SHORT_PARTS = frozenset("""
öl gas amt rat tag weg see zug bau hof ort rad art tat mut ruf bad eis erz bus
arm kopf uhr ost süd job not nah neu alt
""".split())

# Tails that are also present-participle endings ("Vorsitz|ende") count only
# after an overt linking element ("Kriegs|ende", "Wochen|ende").
PARTICIPLE_TAILS = frozenset({"ende", "enden", "ender", "endes"})

# Left sides that are prefixes, prepositions, particles, pronouns or numerals:
# ``Unterstützung``, ``Aufstand``, ``Gegenstand``, ``Vorschlag`` are not compounds of them.
NOT_HEADS = frozenset("""
ab an auf aus be bei da dar durch ein ent er emp fort für ge gegen her hin hinter
in los mit miss nach neben nieder ob um un unter ur ver vor weg wider wieder zer zu
zurück zusammen über voll vorbei entgegen gleich statt teil voran voraus vorher
dabei daher damit danach daran darauf daraus darum davon davor dazu
der die das des dem den ein eine einer eines einem einen sein seine ihr ihre
so wie was wer wo all alle allem aller alles selbst sich nicht kein keine
eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf hundert tausend
mittel ober außer inner pro kon anti
""".split())

# Right sides that are derivational suffixes, or words that occur chiefly as such.
NOT_TAILS = frozenset("""
schaft schaften ling linge lingen nis nisse tum tums heit heiten keit keiten
ung ungen lich liche lichen isch ische ismus ist isten istin erin erinnen
ent enten ion ionen ium ien ier iere ieren ung tion tionen ität täten
bar bare baren sam same samen los lose losen haft hafte haften
ern erung erungen igen igkeit ler lerin chen lein ner nerin
ente anten ante innen and
erei ereien ierung ierungen ismus isten
end ens ene enen eren erer
""".split())


# No decision reads a frequency below this but as "rarer than that": a split scores at
# least (HEAD_ZIPF - LINK_PENALTY + TAIL_ZIPF) / 2 + 2 * LENGTH_BONUS = 3.1, so a whole word
# below 3.1 - 3 * LENGTH_BONUS never keeps one; the entity rules' thresholds start at 3.5.
TABLE_FLOOR = 2.8


@lru_cache(maxsize=1)
def _zipf_table() -> dict[str, float]:
    """Word -> Zipf frequency, from wordfreq's buckets (one frequency each), the
    words below ``TABLE_FLOOR`` left out: 54,000 entries of 635,000, the same answers,
    in a table a twelfth the size, whose lookups miss the CPU caches less."""
    from wordfreq import cB_to_freq, get_frequency_list

    table: dict[str, float] = {}
    for index, bucket in enumerate(get_frequency_list("de", wordlist="best")):
        zipf_value = math.log10(cB_to_freq(-index)) + 9
        if bucket and zipf_value >= TABLE_FLOOR:
            table.update(dict.fromkeys(bucket, zipf_value))
    return table


def zipf(word: str) -> float:
    """Zipf frequency of a lower-case word (0 if unknown or below ``TABLE_FLOOR``)."""
    return _zipf_table().get(word, 0.0)


def _acceptable(part: str, z: float, minimum: float) -> bool:
    if len(part) <= 3:
        return part in SHORT_PARTS
    return z >= minimum


# Noun suffixes whose plurals are rarer than the singular (-ungen, -innen, -heiten).
PLURAL_SUFFIXES = ("ung", "in", "heit", "keit", "schaft", "ion", "tät", "nis")
PLURALS = tuple(s + e for s in PLURAL_SUFFIXES for e in ("nen", "en", "n", "se", "e"))
assert all(p[-1] in "en" for p in PLURALS)  # split_compound's quick test relies on it


def _tail_frequency(tail: str, table: dict[str, float]) -> float:
    """A right side's frequency, or its singular's when the plural is rare:
    ``Drohnensichtungen`` splits like ``Drohnensichtung``."""
    z = table.get(tail, 0.0)
    if z >= TAIL_ZIPF or not tail.endswith(PLURALS):
        return z
    for ending in ("nen", "en", "n", "se", "e"):
        singular = tail[: -len(ending)]
        if tail.endswith(ending) and singular.endswith(PLURAL_SUFFIXES):
            z = max(z, table.get(singular, 0.0))
    return z


# LINKING in its order, by the last letter a left side must end with to have them
_LINKS_BY_LAST = {last: ("",) + tuple(k for k in LINKING if k and k[-1] == last)
                  for last in {k[-1] for k in LINKING if k}}


@lru_cache(maxsize=200_000)
def _heads(head: str) -> tuple[tuple[float, str, bool], ...]:
    """(score, head, linked) for each reading of a left side, linking stripped.

    Cached: left sides recur across compounds (``bundes``, ``staats``, ``kriegs``).
    """
    table = _zipf_table()
    readings = []
    for link in _LINKS_BY_LAST.get(head[-1], ("",)):
        if link and not head.endswith(link):
            continue
        stem = head[: len(head) - len(link)] if link else head
        if len(stem) >= 2 and stem not in NOT_HEADS:
            z = table.get(stem, 0.0)
            if _acceptable(stem, z, HEAD_ZIPF):
                readings.append((z - (LINK_PENALTY if link else 0.0), stem, bool(link)))
    return tuple(readings)


@lru_cache(maxsize=200_000)
def split_compound(word: str) -> tuple[str, ...]:
    """Immediate constituents of a closed compound, lower case; () if not one.

    ``Verteidigungsminister`` -> ("verteidigung", "minister");
    ``Wandhalterung`` -> ("wand", "halterung"); ``Verantwortung`` -> ().
    """
    word = word.casefold()  # wordfreq's keys are casefolded: "ß" is "ss"
    if len(word) < MIN_WORD or not word.isalpha():
        return ()
    table = _zipf_table()
    whole = table.get(word, 0.0)
    if whole >= LEXICALISED_ZIPF:
        return ()
    best: tuple[str, ...] = ()
    best_score = whole + LENGTH_BONUS * MIN_TAIL
    lookup = table.get
    for i in range(2, len(word) - MIN_TAIL + 1):
        tail = word[i:]
        # _acceptable(tail, _tail_frequency(tail), TAIL_ZIPF), the cheap cases first:
        # most right sides are no words at all
        if len(tail) <= 3:
            if tail not in SHORT_PARTS:
                continue
            tail_z = _tail_frequency(tail, table)
        else:
            tail_z = lookup(tail, 0.0)
            if tail_z < TAIL_ZIPF:
                if tail[-1] not in "en" or not tail.endswith(PLURALS):
                    continue
                tail_z = _tail_frequency(tail, table)
                if tail_z < TAIL_ZIPF:
                    continue
        if tail in NOT_TAILS or tail in STOP_WORDS:
            continue
        for head_z, head, linked in _heads(word[:i]):
            if tail in PARTICIPLE_TAILS and not linked:
                continue
            score = (head_z + tail_z) / 2 + LENGTH_BONUS * min(len(head), len(tail))
            if score > best_score:
                best, best_score = (head, tail), score
    return best
