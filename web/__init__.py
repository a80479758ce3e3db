"""The web layer: a thin Flask app over ``search`` with a JSON API and a search page.

``create_app()`` builds the app (flaskr style); ``web.serve`` runs it under waitress.
One engine per app, opened on first use and kept: it notices rebuilt indexes itself
and is safe to share between threads.
"""
from __future__ import annotations

import logging
import os
import threading
from urllib.parse import urlsplit, urlunsplit

from flask import Flask, current_app, request
from werkzeug.exceptions import HTTPException

from search.base import Engine, IndexUnavailable
from search.cursor import StaleCursor
from web.export import ExportSlots
from web.params import shown

log = logging.getLogger("pressearchiv.web")

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


class EngineHolder:
    """Opens the engine on first use; if there is no index yet, tries again next time."""

    def __init__(self, index_dir: str, engine: Engine | None = None):
        self.index_dir = index_dir
        self._engine = engine
        self._lock = threading.Lock()

    def get(self) -> Engine:
        engine = self._engine
        if engine is None:
            with self._lock:
                if self._engine is None:
                    from search import open_engine

                    self._engine = open_engine(self.index_dir)
                engine = self._engine
        return engine


def get_engine() -> Engine:
    return current_app.extensions["pressearchiv"].get()


def is_api_request() -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


def create_app(test_config: dict | None = None) -> Flask:
    """The app. ``test_config`` overrides the config (``INDEX_DIR``, ``TESTING``, ...);
    ``ENGINE`` in it puts in an engine object instead of opening ``INDEX_DIR``."""
    from indexer.store import default_index_dir

    app = Flask(__name__)
    app.config.from_mapping(INDEX_DIR=default_index_dir(), ENGINE=None,
                            EXPORT_CONCURRENCY=2,  # exports streaming at once; more get 429
                            EXPORT_RETRY_AFTER=10)  # seconds, the 429's Retry-After
    if test_config:
        app.config.update(test_config)
    app.debug = False  # never the interactive debugger, whatever FLASK_DEBUG says
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.extensions["pressearchiv"] = EngineHolder(os.fspath(app.config["INDEX_DIR"]),
                                                  app.config["ENGINE"])
    app.extensions["pressearchiv_exports"] = ExportSlots(app.config["EXPORT_CONCURRENCY"])

    from web import api, feeds, kwic, pages, trend
    from web.filters import register_filters

    register_filters(app)
    app.register_blueprint(api.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(kwic.bp)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(trend.bp)
    from web import analysis; app.register_blueprint(analysis.bp)  # noqa: E702 - keywords, networks

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        return response

    @app.after_request
    def local_redirects(response):
        # werkzeug builds its redirects (merged slashes, a trailing slash) from the Host
        # header, which the client chooses; a cache in front would hand such a redirect to
        # others. A redirect here only ever moves within this site: drop scheme and host.
        if "Location" in response.headers:
            response.headers["Location"] = same_site(response.headers["Location"])
        return response

    @app.after_request
    def api_cache_control(response):
        return api.cache_control(response) if is_api_request() else response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if is_api_request():
            return api.error_response(exc.code or 500, _code(exc), _message(exc),
                                      headers=_allow(exc))
        return pages.error_page(exc.code or 500, headers=_allow(exc))

    @app.errorhandler(StaleCursor)
    def stale_cursor(exc: StaleCursor):
        if is_api_request():
            return api.error_response(409, "stale_cursor", exc.message, exc.parameter)
        return pages.error_page(409)

    @app.errorhandler(IndexUnavailable)
    def index_unavailable(exc: IndexUnavailable):
        log.warning("index unavailable: %s", exc)
        if is_api_request():
            return api.error_response(503, "index_unavailable",
                                      "The search index is not available yet; try again later.")
        return pages.error_page(503)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        # logged with its traceback here, never shown to the client
        log.exception("unexpected error on %s %s", request.method, request.full_path)
        if is_api_request():
            return api.error_response(500, "internal_error", "An unexpected error occurred; "
                                      "it has been logged.")
        return pages.error_page(500)

    return app


def same_site(location: str) -> str:
    """The path, query and fragment of a URL, as a reference to this site."""
    parts = urlsplit(location)
    # one leading slash: '//host/x' would be another host again
    path = "/" + parts.path.lstrip("/")
    return urlunsplit(("", "", path, parts.query, parts.fragment))


def _code(exc: HTTPException) -> str:
    return {400: "bad_request", 404: "not_found", 405: "method_not_allowed"}.get(
        exc.code, (exc.name or "error").lower().replace(" ", "_").replace("-", "_"))


def _message(exc: HTTPException) -> str:
    if exc.code == 404:
        return f"no such API endpoint: {shown(request.path)}"
    if exc.code == 405:
        return f"{request.method} is not allowed here; use " + ", ".join(
            m for m in exc.valid_methods or ["GET"] if m not in ("HEAD", "OPTIONS"))
    return exc.description or exc.name


def _allow(exc: HTTPException) -> dict:
    response = exc.get_response()
    allow = response.headers.get("Allow")
    return {"Allow": allow} if allow else {}


__all__ = ["create_app", "get_engine"]
