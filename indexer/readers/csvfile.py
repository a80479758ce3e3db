"""CSV: a header row naming the fields, or ``--csv-columns`` for files without one."""
from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from pathlib import Path

from indexer.article import Article, Problem, make_article
from indexer.readers.jsonl import field_values

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


class _Lines:
    """Decodes a binary file line by line, remembering which lines were not UTF-8.

    A bad byte spoils one record, not the whole file.
    """

    def __init__(self, fh):
        self.fh = fh
        self.number = 0
        self.bad: set[int] = set()

    def __iter__(self):
        for raw in self.fh:
            self.number += 1
            try:
                yield raw.decode("utf-8-sig" if self.number == 1 else "utf-8")
            except UnicodeDecodeError:
                self.bad.add(self.number)
                yield raw.decode("utf-8", errors="replace")


def read_csv(path: Path, origin: str, options) -> Iterator[Article | Problem]:
    with open(path, "rb") as fh:
        lines = _Lines(fh)
        reader = csv.reader(lines, delimiter=options.csv_delimiter,
                            quotechar=options.csv_quotechar, strict=False)
        columns = list(options.csv_columns) if options.csv_columns else None
        last_line = 0
        try:
            for row in reader:
                first, last_line = last_line + 1, reader.line_num
                if columns is None:
                    columns = [c.strip() for c in row]
                    continue
                if not row or all(not c.strip() for c in row):
                    continue
                if any(n in lines.bad for n in range(first, last_line + 1)):
                    yield Problem(origin, first, "not valid UTF-8")
                    continue
                if len(row) != len(columns):
                    yield Problem(origin, first, f"expected {len(columns)} columns, "
                                  f"found {len(row)}")
                    continue
                record = {name: value for name, value in zip(columns, row) if name != "-"}
                values, problem = field_values(record, options, origin, first)
                if problem:
                    yield problem
                    continue
                article, problems = make_article(values, origin=origin, line=first)
                yield from problems
                if article is not None:
                    yield article
        except csv.Error as exc:
            yield Problem(origin, last_line + 1, f"unreadable CSV ({exc}): rest of file skipped")
