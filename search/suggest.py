"""'Meinten Sie …': rare query words replaced by their most frequent near spelling.

Near spellings come from the segments' word lists (``search.spelling``); the
work is bounded all the same: a few words of ordinary length, and only for
short queries (a pasted paragraph is not misspelled, it is long).
"""
from __future__ import annotations

from indexer.analysis import analyze, query_terms
from search.snapshot import Snapshot

MAX_WORDS = 4  # queries with more words get no suggestion
MAX_WORD_CHARS = 20
MIN_WORD_CHARS = 3


def surface_form(snap: Snapshot, field: str, term: str) -> str | None:
    """A word as an article writes it whose index term is ``term``."""
    docs, _ = snap.postings.read(field, term)
    for docnum in docs[:3].tolist():
        doc = snap.stored(docnum)
        text = f"{doc.get('title', '')}\n{doc.get('body', '')}"
        for t in analyze(text, decompound=False):
            if t.text == term:
                return text[t.start:t.end]
    return None


def suggest(snap: Snapshot, q: str) -> str | None:
    words = q.split()
    if len(words) > MAX_WORDS:
        return None
    changed = False
    for i, word in enumerate(words):
        if not word.isalpha() or word.isupper() and len(word) <= 4:
            continue
        if not MIN_WORD_CHARS <= len(word) <= MAX_WORD_CHARS:
            continue
        terms = query_terms(word)
        if len(terms) != 1:
            continue
        own = snap.spelling.count(terms[0])
        near = snap.spelling.near(terms[0], 1 if len(word) < 6 else 2)
        candidates = [(df, t) for t, df in near.items()]
        better = max((c for c in candidates if c[0] > max(own, 0) * 3 and c[1] != terms[0]),
                     default=None)
        if better:
            written = surface_form(snap, "text", better[1]) or better[1]
            words[i] = written[:1].upper() + written[1:] if word[:1].isupper() else written
            changed = True
    return " ".join(words) if changed else None
