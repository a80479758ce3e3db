"""Keywords and co-occurrence at scale: how long they take for broad and narrow queries,
and what the panel "Typische Begriffe" adds to the search page.

Builds (once, cached in bench/out/) an index of the synthetic corpus of
``scale_corpus.py`` and measures, after one warm-up round, ``rounds`` rounds of:

- the search page ``/?q=…`` without the keyword panel, with it computed (its cache
  emptied before each request), and with it from the cache (a second view, another page
  of the result); Flask's test client, the whole page rendered;
- ``search.keywords.keywords`` with the API's defaults (sample 5,000) and the panel's
  (sample 1,000, 12 terms);
- ``search.cooccurrence.cooccurrence`` and ``network`` (30 nodes).

    nice .venv/bin/python bench/keyness.py --size 100000 --rounds 5
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from scale_corpus import make_corpus  # noqa: E402

from indexer.build import build_index  # noqa: E402
from search import open_engine  # noqa: E402
from search.cooccurrence import CooccurrenceRequest, cooccurrence, network  # noqa: E402
from search.keywords import KeywordsRequest, keywords  # noqa: E402
from search.models import SearchRequest  # noqa: E402
from web.analysis import PANEL_CACHE  # noqa: E402

OUT = REPO / "bench" / "out"
BROAD = ["Regierung", "Deutschland", "Polizei"]
NARROW = ["Zölle", '"Olaf Scholz"', "Gaza Waffenruhe"]


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    n = args.size
    corpus = make_corpus(n, OUT / f"corpus-v1-n{n}-s7.jsonl")
    index = OUT / f"keyness-index-{n}"
    if not (index / "current").exists():
        started = time.perf_counter()
        build_index([str(corpus)], index, rebuild=True)
        print(f"built {n:,} articles in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    engine = open_engine(index)
    from web import create_app

    with_panel = create_app({"ENGINE": engine, "TESTING": True}).test_client()
    without = create_app({"ENGINE": engine, "TESTING": True,
                          "KEYWORD_PANEL": False}).test_client()
    started = time.perf_counter()
    keywords(engine, KeywordsRequest(SearchRequest(q="Regierung")))
    print(f"first keywords request (loads term vectors, archive frequencies): "
          f"{(time.perf_counter() - started) * 1000:.0f} ms", file=sys.stderr)
    cases = {
        "search page, no panel": lambda q: without.get("/", query_string={"q": q}),
        "search page with panel (computed)": lambda q: (PANEL_CACHE.clear(),
                                                        with_panel.get("/", query_string={"q": q})),
        "search page with panel (cached)": lambda q: with_panel.get("/", query_string={"q": q}),
        "keywords (sample 5,000)": lambda q: keywords(engine, KeywordsRequest(SearchRequest(q=q))),
        "keywords (panel: sample 1,000)": lambda q: keywords(
            engine, KeywordsRequest(SearchRequest(q=q), size=12, sample=1000)),
        "keywords per year": lambda q: keywords(
            engine, KeywordsRequest(SearchRequest(q=q), interval="year")),
        "co-occurrence": lambda q: cooccurrence(engine, CooccurrenceRequest(SearchRequest(q=q))),
        "network (30 nodes)": lambda q: network(engine, CooccurrenceRequest(SearchRequest(q=q))),
    }
    times = {(name, kind): [] for name in cases for kind in ("broad", "narrow")}
    focus = {}
    for round_ in range(args.rounds + 1):
        for kind, queries in (("broad", BROAD), ("narrow", NARROW)):
            for q in queries:
                for name, run in cases.items():
                    started = time.perf_counter()
                    result = run(q)
                    ms = (time.perf_counter() - started) * 1000
                    if round_:
                        times[(name, kind)].append(ms)
                    if name.startswith("keywords (sample"):
                        focus[q] = (result.overall.focus_articles, result.overall.focus_sample)
    print(f"\n{n:,} articles, {args.rounds} rounds after a warm-up, "
          f"broad: {', '.join(BROAD)}; narrow: {', '.join(NARROW)}")
    print("focus articles (sample): " + "; ".join(f"{q} {a:,} ({s:,})"
                                                  for q, (a, s) in focus.items()))
    print(f"\n| {'measured':<34} | broad p50 | broad p95 | narrow p50 | narrow p95 |")
    print(f"|{'-' * 36}|----------:|----------:|-----------:|-----------:|")
    for name in cases:
        b, s = times[(name, "broad")], times[(name, "narrow")]
        print(f"| {name:<34} | {pct(b, 50):>6.0f} ms | {pct(b, 95):>6.0f} ms "
              f"| {pct(s, 50):>7.0f} ms | {pct(s, 95):>7.0f} ms |")


if __name__ == "__main__":
    main()
