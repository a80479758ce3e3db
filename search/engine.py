"""The whoosh engine: serves the published generation and answers requests.

Jobs live in modules of their own: ``snapshot`` opens a generation,
``evaluate`` turns a query into scored documents, ``ranking`` orders and
pages them, ``facets`` counts, ``hits`` builds hits from stored fields,
``suggest`` and ``similar`` do what they say. This module ties them to a
request and keeps the served generation current.

Generations: requests are served from the snapshot in hand. At most every
``check_interval`` seconds a request looks whether a new generation was
published (the ``current`` link and the revision in its ``meta.json``, not
a folder's time stamp); if so, a background thread opens it and warms it,
and the engine switches when it is ready. No request waits for the
opening; the old snapshot is closed when its last request is done.
"""
from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from indexer.analysis import query_terms
from indexer.dates import parse_date_bound
from indexer.entity_fields import ENTITY_FIELDS
from indexer.fields import SCHEMA_VERSION
from indexer.gazetteer import load_gazetteer
from indexer.store import META, IndexStore, IndexStoreError
from search.base import IndexUnavailable
from search.evaluate import Evaluator
from search.hits import export_record, make_article, make_hit
from search.models import Article, SearchRequest, SearchResponse
from search.query import MAX_TERMS, Word, limit_terms, parse_query
from search import cursor
from search.ranking import distinct, rank
from search.similar import similar as similar_articles
from search.snapshot import Snapshot
from search.suggest import suggest

log = logging.getLogger(__name__)
CHECK_INTERVAL = 1.0  # seconds between looks for a newly published generation


@dataclass
class _Filters:
    start: str | None  # YYYY-MM-DD
    end: str | None
    values: dict[str, list[str]]  # facet name -> selected values, entities canonical


@dataclass
class Match:
    """What a request matches in one snapshot: the shared ground of search, export and
    the analyses (trend, concordance, keywords, co-occurrence)."""

    docs: np.ndarray  # the result: query and every filter
    scores: np.ndarray
    warnings: list[str]
    terms: set[str]  # to highlight
    browse: bool  # no query: every article
    in_query: np.ndarray  # mask of what the query matched, before filters
    masks: dict  # filter name -> mask or None
    final: np.ndarray  # mask of the result
    filters: _Filters


def word_idf(snap: Snapshot, word: Word) -> float:
    """How informative a query word is: the idf of its (first) index term; a word no
    article has finds nothing and informs nothing."""
    terms = query_terms(word.text)
    df = snap.postings.doc_frequency(word.field, terms[0]) if terms else 0
    return snap.idf(df) if df else 0.0


class _Served:
    """A snapshot with a count of the requests using it, closed when retired and idle."""

    def __init__(self, snapshot: Snapshot, key):
        self.snapshot = snapshot
        self.key = key
        self.users = 0
        self.retired = False
        self.lock = threading.Lock()

    def release(self) -> None:
        with self.lock:
            self.users -= 1
            close = self.retired and self.users == 0
        if close:
            self.snapshot.close()

    def retire(self) -> None:
        with self.lock:
            self.retired = True
            close = self.users == 0
        if close:
            self.snapshot.close()


class WhooshEngine:
    def __init__(self, index_dir, check_interval: float = CHECK_INTERVAL):
        self.store = IndexStore(index_dir)
        self.check_interval = check_interval
        self._served: _Served | None = None
        self._lock = threading.Lock()
        self._next_check = 0.0
        self._preparing: threading.Thread | None = None
        self._failed = None  # a generation that could not be opened: not tried again

    # generations -----------------------------------------------------------
    def _published(self):
        """What identifies the published generation: its folder and revision."""
        path = self.store.current()
        if path is None:
            raise IndexUnavailable(f"no index at {self.store.root}")
        try:
            meta = json.loads((path / META).read_text())
        except (OSError, ValueError):
            meta = {}
        return str(path), meta.get("revision", meta.get("updated"))

    def _open(self, key) -> Snapshot:
        try:
            self.store.check_schema(self.store.read_meta())
        except IndexStoreError as exc:
            raise IndexUnavailable(str(exc)) from None
        snap = Snapshot(key[0], f"{key[0].rsplit('/', 1)[-1]}@{key[1]}")
        snap.dup_codes  # noqa: B018  (warm: the first search should not pay for it)
        load_gazetteer()  # query expansion needs it: load it now, not in the first search
        return snap

    def _switch(self, served: _Served) -> None:
        with self._lock:
            old, self._served = self._served, served
        if old is not None:
            old.retire()

    def _prepare(self, key) -> None:
        try:
            self._switch(_Served(self._open(key), key))
        except Exception:  # keep serving the old one until another one is published
            self._failed = key
            log.exception("could not open the new index generation %s", key)
        finally:
            self._preparing = None

    def refresh(self, wait: bool = True) -> None:
        """Look for a new generation now; with ``wait``, switch before returning."""
        self._next_check = 0.0
        with self._lease():
            pass
        thread = self._preparing
        if wait and thread is not None:
            thread.join()

    @contextmanager
    def _lease(self):
        served = self._served
        if served is None:
            with self._lock:
                if self._served is None:  # nothing to serve yet: open it in this request
                    key = self._published()
                    self._served = _Served(self._open(key), key)
                    self._next_check = time.monotonic() + self.check_interval
        else:
            self._check()
        with self._lock:
            served = self._served
            with served.lock:
                served.users += 1
        try:
            yield served.snapshot
        finally:
            served.release()

    def _check(self) -> None:
        now = time.monotonic()
        if now < self._next_check or self._preparing is not None:
            return
        with self._lock:
            if now < self._next_check or self._preparing is not None:
                return
            self._next_check = now + self.check_interval
            try:
                key = self._published()
            except IndexUnavailable:
                return  # the link is being swapped or the index removed: keep serving
            if key in (self._served.key, self._failed):
                return
            self._preparing = threading.Thread(target=self._prepare, args=(key,),
                                               name="pressearchiv-open", daemon=True)
            self._preparing.start()

    def health(self) -> dict:
        with self._lease() as snap:
            return {"ok": True, "articles": snap.doc_count, "generation": snap.generation,
                    "schema_version": SCHEMA_VERSION}

    # searching -------------------------------------------------------------
    @staticmethod
    def _filters(request: SearchRequest) -> _Filters:
        """The request's filters as the index holds them: day bounds, canonical names."""
        gaz = load_gazetteer()
        return _Filters(
            start=parse_date_bound(request.date_from, end=False) if request.date_from else None,
            end=parse_date_bound(request.date_to, end=True) if request.date_to else None,
            values={"section": request.sections, "outlet": request.outlets,
                    "lang": request.langs,
                    **{f.param: [gaz.canonical(v, f.param) for v in getattr(request, f.plural)]
                       for f in ENTITY_FIELDS}})

    @staticmethod
    def _filter_masks(snap: Snapshot, filters: _Filters) -> dict:
        masks = {"section": snap.sections.mask_for(filters.values["section"]),
                 "outlet": snap.outlets.mask_for(filters.values["outlet"]),
                 "lang": snap.langs.mask_for(filters.values["lang"]),
                 "date": snap.histogram.mask_for(filters.start, filters.end)}
        for f in ENTITY_FIELDS:
            masks[f.param] = snap.entities[f.plural].mask_for(filters.values[f.param])
        return masks

    def _match(self, snap: Snapshot, request: SearchRequest) -> Match:
        parsed = parse_query(request.q, op=request.op, syntax=request.syntax)
        warnings = list(parsed.warnings)
        tree = parsed.tree
        if tree is not None:  # a pasted passage: its most informative words
            tree, dropped = limit_terms(tree, MAX_TERMS, lambda word: word_idf(snap, word))
            if dropped:
                warnings.append(dropped)
        evaluator = Evaluator(snap, warnings)
        browse = tree is None
        if browse:
            docs, scores = snap.all_docs()
        else:
            docs, scores = evaluator.evaluate(tree)
        filters = self._filters(request)
        masks = self._filter_masks(snap, filters)
        in_query = snap.live.copy() if browse else np.zeros(snap.n, dtype=bool)
        if not browse:
            in_query[docs] = True
        final = in_query.copy()
        for mask in masks.values():
            if mask is not None:
                final &= mask
        keep = final[docs]
        return Match(docs[keep], scores[keep], warnings, evaluator.highlight_terms, browse,
                      in_query, masks, final, filters)

    def search(self, request: SearchRequest) -> SearchResponse:
        started = time.perf_counter()
        request.validate()
        with self._lease() as snap:
            match = self._match(snap, request)
            first = (request.page - 1) * request.size
            docs, scores, total = match.docs, match.scores, None
            if request.cursor:  # the page after the cursor's hit: the rest, from its start
                later = cursor.after(snap, docs, scores, request.sort, match.browse,
                                     cursor.read(snap, request))
                total = distinct(snap, docs)
                docs, scores, first = docs[later], scores[later], 0
            ranked = rank(snap, docs, scores, request.sort, match.browse, first + request.size)
            hits = [make_hit(snap, int(ranked.docs[i]), float(ranked.scores[i]),
                             int(ranked.duplicates[i]), match.terms, request.snippets)
                    for i in range(first, len(ranked.docs))]
            next_cursor = None
            if hits and ranked.total > first + request.size:
                next_cursor = cursor.after_hit(snap, request, int(ranked.docs[-1]),
                                               float(ranked.scores[-1]))
            facets, histogram = {}, None
            if request.facets:
                facets, histogram = self._facets(snap, request, match)
            suggestion = None
            if ranked.total < 3 and not match.browse and request.syntax == "query":
                suggestion = suggest(snap, request.q)
        return SearchResponse(
            query=request.q, total=ranked.total if total is None else total,
            page=request.page, size=request.size,
            took_ms=round((time.perf_counter() - started) * 1000, 2), hits=hits,
            facets=facets, histogram=histogram, warnings=match.warnings, suggestion=suggestion,
            next_cursor=next_cursor)

    @staticmethod
    def _facets(snap: Snapshot, request: SearchRequest, match: Match):
        """Each facet counts the result with every filter but its own; the histogram
        counts the result itself, so narrowing the dates zooms in."""
        unfiltered = all(m is None for m in match.masks.values())
        if match.browse and unfiltered:  # the home page: the same for every visitor
            return snap.browse_cache(("facets", request.facet_size),
                                     lambda: WhooshEngine._count(snap, request, match))
        return WhooshEngine._count(snap, request, match)

    @staticmethod
    def _count(snap: Snapshot, request: SearchRequest, match: Match):
        def without(name):
            mask = match.in_query.copy()
            for other, m in match.masks.items():
                if other != name and m is not None:
                    mask &= m
            return mask

        chosen, size = match.filters.values, request.facet_size
        facets = {"section": snap.sections.facet(without("section"), chosen["section"], size),
                  "outlet": snap.outlets.facet(without("outlet"), chosen["outlet"], size)}
        for f in ENTITY_FIELDS:
            facets[f.param] = snap.entities[f.plural].facet(without(f.param), chosen[f.param],
                                                           size)
        facets["lang"] = snap.langs.facet(without("lang"), chosen["lang"], size)
        histogram = snap.histogram.histogram(match.final, match.filters.start,
                                             match.filters.end)
        return facets, histogram

    @contextmanager
    def focus(self, request: SearchRequest) -> Iterator[tuple[Snapshot, Match]]:
        """The snapshot and what ``request`` (query and filters) matches in it, for analyses
        that work on a result; the snapshot stays open until the block ends."""
        request.validate()
        with self._lease() as snap:
            yield snap, self._match(snap, request)

    @contextmanager
    def focus_all(self, requests: list[SearchRequest]) -> Iterator[tuple[Snapshot, list[Match]]]:
        """``focus`` for several requests at once, all on one snapshot (a trend's queries
        and its totals must count the same generation)."""
        for one in requests:
            one.validate()
        with self._lease() as snap:
            yield snap, [self._match(snap, one) for one in requests]

    # articles --------------------------------------------------------------
    def article(self, article_id: str, similar: int = 5) -> Article | None:
        with self._lease() as snap:
            docnum = snap.docnum_of(article_id)
            if docnum is None:
                return None
            doc = snap.stored(docnum)
            return make_article(doc, similar_articles(snap, docnum, doc, similar) if similar else [])

    def export(self, request: SearchRequest) -> Iterator[dict]:
        request.validate()
        with self._lease() as snap:
            match = self._match(snap, request)
            ranked = rank(snap, match.docs, match.scores, request.sort, match.browse, None)
            for docnum, score, dup in zip(ranked.docs.tolist(), ranked.scores.tolist(),
                                          ranked.duplicates.tolist()):
                yield export_record(snap.stored(docnum), score, dup)


__all__ = ["Match", "WhooshEngine"]
