"""Hits, articles and export records made from stored fields."""
from __future__ import annotations

from indexer.entity_fields import ENTITY_FIELDS
from search import highlight
from search.models import Article, Hit, Snippet
from search.snapshot import Snapshot

MAX_SNIPPETS = 3  # per hit, the title's included


def split_values(value) -> list[str]:
    return [v for v in (value or "").split(",") if v]


def entities(doc: dict) -> dict[str, list[str]]:
    return {f.plural: split_values(doc.get(f.plural)) for f in ENTITY_FIELDS}


def make_hit(snap: Snapshot, docnum: int, score: float, duplicates: int, terms: set[str],
             with_snippets: bool) -> Hit:
    doc = snap.stored(docnum)
    lang = doc.get("lang") or "de"
    snippets: list[Snippet] = []
    if with_snippets:
        title = highlight.title_html(doc.get("title", ""), terms, lang)
        if "<mark>" in title:
            snippets.append(Snippet("title", title))
        body = highlight.snippets(doc.get("body", ""), terms, lang)
        snippets += [Snippet("body", html) for html in body[:MAX_SNIPPETS - len(snippets)]]
    return Hit(id=doc["id"], title=doc.get("title", ""), date=doc.get("date") or None,
               section=doc.get("section") or None, url=doc.get("url"),
               score=round(score, 4), snippets=snippets, entities=entities(doc),
               lang=doc.get("lang") or None, duplicates=duplicates)


def make_article(doc: dict, similar: list[Hit]) -> Article:
    return Article(id=doc["id"], title=doc.get("title", ""), body=doc.get("body", ""),
                   date=doc.get("date") or None, section=doc.get("section") or None,
                   url=doc.get("url"), source=doc.get("source"), lang=doc.get("lang"),
                   entities=entities(doc), similar=similar)


def export_record(doc: dict, score: float, duplicates: int) -> dict:
    return {"id": doc["id"], "title": doc.get("title", ""), "date": doc.get("date") or None,
            "section": doc.get("section") or None, "url": doc.get("url"),
            "source": doc.get("source"), "lang": doc.get("lang") or None,
            "score": round(score, 4), "duplicates": duplicates,
            **entities(doc), "body": doc.get("body", "")}
