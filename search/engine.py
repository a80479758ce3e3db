"""The whoosh engine: the one module of ``search`` that knows whoosh.

whoosh is the storage (lexicon, postings, stored fields); matching, scoring,
filtering and facet counting run here on numpy arrays of document numbers,
because whoosh's own matchers and ``groupedby`` facets walk every hit in
Python. Per index generation, a ``Snapshot`` reads the per-document columns
once (sections, dates, languages, duplicate groups, field lengths, entity
pairs) and caches posting lists as arrays.

Scoring is BM25 over the ``text`` field, whose term weights already carry
the title boost and the low weight of compound parts (see indexer.fields).
"""
from __future__ import annotations

import math
import os
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import numpy as np
from whoosh import query as wq

from indexer.analysis import analyze, fold_umlauts, query_terms
from indexer.dates import parse_date_bound
from indexer.fields import SCHEMA_VERSION
from indexer.gazetteer import load_gazetteer
from indexer.store import IndexStore, IndexStoreError, open_index
from search import highlight
from search.base import IndexUnavailable
from search.facets import DateHistogramFacet, MultiValueFacet, ValueFacet
from search.models import Article, Hit, SearchRequest, SearchResponse, Snippet
from search.query import And, DateRange, Exact, Not, Or, Phrase, Word, parse_query

K1, B = 1.2, 0.75
MAX_SNIPPETS = 3  # per hit, the title's included
ENTITY_MATCH_WEIGHT = 1.0  # an article tagged with the entity counts like one occurrence
MAX_EXPANSIONS = 300
POSTINGS_CACHE = 4096
ENTITY_FIELDS = {"persons": "person", "orgs": "org", "places": "place"}

Scored = tuple[np.ndarray, np.ndarray]  # sorted unique docnums, their scores
_EMPTY: Scored = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))


def _union(parts: list[Scored]) -> Scored:
    parts = [p for p in parts if len(p[0])]
    if not parts:
        return _EMPTY
    if len(parts) == 1:
        return parts[0]
    docs = np.concatenate([p[0] for p in parts])
    scores = np.concatenate([p[1] for p in parts])
    unique, inverse = np.unique(docs, return_inverse=True)
    return unique, np.bincount(inverse, weights=scores, minlength=len(unique))


def _best(parts: list[Scored]) -> Scored:
    """Alternatives for one word (its spellings): a document scores its best match,
    not the sum, so an article writing both ``Erdoğan`` and ``Erdogan`` is not doubled."""
    parts = [p for p in parts if len(p[0])]
    if len(parts) <= 1:
        return parts[0] if parts else _EMPTY
    docs = np.concatenate([p[0] for p in parts])
    scores = np.concatenate([p[1] for p in parts])
    unique, inverse = np.unique(docs, return_inverse=True)
    best = np.zeros(len(unique))
    np.maximum.at(best, inverse, scores)
    return unique, best


def _intersect(a: Scored, b: Scored) -> Scored:
    docs, ia, ib = np.intersect1d(a[0], b[0], assume_unique=True, return_indices=True)
    return docs, a[1][ia] + b[1][ib]


def _minus(a: Scored, docs: np.ndarray) -> Scored:
    keep = ~np.isin(a[0], docs, assume_unique=True)
    return a[0][keep], a[1][keep]


class Snapshot:
    """One generation of the index with its per-document arrays."""

    def __init__(self, path: str, generation: str):
        self.path = path
        self.generation = generation
        self.lock = threading.RLock()  # whoosh readers seek shared files
        self.ix = open_index(path)
        self.searcher = self.ix.searcher()
        self.reader = self.searcher.reader()
        self.n = self.reader.doc_count_all()
        self.live = np.ones(self.n, dtype=bool)
        if self.reader.has_deletions():
            for d in range(self.n):
                self.live[d] = not self.reader.is_deleted(d)
        self.doc_count = int(self.live.sum())
        self._postings: OrderedDict = OrderedDict()
        self._lengths: dict[str, tuple[np.ndarray, float]] = {}
        col = self._column
        self.ids = col("id")
        self.doc_by_id = {key: d for d, key in enumerate(self.ids) if self.live[d]}
        self.sections = ValueFacet("section", *self._codes(col("section")))
        self.langs = ValueFacet("lang", *self._codes(col("lang")))
        self.dup_codes = self._codes(col("text_hash"))[0]
        self.dates = np.array([date.fromisoformat(v).toordinal() if v else -1
                               for v in col("date")], dtype=np.int64)
        self.histogram = DateHistogramFacet(self.dates)
        self.entities = {name: self._entity_facet(name) for name in ENTITY_FIELDS}
        self.lengths("text")
        load_gazetteer()  # query expansion needs it: load it now, not in the first search

    # loading ---------------------------------------------------------------
    def _column(self, name: str) -> list:
        if self.n == 0:
            return []
        reader = self.reader.column_reader(name)
        return [reader[d] for d in range(self.n)]

    @staticmethod
    def _codes(values: list) -> tuple[np.ndarray, list[str]]:
        labels: dict[str, int] = {}
        codes = np.fromiter((labels.setdefault(v, len(labels)) if v else -1 for v in values),
                            dtype=np.int64, count=len(values))
        return codes, list(labels)

    def _entity_facet(self, field: str) -> MultiValueFacet:
        labels, docs, values = [], [], []
        if self.n:
            with self.lock:
                for term in self.reader.lexicon(field):
                    name = term.decode("utf-8")
                    ids, _ = self._read_postings(field, name)
                    docs.append(ids)
                    values.append(np.full(len(ids), len(labels), dtype=np.int64))
                    labels.append(name)
        pair_docs = np.concatenate(docs) if docs else np.zeros(0, dtype=np.int64)
        pair_values = np.concatenate(values) if values else np.zeros(0, dtype=np.int64)
        keep = self.live[pair_docs] if len(pair_docs) else np.zeros(0, dtype=bool)
        return MultiValueFacet(ENTITY_FIELDS[field], pair_docs[keep], pair_values[keep], labels,
                               self.n)

    def _read_postings(self, field: str, term: str) -> Scored:
        """All postings of a term as arrays, read block by block from each segment."""
        ids: list[np.ndarray] = []
        weights: list[np.ndarray] = []
        btext = term.encode("utf-8")
        for leaf, base in self.reader.leaf_readers():
            if (field, btext) not in leaf:
                continue
            m = leaf.postings(field, btext)
            if hasattr(m, "_read_ids") and hasattr(m, "_next_block"):
                while m.is_active():  # whole blocks: no per-posting Python calls
                    m._read_ids()
                    m._read_weights()
                    ids.append(np.asarray(m._ids, dtype=np.int64) + base)
                    weights.append(np.asarray(m._weights, dtype=np.float64))
                    m._next_block()
            else:
                block_ids, block_weights = [], []
                while m.is_active():
                    block_ids.append(m.id() + base)
                    block_weights.append(m.weight())
                    m.next()
                ids.append(np.asarray(block_ids, dtype=np.int64))
                weights.append(np.asarray(block_weights, dtype=np.float64))
        if not ids:
            return _EMPTY
        docs, w = np.concatenate(ids), np.concatenate(weights)
        keep = self.live[docs]
        return docs[keep], w[keep]

    def postings(self, field: str, term: str) -> Scored:
        key = (field, term)
        with self.lock:  # the cache is shared by the server's threads
            cached = self._postings.get(key)
            if cached is not None:
                self._postings.move_to_end(key)
                return cached
            value = self._read_postings(field, term)
            self._postings[key] = value
            if len(self._postings) > POSTINGS_CACHE:
                self._postings.popitem(last=False)
            return value

    def lengths(self, field: str) -> tuple[np.ndarray, float]:
        if field not in self._lengths:
            with self.lock:
                arr = np.array([self.reader.doc_field_length(d, field, 0) for d in range(self.n)],
                               dtype=np.float64)
            avg = float(arr[self.live].mean()) if self.doc_count else 1.0
            self._lengths[field] = (arr, max(avg, 1.0))
        return self._lengths[field]

    # scoring ---------------------------------------------------------------
    def bm25(self, field: str, term: str) -> Scored:
        docs, tf = self.postings(field, term)
        if not len(docs):
            return _EMPTY
        lengths, avg = self.lengths(field)
        idf = math.log(1 + (self.doc_count - len(docs) + 0.5) / (len(docs) + 0.5))
        norm = K1 * (1 - B + B * lengths[docs] / avg)
        return docs, idf * tf * (K1 + 1) / (tf + norm)

    def entity_score(self, field: str, canonical: str) -> Scored:
        docs, _ = self.postings(field, canonical)
        if not len(docs):
            return _EMPTY
        idf = math.log(1 + (self.doc_count - len(docs) + 0.5) / (len(docs) + 0.5))
        return docs, np.full(len(docs), idf * ENTITY_MATCH_WEIGHT)

    def all_docs(self) -> Scored:
        docs = np.nonzero(self.live)[0]
        return docs, np.zeros(len(docs))

    def expand(self, field: str, prefix: str) -> list[str]:
        with self.lock:
            out = []
            for term in self.reader.expand_prefix(field, prefix):
                out.append(term.decode("utf-8") if isinstance(term, bytes) else term)
                if len(out) >= MAX_EXPANSIONS:
                    break
            return out

    def within(self, field: str, term: str, distance: int) -> list[str]:
        with self.lock:
            found = self.reader.terms_within(field, term, distance, prefix=1)
            return [t.decode("utf-8") if isinstance(t, bytes) else t for t in found]

    def doc_frequency(self, field: str, term: str) -> int:
        return len(self.postings(field, term)[0])

    def phrase_docs(self, field: str, terms: list[str], slop: int) -> np.ndarray:
        with self.lock:
            q = wq.Phrase(field, terms, slop=max(1, slop + 1))
            return np.fromiter(self.searcher.docs_for_query(q), dtype=np.int64)

    def surface_form(self, field: str, term: str) -> str | None:
        """A word as an article writes it whose index term is ``term`` (for suggestions)."""
        docs, _ = self.postings(field, term)
        for docnum in docs[:3].tolist():
            doc = self.stored(docnum)
            text = f"{doc.get('title', '')}\n{doc.get('body', '')}"
            for t in analyze(text, decompound=False):
                if t.text == term:
                    return text[t.start:t.end]
        return None

    def stored(self, docnum: int) -> dict:
        with self.lock:
            return self.searcher.stored_fields(int(docnum))

    def close(self) -> None:
        self.searcher.close()


class _Evaluator:
    """Turns a parsed query into scored documents; collects the terms to highlight."""

    def __init__(self, snap: Snapshot, warnings: list[str]):
        self.snap = snap
        self.warnings = warnings
        self.highlight_terms: set[str] = set()
        self.stop_words: list[str] = []
        self.gazetteer = load_gazetteer()

    def evaluate(self, tree) -> Scored:
        result = self.run(tree)
        if self.stop_words:
            self.warnings.append("Ignoriert (Stoppwörter, Zeichen ohne Buchstaben): " + ", ".join(self.stop_words))
        if result is None:
            self.warnings.append("Die Anfrage enthält kein suchbares Wort")
            return _EMPTY
        return result

    def run(self, node) -> Scored | None:
        """Scored documents, or None for a node that says nothing (stop words only)."""
        if isinstance(node, And):
            positives = [c for c in node.children if not isinstance(c, Not)]
            negatives = [c.child for c in node.children if isinstance(c, Not)]
            results = [r for r in (self.run(c) for c in positives) if r is not None]
            if not results and not negatives:
                return None
            results.sort(key=lambda r: len(r[0]))
            acc = results[0] if results else self.snap.all_docs()
            for r in results[1:]:
                acc = _intersect(acc, r)
            for neg in negatives:
                acc = _minus(acc, self.run_unscored(neg))
            return acc
        if isinstance(node, Or):
            results = [r for r in (self.run(c) for c in node.children) if r is not None]
            return _union(results) if results else None
        if isinstance(node, Not):
            return _minus(self.snap.all_docs(), self.run_unscored(node.child))
        if isinstance(node, Word):
            return self.word(node)
        if isinstance(node, Phrase):
            return self.phrase(node)
        if isinstance(node, Exact):
            return self.exact(node)
        if isinstance(node, DateRange):
            mask = self.snap.histogram.mask_for(node.start, node.end)
            docs = np.nonzero(mask & self.snap.live)[0]
            return docs, np.zeros(len(docs))
        return _EMPTY

    def run_unscored(self, node) -> np.ndarray:
        collected = self.highlight_terms
        self.highlight_terms = set()  # excluded words are not marked
        try:
            result = self.run(node)
            return result[0] if result is not None else _EMPTY[0]
        finally:
            self.highlight_terms = collected

    def word(self, node: Word) -> Scored:
        field = node.field
        if node.prefix:
            prefix = fold_umlauts(node.text.lower())
            terms = self.snap.expand(field, prefix)
            if len(terms) >= MAX_EXPANSIONS:
                self.warnings.append(f"{node.text}* hat sehr viele Formen: nur die ersten "
                                     f"{MAX_EXPANSIONS} gesucht")
            self.highlight_terms.update(terms)
            return _union([self.snap.bm25(field, t) for t in terms])
        terms = query_terms(node.text)
        if not terms:
            self.stop_words.append(node.text)
            return None  # neutral: neither narrows an AND nor widens an OR
        if node.fuzzy:
            found = set()
            for t in terms[:1]:
                found.update(self.snap.within(field, t, node.fuzzy))
            self.highlight_terms.update(found)
            return _union([self.snap.bm25(field, t) for t in found])
        self.highlight_terms.update(terms)
        if len(terms) == 1:
            scored = self.snap.bm25(field, terms[0])
        else:  # "NATO-Generalsekretär": the whole word, or all its parts
            whole, parts = terms[0], terms[1:]
            acc = self.snap.bm25(field, parts[0])
            for t in parts[1:]:
                acc = _intersect(acc, self.snap.bm25(field, t))
            scored = _union([self.snap.bm25(field, whole), acc])
        if field == "text":
            scored = _best([scored, self.aliases(node.text)])
        return scored

    def aliases(self, word: str) -> Scored:
        """``Selensky`` also finds ``Selenskyj``: the entity's other spellings and its tag."""
        entry = self.gazetteer.resolve(word)
        if entry is None:
            return _EMPTY
        field = {"person": "persons", "org": "orgs", "place": "places"}[entry.type]
        parts = [self.snap.entity_score(field, entry.canonical)]
        own = set(query_terms(word))
        for name in entry.names:
            tokens = name.split()
            key = tokens[-1] if entry.type == "person" else name
            if entry.type != "person" and len(tokens) > 1:
                continue
            for term in query_terms(key)[:1]:
                if term not in own:
                    own.add(term)
                    self.highlight_terms.add(term)
                    parts.append(self.snap.bm25("text", term))
        return _best(parts)

    def phrase(self, node: Phrase) -> Scored:
        terms, dropped = [], 0
        for word in node.words:
            analysed = query_terms(word)
            if not analysed:
                dropped += 1
                continue
            terms.extend(analysed[1:] if len(analysed) > 1 else analysed)  # hyphen: the parts
        if not terms:
            self.stop_words.extend(node.words)
            return None
        self.highlight_terms.update(terms)
        acc = self.snap.bm25(node.field, terms[0])
        for t in terms[1:]:
            acc = _intersect(acc, self.snap.bm25(node.field, t))
        if len(terms) == 1 or not len(acc[0]):
            return acc
        matching = self.snap.phrase_docs(node.field, terms, node.slop + dropped)
        keep = np.isin(acc[0], matching)
        return acc[0][keep], acc[1][keep]

    def exact(self, node: Exact) -> Scored:
        snap = self.snap
        if node.field in ("section", "lang"):
            facet = snap.sections if node.field == "section" else snap.langs
            mask = facet.mask_for([node.value])
            docs = np.nonzero(mask & snap.live)[0]
            return docs, np.zeros(len(docs))
        canonical = self.gazetteer.canonical(node.value, ENTITY_FIELDS[node.field])
        facet = snap.entities[node.field]
        code = facet.index.get(canonical.casefold())
        if code is None:
            return _EMPTY
        return snap.entity_score(node.field, facet.labels[code])


@dataclass
class _Result:
    ranked: np.ndarray  # docnums in result order, one per group of exact duplicates
    scores: np.ndarray
    duplicates: list[int]
    warnings: list[str]
    terms: set[str]  # to highlight
    browse: bool  # no query: every article
    in_query: np.ndarray  # mask of what the query matched, before filters
    masks: dict  # filter name -> mask or None
    final: np.ndarray  # mask of the result: query and every filter
    filters: _Filters


@dataclass
class _Filters:
    start: str | None  # YYYY-MM-DD
    end: str | None
    values: dict[str, list[str]]  # facet name -> selected values, entities canonical


class WhooshEngine:
    def __init__(self, index_dir):
        self.store = IndexStore(index_dir)
        self._snapshot: Snapshot | None = None
        self._key = None
        self._lock = threading.Lock()

    # generations -----------------------------------------------------------
    def _current_key(self):
        path = self.store.current()
        if path is None:
            raise IndexUnavailable(f"no index at {self.store.root}")
        return str(path), os.stat(path).st_mtime_ns

    def snapshot(self) -> Snapshot:
        """The served generation; reopened when a rebuild or update replaced it."""
        key = self._current_key()
        if key != self._key:
            with self._lock:
                if key != self._key:
                    try:
                        meta = self.store.read_meta()
                        self.store.check_schema(meta)
                    except IndexStoreError as exc:
                        raise IndexUnavailable(str(exc)) from None
                    self._snapshot = Snapshot(key[0], f"{os.path.basename(key[0])}"
                                                      f"@{key[1]}")
                    self._key = key
        return self._snapshot

    def health(self) -> dict:
        snap = self.snapshot()
        return {"ok": True, "articles": snap.doc_count, "generation": snap.generation,
                "schema_version": SCHEMA_VERSION}

    # searching -------------------------------------------------------------
    def _match(self, snap: Snapshot, request: SearchRequest):
        parsed = parse_query(request.q, op=request.op, syntax=request.syntax)
        warnings = list(parsed.warnings)
        evaluator = _Evaluator(snap, warnings)
        if parsed.tree is None:
            docs, scores = snap.all_docs()
        else:
            docs, scores = evaluator.evaluate(parsed.tree)
        return docs, scores, warnings, evaluator.highlight_terms, parsed.tree is None

    @staticmethod
    def _filters(request: SearchRequest) -> _Filters:
        """The request's filters as the index holds them: day bounds, canonical names."""
        gaz = load_gazetteer()
        return _Filters(
            start=parse_date_bound(request.date_from, end=False) if request.date_from else None,
            end=parse_date_bound(request.date_to, end=True) if request.date_to else None,
            values={"section": request.sections, "lang": request.langs,
                    **{name: [gaz.canonical(v, name) for v in getattr(request, field)]
                       for field, name in ENTITY_FIELDS.items()}})

    @staticmethod
    def _filter_masks(snap: Snapshot, filters: _Filters) -> dict:
        masks = {"section": snap.sections.mask_for(filters.values["section"]),
                 "lang": snap.langs.mask_for(filters.values["lang"]),
                 "date": snap.histogram.mask_for(filters.start, filters.end)}
        for field, name in ENTITY_FIELDS.items():
            masks[name] = snap.entities[field].mask_for(filters.values[name])
        return masks

    def _ranked(self, snap, request, docs, scores, browse):
        """Docnums in result order, one per group of exact duplicates, and group sizes."""
        if request.sort == "relevance" and not browse:
            order = np.lexsort((-snap.dates[docs], -scores))
        elif request.sort == "oldest":
            dated = np.where(snap.dates[docs] < 0, np.iinfo(np.int64).max, snap.dates[docs])
            order = np.lexsort((-scores, dated))
        else:  # newest, and browsing without a query
            order = np.lexsort((-scores, -snap.dates[docs]))
        ranked = docs[order]
        codes = snap.dup_codes[ranked]
        _, first, counts = np.unique(codes, return_index=True, return_counts=True)
        keep = np.sort(first)
        size_of = dict(zip(first.tolist(), counts.tolist()))
        return ranked[keep], scores[order][keep], [size_of[i] - 1 for i in keep]

    def _result(self, snap: Snapshot, request: SearchRequest) -> _Result:
        """The whole ordered result of a request, before paging."""
        docs, scores, warnings, terms, browse = self._match(snap, request)
        filters = self._filters(request)
        masks = self._filter_masks(snap, filters)
        in_query = np.zeros(snap.n, dtype=bool)
        in_query[docs] = True
        final = in_query.copy()
        for mask in masks.values():
            if mask is not None:
                final &= mask
        keep = final[docs]
        ranked, ranked_scores, dups = self._ranked(snap, request, docs[keep], scores[keep], browse)
        return _Result(ranked, ranked_scores, dups, warnings, terms, browse, in_query, masks,
                       final, filters)

    def search(self, request: SearchRequest) -> SearchResponse:
        started = time.perf_counter()
        request.validate()
        snap = self.snapshot()
        result = self._result(snap, request)
        ranked, ranked_scores, dups = result.ranked, result.scores, result.duplicates
        terms, browse, warnings = result.terms, result.browse, result.warnings
        total = len(ranked)
        first = (request.page - 1) * request.size
        page = range(first, min(first + request.size, total))
        hits = [self._hit(snap, int(ranked[i]), float(ranked_scores[i]), dups[i], terms,
                          request.snippets) for i in page]
        facets, histogram = {}, None
        if request.facets:
            facets, histogram = self._facets(snap, request, result)
        suggestion = None
        if total < 3 and not browse and request.syntax == "query":
            suggestion = self._suggest(snap, request.q)
        return SearchResponse(
            query=request.q, total=total, page=request.page, size=request.size,
            took_ms=round((time.perf_counter() - started) * 1000, 2), hits=hits,
            facets=facets, histogram=histogram, warnings=warnings, suggestion=suggestion)

    @staticmethod
    def _facets(snap: Snapshot, request: SearchRequest, result: _Result):
        """Each facet counts the result with every filter but its own; the histogram
        counts the result itself, so narrowing the dates zooms in."""
        def without(name):
            mask = result.in_query.copy()
            for other, m in result.masks.items():
                if other != name and m is not None:
                    mask &= m
            return mask

        chosen, size = result.filters.values, request.facet_size
        facets = {"section": snap.sections.facet(without("section"), chosen["section"], size)}
        for field, name in ENTITY_FIELDS.items():
            facets[name] = snap.entities[field].facet(without(name), chosen[name], size)
        facets["lang"] = snap.langs.facet(without("lang"), chosen["lang"], size)
        histogram = snap.histogram.histogram(result.final, result.filters.start,
                                             result.filters.end)
        return facets, histogram

    def _hit(self, snap, docnum, score, duplicates, terms, with_snippets) -> Hit:
        doc = snap.stored(docnum)
        lang = doc.get("lang") or "de"
        snippets: list[Snippet] = []
        if with_snippets:
            title = highlight.title_html(doc.get("title", ""), terms, lang)
            if "<mark>" in title:
                snippets.append(Snippet("title", title))
            body = highlight.snippets(doc.get("body", ""), terms, lang)
            snippets += [Snippet("body", html) for html in body[:MAX_SNIPPETS - len(snippets)]]
        return Hit(id=doc["id"], title=doc.get("title", ""), date=doc.get("date") or None,
                   section=doc.get("section") or None, url=doc.get("url"),
                   score=round(score, 4), snippets=snippets, entities=_entities(doc),
                   lang=doc.get("lang") or None, duplicates=duplicates)

    def _suggest(self, snap: Snapshot, q: str) -> str | None:
        """'Meinten Sie …': each rare query word replaced by its most frequent near spelling."""
        words = q.split()
        changed = False
        for i, word in enumerate(words):
            if not word.isalpha() or word.isupper() and len(word) <= 4:
                continue
            terms = query_terms(word)
            if len(terms) != 1:
                continue
            own = snap.doc_frequency("text", terms[0])
            candidates = [(snap.doc_frequency("text", t), t)
                          for t in snap.within("text", terms[0], 1 if len(word) < 6 else 2)]
            better = max((c for c in candidates if c[0] > max(own, 0) * 3 and c[1] != terms[0]),
                         default=None)
            if better:
                written = snap.surface_form("text", better[1]) or better[1]
                words[i] = written[:1].upper() + written[1:] if word[:1].isupper() else written
                changed = True
        return " ".join(words) if changed else None

    # articles --------------------------------------------------------------
    def article(self, article_id: str, similar: int = 5) -> Article | None:
        snap = self.snapshot()
        docnum = snap.doc_by_id.get(article_id)
        if docnum is None:
            return None
        doc = snap.stored(docnum)
        return Article(id=doc["id"], title=doc.get("title", ""), body=doc.get("body", ""),
                       date=doc.get("date") or None, section=doc.get("section") or None,
                       url=doc.get("url"), source=doc.get("source"), lang=doc.get("lang"),
                       entities=_entities(doc),
                       similar=self._similar(snap, docnum, doc, similar) if similar else [])

    def _similar(self, snap: Snapshot, docnum: int, doc: dict, limit: int) -> list[Hit]:
        """Articles sharing the key terms (tf-idf) and the entities of this one."""
        counts = Counter(t.text for t in analyze(f"{doc.get('title', '')}\n{doc.get('body', '')}",
                                                 decompound=False))
        weighted = []
        for term, tf in counts.items():
            df = snap.doc_frequency("text", term)
            if 1 < df < snap.doc_count * 0.3:
                weighted.append((tf * math.log(snap.doc_count / df), term))
        parts = [snap.bm25("text", t) for _, t in sorted(weighted, reverse=True)[:15]]
        for field in ENTITY_FIELDS:
            for name in _split(doc.get(field)):
                parts.append(snap.entity_score(field, name))
        docs, scores = _union(parts)
        same = snap.dup_codes[docnum]
        keep = (docs != docnum) & (snap.dup_codes[docs] != same)
        docs, scores = docs[keep], scores[keep]
        ranked, ranked_scores, dups = self._ranked(snap, SearchRequest(), docs, scores, False)
        return [self._hit(snap, int(ranked[i]), float(ranked_scores[i]), dups[i], set(), False)
                for i in range(min(limit, len(ranked)))]

    def export(self, request: SearchRequest) -> Iterator[dict]:
        request.validate()
        snap = self.snapshot()
        result = self._result(snap, request)
        for docnum, score, dup in zip(result.ranked.tolist(), result.scores.tolist(),
                                      result.duplicates):
            doc = snap.stored(docnum)
            yield {"id": doc["id"], "title": doc.get("title", ""), "date": doc.get("date") or None,
                   "section": doc.get("section") or None, "url": doc.get("url"),
                   "source": doc.get("source"), "lang": doc.get("lang") or None,
                   "score": round(score, 4), "duplicates": dup,
                   **_entities(doc), "body": doc.get("body", "")}


def _split(value) -> list[str]:
    return [v for v in (value or "").split(",") if v]


def _entities(doc: dict) -> dict[str, list[str]]:
    return {field: _split(doc.get(field)) for field in ENTITY_FIELDS}


__all__ = ["WhooshEngine"]
