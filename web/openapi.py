"""The OpenAPI 3.1 document of the JSON API, served at ``/api/openapi.json``.

Kept beside the code it describes; the tests validate it and every response
against it (``tests/test_openapi.py``).
"""
from __future__ import annotations

import copy

from indexer.entity_fields import ENTITY_FIELDS
from search.models import DEFAULT_FACET_SIZE, MAX_FACET_SIZE, MAX_PAGE_SIZE, MAX_QUERY_CHARS
from search.kwic import DEFAULT_EXPORT_LIMIT as KWIC_DEFAULT_EXPORT
from search.kwic import DEFAULT_SIZE as KWIC_DEFAULT_SIZE
from search.kwic import DEFAULT_WIDTH as KWIC_DEFAULT_WIDTH
from search.kwic import MAX_EXPORT_LIMIT as KWIC_MAX_EXPORT
from search.kwic import MAX_SIZE as KWIC_MAX_SIZE
from search.kwic import MAX_SORT_ARTICLES
from search.kwic import MAX_WIDTH as KWIC_MAX_WIDTH
from search.kwic import SORTS as KWIC_SORTS
from web.api import MAX_SIMILAR
from web.params import DATE_BOUND_PATTERN, MAX_FILTER_CHARS, MAX_FILTER_VALUES, MAX_PAGE

NULLABLE_STRING = {"type": ["string", "null"]}
DATE_BOUND = {"type": "string", "minLength": 4, "maxLength": 10,
              "pattern": f"^({DATE_BOUND_PATTERN})$",
              "examples": ["2024", "2024-11", "2024-11-14"]}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _list_param(name: str, description: str) -> dict:
    # No maxItems: the limit is on *different* values (a repeated value counts once, and
    # one spelled otherwise too), which JSON Schema cannot say; the description does.
    return {"name": name, "in": "query", "required": False,
            "description": f"{description} At most {MAX_FILTER_VALUES} different values; "
                           "a repeated value counts once.",
            "style": "form", "explode": True,
            "schema": {"type": "array",
                       "items": {"type": "string", "minLength": 1,
                                 "maxLength": MAX_FILTER_CHARS}}}


def _param(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema}


SEARCH_PARAMETERS = [
    _param("q", {"type": "string", "maxLength": MAX_QUERY_CHARS},
           "The query. Free text (all words required), German and English operators "
           "(UND/AND, ODER/OR, NICHT/NOT, -word, parentheses), \"phrases\", \"a b\"~10, "
           "prefix*, fuzzy~, fields (titel:, ressort:, person:, org:, ort:, datum:). "
           "Empty with filters: browse the archive. At most 1,000 characters with "
           "syntax=query, 20,000 with syntax=plain (a pasted passage, best with op=or: "
           "searched by its 64 most informative distinct words)."),
    _param("op", {"type": "string", "enum": ["and", "or"], "default": "and"},
           "`or`: any word suffices (ranked), for long or pasted queries."),
    _param("syntax", {"type": "string", "enum": ["query", "plain"], "default": "query"},
           "`plain`: the whole input is words, no operators."),
    _list_param("section", "Only these sections (repeatable; any of them)."),
    _list_param("outlet", "Only these outlets (repeatable; any of them): the source a record "
                          "names, else the site of its URL (`zeit.de`, `tagesschau.de`)."),
    _param("from", DATE_BOUND, "Earliest date: a year, month or day (its first day)."),
    _param("to", DATE_BOUND, "Latest date: a year, month or day (its last day)."),
    _list_param("person", "Only articles naming these persons (repeatable; all of them)."),
    _list_param("org", "Only articles naming these organisations (repeatable)."),
    _list_param("place", "Only articles naming these places (repeatable)."),
    _list_param("lang", "Only articles in these languages (ISO 639-1, repeatable)."),
    _param("sort", {"type": "string", "enum": ["relevance", "newest", "oldest"],
                    "default": "relevance"}, "Order of the hits."),
    _param("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
           "Page number; a page beyond the last is empty, not an error."),
    _param("size", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": 10},
           "Hits per page."),
    _param("cursor", {"type": "string", "minLength": 1, "maxLength": 1000},
           "Deep paging: the `next_cursor` of the previous page, unchanged (opaque). The "
           "page continues the order after that page's last hit (ties broken by the "
           "document number, so no hit repeats or goes missing); `page` must then be "
           "left out (400 otherwise). A cursor from before a rebuild or update of the "
           "index gets 409 `stale_cursor`; one from another search (query, filters, sort) "
           "a 400. Not with format=csv or jsonl."),
    _param("facet_size", {"type": "integer", "minimum": 0, "maximum": MAX_FACET_SIZE,
                          "default": DEFAULT_FACET_SIZE}, "Values per facet."),
    _param("format", {"type": "string", "enum": ["json", "csv", "jsonl"], "default": "json"},
           "`csv` or `jsonl`: every matching article (not a page), streamed as a download. "
           "An export that fails part-way ends without the end of its chunked body (the "
           "connection is dropped), so it never looks complete. CSV cells that start like a "
           "formula (`=`, `+`, `-`, `@`, tab, carriage return) get a leading `'`."),
]

_NOT_KWIC = {"sort", "page", "size", "facet_size", "format", "cursor"}
KWIC_PARAMETERS = [p for p in SEARCH_PARAMETERS if p["name"] not in _NOT_KWIC] + [
    _param("sort", {"type": "string", "enum": list(KWIC_SORTS), "default": "newest"},
           "Order of the rows: `newest`/`oldest` by article date (then document, title "
           "before body, position; only as many articles are read as the page needs); "
           f"`left`/`right` by the first word left/right of the match, lower-cased (then "
           f"article id and position), over the occurrences in at most {MAX_SORT_ARTICLES} "
           "articles, the newest (`complete` says whether that was all of them)."),
    _param("width", {"type": "integer", "minimum": 1, "maximum": KWIC_MAX_WIDTH,
                     "default": KWIC_DEFAULT_WIDTH}, "Words of context on each side."),
    _param("size", {"type": "integer", "minimum": 1, "maximum": KWIC_MAX_SIZE,
                    "default": KWIC_DEFAULT_SIZE}, "Rows per page."),
    _param("cursor", {"type": "string", "minLength": 1, "maxLength": 2000},
           "The `next_cursor` of the previous page, unchanged (opaque). 409 `stale_cursor` "
           "after a rebuild or update of the index; 400 for another query or sort. Not with "
           "format=csv or jsonl."),
    _param("format", {"type": "string", "enum": ["json", "csv", "jsonl"], "default": "json"},
           "`csv` or `jsonl`: every row in the requested order up to `limit`, streamed as a "
           "download (columns of KwicRecord; CSV cells that start like a formula get a "
           "leading `'`)."),
    _param("limit", {"type": "integer", "minimum": 1, "maximum": KWIC_MAX_EXPORT,
                     "default": KWIC_DEFAULT_EXPORT}, "Most rows of an export."),
]

_KWIC_ROW_PROPERTIES = {
    "id": {"type": "string", "description": "The article's key."},
    "date": {"type": ["string", "null"], "format": "date"},
    "outlet": {"type": ["string", "null"],
               "description": "The article's source, else its URL's domain."},
    "section": NULLABLE_STRING,
    "title": {"type": "string"},
    "url": NULLABLE_STRING,
    "field": {"type": "string", "enum": ["title", "body"]},
    "left": {"type": "string", "description": "Up to `width` words before the match, "
                                              "whitespace collapsed; never from another "
                                              "field or article."},
    "match": {"type": "string", "description": "The match as the article writes it: the "
                                               "whole word (a compound the query word is "
                                               "part of) or the whole phrase."},
    "right": {"type": "string"},
    "start": {"type": "integer", "minimum": 0,
              "description": "Character offset of the match in the stored field."},
    "end": {"type": "integer", "minimum": 0},
}

SCHEMAS = {
    "KwicRow": {"type": "object", "required": list(_KWIC_ROW_PROPERTIES),
                "properties": _KWIC_ROW_PROPERTIES},
    "KwicRecord": {"type": "object", "description": "One line of format=jsonl; CSV has the "
                                                    "same columns.",
                   "required": list(_KWIC_ROW_PROPERTIES), "properties": _KWIC_ROW_PROPERTIES},
    "KwicResponse": {
        "type": "object",
        "required": ["query", "sort", "width", "size", "articles", "articles_read",
                     "complete", "occurrences", "rows", "next_cursor", "warnings", "took_ms",
                     "links"],
        "properties": {
            "query": {"type": "string"},
            "sort": {"type": "string", "enum": list(KWIC_SORTS)},
            "width": {"type": "integer"},
            "size": {"type": "integer"},
            "articles": {"type": "integer", "minimum": 0,
                         "description": "Matching articles, exact duplicates once."},
            "articles_read": {"type": "integer", "minimum": 0,
                              "description": "Articles analysed for this page."},
            "complete": {"type": "boolean",
                         "description": "Whether the order covers every matching article "
                                        "(false when a left/right sort read only the newest, "
                                        "or a date-sorted page is not the whole result)."},
            "occurrences": {"type": ["integer", "null"], "minimum": 0,
                            "description": "All rows of the result, when known."},
            "rows": {"type": "array", "items": _ref("KwicRow")},
            "next_cursor": NULLABLE_STRING,
            "warnings": {"type": "array", "items": {"type": "string"}},
            "took_ms": {"type": "number", "minimum": 0},
            "links": {"type": "object", "required": ["self", "next"],
                      "properties": {"self": {"type": "string"}, "next": NULLABLE_STRING}},
        },
    },
    "Error": {
        "type": "object",
        "required": ["error"],
        "additionalProperties": False,
        "properties": {"error": {
            "type": "object",
            "required": ["status", "code", "message"],
            "additionalProperties": False,
            "properties": {
                "status": {"type": "integer", "minimum": 400, "maximum": 599},
                "code": {"type": "string",
                         "examples": ["invalid_parameter", "stale_cursor", "not_found",
                                      "method_not_allowed",
                                      "too_many_exports", "index_unavailable",
                                      "internal_error"]},
                "message": {"type": "string"},
                "parameter": {"type": "string",
                              "description": "The query parameter at fault (400 and 409)."},
            },
        }},
    },
    "Snippet": {
        "type": "object",
        "required": ["field", "html"],
        "properties": {
            "field": {"type": "string", "enum": ["title", "body"]},
            "html": {"type": "string", "description": "HTML-escaped text; matched words in "
                                                      "<mark>…</mark>, no other markup."},
        },
    },
    "Entities": {
        "type": "object",
        "properties": {k: {"type": "array", "items": {"type": "string"}}
                       for k in (f.plural for f in ENTITY_FIELDS)},
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    },
    "Hit": {
        "type": "object",
        "required": ["id", "title", "date", "section", "url", "score", "snippets", "entities",
                     "duplicates"],
        "properties": {
            "id": {"type": "string", "description": "The key as the source gave it."},
            "title": {"type": "string"},
            "date": {"type": ["string", "null"], "format": "date"},
            "section": NULLABLE_STRING,
            "url": NULLABLE_STRING,
            "score": {"type": "number"},
            "snippets": {"type": "array", "items": _ref("Snippet")},
            "entities": _ref("Entities"),
            "lang": NULLABLE_STRING,
            "duplicates": {"type": "integer", "minimum": 0,
                           "description": "Further copies of the same text this hit stands for."},
        },
    },
    "FacetValue": {
        "type": "object",
        "required": ["value", "count", "selected", "url"],
        "properties": {
            "value": {"type": "string"},
            "count": {"type": "integer", "minimum": 0},
            "selected": {"type": "boolean"},
            "url": {"type": "string", "description": "This search with the value's filter "
                                                     "added (or removed, if selected)."},
        },
    },
    "Facet": {
        "type": "object",
        "required": ["name", "values"],
        "properties": {
            "name": {"type": "string"},
            "values": {"type": "array", "items": _ref("FacetValue")},
        },
    },
    "DateBucket": {
        "type": "object",
        "required": ["key", "start", "end", "count", "url"],
        "properties": {
            "key": {"type": "string", "examples": ["2024", "2024-11", "2024-11-14"]},
            "start": {"type": "string", "format": "date"},
            "end": {"type": "string", "format": "date"},
            "count": {"type": "integer", "minimum": 0},
            "url": {"type": "string", "description": "This search narrowed to the bucket."},
        },
    },
    "DateHistogram": {
        "type": "object",
        "required": ["interval", "buckets", "undated"],
        "properties": {
            "interval": {"type": "string", "enum": ["year", "month", "day"]},
            "buckets": {"type": "array", "items": _ref("DateBucket")},
            "undated": {"type": "integer", "minimum": 0},
        },
    },
    "Links": {
        "type": "object",
        "required": ["self", "next", "prev"],
        "properties": {"self": {"type": "string"}, "next": NULLABLE_STRING,
                       "prev": NULLABLE_STRING},
    },
    "SearchResponse": {
        "type": "object",
        "required": ["query", "total", "page", "size", "took_ms", "warnings", "hits", "facets",
                     "histogram", "suggestion", "links"],
        "properties": {
            "query": {"type": "string"},
            "total": {"type": "integer", "minimum": 0,
                      "description": "Matching articles, exact duplicates counted once."},
            "page": {"type": "integer", "minimum": 1},
            "size": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            "took_ms": {"type": "number", "minimum": 0},
            "warnings": {"type": "array", "items": {"type": "string"},
                         "description": "What of the query was not understood and ignored."},
            "hits": {"type": "array", "maxItems": MAX_PAGE_SIZE, "items": _ref("Hit")},
            "facets": {"type": "object", "additionalProperties": _ref("Facet"),
                       "description": "section, outlet, person, org, place, lang"},
            "histogram": {"oneOf": [_ref("DateHistogram"), {"type": "null"}]},
            "suggestion": {"type": ["string", "null"], "description": "Meinten Sie …"},
            "next_cursor": {"type": ["string", "null"],
                            "description": "Pass as `cursor` for the page after this one; "
                                           "null on the last page."},
            "links": _ref("Links"),
        },
    },
    "Article": {
        "type": "object",
        "required": ["id", "title", "body", "date", "section", "url", "source", "lang",
                     "entities", "similar"],
        "properties": {
            "id": {"type": "string"},
            "title": {"type": "string"},
            "body": {"type": "string"},
            "date": {"type": ["string", "null"], "format": "date"},
            "section": NULLABLE_STRING,
            "url": NULLABLE_STRING,
            "source": NULLABLE_STRING,
            "lang": NULLABLE_STRING,
            "entities": _ref("Entities"),
            "similar": {"type": "array", "items": _ref("Hit")},
        },
    },
    "Health": {
        "type": "object",
        "required": ["ok", "articles", "generation"],
        "properties": {
            "ok": {"type": "boolean"},
            "articles": {"type": "integer", "minimum": 0},
            "generation": NULLABLE_STRING,
        },
    },
    "ExportRecord": {
        "type": "object",
        "description": "One line of format=jsonl; CSV has the same columns, with lists "
                       "joined by '; '.",
        "required": ["id", "title", "date", "section", "url", "source", "lang",
                     *(f.plural for f in ENTITY_FIELDS), "body"],
        "properties": {
            "id": {"type": "string"}, "title": {"type": "string"},
            "date": {"type": ["string", "null"]}, "section": NULLABLE_STRING,
            "url": NULLABLE_STRING, "source": NULLABLE_STRING, "lang": NULLABLE_STRING,
            **{f.plural: {"type": "array", "items": {"type": "string"}} for f in ENTITY_FIELDS},
            "body": {"type": "string"},
        },
    },
}


def _error(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": _ref("Error")}}}


COMMON_ERRORS = {
    "500": _error("Unexpected failure (logged on the server; no details are shown)."),
    "503": _error("No search index is available yet."),
}

DOCUMENT = {
    "openapi": "3.1.0",
    "info": {
        "title": "pressearchiv",
        "version": "1",
        "summary": "Full-text search over German political news.",
        "description": (
            "A search API with German analysis (stemming, umlaut folding, decompounding), "
            "filters, facets, a date histogram, highlighted snippets and exports. Unknown or "
            "malformed parameters are refused with 400 and one error shape, "
            "`{\"error\": {\"status\", \"code\", \"message\", \"parameter\"}}`, which every "
            "error under /api shares."),
        "license": {"name": "MIT", "identifier": "MIT"},
    },
    "servers": [{"url": "/"}],
    "paths": {
        "/api/search": {"get": {
            "operationId": "search",
            "summary": "Search, or export all matches",
            "parameters": SEARCH_PARAMETERS,
            "responses": {
                "200": {
                    "description": "One page of hits with facets (format=json), or every "
                                   "match as a download (csv, jsonl).",
                    "content": {
                        "application/json": {"schema": _ref("SearchResponse")},
                        "text/csv": {"schema": {"type": "string"}},
                        "application/x-ndjson": {"schema": _ref("ExportRecord")},
                    },
                },
                "400": _error("A parameter is unknown or malformed; `parameter` names it."),
                "409": _error("`cursor` comes from an earlier state of the index (`code`: "
                              "`stale_cursor`): start again from the first page."),
                "429": {**_error("format=csv or jsonl while as many exports are running as "
                                 "the server allows (`code`: `too_many_exports`)."),
                        "headers": {"Retry-After": {
                            "description": "Seconds to wait before trying again.",
                            "schema": {"type": "integer", "minimum": 1}}}},
                **COMMON_ERRORS,
            },
        }},
        "/api/kwic": {"get": {
            "operationId": "kwic",
            "summary": "Concordance (keyword in context): one row per occurrence",
            "parameters": KWIC_PARAMETERS,
            "responses": {
                "200": {
                    "description": "One page of rows (format=json), or every row up to "
                                   "`limit` as a download (csv, jsonl).",
                    "content": {
                        "application/json": {"schema": _ref("KwicResponse")},
                        "text/csv": {"schema": {"type": "string"}},
                        "application/x-ndjson": {"schema": _ref("KwicRecord")},
                    },
                },
                "400": _error("A parameter is unknown or malformed; `parameter` names it."),
                "409": _error("`cursor` comes from an earlier state of the index (`code`: "
                              "`stale_cursor`)."),
                "429": _error("format=csv or jsonl while as many exports are running as "
                              "the server allows (`code`: `too_many_exports`)."),
                **COMMON_ERRORS,
            },
        }},
        "/api/articles/{id}": {"get": {
            "operationId": "article",
            "summary": "One whole article with its entities and similar articles",
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                _param("similar", {"type": "integer", "minimum": 0, "maximum": MAX_SIMILAR,
                                   "default": 5}, "How many similar articles."),
            ],
            "responses": {
                "200": {"description": "The article.",
                        "content": {"application/json": {"schema": _ref("Article")}}},
                "400": _error("A parameter is unknown or malformed."),
                "404": _error("No article has this id."),
                **COMMON_ERRORS,
            },
        }},
        "/api/health": {"get": {
            "operationId": "health",
            "summary": "Whether the index is served, its article count and generation",
            "responses": {
                "200": {"description": "The index is served.",
                        "content": {"application/json": {"schema": _ref("Health")}}},
                "400": _error("This endpoint takes no parameters."),
                **COMMON_ERRORS,
            },
        }},
        "/api/openapi.json": {"get": {
            "operationId": "openapi",
            "summary": "This document",
            "responses": {
                "200": {"description": "The OpenAPI 3.1 document.",
                        "content": {"application/json": {"schema": {"type": "object"}}}},
                "400": _error("This endpoint takes no parameters."),
            },
        }},
    },
    "components": {"schemas": SCHEMAS},
}


def openapi_document() -> dict:
    from web import trend  # noqa: I001 - the modules that add their paths themselves
    from web.analysis import openapi_paths  # keywords, co-occurrence, network

    document = trend.add_openapi(copy.deepcopy(DOCUMENT))
    document["paths"].update(openapi_paths())
    return document
