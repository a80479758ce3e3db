"""The index folder: generations, the atomic swap, the writer lock.

    DIR/
      current -> generations/20241114T101500-1a2b   (symlink, swapped atomically)
      generations/<name>/      a complete whoosh index + meta.json
      generations/<name>.tmp/  a rebuild in progress (removed if found stale)
      write.lock               held (lockf) by the one indexer at work

Readers only ever open what ``current`` points to. A rebuild writes a new
generation beside it and swaps the link with one ``rename``; an update
writes into the current generation, where whoosh's own commit (a new TOC
file renamed into place) is what makes it atomic. So a process killed at
any moment leaves the previous index complete.
"""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from indexer.fields import SCHEMA_VERSION

META = "meta.json"
KEEP_OLD_GENERATIONS = 1  # a searcher may still be reading the one before
_HELD_IN_PROCESS: set[str] = set()  # index folders this process is writing
_IN_PROCESS_GUARD = threading.Lock()


class IndexStoreError(Exception):
    """Raised for index folders that cannot be used as asked; the message says why."""


class IndexLocked(IndexStoreError):
    pass


class SchemaMismatch(IndexStoreError):
    pass


def default_index_dir() -> str:
    return os.environ.get("PRESSEARCHIV_INDEX", "var/index")


class IndexStore:
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        self.generations = self.root / "generations"
        self.current_link = self.root / "current"

    # reading -----------------------------------------------------------------
    def current(self) -> Path | None:
        """The folder of the served generation, or None if there is none yet."""
        try:
            target = os.readlink(self.current_link)
        except (FileNotFoundError, NotADirectoryError):
            return None
        path = (self.root / target).resolve()
        return path if path.is_dir() else None

    def read_meta(self, generation: Path | None = None) -> dict:
        generation = generation or self.current()
        if generation is None:
            raise IndexStoreError(f"no index at {self.root}: build one with "
                              f"'pressearchiv index SOURCES --index {self.root}'")
        try:
            return json.loads((generation / META).read_text())
        except (OSError, ValueError) as exc:
            raise IndexStoreError(f"{generation} has no readable {META}: rebuild needed") from exc

    def check_schema(self, meta: dict) -> None:
        found = meta.get("schema_version")
        if found != SCHEMA_VERSION:
            raise SchemaMismatch(
                f"index at {self.root} has schema version {found}, this pressearchiv "
                f"reads version {SCHEMA_VERSION}: rebuild needed "
                f"(pressearchiv index SOURCES --rebuild --index {self.root})")

    # writing -----------------------------------------------------------------
    @contextmanager
    def lock(self):
        """Hold the writer lock; a second indexer gets ``IndexLocked`` at once.

        A POSIX record lock, not flock: forked analysis workers must not
        inherit it, or a killed indexer's orphans would keep it held. POSIX
        record locks belong to a process, so a second indexer in the same
        process (another thread) would be granted the lock again: a lock per
        folder in this process stops it first.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        with _IN_PROCESS_GUARD:
            key = os.path.realpath(self.root)
            if key in _HELD_IN_PROCESS:
                raise IndexLocked(f"index {self.root} is being written by this process "
                                  f"(pid {os.getpid()}); wait for it to finish")
            _HELD_IN_PROCESS.add(key)
        try:
            with self._process_lock():
                yield self
        finally:
            with _IN_PROCESS_GUARD:
                _HELD_IN_PROCESS.discard(key)

    @contextmanager
    def _process_lock(self):
        fh = open(self.root / "write.lock", "a+")
        try:
            fcntl.lockf(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            fh.close()
            raise IndexLocked(f"index {self.root} is being written by {holder}; "
                              "wait for it to finish") from None
        try:
            fh.seek(0)
            fh.truncate()
            fh.write(f"pid {os.getpid()} since {time.strftime('%Y-%m-%d %H:%M:%S')}")
            fh.flush()
            self.clean_stale()
            yield self
        finally:
            fh.seek(0)
            fh.truncate()
            fcntl.lockf(fh, fcntl.LOCK_UN)
            fh.close()

    def clean_stale(self) -> None:
        """Remove what a killed rebuild left behind and generations no one serves."""
        if not self.generations.is_dir():
            return
        current = self.current()
        done = sorted((p for p in self.generations.iterdir() if not p.name.endswith(".tmp")),
                      key=lambda p: p.name)
        old = [p for p in done if p != current]
        for path in self.generations.iterdir():
            if path.name.endswith(".tmp"):
                shutil.rmtree(path, ignore_errors=True)
        for path in old[: max(0, len(old) - KEEP_OLD_GENERATIONS)]:
            shutil.rmtree(path, ignore_errors=True)
        for stray in self.root.glob("current.*.tmp"):
            stray.unlink(missing_ok=True)

    def new_generation(self) -> Path:
        self.generations.mkdir(parents=True, exist_ok=True)
        name = time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}-{time.time_ns() % 10**6:06d}"
        path = self.generations / f"{name}.tmp"
        path.mkdir()
        return path

    def write_meta(self, generation: Path, meta: dict) -> None:
        tmp = generation / (META + ".tmp")
        with open(tmp, "w") as fh:
            json.dump(meta, fh, indent=2)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, generation / META)

    def sync(self, generation: Path) -> None:
        """Flush a generation's files and folder to disk (a power loss after this
        keeps what was committed; files not changed since are flushed already)."""
        _fsync_tree(generation)

    def publish(self, building: Path) -> Path:
        """Make a finished generation the served one, atomically."""
        final = building.with_name(building.name.removesuffix(".tmp"))
        _fsync_tree(building)
        os.rename(building, final)
        link_tmp = self.root / f"current.{os.getpid()}.tmp"
        link_tmp.unlink(missing_ok=True)
        os.symlink(os.path.relpath(final, self.root), link_tmp)
        os.replace(link_tmp, self.current_link)
        _fsync_dir(self.root)
        self.clean_stale()
        return final


def open_index(path: str | os.PathLike):
    """A whoosh index opened without mmap.

    whoosh 2.7 "maps" a file by copying it into memory, so every reader of a
    100,000-article index held half a gigabyte; plain reads cost nothing up front.
    """
    from whoosh.filedb.filestore import FileStorage

    return FileStorage(os.fspath(path), supports_mmap=False).open_index()


def _fsync_tree(path: Path) -> None:
    for child in path.iterdir():
        if child.is_file():
            with open(child, "rb") as fh:
                os.fsync(fh.fileno())
    _fsync_dir(path)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
