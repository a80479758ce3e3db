"""Typical terms of a result (keyness): the words and names over-represented in the
articles a search matches (the focus) against a reference.

For every term, the 2x2 table of *article* frequencies, focus against reference, with
and without the term, scored by G² (signed, + for over-represented) with Log Ratio as
the effect size (``search.association``). What is counted:

- articles, not occurrences; one per group of exact duplicates; deleted ones never;
- the focus: what the request (query and filters) matches; above ``sample`` articles a
  random sample of that size (fixed seed), whose size the answer states;
- the reference: the rest of the archive (default), or the articles of another query
  and/or a date range; the focus is always taken out of it. Against the rest of the
  archive the reference frequencies come from the archive's document frequencies less
  the focus's (estimated from the sample when sampled: a·F/S); against another query
  they are counted on its articles (a random sample above ``reference_sample``);
- terms: the index terms of title and body (stems; compound parts count where the index
  holds them as parts), shown in their most frequent written form; no stop words (the
  index has none), no pure numbers, no one-letter terms, none of the query's own terms;
- names: persons, organisations and places (canonical names, aliases merged), except
  those the request filters on;
- kept: at least ``min_count`` focus articles, over-represented, G² ≥ 3.84 (p < 0.05);
  ordered by G² (or by Log Ratio with ``sort="log_ratio"``).

Per period (``interval`` year or month) the focus and the reference are both cut to
the period: what was typical of the topic then against the other news of then.
"""
from __future__ import annotations

import re
import time
from dataclasses import asdict, dataclass, field

import numpy as np

from indexer.analysis import analyze
from search.association import SIGNIFICANT, log_ratio, signed_log_likelihood
from search.corpus import ENTITY_KINDS, ByPeriod, Corpus, period_keys, representatives, sample, \
    without_groups_of
from search.cooccurrence import is_target
from search.models import InvalidRequest, SearchRequest

DEFAULT_SIZE = 20
MAX_SIZE = 200
DEFAULT_MIN_COUNT = 3
DEFAULT_SAMPLE = 5_000
MAX_SAMPLE = 100_000
REFERENCE_SAMPLE = 20_000
MAX_PERIODS = 120
INTERVALS = ("year", "month")
SORTS = ("g2", "log_ratio")
_NUMBER = re.compile(r"[\d.,:]+")

METHOD = ("Article frequencies (one article per group of exact duplicates) in the focus "
          "against the reference, the focus taken out of the reference. Score: "
          "log-likelihood G² over the 2x2 table (focus/reference x with/without the term), "
          "signed (+ over-represented); effect size: Log Ratio = log2((a/N1)/(b/N2)), 0.5 "
          "for a zero count. Kept: a >= min_count, G² >= 3.84 (p < 0.05), "
          "over-represented. Focus above `sample` articles: a random sample (seed 0); "
          "reference frequencies against the rest of the archive: archive document "
          "frequency minus the focus's (a·F/S when sampled). Terms: index terms (stems, "
          "compound parts where the index has them), shown in their most frequent written "
          "form; stop words, pure numbers, one-letter terms and the query's own terms left "
          "out. Names: persons, organisations, places by canonical name.")


@dataclass
class KeywordsRequest:
    search: SearchRequest = field(default_factory=SearchRequest)
    reference_q: str = ""  # another query as reference
    reference_from: str | None = None  # and/or a date range
    reference_to: str | None = None
    size: int = DEFAULT_SIZE
    min_count: int = DEFAULT_MIN_COUNT
    sample: int = DEFAULT_SAMPLE
    entities: bool = True
    interval: str | None = None
    sort: str = "g2"

    def validate(self) -> KeywordsRequest:
        self.search.validate()
        if not 1 <= self.size <= MAX_SIZE:
            raise InvalidRequest("size", f"size must be from 1 to {MAX_SIZE}")
        if not 1 <= self.min_count <= 1_000_000:
            raise InvalidRequest("min_count", "min_count must be at least 1")
        if not 100 <= self.sample <= MAX_SAMPLE:
            raise InvalidRequest("sample", f"sample must be from 100 to {MAX_SAMPLE}")
        if self.interval not in (None, *INTERVALS):
            raise InvalidRequest("interval", "interval must be 'year' or 'month'")
        if self.sort not in SORTS:
            raise InvalidRequest("sort", "sort must be 'g2' or 'log_ratio'")
        self.reference_request().validate()
        return self

    @property
    def against_archive(self) -> bool:
        return not (self.reference_q.strip() or self.reference_from or self.reference_to)

    def reference_request(self) -> SearchRequest:
        return SearchRequest(q=self.reference_q, date_from=self.reference_from,
                             date_to=self.reference_to, facets=False, snippets=False)

    def describe_reference(self) -> dict:
        if self.against_archive:
            return {"kind": "archive", "description": "der Rest des Archivs"}
        parts = []
        if self.reference_q.strip():
            parts.append(f"Suche „{self.reference_q.strip()}“")
        if self.reference_from or self.reference_to:
            parts.append(f"Zeitraum {self.reference_from or '…'} "
                         f"bis {self.reference_to or '…'}")
        return {"kind": "query" if self.reference_q.strip() else "dates",
                "q": self.reference_q or None, "from": self.reference_from,
                "to": self.reference_to, "description": ", ".join(parts)}


@dataclass
class Keyword:
    term: str  # index term (stem), or canonical name
    label: str  # as a reader writes it
    kind: str  # term, person, org, place
    focus_count: int  # a: focus articles (of the sample) with it
    reference_count: int  # b: reference articles with it
    g2: float
    log_ratio: float

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class KeywordList:
    period: str | None
    focus_articles: int  # distinct articles of the focus
    focus_sample: int  # N1: those counted
    reference_articles: int  # N2
    terms: list[Keyword]
    entities: list[Keyword]

    @property
    def sampled(self) -> bool:
        return self.focus_sample < self.focus_articles

    def to_dict(self) -> dict:
        return {"period": self.period, "focus_articles": self.focus_articles,
                "focus_sample": self.focus_sample, "sampled": self.sampled,
                "reference_articles": self.reference_articles,
                "terms": [k.to_dict() for k in self.terms],
                "entities": [k.to_dict() for k in self.entities]}


@dataclass
class KeywordsResponse(ByPeriod):
    query: str
    reference: dict
    method: str
    overall: KeywordList
    periods: list[KeywordList] | None
    interval: str | None
    warnings: list[str]
    took_ms: float

    def to_dict(self) -> dict:
        return self._dict({"query": self.query, "reference": self.reference,
                           "method": self.method})

    def rows(self):
        """One row per period and keyword (CSV)."""
        for kl in self.lists():
            ranked = [*enumerate(kl.terms, 1), *enumerate(kl.entities, 1)]
            for rank, k in ranked:
                yield {"period": kl.period or "", "kind": k.kind, "rank": rank,
                       "label": k.label, "term": k.term, "focus_count": k.focus_count,
                       "focus_sample": kl.focus_sample, "reference_count": k.reference_count,
                       "reference_articles": kl.reference_articles, "g2": round(k.g2, 3),
                       "log_ratio": round(k.log_ratio, 3)}


CSV_FIELDS = ("period", "kind", "rank", "label", "term", "focus_count", "focus_sample",
              "reference_count", "reference_articles", "g2", "log_ratio")


def keywords(engine, request: KeywordsRequest,
             wait: float | None = None) -> KeywordsResponse | None:
    """The keyword lists of ``request`` (see the module's docstring). With ``wait``, None
    unless the generation's counts are ready within ``wait`` seconds (they are then made
    in the background: ``Corpus.when_ready``)."""
    started = time.perf_counter()
    request.validate()
    requests = [request.search] + ([] if request.against_archive
                                   else [request.reference_request()])
    with engine.focus_all(requests) as (snap, matches):
        corpus = Corpus.of(snap) if wait is None else Corpus.when_ready(snap, wait)
        if corpus is None:
            return None
        match = matches[0]
        warnings = list(match.warnings)
        focus = representatives(snap, match.docs)
        reference = None
        if not request.against_archive:
            warnings += [f"Vergleichsmenge: {w}" for w in matches[1].warnings]
            reference = without_groups_of(snap, representatives(snap, matches[1].docs), focus)
        # the query's own terms, its compound parts included: present by construction
        skip_terms = set(match.terms) | {t.text for t in analyze(request.search.q)}
        query_words = skip_terms if request.search.q.strip() else set()
        scorer = _Scorer(corpus, request, skip_terms,
                         lambda name, kind: is_target(name, kind, match, query_words))
        overall = scorer.list(None, focus, reference)
        periods = None
        if request.interval:
            periods = []
            keys = period_keys(snap, focus, request.interval)
            names = sorted(set(keys.tolist()) - {""})
            if len(names) > MAX_PERIODS:
                warnings.append(f"Nur die letzten {MAX_PERIODS} Zeiträume berechnet.")
                names = names[-MAX_PERIODS:]
            if names:
                pool = reference
                if pool is None:  # the rest of the archive, period by period
                    pool = without_groups_of(snap, corpus.counted, focus)
                pool_keys = period_keys(snap, pool, request.interval)
                for name in names:
                    periods.append(scorer.list(name, focus[keys == name],
                                               pool[pool_keys == name]))
        if overall.reference_articles == 0:
            warnings.append("Die Vergleichsmenge ist leer: die Suche umfasst das ganze "
                            "Archiv oder die Vergleichssuche findet nichts außerhalb davon.")
    return KeywordsResponse(
        query=request.search.q, reference=request.describe_reference(), method=METHOD,
        overall=overall, periods=periods, interval=request.interval, warnings=warnings,
        took_ms=round((time.perf_counter() - started) * 1000, 2))


class _Scorer:
    def __init__(self, corpus: Corpus, request: KeywordsRequest, skip_terms: set[str],
                 is_target):
        self.corpus = corpus
        self.request = request
        self.skip_terms = skip_terms
        self.is_target = is_target  # (name, kind) -> whether the request asks for it

    def list(self, period: str | None, focus: np.ndarray,
             reference: np.ndarray | None) -> KeywordList:
        """``reference`` None: the rest of the archive."""
        corpus, request = self.corpus, self.request
        counted = sample(focus, request.sample)
        f_all, n1 = len(focus), len(counted)
        scale = f_all / n1 if n1 else 0.0
        if reference is None:
            n2 = corpus.size - f_all
            ref_counted = None
        else:
            ref_counted = sample(reference, REFERENCE_SAMPLE)
            n2 = len(ref_counted)
        empty = KeywordList(period, f_all, n1, n2, [], [])
        if not n1 or n2 <= 0:
            return empty
        # terms
        hashes, a = corpus.term_counts(counted)
        keep = a >= request.min_count
        hashes, a = hashes[keep], a[keep]
        if reference is None:
            df = corpus.frequencies_of(hashes, corpus.archive_frequencies())
            b = np.clip(df - np.rint(a * scale).astype(np.int64), 0, n2)
        else:
            b = corpus.frequencies_of(hashes, corpus.term_counts(ref_counted))
        terms = self._best(hashes, a, b, n1, n2, self._describe_terms, "term")
        entities = []
        if request.entities:
            for plural, kind in ENTITY_KINDS.items():
                labels = corpus.snap.entities[plural].labels
                counts = corpus.entity_counts(plural, counted)
                codes = np.flatnonzero(counts >= request.min_count)
                fa = counts[codes]
                if reference is None:
                    df = corpus.entity_frequencies(plural)[codes]
                    fb = np.clip(df - np.rint(fa * scale).astype(np.int64), 0, n2)
                else:
                    fb = corpus.entity_counts(plural, ref_counted)[codes]
                def describe(chosen, labels=labels, kind=kind):
                    return [None if self.is_target(labels[c], kind) else (labels[c], labels[c])
                            for c in chosen.tolist()]

                entities += self._best(codes, fa, fb, n1, n2, describe, kind)
            key = (lambda k: -k.log_ratio) if request.sort == "log_ratio" else (lambda k: -k.g2)
            entities = sorted(entities, key=key)[:request.size]
        return KeywordList(period, f_all, n1, n2, terms, entities)

    def _describe_terms(self, hashes: np.ndarray) -> list[tuple[str, str] | None]:
        out = []
        for term, form in self.corpus.describe(hashes):
            if (not term or len(term) < 2 or _NUMBER.fullmatch(term)
                    or term in self.skip_terms):
                out.append(None)
            else:
                out.append((term, form))
        return out

    def _best(self, ids: np.ndarray, a: np.ndarray, b: np.ndarray, n1: int, n2: int,
              describe, kind: str) -> list[Keyword]:
        """The ``size`` best over-represented significant ones; ``describe`` gives
        (term, label) per id, or None for one to leave out."""
        if not len(ids):
            return []
        g2 = signed_log_likelihood(a, b, n1, n2)
        lr = log_ratio(a, b, n1, n2)
        chosen = np.flatnonzero(g2 >= SIGNIFICANT)
        key = lr if self.request.sort == "log_ratio" else g2
        chosen = chosen[np.lexsort((-g2[chosen], -key[chosen]))]
        out: list[Keyword] = []
        size, start, batch = self.request.size, 0, max(2 * self.request.size, 32)
        while len(out) < size and start < len(chosen):
            part = chosen[start:start + batch]
            for i, found in zip(part.tolist(), describe(ids[part])):
                if found is not None and len(out) < size:
                    out.append(Keyword(found[0], found[1], kind, int(a[i]), int(b[i]),
                                       round(float(g2[i]), 3), round(float(lr[i]), 3)))
            start += batch
        return out
