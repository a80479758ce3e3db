"""Precision, recall and F1 of the entity extractor on the hand-annotated gold set.

    .venv/bin/python bench/entities_eval.py [--errors]

Gold: tests/data/entities_gold.jsonl (44 articles). Names on both sides are
mapped to the gazetteer's canonical names before comparing, so an alias in
the gold counts as its entity. Scores are over (article, entity) pairs.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from indexer.entities import extract_entities  # noqa: E402
from indexer.gazetteer import load_gazetteer  # noqa: E402
from indexer.readers import ReadOptions, read_file  # noqa: E402

GOLD = REPO / "tests" / "data" / "entities_gold.jsonl"
TYPES = {"persons": "person", "orgs": "org", "places": "place"}


def evaluate(gold_path: Path = GOLD) -> tuple[dict, list]:
    gaz = load_gazetteer()
    tally = {f: [0, 0, 0] for f in TYPES}  # true positives, predicted, gold
    errors = []
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        [article] = [a for a in read_file(REPO / record["article"], ReadOptions())
                     if hasattr(a, "body")]
        found = extract_entities(article.title, article.body)
        for field, kind in TYPES.items():
            gold = {gaz.canonical(n, kind) for n in record[field]}
            predicted = {gaz.canonical(n, kind) for n in found[field]}
            tally[field][0] += len(gold & predicted)
            tally[field][1] += len(predicted)
            tally[field][2] += len(gold)
            errors += [(record["article"], field, "missed", n) for n in sorted(gold - predicted)]
            errors += [(record["article"], field, "wrong", n) for n in sorted(predicted - gold)]
    scores = {}
    for field, (tp, pred, gold) in tally.items():
        p = tp / pred if pred else 0.0
        r = tp / gold if gold else 0.0
        scores[field] = {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
                         "gold": gold, "predicted": pred}
    return scores, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list every miss and false hit")
    args = parser.parse_args()
    scores, errors = evaluate()
    print("| type | gold | found | precision | recall | F1 |")
    print("|---|---:|---:|---:|---:|---:|")
    for field, s in scores.items():
        print(f"| {field} | {s['gold']} | {s['predicted']} | {s['precision']:.3f} | "
              f"{s['recall']:.3f} | {s['f1']:.3f} |")
    if args.errors:
        for error in errors:
            print(*error, sep="\t")


if __name__ == "__main__":
    main()
