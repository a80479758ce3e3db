"""The most frequent persons, organisations and places the extractor finds in real news.

    .venv/bin/python bench/entities_top.py [--top 50] [FILE.jsonl]

Reads ../shared/data/zeitgeist-news.jsonl by default (title + content) and prints,
per type, the names with the number of articles naming them: the list to read
for common nouns or adjectives that slipped through.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from indexer.entities import extract_entities  # noqa: E402

DEFAULT = REPO.parent / "shared" / "data" / "zeitgeist-news.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=str(DEFAULT))
    parser.add_argument("--top", type=int, default=50)
    args = parser.parse_args()
    counts = {"persons": Counter(), "orgs": Counter(), "places": Counter()}
    seen, started = set(), time.perf_counter()
    for line in open(args.path, encoding="utf-8"):
        record = json.loads(line)
        text = (record.get("title") or "", record.get("content") or "")
        if text in seen:  # the same text gathered twice counts once
            continue
        seen.add(text)
        for field, names in extract_entities(*text).items():
            counts[field].update(names)
    took = time.perf_counter() - started
    print(f"{len(seen)} distinct articles, {took / len(seen) * 1000:.2f} ms each\n")
    for field, counter in counts.items():
        print(f"## {field}\n")
        print(", ".join(f"{name} ({n})" for name, n in counter.most_common(args.top)) + "\n")


if __name__ == "__main__":
    main()
