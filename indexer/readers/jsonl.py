"""JSON Lines: one article object per line, native or mapped field names."""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from indexer.article import NATIVE_FIELDS, Article, Problem, make_article


def field_values(record: dict, options, origin: str, line: int) -> tuple[dict, Problem | None]:
    """Native field values of one record; a problem if a field has the wrong type."""
    values: dict[str, str | None] = {}
    for native in NATIVE_FIELDS:
        name = options.source_name(native)
        value = record.get(name)
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:  # JSON can escape half a UTF-16 pair
                return values, Problem(origin, line, f"field {name!r} holds an unpaired "
                                       f"surrogate (\\u{ord(value[exc.start]):04x} at character "
                                       f"{exc.start + 1}), which is not text", native)
            values[native] = value
        elif value is None:
            values[native] = value
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            values[native] = str(value)
        else:
            return values, Problem(origin, line, f"field {name!r} must be a string, "
                                   f"not {type(value).__name__}", native)
    return values, None


def read_jsonl(path: Path, origin: str, options) -> Iterator[Article | Problem]:
    with open(path, "rb") as fh:
        for number, raw in enumerate(fh, 1):
            try:
                text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                yield Problem(origin, number, f"not valid UTF-8 (column {exc.start + 1})")
                continue
            if not text.strip():
                continue
            try:
                record = json.loads(text)
            except json.JSONDecodeError as exc:
                yield Problem(origin, number, f"invalid JSON: {exc.msg} (column {exc.colno})")
                continue
            if not isinstance(record, dict):
                yield Problem(origin, number, f"expected a JSON object, got {type(record).__name__}")
                continue
            values, problem = field_values(record, options, origin, number)
            if problem:
                yield problem
                continue
            article, problems = make_article(values, origin=origin, line=number)
            yield from problems
            if article is not None:
                yield article
