"""The whoosh schema of a pressearchiv index.

``text`` is the field researchers search: title and body analysed into
one field, title terms weighted ``TITLE_BOOST`` times, compound parts
``PART_BOOST`` times. Scoring title and body as one document (BM25F in
its original sense: weight the term frequencies, then saturate once)
rather than summing separate per-field BM25 scores is what keeps a long
body from being out-scored by a title that merely repeats a query word.
``title`` is indexed again on its own for ``titel:`` queries.

Analysis runs in worker processes; they hand ``indexer.segment.SegmentBuilder``
finished posting lists (``Precomputed``). ``PrecomputedPositions`` lets
whoosh's own writer take them too (the tests compare the two), and it is
the format class the schemas of existing indexes name.
"""
from __future__ import annotations

import pickle
import struct

from whoosh import columns, fields, formats
from whoosh.codec.whoosh3 import W3Codec

from indexer.analysis import GermanAnalyzer

SCHEMA_VERSION = 2
TITLE_BOOST = 2.0


class BuildCodec(W3Codec):
    """whoosh's codec without the per-block length statistics and compression.

    Both exist for whoosh's own block-max scoring, which pressearchiv does not
    use (search.engine scores on arrays); computing them was half of a commit.
    """

    length_stats = False

    def __init__(self):
        super().__init__(blocklimit=128, compression=0)


CODEC = BuildCodec()


class Precomputed(tuple):
    """Posting tuples ``(term, freq, weight, encoded)`` made by ``precomputed``."""


class PrecomputedPositions(formats.Positions):
    def word_values(self, value, analyzer, **kwargs):
        if isinstance(value, Precomputed):
            return iter(value)
        return super().word_values(value, analyzer, **kwargs)


def precomputed(postings: dict[str, list]) -> Precomputed:
    """Posting tuples from ``analysis.collect_postings``'s term -> [boost, pos, ...]."""
    encode = encode_positions
    return Precomputed((term, len(found) - 1, found[0], encode(found, 1))
                       for term, found in postings.items())


_pack_uint = struct.Struct("!I").pack
_SINGLE: dict[int, bytes] = {}


def encode_positions(positions: list[int], start: int = 0) -> bytes:
    """``formats.Positions.encode`` of ``positions[start:]``, the single-position case cached.

    Most terms occur once in an article, so most postings are one of a few
    thousand byte strings.
    """
    if len(positions) - start == 1:
        pos = positions[start]
        encoded = _SINGLE.get(pos)
        if encoded is None:
            encoded = _SINGLE[pos] = _pack_uint(1) + pickle.dumps([pos], 2)
        return encoded
    deltas = [positions[start]]
    deltas += [b - a for a, b in zip(positions[start:], positions[start + 1:])]
    return _pack_uint(len(deltas)) + pickle.dumps(deltas, 2)


def _text_field(**kwargs) -> fields.TEXT:
    field = fields.TEXT(analyzer=GermanAnalyzer(), **kwargs)
    field.format = PrecomputedPositions(field_boost=field.format.field_boost)
    return field


class TextColumn(fields.COLUMN):
    """A per-document string kept only as a column: not searchable, not stored."""

    def __init__(self):
        super().__init__(columns.VarBytesColumn())

    def to_column_value(self, value):
        return value.encode("utf-8")

    def from_column_value(self, value):
        return value.decode("utf-8")


def _column() -> TextColumn:
    return TextColumn()


def make_schema() -> fields.Schema:
    return fields.Schema(
        id=fields.ID(stored=True, unique=True, sortable=True),
        title=_text_field(stored=True),
        body=fields.STORED(),
        text=_text_field(),
        date=fields.ID(stored=True, sortable=True),  # YYYY-MM-DD, sorts and ranges as text
        section=fields.ID(stored=True, sortable=True),
        url=fields.STORED(),
        source=fields.STORED(),
        lang=fields.ID(stored=True, sortable=True),
        # Columns only: read per document, never searched, so no postings to write.
        origin=_column(),  # the file it came from, for --prune
        line=fields.STORED(),
        hash=_column(),  # of the source record: skip unchanged articles
        text_hash=_column(),  # of title+body: group exact duplicates
        persons=fields.KEYWORD(stored=True, commas=True, scorable=True),
        orgs=fields.KEYWORD(stored=True, commas=True, scorable=True),
        places=fields.KEYWORD(stored=True, commas=True, scorable=True),
    )
