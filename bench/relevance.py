"""Relevance benchmark: pressearchiv against SQLite FTS5 on judged queries.

The queries and their judged articles are in ``bench/relevance/judgments.jsonl``
(one JSON object per line: ``id``, ``collection``, ``query``, ``op``, ``kind``,
``relevant`` = {article key: 2 highly relevant | 1 relevant}). Two collections:

- ``corpus``: the 90 sample articles of ``corpus/`` (key = the hex part of the
  file name);
- ``zeitgeist``: ``../shared/data/zeitgeist-news.jsonl`` read with the field
  mapping ``body=content date=gathered_date section=category`` (key = ``url``).

For each collection the script builds, in one run of the working tree's code,

- a pressearchiv index (``indexer.build.build_index``), searched with
  ``search.open_engine(...).search(SearchRequest(q, op, size=10, ...))``;
- an SQLite FTS5 database of the same articles as the readers give them
  (``fts5(key UNINDEXED, title, body, tokenize="unicode61 remove_diacritics 2")``),
  ranked by ``bm25(docs)``; every query word quoted as an FTS5 string, joined by
  space (op ``and``: implicit AND) or by ``OR`` (op ``or``).

Both are cached under ``bench/out/relevance/<collection>-<fingerprint>/``; the
fingerprint covers every file of ``indexer/`` (analysis, decompounding, gazetteer,
readers, schema), the size and mtime of each source file and the FTS5 schema, so
that a change of any of them builds afresh (``--rebuild`` forces it). ``search/``
is not part of it: query-time code is always the working tree's.

Exact duplicates (same title and body) are one hit in both engines: pressearchiv
collapses them itself, the FTS5 side keeps the best-ranked copy of each text.
A hit is judged through its duplicate group: its grade is the highest grade of
any judged article with the same text, and a group counts once for recall and
for the ideal ranking.

Measures per query, averaged over the queries: MRR@10 (1/rank of the first
relevant hit), nDCG@10 (gain 2^grade - 1, log2 discount, ideal = the judged
groups sorted by grade) and Recall@10 (relevant groups in the top 10 / all
relevant groups).

    .venv/bin/python bench/relevance.py                 # summary tables
    .venv/bin/python bench/relevance.py --per-query     # and one row per query
    .venv/bin/python bench/relevance.py --rebuild       # build both engines anew
    .venv/bin/python bench/relevance.py --collection corpus --kind compound
    .venv/bin/python bench/relevance.py --check         # exit 1 unless pressearchiv wins

Exit status: 0 done, 1 ``--check`` failed, 2 no queries selected or data missing.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out" / "relevance"
JUDGMENTS = BENCH / "relevance" / "judgments.jsonl"
DATA_DIR = ROOT.parent / "shared" / "data"
K = 10
BUILD_VERSION = 1  # bump when build_fts5() or the way the engines are built changes
FTS5_SCHEMA = ('CREATE VIRTUAL TABLE docs USING fts5(key UNINDEXED, title, body, '
               'tokenize="unicode61 remove_diacritics 2")')
ENGINES = ("pressearchiv", "fts5")
KINDS = ("inflection", "compound", "transliteration", "austrian", "name", "topic",
         "known-item")

sys.path.insert(0, str(ROOT))  # the working tree, ahead of any installed copy

from indexer.article import Article  # noqa: E402
from indexer.build import build_index, scan_sources  # noqa: E402
from indexer.readers import ReadOptions, parse_field_map  # noqa: E402


@dataclass
class Collection:
    name: str
    source: Path
    options: ReadOptions


COLLECTIONS = {
    "corpus": Collection("corpus", ROOT / "corpus", ReadOptions()),
    "zeitgeist": Collection(
        "zeitgeist", DATA_DIR / "zeitgeist-news.jsonl",
        ReadOptions(field_map=parse_field_map(["body=content", "date=gathered_date",
                                               "section=category"]))),
}


# --- building -----------------------------------------------------------------

def git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def fingerprint(collection: Collection) -> str:
    """Of the indexing code and the source files: a change of either rebuilds."""
    h = hashlib.sha256()
    for path in sorted((ROOT / "indexer").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(ROOT)).encode())
            h.update(path.read_bytes())
    sources = sorted(collection.source.rglob("*")) if collection.source.is_dir() \
        else [collection.source]
    for path in sources:
        if path.is_file():
            st = path.stat()
            h.update(f"{path.name}:{st.st_size}:{st.st_mtime_ns}".encode())
    h.update(f"{BUILD_VERSION}:{FTS5_SCHEMA}".encode())
    return h.hexdigest()[:16]


def read_articles(collection: Collection) -> dict[str, Article]:
    """The articles as pressearchiv's readers give them: key -> article, the last
    record of a repeated key winning, as in the index."""
    scan = scan_sources([str(collection.source)], collection.options)
    rejects = [p for p in scan.problems if p.severity == "reject"]
    if rejects:
        print(f"{collection.name}: {len(rejects)} records rejected by the reader",
              file=sys.stderr)
    return scan.articles


def build_fts5(path: Path, articles: dict[str, Article]) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    with db:
        db.execute(FTS5_SCHEMA)
        db.executemany("INSERT INTO docs(key, title, body) VALUES (?, ?, ?)",
                       ((a.key, a.title, a.body) for a in articles.values()))
    db.close()
    os.replace(tmp, path)


def prepare(collection: Collection, rebuild: bool) -> tuple[Path, Path, dict[str, Article]]:
    """(pressearchiv index dir, FTS5 database, articles), built unless cached."""
    articles = read_articles(collection)
    base = OUT / f"{collection.name}-{fingerprint(collection)}"
    index_dir, fts_path, done = base / "pressearchiv", base / "fts5.sqlite", base / "done"
    if rebuild or not done.exists():
        if base.exists():
            shutil.rmtree(base)
        base.mkdir(parents=True)
        print(f"building {collection.name}: {len(articles)} articles ...", file=sys.stderr)
        started = time.monotonic()
        summary = build_index([str(collection.source)], index_dir,
                              options=collection.options, rebuild=True)
        build_fts5(fts_path, articles)
        done.write_text(json.dumps({"articles": summary.articles,
                                    "seconds": round(time.monotonic() - started, 1),
                                    "git": git("rev-parse", "HEAD")}))
        for old in OUT.glob(f"{collection.name}-*"):  # earlier fingerprints
            if old != base and old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
    else:
        print(f"{collection.name}: cached build {base.name}", file=sys.stderr)
    return index_dir, fts_path, articles


# --- searching ----------------------------------------------------------------

def fts5_match(query: str, op: str) -> str | None:
    words = [w for w in query.split() if any(ch.isalnum() for ch in w)]
    if not words:
        return None
    quoted = ['"' + w.replace('"', '""') + '"' for w in words]
    return (" OR " if op == "or" else " ").join(quoted)


class Fts5:
    def __init__(self, path: Path, group_of: dict[str, str]):
        self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        self.group_of = group_of

    def search(self, query: str, op: str, k: int = K) -> list[str]:
        match = fts5_match(query, op)
        if match is None:
            return []
        seen, out = set(), []
        rows = self.db.execute("SELECT key FROM docs WHERE docs MATCH ? ORDER BY bm25(docs)",
                               (match,))
        for (key,) in rows:  # one hit per group of identical texts, its best copy
            group = self.group_of[key]
            if group not in seen:
                seen.add(group)
                out.append(key)
                if len(out) == k:
                    break
        return out


class Pressearchiv:
    def __init__(self, index_dir: Path):
        from search import open_engine

        self.engine = open_engine(index_dir)

    def search(self, query: str, op: str, k: int = K) -> list[str]:
        from search.models import SearchRequest

        response = self.engine.search(SearchRequest(q=query, op=op, size=k, facets=False,
                                                     snippets=False))
        return [h.id for h in response.hits]


# --- measuring ----------------------------------------------------------------

@dataclass
class Query:
    id: str
    collection: str
    query: str
    op: str
    kind: str
    relevant: dict[str, int]
    note: str = ""


@dataclass
class Scores:
    mrr: float
    ndcg: float
    recall: float
    hits: list[str] = field(default_factory=list)
    grades: list[int] = field(default_factory=list)


def load_judgments(path: Path) -> list[Query]:
    queries, seen = [], set()
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            obj = json.loads(line)
            q = Query(obj["id"], obj["collection"], obj["query"], obj["op"], obj["kind"],
                      {k: int(v) for k, v in obj["relevant"].items()}, obj.get("note", ""))
            problems = []
            if q.id in seen:
                problems.append("duplicate id")
            if q.collection not in COLLECTIONS:
                problems.append(f"unknown collection {q.collection!r}")
            if q.op not in ("and", "or"):
                problems.append(f"op {q.op!r}")
            if q.kind not in KINDS:
                problems.append(f"kind {q.kind!r}")
            if not q.relevant or any(g not in (1, 2) for g in q.relevant.values()):
                problems.append("relevant must map keys to 1 or 2")
            if problems:
                raise SystemExit(f"{path}:{number}: {', '.join(problems)}")
            seen.add(q.id)
            queries.append(q)
    return queries


def group_grades(q: Query, group_of: dict[str, str]) -> dict[str, int]:
    """Relevance per duplicate group: the best grade of its judged members."""
    grades: dict[str, int] = {}
    for key, grade in q.relevant.items():
        if key not in group_of:
            raise SystemExit(f"{q.id}: judged key {key!r} is not in {q.collection}")
        g = group_of[key]
        grades[g] = max(grades.get(g, 0), grade)
    return grades


def score(hits: list[str], grades: dict[str, int], group_of: dict[str, str]) -> Scores:
    got = [grades.get(group_of.get(h, h), 0) for h in hits[:K]]
    mrr = next((1 / (i + 1) for i, g in enumerate(got) if g > 0), 0.0)
    dcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(got))
    ideal = sorted(grades.values(), reverse=True)[:K]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    found = {group_of.get(h, h) for h, g in zip(hits[:K], got) if g > 0}
    return Scores(mrr, dcg / idcg if idcg else 0.0, len(found) / len(grades), hits, got)


def mean(values) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def fmt(x: float) -> str:
    return f"{x:.3f}"


def summary_rows(label: str, results: list[tuple[Query, dict[str, Scores]]]) -> list[str]:
    rows = []
    for measure, attr in (("MRR@10", "mrr"), ("nDCG@10", "ndcg"), ("Recall@10", "recall")):
        a = mean(getattr(r["pressearchiv"], attr) for _, r in results)
        b = mean(getattr(r["fts5"], attr) for _, r in results)
        mark = "**" if a > b else ""
        rows.append(f"| {label} | {len(results)} | {measure} | {mark}{fmt(a)}{mark} | {fmt(b)} "
                    f"| {a - b:+.3f} |")
    return rows


def wins(results) -> str:
    w = l = t = 0
    for _, r in results:
        a, b = r["pressearchiv"].ndcg, r["fts5"].ndcg
        w, l, t = w + (a > b + 1e-9), l + (b > a + 1e-9), t + (abs(a - b) <= 1e-9)
    return f"{w}/{l}/{t}"


def grade_string(grades: list[int]) -> str:
    """``21..1``: the grade of each hit in rank order; ``-`` for no hits at all."""
    return f"`{''.join(str(g or '.') for g in grades)}`" if grades else "-"


def report(results: list[tuple[Query, dict[str, Scores]]], per_query: bool,
           meta: dict) -> str:
    lines = [f"Relevance, {meta['date']}, git {meta['git']}; {meta['counts']}.", ""]
    lines += ["| collection | queries | measure | pressearchiv | FTS5 | difference |",
              "| --- | ---: | --- | ---: | ---: | ---: |"]
    for name in COLLECTIONS:
        part = [x for x in results if x[0].collection == name]
        if part:
            lines += summary_rows(name, part)
    lines += summary_rows("all", results)
    lines += ["", "By kind of query (nDCG@10; pressearchiv wins/losses/ties against FTS5):", "",
              "| kind | queries | pressearchiv MRR | FTS5 MRR | pressearchiv nDCG | FTS5 nDCG "
              "| pressearchiv R@10 | FTS5 R@10 | w/l/t |",
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for kind in KINDS:
        part = [x for x in results if x[0].kind == kind]
        if not part:
            continue
        cells = []
        for attr in ("mrr", "ndcg", "recall"):
            cells += [fmt(mean(getattr(r[e], attr) for _, r in part)) for e in ENGINES]
        lines.append(f"| {kind} | {len(part)} | " + " | ".join(cells) + f" | {wins(part)} |")
    if per_query:
        lines += ["", "Per query (grades of the top 10: 2 highly relevant, 1 relevant, "
                  ". not judged relevant, - no match):", "",
                  "| id | coll. | kind | op | query | rel. | pa MRR | pa nDCG | pa R@10 | "
                  "FTS5 MRR | FTS5 nDCG | FTS5 R@10 | pa top 10 | FTS5 top 10 |",
                  "| --- | --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: "
                  "| ---: | --- | --- |"]
        for q, r in results:
            pa, ft = r["pressearchiv"], r["fts5"]
            lines.append(
                f"| {q.id} | {q.collection[:4]} | {q.kind} | {q.op} | {q.query} | "
                f"{len(q.relevant)} | {fmt(pa.mrr)} | {fmt(pa.ndcg)} | {fmt(pa.recall)} | "
                f"{fmt(ft.mrr)} | {fmt(ft.ndcg)} | {fmt(ft.recall)} | "
                f"{grade_string(pa.grades)} | {grade_string(ft.grades)} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--judgments", type=Path, default=JUDGMENTS)
    ap.add_argument("--rebuild", action="store_true", help="build both engines anew")
    ap.add_argument("--per-query", action="store_true", help="add a table with one row per query")
    ap.add_argument("--collection", choices=list(COLLECTIONS), action="append",
                    help="only this collection (repeatable)")
    ap.add_argument("--kind", choices=KINDS, action="append", help="only this kind (repeatable)")
    ap.add_argument("--json", type=Path, help="also write every query's hits and scores here")
    ap.add_argument("--check", action="store_true",
                    help="exit 1 unless pressearchiv beats FTS5 on every measure, per collection "
                         "and overall")
    args = ap.parse_args(argv)

    queries = load_judgments(args.judgments)
    if args.collection:
        queries = [q for q in queries if q.collection in args.collection]
    if args.kind:
        queries = [q for q in queries if q.kind in args.kind]
    if not queries:
        print("no queries selected", file=sys.stderr)
        return 2
    needed = [c for c in COLLECTIONS.values() if any(q.collection == c.name for q in queries)]
    for c in needed:
        if not c.source.exists():
            print(f"missing data: {c.source} (the shared data sits beside the repository)",
                  file=sys.stderr)
            return 2

    engines, groups, counts = {}, {}, []
    for c in needed:
        index_dir, fts_path, articles = prepare(c, args.rebuild)
        group_of = {key: a.text_hash for key, a in articles.items()}
        groups[c.name] = group_of
        engines[c.name] = {"pressearchiv": Pressearchiv(index_dir),
                           "fts5": Fts5(fts_path, group_of)}
        counts.append(f"{c.name}: {len(articles)} articles, {len(set(group_of.values()))} "
                      f"distinct texts")

    results = []
    for q in queries:
        group_of = groups[q.collection]
        grades = group_grades(q, group_of)
        r = {name: score(engines[q.collection][name].search(q.query, q.op), grades, group_of)
             for name in ENGINES}
        results.append((q, r))

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = " (working tree modified)" if git("status", "--porcelain", "--", "indexer",
                                              "search") else ""
    meta = {"date": date.today().isoformat(), "git": head + dirty, "counts": "; ".join(counts)}
    print(report(results, args.per_query, meta))
    if args.json:
        args.json.write_text(json.dumps([
            {"id": q.id, "query": q.query, "collection": q.collection, "kind": q.kind,
             "op": q.op, **{e: {"mrr": r[e].mrr, "ndcg": r[e].ndcg, "recall": r[e].recall,
                                "hits": r[e].hits, "grades": r[e].grades} for e in ENGINES}}
            for q, r in results], ensure_ascii=False, indent=1))
    if args.check:
        failed = []
        for name in [c.name for c in needed] + ["all"]:
            part = [x for x in results if name in ("all", x[0].collection)]
            for attr in ("mrr", "ndcg", "recall"):
                a, b = (mean(getattr(r[e], attr) for _, r in part) for e in ENGINES)
                if not a > b:
                    failed.append(f"{name} {attr}: {a:.3f} <= {b:.3f}")
        if failed:
            print("pressearchiv does not beat FTS5: " + "; ".join(failed), file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
