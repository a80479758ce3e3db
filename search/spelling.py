"""Near spellings of a word in the index: fuzzy query terms and 'Meinten Sie …'.

whoosh finds them by walking its terms file with an automaton, one small read
per step: 4 s per word at 100,000 articles. Each segment has its searched
field's word list in a ``.lex`` file instead (sorted terms, their document
counts; ``indexer.docvalues``), memory-mapped and never decoded whole: a
lookup takes the words with the same first byte and a length within the
allowed distance, decodes only those, and lets rapidfuzz (C) compute the
edit distances (optimal string alignment, as whoosh's own ``distance``).
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from indexer import docvalues


@dataclass
class _SegmentWords:
    blob: np.ndarray  # uint8: the sorted terms joined by "\n"
    starts: np.ndarray  # byte offset of each term, and one past the end
    first: np.ndarray  # each term's first byte, non-decreasing
    counts: np.ndarray  # documents per term

    @classmethod
    def load(cls, path: str) -> _SegmentWords:
        dv = docvalues.read_file(path, key="counts")
        blob = dv["blob"]
        if not len(blob):
            empty = np.zeros(0, dtype=np.int64)
            return cls(blob, np.zeros(1, dtype=np.int64), empty.astype(np.uint8), dv["counts"])
        starts = np.concatenate(([0], np.flatnonzero(blob == 10) + 1, [len(blob) + 1]))
        return cls(blob, starts, blob[starts[:-1]], dv["counts"])

    def term(self, i: int) -> str:
        return self.blob[self.starts[i]:self.starts[i + 1] - 1].tobytes().decode("utf-8")

    def candidates(self, word: str, distance: int) -> tuple[list[str], np.ndarray]:
        """Terms with ``word``'s first byte whose length could be within ``distance``."""
        encoded = word.encode("utf-8")
        if not encoded or not len(self.first):
            return [], np.zeros(0, dtype=np.int64)
        lo = int(np.searchsorted(self.first, encoded[0], side="left"))
        hi = int(np.searchsorted(self.first, encoded[0], side="right"))
        lengths = self.starts[lo + 1:hi + 1] - self.starts[lo:hi] - 1  # in bytes
        # a character is one to four bytes: a bound on bytes that never drops a match
        near = np.flatnonzero(np.abs(lengths - len(encoded)) <= 4 * distance) + lo
        return [self.term(i) for i in near.tolist()], near

    def count(self, word: str) -> int:
        encoded = word.encode("utf-8")
        if not encoded or not len(self.first):
            return 0
        lo = int(np.searchsorted(self.first, encoded[0], side="left"))
        hi = int(np.searchsorted(self.first, encoded[0], side="right"))
        while lo < hi:  # binary search on the decoded terms of the first byte's range
            mid = (lo + hi) // 2
            if self.term(mid) < word:
                lo = mid + 1
            else:
                hi = mid
        return int(self.counts[lo]) if lo < len(self.counts) and self.term(lo) == word else 0


class SpellingLexicon:
    """The word lists of a generation's segments, loaded one by one on first use."""

    def __init__(self, storage, leaves: list, reader_lock: threading.Lock):
        self.storage = storage
        self.leaves = leaves  # (whoosh segment reader, base)
        self.reader_lock = reader_lock  # the readers' own: only the fallback reads them
        self._words: dict[int, _SegmentWords | None] = {}
        self.lock = threading.Lock()

    def _segment(self, i: int) -> _SegmentWords | None:
        with self.lock:
            if i not in self._words:
                path = docvalues.lexicon_path(self.storage, self.leaves[i][0].segment())
                self._words[i] = _SegmentWords.load(path) if os.path.exists(path) else None
            return self._words[i]

    def near(self, word: str, distance: int) -> dict[str, int]:
        """Terms within ``distance`` edits of ``word`` sharing its first letter,
        with their document counts (deleted documents included)."""
        found: dict[str, int] = {}
        for i, (leaf, _) in enumerate(self.leaves):
            words = self._segment(i)
            if words is None:  # a segment without a word list (older index): ask whoosh
                with self.reader_lock:
                    for t in leaf.terms_within("text", word, distance, prefix=1):
                        t = t.decode("utf-8") if isinstance(t, bytes) else t
                        found[t] = found.get(t, 0) + leaf.doc_frequency("text", t)
                continue
            choices, positions = words.candidates(word, distance)
            if not choices:
                continue
            for term, _, index in process.extract(word, choices, scorer=OSA.distance,
                                                  score_cutoff=distance, limit=None):
                if term[:1] == word[:1]:
                    found[term] = found.get(term, 0) + int(words.counts[positions[index]])
        return found

    def count(self, word: str) -> int:
        total = 0
        for i, (leaf, _) in enumerate(self.leaves):
            words = self._segment(i)
            if words is None:
                with self.reader_lock:
                    total += leaf.doc_frequency("text", word)
            else:
                total += words.count(word)
        return total
