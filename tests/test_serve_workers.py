"""``pressearchiv serve --workers N``: gunicorn processes over one published generation."""
from __future__ import annotations

import json
import urllib.request
from urllib.parse import urlencode

import pytest

from tests.conftest_web import CORPUS, RunningServer, corpus_index

pytestmark = pytest.mark.slow


def get(url: str) -> tuple[int, dict]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, json.loads(response.read())


def test_several_processes_answer_and_take_a_pasted_passage(tmp_path_factory):
    server = RunningServer(corpus_index(tmp_path_factory), threads=2, workers=2)
    try:
        assert "(2 processes x 2 threads)" in server.banner
        status, health = get(server.url + "/api/health")
        assert status == 200 and health["articles"] >= 80
        for _ in range(12):
            status, found = get(server.url + "/api/search?q=Ukraine")
            assert status == 200 and found["total"] > 10
        # a pasted passage of 15,000 characters in the URL: gunicorn's own limit of a
        # 4 KB request line would answer it with an HTML 400
        text = " ".join(p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))[:12])
        passage = (text * 3)[:15000]
        status, found = get(server.url + "/api/search?" + urlencode(
            {"q": passage, "op": "or", "syntax": "plain"}))
        assert status == 200 and found["total"] > 0 and len(found["query"]) == 15000
        assert any(w.startswith("Lange Anfrage") for w in found["warnings"])
    finally:
        log = server.stop()
    assert "Traceback" not in log
