"""Who appears with whom: names co-occurring in the same articles.

The target is what a request matches: an entity (``person=…``, ``org=…``, ``place=…``
filters, any alias), a query, or both. The universe is the archive within the request's
other filters (dates, sections, outlets, languages), one article per group of exact
duplicates.
For each person, organisation and place y named in target articles:

- ``count`` f(ab): target articles naming y; ``frequency`` f(b): universe articles
  naming y; f(a): target articles; N: universe articles;
- ``expected`` = f(a)·f(b)/N, the count if y were independent of the target;
- ``log_dice`` = 14 + log2(2·f(ab)/(f(a)+f(b))); ``g2``: log-likelihood G² of the 2x2
  table (target/rest x naming y or not);
- left out: counts below ``min_count``, counts at or below their expectation, and the
  target itself. Names are canonical (the gazetteer merges aliases at indexing), so the
  aliases of one person are one entry and one node.

``network``: the ``nodes`` names most often in the target articles, and between them
edges for pairs named together in at least ``min_count`` of those articles and more
often than independence within them predicts (f(x)·f(y)/f(a)), with logDice and G²
within the target. Laid out by a force layout with a fixed seed, drawn as SVG, and
exported as GraphML or a CSV edge list.
"""
from __future__ import annotations

import io
import math
import time
from contextlib import contextmanager
from functools import lru_cache
from dataclasses import asdict, dataclass, field
from xml.sax.saxutils import escape, quoteattr

import numpy as np
from scipy import sparse

from indexer.analysis import query_terms
from indexer.docvalues import row_positions
from search.association import cooccurrence_log_likelihood, expected_joint, log_dice
from search.corpus import ENTITY_KINDS, ByPeriod, Corpus, period_keys, representatives
from search.models import InvalidRequest, SearchRequest

DEFAULT_SIZE = 20
MAX_SIZE = 200
DEFAULT_MIN_COUNT = 2
DEFAULT_NODES = 30
MAX_NODES = 100
MAX_PERIODS = 120
KINDS = tuple(ENTITY_KINDS.values())  # person, org, place
KIND_OF = {param: plural for plural, param in ENTITY_KINDS.items()}
SORTS = ("log_dice", "g2", "count")

METHOD = ("Articles (one per group of exact duplicates) of the target (what the query and "
          "filters match) and of the universe (the archive within the request's date, "
          "section, outlet and language filters). count = f(ab), frequency = f(b), "
          "expected = f(a)·f(b)/N, logDice = 14 + log2(2·f(ab)/(f(a)+f(b))), G² = "
          "log-likelihood over the 2x2 table. Left out: count < min_count, count <= "
          "expected, the target itself. Ordered by logDice (or sort=g2|count). Names are "
          "canonical: aliases are one name.")
NETWORK_METHOD = ("Nodes: the names in most target articles. Edges: pairs named together "
                  "in at least min_count target articles and more often than f(x)·f(y)/f(a); "
                  "logDice and G² within the target articles.")


@dataclass
class CooccurrenceRequest:
    search: SearchRequest = field(default_factory=SearchRequest)
    size: int = DEFAULT_SIZE
    min_count: int = DEFAULT_MIN_COUNT
    kinds: list[str] = field(default_factory=lambda: list(KINDS))
    interval: str | None = None
    nodes: int = DEFAULT_NODES  # for network()
    sort: str = "log_dice"  # or g2 (how sure), count (how often)

    def validate(self) -> CooccurrenceRequest:
        self.search.validate()
        if not self.search.q.strip() and not (self.search.persons or self.search.orgs
                                              or self.search.places):
            raise InvalidRequest("q", "name an entity (person, org, place) or a query (q)")
        if not 1 <= self.size <= MAX_SIZE:
            raise InvalidRequest("size", f"size must be from 1 to {MAX_SIZE}")
        if not 1 <= self.min_count <= 1_000_000:
            raise InvalidRequest("min_count", "min_count must be at least 1")
        if not 2 <= self.nodes <= MAX_NODES:
            raise InvalidRequest("nodes", f"nodes must be from 2 to {MAX_NODES}")
        for kind in self.kinds:
            if kind not in KINDS:
                raise InvalidRequest("kind", "kind must be 'person', 'org' or 'place'")
        if self.interval not in (None, "year", "month"):
            raise InvalidRequest("interval", "interval must be 'year' or 'month'")
        if self.sort not in SORTS:
            raise InvalidRequest("sort", "sort must be 'log_dice', 'g2' or 'count'")
        return self


@dataclass
class Cooccurrent:
    name: str
    kind: str
    count: int
    expected: float
    frequency: int
    log_dice: float
    g2: float

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class CooccurrenceList:
    period: str | None
    target_articles: int  # f(a)
    universe_articles: int  # N
    items: list[Cooccurrent]

    def to_dict(self) -> dict:
        return {"period": self.period, "target_articles": self.target_articles,
                "universe_articles": self.universe_articles,
                "cooccurrences": [c.to_dict() for c in self.items]}


@dataclass
class CooccurrenceResponse(ByPeriod):
    query: str
    target: dict
    method: str
    overall: CooccurrenceList
    periods: list[CooccurrenceList] | None
    interval: str | None
    warnings: list[str]
    took_ms: float

    def to_dict(self) -> dict:
        return self._dict({"query": self.query, "target": self.target, "method": self.method})

    def rows(self):
        """One row per period and name (CSV)."""
        for cl in self.lists():
            for rank, c in enumerate(cl.items, 1):
                yield {"period": cl.period or "", "rank": rank, "name": c.name, "kind": c.kind,
                       "count": c.count, "expected": round(c.expected, 3),
                       "frequency": c.frequency, "target_articles": cl.target_articles,
                       "universe_articles": cl.universe_articles,
                       "log_dice": round(c.log_dice, 3), "g2": round(c.g2, 3)}


CSV_FIELDS = ("period", "rank", "name", "kind", "count", "expected", "frequency",
              "target_articles", "universe_articles", "log_dice", "g2")


def _target_description(search: SearchRequest) -> dict:
    return {"q": search.q or None, "persons": search.persons, "orgs": search.orgs,
            "places": search.places}


def _universe_request(search: SearchRequest) -> SearchRequest | None:
    """The archive within the request's filters other than the query and the names
    (dates, sections, outlets, languages); None for the whole archive."""
    universe = SearchRequest(sections=search.sections, outlets=search.outlets,
                             langs=search.langs, date_from=search.date_from,
                             date_to=search.date_to, facets=False, snippets=False)
    if universe.sections or universe.outlets or universe.langs or universe.date_from \
            or universe.date_to:
        return universe
    return None


@lru_cache(maxsize=50_000)
def _name_terms(name: str) -> tuple[str, ...]:
    return tuple(query_terms(name))


def is_target(name: str, kind: str, match, query_words: set[str]) -> bool:
    """The target itself: a filtered name, or a name the query spells out (all its words
    among the query's terms, or a person's family name)."""
    if name.casefold() in {v.casefold() for v in match.filters.values[kind]}:
        return True
    if not query_words:
        return False
    terms = _name_terms(name)
    if not terms:
        return False
    return set(terms) <= query_words or (kind == "person" and terms[-1] in query_words)


@contextmanager
def _target(engine, request: CooccurrenceRequest):
    """The snapshot, the match, the corpus view, the target's counted articles, the
    query's terms (to tell the target's own names) and the universe's counted articles."""
    request.validate()
    universe = _universe_request(request.search)
    with engine.focus_all([request.search] + ([universe] if universe else [])) as (snap, matches):
        match, corpus = matches[0], Corpus.of(snap)
        query_words = set(match.terms) if request.search.q.strip() else set()
        universe_docs = (representatives(snap, matches[1].docs) if universe is not None
                         else corpus.counted)
        yield (snap, match, corpus, representatives(snap, match.docs), query_words,
               universe_docs)


def cooccurrence(engine, request: CooccurrenceRequest) -> CooccurrenceResponse:
    started = time.perf_counter()
    with _target(engine, request) as (snap, match, corpus, target, query_words, universe):
        warnings = list(match.warnings)

        def one(period, target_docs, universe_docs, whole_archive):
            items: list[Cooccurrent] = []
            f_a, n = len(target_docs), len(universe_docs)
            if not f_a:
                return CooccurrenceList(period, 0, n, [])
            for kind in request.kinds:
                plural = KIND_OF[kind]
                labels = snap.entities[plural].labels
                f_ab = corpus.entity_counts(plural, target_docs)
                codes = np.flatnonzero(f_ab >= request.min_count)
                if not len(codes):
                    continue
                f_b = (corpus.entity_frequencies(plural) if whole_archive
                       else corpus.entity_counts(plural, universe_docs))[codes]
                ab = f_ab[codes]
                expected = expected_joint(f_a, f_b, n)
                dice = log_dice(ab, f_a, f_b)
                g2 = cooccurrence_log_likelihood(ab, f_a, f_b, n)
                for i in np.flatnonzero(ab > expected).tolist():
                    name = labels[codes[i]]
                    if is_target(name, kind, match, query_words):
                        continue
                    items.append(Cooccurrent(name, kind, int(ab[i]), round(float(expected[i]), 3),
                                             int(f_b[i]), round(float(dice[i]), 3),
                                             round(float(g2[i]), 3)))
            items.sort(key=lambda c: (-getattr(c, request.sort), -c.log_dice, -c.count, c.name))
            return CooccurrenceList(period, f_a, n, items[:request.size])

        whole = universe is corpus.counted
        overall = one(None, target, universe, whole)
        periods = None
        if request.interval:
            periods = []
            keys = period_keys(snap, target, request.interval)
            names = sorted(set(keys.tolist()) - {""})[-MAX_PERIODS:]
            universe_keys = period_keys(snap, universe, request.interval)
            for name in names:
                periods.append(one(name, target[keys == name], universe[universe_keys == name],
                                   False))
    return CooccurrenceResponse(
        query=request.search.q, target=_target_description(request.search), method=METHOD,
        overall=overall, periods=periods, interval=request.interval, warnings=warnings,
        took_ms=round((time.perf_counter() - started) * 1000, 2))


# the network ----------------------------------------------------------------------

@dataclass
class Node:
    id: int
    name: str
    kind: str
    count: int  # target articles naming it
    x: float = 0.0
    y: float = 0.0


@dataclass
class Edge:
    source: int
    target: int
    count: int
    expected: float
    log_dice: float
    g2: float


@dataclass
class Network:
    query: str
    target: dict
    method: str
    target_articles: int
    nodes: list[Node]
    edges: list[Edge]
    warnings: list[str]
    took_ms: float

    def to_dict(self) -> dict:
        return {"query": self.query, "target": self.target, "method": self.method,
                "took_ms": self.took_ms, "warnings": self.warnings,
                "target_articles": self.target_articles,
                "nodes": [asdict(n) for n in self.nodes], "edges": [asdict(e) for e in self.edges]}

    def graph(self):
        import networkx as nx

        g = nx.Graph()
        for n in self.nodes:
            g.add_node(n.id, label=n.name, kind=n.kind, count=n.count)
        for e in self.edges:
            g.add_edge(e.source, e.target, weight=e.count, expected=e.expected,
                       log_dice=e.log_dice, g2=e.g2)
        return g

    def graphml(self) -> bytes:
        import networkx as nx

        out = io.BytesIO()
        nx.write_graphml(self.graph(), out, encoding="utf-8")
        return out.getvalue()

    def edge_rows(self):
        names = {n.id: n for n in self.nodes}
        for e in self.edges:
            yield {"source": names[e.source].name, "source_kind": names[e.source].kind,
                   "target": names[e.target].name, "target_kind": names[e.target].kind,
                   "count": e.count, "expected": round(e.expected, 3),
                   "log_dice": round(e.log_dice, 3), "g2": round(e.g2, 3)}

    def svg(self, width: int = 800, height: int = 600, title: str = "Netzwerk") -> str:
        return _svg(self, width, height, title)


EDGE_FIELDS = ("source", "source_kind", "target", "target_kind", "count", "expected",
               "log_dice", "g2")


def network(engine, request: CooccurrenceRequest) -> Network:
    started = time.perf_counter()
    with _target(engine, request) as (snap, match, corpus, target, query_words, _):
        candidates = []  # (count, kind, code)
        for kind in request.kinds:
            plural = KIND_OF[kind]
            counts = corpus.entity_counts(plural, target)
            codes = np.flatnonzero(counts)
            labels = snap.entities[plural].labels
            for code in codes[np.argsort(-counts[codes], kind="stable")][:4 * request.nodes]:
                if not is_target(labels[code], kind, match, query_words):
                    candidates.append((int(counts[code]), kind, int(code)))
        candidates.sort(key=lambda c: (-c[0], c[1], snap.entities[KIND_OF[c[1]]].labels[c[2]]))
        chosen = candidates[:request.nodes]
        nodes = [Node(i, snap.entities[KIND_OF[kind]].labels[code], kind, count)
                 for i, (count, kind, code) in enumerate(chosen)]
        edges = _edges(snap, target, chosen, request.min_count)
    net = Network(request.search.q, _target_description(request.search), NETWORK_METHOD,
                  len(target), nodes, edges, list(match.warnings), 0.0)
    _layout(net)
    net.took_ms = round((time.perf_counter() - started) * 1000, 2)
    return net


def _edges(snap, target: np.ndarray, chosen: list, min_count: int) -> list[Edge]:
    """Pair counts among ``chosen`` names over the target articles: the incidence matrix
    (articles x names) times its transpose."""
    if len(chosen) < 2 or not len(target):
        return []
    rows, cols = [], []
    for kind in {k for _, k, _ in chosen}:
        facet = snap.entities[KIND_OF[kind]]
        node_of = np.full(len(facet.labels), -1, dtype=np.int64)
        for i, (_, k, code) in enumerate(chosen):
            if k == kind:
                node_of[code] = i
        positions, counts = row_positions(facet.indptr, target)
        nodes = node_of[facet.values[positions]]
        doc_rows = np.repeat(np.arange(len(target)), counts)
        keep = nodes >= 0
        rows.append(doc_rows[keep])
        cols.append(nodes[keep])
    r, c = np.concatenate(rows), np.concatenate(cols)
    incidence = sparse.csr_matrix((np.ones(len(r), dtype=np.int64), (r, c)),
                                  shape=(len(target), len(chosen)))
    incidence.data[:] = 1  # a name twice in one article's row (two kinds cannot) counts once
    joint = (incidence.T @ incidence).toarray()
    single = np.diag(joint)
    f_a = len(target)
    edges = []
    for x in range(len(chosen)):
        for y in range(x + 1, len(chosen)):
            f_xy = int(joint[x, y])
            if f_xy < min_count:
                continue
            expected = float(expected_joint(single[x], single[y], f_a))
            if f_xy <= expected:
                continue
            edges.append(Edge(x, y, f_xy, round(expected, 3),
                              round(float(log_dice(f_xy, single[x], single[y])), 3),
                              round(float(cooccurrence_log_likelihood(f_xy, single[x], single[y],
                                                                      f_a)), 3)))
    return edges


def _layout(net: Network) -> None:
    """Positions in [0, 1]²: networkx's spring layout (Fruchterman-Reingold) with a
    fixed seed, so that the same result is drawn the same way."""
    if not net.nodes:
        return
    import networkx as nx

    g = net.graph()
    for _, _, data in g.edges(data=True):
        data["strength"] = max(data["log_dice"], 0.1)
    if len(net.nodes) == 1:
        pos = {net.nodes[0].id: np.array([0.0, 0.0])}
    else:
        pos = nx.spring_layout(g, seed=11, weight="strength", iterations=100,
                               k=2.5 / math.sqrt(len(net.nodes)))
    xs = np.array([pos[n.id][0] for n in net.nodes])
    ys = np.array([pos[n.id][1] for n in net.nodes])
    for n, x, y in zip(net.nodes, _unit(xs), _unit(ys)):
        n.x, n.y = round(float(x), 4), round(float(y), 4)


def _unit(values: np.ndarray) -> np.ndarray:
    span = values.max() - values.min()
    return (values - values.min()) / span if span > 0 else np.full(len(values), 0.5)


KIND_COLOURS = {"person": "#1f77b4", "org": "#d62728", "place": "#2ca02c"}
KIND_LABELS = {"person": "Person", "org": "Organisation", "place": "Ort"}


def _svg(net: Network, width: int, height: int, title: str) -> str:
    margin = 90
    top = max((n.count for n in net.nodes), default=1)
    place = {n.id: (margin + n.x * (width - 2 * margin), 40 + n.y * (height - 80))
             for n in net.nodes}
    best = max((e.log_dice for e in net.edges), default=14.0)
    worst = min((e.log_dice for e in net.edges), default=0.0)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" aria-labelledby="net-title">',
             f'<title id="net-title">{escape(title)}</title>',
             '<g class="edges" stroke="#888" stroke-opacity="0.6">']
    for e in net.edges:
        (x1, y1), (x2, y2) = place[e.source], place[e.target]
        strength = (e.log_dice - worst) / (best - worst) if best > worst else 1.0
        parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                     f'stroke-width="{0.5 + 3.5 * strength:.2f}">'
                     f'<title>{escape(net.nodes[e.source].name)} – '
                     f'{escape(net.nodes[e.target].name)}: {e.count} Artikel, '
                     f'erwartet {e.expected:.1f}, logDice {e.log_dice:.2f}</title></line>')
    parts.append('</g><g class="nodes" font-family="sans-serif" font-size="12">')
    for n in net.nodes:
        x, y = place[n.id]
        r = 4 + 12 * math.sqrt(n.count / top)
        parts.append(f'<g><circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" '
                     f'fill={quoteattr(KIND_COLOURS[n.kind])} fill-opacity="0.85">'
                     f'<title>{escape(n.name)} ({KIND_LABELS[n.kind]}): {n.count} Artikel</title>'
                     f'</circle><text x="{x:.1f}" y="{y - r - 3:.1f}" text-anchor="middle" '
                     f'fill="#222" stroke="#fff" stroke-width="3" paint-order="stroke">'
                     f'{escape(n.name)}</text></g>')
    parts.append("</g></svg>")
    return "".join(parts)
