"""Attention over time on the web: ``GET /api/trend`` (JSON or wide CSV) and the page
``/zeitverlauf`` (a form, a server-rendered SVG line chart, a table). The counting is
``search.trend``'s; this module reads parameters and draws.
"""
from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass

from flask import Blueprint, Response, jsonify, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from indexer.dates import parse_date_bound
from search.models import InvalidRequest, SearchRequest
from search.trend import (DEFAULT_SPLIT_SIZE, INTERVALS, MAX_LABEL_CHARS, MAX_QUERIES,
                          MAX_SMOOTH, MAX_SPLIT_SIZE, MEASURES, TrendRequest, TrendResponse,
                          trend)
from web import get_engine
from web.export import spreadsheet_safe
from web.filters import german_date, german_number
from web.params import (DATE_BOUND_PATTERN, LIST_PARAMS, State, choice_param, date_param,
                        filter_values, integer_param, refuse_strays)

bp = Blueprint("trend", __name__)

TREND_SINGLE = ("op", "syntax", "from", "to", "interval", "measure", "smooth", "split",
                "split_size", "format")
TREND_PARAMS = frozenset(TREND_SINGLE) | frozenset(LIST_PARAMS) | {"q", "label"}
FORMATS = ("json", "csv")
# what a point's link to the search carries: the query and the shared filters
SEARCH_CARRIED = frozenset(LIST_PARAMS) | {"op", "syntax"}


def parse_trend(args: MultiDict, *, strict: bool = True) -> tuple[TrendRequest, str]:
    """A validated ``TrendRequest`` and the format; ``strict`` as ``parse_search``'s.

    ``q`` and ``label`` pair by position. The page drops rows with an empty ``q`` (a
    form's unused rows); the API takes an empty ``q`` as every article.
    """
    if strict:
        refuse_strays(args, TREND_PARAMS, TREND_SINGLE, may_be_empty=("q", "label"))
    queries, labels = args.getlist("q"), args.getlist("label")
    if len(queries) > MAX_QUERIES:
        raise InvalidRequest("q", f"at most {MAX_QUERIES} queries (q), got {len(queries)}")
    if len(labels) > max(len(queries), 1):
        raise InvalidRequest("label", "more labels than queries (q)")
    if not strict:
        rows = [(q, labels[i] if i < len(labels) else "") for i, q in enumerate(queries)
                if q.strip()]
        queries, labels = [q for q, _ in rows], [label for _, label in rows]
    for label in labels:
        if len(label) > MAX_LABEL_CHARS:
            raise InvalidRequest("label", f"a label is at most {MAX_LABEL_CHARS} characters")
    lists = filter_values(args)
    date_from, first = date_param(args, "from", end=False)
    date_to, last = date_param(args, "to", end=True)
    if first and last and last < first:
        raise InvalidRequest("to", f"to ({date_to}) lies before from ({date_from})")
    smooth = integer_param(args, "smooth", 0, 1, MAX_SMOOTH) or None  # 0: the default, none
    if smooth is not None and smooth % 2 == 0:
        raise InvalidRequest("smooth", f"smooth must be an odd window (1, 3, 5, … "
                                       f"{MAX_SMOOTH}), got {smooth}")
    split = choice_param(args, "split", ("none", "outlet"), "none")
    req = TrendRequest(
        queries=queries or [""], labels=labels,
        filters=SearchRequest(op=choice_param(args, "op", ("and", "or"), "and"),
                              syntax=choice_param(args, "syntax", ("query", "plain"), "query"),
                              date_from=date_from, date_to=date_to, **lists),
        interval=choice_param(args, "interval", INTERVALS, "auto"),
        measure=choice_param(args, "measure", MEASURES, "count"),
        smooth=smooth, split=None if split == "none" else split,
        split_size=integer_param(args, "split_size", DEFAULT_SPLIT_SIZE, 1, MAX_SPLIT_SIZE))
    fmt = choice_param(args, "format", FORMATS, "json")
    req.validate()
    return req, fmt


def bucket_search_url(state: State, query: str, start: str, end: str, req: TrendRequest,
                      base: str) -> str:
    """The search for ``query`` under the trend's filters, narrowed to one bucket (and to
    the trend's own dates, where a bucket reaches beyond them)."""
    if req.filters.date_from:
        start = max(start, parse_date_bound(req.filters.date_from, end=False))
    if req.filters.date_to:
        end = min(end, parse_date_bound(req.filters.date_to, end=True))
    pairs = [(k, v) for k, v in state.pairs if k in SEARCH_CARRIED]
    return State(([("q", query)] if query else []) + pairs + [("from", start), ("to", end)]
                 ).url(base)


def _state(args: MultiDict) -> State:
    return State(list(args.items(multi=True)), keep=TREND_PARAMS)


def _with_urls(result: dict, req: TrendRequest, state: State, base: str) -> dict:
    for series in result["series"]:
        for bucket in series["buckets"]:
            bucket["url"] = bucket_search_url(state, series["query"], bucket["start"],
                                              bucket["end"], req, base)
    return result


@bp.get("/api/trend")
def api_trend():
    from web.api import error_response

    try:
        req, fmt = parse_trend(request.args, strict=True)
    except InvalidRequest as exc:
        return error_response(400, "invalid_parameter", exc.message, exc.parameter)
    try:
        result = trend(get_engine(), req)
    except InvalidRequest as exc:  # e.g. an entity filter the engine refuses
        return error_response(400, "invalid_parameter", exc.message, exc.parameter)
    if fmt == "csv":
        response = Response(wide_csv(result), content_type="text/csv; charset=utf-8")
        response.headers["Content-Disposition"] = 'attachment; filename="zeitverlauf.csv"'
        return response
    return jsonify(_with_urls(result.to_dict(), req, _state(request.args),
                              url_for("api.search")))


CSV_COLUMNS = ("hits", "total", "value", "low", "high")


def wide_csv(result: TrendResponse) -> str:
    """One row per bucket; per series the columns ``<label>: hits``, ``total``, ``value``,
    ``low``, ``high`` (and ``smoothed`` with smoothing). Labels are the client's: they
    are made spreadsheet-safe."""
    columns = CSV_COLUMNS + (("smoothed",) if result.smooth else ())
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["bucket", "start", "end"] + [spreadsheet_safe(f"{s.label}: {c}")
                                                  for s in result.series for c in columns])
    for i, total in enumerate(result.totals):
        row = [total.key, total.start, total.end]
        for series in result.series:
            bucket = series.buckets[i]
            row += ["" if getattr(bucket, c) is None else getattr(bucket, c) for c in columns]
        writer.writerow(row)
    return buffer.getvalue()


# -- the page ----------------------------------------------------------------------

CHART_W, CHART_H = 760, 320
MARGIN_L, MARGIN_R, MARGIN_T, MARGIN_B = 64, 16, 12, 36
MEASURE_LABELS = {"count": "Anzahl der Artikel", "share": "Anteil an allen Artikeln",
                  "ipm": "Vorkommen pro Million Wörter"}
INTERVAL_LABELS = {"auto": "automatisch", "day": "Tag", "week": "Woche", "month": "Monat",
                   "year": "Jahr"}
SMOOTH_CHOICES = (3, 5, 7, 9, 13)
PALETTE_SIZE = 8  # series-0 … series-7 in style.css (Okabe-Ito colours)


@dataclass
class Point:
    x: float
    y: float
    url: str
    label: str


@dataclass
class Line:
    css: str
    label: str
    points: list[Point]
    hits: int

    @property
    def path(self) -> str:
        return " ".join(f"{p.x},{p.y}" for p in self.points)


def format_value(value: float, measure: str) -> str:
    if measure == "share":
        return f"{value * 100:.1f} %".replace(".", ",")
    if measure == "ipm":
        return f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return german_number(round(value))


def _bucket_label(key: str, interval: str) -> str:
    if interval == "week":
        year, week = key.split("-W")
        return f"KW {int(week)}/{year}"
    return german_date(key)


def _nice_top(top: float) -> float:
    """The top of the y axis: 1, 2, 2.5 or 5 times a power of ten, at least ``top``."""
    if top <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(top))
    return next(step * magnitude for step in (1, 2, 2.5, 5, 10)
                if step * magnitude >= top * (1 - 1e-9))


def chart(result: TrendResponse, req: TrendRequest, state: State, base: str) -> dict:
    """Geometry of the line chart: one line per series, a link per point, y ticks."""
    n = len(result.totals)
    plot_w, plot_h = CHART_W - MARGIN_L - MARGIN_R, CHART_H - MARGIN_T - MARGIN_B

    def shown_value(b):
        return b.smoothed if b.smoothed is not None else b.value

    top = max((shown_value(b) for s in result.series for b in s.buckets), default=0.0)
    top = _nice_top(top)
    lines = []
    for i, series in enumerate(result.series):
        points = []
        for j, b in enumerate(series.buckets):
            x = MARGIN_L + (plot_w * j / (n - 1) if n > 1 else plot_w / 2)
            y = MARGIN_T + plot_h * (1 - shown_value(b) / top)
            label = (f"{series.label}, {_bucket_label(b.key, result.interval)}: "
                     f"{format_value(shown_value(b), result.measure)}"
                     + (f" ({german_number(b.hits)} von {german_number(b.total)} Artikeln)"
                        if result.measure == "share" else
                        f" ({german_number(b.hits)} Artikel)" if result.measure == "ipm" else ""))
            points.append(Point(round(x, 1), round(y, 1),
                                bucket_search_url(state, series.query, b.start, b.end, req,
                                                  base), label))
        lines.append(Line(f"series-{i % PALETTE_SIZE}", series.label, points, series.hits))
    ticks = [(round(MARGIN_T + plot_h * (1 - f), 1), format_value(top * f, result.measure))
             for f in (0, 0.25, 0.5, 0.75, 1)]
    x_labels = []
    if n:
        for j in sorted({0, n // 2, n - 1}):
            x = MARGIN_L + (plot_w * j / (n - 1) if n > 1 else plot_w / 2)
            anchor = "start" if j == 0 and n > 1 else "end" if j == n - 1 and n > 1 else "middle"
            x_labels.append((round(x, 1), _bucket_label(result.totals[j].key, result.interval),
                             anchor))
    return {"width": CHART_W, "height": CHART_H, "lines": lines, "ticks": ticks,
            "x_labels": x_labels, "left": MARGIN_L, "right": CHART_W - MARGIN_R,
            "bottom": CHART_H - MARGIN_B, "top": MARGIN_T}


def _form_rows(req: TrendRequest | None, args: MultiDict) -> list[tuple[str, str]]:
    if req is not None and any(q.strip() for q in req.queries):
        rows = [(q, req.labels[i] if i < len(req.labels) else "")
                for i, q in enumerate(req.queries)]
    else:
        rows = [(q, "") for q in args.getlist("q")[:MAX_QUERIES] if q.strip()]
    wanted = min(max(len(rows) + 1, 3), MAX_QUERIES)
    return rows + [("", "")] * (wanted - len(rows))


@bp.get("/zeitverlauf")
def trend_page():
    from web.pages import PARAM_LABELS

    base = url_for("pages.search_page")
    state = _state(request.args)
    filters = [(PARAM_LABELS.get(k, k), v, state.without(k, v).url(url_for("trend.trend_page")))
               for k, v in state.pairs if k in LIST_PARAMS]
    context = {"state": state, "filters": filters, "measure_labels": MEASURE_LABELS,
               "interval_labels": INTERVAL_LABELS, "smooth_choices": SMOOTH_CHOICES,
               "max_queries": MAX_QUERIES, "date_pattern": DATE_BOUND_PATTERN}
    try:
        req, _ = parse_trend(request.args, strict=False)
        result = trend(get_engine(), req)
    except InvalidRequest as exc:
        label = PARAM_LABELS.get(exc.parameter, exc.parameter)
        html = render_template("trend.html", error=f"{label} ({exc.parameter}): {exc.message}",
                               result=None, req=None, rows=_form_rows(None, request.args),
                               **context)
        return Response(html, status=400, mimetype="text/html")
    csv_url = State(state.pairs + [("format", "csv")], keep=TREND_PARAMS).url(
        url_for("trend.api_trend"))
    return render_template(
        "trend.html", error=None, result=result, req=req, rows=_form_rows(req, request.args),
        chart=chart(result, req, state, base), csv_url=csv_url,
        json_url=state.url(url_for("trend.api_trend")),
        value_of=lambda b: format_value(b.value, result.measure),
        bucket_label=lambda key: _bucket_label(key, result.interval),
        **context)


# -- the OpenAPI document ------------------------------------------------------------

def add_openapi(document: dict) -> dict:
    """``document`` with ``/api/trend`` and its schemas (the hook in ``web.openapi``)."""
    from web.openapi import SEARCH_PARAMETERS, _error, _param, _ref, COMMON_ERRORS

    shared = [p for p in SEARCH_PARAMETERS if p["name"] in
              {"op", "syntax", "from", "to", *LIST_PARAMS}]
    q = next(p for p in SEARCH_PARAMETERS if p["name"] == "q")
    parameters = [
        {"name": "q", "in": "query", "required": False, "style": "form", "explode": True,
         "description": f"Up to {MAX_QUERIES} queries (repeat q), each in the search's query "
                        "language; an empty q counts every article. " + q["description"],
         "schema": {"type": "array", "maxItems": MAX_QUERIES,
                    "items": q["schema"]}},
        {"name": "label", "in": "query", "required": False, "style": "form", "explode": True,
         "description": "A label per query, by position (the query itself if empty).",
         "schema": {"type": "array", "maxItems": MAX_QUERIES,
                    "items": {"type": "string", "maxLength": MAX_LABEL_CHARS}}},
        *shared,
        _param("interval", {"type": "string", "enum": list(INTERVALS), "default": "auto"},
               "Bucket size; auto: the finest of day, week, month, year with at most 120 "
               "buckets over the span of the filtered articles."),
        _param("measure", {"type": "string", "enum": list(MEASURES), "default": "count"},
               "count: matching articles; share: matching / all articles of the bucket under "
               "the filters, with a 95 % Wilson interval (low, high); ipm: occurrences of the "
               "query's matched terms in title and body per million words of the bucket."),
        _param("smooth", {"type": "integer", "minimum": 1, "maximum": MAX_SMOOTH},
               "Centred moving average over this many buckets (odd)."),
        _param("split", {"type": "string", "enum": ["none", "outlet"], "default": "none"},
               "outlet: one series per query and outlet, each normalised by its own volume."),
        _param("split_size", {"type": "integer", "minimum": 1, "maximum": MAX_SPLIT_SIZE,
                              "default": DEFAULT_SPLIT_SIZE},
               "With split=outlet and no outlet filter: the outlets with most articles."),
        _param("format", {"type": "string", "enum": list(FORMATS), "default": "json"},
               "csv: one row per bucket, per series the columns hits, total, value, low, "
               "high (and smoothed)."),
    ]
    nullable_number = {"type": ["number", "null"]}
    document["components"]["schemas"].update({
        "TrendBucket": {
            "type": "object",
            "required": ["key", "start", "end", "hits", "total", "value", "low", "high",
                         "occurrences", "words", "smoothed", "url"],
            "properties": {
                "key": {"type": "string", "examples": ["2024", "2024-11", "2024-W46",
                                                       "2024-11-14"]},
                "start": {"type": "string", "format": "date"},
                "end": {"type": "string", "format": "date"},
                "hits": {"type": "integer", "minimum": 0,
                         "description": "Matching articles, exact duplicates once."},
                "total": {"type": "integer", "minimum": 0,
                          "description": "All articles under the filters (of the outlet "
                                         "with split=outlet)."},
                "value": {"type": "number", "minimum": 0},
                "low": nullable_number, "high": nullable_number,
                "occurrences": {"type": ["integer", "null"]},
                "words": {"type": ["integer", "null"]},
                "smoothed": nullable_number,
                "url": {"type": "string", "description": "The search narrowed to the bucket."},
            },
        },
        "TrendSeries": {
            "type": "object",
            "required": ["label", "query", "outlet", "hits", "undated", "buckets", "warnings"],
            "properties": {
                "label": {"type": "string"}, "query": {"type": "string"},
                "outlet": {"type": ["string", "null"]},
                "hits": {"type": "integer", "minimum": 0},
                "undated": {"type": "integer", "minimum": 0},
                "buckets": {"type": "array", "items": _ref("TrendBucket")},
                "warnings": {"type": "array", "items": {"type": "string"}},
            },
        },
        "TrendTotal": {
            "type": "object",
            "required": ["key", "start", "end", "articles", "words"],
            "properties": {
                "key": {"type": "string"},
                "start": {"type": "string", "format": "date"},
                "end": {"type": "string", "format": "date"},
                "articles": {"type": "integer", "minimum": 0},
                "words": {"type": "integer", "minimum": 0},
            },
        },
        "TrendResponse": {
            "type": "object",
            "required": ["interval", "measure", "smooth", "split", "series", "totals",
                         "undated", "took_ms"],
            "properties": {
                "interval": {"type": "string", "enum": ["day", "week", "month", "year"]},
                "measure": {"type": "string", "enum": list(MEASURES)},
                "smooth": {"type": ["integer", "null"]},
                "split": {"type": ["string", "null"]},
                "series": {"type": "array", "items": _ref("TrendSeries")},
                "totals": {"type": "array", "items": _ref("TrendTotal")},
                "undated": {"type": "integer", "minimum": 0},
                "took_ms": {"type": "number", "minimum": 0},
            },
        },
    })
    document["paths"]["/api/trend"] = {"get": {
        "operationId": "trend",
        "summary": "Attention over time: several queries per day, week, month or year",
        "parameters": parameters,
        "responses": {
            "200": {"description": "One series per query (and outlet), bucket totals.",
                    "content": {"application/json": {"schema": _ref("TrendResponse")},
                                "text/csv": {"schema": {"type": "string"}}}},
            "400": _error("A parameter is unknown or malformed; `parameter` names it."),
            **COMMON_ERRORS,
        },
    }}
    return document
