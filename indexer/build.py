"""``pressearchiv index``: read sources, analyse in parallel, write, publish.

Incremental by default: articles whose content hash is already indexed are
skipped, changed ones replaced, new ones added. ``rebuild`` writes a whole
new generation and swaps it in. ``prune`` removes articles whose source
file is gone, or whose file was read again without them.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index

from indexer.article import Article, Problem
from indexer.dates import now_iso
from indexer.documents import to_document, warm_up
from indexer.fields import CODEC, SCHEMA_VERSION, make_schema
from indexer.readers import ReadOptions, read_sources
from indexer.segment import SegmentBuilder
from indexer.store import IndexStore, IndexStoreError, open_index

PARALLEL_FROM = 400  # below this, starting workers costs more than it saves


class BuildAborted(IndexStoreError):
    """``strict`` found problems; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the sources; index not touched (--strict)")


@dataclass
class BuildSummary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    warnings: int = 0
    pruned: int = 0
    superseded: int = 0  # the same key twice in the sources: the later record wins
    seconds: float = 0.0
    articles: int = 0  # in the index afterwards
    rebuilt: bool = False
    generation: str = ""
    problems: list[Problem] = field(default_factory=list)

    def to_dict(self) -> dict:
        data = {k: v for k, v in self.__dict__.items() if k != "problems"}
        data["seconds"] = round(self.seconds, 2)
        return data


@dataclass
class SourceScan:
    articles: dict[str, Article]
    problems: list[Problem]
    files_read: set[str]  # files read to the end, for pruning
    superseded: int


def scan_sources(sources: list[str], options: ReadOptions) -> SourceScan:
    articles: dict[str, Article] = {}
    problems: list[Problem] = []
    files_read: set[str] = set()
    superseded = 0
    for item in read_sources(sources, options):
        if isinstance(item, Problem):
            problems.append(item)
            continue
        if item.key in articles:
            superseded += 1
            del articles[item.key]  # keep file order: the later record takes its place
        articles[item.key] = item
        files_read.add(item.origin)
    broken = {p.file for p in problems if p.line is None or "rest of file" in p.reason}
    return SourceScan(articles, problems, files_read - broken, superseded)


def _existing(ix) -> dict[str, tuple[str, str]]:
    """key -> (content hash, origin) of every live document."""
    with ix.searcher() as searcher:
        reader = searcher.reader()
        if reader.doc_count() == 0:
            return {}
        ids, hashes, origins = (reader.column_reader(n) for n in ("id", "hash", "origin"))
        return {ids[d]: (hashes[d], origins[d]) for d in reader.all_doc_ids()}


def _die_with_parent() -> None:
    """Workers of a killed indexer stop at once instead of finishing its work."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


# Set before the workers fork, so they read the articles without pickling.
_WORK: list[Article] = []
_DONE = None  # a shared counter of documents written, for the progress display
_ENRICH = True


def _write_segment(args: tuple[str, int, int]):
    """In a worker: analyse a slice of the articles and write it as one segment."""
    path, start, stop = args
    # The postings grow to millions of objects that are never garbage; the
    # collector's full passes over them cost more than the analysis at 100,000
    # articles. A worker lives for one slice, so it goes without.
    gc.disable()
    # Temp files go to the index's shared temp folder, which the parent's
    # writer removes when it commits.
    builder = SegmentBuilder(open_index(path))
    for n, article in enumerate(_WORK[start:stop], 1):
        builder.add_document(**to_document(article, _ENRICH))
        if n % 50 == 0:
            with _DONE.get_lock():
                _DONE.value += 50
    segment = builder.finish()
    with _DONE.get_lock():
        _DONE.value += (stop - start) % 50
    return segment


def _parallel_segments(path: str, articles: list[Article], jobs: int, on_progress,
                       enrich: bool = True):
    """Segments written by ``jobs`` worker processes, one slice of articles each.

    Workers analyse *and* write: the parent only links their segments into
    the index, so sorting postings (most of whoosh's commit) runs in parallel too.
    """
    global _WORK, _DONE, _ENRICH
    warm_up()  # load once before forking: the workers share its pages
    ctx = multiprocessing.get_context("fork")
    _WORK, _DONE, _ENRICH = articles, ctx.Value("q", 0), enrich
    slices = [(path, start, stop) for start, stop in _balanced_slices(articles, jobs)]
    try:
        with ctx.Pool(len(slices), initializer=_die_with_parent) as pool:
            result = pool.map_async(_write_segment, slices)
            while not result.ready():
                result.wait(0.5)
                if on_progress:
                    on_progress(_DONE.value, len(articles))
            return result.get()
    finally:
        _WORK, _DONE = [], None


def _balanced_slices(articles: list[Article], parts: int) -> list[tuple[int, int]]:
    """``parts`` consecutive slices of about equal text length, none empty.

    A worker's time follows the words it reads, not the number of articles:
    equal counts of articles of uneven length leave one CPU idle at the end.
    """
    total = sum(len(a.title) + len(a.body) for a in articles)
    bounds, done, start = [], 0, 0
    for i, article in enumerate(articles):
        done += len(article.title) + len(article.body)
        if len(bounds) < parts - 1 and done * parts >= total * (len(bounds) + 1):
            bounds.append((start, i + 1))
            start = i + 1
    if start < len(articles):
        bounds.append((start, len(articles)))
    return bounds


def _commit_with(writer, segments) -> None:
    """``SegmentWriter.commit`` with finished segments added.

    The writer itself only deletes (updates, prune); new documents come as
    segments from ``SegmentBuilder``s, in workers or in this process. whoosh's
    own MpWriter links segments the same way; its version pickles every
    document through temp files, which costs more than the analysis it
    parallelises.
    """
    final = writer._merge_segments(None, None, None)
    if writer._added:
        final.append(writer._finalize_segment())
    else:
        writer._close_segment()
    writer._commit_toc(final + list(segments))
    writer._finish()


def build_index(sources: list[str], index_dir: str | os.PathLike, *,
                options: ReadOptions | None = None, rebuild: bool = False,
                prune: bool = False, strict: bool = False, jobs: int | None = None,
                enrich: bool = True,
                on_progress: Callable[[int, int], None] | None = None) -> BuildSummary:
    started = time.monotonic()
    options = options or ReadOptions()
    jobs = jobs or os.cpu_count() or 1
    scan = scan_sources(sources, options)
    summary = BuildSummary(superseded=scan.superseded, problems=scan.problems)
    summary.rejected = sum(p.severity == "reject" for p in scan.problems)
    summary.warnings = sum(p.severity == "warning" for p in scan.problems)
    if strict and scan.problems:
        raise BuildAborted(scan.problems)

    store = IndexStore(index_dir)
    with store.lock():
        current = store.current()
        summary.rebuilt = rebuild or current is None
        if summary.rebuilt:
            target = store.new_generation()
            ix = whoosh_index.create_in(str(target), make_schema())
            existing: dict[str, tuple[str, str]] = {}
            meta = {"schema_version": SCHEMA_VERSION, "created": now_iso()}
        else:
            target = current
            meta = store.read_meta(current)
            store.check_schema(meta)
            ix = open_index(target)
            existing = _existing(ix)

        todo: list[Article] = []
        replace: list[str] = []
        for key, article in scan.articles.items():
            old = existing.get(key)
            if old is None:
                summary.added += 1
            elif old[0] == article.content_hash:
                summary.unchanged += 1
                continue
            else:
                summary.updated += 1
                replace.append(key)
            todo.append(article)
        gone: list[str] = []
        if prune and not summary.rebuilt:
            gone = [key for key, (_, origin) in existing.items()
                    if key not in scan.articles
                    and (origin in scan.files_read or not Path(origin).exists())]
        summary.pruned = len(gone)

        if todo or gone or summary.rebuilt:
            writer = ix.writer(codec=CODEC)
            try:
                for key in replace + gone:
                    writer.delete_by_term("id", key)
                if jobs > 1 and len(todo) >= PARALLEL_FROM:
                    segments = _parallel_segments(str(target), todo, jobs, on_progress, enrich)
                elif todo:
                    builder = SegmentBuilder(ix)
                    for done, article in enumerate(todo, 1):
                        builder.add_document(**to_document(article, enrich))
                        if on_progress:
                            on_progress(done, len(todo))
                    segments = [builder.finish()]
                else:
                    segments = []
                if on_progress and todo:
                    on_progress(len(todo), len(todo))
                _commit_with(writer, segments)
            except BaseException:
                writer.cancel()
                raise
        # from the table of contents: opening a reader just to count costs memory
        summary.articles = sum(s.doc_count() for s in open_index(target)._segments())
        summary.seconds = time.monotonic() - started
        meta.update(updated=now_iso(), articles=summary.articles,
                    last_build={"seconds": round(summary.seconds, 2), "rebuild": summary.rebuilt,
                                "added": summary.added, "updated": summary.updated,
                                "pruned": summary.pruned})
        store.write_meta(target, meta)
        if summary.rebuilt:
            target = store.publish(target)
        summary.generation = target.name
    return summary
