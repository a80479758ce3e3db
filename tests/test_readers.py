import json

import pytest

from indexer.article import Article, Problem
from indexer.readers import ReadOptions, parse_field_map, read_sources
from tests.conftest import GNAD, ZEITGEIST, ZEITGEIST_FIELDS, needs_shared_data, write_native

BODY = "Der Bundestag hat am Donnerstag über den Haushalt beraten. Die Opposition kritisierte."


def read(paths, **opts):
    items = list(read_sources([str(p) for p in paths], ReadOptions(**opts)))
    return ([i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Problem)])


# native text ---------------------------------------------------------------
def test_native_file(tmp_path):
    path = write_native(tmp_path, "007_abcdef0123456789.txt", "14. November, 2024", "Politik",
                        "Haushalt beschlossen", BODY + "\n\nZweiter Absatz.")
    [article], problems = read([path])
    assert problems == []
    assert article.key == "abcdef0123456789"
    assert (article.date, article.section, article.title) == ("2024-11-14", "Politik",
                                                              "Haushalt beschlossen")
    assert article.body == BODY + "\n\nZweiter Absatz."  # the repeated title is dropped
    assert article.line == 1


def test_native_title_not_repeated_keeps_first_paragraph(tmp_path):
    path = write_native(tmp_path, "a.txt", "2024-11-14", "Inland", "Titel", BODY,
                        repeat_title=False)
    [article], _ = read([path])
    assert article.body == BODY and article.key == "a"


def test_native_bad_date_is_warning_and_article_kept_undated(tmp_path):
    path = write_native(tmp_path, "b.txt", "irgendwann", "Inland", "Titel", BODY)
    [article], [problem] = read([path])
    assert article.date is None
    assert (problem.severity, problem.field, problem.line) == ("warning", "date", 1)
    assert "irgendwann" in problem.reason


def test_native_wrong_encoding_rejected_with_line(tmp_path):
    path = tmp_path / "c.txt"
    path.write_bytes("2024-11-14\n\nInland\n\nTitel\n\n".encode() + "Gr\xfc\xdfe".encode("latin-1"))
    articles, [problem] = read([path])
    assert articles == [] and problem.line == 7 and "UTF-8" in problem.reason


def test_native_too_short_rejected(tmp_path):
    path = tmp_path / "d.txt"
    path.write_text("2024-11-14\n\nInland\n", encoding="utf-8")
    articles, [problem] = read([path])
    assert articles == [] and "too short" in problem.reason


def test_folder_is_read_recursively_and_missing_path_reported(tmp_path):
    write_native(tmp_path / "a" / "b", "x.txt", "2024-11-14", "Inland", "T", BODY)
    articles, problems = read([tmp_path, tmp_path / "nope"])
    assert len(articles) == 1
    assert problems[0].reason == "no such file or folder"


# JSON Lines ----------------------------------------------------------------
def write_lines(path, lines):
    path.write_bytes(b"\n".join(l if isinstance(l, bytes) else l.encode() for l in lines) + b"\n")
    return path


def test_jsonl_good_and_bad_lines(tmp_path):
    path = write_lines(tmp_path / "a.jsonl", [
        json.dumps({"id": 17, "title": "Eins", "body": BODY, "date": "2024-11-14"}),
        '{"title": "kaputt"',
        "[1, 2]",
        json.dumps({"title": "", "body": ""}),
        json.dumps({"title": ["x"], "body": BODY}),
        b'{"title": "\xff"}',
        "",
        json.dumps({"url": "https://example.org/a", "body": BODY, "date": "bald"}),
    ])
    articles, problems = read([path])
    assert [a.key for a in articles] == ["17", "https://example.org/a"]
    by_line = {p.line: p for p in problems}
    assert "invalid JSON" in by_line[2].reason
    assert "expected a JSON object" in by_line[3].reason
    assert "neither title nor body" in by_line[4].reason
    assert by_line[5].field == "title" and "string" in by_line[5].reason
    assert "UTF-8" in by_line[6].reason
    assert by_line[8].severity == "warning" and articles[1].date is None
    assert articles[1].title.startswith("Der Bundestag hat")  # derived from the lead


def test_jsonl_field_mapping(tmp_path):
    path = write_lines(tmp_path / "m.jsonl", [json.dumps(
        {"content": BODY, "gathered_date": "2025-08-05", "category": "inland", "title": "T"})])
    [article], _ = read([path], field_map=parse_field_map(ZEITGEIST_FIELDS))
    assert (article.body, article.date, article.section) == (BODY, "2025-08-05", "Inland")


def test_key_falls_back_to_text_hash(tmp_path):
    path = write_lines(tmp_path / "h.jsonl", [json.dumps({"title": "T", "body": BODY})] * 2)
    a, b = read([path])[0]
    assert a.key == b.key and len(a.key) == 16


def test_bad_field_map_spec():
    with pytest.raises(ValueError, match="not a native field"):
        parse_field_map(["inhalt=content"])
    with pytest.raises(ValueError, match="NATIVE=SOURCE"):
        parse_field_map(["body"])


# CSV -----------------------------------------------------------------------
def test_csv_with_header(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text('id,title,body,date\n1,"Eins, zwei",' + f'"{BODY}",14.11.2024\n'
                    '2,Zwei\n3,,,\n', encoding="utf-8")
    articles, problems = read([path])
    assert [(a.key, a.title, a.date) for a in articles] == [("1", "Eins, zwei", "2024-11-14")]
    assert "expected 4 columns, found 2" in problems[0].reason and problems[0].line == 3
    assert "neither title nor body" in problems[1].reason and problems[1].line == 4


def test_csv_dialect_without_header_and_skipped_column(tmp_path):
    path = tmp_path / "b.csv"
    path.write_bytes("Inland;x;'Er sagte: ''Ja''; mehrzeilig\nzweite Zeile'\n".encode()
                     + b"Etat;y;'\xff kaputt'\n" + "Web;z;'Gut'\n".encode())
    articles, problems = read([path], csv_delimiter=";", csv_quotechar="'",
                              csv_columns=("section", "-", "body"))
    assert [a.section for a in articles] == ["Inland", "Web"]
    assert articles[0].body == "Er sagte: 'Ja'; mehrzeilig\nzweite Zeile"
    assert articles[1].line == 4
    assert problems[0].line == 3 and "UTF-8" in problems[0].reason


# the real files ------------------------------------------------------------
@needs_shared_data()
def test_all_zeitgeist_records_read():
    articles, problems = read([ZEITGEIST], field_map=parse_field_map(ZEITGEIST_FIELDS))
    # no record has a problem; the file is told once that its "language" could be mapped
    assert len(articles) == 4395 and [(p.severity, p.field) for p in problems] == [
        ("note", "lang")]
    assert all(a.date for a in articles)
    assert {a.section for a in articles} >= {None, "Inland", "Ausland", "Wirtschaft"}


@needs_shared_data()
def test_all_gnad_records_read():
    articles, problems = read([GNAD], csv_delimiter=";", csv_quotechar="'",
                              csv_columns=("section", "body"))
    assert len(articles) == 1028 and problems == []
    assert all(a.date is None and a.title for a in articles)


def test_jsonl_unpaired_surrogate_is_rejected_by_field(tmp_path, index_dir):
    from indexer.build import build_index

    path = write_lines(tmp_path / "s.jsonl", [
        '{"id": "a\\ud800b", "title": "Eins", "body": "Ein Text"}',
        '{"id": "ok", "title": "Zwei", "body": "Text mit \\udc80 darin"}',
        '{"id": "fine", "title": "Drei", "body": "Paar \\ud83d\\ude00 ist Text"}',
    ])
    articles, problems = read([path])
    assert [a.key for a in articles] == ["fine"]
    assert [(p.line, p.field) for p in problems] == [(1, "id"), (2, "body")]
    assert "unpaired surrogate (\\ud800 at character 2)" in problems[0].reason
    # the build indexes what is good and reports the rest
    summary = build_index([str(path)], index_dir)
    assert summary.articles == 1 and summary.rejected == 2


def test_jsonl_fields_under_other_names_get_one_note_each_per_file(tmp_path):
    records = [{"title": f"Titel {n}", "content": "Der Landtag tagte lange.",
                "published_date": "None", "gathered_date": "2025-08-05", "language": "de"}
               for n in range(3)]
    path = tmp_path / "feed.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    items = list(read_sources([str(path)], ReadOptions()))
    notes = [p for p in items if isinstance(p, Problem)]
    assert [(n.field, n.line, n.severity) for n in notes] == [
        ("body", 1, "note"), ("date", 1, "note"), ("lang", 1, "note")]
    by_field = {n.field: n.reason for n in notes}
    assert "--field body=content" in by_field["body"]
    # the date with a value is suggested, the other one named
    assert "--field date=gathered_date" in by_field["date"] and "published_date" in by_field["date"]
    assert sum(isinstance(a, Article) for a in items) == 3  # advice, nothing rejected
    mapped = ReadOptions(field_map=parse_field_map(["body=content", "date=gathered_date",
                                                    "lang=language"]))
    assert not [p for p in read_sources([str(path)], mapped) if isinstance(p, Problem)]


def test_strict_build_does_not_stop_for_notes(tmp_path, index_dir):
    from indexer.build import build_index

    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps({"title": "Landtag tagt", "content": "Lange Sitzung."}) + "\n",
                    encoding="utf-8")
    summary = build_index([str(path)], index_dir, strict=True)
    assert summary.articles == 1 and summary.rejected == 0 and summary.warnings == 0
    assert [p.severity for p in summary.problems] == ["note"]
