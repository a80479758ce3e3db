"""The search library's vocabulary: a request in, a response out.

Plain dataclasses that serialise to JSON with ``to_dict()``; nothing here
knows about whoosh or Flask.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Literal

Sort = Literal["relevance", "newest", "oldest"]
Operator = Literal["and", "or"]
Syntax = Literal["query", "plain"]

MAX_PAGE_SIZE = 100
# Long pasted passages are searched with syntax=plain (any op): the parser merges repeated
# words and the engine is to search only the most informative distinct ones
# (search.query.limit_terms). The query syntax keeps the short limit: the parser would
# manage 20,000 characters in linear time, but the engine's spelling suggestion still
# looks up every word of q, repeats included, in the lexicon.
MAX_QUERY_CHARS = 20_000  # any q (also what web/params.py and the OpenAPI document allow)
MAX_SYNTAX_QUERY_CHARS = 1_000  # q with syntax=query
DEFAULT_FACET_SIZE = 10
MAX_FACET_SIZE = 100
FACET_FIELDS = ("section", "outlet", "person", "org", "place", "lang")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def max_query_chars(syntax: str) -> int:
    """The longest q allowed with this syntax."""
    return MAX_QUERY_CHARS if syntax == "plain" else MAX_SYNTAX_QUERY_CHARS


class InvalidRequest(ValueError):
    """A request parameter that cannot be used; ``parameter`` names it."""

    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


@dataclass
class SearchRequest:
    q: str = ""
    op: Operator = "and"
    syntax: Syntax = "query"
    sections: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)  # indexer.outlets.outlet_of; any of them
    date_from: str | None = None  # "2024", "2024-11" or "2024-11-14"
    date_to: str | None = None
    persons: list[str] = field(default_factory=list)
    orgs: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    langs: list[str] = field(default_factory=list)
    sort: Sort = "relevance"
    page: int = 1
    size: int = 10
    facet_size: int = DEFAULT_FACET_SIZE
    snippets: bool = True
    facets: bool = True
    # Deep paging (search.cursor): the next_cursor of the page before; page stays 1
    cursor: str | None = None

    def validate(self) -> SearchRequest:
        """Raise ``InvalidRequest`` naming the first bad parameter."""
        from indexer.dates import DateError, parse_date_bound

        if not isinstance(self.q, str):
            raise InvalidRequest("q", "q must be a string")
        if len(self.q) > MAX_QUERY_CHARS:
            raise InvalidRequest("q", f"q is longer than {MAX_QUERY_CHARS} characters")
        if self.op not in ("and", "or"):
            raise InvalidRequest("op", "op must be 'and' or 'or'")
        if self.syntax not in ("query", "plain"):
            raise InvalidRequest("syntax", "syntax must be 'query' or 'plain'")
        if len(self.q) > (limit := max_query_chars(self.syntax)):
            raise InvalidRequest("q", f"q is longer than {limit} characters; for long or pasted "
                                      f"text use syntax=plain (up to {MAX_QUERY_CHARS})")
        if _SURROGATE.search(self.q):
            raise InvalidRequest("q", "q contains half a UTF-16 surrogate pair")
        if self.sort not in ("relevance", "newest", "oldest"):
            raise InvalidRequest("sort", "sort must be 'relevance', 'newest' or 'oldest'")
        if not isinstance(self.page, int) or self.page < 1:
            raise InvalidRequest("page", "page must be a whole number from 1")
        if not isinstance(self.size, int) or not 1 <= self.size <= MAX_PAGE_SIZE:
            raise InvalidRequest("size", f"size must be between 1 and {MAX_PAGE_SIZE}")
        if self.cursor is not None and self.page != 1:
            raise InvalidRequest("page", "page and cursor exclude each other: a cursor "
                                         "already says where the page starts; leave page out")
        if self.cursor is not None:
            from search.cursor import decode

            decode(self.cursor)  # a malformed one is refused before any work
        if not isinstance(self.facet_size, int) or not 0 <= self.facet_size <= MAX_FACET_SIZE:
            raise InvalidRequest("facet_size", f"facet_size must be between 0 and {MAX_FACET_SIZE}")
        for name, value, end in (("from", self.date_from, False), ("to", self.date_to, True)):
            if value:
                try:
                    day = parse_date_bound(value, end=end)
                except DateError as exc:
                    raise InvalidRequest(name, f"{exc}; use YYYY, YYYY-MM or YYYY-MM-DD") from None
                if not day.isascii():  # "٢٠٢٤" passes the pattern as a year, kept as written
                    raise InvalidRequest(name, f"{name} must be written with the digits 0-9; "
                                               "use YYYY, YYYY-MM or YYYY-MM-DD")
        return self


@dataclass
class Snippet:
    field: str  # "title" or "body"
    html: str  # escaped text with <mark> around matched words


@dataclass
class Hit:
    id: str
    title: str
    date: str | None
    section: str | None
    url: str | None
    score: float
    snippets: list[Snippet]
    entities: dict[str, list[str]]  # persons, orgs, places
    lang: str | None = None
    duplicates: int = 0  # further copies of the same text this hit stands for


@dataclass
class FacetValue:
    value: str
    count: int
    selected: bool = False


@dataclass
class Facet:
    name: str  # section, outlet, person, org, place, lang
    values: list[FacetValue]


@dataclass
class DateBucket:
    key: str  # "2024", "2024-11" or "2024-11-14"
    start: str  # first day, YYYY-MM-DD
    end: str  # last day
    count: int


@dataclass
class DateHistogram:
    interval: Literal["year", "month", "day"]
    buckets: list[DateBucket]
    undated: int = 0


@dataclass
class SearchResponse:
    query: str
    total: int  # hits after grouping exact duplicates
    page: int
    size: int
    took_ms: float
    hits: list[Hit]
    facets: dict[str, Facet]
    histogram: DateHistogram | None
    warnings: list[str] = field(default_factory=list)
    suggestion: str | None = None
    next_cursor: str | None = None  # the cursor of the next page; None on the last one

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Article:
    id: str
    title: str
    body: str
    date: str | None
    section: str | None
    url: str | None
    source: str | None
    lang: str | None
    entities: dict[str, list[str]]
    similar: list[Hit] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)
