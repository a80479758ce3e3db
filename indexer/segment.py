"""Writing a whoosh segment without whoosh's posting pool.

whoosh's ``SegmentWriter`` turns every posting into a tuple, sorts all of
them at commit and feeds them one by one through ``W3PostingsWriter``:
about 0.75 ms per article, more than the German analysis. ``SegmentBuilder``
groups postings by term as documents arrive and writes each term's
posting list in one go, in the same on-disk format (``W3Codec`` with the
settings of ``indexer.fields.CODEC``), so a whoosh reader cannot tell the
difference. ``tests/test_segment.py`` reads every term and posting back and
compares them with whoosh's own writer's, and checks the terms file byte for
byte.

Per-document data (stored fields, field lengths, columns) still goes
through whoosh's ``W3PerDocWriter``; it is not where the time went.
This leans on whoosh 2.7's codec internals, hence the pin to 2.7.
"""
from __future__ import annotations

import operator
import pickle
from array import array
from hashlib import md5

from whoosh.analysis import IDTokenizer, KeywordAnalyzer
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3TermInfo
from whoosh.filedb.filetables import OrderedHashWriter, _lengths as _LENGTHS, _pointer as _POINTER
from whoosh.formats import Existence, Frequency
from whoosh.system import pack_int, pack_long, pack_uint, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte

from indexer import docvalues, termvectors
from indexer.fields import CODEC, Precomputed

# What whoosh records for block lengths when the codec keeps no length stats.
_MINLENGTH_BYTE, _MAXLENGTH_BYTE = length_to_byte(None), length_to_byte(0)
_TERMINFO = W3TermInfo._struct
VALUES_CACHE = 100_000
_EMPTY_SLOT = _POINTER.pack(0, 0)
# whoosh pickles block data with protocol 2, where every bytes object (the
# encoded positions) goes through a codecs call: 1.4 us a posting list instead
# of 0.2. Its reader unpickles any protocol.
_DATA_PROTOCOL = 3


class SegmentBuilder:
    """Adds documents to one new segment of ``ix``; ``finish`` writes it.

    Takes the same keyword arguments as ``SegmentWriter.add_document``
    (``_stored_<field>`` included, per-field boosts not). The segment is
    not part of the index until a writer commits it (``indexer.build``).
    """

    def __init__(self, ix, codec: W3Codec = CODEC, compound: bool = True):
        if codec.length_stats or codec._compression:
            raise ValueError("SegmentBuilder writes blocks without length stats or compression")
        self._storage = ix.storage
        self._schema = ix.schema
        self._blocklimit = codec._blocklimit
        self._compound = compound
        self.segment = codec.new_segment(ix.storage, ix.indexname)
        self._perdoc = codec.per_document_writer(ix.storage, self.segment)
        # field -> term -> flat [docnum, weight, value, docnum, weight, value, ...]:
        # one list per term instead of three keeps a 100,000-article build smaller.
        self._postings: dict[str, dict[str, list]] = {}
        self._values_cache: dict[tuple[str, str], list] = {}
        self.docvalues = docvalues.DocValuesWriter()
        self.forms = termvectors.FormCounter()  # written forms, for keyword lists
        self.doc_count = 0

    def _word_values(self, name: str, field, value) -> list:
        """``field.format.word_values`` of a plain (not precomputed) value.

        An ``ID`` field indexes its value as it is, a comma-separated
        ``KEYWORD`` field (the entities) its items; other values' postings are
        cached, as they recur.
        """
        if not isinstance(value, str):  # a list of values: no analysis, nothing to cache
            return list(field.format.word_values(value, field.analyzer, mode="index"))
        if isinstance(field.analyzer, IDTokenizer) and isinstance(field.format, Existence):
            return [(value, 1, field.format.field_boost, b"")]
        if type(field.format) is Frequency and field.analyzer == _COMMA_KEYWORDS:
            return _comma_keywords(value, field.format.field_boost)
        key = (name, value)
        items = self._values_cache.get(key)
        if items is None:
            items = list(field.format.word_values(value, field.analyzer, mode="index"))
            if len(self._values_cache) < VALUES_CACHE:
                self._values_cache[key] = items
        return items

    def add_document(self, **fields) -> None:
        docnum = self.doc_count
        schema = self._schema
        perdoc = self._perdoc
        perdoc.start_doc(docnum)
        text_length = 0
        for name in sorted(k for k in fields if not k.startswith("_")):
            value = fields[name]
            if value is None:
                continue
            field = schema[name]
            length = 0
            if field.indexed:
                if isinstance(value, Precomputed):
                    items = value
                else:
                    items = self._word_values(name, field, value)
                terms = self._postings.get(name)
                if terms is None:
                    terms = self._postings[name] = {}
                for term, freq, weight, encoded in items:
                    entry = terms.get(term)
                    if entry is None:
                        terms[term] = [docnum, weight, encoded]
                    else:
                        entry += (docnum, weight, encoded)
                    length += freq
                if not field.scorable:
                    length = 0
                if name == "text":
                    text_length = length
            stored = fields.get(f"_stored_{name}", value)
            perdoc.add_field(name, field, stored if field.stored else None, length)
            column = field.column_type
            if column and stored is not None:
                perdoc.add_column_value(name, column, field.to_column_value(stored))
        perdoc.finish_doc()
        surface = fields.get("_surface")  # title's and body's words, from to_document
        if surface is None:
            self.forms.add(fields.get("_stored_title", fields.get("title")), fields.get("body"))
        else:
            self.forms.add_words(surface)
        # as whoosh's length column holds it: one byte, so BM25 sees the same length
        self.docvalues.add(fields, byte_to_length(length_to_byte(text_length)) if text_length
                           else 0)
        self.doc_count += 1

    def finish(self):
        """Write the postings, close the segment's files and return the segment."""
        self._perdoc.close()
        segment, storage = self.segment, self._storage

        def fields():
            for name in sorted(self._postings):
                terms = self._postings[name]
                yield name, ((term, terms[term]) for term in sorted(terms))
                terms.clear()  # free the memory of each field as soon as it is written

        recorder = termvectors.Recorder()
        lexicon = write_postings(segment, storage, self._schema, recorder.fields(fields()),
                                 self._blocklimit)
        self._postings.clear()
        segment.set_doc_count(self.doc_count)
        if self._compound:
            segment.create_compound_file(storage)
        # after the compound file, which would otherwise swallow them
        self.docvalues.write(docvalues.segment_path(storage, segment))
        docvalues.write_lexicon(docvalues.lexicon_path(storage, segment), *lexicon)
        recorder.write(termvectors.path_for(storage, segment), self.doc_count,
                       self.forms.best_forms())
        self.docvalues = docvalues.DocValuesWriter()
        self.forms = termvectors.FormCounter()
        return segment


def write_postings(segment, storage, schema, fields, blocklimit: int):
    """The postings and terms files of a segment; returns the terms of
    ``LEXICON_FIELD`` with their document counts, for ``write_side_files``.

    ``fields`` yields ``(field name, terms)`` in name order, ``terms`` yields
    ``(term, flat)`` in term order, ``flat`` being ``[docnum, weight, value, ...]``
    in docnum order. Used by ``SegmentBuilder`` and by ``indexer.merge``.
    """
    postfile = segment.create_file(storage, W3Codec.POSTS_EXT)
    terms_index = TermsWriter(segment.create_file(storage, W3Codec.TERMS_EXT))
    fieldmap = terms_index.extras["fieldmap"] = {}
    offset = 0
    words: list[str] = []  # the searched field's terms and their document counts, for
    counts: list[int] = []  # near-spelling lookups (search.spelling)
    for fieldid, (name, terms) in enumerate(fields):
        fieldmap[name] = fieldid
        prefix = pack_ushort(fieldid)
        fixed = schema[name].format.fixed_value_size()
        keys, infos, chunk = [], [], []
        for term, flat in terms:
            if len(flat) == 3:
                data, info = _single_posting(*flat, fixed)
            else:
                data, info = _posting_list(flat, fixed, blocklimit)
            keys.append(prefix + term.encode("utf-8"))
            infos.append(info + pack_long(offset) + pack_int(len(data)))
            offset += len(data)
            chunk.append(data)
            if name == LEXICON_FIELD:
                words.append(term)
                counts.append(len(flat) // 3)
        postfile.write(b"".join(chunk))
        terms_index.add_all(keys, infos)
    terms_index.close()
    postfile.close()
    return words, counts


LEXICON_FIELD = "text"
_COMMA_KEYWORDS = KeywordAnalyzer(commas=True)


def _comma_keywords(value: str, field_boost: float) -> list:
    """``Frequency.word_values`` of ``value`` under ``KeywordAnalyzer(commas=True)``."""
    counts: dict[str, int] = {}
    for run in value.split(","):
        if run:  # the analyzer's tokens are runs of non-commas, then stripped
            word = run.strip()
            counts[word] = counts.get(word, 0) + 1
    return [(word, n, n * field_boost, pack_uint(n)) for word, n in counts.items()]


class TermsWriter(OrderedHashWriter):
    """whoosh's terms file writer, the same bytes, writing in bulk rather than per term."""

    def add_all(self, keys: list[bytes], values: list[bytes]) -> None:
        """``add`` for each pair, in one write."""
        if keys and (keys[0] <= self.lastkey or any(a >= b for a, b in zip(keys, keys[1:]))):
            raise ValueError("terms must be added in increasing order")
        pos = self.dbfile.tell()
        positions = []
        buckets = self.buckets
        parts = []
        for key, value in zip(keys, values):
            parts += (_LENGTHS.pack(len(key), len(value)), key, value)
            h = int.from_bytes(md5(key).digest()[12:], "big")  # filetables.md5_hash
            buckets[h & 255].append((h, pos))
            positions.append(pos)
            pos += _LENGTHS.size + len(key) + len(value)
        self.dbfile.write(b"".join(parts))
        if positions:  # they only grow: the last is the largest
            self.lastkey = keys[-1]
            index = self.index  # a GrowableArray, which widens its type as positions grow
            index.array = array(_position_type(positions[-1]), [*index.array, *positions])

    def _write_hashes(self) -> None:
        """``HashWriter._write_hashes``, one write per hash table instead of one per slot."""
        dbfile = self.dbfile
        pack = _POINTER.pack
        for entries in self.buckets:
            numslots = 2 * len(entries)
            self.directory.append((dbfile.tell(), numslots))
            table: list = [None] * numslots
            for hashval, position in entries:
                slot = (hashval >> 8) % numslots
                while table[slot] is not None:
                    slot = (slot + 1) % numslots
                table[slot] = (hashval, position)
            dbfile.write(b"".join(pack(*entry) if entry else _EMPTY_SLOT for entry in table))


def _position_type(largest: int) -> str:
    for code, limit in (("H", 2 ** 16), ("i", 2 ** 31), ("I", 2 ** 32)):
        if largest < limit:
            return code
    return "q"


def _single_posting(docnum: int, weight: float, value: bytes,
                    fixed: int | None) -> tuple[bytes, bytes]:
    """``_posting_list`` of one posting, the case of most terms, without its loops."""
    stored = array("f", (weight,))[0]  # as the weights array holds it
    top = weight if weight > 0 else 0
    data = pickle.dumps(((docnum,), None if stored == 1.0 else stored,
                         _mini_values([value], fixed)), _DATA_PROTOCOL)
    info = pickle.dumps((1, docnum, top, 0, _MINLENGTH_BYTE, _MAXLENGTH_BYTE), 2)
    block = WHOOSH3_HEADER_MAGIC + pack_int(-len(info) - len(data)) + info + data
    return block, _TERMINFO.pack(False, stored, 1, _MINLENGTH_BYTE, _MAXLENGTH_BYTE, top,
                                 docnum, docnum)


def _posting_list(flat: list, fixed: int | None, blocklimit: int) -> tuple[bytes, bytes]:
    """One term's posting list as whoosh 3 writes it, and its term info without the extent."""
    docs, weights, values = flat[0::3], flat[1::3], flat[2::3]
    parts = [WHOOSH3_HEADER_MAGIC]
    total_weight = 0.0
    max_weight = 0
    count = len(docs)
    for start in range(0, count, blocklimit):
        end = start + blocklimit
        ids = docs[start:end]
        block_weights = array("f", weights[start:end])
        total_weight += sum(block_weights)
        top = max(weights[start:end])
        block_max = top if top > 0 else 0
        max_weight = max(max_weight, block_max)
        if len(ids) == 1:
            deltas = (ids[0],)
        else:
            deltas = (ids[0], *map(operator.sub, ids[1:], ids))
        data = pickle.dumps((deltas, _mini_weights(block_weights),
                             _mini_values(values[start:end], fixed)), _DATA_PROTOCOL)
        info = pickle.dumps((len(ids), ids[-1], block_max, 0,
                             _MINLENGTH_BYTE, _MAXLENGTH_BYTE), 2)
        size = len(info) + len(data)
        parts += (pack_int(-size if end >= count else size), info, data)
    terminfo = _TERMINFO.pack(False, total_weight, count, _MINLENGTH_BYTE, _MAXLENGTH_BYTE,
                              max_weight, docs[0], docs[-1])
    return b"".join(parts), terminfo


def _mini_weights(weights: array):
    first = weights[0]
    if weights.count(first) == len(weights):
        return None if first == 1.0 else first
    return tuple(weights)


def _mini_values(values: list[bytes], fixed: int | None):
    if fixed == 0:
        return None
    if not all(values):
        values = [v for v in values if v]  # whoosh keeps only non-empty values
    if fixed is None or fixed < 0:
        return tuple(values)
    return b"".join(values)
