"""Concordance (KWIC) speed at 100,000 articles beside SQLite FTS5's; search for reference.

    nice .venv/bin/python bench/kwic.py                    # 100,000 articles
    nice .venv/bin/python bench/kwic.py --size 10000 --rounds 3

On the synthetic corpus of ``bench/scale_corpus.py`` (real German news sentences),
built with ``pressearchiv index --rebuild`` (cached in ``bench/out/``), the same run
measures, per query, in one process (the library, no HTTP):

- **kwic newest**: ``search.kwic.concordance`` for the first 100 rows, newest first
  (reads the result in date order, only as many articles as the page needs);
- **kwic left**: the same sorted by the word left of the match (reads every matching
  article up to ``MAX_SORT_ARTICLES``, the newest, then sorts their rows);
- **search**: ``engine.search`` with total, ten hits with snippets, facets and the
  histogram: the reference the issue's target (KWIC within 2x the search p95) is about;
- **FTS5 concordance**: the same records in an FTS5 table (unicode61, diacritics
  removed; it has no stemming or decompounding, so a word matches its exact form
  only) with the date as an unindexed column; its own concordance is
  ``highlight()`` over the matches ordered by date (newest first), cut into one row
  per marked occurrence with eight words of context each side, until 100 rows.

p50/p95 are over all queries of all rounds after a first (warming) round.
"""
from __future__ import annotations

import argparse
import json
import re
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from query_speed import pct  # noqa: E402
from scale_corpus import cached_corpus  # noqa: E402

PRESSEARCHIV = [str(Path(sys.executable).parent / "pressearchiv")]
# (our query, the FTS5 MATCH expression for the same words)
QUERIES = [
    ("Regierung", '"regierung"'),
    ("Minister", '"minister"'),
    ("Ukraine", '"ukraine"'),
    ("Klimaschutz", '"klimaschutz"'),
    ("Bundeswehr", '"bundeswehr"'),
    ("Inflation", '"inflation"'),
    ('"Olaf Scholz"', '"olaf scholz"'),
    ("Trump Zölle", '"trump" AND "zolle"'),
]
ROWS, WIDTH = 100, 8
_WORD = re.compile(r"\w+(?:[-.,]\w+)*")


def index(n: int, source: Path) -> Path:
    path = OUT / f"kwic-index-{n}"
    if not (path / "current").exists():
        subprocess.run(PRESSEARCHIV + ["index", str(source), "--rebuild", "--index", str(path),
                                       "--no-progress"], cwd=ROOT, check=True)
    return path


def fts_db(n: int, source: Path) -> sqlite3.Connection:
    path = OUT / f"kwic-fts5-{n}.db"
    fresh = not path.exists()
    db = sqlite3.connect(path)
    if fresh:
        db.execute('CREATE VIRTUAL TABLE docs USING fts5(title, body, date UNINDEXED, '
                   'tokenize="unicode61 remove_diacritics 2")')
        with db, open(source, encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                db.execute("INSERT INTO docs(title, body, date) VALUES (?, ?, ?)",
                           (r["title"], r["body"], r.get("date") or ""))
    return db


def fts_concordance(db: sqlite3.Connection, match: str) -> list[tuple]:
    """The first ROWS occurrences, newest articles first: FTS5 marks them (highlight)."""
    rows = []
    for rowid, date, text in db.execute(
            "SELECT rowid, date, highlight(docs, 1, char(1), char(2)) FROM docs "
            "WHERE docs MATCH ? ORDER BY date DESC", (match,)):
        for m in re.finditer("\x01(.*?)\x02", text):
            left = _WORD.findall(text[:m.start()].replace("\x01", "").replace("\x02", ""))
            right = _WORD.findall(text[m.end():m.end() + 400].replace("\x01", "")
                                  .replace("\x02", ""))
            rows.append((rowid, date, " ".join(left[-WIDTH:]), m.group(1),
                         " ".join(right[:WIDTH])))
            if len(rows) >= ROWS:
                return rows
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    from search import open_engine
    from search.kwic import MAX_SORT_ARTICLES, KwicRequest, concordance
    from search.models import SearchRequest

    source = cached_corpus(args.size)
    engine = open_engine(index(args.size, source))
    db = fts_db(args.size, source)
    kinds = ("kwic newest", "kwic left", "search", "FTS5 concordance")
    times: dict[str, list[float]] = {k: [] for k in kinds}
    per_query: dict[str, dict[str, list[float]]] = {q: {k: [] for k in kinds} for q, _ in QUERIES}
    rows_found: dict[str, tuple[int, int, int]] = {}
    for round_ in range(args.rounds + 1):
        for q, match in QUERIES:
            runs = {
                "kwic newest": lambda: concordance(engine, KwicRequest(
                    SearchRequest(q=q), sort="newest", size=ROWS)),
                "kwic left": lambda: concordance(engine, KwicRequest(
                    SearchRequest(q=q), sort="left", size=ROWS)),
                "search": lambda: engine.search(SearchRequest(q=q)),
                "FTS5 concordance": lambda: fts_concordance(db, match),
            }
            results = {}
            for kind, run in runs.items():
                started = time.perf_counter()
                results[kind] = run()
                elapsed = (time.perf_counter() - started) * 1000
                if round_:
                    times[kind].append(elapsed)
                    per_query[q][kind].append(elapsed)
            rows_found[q] = (len(results["kwic newest"].rows),
                             results["kwic newest"].articles_read,
                             len(results["FTS5 concordance"]))
    print(f"## KWIC at {args.size:,} articles ({args.rounds} rounds after a warming one)\n")
    print("| measure | p50 ms | p95 ms |")
    print("| --- | ---: | ---: |")
    for kind in kinds:
        print(f"| {kind} | {statistics.median(times[kind]):.1f} | {pct(times[kind], 95):.1f} |")
    search_p95 = pct(times["search"], 95)
    print(f"\nKWIC newest p95 / search p95: ×{pct(times['kwic newest'], 95) / search_p95:.2f}; "
          f"KWIC left p95 / search p95: ×{pct(times['kwic left'], 95) / search_p95:.2f} "
          f"(left reads at most {MAX_SORT_ARTICLES:,} articles)\n")
    print("| query | rows | articles read (newest) | FTS5 rows | kwic newest p50 | kwic left p50 "
          "| search p50 | FTS5 p50 |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for q, _ in QUERIES:
        rows, read, fts_rows = rows_found[q]
        cells = " | ".join(f"{statistics.median(per_query[q][k]):.1f}" for k in kinds)
        print(f"| `{q}` | {rows} | {read} | {fts_rows} | {cells} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
