"""Precision, recall and F1 of the entity extractor on hand-annotated articles.

    .venv/bin/python bench/entities_eval.py [--source NAME ...] [--errors]
    .venv/bin/python bench/entities_eval.py --sample     # the drawn rows, again

Sources (scores are over (article, entity) pairs, one table per source):

- ``gold``: ``tests/data/entities_gold.jsonl``, 44 articles of ``corpus/``;
- ``standard-tune`` and ``standard-test``: ``tests/data/entities_standard.jsonl``,
  80 DER STANDARD articles of ``../shared/data/10kgnad-test.csv`` drawn with a
  fixed seed; rules may be tuned on the first 40 (``tune``), the other 40
  (``test``) are held out and only scored;
- ``zeitgeist``: ``tests/data/entities_zeitgeist.jsonl``, 20 items of
  ``../shared/data/zeitgeist-news.jsonl``, held out too;
- ``standard-fresh`` and ``zeitgeist-fresh``: ``tests/data/entities_*_fresh.jsonl``,
  40 more DER STANDARD rows and 20 more zeitgeist lines drawn with another seed among the
  rows the first sample left, annotated (and committed) before the extractor ran on them
  and held out from the start. The first sample's annotator had extended the gazetteer
  after reading all of it, so only this second sample measures what the extractor finds
  in text nobody fitted it to.
- ``standard-tune2``: ``tests/data/entities_standard_tune2.jsonl``, 40 more DER STANDARD
  rows (``TUNE2_SEED``, among the rows neither sample took), annotated and committed before
  the extractor ran on them, to tune on.
- ``standard-fresh2`` and ``zeitgeist-fresh2`` (held out): 40 DER STANDARD rows and 20
  zeitgeist lines (``FRESH2_SEED``) no earlier sample took, annotated by others than the
  extractor's author, twice and independently, and adjudicated; ``--agreement`` prints how far
  the two annotations agree. From then on ``standard-fresh`` is a tune set.
- ``standard-tune3``: 60 more DER STANDARD rows (``TUNE3_SEED``), annotated the same way once,
  to tune on.
- ``standard-fresh3`` and ``zeitgeist-fresh3``: the sixth sample (``FRESH3_SEED``), annotated
  like the fourth; held out in the fifth round, a tune set since the seventh was drawn.
- ``standard-fresh4`` and ``zeitgeist-fresh4`` (held out): the seventh sample (``FRESH4_SEED``),
  annotated like the fourth, drawn without the rows read in the fifth round.

The annotation guide is ``tests/data/entities_standard_guide.md``. Names on both
sides are mapped to the gazetteer's canonical names before comparing, so an
alias in the annotation counts as its entity; names are compared without case and
diacritics. ``--errors`` lists misses and false
hits; it refuses the held-out sources unless ``--show-held-out`` is given.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import re
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from indexer.entities import EntityExtractor, extract_entities  # noqa: E402
from indexer.gazetteer import Gazetteer, _read_tsv, fold, load_gazetteer  # noqa: E402
from indexer.readers import ReadOptions, read_file  # noqa: E402

DATA = REPO.parent / "shared" / "data"
TESTDATA = REPO / "tests" / "data"
GOLD = TESTDATA / "entities_gold.jsonl"
STANDARD = TESTDATA / "entities_standard.jsonl"
ZEITGEIST = TESTDATA / "entities_zeitgeist.jsonl"
STANDARD_FRESH = TESTDATA / "entities_standard_fresh.jsonl"
STANDARD_TUNE2 = TESTDATA / "entities_standard_tune2.jsonl"
ZEITGEIST_FRESH = TESTDATA / "entities_zeitgeist_fresh.jsonl"
STANDARD_CSV = DATA / "10kgnad-test.csv"
ZEITGEIST_JSONL = DATA / "zeitgeist-news.jsonl"
TYPES = {"persons": "person", "orgs": "org", "places": "place"}
STANDARD_FRESH2 = TESTDATA / "entities_standard_fresh2.jsonl"
ZEITGEIST_FRESH2 = TESTDATA / "entities_zeitgeist_fresh2.jsonl"
STANDARD_TUNE3 = TESTDATA / "entities_standard_tune3.jsonl"
FRESH2_SECOND = TESTDATA / "entities_fresh2_second.jsonl"  # the independent second annotation
FRESH2_FIRST = "c975041"  # the commit of the first annotation, before adjudication
STANDARD_FRESH3 = TESTDATA / "entities_standard_fresh3.jsonl"
ZEITGEIST_FRESH3 = TESTDATA / "entities_zeitgeist_fresh3.jsonl"
FRESH3_SECOND = TESTDATA / "entities_fresh3_second.jsonl"
FRESH3_FIRST = "be0ac86"
STANDARD_FRESH4 = TESTDATA / "entities_standard_fresh4.jsonl"
ZEITGEIST_FRESH4 = TESTDATA / "entities_zeitgeist_fresh4.jsonl"
FRESH4_SECOND = TESTDATA / "entities_fresh4_second.jsonl"
FRESH4_FIRST = "e84897f"
SOURCES = ("gold", "standard-tune", "standard-test", "zeitgeist", "standard-fresh",
           "zeitgeist-fresh", "standard-tune2", "standard-tune3", "standard-fresh2",
           "zeitgeist-fresh2", "standard-fresh3", "zeitgeist-fresh3", "standard-fresh4",
           "zeitgeist-fresh4")
# The seventh sample is the one held out now. The second ("fresh") became a tune set when
# the fourth was drawn, the fourth ("fresh2") when the sixth was, the sixth ("fresh3") when
# the seventh was: their errors are read from then on, their earlier scores stay reported.
HELD_OUT = ("standard-test", "zeitgeist", "standard-fresh4", "zeitgeist-fresh4")
SEED, STANDARD_SAMPLE, ZEITGEIST_SAMPLE = 14, 80, 20
FRESH_SEED, FRESH_STANDARD, FRESH_ZEITGEIST = 1414, 40, 20
TUNE2_SEED, TUNE2_STANDARD = 141415, 40
FRESH2_SEED, FRESH2_STANDARD, FRESH2_ZEITGEIST = 1414161, 40, 20
TUNE3_SEED, TUNE3_STANDARD = 1414162, 60
FRESH3_SEED, FRESH3_STANDARD, FRESH3_ZEITGEIST = 1414163, 40, 20
FRESH4_SEED, FRESH4_STANDARD, FRESH4_ZEITGEIST = 1414164, 40, 20
# DER STANDARD rows outside the samples whose text or extractor output was read in the
# fifth round (result boxes, the persons a change added or removed): the seventh sample
# leaves them out, so that it holds no text its rules were read against
READ_IN_FIFTH_ROUND = frozenset({
    75, 139, 168, 180, 195, 216, 270, 278, 303, 352, 392, 413, 423, 474, 485, 488, 535, 605,
    639, 667, 669, 674, 707, 742, 744, 762, 779, 824, 841, 853, 929, 942, 945, 965, 968, 974,
    978, 994, 1018, 1020, 1025})
BASELINE = "c8621ed"  # the tree before the Austrian, Swiss and foreign additions (issue 14)
FRESH_BASELINE = "128fc99"  # the tree before the fresh sample was drawn (issue 14, second round)


class DataMissing(Exception):
    pass


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


@lru_cache(maxsize=None)
def standard_rows(path: Path = STANDARD_CSV) -> tuple[str, ...]:
    """The article texts of the 10kGNAD test split (``label;text``, ``'``-quoted), read once:
    every draw below starts from them."""
    if not path.exists():
        raise DataMissing(path)
    with path.open(encoding="utf-8", newline="") as f:
        return tuple(row[1] for row in csv.reader(f, delimiter=";", quotechar="'"))


@lru_cache(maxsize=None)
def zeitgeist_items(path: Path = ZEITGEIST_JSONL) -> tuple[tuple[str, str], ...]:
    if not path.exists():
        raise DataMissing(path)
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        items.append((record.get("title") or "", record.get("content") or ""))
    return tuple(items)


def _zeitgeist_first_lines() -> list[int]:
    """The line of each distinct (title, content) pair's first occurrence, in order."""
    first: dict[tuple[str, str], int] = {}
    for i, item in enumerate(zeitgeist_items()):
        first.setdefault(item, i)
    return sorted(first.values())


def _rows_left(taken: set[int]) -> list[int]:
    return [i for i in range(len(standard_rows())) if i not in taken]


def _lines_left(taken: set[int]) -> list[int]:
    return [i for i in _zeitgeist_first_lines() if i not in taken]


def _draw(seed: int, standard: int, zeitgeist: int, rows_taken: set[int],
          lines_taken: set[int]) -> tuple[list[int], list[int]]:
    """``standard`` DER STANDARD rows and ``zeitgeist`` zeitgeist first lines not taken,
    each drawn with its own ``random.Random(seed)``."""
    return (random.Random(seed).sample(_rows_left(rows_taken), standard),
            random.Random(seed).sample(_lines_left(lines_taken), zeitgeist))


def draw_sample() -> tuple[list[int], list[int]]:
    """The rows annotated: DER STANDARD (first half tune, second test) and zeitgeist."""
    return _draw(SEED, STANDARD_SAMPLE, ZEITGEIST_SAMPLE, set(), set())


def draw_fresh_sample() -> tuple[list[int], list[int]]:
    """The second sample: the same draw with ``FRESH_SEED`` among the rows and lines the
    first one (``draw_sample``) did not take."""
    standard, zeitgeist = draw_sample()
    return _draw(FRESH_SEED, FRESH_STANDARD, FRESH_ZEITGEIST, set(standard), set(zeitgeist))


def draw_tune2_sample() -> list[int]:
    """The third sample, to tune on (issue 14, third round): ``TUNE2_SEED`` over the DER
    STANDARD rows neither earlier sample took."""
    taken = set(draw_sample()[0]) | set(draw_fresh_sample()[0])
    return random.Random(TUNE2_SEED).sample(_rows_left(taken), TUNE2_STANDARD)


def draw_fresh2_sample() -> tuple[list[int], list[int]]:
    """The fourth sample, held out (issue 14, fourth round): ``FRESH2_SEED`` over the DER
    STANDARD rows and zeitgeist first lines no earlier sample took."""
    standard, zeitgeist = draw_sample()
    fresh_standard, fresh_zeitgeist = draw_fresh_sample()
    return _draw(FRESH2_SEED, FRESH2_STANDARD, FRESH2_ZEITGEIST,
                 set(standard) | set(fresh_standard) | set(draw_tune2_sample()),
                 set(zeitgeist) | set(fresh_zeitgeist))


def draw_tune3_sample() -> list[int]:
    """The fifth sample, to tune on (issue 14, fourth round): ``TUNE3_SEED`` over the DER
    STANDARD rows no earlier sample took."""
    taken = (set(draw_sample()[0]) | set(draw_fresh_sample()[0]) | set(draw_tune2_sample())
             | set(draw_fresh2_sample()[0]))
    return random.Random(TUNE3_SEED).sample(_rows_left(taken), TUNE3_STANDARD)


def draw_fresh3_sample() -> tuple[list[int], list[int]]:
    """The sixth sample, held out (issue 14, fifth round): ``FRESH3_SEED`` over the DER
    STANDARD rows and zeitgeist first lines no earlier sample took."""
    standard, zeitgeist = draw_sample()
    fresh_standard, fresh_zeitgeist = draw_fresh_sample()
    fresh2_standard, fresh2_zeitgeist = draw_fresh2_sample()
    return _draw(FRESH3_SEED, FRESH3_STANDARD, FRESH3_ZEITGEIST,
                 set(standard) | set(fresh_standard) | set(draw_tune2_sample())
                 | set(fresh2_standard) | set(draw_tune3_sample()),
                 set(zeitgeist) | set(fresh_zeitgeist) | set(fresh2_zeitgeist))


def draw_fresh4_sample() -> tuple[list[int], list[int]]:
    """The seventh sample, held out (issue 14, sixth round): ``FRESH4_SEED`` over the DER
    STANDARD rows no earlier sample took and not ``READ_IN_FIFTH_ROUND``, and the zeitgeist
    first lines no earlier sample took."""
    standard, zeitgeist = draw_sample()
    fresh_standard, fresh_zeitgeist = draw_fresh_sample()
    fresh2_standard, fresh2_zeitgeist = draw_fresh2_sample()
    fresh3_standard, fresh3_zeitgeist = draw_fresh3_sample()
    return _draw(FRESH4_SEED, FRESH4_STANDARD, FRESH4_ZEITGEIST,
                 set(standard) | set(fresh_standard) | set(draw_tune2_sample())
                 | set(fresh2_standard) | set(draw_tune3_sample()) | set(fresh3_standard)
                 | READ_IN_FIFTH_ROUND,
                 set(zeitgeist) | set(fresh_zeitgeist) | set(fresh2_zeitgeist)
                 | set(fresh3_zeitgeist))


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def articles(source: str) -> list[tuple[str, str, str, dict]]:
    """(label, title, body, annotation) of one source's articles."""
    out = []
    if source == "gold":
        for record in _records(GOLD):
            [article] = [a for a in read_file(REPO / record["article"], ReadOptions())
                         if hasattr(a, "body")]
            out.append((record["article"], article.title, article.body, record))
    elif source.startswith("standard-"):
        rows = standard_rows()
        path = {"standard-fresh": STANDARD_FRESH, "standard-fresh2": STANDARD_FRESH2,
                "standard-fresh3": STANDARD_FRESH3, "standard-fresh4": STANDARD_FRESH4,
                "standard-tune2": STANDARD_TUNE2,
                "standard-tune3": STANDARD_TUNE3}.get(source, STANDARD)
        for record in _records(path):
            if record["split"] == source.removeprefix("standard-"):
                text = rows[record["row"]]
                if _sha1(text) != record["sha1"]:
                    raise ValueError(f"row {record['row']} of {STANDARD_CSV} changed")
                out.append((f"standard row {record['row']}", "", text, record))
    elif source in ("zeitgeist", "zeitgeist-fresh", "zeitgeist-fresh2", "zeitgeist-fresh3",
                    "zeitgeist-fresh4"):
        items = zeitgeist_items()
        path = {"zeitgeist-fresh": ZEITGEIST_FRESH, "zeitgeist-fresh2": ZEITGEIST_FRESH2,
                "zeitgeist-fresh3": ZEITGEIST_FRESH3,
                "zeitgeist-fresh4": ZEITGEIST_FRESH4}.get(source, ZEITGEIST)
        for record in _records(path):
            title, body = items[record["line"]]
            if _sha1(f"{title}\n{body}") != record["sha1"]:
                raise ValueError(f"line {record['line']} of {ZEITGEIST_JSONL} changed")
            out.append((f"zeitgeist line {record['line']}", title, body, record))
    else:
        raise ValueError(f"unknown source {source!r}, expected one of {SOURCES}")
    return out


def evaluate(source: str = "gold", extract=extract_entities) -> tuple[dict, list]:
    """Scores per field and the list of (article, field, missed|wrong, name)."""
    gaz = load_gazetteer()
    tally = {f: [0, 0, 0] for f in TYPES}  # true positives, predicted, gold
    errors = []
    country = "AT" if source.startswith("standard-") else None
    for label, title, body, record in articles(source):
        found = extract(title, body)
        for field, kind in TYPES.items():
            gold = {_key(gaz, n, kind, country): n for n in record[field]}
            predicted = {_key(gaz, n, kind, country): n for n in found[field]}
            tally[field][0] += len(gold.keys() & predicted.keys())
            tally[field][1] += len(predicted)
            tally[field][2] += len(gold)
            errors += [(label, field, "missed", gold[k]) for k in sorted(gold.keys() - predicted)]
            errors += [(label, field, "wrong", predicted[k]) for k in sorted(predicted.keys() - gold)]
    scores = {}
    for field, (tp, pred, gold) in tally.items():
        p = tp / pred if pred else 0.0
        r = tp / gold if gold else 0.0
        scores[field] = {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
                         "gold": gold, "predicted": pred}
    return scores, errors


QUALIFIER = re.compile(r"\s*\([^()]+\)$")
# a legal form at the end of a company's name, which annotators write or leave out
TRAILING_LEGAL_FORM = re.compile(
    r"(?<=\S)[ -](?:AG|GmbH|Inc\.?|Ltd\.?|SE|plc|S\.A\.|SA|KG|Co\.|Corp\.?|LLC|N\.V\.|B\.V\.)$")


def _key(gaz, name: str, kind: str, country: str | None = None) -> str:
    """What two spellings of one entity share: the gazetteer's canonical name, compared
    without case and diacritics (``Leroy Sane`` is ``Leroy Sané``).

    A country in brackets that no gazetteer name carries is the annotator's note of which
    country's body an article means, and is dropped: in an article about Austria,
    ``Innenministerium (Österreich)`` and ``Innenministerium`` name one ministry, and
    ``Nationalrat (Österreich)`` is the gazetteer's ``Nationalrat``; a qualified canonical
    name whose bare name no other entry has is compared bare (``Oberster Gerichtshof``).
    Decided on the fifth sample's errors, where annotators wrote both forms. A legal form
    at the end of a name the gazetteer does not know (``Cyanogen Inc.``, ``Limbach
    Installtec GmbH``) is left out on both sides (decided on the fourth sample's errors).

    In an article of a ``country`` (``AT`` for DER STANDARD), a name whose entry has that
    country's namesake in the gazetteer is that namesake: the guide asks annotators to
    qualify Austrian namesakes (``Die Grünen (Österreich)``), but only the gazetteer knows
    which names have one, and annotators who never saw it wrote ``Die Grünen`` (decided on
    the fourth and fifth samples' errors, before the sixth was scored)."""
    entry = gaz.resolve(name, kind)
    if entry is None and QUALIFIER.search(name):
        name = QUALIFIER.sub("", name)
        entry = gaz.resolve(name, kind)
    if country is not None:
        entry = gaz.local_variants.get((country, entry.canonical if entry else name), entry)
    name = entry.canonical if entry else " ".join(name.split())
    if entry is None and kind == "org":
        name = TRAILING_LEGAL_FORM.sub("", name)  # "Flughafen Wien AG" is "Flughafen Wien"
    bare = QUALIFIER.sub("", name)
    if bare != name and gaz.resolve(bare, kind) is None:
        name = bare  # "Oberster Gerichtshof (Österreich)": no other entry has the bare name
    return fold(name)


def _git_show(path: str, commit: str = BASELINE) -> str:
    return subprocess.run(["git", "-C", str(REPO), "show", f"{commit}:{path}"],
                          capture_output=True, text=True, check=True).stdout


def _gazetteer_without(base: set[str], seen: set[str]) -> tuple[list, list[str]]:
    """The gazetteer's entries less those not in ``base`` (folded names of an earlier
    tree) that name something in ``seen``, and the canonical names of those left out."""
    removed, kept = [], []
    for entry in load_gazetteer().entries:
        folded = {fold(n) for n in entry.names}
        if not folded & base and folded & seen:
            removed.append(entry.canonical)
        else:
            kept.append(entry)
    return kept, removed


def clean_extractor() -> tuple[EntityExtractor, list[str]]:
    """The extractor less what was added after ``BASELINE`` and names an entity of the
    held-out annotations but none of the tune split: gazetteer entries and given names.

    The annotator read all 100 articles before extending the gazetteer, so the shipped data
    may know held-out names for having seen them; scoring the held-out sources with this
    extractor (``--clean``) counts only what general lists and rules find.
    """
    base = {fold(n) for kind in ("orgs", "persons", "places")
            for e in _read_tsv(_git_show(f"indexer/data/gazetteer/{kind}.tsv"), kind)
            for n in e.names}
    base_given = set(_git_show("indexer/data/first_names.txt").split())
    records = _records(STANDARD) + _records(ZEITGEIST)

    def names(split):
        return {fold(n) for r in records if r["split"] == split for f in TYPES for n in r[f]}

    def given(split):
        return {n.split()[0] for r in records if r["split"] == split for n in r["persons"]
                if " " in n}

    kept, removed = _gazetteer_without(base, names("test") - names("tune"))
    extractor = EntityExtractor(Gazetteer(kept))
    base_given |= {e.canonical.split()[0] for kind in ("persons",)
                   for e in _read_tsv(_git_show(f"indexer/data/gazetteer/{kind}.tsv"), kind)}
    dropped_given = (given("test") - given("tune")) - base_given
    extractor.first_names = extractor.first_names - dropped_given
    return extractor, removed + sorted(dropped_given)


def fresh_clean_extractor() -> tuple[EntityExtractor, list[str]]:
    """The extractor less the gazetteer entries added after ``FRESH_BASELINE`` that name an
    entity of the fresh annotations. The annotator had read the fresh sample before
    writing the general-knowledge lists of that round, so an entry may be there for having
    been seen; scoring without them (``--clean``) counts what rules and the earlier data
    find. The given names of many languages stay: they were written from Faker's lists by a
    script that never read the sample."""
    base = {fold(n) for kind in ("orgs", "persons", "places")
            for e in _read_tsv(_git_show(f"indexer/data/gazetteer/{kind}.tsv", FRESH_BASELINE),
                               kind)
            for n in e.names}
    seen = {fold(n) for path in (STANDARD_FRESH, ZEITGEIST_FRESH) for r in _records(path)
            for f in TYPES for n in r[f]}
    kept, removed = _gazetteer_without(base, seen)
    extractor = EntityExtractor(Gazetteer(kept))
    base_given = set(_git_show("indexer/data/first_names.txt", FRESH_BASELINE).split())
    seen_given = {n.split()[0] for path in (STANDARD_FRESH, ZEITGEIST_FRESH)
                  for r in _records(path) for n in r["persons"] if " " in n}
    dropped = sorted((extractor.first_names & seen_given) - base_given
                     - {e.canonical.split()[0] for e in kept if e.type == "person"})
    extractor.first_names = extractor.first_names - set(dropped)
    return extractor, removed + dropped


def agreement(sample: str = "fresh2") -> dict[str, dict[str, float]]:
    """F1 between the two independent annotations of the fourth (``fresh2``), sixth
    (``fresh3``) or seventh (``fresh4``) sample, per source and type, with names compared as ``evaluate`` compares
    them (the first annotation as committed before the disagreements were adjudicated)."""
    gaz = load_gazetteer()
    commit, second_path = {"fresh2": (FRESH2_FIRST, FRESH2_SECOND),
                           "fresh3": (FRESH3_FIRST, FRESH3_SECOND),
                           "fresh4": (FRESH4_FIRST, FRESH4_SECOND)}[sample]
    first = [json.loads(line) for path in (f"entities_standard_{sample}.jsonl",
                                           f"entities_zeitgeist_{sample}.jsonl")
             for line in _git_show(f"tests/data/{path}", commit).splitlines() if line]
    second = {(r.get("row"), r.get("line")): r for r in _records(second_path)}
    out: dict[str, dict[str, float]] = {}
    for source in ("standard", "zeitgeist"):
        for field, kind in TYPES.items():
            agreed = total = 0
            for record in first:
                if ("row" in record) != (source == "standard"):
                    continue
                other = second[(record.get("row"), record.get("line"))]
                a = {_key(gaz, n, kind) for n in record[field]}
                b = {_key(gaz, n, kind) for n in other[field]}
                agreed += len(a & b)
                total += len(a) + len(b)
            out.setdefault(source, {})[field] = 2 * agreed / total if total else 1.0
    return out


def print_table(source: str, scores: dict, articles_count: int) -> None:
    print(f"## {source} ({articles_count} articles)\n")
    print("| type | gold | found | precision | recall | F1 |")
    print("|---|---:|---:|---:|---:|---:|")
    for field, s in scores.items():
        print(f"| {field} | {s['gold']} | {s['predicted']} | {s['precision']:.3f} | "
              f"{s['recall']:.3f} | {s['f1']:.3f} |")
    print()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", action="append", choices=SOURCES,
                        help="score only this source (repeatable; default all)")
    parser.add_argument("--errors", action="store_true", help="list every miss and false hit")
    parser.add_argument("--show-held-out", action="store_true",
                        help="allow --errors on the held-out sources")
    parser.add_argument("--sample", action="store_true", help="print the drawn rows and stop")
    parser.add_argument("--agreement", action="store_true",
                        help="print the agreement of the fourth, sixth and seventh samples' "
                        "two annotations and stop")
    parser.add_argument("--clean", action="store_true",
                        help="also score the held-out sources without the data added after "
                        "their sample was read that names their entities (see clean_extractor "
                        "and fresh_clean_extractor)")
    args = parser.parse_args()
    if args.agreement:
        for sample in ("fresh2", "fresh3", "fresh4"):
            for source, fields in agreement(sample).items():
                print(sample, source, " ".join(f"{field} {f1:.3f}" for field, f1 in fields.items()))
        return 0
    if args.sample:
        standard, zeitgeist = draw_sample()
        print("standard tune:", standard[:40])
        print("standard test:", standard[40:])
        print("zeitgeist:", zeitgeist)
        standard, zeitgeist = draw_fresh_sample()
        print("standard fresh:", standard)
        print("zeitgeist fresh:", zeitgeist)
        print("standard tune2:", draw_tune2_sample())
        standard, zeitgeist = draw_fresh2_sample()
        print("standard fresh2:", standard)
        print("zeitgeist fresh2:", zeitgeist)
        print("standard tune3:", draw_tune3_sample())
        standard, zeitgeist = draw_fresh3_sample()
        print("standard fresh3:", standard)
        print("zeitgeist fresh3:", zeitgeist)
        standard, zeitgeist = draw_fresh4_sample()
        print("standard fresh4:", standard)
        print("zeitgeist fresh4:", zeitgeist)
        return 0
    for source in args.source or SOURCES:
        try:
            count = len(articles(source))
            scores, errors = evaluate(source)
        except DataMissing as exc:
            print(f"## {source}: skipped, {exc} is missing\n")
            continue
        print_table(source, scores, count)
        if args.clean and source in ("standard-test", "zeitgeist", "standard-fresh",
                                     "zeitgeist-fresh"):
            fresh = source.endswith("-fresh")
            extractor, removed = fresh_clean_extractor() if fresh else clean_extractor()
            scores, _ = evaluate(source, extractor.extract)
            print_table(f"{source}, clean", scores, count)
            print(f"(without {len(removed)} names added after "
                  f"{FRESH_BASELINE if fresh else BASELINE}: {', '.join(removed)})\n")
        if args.errors:
            if source in HELD_OUT and not args.show_held_out:
                print(f"(errors of held-out {source} not shown)\n")
                continue
            for error in errors:
                print(*error, sep="\t")
            print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
