"""Scored document sets: sorted unique docnums with their scores, and their algebra.

Every query node evaluates to one of these; AND, OR and NOT are numpy set
operations on them, so a query's cost follows its posting lists' lengths.
"""
from __future__ import annotations

import numpy as np

Scored = tuple[np.ndarray, np.ndarray]  # sorted unique docnums, their scores
EMPTY: Scored = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))


def _dense(parts: list[Scored], combine) -> Scored | None:
    """The parts combined over an array of all document numbers, when they cover
    a good share of them: linear, where sorting their concatenation is not."""
    size = max(int(p[0][-1]) for p in parts) + 1
    if sum(len(p[0]) for p in parts) * 8 < size:
        return None
    scores = np.zeros(size)
    present = np.zeros(size, dtype=bool)
    for docs, values in parts:  # each part's docnums are unique
        scores[docs] = combine(scores[docs], values)
        present[docs] = True
    docs = np.flatnonzero(present)
    return docs, scores[docs]


def union(parts: list[Scored]) -> Scored:
    """OR: a document in several parts scores their sum."""
    parts = [p for p in parts if len(p[0])]
    if not parts:
        return EMPTY
    if len(parts) == 1:
        return parts[0]
    dense = _dense(parts, np.add)
    if dense is not None:
        return dense
    docs = np.concatenate([p[0] for p in parts])
    scores = np.concatenate([p[1] for p in parts])
    unique, inverse = np.unique(docs, return_inverse=True)
    return unique, np.bincount(inverse, weights=scores, minlength=len(unique))


def best(parts: list[Scored]) -> Scored:
    """Alternatives for one word (its spellings): a document scores its best match,
    not the sum, so an article writing both ``Erdoğan`` and ``Erdogan`` is not doubled."""
    parts = [p for p in parts if len(p[0])]
    if len(parts) <= 1:
        return parts[0] if parts else EMPTY
    dense = _dense(parts, np.maximum)  # scores are never negative: 0 is a neutral start
    if dense is not None:
        return dense
    docs = np.concatenate([p[0] for p in parts])
    scores = np.concatenate([p[1] for p in parts])
    unique, inverse = np.unique(docs, return_inverse=True)
    top = np.zeros(len(unique))
    np.maximum.at(top, inverse, scores)
    return unique, top


def intersect(a: Scored, b: Scored) -> Scored:
    docs, ia, ib = np.intersect1d(a[0], b[0], assume_unique=True, return_indices=True)
    return docs, a[1][ia] + b[1][ib]


def minus(a: Scored, docs: np.ndarray) -> Scored:
    keep = ~np.isin(a[0], docs, assume_unique=True)
    return a[0][keep], a[1][keep]
