"""Latency of pasted passages (op=or, syntax=plain): the passage scoring against the
plain scoring of every OR query, in one process on one index.

    .venv/bin/python bench/passage_speed.py --size 100000 [--queries 40] [--rounds 3]

The index is ``bench/query_speed.py``'s (the synthetic corpus of real sentences,
cached in ``bench/out/``); the queries are pastes of ``bench/relevance.py``'s passage
set (the first ``--queries`` of each kind: a teaser of two sentences, two sentences
from the middle, a whole first part), each a full request: the total, ten hits with
snippets, facets and the histogram. ``passage`` is the scoring of
``search.evaluate.PASSAGE_WORDS`` and the constants beside it; ``plain`` sets
``PASSAGE_WORDS`` out of reach, so that every query is scored as before it. The two
alternate query by query, so that a slow spell of the machine hits both. Prints
p50/p95/max in milliseconds per kind and mode.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

import query_speed  # noqa: E402
import relevance  # noqa: E402
from scale_corpus import make_corpus  # noqa: E402

from search import evaluate, open_engine  # noqa: E402
from search.models import SearchRequest  # noqa: E402

MODES = {"plain": 10 ** 9, "passage": evaluate.PASSAGE_WORDS}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=40, help="per kind of paste")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)

    if not relevance.GNAD.exists():
        print(f"missing data: {relevance.GNAD}", file=sys.stderr)
        return 2
    _, passages = relevance.passage_set()
    queries = []
    for kind in relevance.PASSAGE_KINDS:
        queries += [q for q in passages if q.kind == kind][:args.queries]
    corpus = query_speed.OUT / f"corpus-v1-n{args.size}-s7.jsonl"
    if not corpus.exists():
        make_corpus(args.size, corpus)
    engine = open_engine(query_speed.our_index(corpus, args.size))

    times: dict[tuple[str, str], list[float]] = {}
    for round_ in range(args.rounds + 1):  # the first round warms the caches, unreported
        for q in queries:
            for mode, words in MODES.items():
                evaluate.PASSAGE_WORDS = words
                request = SearchRequest(q=q.query, op="or", syntax="plain", size=10)
                started = time.perf_counter()
                engine.search(request)
                if round_:
                    times.setdefault((q.kind, mode), []).append(
                        (time.perf_counter() - started) * 1000)
    evaluate.PASSAGE_WORDS = MODES["passage"]

    print(f"Pasted passages at {args.size:,} articles, {len(queries)} queries, "
          f"{args.rounds} rounds (ms):\n")
    print("| kind | words (median) | mode | p50 | p95 | max |")
    print("| --- | ---: | --- | ---: | ---: | ---: |")
    for kind in relevance.PASSAGE_KINDS:
        words = statistics.median(len(q.query.split()) for q in queries if q.kind == kind)
        for mode in MODES:
            t = sorted(times[(kind, mode)])
            p95 = t[min(len(t) - 1, int(0.95 * len(t)))]
            print(f"| {kind} | {words:.0f} | {mode} | {statistics.median(t):.0f} | "
                  f"{p95:.0f} | {t[-1]:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
