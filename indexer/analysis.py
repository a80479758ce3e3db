"""German text analysis, shared by the index build and by query parsing.

One pipeline: tokenise (keeping hyphenated compounds whole and as parts),
casefold, drop German stop words, fold umlauts (ä/ae, ö/oe, ü/ue, ß/ss),
stem with Snowball, and at index time add the parts of closed compounds
(``Verteidigungsminister`` -> ``verteidigung``, ``minister``) with a low
weight so that they add recall without outweighing the whole word.

The per-word work is cached: news text repeats its vocabulary so heavily
that after a few hundred articles nearly every word is a dictionary hit.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

import snowballstemmer
from whoosh.analysis import Composable, Token
from whoosh.lang.stopwords import stoplists

from indexer.decompound import split_compound

# Words of the Snowball list that are nouns as often as function words in
# news ("der Weg", "die Macht ... machen") stay searchable.
STOP_WORDS = frozenset(stoplists["de"]) - {"weg", "machen", "weiter", "hin"} | {
    "dass", "ab", "beim", "sei", "seien", "wurde", "wurden", "worden", "habe",
}

# Invisible characters that real exports leave inside words (soft hyphen,
# zero-width space/joiner, word joiner, BOM): they must not split a word.
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")
_HYPHENS = "-\u2010\u2011"
TOKEN_RE = re.compile(
    rf"\d(?:\d|[{_INVISIBLE}])*(?:[.,:][{_INVISIBLE}]*\d(?:\d|[{_INVISIBLE}])*)+"  # 1.000, 3,5, 12:30
    rf"|[^\W_](?:[^\W_]|[{_INVISIBLE}])*"  # a word, invisible characters inside it kept
    rf"(?:[{_HYPHENS}][{_INVISIBLE}]*[^\W_](?:[^\W_]|[{_INVISIBLE}])*)*"  # hyphenated parts
)
_HYPHEN_RE = re.compile(f"[{_HYPHENS}]")
_PIECE_RE = re.compile(f"[^{_HYPHENS}]+")

# Compound parts count this much of a whole-word occurrence.
PART_BOOST = 0.3
RECURSE_FROM = 10  # parts this long may be compounds themselves


def fold_umlauts(word: str) -> str:
    """German normalisation as Lucene's GermanNormalizationFilter does it.

    ä/ae -> a, ö/oe -> o, ü/ue -> u (``ue`` not after a vowel or ``q``, so
    ``neue`` and ``Quelle`` survive), ß -> ss. Input must be lower case.
    """
    if word.isascii() and "ae" not in word and "oe" not in word and "ue" not in word:
        return word  # most words: nothing to fold
    out = []
    state = 0  # 0: normal, 1: after a/o/u that may take an umlaut e, 2: after vowel
    for ch in word:
        if ch in "ao":
            state = 1
        elif ch == "u":
            state = 1 if state == 0 else 2
        elif ch == "e":
            if state == 1:
                state = 2
                continue
            state = 2
        elif ch in "iqy":
            state = 2
        elif ch in "äàáâ":
            ch, state = "a", 2
        elif ch in "öòóô":
            ch, state = "o", 2
        elif ch in "üùúû":
            ch, state = "u", 2
        elif ch == "ß":
            ch, state = "ss", 0
        else:
            state = 0
        out.append(ch)
    folded = "".join(out)
    return folded if folded.isascii() else _strip_marks(folded)


_LETTERS = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "æ": "ae", "œ": "oe"})


def _strip_marks(word: str) -> str:
    """Other diacritics go too: ``Erdoğan`` and ``Erdogan`` are one name."""
    decomposed = unicodedata.normalize("NFKD", word.translate(_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_stemmer = snowballstemmer.stemmer("german")


@lru_cache(maxsize=500_000)
def term_for(word: str) -> str:
    """The index term of one lower-cased word: folded and stemmed."""
    return _stemmer.stemWord(fold_umlauts(word))


@lru_cache(maxsize=200_000)
def compound_terms(word: str) -> tuple[str, ...]:
    """Index terms of the parts of a closed compound, recursively; () if none."""
    parts = split_compound(word)
    if not parts:
        return ()
    terms: list[str] = []
    for part in parts:
        if part not in STOP_WORDS:
            terms.append(term_for(part))
        if len(part) >= RECURSE_FROM:  # "Haushalt" in "Bundeshaushalt" stays whole
            terms.extend(compound_terms(part))
    whole = term_for(word)
    return tuple(dict.fromkeys(t for t in terms if t != whole))


class Term(NamedTuple):
    text: str
    pos: int
    start: int
    end: int
    boost: float


# Snowball stemmers for the languages other than German that news carry.
SNOWBALL_NAMES = {"en": "english", "fr": "french", "es": "spanish", "it": "italian",
                  "nl": "dutch", "pt": "portuguese", "sv": "swedish", "da": "danish",
                  "no": "norwegian", "fi": "finnish", "ru": "russian", "tr": "turkish",
                  "pl": "polish", "hu": "hungarian", "ro": "romanian", "cs": "czech",
                  "el": "greek", "ar": "arabic"}


@lru_cache(maxsize=None)
def _foreign_stemmer(lang: str):
    return snowballstemmer.stemmer(SNOWBALL_NAMES[lang]) if lang in SNOWBALL_NAMES else None


@lru_cache(maxsize=None)
def _foreign_stop_words(lang: str) -> frozenset[str]:
    return frozenset(stoplists.get(lang, ()))


def _analyze_foreign(text: str, lang: str, boost: float, start_pos: int) -> list[Term]:
    """Other languages: their own stop words and stemmer, no German rules."""
    stemmer, stops = _foreign_stemmer(lang), _foreign_stop_words(lang)
    terms = []
    for pos, m in enumerate(TOKEN_RE.finditer(text), start_pos):
        word = INVISIBLE_RE.sub("", m.group()).lower()
        if word in stops:
            continue
        term = stemmer.stemWord(word) if stemmer else word
        terms.append(Term(fold_umlauts(term), pos, m.start(), m.end(), boost))
    return terms


def analyze(text: str, *, boost: float = 1.0, decompound: bool = True,
            start_pos: int = 0, lang: str = "de") -> list[Term]:
    """Index terms of ``text`` with positions, character offsets and boosts.

    A hyphenated compound yields the whole and each part (the parts on
    consecutive positions, so a phrase over the parts matches); closed
    compounds add their parts on the same position with ``PART_BOOST``.
    Text in another language (``lang``) gets that language's analysis;
    undetermined text is treated as German, the archive's language.
    """
    if lang not in ("de", "und"):
        return _analyze_foreign(text, lang, boost, start_pos)
    terms: list[Term] = []
    pos = start_pos
    has_invisible = INVISIBLE_RE.search(text) is not None
    for m in TOKEN_RE.finditer(text):
        raw = m.group()
        if has_invisible:
            raw = INVISIBLE_RE.sub("", raw)
        word = raw.lower()
        start, end = m.span()
        if "-" in word or "\u2010" in word or "\u2011" in word:
            terms.append(Term(term_for(word), pos, start, end, boost))
            for pm in _PIECE_RE.finditer(m.group()):
                piece = INVISIBLE_RE.sub("", pm.group()).lower()
                if piece not in STOP_WORDS:
                    span = (start + pm.start(), start + pm.end())
                    terms.append(Term(term_for(piece), pos, *span, boost))
                    if decompound:
                        for part in compound_terms(piece):
                            terms.append(Term(part, pos, *span, boost * PART_BOOST))
                pos += 1
            continue
        entry = word_terms(word)
        if entry is None:  # a stop word keeps its position: phrases must not jump it
            pos += 1
            continue
        term, parts = entry
        terms.append(Term(term, pos, start, end, boost))
        if decompound and parts:
            part_boost = boost * PART_BOOST
            for part in parts:
                terms.append(Term(part, pos, start, end, part_boost))
        pos += 1
    return terms


def collect_postings(text: str, postings: dict[str, list], *, boost: float = 1.0,
                     start_pos: int = 0, lang: str = "de", surface: list | None = None) -> int:
    """Add the index terms of ``text`` to ``postings``: term -> [summed boost, pos, pos, ...].

    The terms, positions and boosts of ``analyze``, without its character
    offsets, which only highlighting needs: skipping them (one regex pass
    over the lower-cased text, no token objects) makes this the build's
    analysis at a third of the cost. Returns the next free position.

    With ``surface``, the words of ``text`` as written (``TOKEN_RE.findall`` of it,
    invisible characters kept) are appended to it as one list, for the written forms
    of the keyword lists (``termvectors.FormCounter``): German text without invisible
    characters is tokenised once for both, its words looked up as written.
    """
    if lang not in ("de", "und"):
        if surface is not None:
            surface.append(TOKEN_RE.findall(text))
        terms = _analyze_foreign(text, lang, boost, start_pos)
        for term in terms:
            _add_posting(postings, term.text, term.pos, term.boost)
        return terms[-1].pos + 1 if terms else start_pos
    lookup = word_terms
    if INVISIBLE_RE.search(text):
        if surface is not None:
            surface.append(TOKEN_RE.findall(text))
        text = INVISIBLE_RE.sub("", text)
        words = _lower_words(text)
    elif surface is not None:
        # Lower-casing each word as written is analyze()'s own rule; surface_terms
        # caches it per written form, so the words need no lower-casing here.
        words = TOKEN_RE.findall(text)
        surface.append(words)
        lookup = surface_terms
    else:
        words = _lower_words(text)
    pos = start_pos
    part_boost = boost * PART_BOOST
    get = postings.get
    for word in words:
        entry = lookup(word)
        if entry is None:
            pos += 1
            continue
        if entry is _HYPHENATED:
            pos = _collect_hyphenated(word.lower(), postings, boost, pos)
            continue
        term, parts = entry
        found = get(term)  # _add_posting inlined: this runs for every word
        if found is None:
            postings[term] = [boost, pos]
        else:
            found[0] += boost
            found.append(pos)
        for part in parts:
            _add_posting(postings, part, pos, part_boost)
        pos += 1
    return pos


def _lower_words(text: str) -> list[str]:
    """The lower-cased words of ``text`` (without invisible characters)."""
    lowered = text.lower()
    if len(lowered) == len(text) and "Σ" not in text:
        return TOKEN_RE.findall(lowered)
    # Lower-casing the text at once differs from lower-casing each word, as
    # analyze() does, in two places: "İ" becomes two characters, the second of
    # which would split its word, and "Σ" becomes "ς" or "σ" by what follows it.
    return [w.lower() for w in TOKEN_RE.findall(text)]


def _add_posting(postings: dict[str, list], term: str, pos: int, boost: float) -> None:
    found = postings.get(term)
    if found is None:
        postings[term] = [boost, pos]
    else:
        found[0] += boost
        found.append(pos)


def _collect_hyphenated(word: str, postings: dict[str, list], boost: float, pos: int) -> int:
    """``analyze``'s treatment of a hyphenated compound: the whole, then each part."""
    _add_posting(postings, term_for(word), pos, boost)
    for piece in _PIECE_RE.findall(word):
        if piece not in STOP_WORDS:
            _add_posting(postings, term_for(piece), pos, boost)
            for part in compound_terms(piece):
                _add_posting(postings, part, pos, boost * PART_BOOST)
        pos += 1
    return pos


_HYPHENATED = ("", ())


@lru_cache(maxsize=500_000)
def word_terms(word: str) -> tuple[str, tuple[str, ...]] | None:
    """(index term, compound-part terms) of one lower-case word; None for a stop word.

    ``_HYPHENATED`` for a word with hyphens, which ``collect_postings`` splits.
    """
    if word in STOP_WORDS:
        return None
    if _HYPHEN_RE.search(word):
        return _HYPHENATED
    return term_for(word), (compound_terms(word) if len(word) >= 7 else ())


@lru_cache(maxsize=500_000)
def surface_terms(surface: str) -> tuple[str, tuple[str, ...]] | None:
    """``word_terms`` of a word as written (lower-cased here), without invisible
    characters."""
    return word_terms(surface.lower())


def count_words(text: str, lang: str = "de") -> int:
    """The number of words of ``text`` as the analysis counts positions: every token
    (words and numbers, stop words included), a hyphenated compound once per part in
    German (``NATO-Generalsekretär`` is two) and once as a whole in other languages.
    ``collect_postings`` advances its position by exactly this much; the doc values'
    ``words`` column holds it for title plus body (the denominator of ``ipm``)."""
    if lang not in ("de", "und"):
        return sum(1 for _ in TOKEN_RE.finditer(text))
    if INVISIBLE_RE.search(text):
        text = INVISIBLE_RE.sub("", text)
    count = 0
    for word in TOKEN_RE.findall(text):
        count += len(_PIECE_RE.findall(word)) if _HYPHEN_RE.search(word) else 1
    return count


def query_terms(text: str) -> list[str]:
    """The terms a query word or phrase is searched by (no compound parts)."""
    return [t.text for t in analyze(text, decompound=False)]


@lru_cache(maxsize=100_000)
def query_terms_in(text: str, lang: str) -> tuple[str, ...]:
    """The terms a query word is searched by in articles of language ``lang``, which
    were analysed with that language's stop words and stemmer (``analyze``); German
    for ``de`` and ``und``. Empty for a stop word of that language."""
    if lang in ("de", "und"):
        return tuple(query_terms(text))
    return tuple(t.text for t in _analyze_foreign(text, lang, 1.0, 0))


class GermanAnalyzer(Composable):
    """The pipeline above as a whoosh analyzer, for query parsing and highlighting."""

    def __init__(self, decompound: bool = True):
        self.decompound = decompound

    def __eq__(self, other):
        return isinstance(other, GermanAnalyzer) and other.decompound == self.decompound

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True,
                 mode="", **kwargs):
        decompound = self.decompound and mode == "index"
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for term in analyze(value, decompound=decompound, start_pos=start_pos):
            token.text = term.text
            token.boost = term.boost
            token.stopped = False
            if keeporiginal:
                token.original = value[term.start:term.end]
            if positions:
                token.pos = term.pos
            if chars:
                token.startchar = start_char + term.start
                token.endchar = start_char + term.end
            yield token
