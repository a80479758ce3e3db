"""A real archive on one machine: build, open, update and search at 100,000 to 5,000,000.

    .venv/bin/python bench/scale.py                     # 100,000 and 1,000,000
    .venv/bin/python bench/scale.py --sizes 100000      # one size
    .venv/bin/python bench/scale.py --sizes 5000000     # the large one (an hour here)

For each size, on the synthetic corpus of ``bench/scale_corpus.py`` (real German
news sentences), pressearchiv and SQLite FTS5 do the same things in the same run:

- **build**: pressearchiv's ``index --rebuild`` (analysis, entities, languages) in a
  subprocess; memory is the peak of the summed RSS of the indexer and its workers,
  sampled every 0.2 s. FTS5 (unicode61, one core) builds from the same records with
  the entities pressearchiv found, so its facets count the same data;
- **opening**: a new process opens the index and answers one search; the page cache
  is dropped first where the machine allows it (the table says whether it did);
- **search**: ``bench/query_speed.py``'s 33 queries, each with the total, ten hits
  with snippets, facets and a histogram, through a running server (pressearchiv)
  or a connection (FTS5); p50/p95 over the rounds after a first round, whose
  numbers (caches cold: posting lists and phrase matches not yet read) are shown too;
- **update**: 1,000 articles (500 new, 500 changed) into the built index, while a
  client searches throughout; the longest request during the update and the switch
  to the new generation is the stall. The server's memory before and after.

Results go to stdout as one Markdown table per size, and to
``bench/out/scale-<size>.json``.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import psutil

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from load import Server  # noqa: E402
from query_speed import QUERIES, fts_query, pct  # noqa: E402
from scale_corpus import make_corpus  # noqa: E402

PRESSEARCHIV = [str(Path(sys.executable).parent / "pressearchiv")]
UPDATE_NEW, UPDATE_CHANGED = 500, 500


def run_measured(cmd: list[str], **kwargs) -> dict:
    """Run ``cmd``; wall time and the peak of the summed RSS of it and its children."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, **kwargs)
    ps = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            peak = max(peak, sum(p.memory_info().rss for p in [ps, *ps.children(recursive=True)]))
        except psutil.Error:
            pass
        time.sleep(0.2)
    output = proc.stdout.read()
    if proc.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{output[-3000:]}")
    return {"seconds": time.perf_counter() - started, "peak_mb": peak / 2 ** 20, "output": output}


def dir_mb(path: Path) -> float:
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.path.getsize(os.path.join(root, name))
            except OSError:
                pass
    return total / 2 ** 20


def drop_caches() -> bool:
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def corpus(n: int) -> Path:
    path = OUT / f"corpus-v1-n{n}-s7.jsonl"
    if not path.exists():
        make_corpus(n, path)
    return path


def update_corpus(source: Path, n: int) -> Path:
    """500 new articles and 500 changed versions of existing ones."""
    path = OUT / f"update-{n}.jsonl"
    fresh = make_corpus(UPDATE_NEW, OUT / "update-fresh.jsonl", seed=99)
    lines = []
    with open(fresh, encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            record = json.loads(line)
            record["id"] = f"update-{i}"
            lines.append(json.dumps(record, ensure_ascii=False))
    step = max(1, n // UPDATE_CHANGED)
    with open(source, encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i % step == 0 and len(lines) < UPDATE_NEW + UPDATE_CHANGED:
                record = json.loads(line)
                record["body"] += " Aktualisiert: Die Angaben wurden später ergänzt."
                lines.append(json.dumps(record, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def get(host: str, port: int, path: str) -> tuple[float, dict]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection(host, port, timeout=600)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"{path}: HTTP {response.status}: {body[:300]!r}")
        return time.perf_counter() - started, json.loads(body)
    finally:
        conn.close()


def search_path(q: str, filters: dict) -> str:
    params = [("q", q), ("size", "10")]
    for value in filters.get("sections", []):
        params.append(("section", value))
    return "/api/search?" + urlencode(params)


def open_probe(index: Path) -> tuple[float, float, bool]:
    """In a new process: seconds to open the index, then to answer a first search
    (after dropping the page cache where allowed: the last value)."""
    cold = drop_caches()
    probe = subprocess.run(
        [sys.executable, "-c",
         "import sys, time; from search.engine import WhooshEngine; "
         "from search.models import SearchRequest; t = time.perf_counter(); "
         "e = WhooshEngine(sys.argv[1]); e.health(); t1 = time.perf_counter(); "
         "e.search(SearchRequest(q='Ukraine')); print(t1 - t, time.perf_counter() - t1)",
         str(index)], cwd=ROOT, capture_output=True, text=True, check=True)
    open_s, first_s = map(float, probe.stdout.split())
    return open_s, first_s, cold


def measure_ours(n: int, source: Path, rounds: int) -> dict:
    index = OUT / f"scale-index-{n}"
    subprocess.run(["rm", "-rf", str(index)], check=True)
    build = run_measured(PRESSEARCHIV + ["index", str(source), "--rebuild", "--index",
                                         str(index), "--no-progress"])
    result = {"build_s": build["seconds"], "rate": n / build["seconds"],
              "build_peak_mb": build["peak_mb"], "size_mb": dir_mb(index)}
    open_s, first_s, cold = open_probe(index)
    result.update(open_s=open_s, first_search_s=first_s, cold=cold)

    server = Server(index, threads=8)
    try:
        host, port = server.host, server.port
        times, first = [], []
        for round_ in range(rounds + 1):
            for q, filters, _, _ in QUERIES:
                took, _ = get(host, port, search_path(q, filters))
                (times if round_ else first).append(took * 1000)
        result.update(p50_ms=statistics.median(times), p95_ms=pct(times, 95),
                      first_p50_ms=statistics.median(first), first_p95_ms=pct(first, 95))
        result["server_mb_before"] = psutil.Process(server.process.pid).memory_info().rss / 2**20

        before = get(host, port, "/api/health")[1]
        stalls: list[float] = []
        stop = threading.Event()

        def client():
            i = 0
            while not stop.is_set():
                q, filters, _, _ = QUERIES[i % len(QUERIES)]
                stalls.append(get(host, port, search_path(q, filters))[0])
                i += 1

        thread = threading.Thread(target=client)
        thread.start()
        update = run_measured(PRESSEARCHIV + ["index", str(update_corpus(source, n)),
                                              "--index", str(index), "--no-progress"])
        switched = time.perf_counter()
        peak_server = 0.0
        while True:  # until the server serves the new revision
            health = get(host, port, "/api/health")[1]
            peak_server = max(peak_server,
                              psutil.Process(server.process.pid).memory_info().rss / 2**20)
            if health["generation"] != before["generation"]:
                break
            if time.perf_counter() - switched > 300:
                raise RuntimeError("the server did not switch to the new generation")
            time.sleep(0.05)
        switch_s = time.perf_counter() - switched
        time.sleep(2)
        stop.set()
        thread.join()
        result.update(update_s=update["seconds"], switch_s=switch_s,
                      stall_ms=max(stalls) * 1000, stall_requests=len(stalls),
                      server_mb_switch=peak_server,
                      server_mb_after=psutil.Process(server.process.pid).memory_info().rss
                      / 2 ** 20,
                      articles_after=health["articles"])
    finally:
        server.stop()
    return result


def build_only(n: int, source: Path) -> str:
    """Build, open and update only; one table."""
    index = OUT / f"scale-index-{n}"
    subprocess.run(["rm", "-rf", str(index)], check=True)
    build = run_measured(PRESSEARCHIV + ["index", str(source), "--rebuild", "--index",
                                         str(index), "--no-progress"])
    open_s, first_s, cold = open_probe(index)
    update = run_measured(PRESSEARCHIV + ["index", str(update_corpus(source, n)), "--index",
                                          str(index), "--no-progress"])
    rows = [("full build, s", f"{build['seconds']:,.0f}"),
            ("articles/s", f"{n / build['seconds']:,.0f}"),
            ("memory taken during the build (peak summed RSS), MB", f"{build['peak_mb']:,.0f}"),
            ("index on disk, MB", f"{dir_mb(index):,.0f}"),
            (f"opening, s ({'cold' if cold else 'warm'})", f"{open_s:.2f}"),
            ("first search, s", f"{first_s:.2f}"),
            ("update, 1,000 articles, s", f"{update['seconds']:.1f}"),
            ("memory taken during the update, MB", f"{update['peak_mb']:,.0f}")]
    return "\n".join([f"## {n:,} articles (build only)\n", "| measure | pressearchiv |",
                      "|---|---:|"] + [f"| {a} | {b} |" for a, b in rows]) + "\n"


def measure_fts(n: int, source: Path, index: Path, rounds: int) -> dict:
    """FTS5 from the records pressearchiv indexed (with its entities)."""
    records = OUT / f"scale-records-{n}.jsonl"
    with open(records, "w", encoding="utf-8") as out:
        subprocess.run(PRESSEARCHIV + ["search", "", "--index", str(index), "--format", "jsonl"],
                       cwd=ROOT, check=True, stdout=out)
    db_path = OUT / f"scale-fts5-{n}.db"
    db_path.unlink(missing_ok=True)
    started = time.perf_counter()
    db = sqlite3.connect(db_path)
    db.executescript("""
        CREATE VIRTUAL TABLE docs USING fts5(title, body,
            tokenize="unicode61 remove_diacritics 2");
        CREATE TABLE meta(rowid INTEGER PRIMARY KEY, key TEXT UNIQUE, date TEXT, section TEXT);
        CREATE TABLE ents(rowid INTEGER, type TEXT, name TEXT);
    """)
    with db, open(records, encoding="utf-8") as fh:
        for rowid, line in enumerate(fh, 1):
            record = json.loads(line)
            db.execute("INSERT INTO docs(rowid, title, body) VALUES (?, ?, ?)",
                       (rowid, record["title"], record["body"]))
            db.execute("INSERT INTO meta VALUES (?, ?, ?, ?)",
                       (rowid, record["id"], record["date"], record["section"]))
            db.executemany("INSERT INTO ents VALUES (?, ?, ?)",
                           [(rowid, t, name) for t in ("persons", "orgs", "places")
                            for name in record[t]])
    db.executescript("CREATE INDEX ents_rowid ON ents(rowid, type, name);"
                     "CREATE INDEX meta_section ON meta(section);")
    build_s = time.perf_counter() - started
    db.close()
    result = {"build_s": build_s, "rate": n / build_s, "size_mb": db_path.stat().st_size / 2**20}
    cold = drop_caches()
    started = time.perf_counter()
    db = sqlite3.connect(db_path)
    fts_query(db, '"ukraine"', None)
    result.update(open_s=0.0, first_search_s=time.perf_counter() - started, cold=cold)
    times, first = [], []
    for round_ in range(rounds + 1):
        for _, _, match, section in QUERIES:
            started = time.perf_counter()
            fts_query(db, match, section)
            (times if round_ else first).append((time.perf_counter() - started) * 1000)
    result.update(p50_ms=statistics.median(times), p95_ms=pct(times, 95),
                  first_p50_ms=statistics.median(first), first_p95_ms=pct(first, 95))
    started = time.perf_counter()
    with db, open(update_corpus(source, n), encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            row = db.execute("SELECT rowid FROM meta WHERE key = ?", (record["id"],)).fetchone()
            if row:
                db.execute("DELETE FROM docs WHERE rowid = ?", row)
                db.execute("INSERT INTO docs(rowid, title, body) VALUES (?, ?, ?)",
                           (row[0], record["title"], record["body"]))
            else:
                cur = db.execute("INSERT INTO meta(key, date, section) VALUES (?, ?, ?)",
                                 (record["id"], record.get("date"), record.get("section")))
                db.execute("INSERT INTO docs(rowid, title, body) VALUES (?, ?, ?)",
                           (cur.lastrowid, record["title"], record["body"]))
    result["update_s"] = time.perf_counter() - started
    db.close()
    return result


def table(n: int, ours: dict, fts: dict) -> str:
    def f(value, fmt):
        return "–" if value is None else format(value, fmt)

    rows = [
        ("full build, s", f(ours["build_s"], ",.0f"), f(fts["build_s"], ",.0f")),
        ("articles/s", f(ours["rate"], ",.0f"), f(fts["rate"], ",.0f")),
        ("memory taken during the build (peak summed RSS), MB",
         f(ours["build_peak_mb"], ",.0f"), "–"),
        ("index on disk, MB", f(ours["size_mb"], ",.0f"), f(fts["size_mb"], ",.0f")),
        (f"opening, s ({'cold' if ours['cold'] else 'warm'} page cache)",
         f(ours["open_s"], ".2f"), "0 (opens lazily)"),
        ("first search after opening, s", f(ours["first_search_s"], ".2f"),
         f(fts["first_search_s"], ".2f")),
        ("search p50, ms", f(ours["p50_ms"], ".1f"), f(fts["p50_ms"], ".1f")),
        ("search p95, ms", f(ours["p95_ms"], ".1f"), f(fts["p95_ms"], ".1f")),
        ("first round (caches cold) p50 / p95, ms",
         f"{ours['first_p50_ms']:.1f} / {ours['first_p95_ms']:.1f}",
         f"{fts['first_p50_ms']:.1f} / {fts['first_p95_ms']:.1f}"),
        ("update, 1,000 articles, s", f(ours["update_s"], ".1f"), f(fts["update_s"], ".2f")),
        ("update published -> served, s", f(ours["switch_s"], ".2f"), "–"),
        ("longest request during update and switch, ms", f(ours["stall_ms"], ",.0f"), "–"),
        ("server RSS before / during switch / after, MB",
         f"{ours['server_mb_before']:,.0f} / {ours['server_mb_switch']:,.0f} / "
         f"{ours['server_mb_after']:,.0f}", "–"),
    ]
    lines = [f"## {n:,} articles\n", "| measure | pressearchiv | SQLite FTS5 |",
             "|---|---:|---:|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    lines.append(f"\np95 ratio FTS5 / pressearchiv: ×{fts['p95_ms'] / ours['p95_ms']:.1f}; "
                 f"p50 ratio ×{fts['p50_ms'] / ours['p50_ms']:.1f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--build-only", action="store_true",
                        help="only build, open and update pressearchiv (for 5,000,000: the "
                             "rest takes hours)")
    args = parser.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    git = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                         capture_output=True, text=True).stdout.strip()
    print(f"# Scale, {time.strftime('%Y-%m-%d %H:%M')}, code {git}, "
          f"{os.cpu_count()} cores\n", flush=True)
    for n in (int(s) for s in args.sizes.split(",")):
        source = corpus(n)
        if args.build_only:
            print(build_only(n, source), flush=True)
            continue
        ours = measure_ours(n, source, args.rounds)
        fts = measure_fts(n, source, OUT / f"scale-index-{n}", args.rounds)
        (OUT / f"scale-{n}.json").write_text(json.dumps({"pressearchiv": ours, "fts5": fts},
                                                        indent=2))
        print(table(n, ours, fts) + "\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
