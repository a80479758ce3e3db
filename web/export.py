"""Exports of every matching article as CSV or JSON Lines, for the API and the CLI.

Rows stream as text chunks; a failure part-way propagates, so that whoever sends the
chunks can make the export look broken rather than complete. CSV cells that a
spreadsheet would run as a formula are neutralised (OWASP, "CSV Injection").
"""
from __future__ import annotations

import csv
import io
import json
import threading
from collections.abc import Callable, Iterable, Iterator

from indexer.entity_fields import ENTITY_FIELDS

# the API's columns; the CLI adds score and duplicates (CLI_EXPORT_FIELDS)
EXPORT_FIELDS = ("id", "title", "date", "section", "url", "source", "lang",
                 *(f.plural for f in ENTITY_FIELDS), "body")
CLI_EXPORT_FIELDS = EXPORT_FIELDS[:7] + ("score", "duplicates") + EXPORT_FIELDS[7:]
LIST_SEPARATOR = "; "
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_ROWS, CHUNK_CHARS = 50, 65536


def spreadsheet_safe(cell: str) -> str:
    """A cell a spreadsheet shows as text: one that starts like a formula (``=HYPERLINK(…)``,
    ``-2+3``, ``@SUM``, a tab or carriage return) gets a leading single quote."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = LIST_SEPARATOR.join(str(v) for v in value)
    return spreadsheet_safe(str(value))


def csv_lines(rows: Iterable[dict], fields: tuple[str, ...] = EXPORT_FIELDS) -> Iterator[str]:
    """The header, then the rows, in chunks of some rows (a slow consumer sees progress)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(fields)
    for n, row in enumerate(rows):
        writer.writerow([_cell(row.get(name)) for name in fields])
        if n % CHUNK_ROWS == 0 or buffer.tell() > CHUNK_CHARS:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def jsonl_lines(rows: Iterable[dict], fields: tuple[str, ...] = EXPORT_FIELDS) -> Iterator[str]:
    for row in rows:
        yield json.dumps({name: row.get(name) for name in fields}, ensure_ascii=False) + "\n"


LINES = {"csv": csv_lines, "jsonl": jsonl_lines}


class ExportSlots:
    """At most ``limit`` exports at once: each holds a server thread for as long as the
    client reads, and reads every stored document it sends."""

    def __init__(self, limit: int):
        self._free = threading.BoundedSemaphore(limit)

    def take(self) -> Callable[[], None] | None:
        """A slot's release function (safe to call more than once), or None if all are taken."""
        if not self._free.acquire(blocking=False):
            return None
        once = threading.Lock()

        def release() -> None:
            if once.acquire(blocking=False):
                self._free.release()
        return release
