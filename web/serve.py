"""Serve the app with a production WSGI server (never Flask's debug server).

    pressearchiv serve --index var/index --port 5000
    pressearchiv serve --index var/index --workers 2    # one process per core
    python -m web.serve --index var/index --port 0      # port 0: any free port

One process: waitress with several threads. ``--workers N``: gunicorn with N
processes of ``threads`` threads each (the gthread worker), so every core
answers requests; each process opens the published generation itself, and the
memory-mapped doc values and the index files are shared through the page
cache. Python threads share one core for numpy-free work (snippets, stored
fields), so processes are what scale a server.

``make_server`` gives a server object whose ``effective_port`` is known before it
runs (tests and ``bench/load.py`` use it); ``serve`` runs one until interrupted.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys

from web import create_app

log = logging.getLogger("pressearchiv.web")


def make_server(index_dir: str | os.PathLike, host: str = "127.0.0.1", port: int = 5000,
                threads: int = 8, **app_config):
    import waitress

    app = make_app(index_dir, **app_config)
    return waitress.create_server(app, host=host, port=port, threads=threads,
                                  ident="pressearchiv", clear_untrusted_proxy_headers=True)


def _gunicorn(index_dir, host: str, port: int, workers: int, threads: int):
    """The app factory as a gunicorn application (its ``BaseApplication`` API)."""
    from gunicorn.app.base import BaseApplication

    class Application(BaseApplication):
        def load_config(self):
            url_host = f"[{host}]" if ":" in host else host
            settings = {
                "bind": f"{url_host}:{port}", "workers": workers, "threads": threads,
                "worker_class": "gthread", "preload_app": False,
                "graceful_timeout": 10, "timeout": 120, "accesslog": None,
                # A pasted passage (q up to 20,000 characters, percent-encoded up
                # to ~180 KB) is a GET: gunicorn's 4 KB request line would refuse
                # it with its own HTML 400. The app bounds every parameter itself
                # (as waitress's 256 KB header limit bounds the line there).
                "limit_request_line": 0,
                "when_ready": _announce(index_dir, workers, threads),
            }
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self):  # in each worker, after the fork: its own engine
            return make_app(index_dir)

    return Application()


def _announce(index_dir, workers: int, threads: int):
    def when_ready(server):
        host, port = server.LISTENERS[0].sock.getsockname()[:2]
        url_host = f"[{host}]" if ":" in host else host
        print(f"pressearchiv: serving {os.fspath(index_dir)} on http://{url_host}:{port}/ "
              f"({workers} processes x {threads} threads); Ctrl-C stops", flush=True)
    return when_ready


def make_app(index_dir: str | os.PathLike, **app_config):
    app = create_app({"INDEX_DIR": os.fspath(index_dir), **app_config})
    with app.test_client() as client:  # open the index now, not in the first user's request
        client.get("/api/health")
    return app


def serve(index_dir: str | os.PathLike, host: str = "127.0.0.1", port: int = 5000,
          threads: int = 8, workers: int = 1) -> None:
    """Serve until interrupted. Logs go to stderr."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: "
                                                       "%(message)s")
    from indexer.store import IndexStore

    if IndexStore(index_dir).current() is None:
        log.warning("no index in %s yet: the pages answer 503 until one is built "
                    "(pressearchiv index SOURCES --index %s)", index_dir, index_dir)
    if workers > 1:
        _gunicorn(index_dir, host, port, workers, threads).run()
        return
    server = make_server(index_dir, host, port, threads)
    url_host = f"[{host}]" if ":" in host else host
    print(f"pressearchiv: serving {os.fspath(index_dir)} on "
          f"http://{url_host}:{server.effective_port}/ ({threads} threads); Ctrl-C stops",
          flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


def main(argv: list[str] | None = None) -> int:
    from indexer.store import default_index_dir

    parser = argparse.ArgumentParser(prog="python -m web.serve", description=__doc__.split("\n")[0])
    parser.add_argument("--index", default=default_index_dir())
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)
    serve(args.index, args.host, args.port, args.threads, args.workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
