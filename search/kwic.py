"""Concordance (keyword in context, KWIC): every occurrence of a query's words in its result.

One row per occurrence, not per article: the words before it, the match as the
article writes it, the words after it. Occurrences are found as snippets find
them (``search.highlight``): the stored title and body are analysed again with
the index's analyzer and a word is a match when one of its index terms is one
the query searched for, so ``Minister`` shows ``Verteidigungsministerin`` and
``Selensky`` shows ``Selenskyj`` (the gazetteer's spellings); a phrase is one
match from its first word to its last; ``titel:`` words match in titles only;
excluded words (``-wort``) are no matches. A match is widened to the whole word
it is part of, and contexts are counted in words of the same field of the same
article, so they never reach into another field or article. Exact duplicates
(the same title and body) are read once, as search shows them once.

Order: ``newest``/``oldest`` (article date, then document, then title before
body and position) walk the result in date order and read only as many articles
as the page needs (at most ``MAX_READ_PER_PAGE`` per page); ``left``/``right``
(the first word left or right of the match, lower-cased, then article id and
position) must see every occurrence first, so they read at most
``MAX_SORT_ARTICLES`` articles, the newest, and say so (``complete``).
Pages continue from an opaque cursor (``search.cursor.pack``) holding the last
row's sort key and the index generation.
"""
from __future__ import annotations

import bisect
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from itertools import islice
from typing import Literal

import numpy as np
from cachetools import LRUCache

from indexer.analysis import INVISIBLE_RE, TOKEN_RE, analyze, word_terms
from indexer.entity_fields import PARAM_OF_PLURAL
from indexer.outlets import outlet_of
from search import cursor as cursors
from search.models import InvalidRequest, SearchRequest
from search.ranking import distinct
from search.snapshot import GERMAN_LANGS

KwicSort = Literal["newest", "oldest", "left", "right"]
SORTS = ("newest", "oldest", "left", "right")
DEFAULT_WIDTH, MAX_WIDTH = 8, 30  # words of context on each side
DEFAULT_SIZE, MAX_SIZE = 50, 500  # rows per page
DEFAULT_EXPORT_LIMIT, MAX_EXPORT_LIMIT = 10_000, 100_000  # rows of one export
MAX_READ_PER_PAGE = 2_000  # date order: articles read for one page at most
MAX_SORT_ARTICLES = 2_000  # left/right order: articles read (the newest) to sort their rows
_FIELD_RANK = {"title": 0, "body": 1}
_AFTER_ARTICLE = 9  # a cursor field rank after both fields: continue with the next article


@dataclass
class KwicRequest:
    search: SearchRequest = field(default_factory=SearchRequest)  # query and filters
    sort: KwicSort = "newest"
    width: int = DEFAULT_WIDTH
    size: int = DEFAULT_SIZE
    cursor: str | None = None

    def validate(self) -> KwicRequest:
        self.search.validate()
        if self.sort not in SORTS:
            raise InvalidRequest("sort", "sort must be one of " + ", ".join(SORTS))
        if not isinstance(self.width, int) or not 1 <= self.width <= MAX_WIDTH:
            raise InvalidRequest("width", f"width must be between 1 and {MAX_WIDTH} words")
        if not isinstance(self.size, int) or not 1 <= self.size <= MAX_SIZE:
            raise InvalidRequest("size", f"size must be between 1 and {MAX_SIZE}")
        if self.cursor is not None:
            _decode(self.cursor)
        return self


@dataclass
class KwicRow:
    id: str
    date: str | None
    outlet: str | None
    section: str | None
    title: str
    url: str | None
    field: str  # "title" or "body"
    left: str  # the words before the match, whitespace collapsed
    match: str  # the match as the article writes it
    right: str
    start: int  # character offsets of the match in the stored field
    end: int

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class KwicResponse:
    query: str
    sort: str
    width: int
    size: int
    articles: int  # matching articles, exact duplicates once
    articles_read: int  # articles analysed for this page
    complete: bool  # the order covers every matching article (see MAX_SORT_ARTICLES)
    occurrences: int | None  # all occurrences, when known (left/right sorts, all read)
    rows: list[KwicRow]
    next_cursor: str | None
    warnings: list[str] = field(default_factory=list)
    took_ms: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)


# the query's targets ---------------------------------------------------------
@dataclass
class _Targets:
    words: dict[str, set[str]]  # field ("text": title and body, "title") -> index terms
    phrases: list  # search.query.Phrase nodes

    def __bool__(self) -> bool:
        return bool(self.words["text"] or self.words["title"] or self.phrases)


def _targets(snap, request: SearchRequest, match_terms: set[str]) -> _Targets:
    """What counts as an occurrence: each positive word's index terms, as the search
    found them (inflections, prefix and fuzzy expansions, the gazetteer's spellings), by
    field, and the phrases. When every positive word is one of title and body, those
    are the search's own highlight terms (``match_terms``); otherwise each word is
    looked up again for its field."""
    from indexer.analysis import query_terms
    from search.engine import word_idf
    from search.evaluate import QUERY_PART_WEIGHT, Evaluator
    from search.query import MAX_TERMS, And, Exact, Not, Or, Phrase, Word, limit_terms, \
        parse_query

    targets = _Targets({"text": set(), "title": set()}, [])
    tree = parse_query(request.q, op=request.op, syntax=request.syntax).tree
    if tree is None:
        return targets
    tree, _ = limit_terms(tree, MAX_TERMS, lambda word: word_idf(snap, word))
    words, alternatives, names = [], [], []

    def walk(node) -> None:
        if isinstance(node, Not):
            return  # an excluded word is not shown
        if isinstance(node, (And, Or)):
            for child in node.children:
                walk(child)
            if isinstance(node, Or) and QUERY_PART_WEIGHT:  # op=or also counts parts
                alternatives.append(node)
        elif isinstance(node, Word):
            words.append(node)
        elif isinstance(node, Phrase):
            targets.phrases.append(node)
        elif isinstance(node, Exact) and node.field in PARAM_OF_PLURAL:  # person:Selensky
            names.append(node)

    walk(tree)
    if not targets.phrases and not names and all(w.field == "text" for w in words):
        targets.words["text"] = set(match_terms)
        return targets
    for node in words:
        evaluator = Evaluator(snap, [])
        evaluator.run(node)
        targets.words[node.field] |= evaluator.highlight_terms
    for node in alternatives:
        evaluator = Evaluator(snap, [])
        evaluator.query_parts(node.children)
        targets.words["text"] |= evaluator.highlight_terms
    for node in names:
        evaluator = Evaluator(snap, [])
        evaluator.aliases(node.value)
        targets.words["text"] |= evaluator.highlight_terms
        name = node.value.split()
        if name:  # the name as written in the query counts too (its last word)
            targets.words["text"].update(query_terms(name[-1])[:1])
    return targets


def _phrase_spans(terms_at: dict[int, set[str]], span_at: dict[int, tuple[int, int]],
                  terms: tuple[str, ...], slop: int) -> list[tuple[int, int]]:
    """Where the phrase's terms stand in order, each at most ``slop`` + 1 positions
    after the one before (the index's phrase rule), as character spans."""
    found = []
    for start_pos in sorted(p for p, at in terms_at.items() if terms[0] in at):
        pos = start_pos
        for term in terms[1:]:
            nxt = next((p for p in range(pos + 1, pos + slop + 2) if term in terms_at.get(p, ())),
                       None)
            if nxt is None:
                break
            pos = nxt
        else:
            found.append((span_at[start_pos][0], span_at[pos][1]))
    return found


@lru_cache(maxsize=100_000)
def _hyphenated_terms(form: str) -> frozenset[str]:
    return frozenset(t.text for t in analyze(form))


_HYPHENS = "-\u2010\u2011"
# One of the given word forms as a whole word the way TOKEN_RE cuts words: not inside a
# longer word, a hyphenated compound (``US-Wahl``) or a number (``1.000.000``).
_WHOLE = (r"(?<![^\W_])(?<![^\W_][{h}])(?<!\d[.,:])(?:{forms})"
          r"(?![^\W_])(?![{h}][^\W_])(?![.,:]\d)")


class _WordForms:
    """Which lower-cased word forms match ``words``, decided once per form: most forms
    of an article were met in the articles before it (Zipf), so an article costs a set
    difference and intersection plus the few new forms. Kept across requests for the
    same words (``word_forms``); each set operation is one atomic step under the GIL,
    so threads may share one."""

    def __init__(self, words: frozenset[str]):
        self.words = words
        self.known: set[str] = set()
        self.hits: set[str] = set()

    def matching(self, forms: set[str]) -> set[str]:
        words = self.words
        if len(self.known) > MAX_KNOWN_FORMS:  # a bound on memory, not on correctness
            self.known, self.hits = set(), set()
        for form in forms - self.known:
            self.known.add(form)
            entry = word_terms(form)
            if entry is None:  # a stop word
                continue
            term, parts = entry
            if term == "":  # hyphenated: the whole and its pieces, analysed alone
                if not words.isdisjoint(_hyphenated_terms(form)):
                    self.hits.add(form)
            elif term in words or not words.isdisjoint(parts):
                self.hits.add(form)
        return forms & self.hits


MAX_KNOWN_FORMS = 200_000  # forms decided per set of words before starting afresh
_WORD_FORMS: LRUCache = LRUCache(maxsize=256)  # frozenset of index terms -> _WordForms
_WORD_FORMS_LOCK = threading.Lock()


def word_forms(words: set[str]) -> _WordForms:
    """The decided forms for these index terms, shared by the requests that want them."""
    key = frozenset(words)
    with _WORD_FORMS_LOCK:
        forms = _WORD_FORMS.get(key)
        if forms is None:
            forms = _WORD_FORMS[key] = _WordForms(key)
    return forms


@lru_cache(maxsize=4096)
def _whole_words(forms: frozenset[str]) -> re.Pattern:
    alternatives = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(_WHOLE.format(h=_HYPHENS, forms=alternatives))


def _word_spans(text: str, forms: _WordForms) -> list[tuple[int, int]] | None:
    """Spans of the words whose index terms (the word's or its compound parts') are
    among the wanted ones: ``analyze``'s German terms without positions (only phrases
    need them), decided per distinct word form, then found in one pass. None when
    lower-casing changes the text's length (offsets would not carry over)."""
    lowered = text.lower()
    if len(lowered) != len(text):
        return None
    hits = forms.matching(set(TOKEN_RE.findall(lowered)))
    if not hits:
        return []
    return [m.span() for m in _whole_words(frozenset(hits)).finditer(lowered)]


def _token_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in TOKEN_RE.finditer(text)]


def _windows_around(tokens: list[tuple[int, int]], spans: list[tuple[int, int]],
                    reach: int) -> list[tuple[int, int]]:
    """Character ranges of ``reach`` words (``tokens``: the text's word spans) before and
    after each span, cut at word boundaries, overlapping ones merged: where a phrase
    around a hit can stand."""
    if not tokens:
        return []
    starts = [start for start, _ in tokens]
    windows: list[list[int]] = []
    for lo, hi in spans:
        first = max(bisect.bisect_right(starts, lo) - 1 - reach, 0)
        last = min(max(bisect.bisect_right(starts, hi - 1) - 1, 0) + reach, len(tokens) - 1)
        start, end = tokens[first][0], tokens[last][1]
        if windows and start <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], end)
        else:
            windows.append([start, end])
    return [(start, end) for start, end in windows]


def _context(text: str, start: int, end: int, width: int) -> tuple[str, str, str, str]:
    """Up to ``width`` words before and after ``text[start:end]`` (to the field's edge,
    closing punctuation included, when fewer remain) and the first word on each side,
    lower-cased: tokenised in windows around the match, not the whole text."""
    reach = 12 * (width + 1)
    lo = start
    while True:
        lo = max(0, lo - reach)
        before = [m for m in TOKEN_RE.finditer(text, lo, start)]
        if len(before) > width or lo == 0:  # the window's first word may be cut: not used
            break
        reach *= 2
    reach = 12 * (width + 1)
    hi = end
    while True:
        hi = min(len(text), hi + reach)
        after = [m for m in TOKEN_RE.finditer(text, end, hi)]
        if len(after) > width or hi == len(text):  # the last word may be cut: not used
            break
        reach *= 2
    left_from = before[-width].start() if len(before) > width else 0
    right_to = after[width - 1].end() if len(after) >= width else len(text)
    return (" ".join(text[left_from:start].split()), " ".join(text[end:right_to].split()),
            before[-1].group().casefold() if before else "",
            after[0].group().casefold() if after else "")


class _Reader:
    """Rows of one article at a time, for one request's targets."""

    def __init__(self, snap, targets: _Targets, width: int):
        self.snap = snap
        self.targets = targets
        self.width = width
        self._phrase_terms: dict = {}
        self._forms: dict[str, _WordForms] = {}  # per field

    def phrase_terms(self, node, lang: str):
        from search.evaluate import Evaluator

        key = (node, lang)
        if key not in self._phrase_terms:
            self._phrase_terms[key] = Evaluator.phrase_terms(node.words, lang)
        return self._phrase_terms[key]

    def spans(self, text: str, field_name: str, lang: str) -> list[tuple[int, int]]:
        """The matches in ``text``, each widened to the whole words it touches,
        overlapping ones merged, in text order."""
        words = self.targets.words["text"]
        if field_name == "title" and self.targets.words["title"]:
            words = words | self.targets.words["title"]
        phrases = [p for p in self.targets.phrases if p.field == "text" or field_name == "title"]
        if not words and not phrases:
            return []
        if not phrases and lang in GERMAN_LANGS and not INVISIBLE_RE.search(text):
            if field_name not in self._forms:
                self._forms[field_name] = word_forms(words)
            quick = _word_spans(text, self._forms[field_name])
            if quick is not None:
                return quick
        if phrases and lang in GERMAN_LANGS and not INVISIBLE_RE.search(text):
            # Phrases need the analysis with positions, the costly part of a concordance:
            # only the words around a word of the query are analysed, as far as a phrase
            # with its gaps (slop, stop words) can reach; windows start and end between
            # words, so each word is analysed as in the whole text.
            hits = _word_spans(text, self._phrase_forms(field_name, words, phrases, lang))
            if hits is not None:
                tokens = _token_spans(text)  # once, for the windows and the whole words
                spans = []
                for start, end in _windows_around(tokens, hits, self._reach(phrases, lang)):
                    spans += [(lo + start, hi + start) for lo, hi in
                              self._analysed_spans(text[start:end], words, phrases, lang)]
                return self._whole(tokens, spans)
        spans = self._analysed_spans(text, words, phrases, lang)
        return self._whole(_token_spans(text), spans) if spans else []

    def _reach(self, phrases: list, lang: str) -> int:
        """How many words from one of its words a phrase can extend."""
        reach = 1
        for node in phrases:
            terms, dropped = self.phrase_terms(node, "de" if lang == "und" else lang)
            reach = max(reach, (len(terms) + dropped) * (node.slop + 1) + dropped + 1)
        return reach

    def _phrase_forms(self, field_name: str, words: set[str], phrases: list,
                      lang: str) -> _WordForms:
        """The word forms of the query's words and of every word of its phrases."""
        key = f"{field_name}+phrases@{lang}"
        if key not in self._forms:
            wanted = set(words)
            for node in phrases:
                wanted.update(self.phrase_terms(node, "de" if lang == "und" else lang)[0])
            self._forms[key] = word_forms(wanted)
        return self._forms[key]

    def _analysed_spans(self, text: str, words: set[str], phrases: list,
                        lang: str) -> list[tuple[int, int]]:
        analysed = analyze(text, lang=lang)
        spans = [(t.start, t.end) for t in analysed if t.text in words]
        if phrases:
            terms_at: dict[int, set[str]] = {}
            span_at: dict[int, tuple[int, int]] = {}
            for t in analysed:
                terms_at.setdefault(t.pos, set()).add(t.text)
                lo, hi = span_at.get(t.pos, (t.start, t.end))
                span_at[t.pos] = (min(lo, t.start), max(hi, t.end))
            for node in phrases:
                terms, dropped = self.phrase_terms(node, "de" if lang == "und" else lang)
                if terms:
                    spans += _phrase_spans(terms_at, span_at, terms, node.slop + dropped)
        return spans

    @staticmethod
    def _whole(tokens: list[tuple[int, int]],
               spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """The spans widened to the whole words (``tokens``) they touch, overlapping ones
        merged."""
        if not spans:
            return []
        starts = [start for start, _ in tokens]
        merged: list[list[int]] = []  # token index ranges [first, last]
        for lo, hi in sorted(spans):
            first = max(bisect.bisect_right(starts, lo) - 1, 0)
            last = max(bisect.bisect_right(starts, hi - 1) - 1, first)
            if merged and first <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], last)
            else:
                merged.append([first, last])
        return [(tokens[first][0], tokens[last][1]) for first, last in merged]

    def rows(self, docnum: int) -> list[tuple[tuple, KwicRow]]:
        """The article's rows in text order (title first), each with its word keys."""
        doc = self.snap.stored(docnum)
        lang = doc.get("lang") or "de"
        meta = dict(id=doc["id"], date=doc.get("date") or None,
                    outlet=outlet_of(doc.get("source"), doc.get("url")),
                    section=doc.get("section") or None, title=doc.get("title", ""),
                    url=doc.get("url") or None)
        out = []
        for field_name in ("title", "body"):
            text = doc.get(field_name) or ""
            for start, end in (self.spans(text, field_name, lang) if text else ()):
                left, right, left_word, right_word = _context(text, start, end, self.width)
                row = KwicRow(**meta, field=field_name, left=left,
                              match=" ".join(text[start:end].split()), right=right,
                              start=start, end=end)
                out.append(((left_word, right_word), row))
        return out


# order and cursors -----------------------------------------------------------
def _decode(token: str) -> list:
    data = cursors.unpack(token, 7)
    generation, print_, sort, *key = data
    whole = [isinstance(v, int) and not isinstance(v, bool) and abs(v) < 2 ** 62
             for v in key]
    ok = isinstance(generation, str) and isinstance(print_, str) and sort in SORTS
    if ok and sort in ("newest", "oldest"):
        ok = all(whole)
    elif ok:
        ok = isinstance(key[0], str) and isinstance(key[1], str) and all(whole[2:])
    if not ok:
        raise InvalidRequest("cursor", "cursor is not a cursor this API gave out; pass the "
                                       "next_cursor of the previous page unchanged")
    return data


def _fingerprint(request: KwicRequest) -> str:
    return cursors.fingerprint(request.search)


def _read_cursor(snap, request: KwicRequest) -> tuple | None:
    if request.cursor is None:
        return None
    generation, print_, sort, *key = _decode(request.cursor)
    if generation != snap.generation:
        raise cursors.StaleCursor()
    if print_ != _fingerprint(request) or sort != request.sort:
        raise InvalidRequest("cursor", "the cursor belongs to another concordance (query, "
                                       "filters or sort differ); start again without it")
    return tuple(key)


def _in_date_order(snap, docs: np.ndarray, sort: str, after: tuple | None = None
                   ) -> Iterator[tuple[int, int]]:
    """(docnum, date key) of the result in date order: the key ascending (``-date`` for
    newest first; the date, undated last, for oldest first), then the docnum; one
    article per group of exact duplicates (its first in this order); from the cursor's
    article on. Sorted in growing chunks, smallest keys first (``ranking`` does the
    same), so that a page that needs a hundred articles does not sort fifty thousand."""
    dates = snap.dates[docs]
    keys = np.where(dates < 0, np.iinfo(np.int64).max, dates) if sort == "oldest" else -dates
    codes = snap.dup_codes[docs]
    if after is not None:  # from the cursor's article on, or after it when it was read whole
        same = docs > after[1] if after[2] == _AFTER_ARTICLE else docs >= after[1]
        later = (keys > after[0]) | ((keys == after[0]) & same)
        # a group with a member before the cursor was shown by it
        keep = later & ~np.isin(codes, codes[~later])
        docs, keys, codes = docs[keep], keys[keep], codes[keep]
    seen: set[int] = set()
    take = 256
    while len(docs):
        chosen = np.ones(len(docs), dtype=bool)
        if take < len(docs):
            chosen = keys <= np.partition(keys, take - 1)[take - 1]
        order = np.lexsort((docs[chosen], keys[chosen]))
        for docnum, key, code in zip(docs[chosen][order].tolist(), keys[chosen][order].tolist(),
                                     codes[chosen][order].tolist()):
            if code not in seen:
                seen.add(code)
                yield docnum, key
        rest = ~chosen
        docs, keys, codes = docs[rest], keys[rest], codes[rest]
        take *= 4


def _walk_dates(reader: _Reader, walk: Iterator[tuple[int, int]], after: tuple | None,
                max_read: int | None, read: list[int] | None = None):
    """(row key, row) of the articles of ``walk`` after the cursor key; when the article
    budget ``max_read`` is spent, (None, date key, docnum) of the last article read
    (then the caller stops). ``read[0]`` counts the articles analysed."""
    read = read if read is not None else [0]
    last = None
    for docnum, key in walk:
        if max_read is not None and read[0] >= max_read:
            yield None, *last
            return
        read[0] += 1
        last = (key, docnum)
        for _, row in reader.rows(docnum):
            row_key = (key, docnum, _FIELD_RANK[row.field], row.start)
            if after is None or row_key > after:
                yield row_key, row


def _sorted_rows(reader: _Reader, walk: Iterator[tuple[int, int]], sort: str
                 ) -> list[tuple[tuple, KwicRow]]:
    """The rows of the first ``MAX_SORT_ARTICLES`` articles of ``walk``, by the word
    left or right of the match, then article id and position."""
    rows = []
    for docnum, _ in islice(walk, MAX_SORT_ARTICLES):
        for (left, right), row in reader.rows(docnum):
            word = left if sort == "left" else right
            rows.append(((word, row.id, _FIELD_RANK[row.field], row.start), row))
    rows.sort(key=lambda r: r[0])
    return rows


# the library's entry points ----------------------------------------------------
def concordance(engine, request: KwicRequest) -> KwicResponse:
    """One page of rows."""
    started = time.perf_counter()
    request.validate()
    with engine.focus(request.search) as (snap, match):
        after = _read_cursor(snap, request)
        targets = _targets(snap, request.search, match.terms)
        reader = _Reader(snap, targets, request.width)
        warnings = list(match.warnings)
        order = "oldest" if request.sort == "oldest" else "newest"
        matching = distinct(snap, match.docs)
        docs = match.docs
        if not targets:  # no word to show (browsing, a date or an entity field only)
            warnings.append("Die Anfrage enthält kein Wort, dessen Belegstellen sich zeigen "
                            "ließen")
            docs = docs[:0]
        rows: list = []
        next_key, occurrences = None, None
        if request.sort in ("newest", "oldest"):
            read, exhausted = [0], True
            walk = _in_date_order(snap, docs, order, after)
            for item in _walk_dates(reader, walk, after, MAX_READ_PER_PAGE, read):
                if item[0] is None:  # the article budget is spent: continue after this one
                    next_key, exhausted = (item[1], item[2], _AFTER_ARTICLE, 0), False
                    break
                if len(rows) == request.size:
                    next_key, exhausted = rows[-1][0], False
                    break
                rows.append(item)
            complete = exhausted and after is None
            if complete:
                occurrences = len(rows)
            articles_read = read[0]
        else:
            everything = _sorted_rows(reader, _in_date_order(snap, docs, order), request.sort)
            available = matching if len(docs) else 0
            complete = available <= MAX_SORT_ARTICLES
            if not complete:
                warnings.append(f"Sortiert wurden nur die Belegstellen der {MAX_SORT_ARTICLES:,} "
                                f"neuesten von {available:,} Artikeln".replace(",", "."))
            occurrences = len(everything) if complete else None
            articles_read = min(available, MAX_SORT_ARTICLES)
            if after is not None:
                everything = [r for r in everything if r[0] > after]
            rows = everything[:request.size]
            if len(everything) > request.size:
                next_key = rows[-1][0]
        next_cursor = None
        if next_key is not None:
            next_cursor = cursors.pack([snap.generation, _fingerprint(request), request.sort,
                                        *next_key])
        return KwicResponse(
            query=request.search.q, sort=request.sort, width=request.width, size=request.size,
            articles=matching, articles_read=articles_read, complete=complete,
            occurrences=occurrences, rows=[row for _, row in rows], next_cursor=next_cursor,
            warnings=warnings, took_ms=round((time.perf_counter() - started) * 1000, 2))


def concordance_rows(engine, request: KwicRequest, limit: int = DEFAULT_EXPORT_LIMIT
                     ) -> Iterator[KwicRow]:
    """Every row in the request's order, up to ``limit`` (for exports; no cursor)."""
    request.validate()
    if not isinstance(limit, int) or not 1 <= limit <= MAX_EXPORT_LIMIT:
        raise InvalidRequest("limit", f"limit must be between 1 and {MAX_EXPORT_LIMIT}")
    with engine.focus(request.search) as (snap, match):
        targets = _targets(snap, request.search, match.terms)
        if not targets:
            return
        reader = _Reader(snap, targets, request.width)
        walk = _in_date_order(snap, match.docs, "oldest" if request.sort == "oldest"
                              else "newest")
        if request.sort in ("newest", "oldest"):
            rows = (item[1] for item in _walk_dates(reader, walk, None, None))
        else:
            rows = (row for _, row in _sorted_rows(reader, walk, request.sort))
        for n, row in enumerate(rows):
            if n >= limit:
                return
            yield row


EXPORT_FIELDS = ("id", "date", "outlet", "section", "field", "left", "match", "right",
                 "start", "end", "title", "url")

__all__ = ["KwicRequest", "KwicResponse", "KwicRow", "concordance", "concordance_rows"]
