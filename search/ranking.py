"""Result order, one hit per group of exact duplicates, and paging.

Sorting every hit costs time in proportion to the archive when a query
matches most of it. Only the hits up to the requested page are ordered
here: for relevance, the top scores are selected first (``argpartition``)
and only they are sorted; browsing by date walks an order of all documents
made once per generation. The number of distinct results comes from
counting duplicate-group codes, which needs no sort at all.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from search.snapshot import Snapshot


@dataclass
class Ranked:
    docs: np.ndarray  # the first ``limit`` results in order, one per duplicate group
    scores: np.ndarray
    duplicates: np.ndarray  # per result: how many other matches share its text
    total: int  # distinct results in all


def _order(snap: Snapshot, docs: np.ndarray, scores: np.ndarray, sort: str,
           browse: bool) -> np.ndarray:
    """Positions into ``docs`` in result order (all of them)."""
    dates = snap.dates[docs]
    if sort == "relevance" and not browse:
        return np.lexsort((-dates, -scores))
    if sort == "oldest":
        dated = np.where(dates < 0, np.iinfo(np.int64).max, dates)
        return np.lexsort((-scores, dated))
    return np.lexsort((-scores, -dates))


def _prefix(snap: Snapshot, docs: np.ndarray, scores: np.ndarray, sort: str, browse: bool,
            want: int) -> np.ndarray:
    """Positions of at least the first ``want`` hits in result order (all ties at
    the cut included, so the order is exactly the full sort's)."""
    if want >= len(docs):
        return _order(snap, docs, scores, sort, browse)
    if sort == "relevance" and not browse:
        cut = np.partition(scores, len(scores) - want)[len(scores) - want]
        chosen = np.flatnonzero(scores >= cut)
    else:
        dates = snap.dates[docs]  # undated last either way
        key = np.where(dates < 0, np.iinfo(np.int64).max, dates) if sort == "oldest" else -dates
        cut = np.partition(key, want - 1)[want - 1]
        chosen = np.flatnonzero(key <= cut)
    return chosen[_order(snap, docs[chosen], scores[chosen], sort, browse)]


def _group_sizes(codes: np.ndarray) -> np.ndarray:
    return np.bincount(codes, minlength=1) if len(codes) else np.zeros(1, np.int64)


def distinct(snap: Snapshot, docs: np.ndarray) -> int:
    """How many results ``docs`` are, exact duplicates counted once (``rank``'s total)."""
    return int(np.count_nonzero(_group_sizes(snap.dup_codes[docs])))


def rank(snap: Snapshot, docs: np.ndarray, scores: np.ndarray, sort: str, browse: bool,
         limit: int | None) -> Ranked:
    """The first ``limit`` distinct results (all for None) and the distinct total."""
    codes = snap.dup_codes[docs]
    group_sizes = _group_sizes(codes)
    total = int(np.count_nonzero(group_sizes))
    want = total if limit is None else min(limit, total)
    take = max(2 * want, want + 16)
    while True:
        positions = _prefix(snap, docs, scores, sort, browse, take)
        ordered_codes = codes[positions]
        _, first = np.unique(ordered_codes, return_index=True)
        if len(first) >= want or len(positions) >= len(docs):
            break
        take *= 4
    keep = positions[np.sort(first)[:want]]
    return Ranked(docs[keep], scores[keep], group_sizes[codes[keep]] - 1, total)
