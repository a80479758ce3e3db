"""The JSON API under ``/api``: search, export, articles, health, the OpenAPI document.

Every error here has one shape, ``{"error": {"status", "code", "message", "parameter"?}}``
(see ``web/__init__.py`` for the handlers of HTTP errors and unexpected ones).
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator

from flask import (Blueprint, Response, current_app, jsonify, request, stream_with_context,
                   url_for)

from search.models import InvalidRequest
from web import get_engine
from web.export import EXPORT_FIELDS, LINES
from web.params import State, cut, parse_search, shown

log = logging.getLogger("pressearchiv.web")

bp = Blueprint("api", __name__, url_prefix="/api")

MAX_SIMILAR = 20

# A public research service: an answer is the same for everyone (no cookies, no accounts),
# so browsers and shared caches may keep it, but only for a minute, as a rebuilt index is
# served without a restart. Errors (a 503 during a rebuild, a 429 while exports are busy),
# health and exports are never stored.
CACHEABLE = "public, max-age=60"
NOT_STORED = "no-store"


def error_response(status: int, code: str, message: str, parameter: str | None = None,
                   headers: dict | None = None) -> Response:
    error = {"status": status, "code": code, "message": message}
    if parameter is not None:
        error["parameter"] = cut(parameter)  # an unknown parameter's name is the client's
    response = jsonify({"error": error})
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def cache_control(response: Response) -> Response:
    """The ``Cache-Control`` of an API response (see ``CACHEABLE``)."""
    if response.status_code >= 400:
        response.headers["Cache-Control"] = NOT_STORED
    else:
        response.headers.setdefault("Cache-Control", CACHEABLE)
    return response


@bp.errorhandler(InvalidRequest)
def invalid_request(exc: InvalidRequest):
    return error_response(400, "invalid_parameter", exc.message, exc.parameter)


def _refuse_unknown(args, known: tuple[str, ...] = ()) -> None:
    for name in args:
        if name not in known:
            raise InvalidRequest(name, f"unknown parameter {shown(name)}"
                                 + (f"; known: {', '.join(known)}" if known else
                                    "; this endpoint takes none"))


def search_links(response: dict, state: State, base: str) -> dict:
    """Add to each facet value and histogram bucket the URL that toggles or narrows to it."""
    for name, facet in (response.get("facets") or {}).items():
        for value in facet["values"]:
            value["url"] = state.toggle(name, value["value"]).url(base)
    histogram = response.get("histogram")
    if histogram:
        for bucket in histogram["buckets"]:
            bucket["url"] = state.set(from_=bucket["key"], to=bucket["key"]).url(base)
    pages = -(-response["total"] // response["size"]) if response["size"] else 0
    page = response["page"]
    response["links"] = {
        "self": state.page(page).url(base),
        "next": state.page(page + 1).url(base) if page < pages else None,
        "prev": state.page(min(page - 1, max(pages, 1))).url(base) if page > 1 else None,
    }
    return response


@bp.get("/search")
def search():
    search_request, fmt = parse_search(request.args, strict=True)
    engine = get_engine()
    if fmt != "json":
        return _export(engine, search_request, fmt)
    result = engine.search(search_request).to_dict()
    state = State.from_args(request.args, drop=("format",))
    return jsonify(search_links(result, state, url_for("api.search")))


def _export(engine, search_request, fmt: str) -> Response:
    return stream_export(lambda: engine.export(search_request), fmt, EXPORT_FIELDS,
                         "pressearchiv")


def stream_export(make_records: Callable[[], Iterable[dict]], fmt: str,
                  fields: tuple[str, ...], name: str) -> Response:
    """Records as a CSV or JSON Lines download, streamed, in one of the export slots
    (a 429 when all are taken)."""
    release = current_app.extensions["pressearchiv_exports"].take()
    if release is None:
        retry = str(current_app.config["EXPORT_RETRY_AFTER"])
        return error_response(429, "too_many_exports", "Too many exports are running; "
                              f"try again in {retry} seconds.", headers={"Retry-After": retry})
    try:
        records = iter(make_records())
        try:  # fail before the first byte if the engine fails at once (e.g. no index)
            first = [next(records)]
        except StopIteration:
            first = []
    except BaseException:
        release()
        raise
    body = LINES[fmt](_chain(first, records), fields)
    content_type = {"csv": "text/csv; charset=utf-8",
                    "jsonl": "application/x-ndjson; charset=utf-8"}[fmt]
    response = Response(stream_with_context(_failing_loudly(body, release)),
                        content_type=content_type)
    response.call_on_close(release)  # also when the body was never read
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response.headers["Cache-Control"] = NOT_STORED
    return response


def _chain(first: list[dict], rest: Iterator[dict]) -> Iterator[dict]:
    yield from first
    yield from rest


def _failing_loudly(lines: Iterable[str], release) -> Iterator[str]:
    """A failure in the middle of a stream is logged and raised on: the server then drops
    the connection without the end of the chunked body, so no client takes a cut-off
    export for a complete one (swallowing it would end the body cleanly)."""
    try:
        yield from lines
    except Exception:
        log.exception("export failed while streaming %s; the connection is dropped",
                      request.full_path)
        raise
    finally:
        release()


@bp.get("/articles/<path:article_id>")
def article(article_id: str):
    _refuse_unknown(request.args, ("similar",))
    raw = request.args.get("similar", "5")
    if not raw.isascii() or not raw.isdigit() or int(raw) > MAX_SIMILAR:
        raise InvalidRequest("similar", f"similar must be a whole number from 0 to {MAX_SIMILAR}")
    found = get_engine().article(article_id, similar=int(raw))
    if found is None:
        return error_response(404, "not_found", f"no article with id {shown(article_id)}")
    return jsonify(found.to_dict())


@bp.get("/health")
def health():
    _refuse_unknown(request.args)
    response = jsonify(get_engine().health())
    response.headers["Cache-Control"] = NOT_STORED  # monitoring wants the state of now
    return response


@bp.get("/openapi.json")
def openapi():
    from web.openapi import openapi_document

    _refuse_unknown(request.args)
    return jsonify(openapi_document())
