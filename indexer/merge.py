"""Merging segments: fewer segments to search, deleted documents purged.

Every update adds a segment and marks replaced documents deleted in older
ones. ``merge_policy`` picks what to merge after an update (many small
segments, or a segment that is mostly deleted documents); ``merge_segments``
writes their live documents as one new segment, term by term: each term's
posting lists are concatenated with document numbers mapped and deleted
documents dropped, in the format ``SegmentBuilder`` writes, and the doc
values are concatenated the same way. Nothing is analysed again, and memory
follows the size of the merged segment, not the index.

whoosh's own merge re-adds every posting one by one through its pool and
does not know the doc values files, so it is never used.
"""
from __future__ import annotations

import heapq

import numpy as np
from whoosh.reading import SegmentReader

from indexer import docvalues, termvectors, whoosh_compat
from indexer.entity_fields import ENTITY_FIELDS
from indexer.fields import CODEC
from indexer.segment import write_postings

SMALL_FRACTION = 0.25  # of the segment cap: below this a segment counts as small
MAX_SMALL = 6  # more small segments than this are merged into one
MOST_DELETED = 0.4  # a segment with more deleted documents than this is rewritten


def merge_policy(segments, segment_docs: int) -> list:
    """The segments worth merging now (empty for none)."""
    small = [s for s in segments if s.doc_count_all() < segment_docs * SMALL_FRACTION]
    chosen = small if len(small) > MAX_SMALL else []
    for segment in segments:
        total = segment.doc_count_all()
        if segment not in chosen and total and (total - segment.doc_count()) / total > MOST_DELETED:
            chosen.append(segment)
    return chosen


def merge_segments(ix, segments) -> object:
    """One new segment (not yet committed) with the live documents of ``segments``."""
    storage, schema = ix.storage, ix.schema
    readers = [SegmentReader(storage, schema, s) for s in segments]
    try:
        new = CODEC.new_segment(storage, ix.indexname)
        docmaps, count = [], 0
        for segment in segments:
            live = np.ones(segment.doc_count_all(), dtype=bool)
            live[whoosh_compat.deleted_docs(segment)] = False
            docmap = np.full(len(live), -1, dtype=np.int64)
            docmap[live] = np.arange(count, count + int(live.sum()))
            count += int(live.sum())
            docmaps.append(docmap)
        _write_per_document(new, storage, schema, readers, docmaps)
        recorder = termvectors.Recorder()
        lexicon = write_postings(new, storage, schema,
                                 recorder.fields(_merged_fields(schema, readers, docmaps)),
                                 CODEC._blocklimit)
        new.set_doc_count(count)
        new.create_compound_file(storage)
        _write_docvalues(ix, segments, docmaps, new)
        docvalues.write_lexicon(docvalues.lexicon_path(storage, new), *lexicon)
        recorder.write(termvectors.path_for(storage, new), count,
                       termvectors.merged_forms(storage, segments, readers))
        return new
    finally:
        for reader in readers:
            reader.close()


def _write_per_document(new, storage, schema, readers, docmaps) -> None:
    """Stored fields, field lengths and columns, document by document."""
    perdoc = CODEC.per_document_writer(storage, new)
    scorable = [name for name in schema.names() if schema[name].scorable]
    columns = [name for name in schema.names() if schema[name].column_type]
    for reader, docmap in zip(readers, docmaps):
        column_readers = {name: reader.column_reader(name, translate=False)
                          for name in columns if reader.has_column(name)}
        for old in np.flatnonzero(docmap >= 0).tolist():
            perdoc.start_doc(int(docmap[old]))
            stored = reader.stored_fields(old)
            for name in schema.names():
                field = schema[name]
                length = reader.doc_field_length(old, name, 0) if name in scorable else 0
                value = stored.get(name) if field.stored else None
                if value is not None or length:
                    perdoc.add_field(name, field, value, length)
                if name in column_readers:
                    perdoc.add_column_value(name, field.column_type, column_readers[name][old])
            perdoc.finish_doc()
    perdoc.close()


def _merged_fields(schema, readers, docmaps):
    names = sorted({name for reader in readers for name in reader.indexed_field_names()
                    if name in schema and schema[name].indexed})
    for name in names:
        yield name, _merged_terms(name, readers, docmaps)


def _merged_terms(name, readers, docmaps):
    lexicons = [_tagged(reader, name, i) for i, reader in enumerate(readers)]
    current, sources = None, []
    for term, i in heapq.merge(*lexicons):
        if term != current and sources:
            flat = _postings(name, current, sources, readers, docmaps)
            if flat:
                yield current.decode("utf-8"), flat
            sources = []
        current = term
        sources.append(i)
    if sources:
        flat = _postings(name, current, sources, readers, docmaps)
        if flat:
            yield current.decode("utf-8"), flat


def _tagged(reader, name: str, i: int):
    """The field's terms in one segment, each with the segment's index."""
    if name in reader.indexed_field_names():
        for term in reader.lexicon(name):
            yield term, i


def _postings(name, term: bytes, sources, readers, docmaps) -> list:
    flat: list = []
    for i in sources:  # in segment order, so the new docnums ascend
        docmap = docmaps[i]
        matcher = whoosh_compat.raw_postings(readers[i], name, term)  # docmap drops deleted
        for ids, weights, values in whoosh_compat.posting_blocks_with_values(matcher):
            for docnum, weight, value in zip(ids, weights, values or [b""] * len(ids)):
                new = docmap[docnum]
                if new >= 0:
                    flat += (int(new), float(weight), value)
    return flat


def _write_docvalues(ix, segments, docmaps, new) -> None:
    from indexer.build import load_docvalues

    parts = [load_docvalues(ix, s) for s in segments]
    arrays: dict[str, list] = {}
    labels: dict[str, dict[str, int]] = {}
    entity_names = {f.plural for f in ENTITY_FIELDS}
    for dv, docmap in zip(parts, docmaps):
        live = docmap >= 0
        for name, arr in dv.arrays.items():
            field = name.split(".")[0]
            if field in entity_names:
                continue
            if name in docvalues.LABELLED:
                table = labels.setdefault(name, {})
                remap = np.array([table.setdefault(v, len(table)) for v in dv.labels[name]]
                                 + [-1], dtype=np.int32)
                arr = remap[arr]
            arrays.setdefault(name, []).append(np.asarray(arr)[live])
        for f in entity_names:
            table = labels.setdefault(f, {})
            remap = np.array([table.setdefault(v, len(table)) for v in dv.labels[f]] + [-1],
                             dtype=np.int32)
            indptr, values = dv[f"{f}.indptr"], dv[f"{f}.values"]
            positions, counts = docvalues.row_positions(indptr, np.flatnonzero(live))
            arrays.setdefault(f"{f}.counts", []).append(counts)
            arrays.setdefault(f"{f}.values", []).append(remap[values[positions]])
    out = {name: np.concatenate(chunks) for name, chunks in arrays.items()
           if not name.endswith(".counts")}
    for f in entity_names:
        counts = np.concatenate(arrays[f"{f}.counts"])
        indptr = np.zeros(len(counts) + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        out[f"{f}.indptr"] = indptr
        out[f"{f}.values"] = out[f"{f}.values"].astype(np.int32)
    docvalues.write_file(docvalues.segment_path(ix.storage, new), out,
                         {name: list(table) for name, table in labels.items()})
