"""One article in, one whoosh document out: analysis and enrichment.

This is the expensive, pure part of a build, run in worker processes;
its output is what ``writer.add_document`` takes.
"""
from __future__ import annotations

from indexer.analysis import analyze
from indexer.article import Article
from indexer.fields import TITLE_BOOST, PrecomputedPositions, precompute

# Title and body are one field for scoring; the gap keeps a phrase from
# matching across the seam.
_TITLE_BODY_GAP = 100
_FORMAT = PrecomputedPositions()


def to_document(article: Article) -> dict:
    title_terms = analyze(article.title)
    text_terms = analyze(article.title, boost=TITLE_BOOST)
    body_start = (text_terms[-1].pos if text_terms else 0) + _TITLE_BODY_GAP
    text_terms += analyze(article.body, start_pos=body_start)
    doc = {
        "id": article.key,
        "title": precompute(title_terms, _FORMAT),
        "_stored_title": article.title,
        "body": article.body,
        "text": precompute(text_terms, _FORMAT),
        "origin": article.origin,
        "line": article.line,
        "hash": article.content_hash,
        "text_hash": article.text_hash,
    }
    # Sortable fields always get a value: whoosh 2.7 reads past the end of a
    # column whose last documents have none.
    doc.update(date=article.date or "", section=article.section or "", lang=article.lang or "")
    optional = {"url": article.url, "source": article.source}
    doc.update({k: v for k, v in optional.items() if v})
    for name in ("persons", "orgs", "places"):
        values = getattr(article, name)
        if values:
            doc[name] = ",".join(values)
    return doc

