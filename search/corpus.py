"""What the analyses of a result (keywords, co-occurrence) need of a generation, made
once per snapshot: the articles counted (one per group of exact duplicates, deleted
ones never), the term vectors of every segment (``indexer.termvectors``), and the
archive's document frequencies of terms and names over those articles.

Terms of several segments are matched by a 64-bit hash of their text, so adding up
counts is ``np.unique`` over hashes rather than a dictionary of strings; only the
terms finally shown are looked up as text.
"""
from __future__ import annotations

import logging
import os
import threading
from datetime import date

import numpy as np

from indexer import docvalues, termvectors
from indexer.entity_fields import ENTITY_FIELDS
from search.snapshot import Snapshot

log = logging.getLogger(__name__)
SEED = 0  # samples are random with this fixed seed: the same request, the same sample


def representatives(snap: Snapshot, docs: np.ndarray) -> np.ndarray:
    """One document (the lowest number) per duplicate group among ``docs``, sorted.

    Most groups have one member: only the documents of larger groups are sorted out,
    so this costs a pass over ``docs``, not a sort of them.
    """
    if not len(docs):
        return np.zeros(0, dtype=np.int64)
    docs = np.asarray(docs, dtype=np.int64)
    if len(docs) > 1 and (docs[1:] < docs[:-1]).any():
        docs = np.sort(docs)
    sizes = snap.browse_cache(("duplicate-group-sizes",),
                              lambda: np.bincount(snap.dup_codes[snap.live],
                                                  minlength=int(snap.dup_codes.max(initial=0)) + 1))
    codes = snap.dup_codes[docs]
    shared = sizes[codes] > 1
    if not shared.any():
        return docs
    _, first = np.unique(codes[shared], return_index=True)
    keep = ~shared
    keep[np.flatnonzero(shared)[first]] = True
    return docs[keep]


def without_groups_of(snap: Snapshot, docs: np.ndarray, others: np.ndarray) -> np.ndarray:
    """``docs`` without those sharing a duplicate group with any of ``others``."""
    if not len(others) or not len(docs):
        return docs
    taken = np.zeros(int(snap.dup_codes.max()) + 1, dtype=bool)
    taken[snap.dup_codes[others]] = True
    return docs[~taken[snap.dup_codes[docs]]]


def sample(docs: np.ndarray, size: int) -> np.ndarray:
    """At most ``size`` of the sorted ``docs``, drawn at random (fixed seed), sorted."""
    if len(docs) <= size:
        return docs
    rng = np.random.default_rng(SEED)
    return np.sort(rng.choice(docs, size=size, replace=False))


def period_keys(snap: Snapshot, docs: np.ndarray, interval: str) -> np.ndarray:
    """Per document its period as ``YYYY`` or ``YYYY-MM``; '' when undated."""
    ordinals = snap.dates[docs]
    epoch = date(1970, 1, 1).toordinal()
    days = (np.where(ordinals >= 0, ordinals, epoch) - epoch).astype("datetime64[D]")
    unit = "datetime64[M]" if interval == "month" else "datetime64[Y]"
    keys = days.astype(unit).astype(str)
    return np.where(ordinals >= 0, keys, "")


class ByPeriod:
    """What the keyword and co-occurrence responses share: one list for the whole
    focus (``overall``) and, with an interval, one per period (``periods``)."""

    overall: object
    periods: list | None
    interval: str | None
    warnings: list[str]
    took_ms: float

    def lists(self) -> list:
        return self.periods if self.periods is not None else [self.overall]

    def _dict(self, head: dict) -> dict:
        out = {**head, "took_ms": self.took_ms, "warnings": self.warnings,
               **self.overall.to_dict()}
        out.pop("period")
        if self.periods is not None:
            out["interval"] = self.interval
            out["periods"] = [p.to_dict() for p in self.periods]
        return out


class Corpus:
    """One snapshot's counted articles, term vectors and archive frequencies."""

    def __init__(self, snap: Snapshot):
        self.snap = snap
        self.segments: list[tuple[int, termvectors.TermVectors, object]] = []
        storage = snap.ix.storage
        for leaf, base in snap.reader.leaf_readers():
            segment = leaf.segment()
            self.segments.append((base, termvectors.load(storage, segment, leaf), segment))
        self.counted = representatives(snap, np.flatnonzero(snap.live))
        self.size = len(self.counted)
        self._terms: dict[int, list[str]] = {}
        self._df: tuple[np.ndarray, np.ndarray] | None = None
        self._entity_df: dict[str, np.ndarray] = {}

    @classmethod
    def of(cls, snap: Snapshot) -> Corpus:
        return snap.browse_cache(("analysis-corpus",), lambda: cls(snap))

    @classmethod
    def when_ready(cls, snap: Snapshot, wait: float = 0.0) -> Corpus | None:
        """The snapshot's corpus view with its archive frequencies made, if that takes no
        longer than ``wait`` seconds; else None, while a background thread goes on making
        it (once per snapshot). For the search page's panel: the first search after an
        update must not wait for the 0.4 to 1.3 s this takes at 100,000 articles."""
        warming = snap.browse_cache(("analysis-corpus-warming",), lambda: _Warming(snap))
        warming.thread.join(wait)
        return warming.corpus

    def warm(self) -> Corpus:
        self.archive_frequencies()
        for plural in ENTITY_KINDS:
            self.entity_frequencies(plural)
        return self

    # terms -------------------------------------------------------------------
    def term_counts(self, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Of the sorted ``docs``: per term hash (sorted) the number having the term."""
        hashes, counts = [], []
        for base, tv, _ in self.segments:
            lo, hi = np.searchsorted(docs, [base, base + tv.doc_count])
            if hi <= lo:
                continue
            positions, _ = docvalues.row_positions(tv.indptr, docs[lo:hi] - base)
            per_term = np.bincount(tv.ordinals[positions], minlength=tv.vocabulary)
            present = np.flatnonzero(per_term)
            hashes.append(tv.hashes[present])
            counts.append(per_term[present])
        return _add_up(hashes, counts)

    def archive_frequencies(self) -> tuple[np.ndarray, np.ndarray]:
        """Per term hash (sorted) the counted articles having it: each segment's document
        frequencies less those of its deleted documents and extra duplicates."""
        if self._df is None:
            counted = np.zeros(self.snap.n, dtype=bool)
            counted[self.counted] = True
            hashes, counts = [], []
            for base, tv, _ in self.segments:
                df = np.asarray(tv.df, dtype=np.int64)
                skipped = np.flatnonzero(~counted[base:base + tv.doc_count])
                if len(skipped):
                    positions, _ = docvalues.row_positions(tv.indptr, skipped)
                    df = df - np.bincount(tv.ordinals[positions], minlength=tv.vocabulary)
                hashes.append(tv.hashes)
                counts.append(df)
            self._df = _add_up(hashes, counts)
        return self._df

    def frequencies_of(self, hashes: np.ndarray, table: tuple[np.ndarray, np.ndarray]
                       ) -> np.ndarray:
        """The counts of ``hashes`` in a (sorted hashes, counts) table, 0 where absent."""
        keys, counts = table
        if not len(keys):
            return np.zeros(len(hashes), dtype=np.int64)
        at = np.minimum(np.searchsorted(keys, hashes), len(keys) - 1)
        return np.where(keys[at] == hashes, counts[at], 0)

    def describe(self, hashes: np.ndarray) -> list[tuple[str, str]]:
        """(index term, written form) of each hash: the form written most often (counts
        of one form in several segments added up), else the term."""
        terms_of: list[str] = [""] * len(hashes)
        forms_of: list[dict[str, int]] = [{} for _ in range(len(hashes))]
        for i, (_, tv, segment) in enumerate(self.segments):
            ordinals = tv.ordinals_of(np.asarray(hashes, dtype=np.uint64))
            if not (ordinals >= 0).any():
                continue
            terms = self._segment_terms(i, segment)
            forms = tv.forms()
            for j, o in enumerate(ordinals.tolist()):
                if o >= 0:
                    terms_of[j] = terms[o]
                    if forms[o]:
                        counts = forms_of[j]
                        counts[forms[o]] = counts.get(forms[o], 0) + int(tv.form_counts[o])
        return [(term, min(forms, key=lambda f: (-forms[f], f)) if forms else term)
                for term, forms in zip(terms_of, forms_of)]

    def _segment_terms(self, i: int, segment) -> list[str]:
        if i not in self._terms:
            path = docvalues.lexicon_path(self.snap.ix.storage, segment)
            if os.path.exists(path):
                self._terms[i] = docvalues.read_lexicon(path)[0]
            else:
                with self.snap.lock:
                    leaf = list(self.snap.reader.leaf_readers())[i][0]
                    self._terms[i] = [t.decode("utf-8")
                                      for t in leaf.lexicon(termvectors.FIELD)]
        return self._terms[i]

    # names -------------------------------------------------------------------
    def entity_counts(self, plural: str, docs: np.ndarray) -> np.ndarray:
        """Per label of the entity field: how many of ``docs`` name it."""
        return self.snap.entities[plural].counts_of(docs)

    def entity_frequencies(self, plural: str) -> np.ndarray:
        if plural not in self._entity_df:
            self._entity_df[plural] = self.entity_counts(plural, self.counted)
        return self._entity_df[plural]


ENTITY_KINDS = {f.plural: f.param for f in ENTITY_FIELDS}  # persons -> person


class _Warming:
    def __init__(self, snap: Snapshot):
        self.corpus: Corpus | None = None
        self.thread = threading.Thread(target=self._run, args=(snap,), daemon=True,
                                       name="pressearchiv-keyness-warm")
        self.thread.start()

    def _run(self, snap: Snapshot) -> None:
        try:
            self.corpus = Corpus.of(snap).warm()
        except Exception:  # noqa: BLE001 - logged; the panel stays away, the API still works
            log.exception("could not prepare keyword counting for %s", snap.generation)


def _add_up(hashes: list[np.ndarray], counts: list[np.ndarray]
            ) -> tuple[np.ndarray, np.ndarray]:
    if not hashes:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    keys, inverse = np.unique(np.concatenate(hashes), return_inverse=True)
    totals = np.bincount(inverse, weights=np.concatenate(counts), minlength=len(keys))
    return keys, np.rint(totals).astype(np.int64)
