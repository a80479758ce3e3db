import json
import os
import shutil
import signal
import subprocess
import sys

import pytest
from whoosh import index as whoosh_index
from whoosh.query import Term

from indexer.analysis import query_terms
from indexer.build import BuildAborted, build_index
from indexer.fields import SCHEMA_VERSION
from indexer.stats import index_stats
from indexer.store import IndexLocked, IndexStore, SchemaMismatch
from tests.conftest import CORPUS, REPO, write_native

BODY = ("Verteidigungsminister Boris Pistorius hat in Berlin neue Waffenlieferungen an die "
        "Ukraine angekündigt. Der Bundestag soll im März darüber beraten.")


def make_sources(folder, n=3):
    for i in range(n):
        write_native(folder, f"{i:03d}_{i:016x}.txt", f"{i + 1}. März 2024", "Inland",
                     f"Meldung {i}", f"{BODY} Nummer {i}.")
    return folder


def keys(index_dir):
    ix = whoosh_index.open_dir(str(IndexStore(index_dir).current()))
    with ix.searcher() as s:
        return sorted(d["id"] for d in s.all_stored_fields())


def search_text(index_dir, word):
    ix = whoosh_index.open_dir(str(IndexStore(index_dir).current()))
    with ix.searcher() as s:
        return sorted(h["id"] for h in s.search(Term("text", query_terms(word)[0]), limit=None))


def test_first_build_then_unchanged(tmp_path, index_dir):
    src = make_sources(tmp_path / "src")
    first = build_index([str(src)], index_dir)
    assert (first.added, first.rebuilt, first.articles) == (3, True, 3)
    again = build_index([str(src)], index_dir)
    assert (again.added, again.updated, again.unchanged, again.rebuilt) == (0, 0, 3, False)


def test_changed_article_replaces_old_version(tmp_path, index_dir):
    src = make_sources(tmp_path / "src")
    build_index([str(src)], index_dir)
    write_native(src, "001_0000000000000001.txt", "1. März 2024", "Inland", "Meldung 1",
                 "Die Sanktionen gegen Russland wurden verlängert.")
    summary = build_index([str(src)], index_dir)
    assert (summary.added, summary.updated, summary.unchanged) == (0, 1, 2)
    assert keys(index_dir) == [f"{i:016x}" for i in range(3)]
    assert search_text(index_dir, "Sanktion") == ["0000000000000001"]


def test_compound_parts_are_searchable(tmp_path, index_dir):
    build_index([str(make_sources(tmp_path / "src", 1))], index_dir)
    assert search_text(index_dir, "Minister") == ["0000000000000000"]
    assert search_text(index_dir, "Maerz") == ["0000000000000000"]


def test_prune_removes_gone_files(tmp_path, index_dir):
    src = make_sources(tmp_path / "src")
    build_index([str(src)], index_dir)
    (src / "002_0000000000000002.txt").unlink()
    assert build_index([str(src)], index_dir).pruned == 0  # only with --prune
    summary = build_index([str(src)], index_dir, prune=True)
    assert summary.pruned == 1 and keys(index_dir) == ["0000000000000000", "0000000000000001"]


def test_prune_refuses_missing_or_empty_sources_unless_forced(tmp_path, index_dir):
    from indexer.build import PruneRefused

    src = make_sources(tmp_path / "src")
    build_index([str(src)], index_dir)
    with pytest.raises(PruneRefused, match="does not exist"):
        build_index([str(tmp_path / "unmounted")], index_dir, prune=True)
    empty = tmp_path / "empty"
    empty.mkdir()
    for path in src.iterdir():  # the files moved away: an empty folder where they were
        path.rename(empty.parent / path.name)
    with pytest.raises(PruneRefused, match="hold no articles; pruning would remove 3"):
        build_index([str(src)], index_dir, prune=True)
    assert len(keys(index_dir)) == 3  # nothing was lost
    assert build_index([str(src)], index_dir, prune=True, force=True).pruned == 3
    assert keys(index_dir) == []


def test_a_rejected_record_does_not_prune_its_indexed_version(tmp_path, index_dir):
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(json.dumps({"id": i, "body": BODY}) for i in "abc"), encoding="utf-8")
    build_index([str(path)], index_dir)
    lines = [json.dumps({"id": "a", "body": BODY}), json.dumps({"id": "b", "body": ""}),
             json.dumps({"id": "c", "body": BODY})]  # b: neither title nor body
    path.write_text("\n".join(lines), encoding="utf-8")
    summary = build_index([str(path)], index_dir, prune=True)
    assert summary.rejected == 1 and summary.pruned == 0
    assert keys(index_dir) == ["a", "b", "c"]


def test_dry_run_reports_and_writes_nothing(tmp_path, index_dir):
    src = make_sources(tmp_path / "src", 4)
    build_index([str(src)], index_dir)
    def files():  # the index, not the writer lock, which a dry run holds as well
        return {p: p.stat().st_mtime_ns for p in index_dir.rglob("*")
                if p.is_file() and p.name != "write.lock"}

    before = files()
    (src / "003_0000000000000003.txt").unlink()
    write_native(src, "009_0000000000000009.txt", "2. März 2024", "Inland", "Neu", BODY)
    write_native(src, "000_0000000000000000.txt", "1. März 2024", "Inland", "Geändert", BODY)
    summary = build_index([str(src)], index_dir, prune=True, dry_run=True)
    assert (summary.added, summary.updated, summary.unchanged, summary.pruned) == (1, 1, 2, 1)
    assert files() == before
    generations = sorted((index_dir / "generations").iterdir())
    rebuilt = build_index([str(src)], index_dir, rebuild=True, dry_run=True)
    assert rebuilt.added == 4 and rebuilt.rebuilt
    assert files() == before and sorted((index_dir / "generations").iterdir()) == generations


def test_prune_removes_records_dropped_from_a_file(tmp_path, index_dir):
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(json.dumps({"id": i, "body": BODY}) for i in "abc"), encoding="utf-8")
    build_index([str(path)], index_dir)
    path.write_text(json.dumps({"id": "a", "body": BODY}), encoding="utf-8")
    assert build_index([str(path)], index_dir, prune=True).pruned == 2
    assert keys(index_dir) == ["a"]


def test_same_key_twice_keeps_the_later(tmp_path, index_dir):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"url": "u", "body": "alt"}) + "\n"
                    + json.dumps({"url": "u", "body": "neu und länger"}), encoding="utf-8")
    summary = build_index([str(path)], index_dir)
    assert (summary.added, summary.superseded) == (1, 1)
    ix = whoosh_index.open_dir(str(IndexStore(index_dir).current()))
    with ix.searcher() as s:
        assert [d["body"] for d in s.all_stored_fields()] == ["neu und länger"]


def test_rejects_reported_and_good_articles_kept(tmp_path, index_dir):
    src = make_sources(tmp_path / "src", 2)
    (src / "bad.jsonl").write_text('{"id": 1, "body": "gut"}\n{kaputt\n', encoding="utf-8")
    summary = build_index([str(src)], index_dir)
    assert summary.added == 3 and summary.rejected == 1
    [problem] = summary.problems
    assert problem.file.endswith("bad.jsonl") and problem.line == 2


def test_strict_aborts_before_touching_the_index(tmp_path, index_dir):
    src = make_sources(tmp_path / "src", 2)
    build_index([str(src)], index_dir)
    generation = IndexStore(index_dir).current()
    (src / "bad.jsonl").write_text("{kaputt\n", encoding="utf-8")
    write_native(src, "new.txt", "2024-05-01", "Inland", "Neu", BODY)
    with pytest.raises(BuildAborted):
        build_index([str(src)], index_dir, strict=True)
    assert IndexStore(index_dir).current() == generation
    assert len(keys(index_dir)) == 2


def test_rebuild_swaps_generation_and_keeps_served_index_until_done(tmp_path, index_dir):
    src = make_sources(tmp_path / "src")
    build_index([str(src)], index_dir)
    store = IndexStore(index_dir)
    old = store.current()
    (src / "000_0000000000000000.txt").unlink()
    summary = build_index([str(src)], index_dir, rebuild=True)
    assert summary.rebuilt and store.current() != old
    assert keys(index_dir) == ["0000000000000001", "0000000000000002"]
    assert old.exists()  # the previous generation stays for searchers still reading it


def test_parallel_build_equals_sequential(tmp_path):
    src = tmp_path / "src"
    lines = [json.dumps({"id": i, "title": f"Titel {i}", "body": f"{BODY} Zahl {i}."})
             for i in range(500)]
    src.mkdir()
    (src / "a.jsonl").write_text("\n".join(lines), encoding="utf-8")
    one = build_index([str(src)], tmp_path / "one", jobs=1)
    two = build_index([str(src)], tmp_path / "two", jobs=2)
    assert one.articles == two.articles == 500
    assert search_text(tmp_path / "one", "Minister") == search_text(tmp_path / "two", "Minister")


HOLD_LOCK = """
import sys, time
from indexer.store import IndexStore
with IndexStore(sys.argv[1]).lock():
    print("locked", flush=True)
    time.sleep(60)
"""


def test_second_indexer_gets_clear_error(tmp_path, index_dir):
    src = make_sources(tmp_path / "src", 1)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(index_dir)], cwd=REPO,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(IndexLocked, match=f"being written by pid {holder.pid}"):
            build_index([str(src)], index_dir)
    finally:
        holder.kill()
        holder.wait()
    assert build_index([str(src)], index_dir).added == 1  # a dead holder's lock is gone


def test_second_indexer_in_the_same_process_gets_clear_error(tmp_path, index_dir):
    """POSIX record locks belong to a process: a second indexer thread would be
    granted the lock again, and closing its file would release the first's."""
    import threading

    src = make_sources(tmp_path / "src", 3)
    build_index([str(src)], index_dir)
    errors = []
    with IndexStore(index_dir).lock():
        thread = threading.Thread(target=lambda: _capture(errors, build_index, [str(src)],
                                                          index_dir, rebuild=True))
        thread.start()
        thread.join()
        assert len(errors) == 1 and isinstance(errors[0], IndexLocked)
        assert "this process" in str(errors[0])
    # the refused indexer wrote nothing: the index is complete and writable
    assert len(keys(index_dir)) == 3
    assert build_index([str(src)], index_dir, rebuild=True).articles == 3


def _capture(errors, fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except Exception as exc:  # the test looks at it
        errors.append(exc)


def test_other_schema_version_refused(tmp_path, index_dir):
    src = make_sources(tmp_path / "src", 1)
    build_index([str(src)], index_dir)
    store = IndexStore(index_dir)
    meta = store.read_meta()
    meta["schema_version"] = 0
    store.write_meta(store.current(), meta)
    with pytest.raises(SchemaMismatch, match="rebuild needed"):
        index_stats(index_dir)
    with pytest.raises(SchemaMismatch, match="rebuild needed"):
        build_index([str(src)], index_dir)
    assert build_index([str(src)], index_dir, rebuild=True).added == 1


def test_stats(tmp_path, index_dir):
    src = make_sources(tmp_path / "src")
    write_native(src, "undated.txt", "kein Datum", "Wirtschaft", "Ohne Datum", BODY)
    build_index([str(src)], index_dir)
    info = index_stats(index_dir)
    assert info["articles"] == 4 and info["undated"] == 1
    assert info["date_range"] == ["2024-03-01", "2024-03-03"]
    assert info["sections"] == {"Inland": 3, "Wirtschaft": 1}
    assert info["size_bytes"] > 0 and info["schema_version"] == SCHEMA_VERSION


KILL_SCRIPT = """
import sys
from indexer.build import build_index
said = []
def progress(done, total):
    if done >= 200 and not said:
        said.append(print("writing", flush=True))
build_index([sys.argv[1]], sys.argv[2], rebuild=sys.argv[3] == "rebuild", jobs=2,
            on_progress=progress)
"""


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["rebuild", "update"])
def test_kill_9_during_build_leaves_previous_index(tmp_path, index_dir, mode):
    src = make_sources(tmp_path / "src", 3)
    build_index([str(src)], index_dir)
    before = keys(index_dir)
    big = tmp_path / "big"
    big.mkdir()
    (big / "a.jsonl").write_text("\n".join(json.dumps({"id": f"x{i}", "body": f"{BODY} {i}"})
                                           for i in range(20000)), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(big), str(index_dir), mode],
                            cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "writing"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert keys(index_dir) == before  # still complete and searchable
    assert search_text(index_dir, "Pistorius") == before
    summary = build_index([str(src)], index_dir, rebuild=True)  # next run cleans up
    assert summary.articles == 3
    leftovers = [p.name for p in (index_dir / "generations").iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_segments_are_capped_and_carry_doc_values(tmp_path, index_dir):
    """A build streams: each worker writes a segment per ``segment_docs`` documents,
    each with its doc values file; a key repeated across segments keeps the later."""
    from indexer import docvalues, whoosh_compat

    src = make_sources(tmp_path / "src", 500)  # above PARALLEL_FROM: worker processes
    # the key of an early record again at the end: it lands in another segment, and wins
    lines = [json.dumps({"url": f"u{i}", "body": f"Bericht {i} aus Wien"}) for i in range(40)]
    lines.append(json.dumps({"url": "u3", "body": "Neufassung aus Graz"}))
    (src / "z.jsonl").write_text("\n".join(lines), encoding="utf-8")
    summary = build_index([str(src)], index_dir, jobs=2, segment_docs=60)
    ix = whoosh_index.open_dir(str(IndexStore(index_dir).current()))
    segments = whoosh_compat.segments(ix)
    assert len(segments) >= 500 // 60
    assert all(s.doc_count_all() <= 60 for s in segments)
    total = 0
    for segment in segments:
        dv = docvalues.read_file(docvalues.segment_path(ix.storage, segment))
        assert dv.doc_count == segment.doc_count_all()
        total += segment.doc_count()
    assert total == summary.articles == 540
    assert (summary.added, summary.superseded) == (540, 1)
    assert len(keys(index_dir)) == 540
    assert search_text(index_dir, "Graz") == ["u3"] and search_text(index_dir, "Bericht")[:1]
    assert "u3" not in search_text(index_dir, "Bericht")




def test_updates_merge_small_segments_and_purge_deleted_documents(tmp_path, index_dir):
    """Many small updates: the policy merges their segments into one; the merged
    index answers every search as a fresh build of the same articles does."""
    from indexer import docvalues, whoosh_compat
    from search import open_engine
    from search.models import SearchRequest

    src = tmp_path / "src"
    corpus = sorted(CORPUS.glob("*.txt"))
    src.mkdir()
    for path in corpus[:10]:
        shutil.copy(path, src)
    build_index([str(src)], index_dir, segment_docs=40)
    merged = 0
    for step, path in enumerate(corpus[10:26]):  # one new article per update, some changed
        shutil.copy(path, src)
        changed = corpus[step % 10]
        text = (src / changed.name).read_text(encoding="utf-8")
        (src / changed.name).write_text(text + f"\nNachtrag {step}.\n", encoding="utf-8")
        merged += build_index([str(src)], index_dir, segment_docs=40).merged
    assert merged > 0
    ix = whoosh_index.open_dir(str(IndexStore(index_dir).current()))
    segments = whoosh_compat.segments(ix)
    assert len(segments) <= 1 + 6 + 1  # the policy keeps the count of small segments low
    for segment in segments:
        dv = docvalues.read_file(docvalues.segment_path(ix.storage, segment))
        assert dv.doc_count == segment.doc_count_all()
    fresh = tmp_path / "fresh"
    build_index([str(src)], fresh)
    ours, theirs = open_engine(index_dir), open_engine(fresh)
    for q in ["", "Ukraine", "Minister", "Nachtrag", '"Olaf Scholz"', "Wahl*", "Selensky"]:
        for request in (SearchRequest(q=q, size=100), SearchRequest(q=q, size=100, sort="newest")):
            a, b = ours.search(request), theirs.search(request)
            assert a.total == b.total, q
            assert {h.id for h in a.hits} == {h.id for h in b.hits}, q
            assert sorted((h.id, round(h.score, 3)) for h in a.hits) == \
                sorted((h.id, round(h.score, 3)) for h in b.hits), q
            assert a.facets == b.facets and a.histogram == b.histogram
    from indexer.readers.native import article_id

    article = ours.article(article_id(corpus[3]))
    assert article is not None and "Nachtrag" in article.body


def test_posting_arrays_equal_whooshs_matcher_on_segments_with_deletions(tmp_path, index_dir):
    """Posting lists are read block by block as arrays, deleted documents dropped by the
    live mask; whoosh's own matcher (one posting at a time) must agree."""
    import numpy as np

    from search.engine import WhooshEngine

    src = tmp_path / "src"
    src.mkdir()
    for path in sorted(CORPUS.glob("*.txt"))[:40]:
        shutil.copy(path, src)
    build_index([str(src)], index_dir, segment_docs=15)
    for path in sorted(src.iterdir())[::3]:  # changed: their old versions are deleted
        path.write_text(path.read_text(encoding="utf-8") + "\nNachtrag.\n", encoding="utf-8")
    build_index([str(src)], index_dir, segment_docs=15)
    engine = WhooshEngine(index_dir)
    with engine._lease() as snap:
        assert not snap.live.all()  # the deletions are there
        compared = 0
        for word in ["Bundestag", "Ukraine", "Minister", "Nachtrag", "Regierung", "Wahl"]:
            term = query_terms(word)[0]
            docs, weights = snap.postings.read("text", term)
            expected_docs, expected_weights = [], []
            matcher = snap.reader.postings("text", term)
            while matcher.is_active():
                expected_docs.append(matcher.id())
                expected_weights.append(matcher.weight())
                matcher.next()
            assert docs.tolist() == expected_docs, word
            assert np.allclose(weights, expected_weights), word
            compared += len(docs)
        assert compared > 40
