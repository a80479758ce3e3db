"""JSON Lines: one article object per line, native or mapped field names."""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from indexer.article import NATIVE_FIELDS, Article, Problem, make_article

# Names other tools give the native fields, to point at --field when a file uses them
# (not mapped silently: which of several date fields is meant is the archivist's call).
OTHER_NAMES = {
    "title": ("headline", "heading"),
    "body": ("content", "text", "article", "fulltext", "full_text", "article_text",
             "maintext", "article_body"),
    "date": ("published_date", "published", "pubDate", "pub_date", "date_published",
             "publish_date", "publication_date", "datePublished", "gathered_date",
             "created_at", "datetime"),
    "section": ("category", "ressort", "rubrik", "department"),
    "lang": ("language",),
}


def unmapped_hints(record: dict, options, origin: str, line: int) -> list[Problem]:
    """A note (advice, not a problem of a record: ``--strict`` does not stop for it) for
    each native field the record lacks under its name while it has a field another tool
    would call so (``content`` for ``body``)."""
    hints = []
    for native, others in OTHER_NAMES.items():
        if native in options.field_map or options.source_name(native) in record:
            continue
        present = [name for name in others if name in record]
        if not present:
            continue
        # the first one with a value to suggest ("None" is how some exports write nothing)
        filled = [name for name in present
                  if str(record[name]).strip() not in ("", "None", "null", "NaN")]
        suggest = (filled or present)[0]
        also = [repr(name) for name in present if name != suggest]
        hints.append(Problem(
            origin, line, f"no field {native!r}; the file has {suggest!r}"
            + (f" (and {', '.join(also)})" if also else "")
            + f": to index it as the {native}, add --field {native}={suggest} "
            "(said once per file)", native, "note"))
    return hints


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
    hinted = False
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
            if not hinted:  # the first object says how the file names its fields
                hinted = True
                yield from unmapped_hints(record, options, origin, number)
            values, problem = field_values(record, options, origin, number)
            if problem:
                yield problem
                continue
            article, problems = make_article(values, origin=origin, line=number)
            yield from problems
            if article is not None:
                yield article
