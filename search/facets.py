"""Facet counting over per-document arrays, one small class per kind of facet.

An engine hands each facet a boolean mask of the documents to count (the
result with every filter applied except the facet's own, so a second
section can still be picked) and the facet returns its values with counts.
"""
from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from indexer.docvalues import row_positions
from search.models import DateBucket, DateHistogram, Facet, FacetValue


class ValueFacet:
    """A single-valued field (section, language): one code per document, -1 for none."""

    def __init__(self, name: str, codes: np.ndarray, labels: list[str]):
        self.name = name
        self.codes = codes
        self.labels = labels
        self.index = {label.casefold(): i for i, label in enumerate(labels)}
        self._shifted = (codes + 1).astype(np.intp)  # 0 for none: bincount without a filter

    def mask_for(self, values: list[str]) -> np.ndarray | None:
        """Documents having any of ``values`` (case-insensitive); None for no filter."""
        if not values:
            return None
        wanted = [self.index[v.casefold()] for v in values if v.casefold() in self.index]
        return np.isin(self.codes, wanted)

    def counts(self, mask: np.ndarray) -> np.ndarray:
        return np.bincount(self._shifted[mask], minlength=len(self.labels) + 1)[1:]

    def facet(self, mask: np.ndarray, selected: list[str], size: int) -> Facet:
        return _top(self.name, self.counts(mask), self.labels, selected, size)


class EntityFacet(ValueFacet):
    """A multi-valued field (persons, orgs, places) as a sparse document x value
    matrix in CSR form: ``values[indptr[d]:indptr[d + 1]]`` are document d's codes.

    Counting walks only the rows of the documents counted, so a narrow
    result costs little however large the archive; which documents hold a
    value comes from the value's posting list (``docs_of``), not from a
    scan over all pairs.
    """

    def __init__(self, name: str, indptr: np.ndarray, values: np.ndarray, labels: list[str],
                 doc_count: int, docs_of):
        self.name = name
        self.indptr = indptr
        self.values = values
        self.labels = labels
        self.index = {label.casefold(): i for i, label in enumerate(labels)}
        self.doc_count = doc_count
        self.docs_of = docs_of  # label -> sorted docnums (live) holding it

    def mask_for(self, values: list[str]) -> np.ndarray | None:
        """Documents naming every one of ``values`` (AND); None for no filter."""
        if not values:
            return None
        mask = np.ones(self.doc_count, dtype=bool)
        for value in dict.fromkeys(v.casefold() for v in values):  # two spellings, one value
            code = self.index.get(value)
            one = np.zeros(self.doc_count, dtype=bool)
            if code is not None:
                one[self.docs_of(self.labels[code])] = True
            mask &= one
        return mask

    def counts(self, mask: np.ndarray) -> np.ndarray:
        return self.counts_of(np.flatnonzero(mask))

    def counts_of(self, docs: np.ndarray) -> np.ndarray:
        positions, _ = row_positions(self.indptr, docs)
        return np.bincount(self.values[positions], minlength=len(self.labels))


def _top(name: str, counts: np.ndarray, labels: list[str], selected: list[str],
         size: int) -> Facet:
    """The ``size`` most frequent values, ties in alphabetical order, then the
    selected ones that did not make it."""
    chosen = {s.casefold() for s in selected}
    if size <= 0:
        candidates = np.zeros(0, dtype=np.int64)
    elif len(counts) > size:  # only the candidates are sorted: there may be 100,000 labels
        cut = np.partition(counts, len(counts) - size)[len(counts) - size]
        candidates = np.flatnonzero(counts >= max(cut, 1))
    else:
        candidates = np.flatnonzero(counts)
    order = sorted(candidates.tolist(), key=lambda i: (-counts[i], labels[i].casefold()))
    values = []
    for i in order[:size]:
        if counts[i] == 0:
            break
        values.append(FacetValue(labels[i], int(counts[i]), labels[i].casefold() in chosen))
    shown = {v.value.casefold() for v in values}
    index = {label.casefold(): i for i, label in enumerate(labels)}
    for value in selected:  # a selected value stays visible, so it can be unselected
        if value.casefold() not in shown:
            i = index.get(value.casefold())
            values.append(FacetValue(labels[i] if i is not None else value,
                                     int(counts[i]) if i is not None else 0, True))
            shown.add(value.casefold())
    return Facet(name, values)


class DateHistogramFacet:
    """Counts per year, month or day, whichever suits the span; no gaps.

    The span is that of the counted documents, widened to a requested date
    range only as far as the archive reaches (``from=0001`` does not make
    2,000 empty years). Counting is one ``bincount`` over a per-document
    bucket number (day, month or year), made once per interval.
    """

    def __init__(self, ordinals: np.ndarray):
        self.ordinals = ordinals  # date.toordinal() per document, -1 when undated
        dated = ordinals[ordinals >= 0]
        self.first = date.fromordinal(int(dated.min())) if len(dated) else None
        self.last = date.fromordinal(int(dated.max())) if len(dated) else None
        self._numbers: dict[str, np.ndarray] = {}

    def mask_for(self, start: str | None, end: str | None) -> np.ndarray | None:
        if not start and not end:
            return None
        lo = date.fromisoformat(start).toordinal() if start else 0
        hi = date.fromisoformat(end).toordinal() if end else 10**7
        return (self.ordinals >= lo) & (self.ordinals <= hi)

    def _bucket_numbers(self, interval: str) -> np.ndarray:
        """Per document: its day (ordinal), month (months since 1970) or year."""
        if interval == "day":
            return self.ordinals
        if interval not in self._numbers:
            # undated documents get a number too; histogram() leaves them out
            days = (np.where(self.ordinals >= 0, self.ordinals, _EPOCH) - _EPOCH
                    ).astype("datetime64[D]")
            unit = "datetime64[M]" if interval == "month" else "datetime64[Y]"
            self._numbers[interval] = days.astype(unit).astype(np.int64)
        return self._numbers[interval]

    def histogram(self, mask: np.ndarray, start: str | None = None,
                  end: str | None = None) -> DateHistogram:
        values = self.ordinals[mask]
        dated = values >= 0
        undated = int(len(values) - np.count_nonzero(dated))
        values = values[dated]
        if not len(values):
            return DateHistogram("year", [], undated)
        first = date.fromordinal(int(values.min()))
        last = date.fromordinal(int(values.max()))
        if start:  # an empty stretch before the first hit, within the archive's range
            first = min(first, max(date.fromisoformat(start), self.first))
        if end and start:
            last = max(last, min(date.fromisoformat(end), self.last))
        span = (last - first).days
        interval = "day" if span <= 62 else "month" if span <= 3 * 366 else "year"
        starts = _bucket_starts(first, last, interval)
        numbers = self._bucket_numbers(interval)[mask][dated]
        lowest = _number(starts[0], interval)
        counts = np.bincount(numbers - lowest, minlength=len(starts))
        buckets = [DateBucket(_key(s, interval), s.isoformat(),
                              (_next(s, interval) - timedelta(days=1)).isoformat(), int(c))
                   for s, c in zip(starts, counts)]
        return DateHistogram(interval, buckets, undated)


_EPOCH = date(1970, 1, 1).toordinal()


def _number(d: date, interval: str) -> int:
    """A bucket's number as ``_bucket_numbers`` gives it."""
    if interval == "day":
        return d.toordinal()
    if interval == "month":
        return (d.year - 1970) * 12 + d.month - 1
    return d.year - 1970


def _next(d: date, interval: str) -> date:
    if interval == "day":
        return d + timedelta(days=1)
    if interval == "month":
        return date(d.year + d.month // 12, d.month % 12 + 1, 1)
    return date(d.year + 1, 1, 1)


def _bucket_starts(first: date, last: date, interval: str) -> list[date]:
    d = {"day": first, "month": first.replace(day=1), "year": first.replace(month=1, day=1)}[interval]
    out = []
    while d <= last:
        out.append(d)
        d = _next(d, interval)
    return out


def _key(d: date, interval: str) -> str:
    return {"day": d.isoformat(), "month": d.isoformat()[:7], "year": str(d.year)}[interval]
