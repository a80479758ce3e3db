"""Attention over time at scale: a trend of 3 queries, monthly, share, against SQLite FTS5.

    nice .venv/bin/python bench/trend.py                 # 100,000 articles
    nice .venv/bin/python bench/trend.py --size 10000 --rounds 2   # a quick look

On the synthetic corpus of ``bench/scale_corpus.py`` (real German news sentences,
dates spread over 2023-01 .. 2026-08, i.e. 44 months), in one process and one run:

- **pressearchiv trend**: ``search.trend.trend`` with 3 queries, ``interval=month``,
  ``measure=share``: each query's articles per month (duplicates once) and the month
  totals under the (empty) filters, Wilson intervals included;
- **FTS5 trend**: the same counts from SQLite FTS5 (unicode61, ``remove_diacritics 2``):
  per query ``SELECT month, count(*) FROM docs JOIN meta ... WHERE docs MATCH ? GROUP BY
  month`` and once per trend the month totals (``GROUP BY month`` over ``meta``, which
  has an index on the month); shares computed in Python. No stemming, no compound
  parts, no duplicate grouping: FTS5 does less;
- **pressearchiv search**, for reference: ``bench/query_speed.py``'s 33 queries through
  ``engine.search`` (total, ten hits with snippets, facets, histogram).

Each measurement runs ``--rounds`` rounds after a first (cold) round; p50 and p95 are over
the timed rounds. The index (``bench/out/trend-index-<n>``) and the FTS5 database
(``bench/out/trend-fts5-<n>.db``) are built once and kept.
"""
from __future__ import annotations

import argparse
import json
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

from query_speed import QUERIES, head, pct  # noqa: E402
from scale_corpus import make_corpus  # noqa: E402

PRESSEARCHIV = [str(Path(sys.executable).parent / "pressearchiv")]
# Five trends of three queries each: (pressearchiv query, FTS5 MATCH)
TRENDS = [
    [("Ukraine", '"ukraine"'), ("Russland", '"russland"'), ("Trump", '"trump"')],
    [("Migration", '"migration"'), ("Klimaschutz", '"klimaschutz"'), ("Inflation", '"inflation"')],
    [("Bundestag", '"bundestag"'), ("Regierung", '"regierung"'), ("Polizei", '"polizei"')],
    [("Wahl", '"wahl"'), ("Gericht", '"gericht"'), ("Israel", '"israel"')],
    [('"Olaf Scholz"', '"olaf scholz"'), ("Merz", '"merz"'), ("AfD Umfrage", '"afd" "umfrage"')],
]


def corpus(n: int) -> Path:
    path = OUT / f"corpus-v1-n{n}-s7.jsonl"
    if not path.exists():
        make_corpus(n, path)
    return path


def our_index(n: int, source: Path) -> tuple[Path, float | None]:
    """The index of the corpus, built with this code unless one with word counts exists."""
    from indexer import docvalues

    path = OUT / f"trend-index-{n}"
    current = path / "current"
    if current.exists():
        files = list(current.resolve().glob("*.dvals"))
        if files and all("words" in docvalues.read_file(str(f)).arrays for f in files):
            return path, None
    started = time.perf_counter()
    subprocess.run(PRESSEARCHIV + ["index", str(source), "--index", str(path), "--rebuild",
                                   "--no-progress"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    return path, time.perf_counter() - started


def fts_db(n: int, source: Path) -> Path:
    path = OUT / f"trend-fts5-{n}.db"
    if path.exists():
        return path
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    db.executescript("""
        CREATE VIRTUAL TABLE docs USING fts5(title, body,
            tokenize="unicode61 remove_diacritics 2");
        CREATE TABLE meta(rowid INTEGER PRIMARY KEY, date TEXT, month TEXT);
    """)
    with db, open(source, encoding="utf-8") as fh:
        for rowid, line in enumerate(fh, 1):
            record = json.loads(line)
            day = record.get("date") or None
            db.execute("INSERT INTO docs(rowid, title, body) VALUES (?, ?, ?)",
                       (rowid, record["title"], record["body"]))
            db.execute("INSERT INTO meta VALUES (?, ?, ?)", (rowid, day, day[:7] if day else None))
    db.execute("CREATE INDEX meta_month ON meta(month)")
    db.commit()
    db.close()
    tmp.rename(path)
    return path


def fts_trend(db: sqlite3.Connection, matches: list[str]) -> list[dict]:
    totals = dict(db.execute("SELECT month, count(*) FROM meta WHERE month IS NOT NULL "
                             "GROUP BY month").fetchall())
    series = []
    for match in matches:
        hits = dict(db.execute(
            "SELECT meta.month, count(*) FROM docs JOIN meta ON meta.rowid = docs.rowid "
            "WHERE docs MATCH ? AND meta.month IS NOT NULL GROUP BY meta.month",
            (match,)).fetchall())
        series.append({m: (hits.get(m, 0), t, hits.get(m, 0) / t) for m, t in totals.items()})
    return series


def timed(fn, rounds: int, items) -> tuple[list[float], list[float]]:
    """(cold round's ms, timed rounds' ms) of ``fn(item)`` for each item."""
    cold, warm = [], []
    for round_ in range(rounds + 1):
        for item in items:
            started = time.perf_counter()
            fn(item)
            (warm if round_ else cold).append((time.perf_counter() - started) * 1000)
    return cold, warm


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    n = args.size
    from search import open_engine
    from search.models import SearchRequest
    from search.trend import TrendRequest, trend

    source = corpus(n)
    print(f"preparing {n:,} articles …", file=sys.stderr)
    index, build_s = our_index(n, source)
    db_path = fts_db(n, source)
    engine = open_engine(index)
    db = sqlite3.connect(db_path)

    def ours(queries):
        result = trend(engine, TrendRequest(queries=[q for q, _ in queries], interval="month",
                                            measure="share"))
        assert len(result.totals) == 44, len(result.totals)

    def theirs(queries):
        fts_trend(db, [m for _, m in queries])

    def search(item):
        q, filters, _, _ = item
        engine.search(SearchRequest(q=q, **filters))

    rows = []
    for name, fn, items in (("pressearchiv trend (3 queries, month, share)", ours, TRENDS),
                            ("SQLite FTS5 trend (GROUP BY month over MATCH + totals)", theirs,
                             TRENDS),
                            ("pressearchiv search (reference: 33 queries, facets, snippets)",
                             search, QUERIES)):
        print(f"  {name} …", file=sys.stderr)
        cold, warm = timed(fn, args.rounds, items)
        rows.append((name, statistics.median(warm), pct(warm, 95), statistics.median(cold),
                     pct(cold, 95), len(warm)))
    # the counts agree where the analyses agree: one query FTS5 reads the same way
    check = trend(engine, TrendRequest(queries=["Israel"], interval="month", measure="count"))
    ours_total = sum(b.hits for b in check.series[0].buckets)
    fts_total = sum(h for h, _, _ in fts_trend(db, ['"israel"'])[0].values())
    print(f"\n# Trend at {n:,} articles, {time.strftime('%Y-%m-%d %H:%M')}, code {head()}, "
          f"{len(TRENDS)} trends x {args.rounds} rounds (after a cold round)\n")
    if build_s is not None:
        print(f"(index built in {build_s:.0f} s)\n")
    print("| work | p50 ms | p95 ms | cold p50 ms | cold p95 ms | timed runs |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, p50, p95, cold50, cold95, count in rows:
        print(f"| {name} | {p50:.1f} | {p95:.1f} | {cold50:.1f} | {cold95:.1f} | {count} |")
    trend_p95, search_p95 = rows[0][2], rows[2][2]
    print(f"\ntrend p95 / search p95: {trend_p95 / search_p95:.2f} (target: at most 2); "
          f"trend p95 / FTS5 trend p95: {trend_p95 / rows[1][2]:.2f}")
    print(f"'Israel' in all months: pressearchiv {ours_total:,} articles, FTS5 {fts_total:,} "
          "(the same word; stemming, compounds, the place tag and duplicates make the difference)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
