import csv
import io
import json

from pressearchiv.cli import EXIT_REJECTED, cli
from tests.conftest import GNAD, ZEITGEIST, ZEITGEIST_FIELDS, needs_shared_data, write_native

BODY = "Die Bundesregierung hat am Mittwoch den Haushaltsentwurf für 2025 beschlossen."


def test_index_and_stats_json(runner, tmp_path, index_dir):
    src = tmp_path / "src"
    write_native(src, "001_00000000000000aa.txt", "14. November 2024", "Politik", "Haushalt", BODY)
    result = runner.invoke(cli, ["index", str(src), "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    assert "added 1" in result.output
    result = runner.invoke(cli, ["stats", "--index", str(index_dir), "--json"])
    info = json.loads(result.output)
    assert info["articles"] == 1 and info["sections"] == {"Politik": 1}


def test_rejects_exit_status_and_rejects_file(runner, tmp_path, index_dir):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.jsonl").write_text(json.dumps({"body": BODY}) + "\n{kaputt\n", encoding="utf-8")
    rejects = tmp_path / "rejects.jsonl"
    result = runner.invoke(cli, ["index", str(src), "--index", str(index_dir),
                                 "--rejects", str(rejects)])
    assert result.exit_code == EXIT_REJECTED
    assert "a.jsonl:2" in result.output and "invalid JSON" in result.output
    [record] = [json.loads(line) for line in rejects.read_text().splitlines()]
    assert record["line"] == 2 and record["file"].endswith("a.jsonl")


def test_strict_refuses(runner, tmp_path, index_dir):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.jsonl").write_text("{kaputt\n", encoding="utf-8")
    result = runner.invoke(cli, ["index", str(src), "--index", str(index_dir), "--strict"])
    assert result.exit_code == 1 and "index not touched" in result.output
    assert not (index_dir / "current").exists()


def test_bad_options_are_usage_errors(runner, tmp_path, index_dir):
    result = runner.invoke(cli, ["index", str(tmp_path), "--field", "inhalt=content"])
    assert result.exit_code == 2 and "not a native field" in result.output
    result = runner.invoke(cli, ["index", str(tmp_path), "--csv-delimiter", ";;"])
    assert result.exit_code == 2 and "one character" in result.output


def test_stats_without_index(runner, index_dir):
    result = runner.invoke(cli, ["stats", "--index", str(index_dir)])
    assert result.exit_code == 1 and "no index" in result.output


def test_index_dir_from_environment(runner, tmp_path, monkeypatch):
    src = tmp_path / "src"
    write_native(src, "x.txt", "2024-11-14", "Inland", "T", BODY)
    monkeypatch.setenv("PRESSEARCHIV_INDEX", str(tmp_path / "envindex"))
    result = runner.invoke(cli, ["index", str(src)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "envindex" / "current").is_symlink()


@needs_shared_data()
def test_real_files_through_the_cli(runner, index_dir):
    fields = [a for f in ZEITGEIST_FIELDS for a in ("--field", f)]
    result = runner.invoke(cli, ["index", str(ZEITGEIST), "--index", str(index_dir), *fields])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["index", str(GNAD), "--index", str(index_dir),
                                 "--csv-delimiter", ";", "--csv-quotechar", "'",
                                 "--csv-columns", "section,body"])
    assert result.exit_code == 0 and "added 1028" in result.output
    info = json.loads(runner.invoke(cli, ["stats", "--index", str(index_dir), "--json"]).output)
    unique_urls = len({json.loads(line)["url"] for line in ZEITGEIST.open(encoding="utf-8")})
    assert info["articles"] == unique_urls + 1028


def test_stats_of_empty_index(runner, tmp_path, index_dir):
    (tmp_path / "empty").mkdir()
    assert runner.invoke(cli, ["index", str(tmp_path / "empty"), "--index", str(index_dir)]).exit_code == 0
    info = json.loads(runner.invoke(cli, ["stats", "--index", str(index_dir), "--json"]).output)
    assert info["articles"] == 0 and info["date_range"] is None


def test_search_command_text_json_and_export(runner, corpus_index):
    result = runner.invoke(cli, ["search", "Verteidigungsminister", "--index", str(corpus_index),
                                 "--limit", "2"])
    assert result.exit_code == 0, result.output
    assert "Treffer" in result.output and "  1. " in result.output and "<mark>" not in result.output
    data = json.loads(runner.invoke(cli, ["search", "Pistorius", "--index", str(corpus_index),
                                          "--format", "json"]).output)
    assert data["total"] >= 1 and data["hits"][0]["snippets"]
    jsonl = runner.invoke(cli, ["search", "Bundestag", "--index", str(corpus_index),
                                "--format", "jsonl", "--limit", "1"]).output.splitlines()
    assert len(jsonl) == data["total"] or len(jsonl) > 1
    csv_out = runner.invoke(cli, ["search", "Bundestag", "--index", str(corpus_index),
                                  "--format", "csv"]).output
    rows = list(csv.DictReader(io.StringIO(csv_out)))
    assert csv_out.startswith("id,title,date") and len(rows) == len(jsonl)
    assert [r["id"] for r in rows] == [json.loads(line)["id"] for line in jsonl]


def test_search_command_rejects_bad_dates(runner, corpus_index):
    result = runner.invoke(cli, ["search", "x", "--index", str(corpus_index), "--from", "2024-13"])
    assert result.exit_code == 2 and "--from" in result.output
