"""What a search engine offers the rest of the project (CLI, web).

A second engine (OpenSearch, for deployments beyond one machine) implements
this protocol and nothing else needs to change.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from search.models import Article, SearchRequest, SearchResponse


class IndexUnavailable(RuntimeError):
    """No usable index (missing, or built by another schema version)."""


class Engine(Protocol):
    def search(self, request: SearchRequest) -> SearchResponse:
        """One page of ranked hits with facets, histogram, snippets, warnings."""

    def article(self, article_id: str, similar: int = 5) -> Article | None:
        """The whole article with its entities and similar articles; None if unknown."""

    def export(self, request: SearchRequest) -> Iterator[dict]:
        """Every matching article (not just a page) as flat records, in the request's order:
        id, title, date, section, url, source, lang, persons, orgs, places, body."""

    def health(self) -> dict:
        """``{"ok": True, "articles": N, "generation": "..."}``."""
