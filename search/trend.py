"""Attention over time: how many articles matched each of several queries, per period.

A ``TrendRequest`` holds up to ``MAX_QUERIES`` queries with shared filters; ``trend``
answers it on one snapshot of the engine (``WhooshEngine.focus_all``): for every
query the articles it matches, and once the articles the filters alone admit (the
totals), each counted per bucket (day, ISO week, month or year). The measures:

- ``count``: matching articles in the bucket;
- ``share``: matching articles / all articles in the bucket under the same filters
  (Media Cloud's normalised attention), with the 95 % Wilson score interval
  (Wilson 1927; z = 1.959964): ``(p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)``;
- ``ipm``: occurrences per million words (DWDS's Verlaufskurve): the number of
  distinct word positions in title and body of the matching articles at which one
  of the index terms the query matched stands (its words in every inflection, as
  compound parts, prefix and fuzzy expansions, the other spellings of a name; each
  word of a phrase counts; a ``person:``/``org:``/``ort:``/``ressort:`` condition adds
  none), per million words of all articles of the bucket under the filters (words as
  ``indexer.analysis.count_words`` counts them: every token, stop words included, a
  hyphenated compound once per part).

Counting rules: exact duplicates (same title and body, ``Snapshot.dup_codes``) count
once, as the article of the group with the earliest date (in numerator and
denominator alike, so the per-bucket hits of all dated groups add up to the search's
total); undated articles are in no bucket and are counted in ``undated``; a bucket
without articles is there with 0. ``smooth`` adds a centred moving average of the
values (window ``smooth``, odd; at the edges over the buckets there are). With
``split="outlet"`` each query gets one series per outlet (the chosen ``outlets``, else
the ``split_size`` outlets with the most articles under the filters), each normalised
by that outlet's own articles and words.
"""
from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta

import numpy as np

from search.models import MAX_QUERY_CHARS, InvalidRequest, SearchRequest

MAX_QUERIES = 8
MAX_LABEL_CHARS = 100
INTERVALS = ("auto", "day", "week", "month", "year")
MEASURES = ("count", "share", "ipm")
SPLITS = ("outlet",)
MAX_SMOOTH = 25
DEFAULT_SPLIT_SIZE, MAX_SPLIT_SIZE = 5, 20
MAX_BUCKETS = 120  # auto picks the finest interval with at most this many buckets
MAX_CELLS = 50_000  # buckets x series in one answer: daily over decades is refused
Z95 = 1.959963984540054  # the 97.5th percentile of the standard normal distribution
NO_DATE = np.iinfo(np.int64).max


@dataclass
class TrendRequest:
    queries: list[str] = field(default_factory=lambda: [""])  # "" is every article
    labels: list[str] = field(default_factory=list)  # per query; the query itself if none
    # op, syntax and the filters every query shares (its q, paging and sort are not read)
    filters: SearchRequest = field(default_factory=SearchRequest)
    interval: str = "auto"
    measure: str = "count"
    smooth: int | None = None
    split: str | None = None
    split_size: int = DEFAULT_SPLIT_SIZE

    def search_request(self, q: str = "") -> SearchRequest:
        """The search whose result is one query's articles (``q`` empty: the totals)."""
        return replace(self.filters, q=q, page=1, size=1, cursor=None, sort="relevance",
                       facets=False, snippets=False)

    def label(self, i: int) -> str:
        given = self.labels[i].strip() if i < len(self.labels) else ""
        return given or self.queries[i].strip() or "Alle Artikel"

    def validate(self) -> TrendRequest:
        if not self.queries:
            self.queries = [""]
        if len(self.queries) > MAX_QUERIES:
            raise InvalidRequest("q", f"at most {MAX_QUERIES} queries, got {len(self.queries)}")
        if len(self.labels) > len(self.queries):
            raise InvalidRequest("label", "more labels than queries")
        for label in self.labels:
            if not isinstance(label, str) or len(label) > MAX_LABEL_CHARS:
                raise InvalidRequest("label", f"a label is at most {MAX_LABEL_CHARS} characters")
        if self.interval not in INTERVALS:
            raise InvalidRequest("interval", "interval must be one of " + ", ".join(INTERVALS))
        if self.measure not in MEASURES:
            raise InvalidRequest("measure", "measure must be one of " + ", ".join(MEASURES))
        if self.smooth is not None and (not isinstance(self.smooth, int) or self.smooth < 1
                                        or self.smooth > MAX_SMOOTH or self.smooth % 2 == 0):
            raise InvalidRequest("smooth", f"smooth must be an odd number from 1 to {MAX_SMOOTH}")
        if self.split is not None and self.split not in SPLITS:
            raise InvalidRequest("split", "split must be 'outlet' or left out")
        if not isinstance(self.split_size, int) or not 1 <= self.split_size <= MAX_SPLIT_SIZE:
            raise InvalidRequest("split_size", f"split_size must be from 1 to {MAX_SPLIT_SIZE}")
        for q in self.queries:
            if not isinstance(q, str) or len(q) > MAX_QUERY_CHARS:
                raise InvalidRequest("q", f"q is longer than {MAX_QUERY_CHARS} characters")
            self.search_request(q).validate()
        return self


@dataclass
class TrendBucket:
    key: str  # "2024", "2024-11", "2024-W46" or "2024-11-14"
    start: str  # first day, YYYY-MM-DD
    end: str  # last day
    hits: int  # matching articles (duplicates once)
    total: int  # all articles under the filters (of the series' outlet with a split)
    value: float  # count, share or ipm
    low: float | None = None  # share: 95 % Wilson interval; None without articles
    high: float | None = None
    occurrences: int | None = None  # ipm: the numerator
    words: int | None = None  # ipm: the denominator
    smoothed: float | None = None  # with smooth: the centred moving average of value


@dataclass
class TrendSeries:
    label: str
    query: str
    outlet: str | None  # with split=outlet
    hits: int  # dated matching articles in all buckets
    undated: int  # matching articles without a date (in no bucket)
    buckets: list[TrendBucket]
    warnings: list[str] = field(default_factory=list)


@dataclass
class TrendTotal:
    key: str
    start: str
    end: str
    articles: int  # under the filters, duplicates once
    words: int


@dataclass
class TrendResponse:
    interval: str  # the interval used (auto resolved)
    measure: str
    smooth: int | None
    split: str | None
    series: list[TrendSeries]
    totals: list[TrendTotal]  # per bucket, under the shared filters (no split)
    undated: int  # articles under the filters without a date
    took_ms: float

    def to_dict(self) -> dict:
        return asdict(self)


# -- buckets -----------------------------------------------------------------

def _floor(d: date, interval: str) -> date:
    if interval == "week":
        return d - timedelta(days=d.weekday())
    if interval == "month":
        return d.replace(day=1)
    if interval == "year":
        return d.replace(month=1, day=1)
    return d


def _next(d: date, interval: str) -> date:
    if interval == "day":
        return d + timedelta(days=1)
    if interval == "week":
        return d + timedelta(days=7)
    if interval == "month":
        return date(d.year + d.month // 12, d.month % 12 + 1, 1)
    return date(d.year + 1, 1, 1)


def _key(d: date, interval: str) -> str:
    if interval == "week":
        year, week, _ = d.isocalendar()
        return f"{year}-W{week:02d}"
    return {"day": d.isoformat(), "month": d.isoformat()[:7], "year": str(d.year)}[interval]


def _count_buckets(first: date, last: date, interval: str) -> int:
    if interval == "day":
        return (last - first).days + 1
    if interval == "week":
        return (_floor(last, "week") - _floor(first, "week")).days // 7 + 1
    if interval == "month":
        return (last.year - first.year) * 12 + last.month - first.month + 1
    return last.year - first.year + 1


def choose_interval(first: date, last: date) -> str:
    """The finest of day, week, month and year with at most ``MAX_BUCKETS`` buckets
    over the span: 20 to 120 buckets for any span from 20 days to 120 years."""
    for interval in ("day", "week", "month"):
        if _count_buckets(first, last, interval) <= MAX_BUCKETS:
            return interval
    return "year"


@dataclass
class _Buckets:
    interval: str
    starts: list[date]
    edges: np.ndarray  # ordinals of the starts, and of the day after the last bucket
    numbers: np.ndarray | None = None  # every document's bucket (``number_all``)

    def of(self, ordinals: np.ndarray) -> np.ndarray:
        """Each day's bucket number; -1 outside (and for undated, ordinal -1)."""
        numbers = np.searchsorted(self.edges, ordinals, side="right") - 1
        numbers[(ordinals < self.edges[0]) | (ordinals >= self.edges[-1])] = -1
        return numbers

    def number_all(self, dates: np.ndarray) -> None:
        """Find the bucket of every document once, for all the counts of a trend."""
        self.numbers = self.of(dates)
        self.described = [self._describe(i) for i in range(len(self.starts))]

    def describe(self, i: int) -> tuple[str, str, str]:
        return self.described[i]

    def _describe(self, i: int) -> tuple[str, str, str]:
        start = self.starts[i]
        end = date.fromordinal(int(self.edges[i + 1]) - 1)
        return _key(start, self.interval), start.isoformat(), end.isoformat()


def _buckets(dates: np.ndarray, request: TrendRequest, archive: tuple) -> _Buckets:
    """Buckets over the span of the filtered articles' dates, widened to the requested
    ``from``/``to`` as far as the archive reaches."""
    from indexer.dates import parse_date_bound

    dated = dates[dates >= 0]
    first = date.fromordinal(int(dated.min())) if len(dated) else None
    last = date.fromordinal(int(dated.max())) if len(dated) else None
    lo, hi = archive
    if request.filters.date_from and lo is not None:
        bound = max(date.fromisoformat(parse_date_bound(request.filters.date_from, end=False)),
                    lo)
        first = min(first, bound) if first else bound
    if request.filters.date_to and hi is not None:
        bound = min(date.fromisoformat(parse_date_bound(request.filters.date_to, end=True)), hi)
        last = max(last, bound) if last else bound
    if first is None or last is None or last < first:
        return _Buckets(request.interval if request.interval != "auto" else "month", [],
                        np.zeros(1, dtype=np.int64))
    interval = choose_interval(first, last) if request.interval == "auto" else request.interval
    series = len(request.queries) * (request.split_size if request.split else 1)
    if _count_buckets(first, last, interval) * series > MAX_CELLS:
        raise InvalidRequest("interval", f"interval={interval} makes "
                             f"{_count_buckets(first, last, interval):,} buckets per series "
                             f"over {first.isoformat()}..{last.isoformat()}, more than this "
                             "answer may hold; choose a coarser interval or narrow from/to")
    starts, d = [], _floor(first, interval)
    while d <= last:
        starts.append(d)
        d = _next(d, interval)
    edges = np.array([s.toordinal() for s in starts] + [d.toordinal()], dtype=np.int64)
    return _Buckets(interval, starts, edges)


# -- counting ------------------------------------------------------------------

def representatives(snap, mask: np.ndarray) -> np.ndarray:
    """The documents of ``mask`` with each group of exact duplicates reduced to one: its
    earliest dated copy (undated last, then the lowest document number). Sorted."""
    docs = np.flatnonzero(mask)
    codes = snap.dup_codes[docs]
    sizes = snap.browse_cache(("dup_group_sizes",), lambda: np.bincount(
        snap.dup_codes[snap.live], minlength=int(snap.dup_codes.max(initial=-1)) + 1))
    multi = sizes[codes] > 1
    if not multi.any():
        return docs
    copies, copy_codes = docs[multi], codes[multi]
    dates = snap.dates[copies]
    order = np.lexsort((copies, np.where(dates < 0, NO_DATE, dates), copy_codes))
    copies, copy_codes = copies[order], copy_codes[order]
    first = np.ones(len(copies), dtype=bool)
    first[1:] = copy_codes[1:] != copy_codes[:-1]
    return np.sort(np.concatenate([docs[~multi], copies[first]]))


def occurrences(snap, terms, docs: np.ndarray) -> np.ndarray:
    """Per document of the sorted ``docs``: the distinct positions in title and body
    (the ``text`` field) at which any of ``terms`` stands."""
    if len(terms) == 1:  # one term stands at a position once: its frequency will do
        return _term_frequencies(snap, next(iter(terms)), docs)
    found = [snap.postings.occurrences("text", term, docs) for term in sorted(terms)]
    found = [f for f in found if len(f)]
    if not found:
        return np.zeros(len(docs), dtype=np.int64)
    keys = np.unique(np.concatenate(found))
    return np.bincount(np.searchsorted(docs, keys >> 32), minlength=len(docs))


def _term_frequencies(snap, term: str, docs: np.ndarray) -> np.ndarray:
    """Per document of the sorted ``docs``: how often ``term`` stands in title and body,
    read from the count in front of each posting's encoded positions (whoosh's
    ``Positions`` format: a 4-byte big-endian count, then the pickled deltas), so the
    positions themselves are never unpickled."""
    from indexer import whoosh_compat

    postings = snap.postings
    counts = np.zeros(len(docs), dtype=np.int64)
    btext = term.encode("utf-8")
    with postings.lock:
        for leaf, base in postings.leaves:
            lo, hi = np.searchsorted(docs, [base, base + leaf.doc_count_all()])
            if lo == hi or ("text", btext) not in leaf:
                continue
            local = docs[lo:hi] - base
            for ids, _, values in whoosh_compat.posting_blocks_with_values(
                    whoosh_compat.raw_postings(leaf, "text", btext), local.tolist()):
                ids = np.asarray(ids, dtype=np.int64)
                at = np.minimum(np.searchsorted(local, ids), len(local) - 1)
                keep = np.flatnonzero(local[at] == ids)
                if len(keep):
                    counts[lo + at[keep]] += [int.from_bytes(values[i][:4], "big")
                                              for i in keep.tolist()]
    return counts


def wilson(hits: int, n: int, z: float = Z95) -> tuple[float | None, float | None]:
    """The Wilson score interval of the proportion hits / n; (None, None) for n = 0."""
    if n <= 0:
        return None, None
    p = hits / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def moving_average(values: list[float], window: int) -> list[float]:
    """Centred moving average; at the edges over the values the window holds."""
    half = window // 2
    sums = np.concatenate([[0.0], np.cumsum(values, dtype=np.float64)])
    out = []
    for i in range(len(values)):
        lo, hi = max(0, i - half), min(len(values), i + half + 1)
        out.append(float((sums[hi] - sums[lo]) / (hi - lo)))
    return out


@dataclass
class _Counted:
    per_bucket: np.ndarray  # articles per bucket
    words: np.ndarray | None  # words (totals) or occurrences (hits) per bucket
    dated: int
    undated: int


def _count(snap, docs: np.ndarray, buckets: _Buckets, weights: np.ndarray | None) -> _Counted:
    n = len(buckets.starts)
    numbers = buckets.numbers[docs]
    inside = numbers >= 0
    per_bucket = np.bincount(numbers[inside], minlength=n)[:n]
    summed = (np.bincount(numbers[inside], weights=weights[inside], minlength=n)[:n]
              .round().astype(np.int64) if weights is not None else None)
    undated = int(np.count_nonzero(snap.dates[docs] < 0))
    return _Counted(per_bucket, summed, int(inside.sum()), undated)


def _series(snap, match, totals: _Counted, buckets: _Buckets,
            request: TrendRequest, label: str, query: str, outlet_mask) -> TrendSeries:
    docs = representatives(snap, match.final)  # as the totals: one per group, then split
    if outlet_mask is not None:
        docs = docs[outlet_mask[docs]]
    weights = None
    if request.measure == "ipm":
        weights = (snap.words[docs] if match.browse else
                   occurrences(snap, match.terms, docs)).astype(np.float64)
    hits = _count(snap, docs, buckets, weights)
    out = []
    for i in range(len(buckets.starts)):
        key, start, end = buckets.describe(i)
        h, n = int(hits.per_bucket[i]), int(totals.per_bucket[i])
        bucket = TrendBucket(key, start, end, h, n, float(h))
        if request.measure == "share":
            bucket.value = h / n if n else 0.0
            bucket.low, bucket.high = wilson(h, n)
        elif request.measure == "ipm":
            occ, words = int(hits.words[i]), int(totals.words[i])
            bucket.occurrences, bucket.words = occ, words
            bucket.value = occ / words * 1e6 if words else 0.0
        out.append(bucket)
    if request.smooth and out:
        for bucket, value in zip(out, moving_average([b.value for b in out], request.smooth)):
            bucket.smoothed = value
    return TrendSeries(label, query, None, hits.dated, hits.undated, out, list(match.warnings))


def trend(engine, request: TrendRequest) -> TrendResponse:
    """The trend of each query of ``request`` (see the module's docstring)."""
    started = time.perf_counter()
    request.validate()
    searches = [request.search_request("")] + [request.search_request(q)
                                               for q in request.queries]
    with engine.focus_all(searches) as (snap, matches):
        base, found = matches[0], matches[1:]
        base_docs = representatives(snap, base.final)
        hist = snap.histogram
        buckets = _buckets(snap.dates[base_docs], request, (hist.first, hist.last))
        buckets.number_all(snap.dates)
        words = snap.words[base_docs].astype(np.float64)
        totals = _count(snap, base_docs, buckets, words)
        splits: list[tuple[str | None, np.ndarray | None, _Counted]] = [(None, None, totals)]
        if request.split == "outlet":
            splits = []
            for outlet in _split_outlets(snap, base_docs, request):
                mask = snap.outlets.mask_for([outlet])
                docs = base_docs[mask[base_docs]]
                splits.append((outlet, mask, _count(snap, docs, buckets,
                                                    snap.words[docs].astype(np.float64))))
        series = []
        for i, match in enumerate(found):
            for outlet, mask, outlet_totals in splits:
                one = _series(snap, match, outlet_totals, buckets, request,
                              request.label(i), request.queries[i], mask)
                if outlet is not None:
                    one.outlet = outlet
                    one.label = f"{one.label} – {outlet}"
                series.append(one)
    total_rows = []
    for i in range(len(buckets.starts)):
        key, start, end = buckets.describe(i)
        total_rows.append(TrendTotal(key, start, end, int(totals.per_bucket[i]),
                                     int(totals.words[i])))
    return TrendResponse(buckets.interval, request.measure, request.smooth, request.split,
                         series, total_rows, totals.undated,
                         round((time.perf_counter() - started) * 1000, 2))


def _split_outlets(snap, base_docs: np.ndarray, request: TrendRequest) -> list[str]:
    """The outlets to split by: those filtered for, else the biggest under the filters."""
    facet = snap.outlets
    if request.filters.outlets:
        return [facet.labels[facet.index[o.casefold()]] for o in request.filters.outlets
                if o.casefold() in facet.index]
    mask = np.zeros(snap.n, dtype=bool)
    mask[base_docs] = True
    counts = facet.counts(mask)
    order = sorted(np.flatnonzero(counts).tolist(),
                   key=lambda i: (-counts[i], facet.labels[i].casefold()))
    return [facet.labels[i] for i in order[:request.split_size]]


__all__ = ["TrendBucket", "TrendRequest", "TrendResponse", "TrendSeries", "TrendTotal",
           "choose_interval", "moving_average", "representatives", "trend", "wilson"]
