"""Atom feeds of searches, for monitoring: ``/feeds/search.atom?q=…&filters…``.

The feed holds the newest matching articles (undated ones have no place in a
feed of news and are left out), written as Atom 1.0 by ``feedgen``. Entry ids
are ``tag:`` URIs of the article id, so they stay the same across rebuilds and
hosts; ``updated`` and ``published`` are the article's date (midnight UTC, as
the archive knows days only); the summary is the best snippet as plain text.
The feed's ``updated`` and the ``Last-Modified`` header are the newest entry's
date (1970-01-01 for an empty feed); the ``ETag`` is a hash of the entries and the feed's own parameters, so
``If-None-Match`` (which wins over ``If-Modified-Since``, RFC 9110) answers
304 exactly when nothing a reader shows has changed. Bad parameters get a 400
in the API's error shape.
"""
from __future__ import annotations

import hashlib
import re
from datetime import datetime, timezone
from html import unescape
from urllib.parse import quote

from feedgen.feed import FeedGenerator
from flask import Blueprint, Response, request, url_for
from werkzeug.datastructures import MultiDict

from search.models import InvalidRequest
from web import get_engine
from web.api import error_response
from web.params import SEARCH_PARAMS, State, integer_param, parse_search, shown

bp = Blueprint("feeds", __name__, url_prefix="/feeds")

DEFAULT_ENTRIES, MAX_ENTRIES = 20, 100
FEED_PARAMS = (frozenset(SEARCH_PARAMS) - {"sort", "page", "size", "facet_size", "format",
                                           "cursor"}) | {"size"}
TAG_AUTHORITY = "tag:pressearchiv,2026:"  # RFC 4151; the id part is the article's key
_MARK = re.compile(r"</?mark>")
# What XML 1.0 cannot hold (C0 controls but tab and line ends, lone surrogates, U+FFFE/F):
# a query or an article may carry them, the feed leaves them out rather than fail.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text)


@bp.errorhandler(InvalidRequest)
def invalid_request(exc: InvalidRequest):
    return error_response(400, "invalid_parameter", exc.message, exc.parameter)


def entry_id(article_id: str) -> str:
    return TAG_AUTHORITY + "artikel/" + quote(article_id, safe="")


def _day(date: str) -> datetime:
    return datetime.strptime(date, "%Y-%m-%d").replace(tzinfo=timezone.utc)


def _plain(html: str) -> str:
    return _xml(unescape(_MARK.sub("", html)))


def _parse(args: MultiDict):
    for name in args:
        if name not in FEED_PARAMS:
            raise InvalidRequest(name, f"unknown parameter {shown(name)}; known: "
                                       + ", ".join(sorted(FEED_PARAMS)))
    size = integer_param(args, "size", DEFAULT_ENTRIES, 1, MAX_ENTRIES)
    search, _ = parse_search(MultiDict([(k, v) for k, v in args.items(multi=True)
                                        if k != "size"]), strict=True)
    search.sort, search.size, search.facets = "newest", size, False
    return search


@bp.get("/search.atom")
def search_feed():
    search = _parse(request.args)
    result = get_engine().search(search)
    hits = [h for h in result.hits if h.date]
    state = State.from_args(request.args)
    self_url = state.url(url_for("feeds.search_feed", _external=True))
    page_url = State([(k, v) for k, v in state.pairs if k != "size"]).url(
        url_for("pages.search_page", _external=True))
    updated = _day(max(h.date for h in hits)) if hits else datetime(1970, 1, 1,
                                                                    tzinfo=timezone.utc)
    feed = FeedGenerator()
    feed.id(_xml(TAG_AUTHORITY + "suche?" + state.query_string()))
    feed.title(_xml(f"Pressearchiv: {search.q}") if search.q.strip()
               else "Pressearchiv: neueste Artikel")
    feed.subtitle("Die neuesten Artikel zu dieser Suche")
    feed.author({"name": "Pressearchiv"})
    feed.link(href=self_url, rel="self", type="application/atom+xml")
    feed.link(href=page_url, rel="alternate", type="text/html")
    feed.language("de")
    feed.updated(updated)
    for hit in reversed(hits):  # feedgen puts each new entry first
        entry = feed.add_entry()
        entry.id(entry_id(hit.id))
        entry.title(_xml(hit.title or hit.id))
        entry.link(href=url_for("pages.article_page", article_id=hit.id, _external=True),
                   rel="alternate", type="text/html")
        if hit.url:
            entry.link(href=hit.url, rel="related", type="text/html")
        entry.updated(_day(hit.date))
        entry.published(_day(hit.date))
        body = [s for s in hit.snippets if s.field == "body"] or hit.snippets
        if body:
            entry.summary(" ".join(_plain(s.html) for s in body[:2]), type="text")
        if hit.section:
            entry.category(term=_xml(hit.section))
    etag = hashlib.blake2b("\n".join([self_url, *(f"{h.id}\t{h.date}\t{h.title}" for h in hits),
                                      *(s.html for h in hits for s in h.snippets)]).encode(),
                           digest_size=12).hexdigest()
    response = Response(feed.atom_str(pretty=False),
                        content_type="application/atom+xml; charset=utf-8")
    response.set_etag(etag)
    response.last_modified = updated
    response.headers["Cache-Control"] = "public, max-age=60"
    return response.make_conditional(request)
