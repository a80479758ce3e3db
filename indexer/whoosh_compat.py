"""Every use of whoosh's private API outside the segment format writer, in one place.

pressearchiv links its own segments into an index, deletes by document
number and reads posting blocks as arrays; whoosh 2.7 has no public API for
any of these. The version is checked on import, so another whoosh fails
loudly here instead of quietly somewhere else. (``indexer.segment``, which
writes whoosh's file format itself, leans on the codec's internals too; its
tests compare it with whoosh's own writer.)
"""
from __future__ import annotations

import numpy as np
import whoosh
from whoosh.writing import NO_MERGE

SUPPORTED = (2, 7)
if tuple(whoosh.__version__[:2]) != SUPPORTED:  # pragma: no cover - the pin holds it
    raise ImportError(f"pressearchiv needs whoosh {SUPPORTED[0]}.{SUPPORTED[1]}.x, "
                      f"found {whoosh.versionstring()}")


def segments(ix) -> list:
    """The index's segments, from its table of contents (no reader opened)."""
    return list(ix._segments())


def deleted_docs(segment) -> np.ndarray:
    """Segment-local numbers of its deleted documents."""
    if not segment.has_deletions():
        return np.zeros(0, dtype=np.int64)
    return np.fromiter(segment.deleted_docs(), dtype=np.int64)


def commit_segments(writer, new_segments) -> None:
    """``SegmentWriter.commit`` with finished segments added.

    The writer itself only deletes (updates, prune); new documents come as
    segments from ``SegmentBuilder``s. whoosh's own merging is off: it would
    re-add every posting of the merged segments one by one, and drop the
    doc values files pressearchiv writes beside them (``indexer.merge``
    merges instead).
    """
    final = writer._merge_segments(NO_MERGE, None, None)
    if writer._added:
        final.append(writer._finalize_segment())
    else:
        writer._close_segment()
    writer._commit_toc(final + list(new_segments))
    writer._finish()


def raw_postings(leaf, field: str, btext: bytes):
    """A segment reader's matcher for a term, deleted documents included.

    ``SegmentReader.postings`` wraps it in a ``FilterMatcher`` when the segment
    has deletions (building a set of them on every call), which hides the
    block interface below; callers drop deleted documents themselves.
    """
    return leaf._terms.matcher(field, btext, leaf.schema[field].format)


def posting_blocks(matcher):
    """A term's postings, block by block, as arrays of docnums and weights.

    whoosh's matcher otherwise costs two Python calls per posting, and its
    block reader decodes the docnum deltas one by one; here numpy does it.
    """
    if hasattr(matcher, "_read_data") and hasattr(matcher, "_next_block") \
            and not getattr(matcher, "_byteids", False):
        while matcher.is_active():
            if matcher._data is None:
                matcher._read_data()
            deltas, weights = matcher._data[0], matcher._data[1]
            count = matcher._blocklength
            if weights is None:
                weights = np.ones(count)
            elif isinstance(weights, float):
                weights = np.full(count, weights)
            else:
                weights = np.asarray(weights, dtype=np.float64)
            yield np.cumsum(deltas, dtype=np.int64), weights
            matcher._next_block()
        return
    ids, weights = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    if ids:
        yield np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float64)


def posting_blocks_with_values(matcher, wanted=None):
    """``posting_blocks`` with each posting's stored value (the encoded positions).

    With ``wanted`` (sorted segment-local docnums), blocks holding none of them
    are skipped on their headers alone, without reading their data.
    """
    if hasattr(matcher, "_read_ids") and hasattr(matcher, "_read_values"):
        j, count = 0, len(wanted) if wanted is not None else 0
        while matcher.is_active():
            if wanted is not None:
                if j >= count:
                    return
                if wanted[j] > matcher._maxid:  # nothing wanted up to this block's end
                    matcher._next_block()
                    continue
            matcher._read_ids()
            matcher._read_weights()
            matcher._read_values()
            yield matcher._ids, matcher._weights, matcher._values
            if wanted is not None:
                while j < count and wanted[j] <= matcher._maxid:
                    j += 1
            matcher._next_block()
        return
    ids, weights, values = [], [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        values.append(matcher.value())
        matcher.next()
    if ids:
        yield ids, weights, values


def replace_segments(writer, merged_away: set[str], new_segments) -> None:
    """Commit ``writer`` with the segments whose ids are in ``merged_away``
    replaced by ``new_segments`` (which already hold their live documents)."""
    kept = [s for s in writer.segments if s.segment_id() not in merged_away]
    writer._close_segment()
    writer._commit_toc(kept + list(new_segments))
    writer._finish()
