"""Append a list of new gazetteer entries, written elsewhere, to the gazetteer.

    .venv/bin/python bench/gazetteer_merge.py NEW.tsv org "section heading"

``NEW.tsv`` has the gazetteer's four columns (``type``, ``canonical``, ``aliases``,
``note``). Entries whose canonical name the gazetteer already has (any file, as canonical
or alias, compared as ``fold`` compares) are dropped, and so are one-word names that are
common German words (Zipf frequency 3.5 or more) or known given names: the extractor
matches the gazetteer in running text, where such a word is no name. For places the bar is
higher (4.5, and only the given names of German news): a town's frequency is mostly its
use as a town (``Coburg``, ``Manhattan``), and the lists of places qualify the ones that
are words (``Hof (Saale)``). Aliases of a kept
entry are filtered the same way. The kept entries go to the end of the type's file under
``# --- section heading``.
"""
from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from indexer.decompound import zipf  # noqa: E402
from indexer.entities import first_names, world_given_names  # noqa: E402
from indexer.gazetteer import fold  # noqa: E402

GAZETTEER = REPO / "indexer" / "data" / "gazetteer"
FILES = {"org": "orgs", "place": "places", "person": "persons"}
COMMON_WORD_ZIPF = {"org": 3.5, "person": 3.5, "place": 4.5}


def known_names() -> set[str]:
    names = set()
    for file in FILES.values():
        for line in (GAZETTEER / f"{file}.tsv").read_text(encoding="utf-8").splitlines():
            fields = line.split("\t")
            if len(fields) >= 3 and fields[0] in FILES:
                names.update(fold(n) for n in [fields[1], *fields[2].split(" | ")] if n)
    return names


def word_like(name: str, given: frozenset[str], kind: str) -> bool:
    """A one-word name a German text uses as a word or a given name."""
    if " " in name or name.isupper() or any(c.isdigit() for c in name):
        return False
    return zipf(name.lower()) >= COMMON_WORD_ZIPF[kind] or name in given


def merge(new: Path, kind: str, heading: str) -> tuple[list[str], list[str], list[str]]:
    known = known_names()
    given = first_names() if kind == "place" else first_names() | world_given_names()
    kept, already, words = [], [], []
    for line in new.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) != 4 or fields[0] != kind:
            continue
        canonical, aliases, note = fields[1], [a for a in fields[2].split(" | ") if a], fields[3]
        if fold(canonical) in known:
            already.append(canonical)
            continue
        if word_like(canonical, given, kind):
            words.append(canonical)
            continue
        aliases = [a for a in aliases if fold(a) not in known and not word_like(a, given, kind)]
        known.update(fold(n) for n in [canonical, *aliases])
        kept.append("\t".join([kind, canonical, " | ".join(aliases), note]))
    path = GAZETTEER / f"{FILES[kind]}.tsv"
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(f"{text}\n# --- {heading}\n" + "\n".join(kept) + "\n", encoding="utf-8")
    return kept, already, words


def main() -> int:
    if len(sys.argv) != 4 or sys.argv[2] not in FILES:
        print(__doc__)
        return 2
    kept, already, words = merge(Path(sys.argv[1]), sys.argv[2], sys.argv[3])
    print(f"{len(kept)} added, {len(already)} already known, {len(words)} left out as words: "
          f"{', '.join(words)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
