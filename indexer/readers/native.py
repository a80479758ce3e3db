"""The native text format: one article per file.

    14. November 2024          <- date
    Politik                    <- section
    Titel                      <- title
    Titel                      <- the title again (dropped)
    Absatz ...                 <- body paragraphs

Blocks are separated by blank lines; the article id is the hash part of
the file name (``000_fddab8aa105ee974.txt`` -> ``fddab8aa105ee974``).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from indexer.article import Article, Problem, make_article

_NAME = re.compile(r"^\d+_([0-9A-Za-z]+)$")


def article_id(path: Path) -> str:
    m = _NAME.match(path.stem)
    return m.group(1) if m else path.stem


def read_native(path: Path, origin: str, options) -> Iterator[Article | Problem]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        yield Problem(origin, line, f"not valid UTF-8 (byte {exc.start}): file skipped")
        return
    lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1)]
    non_empty = [(n, line) for n, line in lines if line]
    if len(non_empty) < 3:
        yield Problem(origin, non_empty[0][0] if non_empty else None,
                      "too short: expected a date, a section, a title and the body")
        return
    (date_line, date), (_, section), (title_line, title) = non_empty[:3]
    rest = lines[title_line:]
    first_body = next((i for i, (_, line) in enumerate(rest) if line), None)
    if first_body is not None and rest[first_body][1] == title:
        rest = rest[first_body + 1:]
    body = "\n".join(line for _, line in rest)
    article, problems = make_article(
        {"date": date, "section": section, "title": title, "body": body},
        origin=origin, line=date_line, default_key=article_id(path))
    yield from problems
    if article is not None:
        yield article
