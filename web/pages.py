"""The HTML pages: the search page and the article page, in German.

The URL holds the whole state (the same parameters as ``/api/search``); every
control is a link or a GET form, so that everything works without JavaScript.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Blueprint, Response, render_template, request, url_for

from indexer.entity_fields import ENTITY_FIELDS
from search.models import FacetValue, InvalidRequest, SearchRequest, SearchResponse
from web import get_engine
from web.filters import german_date
from web.params import DATE_BOUND_PATTERN, LIST_PARAMS, State, filter_key, parse_search

log = logging.getLogger("pressearchiv.web")
bp = Blueprint("pages", __name__)

PARAM_LABELS = {
    "q": "Suchbegriffe", "op": "Verknüpfung", "syntax": "Suchsyntax", "section": "Ressort",
    "outlet": "Medium",
    "from": "Datum ab", "to": "Datum bis", "person": "Person", "org": "Organisation",
    "place": "Ort", "lang": "Sprache", "sort": "Sortierung", "page": "Seite",
    "size": "Treffer pro Seite", "facet_size": "Anzahl der Facettenwerte", "format": "Format",
}
FACET_TITLES = {**{f.param: f.label for f in ENTITY_FIELDS}, "lang": "Sprachen"}
SORT_LABELS = {"relevance": "Relevanz", "newest": "Neueste zuerst", "oldest": "Älteste zuerst"}
ERRORS = {
    400: ("Ungültige Anfrage", "Die Anfrage enthält einen Fehler."),
    404: ("Seite nicht gefunden", "Diese Seite gibt es nicht. Vielleicht hilft die Suche weiter."),
    405: ("Methode nicht erlaubt", "Diese Seite kann so nicht aufgerufen werden."),
    409: ("Veraltete Fortsetzung", "Der Suchindex wurde inzwischen erneuert; bitte beginnen "
                                   "Sie die Suche noch einmal von vorn."),
    500: ("Interner Fehler", "Es ist ein unerwarteter Fehler aufgetreten. Er wurde "
                             "protokolliert; bitte versuchen Sie es später noch einmal."),
    503: ("Suchindex nicht verfügbar", "Der Suchindex ist noch nicht aufgebaut oder wird gerade "
                                       "ersetzt. Bitte versuchen Sie es in Kürze noch einmal."),
}
CHART_WIDTH, CHART_HEIGHT = 600, 120
# what a link from the search page to its trend (Zeitverlauf) carries over
TREND_CARRIED = frozenset(LIST_PARAMS) | {"q", "op", "syntax", "from", "to"}


@bp.context_processor
def form_patterns() -> dict:
    return {"date_pattern": DATE_BOUND_PATTERN}  # the dates from and to take, as the API


def error_page(status: int, message: str | None = None, headers: dict | None = None):
    title, text = ERRORS.get(status, (f"Fehler {status}", "Die Anfrage ist fehlgeschlagen."))
    try:
        html = render_template("error.html", status=status, title=title, text=message or text)
    except Exception:  # noqa: BLE001 - the error page itself must not fail
        log.exception("the error page failed")
        html = f"<!doctype html><html lang=de><title>{title}</title><h1>{title}</h1>"
    return Response(html, status=status, headers=headers, mimetype="text/html")


@dataclass
class Chip:
    label: str
    value: str
    remove_url: str


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    count: int
    label: str
    url: str | None


def _chips(req: SearchRequest, state: State, base: str) -> list[Chip]:
    chips = []
    for param in LIST_PARAMS:
        for value in state.values(param):
            chips.append(Chip(PARAM_LABELS[param], value, state.without(param, value).url(base)))
    if req.date_from:
        chips.append(Chip("ab", german_date(req.date_from), state.without("from").url(base)))
    if req.date_to:
        chips.append(Chip("bis", german_date(req.date_to), state.without("to").url(base)))
    if req.op == "or":
        chips.append(Chip("Verknüpfung", "eines der Wörter", state.without("op").url(base)))
    if req.syntax == "plain":
        chips.append(Chip("Suchsyntax", "aus", state.without("syntax").url(base)))
    return chips


def _bars(result: SearchResponse, state: State, base: str) -> list[Bar]:
    histogram = result.histogram
    if not histogram or not histogram.buckets:
        return []
    buckets = histogram.buckets
    step = CHART_WIDTH / len(buckets)
    gap = min(step * 0.15, 4.0) if len(buckets) > 1 else 0
    top = max(b.count for b in buckets) or 1
    bars = []
    for i, bucket in enumerate(buckets):
        height = bucket.count / top * (CHART_HEIGHT - 4)
        if bucket.count:
            height = max(height, 2.0)
        url = state.set(from_=bucket.key, to=bucket.key).url(base) if bucket.count else None
        bars.append(Bar(x=round(i * step + gap / 2, 2), y=round(CHART_HEIGHT - height, 2),
                        width=round(max(step - gap, 0.5), 2), height=round(height, 2),
                        count=bucket.count, label=f"{german_date(bucket.key)}: "
                                                  f"{bucket.count} Artikel", url=url))
    return bars


def _pages(result: SearchResponse, state: State, base: str) -> dict:
    last = max(-(-result.total // result.size), 1)
    current = result.page
    shown = sorted({1, last} | set(range(max(current - 2, 1), min(current + 2, last) + 1)))
    items, previous = [], 0
    for number in shown:
        if number - previous > 1:
            items.append(None)  # a gap
        items.append((number, state.page(number).url(base)))
        previous = number
    return {
        "current": current, "last": last, "items": items if last > 1 else [],
        "prev": state.page(min(current - 1, last)).url(base) if current > 1 else None,
        "next": state.page(current + 1).url(base) if current < last else None,
    }


def _with_selected(name: str, values: list[FacetValue],
                   selected: list[str]) -> list[FacetValue]:
    """Selected values always show (ticked), even when they are not among the top N; one
    the engine lists already, in its canonical spelling, is not added again."""
    present = {filter_key(name, v.value) for v in values}
    return values + [FacetValue(value, 0, True) for value in selected
                     if filter_key(name, value) not in present]


def _filters_only(state: State) -> State:
    """The search's query and filters, for the concordance and the feed (which have
    their own order and paging)."""
    return State([(k, v) for k, v in state.pairs
                  if k not in ("sort", "page", "size", "facet_size", "format", "cursor")])


@bp.get("/")
def search_page():
    base = url_for("pages.search_page")
    state = State.from_args(request.args, drop=("format",))
    try:
        req, _ = parse_search(request.args, strict=False)
    except InvalidRequest as exc:
        label = PARAM_LABELS.get(exc.parameter, exc.parameter)
        # the form on the error page searches again without the parameter at fault
        html = render_template("search.html", state=state.without(exc.parameter),
                               q=request.args.get("q", "")[:1000],
                               error=f"{label} ({exc.parameter}): {exc.message}",
                               result=None, browse=False, sort_labels=SORT_LABELS)
        return Response(html, status=400, mimetype="text/html")
    browse = not req.q.strip()
    if browse and "sort" not in request.args:
        req.sort = "newest"
    result = get_engine().search(req)
    facets = result.facets
    sections = _with_selected("section", facets["section"].values if "section" in facets
                              else [], req.sections)
    outlets = _with_selected("outlet", facets["outlet"].values if "outlet" in facets
                             else [], req.outlets)
    entity_facets = []
    for name in (*(f.param for f in ENTITY_FIELDS), "lang"):
        selected = state.values(name)
        values = _with_selected(name, facets[name].values if name in facets else [], selected)
        if name == "lang" and len(values) < 2 and not selected:
            continue  # one language is no choice
        entity_facets.append((name, FACET_TITLES[name], [
            (v, state.toggle(name, v.value).url(base)) for v in values]))
    suggestion_url = (state.set(q=result.suggestion).url(base) if result.suggestion else None)
    return render_template(
        "search.html", state=state, q=req.q, req=req, result=result, error=None,
        browse=browse, sections=sections, outlets=outlets, entity_facets=entity_facets,
        trend_url=State([(k, v) for k, v in state.pairs if k in TREND_CARRIED]
                        + ([("measure", "share")] if req.q.strip() else [])).url(
            url_for("trend.trend_page")),
        chips=_chips(req, state, base), bars=_bars(result, state, base),
        chart=(CHART_WIDTH, CHART_HEIGHT), pages=_pages(result, state, base),
        sort_labels=SORT_LABELS, suggestion_url=suggestion_url,
        or_url=state.set(op="or").url(base) if req.op == "and" and " " in req.q.strip() else None,
        plain_url=(state.set(syntax="plain").url(base)
                   if req.syntax == "query" and result.warnings else None),
        export_urls={fmt: state.without("size").set(format=fmt).url(url_for("api.search"))
                     for fmt in ("csv", "jsonl")},
        kwic_url=(_filters_only(state).url(url_for("kwic.kwic_page")) if not browse else None),
        feed_url=_filters_only(state).url(url_for("feeds.search_feed")),
        reset_filters_url=State([("q", req.q)] if req.q else []).url(base),
        toggle=lambda name, value: state.toggle(name, value).url(base),
        selected=lambda name, value: state.has(name, value),
    )


@bp.get("/artikel/<path:article_id>")
def article_page(article_id: str):
    article = get_engine().article(article_id, similar=5)
    if article is None:
        return error_page(404, "Einen Artikel mit dieser Kennung gibt es im Archiv nicht.")
    return render_template("article.html", article=article)
