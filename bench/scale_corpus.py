"""A synthetic benchmark corpus of any size, made of real German news sentences.

Every article is a real title (from ``zeitgeist-news.jsonl``) and a body of real
sentences drawn at random from ``zeitgeist-news.jsonl`` (``content``) and
``10kgnad-test.csv`` (``text``), so that vocabulary and term statistics stay
those of real news while the corpus grows to any size. The output is native
JSON Lines (``id``, ``title``, ``body``, ``date``, ``section``, ``url``,
``source``, ``lang``) and depends only on ``n`` and ``seed``.

The data is read from ``../shared/data/`` (beside the repository) at run time;
generated corpora belong in ``bench/out/`` (gitignored), never in the repository.

    .venv/bin/python bench/scale_corpus.py 10000 bench/out/corpus-10000.jsonl
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import os
import random
import re
import sys
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[2] / "shared" / "data"
ZEITGEIST = "zeitgeist-news.jsonl"
GNAD = "10kgnad-test.csv"
OUT_DIR = Path(__file__).resolve().parent / "out"

GENERATOR_VERSION = 1  # bump when the output for a given (n, seed) changes: it names cached files

# Body length in words: triangular between 60 and 300 with its mode at 60, whose
# mean is (60 + 300 + 60) / 3 = 140; the last sentence overshoots a little, so
# the target is aimed a few words lower.
MIN_WORDS, MAX_WORDS, MODE_WORDS = 60, 300, 60
OVERSHOOT = 0.5  # keep the last sentence only if at least half of it fits the target
MIN_SENTENCE_WORDS, MAX_SENTENCE_WORDS = 3, 80
NO_SECTION_SHARE = 0.30
FIRST_DAY, LAST_DAY = dt.date(2023, 1, 1), dt.date(2026, 8, 31)

# ". ! ?" (optionally followed by a closing quote or bracket), whitespace, then a capital.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'“”»«)]?\s+(?=[\"„»«(]?[A-ZÄÖÜ])")
_SPACES = re.compile(r"\s+")
# A split after these is no sentence end: "am 1. Juli", "St. Pölten", "Dr. Weber".
_NO_END = re.compile(r"(?:\b\d{1,4}|\b[A-ZÄÖÜ]|\b(?:St|Dr|Prof|Nr|Abs|Art|bzw|ca|vgl|Mio|Mrd|Jh|"
                     r"usw|etc|ggf|evtl|inkl|Str|Hr|Fr|Mag|Ing|Dipl|geb|gest|z\.B|d\.h|u\.a))\.$")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)


class DataMissing(FileNotFoundError):
    """The real news data in ``../shared/data`` is not there."""


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text.translate(_INVISIBLE)).strip()


def split_sentences(text: str) -> list[str]:
    sentences: list[str] = []
    for piece in _SENTENCE_END.split(_clean(text)):
        piece = piece.strip()
        if not piece:
            continue
        if sentences and _NO_END.search(sentences[-1]):
            sentences[-1] += " " + piece
        else:
            sentences.append(piece)
    return sentences


def _data_file(name: str, data_dir: Path) -> Path:
    path = data_dir / name
    if not path.is_file():
        raise DataMissing(
            f"{path} not found: the benchmark corpus is built from the real news in "
            f"{data_dir} (zeitgeist-news.jsonl and 10kgnad-test.csv, see its README.md). "
            "Put the shared data folder beside the repository, as ../shared/data.")
    return path


def load_material(data_dir: Path = DATA_DIR) -> tuple[list[str], list[tuple[str, int]], list[str]]:
    """Titles, the sentence pool as (sentence, word count), and the section labels.

    Order is that of the files, duplicates removed keeping the first, so that
    the same seed gives the same corpus.
    """
    titles: dict[str, None] = {}
    texts: list[str] = []
    labels: dict[str, None] = {}
    with open(_data_file(ZEITGEIST, data_dir), encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            record = json.loads(line)
            title = _clean(record.get("title") or "")
            if title:
                titles[title] = None
            if record.get("content"):
                texts.append(record["content"])
            if record.get("category"):
                labels[record["category"].strip().capitalize()] = None
    with open(_data_file(GNAD, data_dir), encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh, delimiter=";", quotechar="'"):
            if len(row) < 2:
                continue
            label, text = row[0].strip(), row[1]
            if label:
                labels[label] = None
            texts.append(text)
    pool: dict[str, int] = {}
    for text in texts:
        for sentence in split_sentences(text):
            words = len(sentence.split())
            if MIN_SENTENCE_WORDS <= words <= MAX_SENTENCE_WORDS:  # no fragments, no run-on lists
                pool.setdefault(sentence, words)
    return list(titles), list(pool.items()), list(labels)


def _body(rng: random.Random, pool: list[tuple[str, int]]) -> str:
    target = rng.triangular(MIN_WORDS, MAX_WORDS, MODE_WORDS)
    chosen: list[str] = []
    words = 0
    while True:
        sentence, count = pool[rng.randrange(len(pool))]
        if words >= MIN_WORDS and words + count * OVERSHOOT > target:
            break
        if words + count > MAX_WORDS:
            continue  # would pass the maximum: draw another
        chosen.append(sentence)
        words += count
    return " ".join(chosen)


def generate(n: int, seed: int = 7, data_dir: Path = DATA_DIR):
    """The n articles as native records (dicts), deterministic for a seed."""
    titles, pool, labels = load_material(data_dir)
    rng = random.Random(seed)
    days = (LAST_DAY - FIRST_DAY).days
    for i in range(n):
        section = None if rng.random() < NO_SECTION_SHARE else rng.choice(labels)
        yield {
            "id": f"b{i}",
            "title": rng.choice(titles),
            "body": _body(rng, pool),
            "date": (FIRST_DAY + dt.timedelta(days=rng.randint(0, days))).isoformat(),
            "section": section,
            "url": f"https://bench.invalid/b{i}",
            "source": "bench",
            "lang": "de",
        }


def make_corpus(n: int, out: Path, seed: int = 7, data_dir: Path = DATA_DIR) -> Path:
    """Write n synthetic articles to ``out`` as native JSON Lines; return ``out``."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        with open(partial, "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(record, ensure_ascii=False) + "\n"
                          for record in generate(n, seed, data_dir))
        os.replace(partial, out)  # a cached corpus is always complete
    finally:
        partial.unlink(missing_ok=True)
    return out


def cached_corpus(n: int, seed: int = 7, out_dir: Path = OUT_DIR) -> Path:
    """The corpus for (n, seed) in ``bench/out/``, generated on first use."""
    path = out_dir / f"corpus-v{GENERATOR_VERSION}-n{n}-s{seed}.jsonl"
    if not path.exists():
        make_corpus(n, path, seed)
    return path


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("out", nargs="?", type=Path,
                        help="output .jsonl (default bench/out/corpus-N-sSEED.jsonl)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("N must be >= 0")
    out = args.out or OUT_DIR / f"corpus-{args.n}-s{args.seed}.jsonl"
    try:
        make_corpus(args.n, out, args.seed)
    except DataMissing as exc:
        print(f"scale_corpus: {exc}", file=sys.stderr)
        return 2
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
