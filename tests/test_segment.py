"""indexer.segment: segments written without whoosh's pool, read back by whoosh."""
from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

from indexer.build import scan_sources
from indexer.documents import to_document
from indexer.fields import CODEC, make_schema
from indexer.readers import ReadOptions
from indexer.segment import SegmentBuilder
from indexer.store import open_index
from tests.conftest import CORPUS


@pytest.fixture(scope="module")
def documents():
    articles = list(scan_sources([str(CORPUS)], ReadOptions()).articles.values())
    docs = [to_document(a) for a in articles]
    # Three times over, so that common terms have more than one 128-posting block.
    return docs * 3


def _files(folder: Path, segment) -> dict[str, bytes]:
    """Segment files by name without the (random) segment id."""
    return {p.name.replace(segment.segid, "*"): p.read_bytes() for p in folder.iterdir()
            if segment.segid in p.name}


def _with_whoosh(folder: Path, docs: list[dict]):
    folder.mkdir(exist_ok=True)
    ix = whoosh_index.create_in(str(folder), make_schema())
    writer = SegmentWriter(ix, _lk=False, codec=CODEC, compound=False)
    for doc in docs:
        writer.add_document(**doc)
    return writer._finalize_segment()


def _with_builder(folder: Path, docs: list[dict], compound: bool = False):
    folder.mkdir(exist_ok=True)
    ix = whoosh_index.create_in(str(folder), make_schema())
    builder = SegmentBuilder(ix, compound=compound)
    for doc in docs:
        builder.add_document(**doc)
    return ix, builder.finish()


def _postings(folder: Path, segment) -> dict:
    """Every term's statistics and postings, as whoosh reads them from ``segment``."""
    from whoosh.reading import SegmentReader

    reader = SegmentReader(open_index(folder).storage, make_schema(), segment)
    found = {}
    for field, term in reader.all_terms():
        info = reader.term_info(field, term)
        matcher = reader.postings(field, term)
        items = []
        while matcher.is_active():
            items.append((matcher.id(), matcher.weight(), matcher.value()))
            matcher.next()
        found[field, term] = (info.weight(), info.doc_frequency(), info.max_weight(),
                              info.min_id(), info.max_id(), items)
    reader.close()
    return found


def test_segment_reads_back_as_whooshs_own(tmp_path, documents):
    theirs_segment = _with_whoosh(tmp_path / "whoosh", documents)
    ours_segment = _with_builder(tmp_path / "builder", documents)[1]
    theirs = _postings(tmp_path / "whoosh", theirs_segment)
    ours = _postings(tmp_path / "builder", ours_segment)
    assert ours.keys() == theirs.keys()
    assert {field for field, _ in ours} >= {"id", "title", "text", "date", "persons"}
    for key in theirs:
        assert ours[key] == theirs[key], key
    # The per-document files come from whoosh's own writer: byte for byte the same.
    theirs_files = _files(tmp_path / "whoosh", theirs_segment)
    ours_files = _files(tmp_path / "builder", ours_segment)
    assert set(ours_files) - {"MAIN_*.dvals", "MAIN_*.lex", "MAIN_*.tvec"} == set(theirs_files)
    assert {"MAIN_*._stored.col", "MAIN_*._text_len.col"} <= set(ours_files)
    for name in set(theirs_files) - {"MAIN_*.trm", "MAIN_*.pst"}:
        assert ours_files[name] == theirs_files[name], name


def test_doc_values_equal_what_whooshs_columns_say(tmp_path, documents):
    """The builder's doc values file holds what a pass over whoosh's own segment reads."""
    import numpy as np
    from whoosh.reading import SegmentReader

    from indexer import docvalues

    theirs_segment = _with_whoosh(tmp_path / "whoosh", documents)
    ix, ours_segment = _with_builder(tmp_path / "builder", documents)
    ours = docvalues.read_file(docvalues.segment_path(ix.storage, ours_segment))
    reader = SegmentReader(open_index(tmp_path / "whoosh").storage, make_schema(), theirs_segment)
    theirs = docvalues.from_reader(reader)
    reader.close()
    assert ours.labels == {k: list(v) for k, v in theirs.labels.items()}
    for name, arr in theirs.arrays().items():
        assert np.array_equal(ours[name], arr), name
    assert len(ours.labels["persons"]) > 10 and (ours["date"] > 0).all()
    assert ours["key"][0] == docvalues.key_hash(documents[0]["id"])


def test_whoosh_reads_the_committed_segment(tmp_path, documents):
    ix, segment = _with_builder(tmp_path, documents, compound=True)
    writer = ix.writer()
    writer._commit_toc([segment])
    writer._finish()
    with open_index(tmp_path).searcher() as searcher:
        assert searcher.doc_count() == len(documents)
        first = documents[0]
        hits = searcher.documents(id=first["id"])
        assert [h["title"] for h in hits] == [first["_stored_title"]] * 3
        # the most frequent term: several blocks, every document found once
        reader = searcher.reader()
        term, info = max(reader.iter_field("text"), key=lambda item: item[1].doc_frequency())
        postings = list(reader.postings("text", term).all_ids())
        assert len(postings) == info.doc_frequency() > 128
        assert postings == sorted(set(postings))


def test_a_segment_without_documents(tmp_path):
    ix, segment = _with_builder(tmp_path, [], compound=False)
    assert segment.doc_count() == 0


def test_terms_file_is_byte_identical_to_whooshs_own_hash_writer():
    from whoosh.filedb.filestore import RamStorage
    from whoosh.filedb.filetables import OrderedHashWriter

    from indexer.segment import TermsWriter

    # enough keys for the position index to outgrow 16 bits, in two batches as finish() does
    keys = sorted(f"term{i:06d}".encode() for i in range(12_000))
    values = [b"v" * (i % 7) for i in range(len(keys))]
    storage = RamStorage()
    theirs = OrderedHashWriter(storage.create_file("theirs"))
    for key, value in zip(keys, values):
        theirs.add(key, value)
    ours = TermsWriter(storage.create_file("ours"))
    ours.add_all(keys[:5000], values[:5000])
    ours.add_all(keys[5000:], values[5000:])
    ours.add_all([], [])
    assert ours.index.typecode == theirs.index.typecode == "i"
    theirs.close()
    ours.close()
    assert storage.open_file("ours").read() == storage.open_file("theirs").read()
    with pytest.raises(ValueError):
        TermsWriter(storage.create_file("bad")).add_all([b"b", b"a"], [b"", b""])


def test_comma_keywords_as_whoosh_analyses_them():
    from whoosh import fields

    from indexer.segment import _comma_keywords

    field = fields.KEYWORD(stored=True, commas=True, scorable=True, field_boost=1.5)
    for value in ["Donald Trump, Friedrich Merz,Donald Trump,", ",,a,, b ,  ,c", "", "one"]:
        expected = list(field.format.word_values(value, field.analyzer, mode="index"))
        assert _comma_keywords(value, 1.5) == expected, value


def test_written_forms_from_the_analysis_equal_a_second_tokenisation(tmp_path, documents):
    """``to_document`` hands the builder the words as its analysis saw them
    (``_surface``); the term vectors and written forms are the same as when the
    builder tokenises title and body again (documents without ``_surface``)."""
    from indexer import termvectors

    plain = [{k: v for k, v in doc.items() if k != "_surface"} for doc in documents]
    assert all("_surface" in doc for doc in documents)
    fast_ix, fast = _with_builder(tmp_path / "fast", documents)
    slow_ix, slow = _with_builder(tmp_path / "slow", plain)
    fast_tvec = Path(termvectors.path_for(fast_ix.storage, fast)).read_bytes()
    assert Path(termvectors.path_for(slow_ix.storage, slow)).read_bytes() == fast_tvec
    assert any(termvectors.read(termvectors.path_for(fast_ix.storage, fast)).forms())

    counted, recounted = termvectors.FormCounter(), termvectors.FormCounter()
    for doc, bare in zip(documents, plain):
        counted.add_words(doc["_surface"])
        recounted.add(bare["_stored_title"], bare["body"])
    assert counted.counts == recounted.counts
    assert counted.best_forms() == recounted.best_forms() != {}


@pytest.mark.parametrize("text", [
    "Die Zölle steigen, der ZOLL fällt: Maschinenbau-Ingenieure in Köln",
    "Ver\u00adteidigungs\u00administer und NATO-\u00adChef, 1.000 Euro, 3,5 %",
    "İSTANBUL und İzmir, ΣΟΦΟΣ, Straße-Bau, Kelvin \u212a, Ⅻ",
])
@pytest.mark.parametrize("lang", ["de", "en"])
def test_collect_postings_with_surface_words_changes_nothing_else(text, lang):
    from indexer.analysis import TOKEN_RE, collect_postings

    alone, beside, surface = {}, {}, []
    end = collect_postings(text, alone, lang=lang, start_pos=3)
    assert collect_postings(text, beside, lang=lang, start_pos=3, surface=surface) == end
    assert beside == alone
    assert surface == [TOKEN_RE.findall(text)]
