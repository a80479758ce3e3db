"""Keywords and co-occurrence on the web: ``/api/keywords``, ``/api/cooccurrence``,
``/api/network``, the page ``/netzwerk`` and the panel "Typische Begriffe" of the search
page (a template global, so the search page needs one include for it).

The analysis parameters are read here; the search parameters (q, filters) by
``web.params.parse_search``, so they mean what they mean on ``/api/search``.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import replace

from cachetools import LRUCache

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from search import cooccurrence as co
from search import keywords as kw
from search.models import InvalidRequest, SearchRequest
from web import get_engine
from web.api import error_response
from web.export import csv_lines
from web.params import (DATE_BOUND_PATTERN, LIST_PARAMS, SEARCH_PARAMS, State, choice_param,
                        date_param, integer_param, parse_search, shown)

log = logging.getLogger("pressearchiv.web")
bp = Blueprint("analysis", __name__)

# search parameters that do not apply to an analysis (paging, order, facets, format)
NOT_FOR_ANALYSIS = ("sort", "page", "size", "facet_size", "format")
QUERY_PARAMS = SEARCH_PARAMS - frozenset(NOT_FOR_ANALYSIS)
KEYWORD_PARAMS = ("ref_q", "ref_from", "ref_to", "size", "min_count", "sample", "entities",
                  "interval", "sort", "format")
COOCCURRENCE_PARAMS = ("size", "min_count", "kind", "interval", "sort", "format")
NETWORK_PARAMS = ("nodes", "min_count", "kind", "format")
PANEL_SIZE = 12
PANEL_SAMPLE = 1_000
PANEL_WAIT = 0.05  # seconds the page waits for a new generation's counts, then goes without
# The panel's lists per (generation, search): paging through a result, changing its order
# or coming back to it costs nothing more. Bounded; a new generation is a new key.
PANEL_CACHE: LRUCache = LRUCache(maxsize=512)
_PANEL_LOCK = threading.Lock()


@bp.errorhandler(InvalidRequest)
def invalid_request(exc: InvalidRequest):
    if request.path.startswith("/api/"):
        return error_response(400, "invalid_parameter", exc.message, exc.parameter)
    return Response(render_template("error.html", status=400, title="Ungültige Anfrage",
                                    text=f"{exc.parameter}: {exc.message}"),
                    status=400, mimetype="text/html")


def _split(args: MultiDict, own: tuple[str, ...], strict: bool) -> tuple[SearchRequest, MultiDict]:
    """The search request and the analysis's own parameters."""
    search_args, mine = MultiDict(), MultiDict()
    for name, value in args.items(multi=True):
        if name in own:
            mine.add(name, value)
        elif name in QUERY_PARAMS:
            search_args.add(name, value)
        elif strict:
            raise InvalidRequest(name, f"unknown parameter {shown(name)}; known: "
                                 + ", ".join(sorted(QUERY_PARAMS | set(own))))
    if strict:
        for name in own:
            if name != "kind" and len(mine.getlist(name)) > 1:
                raise InvalidRequest(name, f"{name} may be given only once")
        for name, value in mine.items(multi=True):
            if not value.strip():
                raise InvalidRequest(name, f"{name} is empty; leave it out instead")
    search, _ = parse_search(search_args, strict=strict)
    search.facets = search.snippets = False
    return search, mine


def keywords_request(args: MultiDict, strict: bool = True) -> tuple[kw.KeywordsRequest, str]:
    search, mine = _split(args, KEYWORD_PARAMS, strict)
    ref_from, first = date_param(mine, "ref_from", end=False)
    ref_to, last = date_param(mine, "ref_to", end=True)
    if first and last and last < first:
        raise InvalidRequest("ref_to", f"ref_to ({ref_to}) lies before ref_from ({ref_from})")
    ref_q = mine.get("ref_q", "")
    if len(ref_q) > 1000:
        raise InvalidRequest("ref_q", "ref_q is longer than 1000 characters")
    req = kw.KeywordsRequest(
        search=search, reference_q=ref_q, reference_from=ref_from, reference_to=ref_to,
        size=integer_param(mine, "size", kw.DEFAULT_SIZE, 1, kw.MAX_SIZE),
        min_count=integer_param(mine, "min_count", kw.DEFAULT_MIN_COUNT, 1, 1_000_000),
        sample=integer_param(mine, "sample", kw.DEFAULT_SAMPLE, 100, kw.MAX_SAMPLE),
        entities=choice_param(mine, "entities", ("true", "false"), "true") == "true",
        interval=choice_param(mine, "interval", kw.INTERVALS, None),
        sort=choice_param(mine, "sort", kw.SORTS, "g2"))
    fmt = choice_param(mine, "format", ("json", "csv"), "json")
    try:  # the reference's parameters carry their ref_ names
        req.reference_request().validate()
    except InvalidRequest as exc:
        names = {"q": "ref_q", "from": "ref_from", "to": "ref_to"}
        raise InvalidRequest(names.get(exc.parameter, "ref_q"), exc.message) from None
    req.validate()
    return req, fmt


def cooccurrence_request(args: MultiDict, own=COOCCURRENCE_PARAMS, strict: bool = True
                         ) -> tuple[co.CooccurrenceRequest, str, MultiDict]:
    search, mine = _split(args, own, strict)
    kinds = list(dict.fromkeys(mine.getlist("kind"))) or list(co.KINDS)
    for kind in kinds:
        if kind not in co.KINDS:
            raise InvalidRequest("kind", f"kind must be 'person', 'org' or 'place', "
                                 f"got {shown(kind)}")
    req = co.CooccurrenceRequest(
        search=search, kinds=kinds,
        size=integer_param(mine, "size", co.DEFAULT_SIZE, 1, co.MAX_SIZE),
        min_count=integer_param(mine, "min_count", co.DEFAULT_MIN_COUNT, 1, 1_000_000),
        nodes=integer_param(mine, "nodes", co.DEFAULT_NODES, 2, co.MAX_NODES),
        interval=choice_param(mine, "interval", ("year", "month"), None),
        sort=choice_param(mine, "sort", co.SORTS, "log_dice"))
    req.validate()
    return req, mine.get("format", "json"), mine


def _csv(rows, fields, name: str) -> Response:
    response = Response("".join(csv_lines(rows, fields)), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def keyword_links(item: dict, search: SearchRequest, state: State) -> dict:
    """The search with the keyword added, and its concordance."""
    base = url_for("pages.search_page")
    if item["kind"] == "term":
        q = f"{search.q} {item['label']}".strip()
        item["search_url"] = state.set(q=q).url(base)
        item["concordance_url"] = State([("q", item["label"])]).url("/belegstellen")
    else:
        item["search_url"] = state.toggle(item["kind"], item["term"]).url(base)
        item["concordance_url"] = State([("q", f'"{item["label"]}"')]).url("/belegstellen")
    return item


@bp.get("/api/keywords")
def api_keywords():
    req, fmt = keywords_request(request.args)
    result = kw.keywords(get_engine(), req)
    if fmt == "csv":
        return _csv(result.rows(), kw.CSV_FIELDS, "typische-begriffe.csv")
    data = result.to_dict()
    state = State.from_args(request.args)
    state.pairs = [(k, v) for k, v in state.pairs if k in QUERY_PARAMS]
    for lst in [data, *data.get("periods", [])]:
        for item in lst["terms"] + lst["entities"]:
            keyword_links(item, req.search, state)
    return jsonify(data)


@bp.get("/api/cooccurrence")
def api_cooccurrence():
    req, fmt, _ = cooccurrence_request(request.args)
    if fmt not in ("json", "csv"):
        raise InvalidRequest("format", f"format must be 'json' or 'csv', got {shown(fmt)}")
    result = co.cooccurrence(get_engine(), req)
    if fmt == "csv":
        return _csv(result.rows(), co.CSV_FIELDS, "kookkurrenzen.csv")
    return jsonify(result.to_dict())


NETWORK_FORMATS = ("json", "csv", "graphml", "svg")


@bp.get("/api/network")
def api_network():
    req, fmt, _ = cooccurrence_request(request.args, NETWORK_PARAMS)
    if fmt not in NETWORK_FORMATS:
        raise InvalidRequest("format", "format must be one of "
                             + ", ".join(f"'{f}'" for f in NETWORK_FORMATS) + f", got {shown(fmt)}")
    net = co.network(get_engine(), req)
    if fmt == "csv":
        return _csv(net.edge_rows(), co.EDGE_FIELDS, "netzwerk-kanten.csv")
    if fmt == "graphml":
        response = Response(net.graphml(), content_type="application/graphml+xml; charset=utf-8")
        response.headers["Content-Disposition"] = 'attachment; filename="netzwerk.graphml"'
        return response
    if fmt == "svg":
        return Response(net.svg(title=_title(req.search)),
                        content_type="image/svg+xml; charset=utf-8")
    return jsonify(net.to_dict())


def _title(search: SearchRequest) -> str:
    names = [*search.persons, *search.orgs, *search.places]
    parts = ([f"„{search.q}“"] if search.q.strip() else []) + names
    return "Netzwerk: " + ", ".join(parts) if parts else "Netzwerk"


@bp.get("/netzwerk")
def network_page():
    args = request.args
    state = State.from_args(args)
    has_target = bool(args.get("q", "").strip() or any(args.get(p, "").strip()
                                                       for p in ("person", "org", "place")))
    result = net = None
    error = None
    if has_target:
        try:
            req, _, _ = cooccurrence_request(args, COOCCURRENCE_PARAMS + ("nodes",), strict=False)
            engine = get_engine()
            result = co.cooccurrence(engine, req)
            net = co.network(engine, req)
        except InvalidRequest as exc:
            error = f"{exc.parameter}: {exc.message}"
    api_args = [(k, v) for k, v in state.pairs if k in QUERY_PARAMS]
    exports = {fmt: State(api_args + [("format", fmt)]).url(url_for("analysis.api_network"))
               for fmt in ("graphml", "csv", "svg")}
    exports["liste"] = State(api_args + [("format", "csv")], keep=frozenset(
        QUERY_PARAMS | {"format"})).url(url_for("analysis.api_cooccurrence"))
    html = render_template(
        "netzwerk.html", q=args.get("q", ""), person=args.get("person", ""),
        org=args.get("org", ""), place=args.get("place", ""), date_from=args.get("from", ""),
        date_to=args.get("to", ""), result=result, net=net, error=error,
        svg=net.svg(title=_title(req.search)) if net and net.nodes else None,
        exports=exports, kind_labels=co.KIND_LABELS, date_pattern=DATE_BOUND_PATTERN,
        search_url=lambda name, kind: State([(kind, name)]).url(url_for("pages.search_page")))
    return Response(html, status=400 if error else 200, mimetype="text/html")


@bp.app_template_global()
def keyword_panel(req: SearchRequest | None, state: State | None) -> dict | None:
    """The panel "Typische Begriffe" of a search page: a small sample of the result
    (``PANEL_SAMPLE`` articles) against the rest of the archive; None where there is
    nothing to compare (no query and no filter) or it failed."""
    if req is None or state is None or not current_app.config.get("KEYWORD_PANEL", True):
        return None
    filtered = req.date_from or req.date_to or any(getattr(req, attr)
                                                   for attr in LIST_PARAMS.values())
    if not req.q.strip() and not filtered:
        return None  # the whole archive: nothing to compare it with
    search = replace(req, sort="relevance", page=1, size=10, facets=False, snippets=False)
    try:
        engine = get_engine()
        key = (engine.health()["generation"], repr(search))
        with _PANEL_LOCK:
            result = PANEL_CACHE.get(key)
        if result is None:
            result = kw.keywords(engine, kw.KeywordsRequest(search=search, size=PANEL_SIZE,
                                                            sample=PANEL_SAMPLE),
                                 wait=current_app.config.get("KEYWORD_PANEL_WAIT", PANEL_WAIT))
            if result is None:  # the first search of a new generation: no panel this time
                return None
            with _PANEL_LOCK:
                PANEL_CACHE[key] = result
    except Exception:  # noqa: BLE001 - the panel must never break the search page
        log.exception("the keyword panel failed")
        return None
    query_state = State([(k, v) for k, v in state.pairs if k in QUERY_PARAMS])
    data = result.to_dict()
    for item in data["terms"] + data["entities"]:
        keyword_links(item, search, query_state)
    base = url_for("analysis.api_keywords")
    data["csv_url"] = State(query_state.pairs + [("format", "csv"), ("size", "100")],
                            keep=frozenset(QUERY_PARAMS | {"format", "size"})).url(base)
    data["json_url"] = query_state.url(base)
    data["network_url"] = query_state.url(url_for("analysis.network_page"))
    return data


# the OpenAPI document's paths for this module (web/openapi.py adds them) ----------------

def openapi_paths() -> dict:
    from web.openapi import COMMON_ERRORS, DATE_BOUND, SEARCH_PARAMETERS, _error, _param

    query = [p for p in SEARCH_PARAMETERS if p["name"] in QUERY_PARAMS]
    integer = lambda low, high, default: {"type": "integer", "minimum": low,  # noqa: E731
                                          "maximum": high, "default": default}
    kind = {"name": "kind", "in": "query", "required": False, "style": "form", "explode": True,
            "description": "Only names of these kinds (repeatable; default all).",
            "schema": {"type": "array", "items": {"type": "string", "enum": list(co.KINDS)}}}
    interval = _param("interval", {"type": "string", "enum": ["year", "month"]},
                      "Also one list per year or month (the CSV: one row per period and entry).")
    obj = {"type": "object"}
    bad = _error("A parameter is unknown or malformed; `parameter` names it.")

    def answer(description: str, **types) -> dict:
        return {"description": description,
                "content": {t: {"schema": s} for t, s in types.items()}}

    return {
        "/api/keywords": {"get": {
            "operationId": "keywords",
            "summary": "Typical terms and names of a result (keyness)",
            "description": kw.METHOD,
            "parameters": query + [
                _param("ref_q", {"type": "string", "maxLength": 1000},
                       "Reference: another query's result (default: the rest of the archive)."),
                _param("ref_from", DATE_BOUND, "Reference: from this date."),
                _param("ref_to", DATE_BOUND, "Reference: up to this date."),
                _param("size", integer(1, kw.MAX_SIZE, kw.DEFAULT_SIZE), "Terms and names each."),
                _param("min_count", integer(1, 1_000_000, kw.DEFAULT_MIN_COUNT),
                       "Least number of focus articles with the term."),
                _param("sample", integer(100, kw.MAX_SAMPLE, kw.DEFAULT_SAMPLE),
                       "A larger focus is counted on a random sample of this size."),
                _param("entities", {"type": "string", "enum": ["true", "false"],
                                    "default": "true"}, "Also persons, organisations, places."),
                interval,
                _param("sort", {"type": "string", "enum": list(kw.SORTS), "default": "g2"},
                       "Order by G² or by Log Ratio."),
                _param("format", {"type": "string", "enum": ["json", "csv"], "default": "json"},
                       "csv: one row per period and term."),
            ],
            "responses": {"200": answer("The keyword lists.", **{
                "application/json": {**obj, "required": ["method", "terms", "entities",
                                                         "focus_sample", "reference"]},
                "text/csv": {"type": "string"}}), "400": bad, **COMMON_ERRORS},
        }},
        "/api/cooccurrence": {"get": {
            "operationId": "cooccurrence",
            "summary": "Names co-occurring with an entity or a query's result",
            "description": co.METHOD,
            "parameters": query + [
                _param("size", integer(1, co.MAX_SIZE, co.DEFAULT_SIZE), "Entries."),
                _param("min_count", integer(1, 1_000_000, co.DEFAULT_MIN_COUNT),
                       "Least number of shared articles."),
                kind, interval,
                _param("sort", {"type": "string", "enum": list(co.SORTS), "default": "log_dice"},
                       "Order by logDice, by G² or by the number of shared articles."),
                _param("format", {"type": "string", "enum": ["json", "csv"], "default": "json"},
                       "csv: one row per period and name."),
            ],
            "responses": {"200": answer("The co-occurring names.", **{
                "application/json": {**obj, "required": ["method", "cooccurrences",
                                                         "target_articles"]},
                "text/csv": {"type": "string"}}),
                "400": _error("A parameter is malformed, or neither an entity nor q is given."),
                **COMMON_ERRORS},
        }},
        "/api/network": {"get": {
            "operationId": "network",
            "summary": "The co-occurrence network of a result's most frequent names",
            "description": co.NETWORK_METHOD,
            "parameters": query + [
                _param("nodes", integer(2, co.MAX_NODES, co.DEFAULT_NODES), "Nodes."),
                _param("min_count", integer(1, 1_000_000, co.DEFAULT_MIN_COUNT),
                       "Least number of shared articles for an edge."),
                kind,
                _param("format", {"type": "string", "enum": ["json", "csv", "graphml", "svg"],
                                  "default": "json"},
                       "csv: the edge list; graphml for Gephi or networkx; svg: drawn."),
            ],
            "responses": {"200": answer("The network.", **{
                "application/json": {**obj, "required": ["nodes", "edges"]},
                "text/csv": {"type": "string"}, "application/graphml+xml": {"type": "string"},
                "image/svg+xml": {"type": "string"}}),
                "400": _error("A parameter is malformed, or neither an entity nor q is given."),
                **COMMON_ERRORS},
        }},
    }
