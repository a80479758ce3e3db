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
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Literal

import numpy as np

from indexer.analysis import TOKEN_RE, analyze
from indexer.entity_fields import PARAM_OF_PLURAL
from indexer.outlets import outlet_of
from search import cursor as cursors
from search.models import InvalidRequest, SearchRequest

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


def _targets(snap, request: SearchRequest) -> _Targets:
    """What counts as an occurrence: each positive word's index terms, as the search
    found them (inflections, prefix and fuzzy expansions, the gazetteer's spellings), by
    field, and the phrases."""
    from search.engine import _idf
    from search.evaluate import QUERY_PART_WEIGHT, Evaluator
    from search.query import MAX_TERMS, And, Exact, Not, Or, Phrase, Word, limit_terms, \
        parse_query

    parsed = parse_query(request.q, op=request.op, syntax=request.syntax)
    targets = _Targets({"text": set(), "title": set()}, [])
    tree = parsed.tree
    if tree is None:
        return targets
    tree, _ = limit_terms(tree, MAX_TERMS, lambda word: _idf(snap, word))

    def walk(node) -> None:
        if isinstance(node, Not):
            return  # an excluded word is not shown
        if isinstance(node, (And, Or)):
            for child in node.children:
                walk(child)
            if isinstance(node, Or) and QUERY_PART_WEIGHT:  # op=or also counts parts
                evaluator = Evaluator(snap, [])
                evaluator.query_parts(node.children)
                targets.words["text"] |= evaluator.highlight_terms
        elif isinstance(node, Word):
            evaluator = Evaluator(snap, [])
            evaluator.run(node)
            targets.words[node.field] |= evaluator.highlight_terms
        elif isinstance(node, Phrase):
            targets.phrases.append(node)
        elif isinstance(node, Exact) and node.field in PARAM_OF_PLURAL:  # person:Selensky
            from indexer.analysis import query_terms

            evaluator = Evaluator(snap, [])
            evaluator.aliases(node.value)
            targets.words["text"] |= evaluator.highlight_terms
            targets.words["text"].update(query_terms(node.value.split()[-1])[:1])

    walk(tree)
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


class _Reader:
    """Rows of one article at a time, for one request's targets."""

    def __init__(self, snap, targets: _Targets, width: int):
        self.snap = snap
        self.targets = targets
        self.width = width
        self._phrase_terms: dict = {}

    def phrase_terms(self, node, lang: str):
        from search.evaluate import Evaluator

        key = (node, lang)
        if key not in self._phrase_terms:
            self._phrase_terms[key] = Evaluator._phrase_terms(node.words, lang)
        return self._phrase_terms[key]

    def spans(self, text: str, field_name: str, lang: str) -> list[tuple[int, int]]:
        words = set(self.targets.words["text"])
        if field_name == "title":
            words |= self.targets.words["title"]
        phrases = [p for p in self.targets.phrases if p.field == "text" or field_name == "title"]
        if not words and not phrases:
            return []
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
        return sorted(spans)

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
            spans = self.spans(text, field_name, lang) if text else []
            if not spans:
                continue
            tokens = [m.span() for m in TOKEN_RE.finditer(text)]
            starts = [s for s, _ in tokens]
            merged: list[list[int]] = []  # token index ranges [first, last]
            for lo, hi in spans:
                first = max(bisect.bisect_right(starts, lo) - 1, 0)
                last = max(bisect.bisect_right(starts, hi - 1) - 1, first)
                if merged and first <= merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], last)
                else:
                    merged.append([first, last])
            for first, last in merged:
                start, end = tokens[first][0], tokens[last][1]
                # to the field's edge when the width reaches it (closing punctuation)
                left_from = tokens[first - self.width][0] if first > self.width else 0
                right_to = (tokens[last + self.width][1] if last + self.width < len(tokens)
                            else len(text))
                left_word = text[slice(*tokens[first - 1])].casefold() if first else ""
                right_word = (text[slice(*tokens[last + 1])].casefold()
                              if last + 1 < len(tokens) else "")
                row = KwicRow(**meta, field=field_name,
                              left=" ".join(text[left_from:start].split()),
                              match=" ".join(text[start:end].split()),
                              right=" ".join(text[end:right_to].split()), start=start, end=end)
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


def _date_order(snap, docs: np.ndarray, sort: str) -> tuple[np.ndarray, np.ndarray]:
    """The result's documents in date order, one per group of exact duplicates, and
    their date keys (ascending in that order; undated last either way)."""
    dates = snap.dates[docs]
    keys = np.where(dates < 0, np.iinfo(np.int64).max, dates) if sort == "oldest" else -dates
    order = np.lexsort((docs, keys))
    docs, keys = docs[order], keys[order]
    _, first = np.unique(snap.dup_codes[docs], return_index=True)
    keep = np.sort(first)
    return docs[keep], keys[keep]


def _walk_dates(reader: _Reader, docs, keys, after: tuple | None, max_read: int | None,
                read: list[int] | None = None):
    """(row key, row) in date order from after the cursor key; when the article budget
    ``max_read`` is spent, (None, date key, docnum) of the last article read (then the
    caller stops). ``read[0]`` counts the articles analysed."""
    read = read if read is not None else [0]
    start = 0
    if after is not None:
        later = (keys > after[0]) | ((keys == after[0]) & (docs >= after[1]))
        start = int(np.argmax(later)) if later.any() else len(docs)
    for i in range(start, len(docs)):
        if max_read is not None and read[0] >= max_read:
            yield None, int(keys[i - 1]), int(docs[i - 1])
            return
        docnum, key = int(docs[i]), int(keys[i])
        read[0] += 1
        for _, row in reader.rows(docnum):
            row_key = (key, docnum, _FIELD_RANK[row.field], row.start)
            if after is None or row_key > after:
                yield row_key, row


def _sorted_rows(reader: _Reader, docs, sort: str) -> list[tuple[tuple, KwicRow]]:
    rows = []
    for docnum in docs[:MAX_SORT_ARTICLES].tolist():
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
        targets = _targets(snap, request.search)
        reader = _Reader(snap, targets, request.width)
        warnings = list(match.warnings)
        docs, keys = _date_order(snap, match.docs, "oldest" if request.sort == "oldest"
                                 else "newest")
        matching = len(docs)
        if not targets:  # no word to show (browsing, a date or an entity field only)
            warnings.append("Die Anfrage enthält kein Wort, dessen Belegstellen sich zeigen "
                            "ließen")
            docs, keys = docs[:0], keys[:0]
        rows: list = []
        next_key, occurrences = None, None
        if request.sort in ("newest", "oldest"):
            read, exhausted = [0], True
            for item in _walk_dates(reader, docs, keys, after, MAX_READ_PER_PAGE, read):
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
            everything = _sorted_rows(reader, docs, request.sort)
            complete = len(docs) <= MAX_SORT_ARTICLES
            if not complete:
                warnings.append(f"Sortiert wurden nur die Belegstellen der {MAX_SORT_ARTICLES:,} "
                                f"neuesten von {len(docs):,} Artikeln".replace(",", "."))
            occurrences = len(everything) if complete else None
            articles_read = min(len(docs), MAX_SORT_ARTICLES)
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
        targets = _targets(snap, request.search)
        reader = _Reader(snap, targets, request.width)
        docs, keys = _date_order(snap, match.docs, "oldest" if request.sort == "oldest"
                                 else "newest")
        if not targets:
            return
        if request.sort in ("newest", "oldest"):
            rows = (item[1] for item in _walk_dates(reader, docs, keys, None, None))
        else:
            rows = (row for _, row in _sorted_rows(reader, docs, request.sort))
        for n, row in enumerate(rows):
            if n >= limit:
                return
            yield row


EXPORT_FIELDS = ("id", "date", "outlet", "section", "field", "left", "match", "right",
                 "start", "end", "title", "url")

__all__ = ["KwicRequest", "KwicResponse", "KwicRow", "concordance", "concordance_rows"]
