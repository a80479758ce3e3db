"""``pressearchiv index``: read sources, analyse in parallel, write, publish.

Incremental by default: articles whose content hash is already indexed are
skipped, changed ones replaced, new ones added. ``rebuild`` writes a whole
new generation and swaps it in. ``prune`` removes articles whose source
file is gone, or whose file was read again without them.

Memory is bounded by settings, not by the archive: sources are read as a
stream and handed to worker processes in batches through a bounded queue;
each worker writes a segment whenever it holds ``segment_docs`` documents
and starts the next. What the parent keeps per article is its key's hash
and a sequence number. What an update needs of the index already written
(keys, content hashes, sources) comes from the segments' doc values, so
an update's work follows the change, not the archive.
"""
from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import queue
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index

from indexer import docvalues, whoosh_compat
from indexer.article import Article, Problem
from indexer.dates import now_iso
from indexer.documents import to_document, warm_up
from indexer.fields import CODEC, SCHEMA_VERSION, make_schema
from indexer.merge import merge_policy, merge_segments
from indexer.readers import ReadOptions, read_sources
from indexer.segment import SegmentBuilder
from indexer.store import IndexStore, IndexStoreError, open_index

log = logging.getLogger(__name__)
PARALLEL_FROM = 400  # below this, starting workers costs more than it saves
SEGMENT_DOCS = 40_000  # documents per segment: a worker's memory follows this
BATCH = 200  # articles per message to a worker
QUEUED_BATCHES = 4  # per worker: what the reader may run ahead of the workers


class BuildAborted(IndexStoreError):
    """``strict`` found problems; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the sources; index not touched (--strict)")


class BuildFailed(IndexStoreError):
    """A build worker died; nothing was published."""


class PruneRefused(IndexStoreError):
    """``prune`` with sources that are missing or hold nothing: an unmounted disk
    or a moved folder must not empty the index."""


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
    segments: int = 0  # in the index afterwards
    merged: int = 0  # segments merged into one after an update
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
    """All articles of the sources in memory (tests and benchmarks; builds stream)."""
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


# -- what the index holds already ---------------------------------------------

@dataclass
class IndexedDocs:
    """Key hash, content hash and source of every live document, sorted by key hash."""

    keys: np.ndarray  # uint64, sorted
    docnums: np.ndarray
    hashes: np.ndarray
    origins: np.ndarray  # codes into origin_labels
    origin_labels: list[str]

    @classmethod
    def empty(cls) -> IndexedDocs:
        none = np.zeros(0, dtype=np.uint64)
        return cls(none, np.zeros(0, dtype=np.int64), none, np.zeros(0, dtype=np.int64), [])

    @classmethod
    def of(cls, ix) -> IndexedDocs:
        keys, docnums, hashes, origins, labels = [], [], [], [], {}
        base = 0
        for segment in whoosh_compat.segments(ix):
            dv = load_docvalues(ix, segment)
            n = segment.doc_count_all()
            live = np.ones(n, dtype=bool)
            live[whoosh_compat.deleted_docs(segment)] = False
            remap = np.array([labels.setdefault(o, len(labels)) for o in dv.labels["origin"]]
                             + [-1], dtype=np.int64)
            keys.append(dv["key"][live])
            docnums.append(np.nonzero(live)[0] + base)
            hashes.append(dv["hash"][live])
            origins.append(remap[dv["origin"][live]])
            base += n
        if not keys:
            return cls.empty()
        all_keys = np.concatenate(keys)
        order = np.argsort(all_keys, kind="stable")
        return cls(all_keys[order], np.concatenate(docnums)[order],
                   np.concatenate(hashes)[order], np.concatenate(origins)[order], list(labels))

    def find(self, key: int) -> int:
        """Position of a key hash in the arrays, or -1."""
        i = int(np.searchsorted(self.keys, np.uint64(key)))
        return i if i < len(self.keys) and int(self.keys[i]) == key else -1


def load_docvalues(ix, segment) -> docvalues.DocValues:
    """A segment's doc values, written from its columns first if it has none, and
    rewritten once with the columns added since (``docvalues.LATER``) if it lacks them."""
    from whoosh.reading import SegmentReader

    path = docvalues.segment_path(ix.storage, segment)
    if not os.path.exists(path):
        reader = SegmentReader(ix.storage, ix.schema, segment)
        try:
            docvalues.from_reader(reader).write(path)
        finally:
            reader.close()
    dv = docvalues.read_file(path)
    if any(name not in dv.arrays for name in docvalues.LATER):
        reader = SegmentReader(ix.storage, ix.schema, segment)
        try:
            dv = docvalues.complete(dv, reader)
        finally:
            reader.close()
        docvalues.write_file(path, {k: np.asarray(v) for k, v in dv.arrays.items()},
                             dv.labels)
        dv = docvalues.read_file(path)
    return dv


# -- writing segments ----------------------------------------------------------

class SegmentSink:
    """Analyses articles and writes them as segments of at most ``segment_docs``.

    ``add`` takes an article with its sequence number; ``finish`` returns
    ``(segment, sequence numbers of its documents)`` for every segment.
    """

    def __init__(self, ix, enrich: bool, segment_docs: int, on_segment=None):
        self.ix = ix
        self.enrich = enrich
        self.segment_docs = segment_docs
        self.on_segment = on_segment
        self.builder: SegmentBuilder | None = None
        self.seqs: list[int] = []
        self.written: list[tuple] = []

    def add(self, seq: int, article: Article) -> None:
        if self.builder is None:
            self.builder = SegmentBuilder(self.ix)
        self.builder.add_document(**to_document(article, self.enrich))
        self.seqs.append(seq)
        if self.builder.doc_count >= self.segment_docs:
            self.flush()

    def flush(self) -> None:
        if self.builder is None or not self.builder.doc_count:
            return
        item = (self.builder.finish(), np.array(self.seqs, dtype=np.int64))
        self.builder, self.seqs = None, []
        gc.collect()  # the builder's postings are gone: give their memory back now
        if self.on_segment:
            self.on_segment(item)
        else:
            self.written.append(item)

    def finish(self) -> list[tuple]:
        self.flush()
        return self.written


def _die_with_parent() -> None:
    """Workers of a killed indexer stop at once instead of finishing its work."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _worker(path: str, enrich: bool, segment_docs: int, inbox, outbox, done) -> None:
    """A build worker: batches in, finished segments out, ``None`` when done."""
    _die_with_parent()
    # The postings are millions of objects that are never garbage; the
    # collector's full passes over them cost more than the analysis. The
    # sink collects once per segment instead.
    gc.disable()
    sink = SegmentSink(open_index(path), enrich, segment_docs, on_segment=outbox.put)
    while True:
        batch = inbox.get()
        if batch is None:
            break
        for seq, article in batch:
            sink.add(seq, article)
        with done.get_lock():
            done.value += len(batch)
    sink.finish()
    outbox.put(None)


class WorkerPool:
    """``jobs`` processes behind a bounded queue, each writing its own segments."""

    def __init__(self, path: str, jobs: int, enrich: bool, segment_docs: int):
        warm_up()  # load once before forking: the workers share its pages
        ctx = multiprocessing.get_context("fork")
        self.inbox = ctx.Queue(maxsize=jobs * QUEUED_BATCHES)
        self.outbox = ctx.Queue()
        self.done = ctx.Value("q", 0)
        self.batch: list = []
        self.written: list[tuple] = []
        self.finished = 0
        self.procs = [ctx.Process(target=_worker, daemon=True,
                                  args=(path, enrich, segment_docs, self.inbox, self.outbox,
                                        self.done)) for _ in range(jobs)]
        for proc in self.procs:
            proc.start()

    def add(self, seq: int, article: Article) -> None:
        self.batch.append((seq, article))
        if len(self.batch) >= BATCH:
            self._send(self.batch)
            self.batch = []

    def _send(self, item) -> None:
        while True:
            try:
                self.inbox.put(item, timeout=0.5)
                return
            except queue.Full:
                self._collect(block=False)

    def _collect(self, block: bool) -> None:
        try:
            while True:
                item = self.outbox.get(timeout=0.5) if block else self.outbox.get_nowait()
                if item is None:
                    self.finished += 1
                else:
                    self.written.append(item)
                if block:
                    return
        except queue.Empty:
            dead = [p.exitcode for p in self.procs if p.exitcode not in (None, 0)]
            if dead:
                self.close()
                raise BuildFailed(f"a build worker died (exit code {dead[0]}); "
                                  "nothing was published") from None

    def finish(self, on_progress=None, total: int = 0) -> list[tuple]:
        if self.batch:
            self._send(self.batch)
            self.batch = []
        for _ in self.procs:
            self._send(None)
        while self.finished < len(self.procs):
            self._collect(block=True)
            if on_progress:
                on_progress(self.done.value, total)
        for proc in self.procs:
            proc.join()
        return self.written

    def close(self) -> None:
        for proc in self.procs:
            if proc.is_alive():
                proc.kill()
        for proc in self.procs:
            proc.join()


# -- the build -----------------------------------------------------------------

@dataclass
class _Plan:
    """What one run decides per article, kept small: one entry per key hash."""

    latest: dict[int, int] = field(default_factory=dict)  # key hash -> seq (-1 unchanged)
    replaced: dict[int, int] = field(default_factory=dict)  # key hash -> docnum to delete
    superseded_seqs: list[int] = field(default_factory=list)
    files_read: set[str] = field(default_factory=set)
    broken_files: set[str] = field(default_factory=set)


def _stream(sources: list[str], options: ReadOptions,
            problems: list[Problem], plan: _Plan) -> Iterator[Article]:
    for item in read_sources(sources, options):
        if isinstance(item, Problem):
            problems.append(item)
            # A file not read to the end, or with a rejected record, prunes nothing:
            # the rejected record's indexed version stays until it is read again.
            if item.line is None or "rest of file" in item.reason or item.severity == "reject":
                plan.broken_files.add(item.file)
            continue
        plan.files_read.add(item.origin)
        yield item


def build_index(sources: list[str], index_dir: str | os.PathLike, *,
                options: ReadOptions | None = None, rebuild: bool = False,
                prune: bool = False, strict: bool = False, jobs: int | None = None,
                enrich: bool = True, segment_docs: int = SEGMENT_DOCS, force: bool = False,
                dry_run: bool = False,
                on_progress: Callable[[int, int | None], None] | None = None) -> BuildSummary:
    """Index ``sources``; ``on_progress(done, total)`` gets ``total`` None until
    the sources have been read to the end. ``dry_run`` counts what would be
    added, updated, pruned and rejected, and writes nothing."""
    started = time.monotonic()
    if prune and not force:
        missing = [s for s in sources if not os.path.exists(s)]
        if missing:
            raise PruneRefused(f"--prune: source {missing[0]} does not exist (an unmounted disk "
                               "or a moved folder?); nothing was pruned. --force prunes anyway")
    options = options or ReadOptions()
    jobs = jobs or os.cpu_count() or 1
    problems: list[Problem] = []
    summary = BuildSummary(problems=problems)
    if strict:  # a first pass for problems only: nothing may be written if there are any
        found = [p for p in read_sources(sources, options)
                 if isinstance(p, Problem) and p.severity != "note"]
        if found:
            raise BuildAborted(found)

    store = IndexStore(index_dir)
    with store.lock():
        current = store.current()
        summary.rebuilt = rebuild or current is None
        if summary.rebuilt:
            target = None if dry_run else store.new_generation()
            ix = None if dry_run else whoosh_index.create_in(str(target), make_schema())
            meta = {"schema_version": SCHEMA_VERSION, "created": now_iso()}
        else:
            target = current
            meta = store.read_meta(current)
            store.check_schema(meta)
            ix = open_index(target)
        indexed = IndexedDocs.of(ix) if ix is not None else IndexedDocs.empty()
        plan = _Plan()
        sink = None
        seq = 0
        try:
            for article in _stream(sources, options, problems, plan):
                key = docvalues.key_hash(article.key)
                earlier = plan.latest.get(key)
                if earlier is not None:  # the later record wins
                    summary.superseded += 1
                    _forget(plan, summary, key, earlier)
                at = indexed.find(key)
                if at >= 0 and int(indexed.hashes[at]) == docvalues.hex_hash(article.content_hash):
                    summary.unchanged += 1
                    plan.latest[key] = -1
                    continue
                if at >= 0:
                    summary.updated += 1
                    plan.replaced[key] = int(indexed.docnums[at])
                else:
                    summary.added += 1
                plan.latest[key] = seq
                if dry_run:
                    seq += 1
                    continue
                if sink is None:
                    sink = _open_sink(ix, str(target), jobs, enrich, segment_docs,
                                      parallel=jobs > 1)
                sink.add(seq, article)
                seq += 1
                if on_progress and seq % BATCH == 0:
                    on_progress(_done(sink, seq), None)
            written = []
            if sink is not None:
                written = (sink.finish(on_progress, seq) if isinstance(sink, _LazyPool)
                           else sink.finish())
            if on_progress and seq:
                on_progress(seq, seq)
        except BaseException:
            if isinstance(sink, _LazyPool):
                sink.close()
            raise

        summary.rejected = sum(p.severity == "reject" for p in problems)
        summary.warnings = sum(p.severity == "warning" for p in problems)
        gone = _pruned(indexed, plan) if prune and not summary.rebuilt else np.zeros(0, np.int64)
        summary.pruned = len(gone)
        if prune and not force and not plan.latest and len(gone):
            raise PruneRefused(f"--prune: the sources ({', '.join(sources)}) hold no articles; "
                               f"pruning would remove {len(gone)}. Nothing was changed. "
                               "--force prunes anyway")
        if dry_run:
            summary.articles = len(indexed.keys) + summary.added - summary.pruned
            summary.seconds = time.monotonic() - started
            return summary
        deletions = sorted(set(plan.replaced.values()) | set(gone.tolist()))
        if written or deletions or summary.rebuilt:
            _commit(ix, written, deletions, plan.superseded_seqs)
            store.sync(target)  # durable before it is served (or before meta says so)
        if not summary.rebuilt:
            try:
                summary.merged = merge_if_needed(open_index(target), segment_docs)
            except Exception:  # the update is committed; a merge can wait for the next run
                log.exception("merging segments of %s failed; the update stands", target)
        summary.segments = len(whoosh_compat.segments(open_index(target)))
        # from the table of contents: opening a reader just to count costs memory
        summary.articles = sum(s.doc_count() for s in whoosh_compat.segments(open_index(target)))
        summary.seconds = time.monotonic() - started
        meta.update(updated=now_iso(), articles=summary.articles,
                    revision=int(meta.get("revision", 0)) + 1,
                    last_build={"seconds": round(summary.seconds, 2), "rebuild": summary.rebuilt,
                                "added": summary.added, "updated": summary.updated,
                                "pruned": summary.pruned})
        store.write_meta(target, meta)
        if summary.rebuilt:
            target = store.publish(target)
        summary.generation = target.name
    return summary


def _open_sink(ix, path: str, jobs: int, enrich: bool, segment_docs: int, parallel: bool):
    """Where analysed articles go: worker processes once there are enough of them
    (``_LazyPool``), this process with one job."""
    if parallel:
        return _LazyPool(ix, path, jobs, enrich, segment_docs)
    return SegmentSink(ix, enrich, segment_docs)


class _LazyPool:
    """In this process for the first ``PARALLEL_FROM`` articles; workers once there are more.

    A daily update of a few hundred articles is not worth forking for; the
    articles seen before the switch are handed to the workers with the rest.
    """

    def __init__(self, ix, path, jobs, enrich, segment_docs):
        self.args = (path, jobs, enrich, segment_docs)
        self.ix, self.enrich, self.segment_docs = ix, enrich, segment_docs
        self.pending: list[tuple[int, Article]] = []
        self.pool: WorkerPool | None = None

    def add(self, seq: int, article: Article) -> None:
        if self.pool is not None:
            self.pool.add(seq, article)
            return
        self.pending.append((seq, article))
        if len(self.pending) >= PARALLEL_FROM:
            self.pool = WorkerPool(*self.args)
            for item in self.pending:
                self.pool.add(*item)
            self.pending = []

    @property
    def done(self):
        return self.pool.done.value if self.pool else 0

    def finish(self, on_progress=None, total: int = 0) -> list[tuple]:
        if self.pool is not None:
            return self.pool.finish(on_progress, total)
        sink = SegmentSink(self.ix, self.enrich, self.segment_docs)
        for seq, article in self.pending:
            sink.add(seq, article)
        return sink.finish()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()



def _done(sink, seq: int) -> int:
    return sink.done if isinstance(sink, _LazyPool) else seq


def _forget(plan: _Plan, summary: BuildSummary, key: int, earlier: int) -> None:
    """Undo what an earlier record of the same key decided."""
    if earlier == -1:
        summary.unchanged -= 1
    elif key in plan.replaced:
        summary.updated -= 1
        plan.superseded_seqs.append(earlier)
        del plan.replaced[key]
    else:
        summary.added -= 1
        plan.superseded_seqs.append(earlier)


def _pruned(indexed: IndexedDocs, plan: _Plan) -> np.ndarray:
    """Docnums of documents whose file was read again without them, or is gone."""
    if not len(indexed.keys):
        return np.zeros(0, dtype=np.int64)
    read = plan.files_read - plan.broken_files
    stale_origin = np.array([label in read or not Path(label).exists()
                             for label in indexed.origin_labels] + [False])
    candidates = stale_origin[indexed.origins]
    seen = np.fromiter(plan.latest.keys(), dtype=np.uint64, count=len(plan.latest))
    candidates &= ~np.isin(indexed.keys, seen)
    return indexed.docnums[candidates]


def merge_if_needed(ix, segment_docs: int = SEGMENT_DOCS) -> int:
    """Merge what ``merge_policy`` picks, in one more commit; the number merged."""
    chosen = merge_policy(whoosh_compat.segments(ix), segment_docs)
    if not chosen:
        return 0
    merged = merge_segments(ix, chosen)
    writer = ix.writer(codec=CODEC)
    try:
        whoosh_compat.replace_segments(writer, {s.segment_id() for s in chosen}, [merged])
    except BaseException:
        writer.cancel()
        raise
    return len(chosen)


def _commit(ix, written: list[tuple], deletions: list[int], superseded: list[int]) -> None:
    """Delete by document number, drop superseded records of this run, link the
    new segments in, one commit."""
    segments = [segment for segment, _ in written]
    if superseded:
        drop = np.array(sorted(superseded), dtype=np.int64)
        for segment, seqs in written:
            for local in np.nonzero(np.isin(seqs, drop))[0].tolist():
                segment.delete_document(int(local))
    writer = ix.writer(codec=CODEC)
    try:
        for docnum in deletions:
            writer.delete_document(docnum)
        whoosh_compat.commit_segments(writer, segments)
    except BaseException:
        writer.cancel()
        raise
