"""Articles similar to one article: its key terms (tf-idf) and its entities."""
from __future__ import annotations

import math
from collections import Counter

from indexer.analysis import analyze
from indexer.entity_fields import ENTITY_FIELDS
from search.hits import make_hit, split_values
from search.ranking import rank
from search.scored import union
from search.snapshot import Snapshot

KEY_TERMS = 15


def similar(snap: Snapshot, docnum: int, doc: dict, limit: int) -> list:
    counts = Counter(t.text for t in analyze(f"{doc.get('title', '')}\n{doc.get('body', '')}",
                                             decompound=False))
    weighted = []
    for term, tf in counts.items():
        df = snap.postings.doc_frequency("text", term)  # term statistics: no postings read
        if 1 < df < snap.doc_count * 0.3:
            weighted.append((tf * math.log(snap.doc_count / df), term))
    parts = [snap.bm25("text", t) for _, t in sorted(weighted, reverse=True)[:KEY_TERMS]]
    for field in ENTITY_FIELDS:
        for name in split_values(doc.get(field.plural)):
            parts.append(snap.entity_score(field.plural, name))
    docs, scores = union(parts)
    same = snap.dup_codes[docnum]
    keep = (docs != docnum) & (snap.dup_codes[docs] != same)
    ranked = rank(snap, docs[keep], scores[keep], "relevance", False, limit)
    return [make_hit(snap, int(d), float(s), int(n), set(), False)
            for d, s, n in zip(ranked.docs, ranked.scores, ranked.duplicates)]
