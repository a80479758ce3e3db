"""Posting lists as arrays, read from whoosh segments and cached by size.

whoosh's matchers cost two Python calls per posting; a term's postings are
read here block by block (``indexer.whoosh_compat.posting_blocks``) into
one array of docnums and one of weights. The cache is bounded by bytes, not
entries: one posting list of a common word at 1,000,000 articles weighs as
much as ten thousand rare ones.
"""
from __future__ import annotations

import os
import pickle
import threading

import numpy as np
from cachetools import LRUCache

from indexer import whoosh_compat
from search.scored import EMPTY, Scored

# Per server process; the env variable lets an operator size it to the machine.
CACHE_BYTES = int(os.environ.get("PRESSEARCHIV_POSTINGS_CACHE_MB", "256")) * 2 ** 20


def _size(value: Scored) -> int:
    return value[0].nbytes + value[1].nbytes + 64


class PostingsReader:
    """A generation's postings; ``read`` is safe from several threads."""

    def __init__(self, reader, live: np.ndarray, cache_bytes: int = CACHE_BYTES,
                 open_reader=None):
        self.reader = reader
        self.live = live
        self.leaves = list(reader.leaf_readers())
        # whoosh's readers seek shared file handles: one reader at a time
        self.lock = threading.Lock()
        # Walking the word list (prefixes) takes a reader of its own,
        # so that such work never holds the lock every search needs.
        self._open_reader = open_reader or (lambda: reader)
        self._lexicon = None
        self.lexicon_lock = threading.Lock()
        self.cache: LRUCache = LRUCache(maxsize=cache_bytes, getsizeof=_size)
        self.cache_lock = threading.Lock()

    def read(self, field: str, term: str) -> Scored:
        key = (field, term)
        cached = self.cached(key)
        if cached is not None:
            return cached
        value = self._read(field, term)
        self.remember(key, value)
        return value

    def cached(self, key) -> Scored | None:
        with self.cache_lock:
            return self.cache.get(key)

    def remember(self, key, value: Scored) -> None:
        if _size(value) <= self.cache.maxsize:
            with self.cache_lock:
                self.cache[key] = value

    def _read(self, field: str, term: str) -> Scored:
        ids: list[np.ndarray] = []
        weights: list[np.ndarray] = []
        btext = term.encode("utf-8")
        with self.lock:
            for leaf, base in self.leaves:
                if (field, btext) not in leaf:
                    continue
                for block_ids, block_weights in whoosh_compat.posting_blocks(
                        whoosh_compat.raw_postings(leaf, field, btext)):
                    ids.append(block_ids + base)
                    weights.append(block_weights)
        if not ids:
            return EMPTY
        docs, w = np.concatenate(ids), np.concatenate(weights)
        keep = self.live[docs]
        return docs[keep], w[keep]

    def occurrences(self, field: str, term: str, docs: np.ndarray) -> np.ndarray:
        """Every occurrence of ``term`` in the sorted ``docs``, as ``docnum << 32 | position``.

        Only the candidates' stored positions are decoded, so a phrase costs in
        proportion to the documents that have all its words.
        """
        found: list[int] = []
        add = found.append
        loads = pickle.loads
        btext = term.encode("utf-8")
        with self.lock:
            for leaf, base in self.leaves:
                lo, hi = np.searchsorted(docs, [base, base + leaf.doc_count_all()])
                if lo == hi or (field, btext) not in leaf:
                    continue
                local = docs[lo:hi] - base
                for ids, _, values in whoosh_compat.posting_blocks_with_values(
                        whoosh_compat.raw_postings(leaf, field, btext), local.tolist()):
                    ids = np.asarray(ids, dtype=np.int64)
                    at = np.minimum(np.searchsorted(local, ids), len(local) - 1)
                    for i in np.flatnonzero(local[at] == ids).tolist():
                        key = (int(ids[i]) + base) << 32
                        for delta in loads(values[i][4:]):  # whoosh's Positions: count, deltas
                            key += delta
                            add(key)
        return np.array(found, dtype=np.int64)

    def doc_frequency(self, field: str, term: str) -> int:
        """From the term's statistics (deleted documents included): no postings read."""
        with self.lexicon_lock:
            try:
                return self._lexicon_reader().doc_frequency(field, term)
            except (KeyError, TypeError):
                return 0

    def _lexicon_reader(self):
        if self._lexicon is None:
            self._lexicon = self._open_reader()
        return self._lexicon

    def expand(self, field: str, prefix: str, limit: int) -> list[str]:
        out = []
        with self.lexicon_lock:
            for term in self._lexicon_reader().expand_prefix(field, prefix):
                out.append(term.decode("utf-8") if isinstance(term, bytes) else term)
                if len(out) >= limit:
                    break
        return out

    def close(self) -> None:
        if self._lexicon is not None and self._lexicon is not self.reader:
            self._lexicon.close()
