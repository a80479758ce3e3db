"""Where the time of an index build goes: one worker's stages, per article.

Runs what one build worker runs on its share of the articles (language
detection, entity extraction, German analysis into postings, adding the
document to a ``SegmentBuilder``, writing the segment) on the first N
articles of the scale corpus (``bench/scale_corpus.py``), in one process,
with a timer around each stage, and prints milliseconds per article:

- pass ``cold``: the articles once, starting with empty word caches, as a
  build worker starts;
- pass ``warm``: the same articles again, every word now known, so the
  difference to ``cold`` is what first-seen words cost;
- with enrichment (``enriched``) and without (``core``), each in a fresh
  subprocess; the corpus's ``lang`` is not read, as in ``bench/rebuild.py``.

    .venv/bin/python bench/build_stages.py                  # 5,000 articles, 3 runs
    .venv/bin/python bench/build_stages.py --articles 20000 --repeat 1

Each cell is the median over ``--repeat`` subprocess runs. The garbage
collector is off, as in the build workers.
"""
from __future__ import annotations

import argparse
import gc
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
STAGES = ("language", "entities", "analysis", "add_document", "finish")
RESULT_MARK = "STAGES-RESULT "

sys.path.insert(0, str(BENCH))
from scale_corpus import DataMissing, cached_corpus  # noqa: E402


def child(corpus: str, articles: int, enrich: bool) -> dict:
    sys.path.insert(0, str(ROOT))
    from whoosh import index as whoosh_index

    import indexer.documents as documents
    from indexer.build import scan_sources
    from indexer.fields import make_schema
    from indexer.readers import ReadOptions
    from indexer.segment import SegmentBuilder

    options = ReadOptions(field_map={"lang": "-no-such-field-"})
    work = list(scan_sources([corpus], options).articles.values())[:articles]
    documents.warm_up()
    gc.disable()
    spent = dict.fromkeys(STAGES, 0.0)

    def timed(stage, function):
        def run(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[stage] += time.perf_counter() - started
        return run

    documents.detect_language = timed("language", documents.detect_language)
    documents.extract_entities = timed("entities", documents.extract_entities)
    result = {}
    for name in ("cold", "warm"):
        spent.update(dict.fromkeys(STAGES, 0.0))
        with tempfile.TemporaryDirectory(dir=OUT) as folder:
            builder = SegmentBuilder(whoosh_index.create_in(folder, make_schema()))
            for article in work:
                started = time.perf_counter()
                doc = documents.to_document(article, enrich)
                spent["analysis"] += time.perf_counter() - started
                started = time.perf_counter()
                builder.add_document(**doc)
                spent["add_document"] += time.perf_counter() - started
            started = time.perf_counter()
            builder.finish()
            spent["finish"] += time.perf_counter() - started
        spent["analysis"] -= spent["language"] + spent["entities"]
        result[name] = {stage: 1000 * spent[stage] / len(work) for stage in STAGES}
    result["articles"] = len(work)
    return result


def measure(corpus: Path, articles: int, enrich: bool) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(corpus),
           "--articles", str(articles)] + ([] if enrich else ["--core"])
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(RESULT_MARK)]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"child failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
    return json.loads(lines[-1][len(RESULT_MARK):])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5000,
                        help="articles of the scale corpus (default 5000, one worker's "
                        "share of a 10,000-article build on two CPUs)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per cell (default 3)")
    parser.add_argument("--seed", type=int, default=7, help="corpus seed (default 7)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--core", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.articles < 1 or args.repeat < 1:
        parser.error("--articles and --repeat must be at least 1")
    if args.child:
        print(RESULT_MARK + json.dumps(child(args.child, args.articles, not args.core)))
        return 0

    OUT.mkdir(parents=True, exist_ok=True)
    try:
        corpus = cached_corpus(max(args.articles, 10_000), args.seed, OUT)
    except DataMissing as exc:
        print(f"build_stages: cannot make the corpus: {exc}", file=sys.stderr)
        return 2
    print(f"# Build stages, {time.strftime('%Y-%m-%d %H:%M')}: first {args.articles:,} articles "
          f"of {corpus.name}, one process, median of {args.repeat} run(s), ms per article\n")
    print("| build | pass | " + " | ".join(STAGES) + " | total |")
    print("| --- | --- | " + " | ".join("---:" for _ in STAGES) + " | ---: |")
    for enrich in (True, False):
        runs = [measure(corpus, args.articles, enrich) for _ in range(args.repeat)]
        for name in ("cold", "warm"):
            cells = {s: statistics.median(r[name][s] for r in runs) for s in STAGES}
            totals = statistics.median(sum(r[name].values()) for r in runs)
            print(f"| {'enriched' if enrich else 'core'} | {name} | "
                  + " | ".join(f"{cells[s]:.3f}" for s in STAGES) + f" | {totals:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
