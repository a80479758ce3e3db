"""Tuning the ranking of pasted passages on the tuning parts of the passage sets only.

The passage set, the same-story set and their fixed-seed splits are
``bench/relevance.py``'s; this script searches their *tuning* parts (never the
held-out parts; ``--set`` picks one or both) with every combination of the
query-time parameters given, by setting the module constants the engine reads, and
prints MRR@10 and Recall@10 per combination and kind, best first: ordered by the
MRR@10 of all tuning queries, the mean of the sets' MRR@10 beside it (the small story
set counts as much as the passage set there, and 17 queries are noisy: choose a
value that holds in every column). The held-out parts are then measured by
``bench/relevance.py`` with the chosen values in the code.

    .venv/bin/python bench/tune_passages.py
    .venv/bin/python bench/tune_passages.py --grid 'evaluate.PASSAGE_B=0.75,1.0' \
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

KINDS = relevance.PASSAGE_KINDS + relevance.STORY_KINDS


def sets(q) -> str:
    return "stories" if q.kind == "story" else "passages"


DEFAULT_GRID = ["evaluate.PASSAGE_B=0.75,1.0", "evaluate.PASSAGE_WORDS=12,1000000000",
                "evaluate.QUERY_TF_K3=0,8"]


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
    ap.add_argument("--set", choices=("passages", "stories", "both"), default="both")
    args = ap.parse_args(argv)
    grid = parse_grid(args.grid or DEFAULT_GRID)

    queries = []
    if args.set in ("passages", "both"):
        records, passages = relevance.passage_set()
        relevance.write_passage_source(records)
        passages = [q for q in passages if q.part == "tune"]
        if args.limit:
            keys = list(dict.fromkeys(next(iter(q.relevant)) for q in passages))[:args.limit]
            passages = [q for q in passages if next(iter(q.relevant)) in keys]
        queries += passages
    if args.set in ("stories", "both"):
        zeitgeist = relevance.read_articles(relevance.COLLECTIONS["zeitgeist"])
        queries += [q for q in relevance.story_queries(zeitgeist)
                    if q.part == "tune" and q.relevant]
    engines, groups, _ = relevance.open_engines(queries, rebuild=False)
    baselines = ("fts5", "whoosh-de")
    base = relevance.run_queries(queries, engines, groups, which=baselines)
    for name in baselines:
        print(f"{len(queries)} tuning queries; {name} MRR@10 " + ", ".join(
            f"{label} {relevance.mean(r[name].mrr for q, r in base if sets(q) == label):.3f}"
            for label in dict.fromkeys(sets(q) for q in queries)))

    rows = []
    originals = [(m, a, getattr(m, a)) for m, a, _ in grid]
    try:
        for values in itertools.product(*(v for _, _, v in grid)):
            for (module, attr, _), value in zip(grid, values):
                setattr(module, attr, value)
            results = relevance.run_queries(queries, engines, groups, which=("pressearchiv",))
            by_kind = {k: relevance.mean(r["pressearchiv"].mrr for q, r in results if q.kind == k)
                       for k in KINDS}
            per_set = [relevance.mean(r["pressearchiv"].mrr for q, r in results if sets(q) == s)
                       for s in dict.fromkeys(sets(q) for q in queries)]
            rows.append((relevance.mean(r["pressearchiv"].mrr for _, r in results),
                         relevance.mean(per_set),
                         relevance.mean(r["pressearchiv"].recall for _, r in results),
                         by_kind, values))
            print(f"  {values}: MRR {rows[-1][0]:.3f}", file=sys.stderr)
    finally:
        for module, attr, value in originals:
            setattr(module, attr, value)
    names = [f"{m.__name__.split('.')[-1]}.{a}" for m, a, _ in grid]
    print("| " + " | ".join(names) + " | MRR@10 | MRR@10 (mean of sets) | R@10 | " +
          " | ".join(k.split("-")[-1] for k in KINDS) + " |")
    print("| " + " | ".join("---:" for _ in range(len(names) + 3 + len(KINDS))) + " |")
    for mrr, per_set, recall, by_kind, values in sorted(rows, key=lambda r: -r[0]):
        print("| " + " | ".join(str(v) for v in values) + f" | {mrr:.3f} | {per_set:.3f} | "
              f"{recall:.3f} | " + " | ".join(f"{by_kind[k]:.3f}" for k in KINDS) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
