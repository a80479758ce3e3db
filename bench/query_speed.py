"""Query latency with facets and snippets: pressearchiv against SQLite FTS5.

    .venv/bin/python bench/query_speed.py --sizes 10000,100000 [--rounds 3]

For each size, both engines hold the same synthetic articles (bench/scale_corpus.py)
and answer the same typical queries (one to three words, a phrase, a prefix, a
filter), each time doing the same work: the total, the ten best hits with
snippets, facet counts for sections and the top persons, organisations and places,
and a month histogram. FTS5 does it the way one would by hand: the matching rowids
into a temp table, ``bm25`` ordering with ``snippet()`` for ten rows, ``GROUP BY``
for the facets. Its entity table holds the entities pressearchiv extracted, so the
facets count the same data. Prints p50/p95 per engine and their ratios.
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

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from scale_corpus import make_corpus  # noqa: E402

from indexer.build import build_index  # noqa: E402
from search import open_engine  # noqa: E402
from search.models import SearchRequest  # noqa: E402

OUT = REPO / "bench" / "out"

# (query, pressearchiv filters, FTS5 MATCH expression, FTS5 section filter)
QUERIES = [
    ("Ukraine", {}, '"ukraine"', None),
    ("Bundestag", {}, '"bundestag"', None),
    ("Regierung", {}, '"regierung"', None),
    ("Polizei", {}, '"polizei"', None),
    ("Trump", {}, '"trump"', None),
    ("Merz", {}, '"merz"', None),
    ("Klimaschutz", {}, '"klimaschutz"', None),
    ("Migration", {}, '"migration"', None),
    ("Inflation", {}, '"inflation"', None),
    ("Wahl", {}, '"wahl"', None),
    ("Gericht", {}, '"gericht"', None),
    ("Israel", {}, '"israel"', None),
    ("Krieg Russland", {}, '"krieg" "russland"', None),
    ("Trump Zölle", {}, '"trump" "zölle"', None),
    ("Bundeswehr Soldaten", {}, '"bundeswehr" "soldaten"', None),
    ("Haushalt Regierung", {}, '"haushalt" "regierung"', None),
    ("Energie Preise", {}, '"energie" "preise"', None),
    ("Schule Kinder", {}, '"schule" "kinder"', None),
    ("Gaza Waffenruhe", {}, '"gaza" "waffenruhe"', None),
    ("Europäische Union", {}, '"europäische" "union"', None),
    ("AfD Umfrage Wahl", {}, '"afd" "umfrage" "wahl"', None),
    ("Polizei Berlin Festnahme", {}, '"polizei" "berlin" "festnahme"', None),
    ("Klima Energie Wende", {}, '"klima" "energie" "wende"', None),
    ('"Olaf Scholz"', {}, '"olaf scholz"', None),
    ('"Europäische Union"', {}, '"europäische union"', None),
    ('"Donald Trump"', {}, '"donald trump"', None),
    ("Sanktion*", {}, '"sanktion"*', None),
    ("Regierung", {"sections": ["Inland"]}, '"regierung"', "Inland"),
    ("Ukraine", {"sections": ["Ausland"]}, '"ukraine"', "Ausland"),
    ("Wirtschaft Wachstum", {"sections": ["Wirtschaft"]}, '"wirtschaft" "wachstum"',
     "Wirtschaft"),
    ("Gesundheit", {"sections": ["Inland"]}, '"gesundheit"', "Inland"),
    ("Streik Bahn", {}, '"streik" "bahn"', None),
]


def head() -> str:
    """The version of indexer/ (its git tree), so indexes are rebuilt only when it changes."""
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD:indexer"], cwd=REPO,
                             capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "indexer"], cwd=REPO,
                               capture_output=True, text=True).stdout.strip()
        return rev + ("-dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "nogit"


def our_index(corpus: Path, n: int) -> Path:
    path = OUT / f"query-index-{n}-{head()}"
    if not (path / "current").exists():
        started = time.perf_counter()
        build_index([str(corpus)], path, rebuild=True)
        print(f"  built pressearchiv index of {n:,} in {time.perf_counter() - started:.0f} s",
              file=sys.stderr)
    return path


def fts_index(corpus: Path, n: int, engine) -> Path:
    path = OUT / f"query-fts5-v2-{n}-{head()}.db"
    if path.exists():
        return path
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    db.executescript("""
        CREATE VIRTUAL TABLE docs USING fts5(title, body,
            tokenize="unicode61 remove_diacritics 2");
        CREATE TABLE meta(rowid INTEGER PRIMARY KEY, key TEXT, date TEXT, section TEXT);
        CREATE TABLE ents(rowid INTEGER, type TEXT, name TEXT);
        CREATE INDEX ents_rowid ON ents(rowid, type, name);
        CREATE INDEX meta_section ON meta(section);
    """)
    with db:
        rowid = 0
        for record in engine.export(SearchRequest()):
            rowid += 1
            db.execute("INSERT INTO docs(rowid, title, body) VALUES (?, ?, ?)",
                       (rowid, record["title"], record["body"]))
            db.execute("INSERT INTO meta VALUES (?, ?, ?, ?)",
                       (rowid, record["id"], record["date"], record["section"]))
            db.executemany("INSERT INTO ents VALUES (?, ?, ?)",
                           [(rowid, t, name) for t in ("persons", "orgs", "places")
                            for name in record[t]])
    db.close()
    tmp.rename(path)
    return path


def fts_query(db: sqlite3.Connection, match: str, section: str | None) -> int:
    db.execute("DROP TABLE IF EXISTS temp.m")
    if section:
        db.execute("CREATE TEMP TABLE m AS SELECT docs.rowid AS rowid FROM docs JOIN meta "
                   "ON meta.rowid = docs.rowid WHERE docs MATCH ? AND meta.section = ?",
                   (match, section))
    else:
        db.execute("CREATE TEMP TABLE m AS SELECT rowid FROM docs WHERE docs MATCH ?", (match,))
    total = db.execute("SELECT count(*) FROM temp.m").fetchone()[0]
    # (a "rowid IN temp.m" constraint here makes FTS5 look up row by row: seconds)
    if section:
        hits = db.execute(
            "SELECT docs.rowid, snippet(docs, 1, '<mark>', '</mark>', '…', 24) FROM docs "
            "JOIN meta ON meta.rowid = docs.rowid WHERE docs MATCH ? AND meta.section = ? "
            "ORDER BY bm25(docs) LIMIT 10", (match, section)).fetchall()
    else:
        hits = db.execute(
            "SELECT rowid, snippet(docs, 1, '<mark>', '</mark>', '…', 24) FROM docs "
            "WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 10", (match,)).fetchall()
    [db.execute("SELECT key, date, section FROM meta WHERE rowid = ?", (r,)).fetchone()
     for r, _ in hits]
    # facet counts ignore their own filter: sections over the unfiltered match
    if section:
        db.execute("SELECT section, count(*) FROM meta WHERE rowid IN (SELECT rowid FROM docs "
                   "WHERE docs MATCH ?) GROUP BY section", (match,)).fetchall()
    else:
        db.execute("SELECT meta.section, count(*) FROM temp.m JOIN meta "
                   "ON meta.rowid = m.rowid GROUP BY meta.section").fetchall()
    for kind in ("persons", "orgs", "places"):
        db.execute("SELECT e.name, count(*) AS c FROM temp.m JOIN ents e ON e.rowid = m.rowid "
                   "WHERE e.type = ? GROUP BY e.name ORDER BY c DESC LIMIT 10", (kind,)).fetchall()
    db.execute("SELECT substr(meta.date, 1, 7), count(*) FROM temp.m JOIN meta "
               "ON meta.rowid = m.rowid GROUP BY 1").fetchall()
    return total


def measure(n: int, rounds: int) -> dict:
    corpus = make_corpus(n, OUT / f"corpus-v1-n{n}-s7.jsonl")
    engine = open_engine(our_index(corpus, n))
    db = sqlite3.connect(fts_index(corpus, n, engine))
    times = {"pressearchiv": [], "sqlite-fts5": []}
    totals = {}
    for round_ in range(rounds + 1):  # round 0 warms caches and is not counted
        for q, filters, match, section in QUERIES:
            started = time.perf_counter()
            response = engine.search(SearchRequest(q=q, size=10, **filters))
            ours = (time.perf_counter() - started) * 1000
            started = time.perf_counter()
            total = fts_query(db, match, section)
            theirs = (time.perf_counter() - started) * 1000
            if round_:
                times["pressearchiv"].append(ours)
                times["sqlite-fts5"].append(theirs)
            totals[q + json.dumps(filters)] = (response.total, total)
    return {"times": times, "totals": totals}


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"# Query latency, {time.strftime('%Y-%m-%d %H:%M')}, code {head()}, "
          f"{len(QUERIES)} queries x {args.rounds} rounds\n")
    for n in (int(s) for s in args.sizes.split(",")):
        result = measure(n, args.rounds)
        ours, theirs = result["times"]["pressearchiv"], result["times"]["sqlite-fts5"]
        print(f"## {n:,} articles\n")
        print("| engine | p50 ms | p95 ms | max ms |")
        print("| --- | ---: | ---: | ---: |")
        for name, t in result["times"].items():
            print(f"| {name} | {statistics.median(t):.1f} | {pct(t, 95):.1f} | {max(t):.1f} |")
        print(f"\np50 ratio pressearchiv/FTS5: {statistics.median(ours) / statistics.median(theirs):.2f}; "
              f"p95 ratio: {pct(ours, 95) / pct(theirs, 95):.2f}\n")
        print("hits per query (pressearchiv with stemming and compounds / FTS5 exact words): "
              + ", ".join(f"{q.split('{')[0]} {a}/{b}" for q, (a, b) in
                          list(result["totals"].items())[:12]) + " …\n")


if __name__ == "__main__":
    main()
