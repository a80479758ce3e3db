"""Tuning the ranking of pasted passages on the tuning part of the passage set only.

The passage set and its fixed-seed split are ``bench/relevance.py``'s; this script
searches the *tuning* part (never the held-out part) with every combination of the
query-time parameters given, by setting the module constants the engine reads, and
prints MRR@10 and Recall@10 per combination and kind, best first. The held-out part
is then measured once, by ``bench/relevance.py``, with the chosen values in the code.

    .venv/bin/python bench/tune_passages.py
    .venv/bin/python bench/tune_passages.py --grid 'snapshot.B=0.75,1.0' \
        --grid 'evaluate.QUERY_TF_K3=0,8'

A parameter is ``module.NAME`` of a module of ``search/`` and a list of values
(numbers, or words for string constants).
"""
from __future__ import annotations

import argparse
import importlib
import itertools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import relevance  # noqa: E402

DEFAULT_GRID = ["snapshot.B=0.75,1.0", "snapshot.K1=1.2,2.0", "evaluate.QUERY_TF_K3=0,8"]


def parse_grid(specs: list[str]) -> list[tuple[object, str, list]]:
    grid = []
    for spec in specs:
        name, _, values = spec.partition("=")
        module_name, attr = name.rsplit(".", 1)
        module = importlib.import_module(f"search.{module_name}")
        if not hasattr(module, attr):
            raise SystemExit(f"search.{module_name} has no {attr}")
        parsed = []
        for v in values.split(","):
            try:
                parsed.append(int(v) if v.lstrip("-").isdigit() else float(v))
            except ValueError:
                parsed.append(v)
        grid.append((module, attr, parsed))
    return grid


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--grid", action="append", help="module.NAME=v1,v2,... (repeatable)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N tuning articles")
    args = ap.parse_args(argv)
    grid = parse_grid(args.grid or DEFAULT_GRID)

    records, queries = relevance.passage_set()
    relevance.write_passage_source(records)
    queries = [q for q in queries if q.part == "tune"]
    if args.limit:
        keys = list(dict.fromkeys(next(iter(q.relevant)) for q in queries))[:args.limit]
        queries = [q for q in queries if next(iter(q.relevant)) in keys]
    engines, groups, _ = relevance.open_engines(queries, rebuild=False)
    fts = relevance.run_queries(queries, engines, groups, which=("fts5",))
    print(f"{len(queries)} tuning queries; FTS5 MRR@10 "
          f"{relevance.mean(r['fts5'].mrr for _, r in fts):.3f}")

    rows = []
    originals = [(m, a, getattr(m, a)) for m, a, _ in grid]
    try:
        for values in itertools.product(*(v for _, _, v in grid)):
            for (module, attr, _), value in zip(grid, values):
                setattr(module, attr, value)
            results = relevance.run_queries(queries, engines, groups, which=("pressearchiv",))
            by_kind = {k: relevance.mean(r["pressearchiv"].mrr for q, r in results if q.kind == k)
                       for k in relevance.PASSAGE_KINDS}
            rows.append((relevance.mean(r["pressearchiv"].mrr for _, r in results),
                         relevance.mean(r["pressearchiv"].recall for _, r in results),
                         by_kind, values))
            print(f"  {values}: MRR {rows[-1][0]:.3f}", file=sys.stderr)
    finally:
        for module, attr, value in originals:
            setattr(module, attr, value)
    names = [f"{m.__name__.split('.')[-1]}.{a}" for m, a, _ in grid]
    print("| " + " | ".join(names) + " | MRR@10 | R@10 | " +
          " | ".join(k.split("-")[1] for k in relevance.PASSAGE_KINDS) + " |")
    print("| " + " | ".join("---:" for _ in range(len(names) + 2 + 3)) + " |")
    for mrr, recall, by_kind, values in sorted(rows, key=lambda r: -r[0]):
        print("| " + " | ".join(str(v) for v in values) + f" | {mrr:.3f} | {recall:.3f} | " +
              " | ".join(f"{by_kind[k]:.3f}" for k in relevance.PASSAGE_KINDS) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
