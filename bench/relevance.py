"""Relevance benchmark: pressearchiv against SQLite FTS5 and plain whoosh BM25.

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

A third set needs no judge: **passages**, a known-item set made from real text.
Each article of ``../shared/data/10kgnad-test.csv`` (1,028 DER STANDARD articles)
with at least ``MIN_SENTENCES`` sentences is cut at its middle sentence; its second
part is indexed (key ``gnad-<row>``) among the other articles (the shorter ones
whole), and its first part is pasted as a query (op ``or``, syntax ``plain``), in
three ways, each with the article's own second part as the one relevant answer:

- ``passage-lead``: the first two sentences (a teaser);
- ``passage-middle``: the two sentences just before the cut (a paste from the middle);
- ``passage-part``: the whole first part (a pasted paragraph, often over 64 words).

The articles are split by a fixed seed (``PASSAGE_SEED``) into a tuning part
(``PASSAGE_TUNE_SHARE`` of them) and a held-out part; ranking parameters are tuned
on the first only (``bench/tune_passages.py``) and the held-out part is what the
summary reports as ``passages``. The derived articles are written to
``bench/out/relevance/gnad-passages.jsonl`` (outside the repository).

A fourth set is judged: **stories**, pasted teasers whose answers are the *other*
reports of the same story in ``zeitgeist`` (``bench/relevance/stories.jsonl``: query
article url, part, graded relevant urls, the pooled urls). ``STORY_QUERIES`` articles
are drawn with ``STORY_SEED`` (and split into tuning and held-out parts with the same
generator); the query is the article's first sentences (``story_teaser``), op ``or``,
syntax ``plain``; the query's own article (and its exact copies) is never a hit.
``--pool-stories PATH`` writes the pool of every engine's top 10 for judging.

Besides pressearchiv and FTS5, three plain whoosh BM25 engines (``whoosh-de``,
``whoosh-stem``, ``whoosh-std``: one field of title and body, ``BM25F(B=1)``, analysed
with pressearchiv's German analysis without decompounding, whoosh's
``StemmingAnalyzer`` or its ``StandardAnalyzer``) answer every query in the same run.

Measures per query, averaged over the queries: MRR@10 (1/rank of the first
relevant hit), nDCG@10 (gain 2^grade - 1, log2 discount, ideal = the judged
groups sorted by grade) and Recall@10 (relevant groups in the top 10 / all
relevant groups).

    .venv/bin/python bench/relevance.py                 # summary tables
    .venv/bin/python bench/relevance.py --per-query     # and one row per query
    .venv/bin/python bench/relevance.py --rebuild       # build both engines anew
    .venv/bin/python bench/relevance.py --collection corpus --kind compound
    .venv/bin/python bench/relevance.py --check         # exit 1 unless pressearchiv wins
    .venv/bin/python bench/relevance.py --collection passages --part tune   # the tuning part
    .venv/bin/python bench/relevance.py --collection stories --engines pressearchiv,fts5
    .venv/bin/python bench/relevance.py --pool-stories bench/out/relevance/pool.txt

Exit status: 0 done, 1 ``--check`` failed, 2 no queries selected or data missing.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import csv
import math
import os
import random
import re
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
BUILD_VERSION = 2  # bump when build_fts5() or the way the engines are built changes
FTS5_SCHEMA = ('CREATE VIRTUAL TABLE docs USING fts5(key UNINDEXED, title, body, '
               'tokenize="unicode61 remove_diacritics 2")')
ENGINES = ("pressearchiv", "fts5", "whoosh-de", "whoosh-stem", "whoosh-std")
ENGINE_LABELS = {"pressearchiv": "pressearchiv", "fts5": "FTS5", "whoosh-de": "whoosh de",
                 "whoosh-stem": "whoosh stem", "whoosh-std": "whoosh std"}
# Plain whoosh BM25 over one field (title and body), with full length normalisation:
# the baseline that the hidden passage set found best (MRR@10 about 0.67).
WHOOSH_B, WHOOSH_K1 = 1.0, 1.2
KINDS = ("inflection", "compound", "transliteration", "austrian", "name", "topic",
         "known-item")
PASSAGE_KINDS = ("passage-lead", "passage-middle", "passage-part")
STORY_KINDS = ("story",)
STORIES = BENCH / "relevance" / "stories.jsonl"
STORY_SEED = 20261202
STORY_QUERIES = 80
STORY_TUNE_SHARE = 0.3
STORY_MIN_WORDS = 25  # a teaser: sentences from the start until this many words ...
STORY_MAX_SENTENCES = 3  # ... or this many sentences
GNAD = DATA_DIR / "10kgnad-test.csv"
PASSAGE_SOURCE = OUT / "gnad-passages.jsonl"
PASSAGE_SEED = 20261201
PASSAGE_TUNE_SHARE = 0.3
MIN_SENTENCES = 8  # so that the lead and the middle paste do not overlap
PASSAGE_SENTENCES = 2
BOOTSTRAP_SEED, BOOTSTRAP_ROUNDS = 1, 2000

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
    "passages": Collection("passages", PASSAGE_SOURCE, ReadOptions()),
}
JUDGED = ("corpus", "zeitgeist")


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
        for name in ENGINES[2:]:
            build_whoosh(base / name, name, articles)
        done.write_text(json.dumps({"articles": summary.articles,
                                    "seconds": round(time.monotonic() - started, 1),
                                    "git": git("rev-parse", "HEAD")}))
        for old in OUT.glob(f"{collection.name}-*"):  # earlier fingerprints
            if old != base and old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
    else:
        print(f"{collection.name}: cached build {base.name}", file=sys.stderr)
    return index_dir, fts_path, articles


# --- the passage set ----------------------------------------------------------

# A sentence ends at . ! ? (or a closing quote after them) before a capital or an
# opening quote, unless the dot follows a number or a one-letter abbreviation.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'“”»]?\s+(?=[\"„»(]?[A-ZÄÖÜ])")
_NO_END = re.compile(r"(?:\b\d+|\b[A-Za-z]|Dr|Nr|St|Prof|bzw|ca|vgl|Mio|Mrd|Abs|Art)\.$")


def sentences(text: str) -> list[str]:
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if _NO_END.search(text[max(0, m.start() - 8):m.start()]):
            continue
        piece = text[start:m.start() + len(m.group().rstrip())].strip()
        if piece:
            out.append(piece)
        start = m.end()
    if text[start:].strip():
        out.append(text[start:].strip())
    return out


def gnad_rows() -> list[tuple[str, str]]:
    with open(GNAD, encoding="utf-8", newline="") as fh:
        return [(row[0], row[1]) for row in csv.reader(fh, delimiter=";", quotechar="'")
                if len(row) >= 2]


def passage_set() -> tuple[list[dict], list["Query"]]:
    """The derived articles (JSON Lines records) and the queries, deterministic."""
    rows = gnad_rows()
    rng = random.Random(PASSAGE_SEED)
    records, queries = [], []
    for number, (label, text) in enumerate(rows, 1):
        key = f"gnad-{number:04d}"
        parts = sentences(text)
        if len(parts) < MIN_SENTENCES:
            records.append({"id": key, "body": text, "section": label})
            continue
        cut = len(parts) // 2
        first, second = parts[:cut], parts[cut:]
        records.append({"id": key, "body": " ".join(second), "section": label})
        part = "tune" if rng.random() < PASSAGE_TUNE_SHARE else "test"
        pastes = {"passage-lead": first[:PASSAGE_SENTENCES],
                  "passage-middle": first[-PASSAGE_SENTENCES:],
                  "passage-part": first}
        for kind, paste in pastes.items():
            queries.append(Query(f"{key}-{kind.split('-')[1]}", "passages", " ".join(paste),
                                 "or", kind, {key: 2}, syntax="plain", part=part))
    return records, queries


def write_passage_source(records: list[dict]) -> None:
    """Written only when it changes: its mtime is part of the build fingerprint."""
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    if PASSAGE_SOURCE.exists() and PASSAGE_SOURCE.read_text(encoding="utf-8") == data:
        return
    PASSAGE_SOURCE.parent.mkdir(parents=True, exist_ok=True)
    tmp = PASSAGE_SOURCE.with_suffix(".tmp")
    tmp.write_text(data, encoding="utf-8")
    os.replace(tmp, PASSAGE_SOURCE)


# --- the same-story set ------------------------------------------------------

def story_teaser(body: str) -> str:
    """What a researcher pastes of an article: its first sentences (tagesschau.de opens
    with a teaser of two or three), until ``STORY_MIN_WORDS`` words."""
    out, words = [], 0
    for sentence in sentences(body)[:STORY_MAX_SENTENCES]:
        out.append(sentence)
        words += len(sentence.split())
        if words >= STORY_MIN_WORDS:
            break
    return " ".join(out)


def story_selection(articles: dict[str, Article]) -> list[tuple[str, str]]:
    """(url, part) of the query articles, by ``STORY_SEED``: ``STORY_QUERIES`` of the
    zeitgeist articles with a teaser of at least 8 words."""
    rng = random.Random(STORY_SEED)
    keys = sorted(k for k, a in articles.items() if len(story_teaser(a.body).split()) >= 8)
    chosen = rng.sample(keys, STORY_QUERIES)
    return [(k, "tune" if rng.random() < STORY_TUNE_SHARE else "test") for k in chosen]


def story_queries(articles: dict[str, Article], path: Path = STORIES) -> list["Query"]:
    """The judged same-story queries: the query article's teaser, op ``or``, syntax
    ``plain``; relevant are the other articles judged to report the same story or event
    (2: the same event, 1: a direct follow-up or the same story from another side); the
    query's own article is excluded from every engine's hits. The judgments file holds
    urls and grades only; the query text is made from the data at run time."""
    if not path.exists():
        return []
    queries = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            obj = json.loads(line)
            article = articles.get(obj["url"])
            if article is None:
                raise SystemExit(f"{path}: {obj['url']} is not in zeitgeist")
            queries.append(Query(obj["id"], "zeitgeist", story_teaser(article.body), "or",
                                 "story", {k: int(v) for k, v in obj["relevant"].items()},
                                 syntax="plain", part=obj["part"],
                                 exclude=frozenset([obj["url"]])))
    return queries


# --- searching ----------------------------------------------------------------

def fts5_match(query: str, op: str) -> str | None:
    words = [w for w in query.split() if any(ch.isalnum() for ch in w)]
    if not words:
        return None
    quoted = ['"' + w.replace('"', '""') + '"' for w in words]
    return (" OR " if op == "or" else " ").join(quoted)


def best_copies(keys, group_of: dict[str, str], k: int) -> list[str]:
    """The first ``k`` of the ranked ``keys``, one per group of identical texts."""
    seen, out = set(), []
    for key in keys:
        group = group_of[key]
        if group not in seen:
            seen.add(group)
            out.append(key)
            if len(out) == k:
                break
    return out


class Fts5:
    def __init__(self, path: Path, group_of: dict[str, str]):
        self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        self.group_of = group_of

    def search(self, query: str, op: str, k: int = K, syntax: str = "query") -> list[str]:
        match = fts5_match(query, op)
        if match is None:
            return []
        rows = self.db.execute("SELECT key FROM docs WHERE docs MATCH ? ORDER BY bm25(docs)",
                               (match,))
        return best_copies((key for (key,) in rows), self.group_of, k)


class Pressearchiv:
    def __init__(self, index_dir: Path):
        from search import open_engine

        self.engine = open_engine(index_dir)

    def search(self, query: str, op: str, k: int = K, syntax: str = "query") -> list[str]:
        from search.models import SearchRequest

        response = self.engine.search(SearchRequest(q=query, op=op, size=k, facets=False,
                                                     snippets=False, syntax=syntax))
        return [h.id for h in response.hits]


def whoosh_analyzer(name: str):
    """``whoosh-de``: pressearchiv's German analysis without decompounding; ``whoosh-stem``
    and ``whoosh-std``: whoosh's default ``StemmingAnalyzer`` and ``StandardAnalyzer``."""
    from whoosh import analysis

    if name == "whoosh-de":
        from indexer.analysis import GermanAnalyzer

        return GermanAnalyzer(decompound=False)
    return analysis.StemmingAnalyzer() if name == "whoosh-stem" else analysis.StandardAnalyzer()


def build_whoosh(path: Path, name: str, articles: dict[str, Article]) -> None:
    from whoosh import fields, index

    tmp = path.with_suffix(".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    schema = fields.Schema(key=fields.ID(stored=True),
                           content=fields.TEXT(analyzer=whoosh_analyzer(name)))
    ix = index.create_in(str(tmp), schema)
    writer = ix.writer(limitmb=256)
    for a in articles.values():
        writer.add_document(key=a.key, content=f"{a.title}\n{a.body}")
    writer.commit()
    os.replace(tmp, path)


class WhooshPlain:
    """Plain whoosh BM25 (``WHOOSH_B``, ``WHOOSH_K1``) over one field: each analysed query
    word a ``Term``, op ``or`` an ``Or`` of them, ``and`` an ``And`` (as whoosh's
    ``QueryParser`` would make of plain words, without its syntax)."""

    def __init__(self, path: Path, name: str, group_of: dict[str, str]):
        from whoosh import index, scoring

        self.ix = index.open_dir(str(path))
        self.searcher = self.ix.searcher(weighting=scoring.BM25F(B=WHOOSH_B, K1=WHOOSH_K1))
        self.analyzer = whoosh_analyzer(name)
        self.group_of = group_of

    def search(self, query: str, op: str, k: int = K, syntax: str = "query") -> list[str]:
        from whoosh import query as wq

        words = [t.text for t in self.analyzer(query, mode="query")]
        if not words:
            return []
        terms = [wq.Term("content", w) for w in words]
        q = wq.Or(terms) if op == "or" else wq.And(terms)
        hits = self.searcher.search(q, limit=4 * k)  # room for copies of one text
        return best_copies((hit["key"] for hit in hits), self.group_of, k)


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
    syntax: str = "query"
    part: str = ""  # passages and stories: "tune" or "test" (held out)
    exclude: frozenset = frozenset()  # keys that are the query's own article: never a hit


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


def engines_of(results) -> list[str]:
    return [e for e in ENGINES if results and e in results[0][1]]


def summary_header(results) -> list[str]:
    names = engines_of(results)
    extra = ["pa − FTS5"] if "fts5" in names else []
    extra += ["pa − best whoosh"] if any(e.startswith("whoosh") for e in names) else []
    cols = [ENGINE_LABELS[e] for e in names] + extra
    return ["| set | queries | measure | " + " | ".join(cols) + " |",
            "| --- | ---: | --- | " + " | ".join("---:" for _ in cols) + " |"]


def summary_rows(label: str, results: list[tuple[Query, dict[str, Scores]]]) -> list[str]:
    rows, names = [], engines_of(results)
    for measure, attr in (("MRR@10", "mrr"), ("nDCG@10", "ndcg"), ("Recall@10", "recall")):
        values = {e: mean(getattr(r[e], attr) for _, r in results) for e in names}
        a = values.get("pressearchiv")
        top = max(values.values())
        cells = [f"**{fmt(v)}**" if v == top else fmt(v) for v in values.values()]
        if a is not None and "fts5" in values:
            cells.append(f"{a - values['fts5']:+.3f}")
        whooshes = [v for e, v in values.items() if e.startswith("whoosh")]
        if a is not None and whooshes:
            cells.append(f"{a - max(whooshes):+.3f}")
        rows.append(f"| {label} | {len(results)} | {measure} | " + " | ".join(cells) + " |")
    return rows


def wins(results, other: str = "fts5") -> str:
    w = l = t = 0
    for _, r in results:
        a, b = r["pressearchiv"].ndcg, r[other].ndcg
        w, l, t = w + (a > b + 1e-9), l + (b > a + 1e-9), t + (abs(a - b) <= 1e-9)
    return f"{w}/{l}/{t}"


def grade_string(grades: list[int]) -> str:
    """``21..1``: the grade of each hit in rank order; ``-`` for no hits at all."""
    return f"`{''.join(str(g or '.') for g in grades)}`" if grades else "-"


def bootstrap_mrr_difference(results, other: str = "fts5") -> tuple[float, float, float]:
    """Mean MRR@10 difference (pressearchiv − ``other``) and its 95 % percentile bootstrap
    interval, resampling articles (the pastes of one article are not independent)."""
    by_article: dict[str, list[float]] = {}
    for q, r in results:
        article = next(iter(q.exclude)) if q.exclude else next(iter(q.relevant))
        by_article.setdefault(article, []).append(r["pressearchiv"].mrr - r[other].mrr)
    clusters = list(by_article.values())
    rng = random.Random(BOOTSTRAP_SEED)

    def mean_of(sample):
        return sum(sum(c) for c in sample) / sum(len(c) for c in sample)

    means = sorted(mean_of(rng.choices(clusters, k=len(clusters)))
                   for _ in range(BOOTSTRAP_ROUNDS))
    return (mean_of(clusters), means[int(0.025 * BOOTSTRAP_ROUNDS)],
            means[int(0.975 * BOOTSTRAP_ROUNDS) - 1])


def kind_row(label: str, part) -> str:
    names = engines_of(part)
    cells = [fmt(mean(r[e].mrr for _, r in part)) for e in names]
    cells += [fmt(mean(r[e].recall for _, r in part)) for e in names]
    return (f"| {label} | {len(part)} | " + " | ".join(cells) + " | "
            + (wins(part) if "fts5" in names and "pressearchiv" in names else "") + " |")


def set_label(q: Query) -> str:
    """The row a query counts in: its set, a tuning part apart from its held-out part."""
    name = "stories" if q.kind == "story" else q.collection
    return f"{name} (tune)" if q.part == "tune" else name


SET_ROWS = (("passages", "passages held out"), ("passages (tune)", "passages (tune)"),
            ("stories", "stories held out"), ("stories (tune)", "stories (tune)"))


def report(results: list[tuple[Query, dict[str, Scores]]], per_query: bool,
           meta: dict) -> str:
    lines = [f"Relevance, {meta['date']}, git {meta['git']}; {meta['counts']}.", ""]
    lines += summary_header(results)
    judged = [x for x in results if x[0].collection in JUDGED and x[0].kind in KINDS]
    for name in JUDGED:
        part = [x for x in judged if x[0].collection == name]
        if part:
            lines += summary_rows(name, part)
    if judged:
        lines += summary_rows("judged (all)", judged)
    for label, shown in SET_ROWS:
        part = [x for x in results if set_label(x[0]) == label]
        if part:
            lines += summary_rows(shown, part)
    names = engines_of(results)
    for label, shown in (("passages", "Passages held out"), ("stories", "Stories held out")):
        held_out = [x for x in results if set_label(x[0]) == label]
        others = [e for e in names if e != "pressearchiv"]
        if not held_out or "pressearchiv" not in names:
            continue
        lines.append("")
        for other in others:
            diff, lo, hi = bootstrap_mrr_difference(held_out, other)
            lines.append(f"{shown}, MRR@10 pressearchiv − {ENGINE_LABELS[other]}: {diff:+.3f} "
                         f"(95 % bootstrap interval {lo:+.3f} to {hi:+.3f}; "
                         f"{BOOTSTRAP_ROUNDS} resamples of the query articles).")
    cols = [f"{ENGINE_LABELS[e]} MRR" for e in names] + [f"{ENGINE_LABELS[e]} R@10"
                                                        for e in names]
    lines += ["", "By kind of query (MRR@10 and Recall@10; pressearchiv's nDCG@10 "
              "wins/losses/ties against FTS5; passages and stories: the held-out part):", "",
              "| kind | queries | " + " | ".join(cols) + " | w/l/t |",
              "| --- | ---: | " + " | ".join("---:" for _ in cols) + " | --- |"]
    for kind in KINDS + PASSAGE_KINDS + STORY_KINDS:
        part = [x for x in results if x[0].kind == kind and x[0].part != "tune"]
        if part:
            lines.append(kind_row(kind, part))
    if per_query and {"pressearchiv", "fts5"} <= set(names):
        lines += ["", "Per query (grades of the top 10: 2 highly relevant, 1 relevant, "
                  ". not judged relevant, - no match; the passage set is left out):", "",
                  "| id | coll. | kind | op | query | rel. | pa MRR | pa nDCG | pa R@10 | "
                  "FTS5 MRR | FTS5 nDCG | FTS5 R@10 | pa top 10 | FTS5 top 10 |",
                  "| --- | --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: "
                  "| ---: | --- | --- |"]
        for q, r in judged + [x for x in results if x[0].kind == "story"]:
            pa, ft = r["pressearchiv"], r["fts5"]
            text = q.query if q.kind != "story" else f"(teaser of {q.id})"
            lines.append(
                f"| {q.id} | {q.collection[:4]} | {q.kind} | {q.op} | {text} | "
                f"{len(q.relevant)} | {fmt(pa.mrr)} | {fmt(pa.ndcg)} | {fmt(pa.recall)} | "
                f"{fmt(ft.mrr)} | {fmt(ft.ndcg)} | {fmt(ft.recall)} | "
                f"{grade_string(pa.grades)} | {grade_string(ft.grades)} |")
    return "\n".join(lines)


def select_queries(args) -> list[Query] | None:
    """The queries asked for; None when data is missing."""
    queries = []
    wanted = args.collection or [*COLLECTIONS, "stories"]
    if any(c in wanted for c in JUDGED):
        queries = [q for q in load_judgments(args.judgments) if q.collection in wanted]
    if "passages" in wanted:
        if not GNAD.exists():
            print(f"missing data: {GNAD} (the shared data sits beside the repository)",
                  file=sys.stderr)
            return None
        records, passages = passage_set()
        write_passage_source(records)
        queries += passages
    if "stories" in wanted:
        zeitgeist = COLLECTIONS["zeitgeist"]
        if not zeitgeist.source.exists():
            print(f"missing data: {zeitgeist.source}", file=sys.stderr)
            return None
        queries += story_queries(read_articles(zeitgeist))
    if args.part:
        queries = [q for q in queries if q.part in ("", args.part)]
    if args.kind:
        queries = [q for q in queries if q.kind in args.kind]
    return queries


def open_engines(queries: list[Query], rebuild: bool):
    """Per collection needed: the two engines, the duplicate groups, a count line."""
    engines, groups, counts = {}, {}, []
    for c in COLLECTIONS.values():
        if not any(q.collection == c.name for q in queries):
            continue
        if not c.source.exists():
            print(f"missing data: {c.source} (the shared data sits beside the repository)",
                  file=sys.stderr)
            return None
        index_dir, fts_path, articles = prepare(c, rebuild)
        group_of = {key: a.text_hash for key, a in articles.items()}
        groups[c.name] = group_of
        engines[c.name] = {"pressearchiv": Pressearchiv(index_dir),
                           "fts5": Fts5(fts_path, group_of),
                           **{name: WhooshPlain(fts_path.parent / name, name, group_of)
                              for name in ENGINES[2:]}}
        counts.append(f"{c.name}: {len(articles)} articles, {len(set(group_of.values()))} "
                      f"distinct texts")
    return engines, groups, counts


def search_excluding(engine, q: Query, group_of: dict[str, str]) -> list[str]:
    """The engine's top K for ``q`` without the query's own article (and its copies)."""
    if not q.exclude:
        return engine.search(q.query, q.op, syntax=q.syntax)
    own = {group_of[key] for key in q.exclude}
    hits = engine.search(q.query, q.op, k=K + 1, syntax=q.syntax)
    return [h for h in hits if group_of.get(h, h) not in own][:K]


def run_queries(queries: list[Query], engines, groups,
                which=ENGINES) -> list[tuple[Query, dict[str, Scores]]]:
    results = []
    for q in queries:
        if not q.relevant:
            continue  # a story nothing else in the collection reports: no measure
        group_of = groups[q.collection]
        grades = group_grades(q, group_of)
        r = {name: score(search_excluding(engines[q.collection][name], q, group_of),
                         grades, group_of)
             for name in which}
        results.append((q, r))
    return results


def pool_stories(engines, groups, articles: dict[str, Article], path: Path) -> None:
    """For judging: each selected query article's teaser and the union of every engine's
    top 10 (its own article excluded), written to ``path`` (outside the repository);
    the urls of each pool go to ``STORIES`` with no grades yet (those already in the
    file keep theirs)."""
    old = {}
    if STORIES.exists():
        old = {json.loads(line)["url"]: json.loads(line) for line in
               STORIES.read_text(encoding="utf-8").splitlines() if line.strip()}
    group_of = groups["zeitgeist"]
    records, lines = [], []
    for number, (url, part) in enumerate(story_selection(articles), 1):
        qid = f"s{number:02d}"
        q = Query(qid, "zeitgeist", story_teaser(articles[url].body), "or", "story", {},
                  syntax="plain", part=part, exclude=frozenset([url]))
        pool: dict[str, list[str]] = {}
        for name, engine in engines["zeitgeist"].items():
            for rank, key in enumerate(search_excluding(engine, q, group_of), 1):
                pool.setdefault(key, []).append(f"{name}:{rank}")
        a = articles[url]
        lines += [f"## {qid} {a.date} {url}", f"TITLE {a.title}", f"QUERY {q.query}", ""]
        for key, where in pool.items():
            c = articles[key]
            lines.append(f"  {key} | {c.date} | {c.title} | {c.body[:220]}")
        lines.append("")
        previous = old.get(url, {})
        records.append({"id": qid, "url": url, "part": part,
                        "relevant": previous.get("relevant", {}), "pooled": list(pool)})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    STORIES.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                       encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--judgments", type=Path, default=JUDGMENTS)
    ap.add_argument("--rebuild", action="store_true", help="build the engines anew")
    ap.add_argument("--per-query", action="store_true", help="add a table with one row per query")
    ap.add_argument("--collection", choices=[*COLLECTIONS, "stories"], action="append",
                    help="only this set (repeatable)")
    ap.add_argument("--kind", choices=KINDS + PASSAGE_KINDS + STORY_KINDS, action="append",
                    help="only this kind (repeatable)")
    ap.add_argument("--part", choices=("tune", "test"),
                    help="passages and stories: only the tuning or only the held-out part")
    ap.add_argument("--engines", default=",".join(ENGINES),
                    help="comma-separated subset of " + ",".join(ENGINES))
    ap.add_argument("--json", type=Path, help="also write every query's hits and scores here")
    ap.add_argument("--pool-stories", type=Path, metavar="PATH",
                    help="write the story queries' pooled hits to PATH for judging (and "
                         "their urls to bench/relevance/stories.jsonl), then stop")
    ap.add_argument("--check", action="store_true",
                    help="exit 1 unless pressearchiv beats FTS5 on every measure, per set "
                         "and overall")
    args = ap.parse_args(argv)
    which = tuple(e for e in ENGINES if e in args.engines.split(","))

    if args.pool_stories:
        zeitgeist = COLLECTIONS["zeitgeist"]
        probe = [Query("pool", "zeitgeist", "", "or", "story", {})]
        engines, groups, _ = open_engines(probe, args.rebuild)
        pool_stories(engines, groups, read_articles(zeitgeist), args.pool_stories)
        return 0
    queries = select_queries(args)
    if queries is None:
        return 2
    if not queries:
        print("no queries selected", file=sys.stderr)
        return 2
    opened = open_engines(queries, args.rebuild)
    if opened is None:
        return 2
    engines, groups, counts = opened
    results = run_queries(queries, engines, groups, which)
    unjudged = sum(1 for q in queries if not q.relevant)
    if unjudged:
        counts.append(f"{unjudged} story queries without another report of their story "
                      "left out")

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = " (working tree modified)" if git("status", "--porcelain", "--", "indexer",
                                              "search") else ""
    meta = {"date": date.today().isoformat(), "git": head + dirty, "counts": "; ".join(counts)}
    print(report(results, args.per_query, meta))
    if args.json:
        args.json.write_text(json.dumps([
            {"id": q.id, "query": q.query if q.kind != "story" else "", "collection":
             q.collection, "kind": q.kind, "op": q.op, "part": q.part,
             **{e: {"mrr": r[e].mrr, "ndcg": r[e].ndcg, "recall": r[e].recall,
                    "hits": r[e].hits, "grades": r[e].grades} for e in which}}
            for q, r in results], ensure_ascii=False, indent=1))
    if args.check and {"pressearchiv", "fts5"} <= set(which):
        failed = []
        for name in [*JUDGED, "judged", "passages", "stories"]:
            if name == "judged":
                part = [x for x in results if x[0].collection in JUDGED and x[0].kind in KINDS]
            else:
                part = [x for x in results if set_label(x[0]) == name]
            if not part:
                continue
            for attr in ("mrr", "ndcg", "recall"):
                a, b = (mean(getattr(r[e], attr) for _, r in part) for e in ("pressearchiv", "fts5"))
                if not a > b:
                    failed.append(f"{name} {attr}: {a:.3f} <= {b:.3f}")
        if failed:
            print("pressearchiv does not beat FTS5: " + "; ".join(failed), file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
