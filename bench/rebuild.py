"""Index rebuild benchmark: pressearchiv against plain whoosh and SQLite FTS5.

For each corpus size a synthetic corpus of real German news sentences is made
(``bench/scale_corpus.py``, cached in ``bench/out/``) and indexed from scratch
by each engine, each in a subprocess of its own so that time and peak memory
belong to that engine alone:

- ``pressearchiv``: ``build_index([corpus], dir, rebuild=True)``, default jobs
  (one analysis worker per CPU), the full German analysis and schema;
- ``pressearchiv-core``: the same with ``enrich=False`` (no language detection, no entity
  extraction): the foundation alone, so the cost of enrichment shows as the difference;
- ``whoosh-plain``: whoosh 2.7.4 as it comes, one process, one writer, the
  ``LanguageAnalyzer("de")`` on title and body, one commit;
- ``sqlite-fts5``: stdlib sqlite3, an FTS5 table with the ``unicode61``
  tokenizer, all inserts in one transaction.

    .venv/bin/python bench/rebuild.py --sizes 10000,100000
    .venv/bin/python bench/rebuild.py --sizes 2000 --engines pressearchiv,sqlite-fts5
    .venv/bin/python bench/rebuild.py --ref HEAD     # a clean snapshot of a commit

pressearchiv is imported from the working tree, or with ``--ref`` from a snapshot
of that commit extracted to ``bench/out/src-<commit>/`` (``git archive``), so that
edits made while the benchmark runs cannot change the code measured.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
ENGINES = ("pressearchiv", "pressearchiv-core", "whoosh-plain", "sqlite-fts5")
RESULT_MARK = "BENCH-RESULT "

sys.path.insert(0, str(BENCH))
from scale_corpus import DataMissing, cached_corpus

# --- the engines: each runs in a child process --------------------------------

def read_jsonl(path: str):
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def run_pressearchiv(corpus: str, workdir: str, jobs: int | None, enrich: bool = True) -> dict:
    # Ahead of the editable install's finder, which would import the working tree.
    sys.path.insert(0, os.environ.get("BENCH_SOURCE") or str(ROOT))
    import indexer
    from indexer.build import build_index
    from indexer.readers import ReadOptions

    # The corpus says lang "de"; reading it from a missing column makes the
    # build detect the language as it must for real sources.
    options = ReadOptions(field_map={"lang": "-no-such-field-"})
    summary = build_index([corpus], workdir, rebuild=True, options=options, jobs=jobs,
                          enrich=enrich)
    return {"articles": summary.articles, "rejected": summary.rejected,
            "warnings": summary.warnings, "superseded": summary.superseded,
            "build_seconds": round(summary.seconds, 3),
            "jobs": jobs or os.cpu_count() or 1,
            "code": str(Path(indexer.__file__).resolve().parents[1]),
            "problems": [str(p) for p in summary.problems[:5]]}


def run_whoosh_plain(corpus: str, workdir: str, jobs: int | None) -> dict:
    from whoosh import index
    from whoosh.analysis import LanguageAnalyzer
    from whoosh.fields import ID, TEXT, Schema

    schema = Schema(id=ID(stored=True, unique=True),
                    title=TEXT(analyzer=LanguageAnalyzer("de"), stored=True),
                    body=TEXT(analyzer=LanguageAnalyzer("de"), stored=True),
                    date=ID(stored=True), section=ID(stored=True))
    ix = index.create_in(workdir, schema)
    writer = ix.writer()
    try:
        for record in read_jsonl(corpus):
            doc = {name: record.get(name) for name in ("id", "title", "body", "date", "section")}
            writer.add_document(**{k: v for k, v in doc.items() if v is not None})
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    return {"articles": ix.doc_count()}


def run_sqlite_fts5(corpus: str, workdir: str, jobs: int | None) -> dict:
    import sqlite3

    db = sqlite3.connect(os.path.join(workdir, "articles.db"))
    db.execute('CREATE VIRTUAL TABLE articles USING fts5(id UNINDEXED, title, body, '
               'date UNINDEXED, section UNINDEXED, tokenize="unicode61 remove_diacritics 2")')
    with db:  # one transaction, committed at the end
        db.executemany("INSERT INTO articles (id, title, body, date, section) VALUES (?, ?, ?, ?, ?)",
                       ((r.get("id"), r.get("title"), r.get("body"), r.get("date"), r.get("section"))
                        for r in read_jsonl(corpus)))
    articles = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    db.close()
    return {"articles": articles, "sqlite": sqlite3.sqlite_version}


def run_pressearchiv_core(corpus: str, workdir: str, jobs: int | None) -> dict:
    """The foundation alone: no language detection, no entity extraction."""
    return run_pressearchiv(corpus, workdir, jobs, enrich=False)


RUNNERS = {"pressearchiv": run_pressearchiv, "pressearchiv-core": run_pressearchiv_core,
           "whoosh-plain": run_whoosh_plain,
           "sqlite-fts5": run_sqlite_fts5}


def dir_size(path: str) -> int:
    """Bytes of the regular files below ``path`` (symlinks not followed)."""
    total = 0
    for folder, _, files in os.walk(path):
        for name in files:
            full = os.path.join(folder, name)
            if not os.path.islink(full):
                total += os.path.getsize(full)
    return total


def child(engine: str, corpus: str, workdir: str, jobs: int | None) -> None:
    started = time.perf_counter()
    info = RUNNERS[engine](corpus, workdir, jobs)
    seconds = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # largest reaped child
    info.update(engine=engine, seconds=seconds, rss_mb=max(own, kids),
                rss_self_mb=own, rss_children_mb=kids, size_bytes=dir_size(workdir))
    print(RESULT_MARK + json.dumps(info), flush=True)


# --- the parent -----------------------------------------------------------------

def measure(engine: str, corpus: Path, jobs: int | None, source: Path) -> dict:
    workdir = tempfile.mkdtemp(prefix=f"index-{engine}-", dir=OUT)
    try:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--child", engine,
               "--corpus", str(corpus), "--workdir", workdir]
        if jobs:
            cmd += ["--jobs", str(jobs)]
        proc = subprocess.run(cmd, cwd=source, capture_output=True, text=True, check=False,
                              env={**os.environ, "BENCH_SOURCE": str(source)})
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(RESULT_MARK)]
    if proc.returncode != 0 or not lines:
        tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-15:])
        return {"engine": engine, "error": f"exit status {proc.returncode}\n{tail}"}
    result = json.loads(lines[-1][len(RESULT_MARK):])
    if proc.stderr.strip():
        result["stderr"] = proc.stderr.strip().splitlines()[-5:]
    return result


def corpus_words(corpus: Path) -> tuple[int, float, float]:
    n = body = title = 0
    with open(corpus, encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            n += 1
            body += len((record.get("body") or "").split())
            title += len((record.get("title") or "").split())
    return n, body / max(n, 1), (body + title) / max(n, 1)


def median_run(runs: list[dict]) -> dict:
    """The run of median time (the slower middle one of an even number), with all times.

    A failed run makes the engine's result that failure.
    """
    failed = [r for r in runs if "error" in r]
    if failed:
        return failed[0]
    ordered = sorted(runs, key=lambda r: r["seconds"])
    return {**ordered[len(ordered) // 2], "all_seconds": [r["seconds"] for r in runs]}


def table(size: int, results: list[dict]) -> str:
    rows = ["| engine | articles | seconds (median) | articles/s | peak RSS MB | index MB "
            "| seconds of each run |",
            "| --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    for r in results:
        if "error" in r:
            rows.append(f"| {r['engine']} | error | | | | | |")
            continue
        rate = r["articles"] / r["seconds"] if r["seconds"] else float("nan")
        runs = ", ".join(f"{s:.1f}" for s in r.get("all_seconds", [r["seconds"]]))
        rows.append(f"| {r['engine']} | {r['articles']:,} | {r['seconds']:.1f} | {rate:,.0f} "
                    f"| {r['rss_mb']:,.0f} | {r['size_bytes'] / 1e6:,.1f} | {runs} |")
    return "\n".join(rows)


def ratios(results: list[dict]) -> list[str]:
    rate = {r["engine"]: r["articles"] / r["seconds"] for r in results
            if "error" not in r and r["seconds"]}
    lines = []
    for ours in ("pressearchiv", "pressearchiv-core"):
        for other in ("whoosh-plain", "sqlite-fts5"):
            if ours in rate and other in rate:
                lines.append(f"{ours} / {other} (articles/s): {rate[ours] / rate[other]:.2f}")
    if "pressearchiv" in rate and "pressearchiv-core" in rate:
        full, core = rate["pressearchiv"], rate["pressearchiv-core"]
        lines.append(f"enrichment (language + entities): rate x{full / core:.2f}, "
                     f"{(1 / full - 1 / core) * 1000:.2f} ms wall per article on all CPUs")
    return lines


def git_state() -> str:
    """The commit measured, and whether the working tree differs from it."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True,
                              capture_output=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=ROOT, text=True, capture_output=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "commit unknown"
    return f"commit {head}" + (" + uncommitted changes" if dirty else "")


def snapshot(ref: str) -> tuple[Path, str]:
    """The tree of commit ``ref`` extracted to ``bench/out/src-<commit>/``."""
    try:
        sha = subprocess.run(["git", "rev-parse", "--verify", f"{ref}^{{commit}}"], cwd=ROOT,
                             text=True, capture_output=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        raise SystemExit(f"rebuild: --ref {ref!r} is not a commit of {ROOT}")
    target = OUT / f"src-{sha[:12]}"
    if not (target / ".complete").exists():
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        archive = subprocess.run(["git", "archive", "--format=tar", sha], cwd=ROOT,
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
        (target / ".complete").touch()
    return target, f"commit {sha[:7]} (clean snapshot in {target.relative_to(ROOT)})"


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = [int(s.replace("_", "")) for s in text.split(",") if s.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected numbers like 10000,100000")
    if not sizes or any(s <= 0 for s in sizes):
        raise argparse.ArgumentTypeError("positive numbers, comma-separated")
    return sizes


def parse_engines(text: str) -> list[str]:
    engines = [e.strip() for e in text.split(",") if e.strip()]
    unknown = [e for e in engines if e not in ENGINES]
    if unknown or not engines:
        raise argparse.ArgumentTypeError(f"unknown {', '.join(unknown) or '(none)'}; "
                                         f"choose from {', '.join(ENGINES)}")
    return engines


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=parse_sizes, default=[10_000, 100_000],
                        help="corpus sizes, comma-separated (default 10000,100000)")
    parser.add_argument("--engines", type=parse_engines, default=list(ENGINES),
                        help=f"subset of {','.join(ENGINES)} (default all)")
    parser.add_argument("--seed", type=int, default=7, help="corpus seed (default 7)")
    parser.add_argument("--jobs", type=int, default=None,
                        help="pressearchiv analysis workers (default: one per CPU)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs per engine and size, interleaved; the table gives the "
                        "median (default 3)")
    parser.add_argument("--ref", help="benchmark pressearchiv as of this commit (a clean "
                        "snapshot), not the working tree")
    parser.add_argument("--child", choices=ENGINES, help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    if args.child:
        child(args.child, args.corpus, args.workdir, args.jobs)
        return 0

    OUT.mkdir(parents=True, exist_ok=True)
    if args.ref:
        source, code = snapshot(args.ref)
    else:
        source, code = ROOT, f"working tree, {git_state()}"
    print(f"# Index rebuild benchmark, {time.strftime('%Y-%m-%d %H:%M')}")
    print(f"{platform.node()}: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}; seed {args.seed}; "
          f"median of {args.repeat} run(s) per engine")
    print(f"pressearchiv code: {code}")
    status = 0
    for size in args.sizes:
        try:
            corpus = cached_corpus(size, args.seed, OUT)
        except DataMissing as exc:
            print(f"rebuild: cannot make the corpus: {exc}", file=sys.stderr)
            return 2
        n, body_words, all_words = corpus_words(corpus)
        print(f"\n## {size:,} articles\n")
        print(f"corpus {corpus.relative_to(ROOT)}: {n:,} articles, "
              f"{corpus.stat().st_size / 1e6:.1f} MB, on average {body_words:.0f} words of body "
              f"({all_words:.0f} with the title) per article\n", flush=True)
        runs: dict[str, list[dict]] = {engine: [] for engine in args.engines}
        # Rounds of every engine in turn: a slow spell of the machine hits all of them.
        for round_ in range(1, args.repeat + 1):
            for engine in args.engines:
                print(f"  running {engine} ({round_}/{args.repeat}) ...", file=sys.stderr,
                      flush=True)
                result = measure(engine, corpus, args.jobs, source)
                runs[engine].append(result)
                if "error" in result:
                    status = 1
                    print(f"  {engine} failed: {result['error']}", file=sys.stderr)
                elif result["articles"] != n:
                    print(f"  note: {engine} indexed {result['articles']:,} of {n:,} articles",
                          file=sys.stderr)
        results = [median_run(runs[engine]) for engine in args.engines]
        print(table(size, results))
        extra = ratios(results)
        if extra:
            print()
            print("\n".join(extra))
        for r in results:
            if r.get("engine") == "pressearchiv" and "error" not in r:
                print(f"\npressearchiv: build_index reported {r['build_seconds']:.1f} s, "
                      f"{r['jobs']} jobs, {r['rejected']} rejected, {r['warnings']} warnings; "
                      f"peak RSS main process {r['rss_self_mb']:,.0f} MB, "
                      f"largest worker {r['rss_children_mb']:,.0f} MB")
                if Path(r["code"]) != source.resolve():
                    print(f"  warning: pressearchiv was imported from {r['code']}, not {source}")
                for problem in r.get("problems", []):
                    print(f"  {problem}")
        for r in results:
            for line in r.get("stderr", []):
                print(f"  {r['engine']} stderr: {line}", file=sys.stderr)
        sys.stdout.flush()
    if not args.ref and f"working tree, {git_state()}" != code:
        print(f"\nwarning: the working tree changed during the run (now {git_state()}); "
              "use --ref for a fixed commit", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
