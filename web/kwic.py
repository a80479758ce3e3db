"""The concordance (``search.kwic``) on the web: ``GET /api/kwic`` and the page ``/belegstellen``.

Both read the search's query and filters as ``/api/search`` does, plus the
concordance's own ``sort`` (newest, oldest, left, right), ``width``, ``size`` and
``cursor``; the API also ``format`` (json, csv, jsonl) and ``limit`` for exports.
"""
from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from search.kwic import (DEFAULT_EXPORT_LIMIT, DEFAULT_SIZE, DEFAULT_WIDTH, EXPORT_FIELDS,
                         MAX_EXPORT_LIMIT, MAX_SIZE, MAX_WIDTH, SORTS, KwicRequest, concordance,
                         concordance_rows)
from search.models import InvalidRequest
from web import get_engine, is_api_request
from web.api import error_response, stream_export
from web.params import (FORMATS, LIST_PARAMS, SEARCH_PARAMS, State, choice_param,
                        integer_param, parse_search, shown)

bp = Blueprint("kwic", __name__)

# the search's query and filters; its sort, page, size, facets and format are not read
FILTER_PARAMS = frozenset(SEARCH_PARAMS) - {"sort", "page", "size", "facet_size", "format",
                                              "cursor"}
KWIC_PARAMS = FILTER_PARAMS | {"sort", "width", "size", "cursor", "format", "limit"}
SORT_LABELS = {"newest": "Neueste zuerst", "oldest": "Älteste zuerst",
               "left": "Wort links davor", "right": "Wort rechts danach"}


@bp.errorhandler(InvalidRequest)
def invalid_request(exc: InvalidRequest):
    if is_api_request():
        return error_response(400, "invalid_parameter", exc.message, exc.parameter)
    return _page(exc.parameter, f"{exc.parameter}: {exc.message}", status=400)


def parse_kwic(args: MultiDict, *, strict: bool = True) -> tuple[KwicRequest, str, int]:
    """A validated ``KwicRequest``, the format and the export limit."""
    if strict:
        for name in args:
            if name not in KWIC_PARAMS:
                raise InvalidRequest(name, f"unknown parameter {shown(name)}; known: "
                                           + ", ".join(sorted(KWIC_PARAMS)))
        for name in KWIC_PARAMS - set(LIST_PARAMS):
            if len(args.getlist(name)) > 1:
                raise InvalidRequest(name, f"{name} may be given only once")
        for name, value in args.items(multi=True):
            if name != "q" and not value.strip():
                raise InvalidRequest(name, f"{name} is empty; leave it out instead")
    filters = MultiDict([(k, v) for k, v in args.items(multi=True) if k in FILTER_PARAMS])
    search, _ = parse_search(filters, strict=strict)
    search.facets = search.snippets = False
    fmt = choice_param(args, "format", FORMATS, "json")
    cursor = args.get("cursor", "").strip() or None
    if cursor and fmt != "json":
        raise InvalidRequest("cursor", "cursor pages format=json; an export (csv, jsonl) "
                                       "holds every occurrence up to limit")
    kwic = KwicRequest(search=search, sort=choice_param(args, "sort", SORTS, "newest"),
                       width=integer_param(args, "width", DEFAULT_WIDTH, 1, MAX_WIDTH),
                       size=integer_param(args, "size", DEFAULT_SIZE, 1, MAX_SIZE), cursor=cursor)
    limit = integer_param(args, "limit", DEFAULT_EXPORT_LIMIT, 1, MAX_EXPORT_LIMIT)
    return kwic.validate(), fmt, limit


@bp.get("/api/kwic")
def api_kwic():
    kwic, fmt, limit = parse_kwic(request.args)
    engine = get_engine()
    if fmt == "json":
        result = concordance(engine, kwic).to_dict()
        state = State([(k, v) for k, v in request.args.items(multi=True)
                       if k not in ("format", "limit")], keep=KWIC_PARAMS)
        result["links"] = {"self": state.url(url_for("kwic.api_kwic")),
                           "next": (state.set(cursor=result["next_cursor"]).url(
                               url_for("kwic.api_kwic")) if result["next_cursor"] else None)}
        return jsonify(result)
    return stream_export(lambda: (row.to_dict() for row in concordance_rows(engine, kwic, limit)),
                         fmt, EXPORT_FIELDS, "belegstellen")


def _page(bad_parameter: str | None = None, error: str | None = None, status: int = 200):
    state = State(list(request.args.items(multi=True)), keep=KWIC_PARAMS)
    if bad_parameter:
        state = state.without(bad_parameter)
    result, kwic = None, None
    if error is None:
        kwic, _, _ = parse_kwic(request.args, strict=False)
        if kwic.search.q.strip():
            result = concordance(get_engine(), kwic)
    base = url_for("kwic.kwic_page")
    api = url_for("kwic.api_kwic")
    export = state.without("cursor").without("size")
    html = render_template(
        "kwic.html", state=state, q=request.args.get("q", "")[:1000], result=result,
        kwic=kwic, error=error, sort_labels=SORT_LABELS,
        next_url=(state.set(cursor=result.next_cursor).url(base)
                  if result and result.next_cursor else None),
        first_url=state.without("cursor").url(base) if kwic and kwic.cursor else None,
        search_url=State([(k, v) for k, v in state.pairs if k in FILTER_PARAMS]).url(
            url_for("pages.search_page")),
        export_urls={fmt: export.set(format=fmt).url(api) for fmt in ("csv", "jsonl")})
    return Response(html, status=status, mimetype="text/html")


@bp.get("/belegstellen")
def kwic_page():
    return _page()
