"""Turning source files into articles: native text, JSON Lines and CSV.

Every reader yields ``Article`` and ``Problem`` objects in file order and
never raises for bad input: a broken record becomes a ``Problem`` naming
file, line and reason, and reading goes on with the next one.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from indexer.article import NATIVE_FIELDS, Article, Problem

FORMATS = {".txt": "text", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}


@dataclass(frozen=True)
class ReadOptions:
    """How to read sources that are not in native form."""

    field_map: dict[str, str] = field(default_factory=dict)  # native name -> source name
    csv_delimiter: str = ","
    csv_quotechar: str = '"'
    csv_columns: tuple[str, ...] | None = None  # for headerless CSV; "-" skips a column
    format: str | None = None  # force one format for every file

    def source_name(self, native: str) -> str:
        return self.field_map.get(native, native)


def parse_field_map(specs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``["body=content", "date=gathered_date"]`` -> ``{"body": "content", ...}``."""
    mapping: dict[str, str] = {}
    for spec in specs:
        native, sep, source = spec.partition("=")
        native, source = native.strip(), source.strip()
        if not sep or not native or not source:
            raise ValueError(f"--field {spec!r}: expected NATIVE=SOURCE, e.g. body=content")
        if native not in NATIVE_FIELDS:
            raise ValueError(f"--field {spec!r}: {native!r} is not a native field "
                             f"({', '.join(NATIVE_FIELDS)})")
        mapping[native] = source
    return mapping


def source_files(paths: list[str]) -> Iterator[Path | Problem]:
    """The files named, and the readable files below each folder named, sorted."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*")
                           if p.is_file() and p.suffix.lower() in FORMATS
                           and not any(part.startswith(".") for part in p.relative_to(path).parts)
                           and p.name.lower() != "readme.txt")
            yield from found
        elif path.exists():
            yield path
        else:
            yield Problem(str(path), None, "no such file or folder")


def read_file(path: Path, options: ReadOptions) -> Iterator[Article | Problem]:
    from indexer.readers import csvfile, jsonl, native

    origin = os.path.abspath(path)
    kind = options.format or FORMATS.get(path.suffix.lower())
    if kind is None:
        yield Problem(origin, None, f"unknown file type {path.suffix!r}: "
                      "use .txt, .jsonl or .csv, or --format")
        return
    reader = {"text": native.read_native, "jsonl": jsonl.read_jsonl, "csv": csvfile.read_csv}[kind]
    try:
        yield from reader(path, origin, options)
    except OSError as exc:
        yield Problem(origin, None, f"cannot read file: {exc.strerror or exc}")


def read_sources(paths: list[str], options: ReadOptions) -> Iterator[Article | Problem]:
    for item in source_files(paths):
        if isinstance(item, Problem):
            yield item
        else:
            yield from read_file(item, options)
