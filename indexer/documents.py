"""One article in, one whoosh document out: analysis and enrichment.

This is the expensive, pure part of a build, run in worker processes;
its output is what ``writer.add_document`` takes.
"""
from __future__ import annotations

from dataclasses import replace

from indexer.analysis import collect_postings, count_words
from indexer.article import Article
from indexer.entities import extract_entities
from indexer.fields import TITLE_BOOST, precomputed
from indexer.language import detect_language

# Title and body are one field for scoring; the gap keeps a phrase from
# matching across the seam.
_TITLE_BODY_GAP = 100


def warm_up() -> None:
    """Load the word lists once, before worker processes fork.

    langdetect's profiles (half a second) are not among them: only text that
    fails the cheap German test needs them, and a worker loads them then.
    """
    from indexer.decompound import _zipf_table
    from indexer.entities import default_extractor

    _zipf_table()
    default_extractor()


def enrich(article: Article) -> Article:
    """A copy with the language and the entities named, unless the source gave them.

    A copy, not the article changed in place: build workers share the parent's
    articles through fork, and writing to them would copy their memory pages.
    """
    changes: dict = {}
    if not article.lang:
        changes["lang"] = detect_language(article.title, article.body)
    if not (article.persons or article.orgs or article.places):
        changes.update(extract_entities(article.title, article.body))
    return replace(article, **changes) if changes else article


def to_document(article: Article, enriched: bool = True) -> dict:
    source_hash = article.content_hash  # of what the source said, before enrichment
    if enriched:
        article = enrich(article)
    lang = article.lang or "und"
    title: dict[str, list] = {}
    surface: list[list[str]] = []  # the words as written, for the keyword lists' forms
    body_start = collect_postings(article.title, title, lang=lang, surface=surface)
    # the title's postings again, weighted, begin the combined field: analysed once
    text = {term: [boost * TITLE_BOOST, *positions]
            for term, (boost, *positions) in title.items()}
    body_end = collect_postings(article.body, text, start_pos=body_start + _TITLE_BODY_GAP,
                                lang=lang, surface=surface)
    if lang in ("de", "und"):  # German positions are one per word (analysis.count_words)
        words = body_end - _TITLE_BODY_GAP  # title: 0..body_start, body after the gap
    else:  # other languages' positions stop at the last word that is not a stop word
        words = count_words(article.title, lang) + count_words(article.body, lang)
    doc = {
        "id": article.key,
        "title": precomputed(title),
        "_stored_title": article.title,
        "body": article.body,
        "text": precomputed(text),
        "origin": article.origin,
        "line": article.line,
        "hash": source_hash,
        "text_hash": article.text_hash,
        "_words": words,  # doc values only (the leading underscore keeps it out of whoosh)
        "_surface": surface,  # SegmentBuilder's written forms, instead of tokenising again
    }
    # Sortable fields always get a value: whoosh 2.7 reads past the end of a
    # column whose last documents have none.
    doc.update(date=article.date or "", section=article.section or "", lang=lang)
    optional = {"url": article.url, "source": article.source}
    doc.update({k: v for k, v in optional.items() if v})
    for name in ("persons", "orgs", "places"):
        values = getattr(article, name)
        if values:
            doc[name] = ",".join(values)
    return doc

