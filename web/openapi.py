"""The OpenAPI 3.1 document of the JSON API, served at ``/api/openapi.json``.

Kept beside the code it describes; the tests validate it and every response
against it (``tests/test_openapi.py``).
"""
from __future__ import annotations

import copy

from indexer.entity_fields import ENTITY_FIELDS
from search.models import DEFAULT_FACET_SIZE, MAX_FACET_SIZE, MAX_PAGE_SIZE, MAX_QUERY_CHARS
from web.api import MAX_SIMILAR
from web.params import DATE_BOUND_PATTERN, MAX_FILTER_CHARS, MAX_FILTER_VALUES, MAX_PAGE

NULLABLE_STRING = {"type": ["string", "null"]}
DATE_BOUND = {"type": "string", "minLength": 4, "maxLength": 10,
              "pattern": f"^({DATE_BOUND_PATTERN})$",
              "examples": ["2024", "2024-11", "2024-11-14"]}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _list_param(name: str, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description,
            "style": "form", "explode": True,
            "schema": {"type": "array", "maxItems": MAX_FILTER_VALUES,
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
    _param("facet_size", {"type": "integer", "minimum": 0, "maximum": MAX_FACET_SIZE,
                          "default": DEFAULT_FACET_SIZE}, "Values per facet."),
    _param("format", {"type": "string", "enum": ["json", "csv", "jsonl"], "default": "json"},
           "`csv` or `jsonl`: every matching article (not a page), streamed as a download. "
           "An export that fails part-way ends without the end of its chunked body (the "
           "connection is dropped), so it never looks complete. CSV cells that start like a "
           "formula (`=`, `+`, `-`, `@`, tab, carriage return) get a leading `'`."),
]

SCHEMAS = {
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
                         "examples": ["invalid_parameter", "not_found", "method_not_allowed",
                                      "too_many_exports", "index_unavailable",
                                      "internal_error"]},
                "message": {"type": "string"},
                "parameter": {"type": "string",
                              "description": "The query parameter at fault (400 only)."},
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
                "429": {**_error("format=csv or jsonl while as many exports are running as "
                                 "the server allows (`code`: `too_many_exports`)."),
                        "headers": {"Retry-After": {
                            "description": "Seconds to wait before trying again.",
                            "schema": {"type": "integer", "minimum": 1}}}},
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

    return trend.add_openapi(copy.deepcopy(DOCUMENT))
