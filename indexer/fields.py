"""The whoosh schema of a pressearchiv index.

``text`` is the field researchers search: title and body analysed into
one field, title terms weighted ``TITLE_BOOST`` times, compound parts
``PART_BOOST`` times. Scoring title and body as one document (BM25F in
its original sense: weight the term frequencies, then saturate once)
rather than summing separate per-field BM25 scores is what keeps a long
body from being out-scored by a title that merely repeats a query word.
``title`` is indexed again on its own for ``titel:`` queries.

Analysis runs in worker processes; they hand the writer finished posting
lists (``Precomputed``), which the formats below pass through untouched.
"""
from __future__ import annotations

from collections import defaultdict

from whoosh import columns, fields, formats
from whoosh.codec.whoosh3 import W3Codec

from indexer.analysis import GermanAnalyzer, Term

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
    """Posting tuples ``(term, freq, weight, encoded)`` made by ``precompute``."""


class PrecomputedPositions(formats.Positions):
    def word_values(self, value, analyzer, **kwargs):
        if isinstance(value, Precomputed):
            return iter(value)
        return super().word_values(value, analyzer, **kwargs)


def precompute(terms: list[Term], fmt: formats.Positions,
               boosted: tuple[list[Term], float] | None = None) -> Precomputed:
    """Group analysed terms into postings the way ``Positions.word_values`` does.

    ``boosted`` adds terms whose weights are multiplied (the title in ``text``).
    """
    poses: dict[str, list[int]] = defaultdict(list)
    weights: dict[str, float] = defaultdict(float)
    groups = [(terms, 1.0)] + ([boosted] if boosted else [])
    for group, factor in groups:
        for text, pos, _, _, boost in group:
            poses[text].append(pos)
            weights[text] += boost * factor
    return Precomputed(
        (text, len(plist), weights[text], fmt.encode(plist)) for text, plist in poses.items()
    )


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
