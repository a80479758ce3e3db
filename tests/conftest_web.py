"""Shared helpers for the web tests: indexes built once per test session.

Each web test module defines its own session fixtures on top of these; the builds
are cached here so that the sample corpus is indexed once for the whole run.
"""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"

XSS_TITLE = "<script>alert(1)</script>"
XSS_ID = "xss1"

_built: dict[str, Path] = {}


def corpus_index(tmp_path_factory) -> Path:
    """An index of the sample corpus (90 articles), built once per session."""
    if "corpus" not in _built:
        from indexer.build import build_index

        target = tmp_path_factory.mktemp("web-corpus-index")
        summary = build_index([str(CORPUS)], target)
        assert summary.articles >= 80, summary
        _built["corpus"] = target
    return _built["corpus"]


def xss_index(tmp_path_factory) -> Path:
    """A small index of hostile articles: markup in title, body, section, entities and url."""
    if "xss" not in _built:
        from indexer.build import build_index

        sources = tmp_path_factory.mktemp("web-xss-sources")
        (sources / f"001_{XSS_ID}.txt").write_text("\n\n".join([
            "14. November 2024",
            "Politik",
            XSS_TITLE,
            "Der Bundestag debattiert über <b>fett</b> & \"Anführungszeichen\" "
            "<img src=x onerror=alert(2)> und die Ukraine.",
            "Zweiter Absatz über Friedrich Merz und die Ukraine <iframe src=//evil></iframe>.",
        ]) + "\n", encoding="utf-8")
        records = [
            {"id": "xss-2", "title": "Link mit javascript-Adresse", "date": "2024-11-15",
             "section": "<i>Ressort</i>", "url": "javascript:alert(3)",
             "body": "Ein Artikel über die Ukraine, dessen Adresse gefährlich ist."},
            {"id": "xss-3", "title": "Harmloser Artikel über die Ukraine", "date": "2024-10-01",
             "section": "Ausland", "url": "https://example.org/artikel?a=1&b=<2>",
             "source": "Beispiel <Zeitung>",
             "body": "Die Ukraine und Olaf Scholz. Ein ganz gewöhnlicher Text."},
        ]
        with open(sources / "more.jsonl", "w", encoding="utf-8") as out:
            for record in records:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        target = tmp_path_factory.mktemp("web-xss-index")
        summary = build_index([str(sources)], target)
        assert summary.articles == 3, summary
        _built["xss"] = target
    return _built["xss"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RunningServer:
    """``python -m web.serve`` in a subprocess on a free port: waitress, or gunicorn
    with ``workers`` > 1."""

    def __init__(self, index_dir: Path, threads: int = 4, workers: int = 1):
        self.log = tempfile.TemporaryFile("w+", encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "web.serve", "--index", str(index_dir), "--port", "0",
             "--threads", str(threads), "--workers", str(workers)],
            cwd=REPO, stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.process.stdout.readline()
        if "http://" not in line:
            raise RuntimeError(f"server did not start: {line!r} {self.stop()}")
        self.banner = line
        self.url = line.split("http://", 1)[1].split("/", 1)[0]
        self.url = "http://" + self.url
        self._wait_ready()

    def _wait_ready(self, timeout: float = 30) -> None:
        import urllib.request

        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(self.url + "/api/health", timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def stop(self) -> str:
        """Stop it and return what it wrote to stderr."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()
        self.log.seek(0)
        return self.log.read()
