"""One generation of the index, opened for searching.

Opening reads no document one by one: per-document values come from each
segment's doc values file (``indexer.docvalues``), memory-mapped and
concatenated, with per-segment label codes mapped to one table. A segment
without such a file (written by an older pressearchiv, or merged by whoosh)
is read from its columns instead, which is slow but correct; the next
``pressearchiv index`` run writes the file.
"""
from __future__ import annotations

import math
import os
import threading

import numpy as np

from indexer import docvalues, whoosh_compat
from indexer.entity_fields import ENTITY_FIELDS
from indexer.store import open_index
from search.facets import DateHistogramFacet, EntityFacet, ValueFacet
from search.postings import PostingsReader
from search.scored import EMPTY, Scored
from search.spelling import SpellingLexicon

K1, B = 1.2, 0.75
GERMAN_LANGS = ("de", "und")  # analysed as German (see indexer.analysis.analyze)
ENTITY_MATCH_WEIGHT = 1.0  # an article tagged with the entity counts like one occurrence


class _Labels:
    """Merges per-segment label lists into one table; ``codes`` maps a segment's codes."""

    def __init__(self):
        self.index: dict[str, int] = {}

    def codes(self, labels: list[str], local: np.ndarray) -> np.ndarray:
        setdefault = self.index.setdefault
        remap = np.fromiter((setdefault(v, len(self.index)) for v in labels), dtype=np.int32,
                            count=len(labels))
        remap = np.append(remap, np.int32(-1))  # local -1 (no value) stays -1
        return remap[local]

    @property
    def labels(self) -> list[str]:
        return list(self.index)


class Snapshot:
    """One generation: a whoosh searcher for postings and stored fields, and
    per-document arrays for filters, facets, ranking and duplicates."""

    def __init__(self, path: str, generation: str):
        self.path = path
        self.generation = generation
        self.ix = open_index(path)
        self.searcher = self.ix.searcher()
        self.reader = self.searcher.reader()
        leaves = list(self.reader.leaf_readers())
        self.n = self.reader.doc_count_all()
        self.live = np.ones(self.n, dtype=bool)
        parts: dict[str, list[np.ndarray]] = {name: [] for name in
                                              ("key", "text_hash", "date", "length", "words")}
        labelled = {name: _Labels() for name in ("section", "lang", "outlet")}
        coded: dict[str, list[np.ndarray]] = {name: [] for name in labelled}
        entity_labels = {f.plural: _Labels() for f in ENTITY_FIELDS}
        indptrs: dict[str, list[np.ndarray]] = {f.plural: [] for f in ENTITY_FIELDS}
        values: dict[str, list[np.ndarray]] = {f.plural: [] for f in ENTITY_FIELDS}
        offsets = {f.plural: 0 for f in ENTITY_FIELDS}
        for leaf, base in leaves:
            segment = leaf.segment()
            self.live[base + whoosh_compat.deleted_docs(segment)] = False
            dv = _docvalues(self.ix.storage, segment, leaf)
            for name in parts:
                parts[name].append(dv[name])
            for name, table in labelled.items():
                coded[name].append(table.codes(dv.labels[name], dv[name]))
            for field in ENTITY_FIELDS:
                f = field.plural
                indptr = dv[f"{f}.indptr"]
                indptrs[f].append(indptr[:-1] + offsets[f])
                offsets[f] += int(indptr[-1])
                values[f].append(entity_labels[f].codes(dv.labels[f], dv[f"{f}.values"]))
        join = _concatenate
        self.doc_count = int(self.live.sum())
        self.keys = join(parts["key"], np.uint64)
        self._key_order: np.ndarray | None = None
        self.text_hashes = join(parts["text_hash"], np.uint64)
        self._dup_codes: np.ndarray | None = None
        self.dates = join(parts["date"], np.int64)
        self.lengths = join(parts["length"], np.float64)
        self.words = join(parts["words"], np.int32)  # title + body (analysis.count_words)
        live_lengths = self.lengths[self.live]
        self.avg_length = max(float(live_lengths.mean()) if len(live_lengths) else 1.0, 1.0)
        self.sections = ValueFacet("section", join(coded["section"], np.int64),
                                   labelled["section"].labels)
        self.langs = ValueFacet("lang", join(coded["lang"], np.int64), labelled["lang"].labels)
        self.outlets = ValueFacet("outlet", join(coded["outlet"], np.int64),
                                  labelled["outlet"].labels)
        # Languages analysed otherwise than German: a query word meets each of them
        in_use = self.langs.counts(self.live) if self.n else np.zeros(0, np.int64)
        self.other_langs = tuple(sorted(label for label, count in zip(self.langs.labels, in_use)
                                        if count and label not in GERMAN_LANGS))
        self._lang_masks: dict[frozenset, np.ndarray] = {}
        self.histogram = DateHistogramFacet(self.dates)
        self.postings = PostingsReader(self.reader, self.live, open_reader=self.ix.reader)
        # A segment's files are parts of one compound file behind one file handle,
        # which postings, lexicon and stored fields all seek: one lock for all.
        self.lock = self.postings.lock
        self.spelling = SpellingLexicon(self.ix.storage, leaves, self.lock)
        self.entities: dict[str, EntityFacet] = {}
        for field in ENTITY_FIELDS:
            f = field.plural
            indptr = join(indptrs[f] + [np.array([offsets[f]])], np.int64)
            self.entities[f] = EntityFacet(field.param, indptr, join(values[f], np.int64),
                                           entity_labels[f].labels, self.n,
                                           docs_of=lambda label, f=f: self.postings.read(f, label)[0])
        self._cache_lock = threading.Lock()
        self._browse_cache: dict = {}

    # per-document values that only some requests need: made on first use ----
    @property
    def dup_codes(self) -> np.ndarray:
        """A dense code per group of exact duplicates (same title and body)."""
        if self._dup_codes is None:
            self._dup_codes = np.unique(self.text_hashes, return_inverse=True)[1].astype(np.int64)
        return self._dup_codes

    def docnum_of(self, key: str) -> int | None:
        """The live document with this key, checked against its stored id."""
        if self._key_order is None:
            self._key_order = np.argsort(self.keys, kind="stable")
        h = np.uint64(docvalues.key_hash(key))
        order = self._key_order
        lo = int(np.searchsorted(self.keys[order], h, side="left")) if len(order) else 0
        while lo < len(order) and self.keys[order[lo]] == h:
            docnum = int(order[lo])
            if self.live[docnum] and self.stored(docnum).get("id") == key:
                return docnum
            lo += 1
        return None

    def browse_cache(self, key, compute):
        """Results that depend on the generation only (browsing without a query)."""
        with self._cache_lock:
            if key in self._browse_cache:
                return self._browse_cache[key]
        value = compute()
        with self._cache_lock:
            self._browse_cache[key] = value
        return value

    def lang_mask(self, langs: frozenset) -> np.ndarray:
        """Documents in any of ``langs`` (language codes as indexed)."""
        mask = self._lang_masks.get(langs)
        if mask is None:
            mask = self._lang_masks[langs] = self.langs.mask_for(sorted(langs))
        return mask

    # scoring -----------------------------------------------------------------
    def idf(self, df: int) -> float:
        return math.log(1 + (self.doc_count - df + 0.5) / (df + 0.5))

    def bm25(self, field: str, term: str, idf: float | None = None,
             b: float | None = None) -> Scored:
        """The term's documents and scores; ``idf`` and ``b`` replace the defaults."""
        docs, tf = self.postings.read(field, term)
        if not len(docs):
            return EMPTY
        b = B if b is None else b
        norm = K1 * (1 - b + b * self.lengths[docs] / self.avg_length)
        weight = self.idf(len(docs)) if idf is None else idf
        return docs, weight * tf * (K1 + 1) / (tf + norm)

    def live_count(self, mask: np.ndarray) -> int:
        return int(np.count_nonzero(mask & self.live))

    def entity_score(self, field: str, canonical: str) -> Scored:
        docs, _ = self.postings.read(field, canonical)
        if not len(docs):
            return EMPTY
        return docs, np.full(len(docs), self.idf(len(docs)) * ENTITY_MATCH_WEIGHT)

    def all_docs(self) -> Scored:
        docs = np.flatnonzero(self.live)
        return docs, np.zeros(len(docs))

    def stored(self, docnum: int) -> dict:
        with self.lock:
            return self.searcher.stored_fields(int(docnum))

    def phrase_docs(self, field: str, terms: list[str], slop: int,
                    candidates: np.ndarray) -> np.ndarray:
        """Those of the sorted ``candidates`` (documents with every term) that have the
        terms in order, each within ``slop`` + 1 positions of the one before.

        Adjacent words (``slop`` 0, the common case) are matched here on the
        candidates' decoded positions, one set intersection per word. Looser
        phrases go to whoosh, which checks positions document by document in
        Python. Either answer is kept in the posting cache, where its bytes count.
        """
        key = ("phrase", field, tuple(terms), slop)
        cached = self.postings.cached(key)
        if cached is not None:
            return cached[0]
        if slop == 0:
            starts = self.postings.occurrences(field, terms[0], candidates)
            for offset, term in enumerate(terms[1:], 1):
                following = self.postings.occurrences(field, term, candidates) - offset
                starts = np.intersect1d(starts, following)
            docs = np.unique(starts >> 32)
        else:
            from whoosh import query as wq

            with self.lock:
                q = wq.Phrase(field, terms, slop=slop + 1)
                docs = np.fromiter(self.searcher.docs_for_query(q), dtype=np.int64)
        self.postings.remember(key, (docs, np.zeros(0)))
        return docs

    def close(self) -> None:
        self.postings.close()
        self.searcher.close()


def _docvalues(storage, segment, leaf) -> docvalues.DocValues:
    path = docvalues.segment_path(storage, segment)
    if os.path.exists(path):  # one written before the later columns is completed here
        return docvalues.complete(docvalues.read_file(path), leaf)
    writer = docvalues.from_reader(leaf)
    return docvalues.DocValues(writer.arrays(), {k: list(v) for k, v in writer.labels.items()},
                               leaf.doc_count_all())


def _concatenate(parts: list[np.ndarray], dtype) -> np.ndarray:
    if not parts:
        return np.zeros(0, dtype=dtype)
    return np.concatenate(parts).astype(dtype, copy=False)
