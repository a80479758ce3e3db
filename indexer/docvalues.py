"""Per-document values of a segment as flat arrays in one file (Lucene's doc values).

Search needs, for every document, its date, section, language, length,
duplicate group and entities; updates need its key, content hash and
source file. Reading those from whoosh's columns and stored fields costs a
Python call per document: 47 s to open 1,000,000 articles. So every segment
gets a ``<segment id>.dvals`` file beside its whoosh files, written once
when the segment is written and memory-mapped when it is read: opening
costs a few array concatenations, and every server process shares the
pages through the page cache.

Layout: ``MAGIC``, an 8-byte little-endian header length, a JSON header
(per-segment label lists and where each array starts), then the arrays,
each aligned to 8 bytes. The file name matches whoosh's segment file
pattern, so whoosh deletes it with its segment when a merge or a commit
drops the segment.

Strings become numbers here: keys and hashes as 64-bit hashes, sections,
languages, sources and entities as codes into the segment's label lists. Two
of ten million keys share a hash with odds of about 3 in a million; looking
an article up by its id checks the stored id, an update does not (it would
replace the other article).
"""
from __future__ import annotations

import hashlib
import json
import mmap
import os
from dataclasses import dataclass
from datetime import date

import numpy as np

from indexer.analysis import count_words
from indexer.entity_fields import ENTITY_FIELDS
from indexer.outlets import outlet_of

MAGIC = b"PADV1\n"
EXTENSION = ".dvals"
LABELLED = ("section", "lang", "origin", "outlet")  # single-valued strings, one code each
# Columns added after the first files were written: a file without them is completed
# from the segment's stored fields (``complete``).
LATER = ("outlet", "words")


def key_hash(key: str) -> int:
    """A document key's 64-bit hash, as the doc values hold it."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8", "surrogatepass"),
                                          digest_size=8).digest(), "little")


def hex_hash(value: str) -> int:
    """The first 64 bits of a hex digest (content and text hashes)."""
    return int(value[:16], 16) if value else 0


def date_ordinal(value: str | None) -> int:
    try:
        return date.fromisoformat(value).toordinal() if value else -1
    except ValueError:
        return -1


class DocValuesWriter:
    """Collects one segment's values document by document; ``write`` stores them."""

    def __init__(self):
        self.keys: list[int] = []
        self.hashes: list[int] = []
        self.text_hashes: list[int] = []
        self.dates: list[int] = []
        self.lengths: list[float] = []
        self.words: list[int] = []
        self.codes = {name: [] for name in LABELLED}
        self.labels: dict[str, dict[str, int]] = {name: {} for name in LABELLED}
        for field in ENTITY_FIELDS:
            self.labels[field.plural] = {}
        self.entity_values = {f.plural: [] for f in ENTITY_FIELDS}
        self.entity_counts = {f.plural: [] for f in ENTITY_FIELDS}

    def add(self, fields: dict, text_length: float) -> None:
        self.keys.append(key_hash(fields["id"]))
        self.hashes.append(hex_hash(fields.get("hash") or ""))
        self.text_hashes.append(hex_hash(fields.get("text_hash") or ""))
        self.dates.append(date_ordinal(fields.get("date")))
        self.lengths.append(text_length)
        words = fields.get("_words")
        if words is None:  # not analysed here (a segment read back): count them
            words = count_words(fields.get("title") or "", fields.get("lang") or "de") \
                + count_words(fields.get("body") or "", fields.get("lang") or "de")
        self.words.append(words)
        for name in LABELLED:
            if name == "outlet":
                value = outlet_of(_text(fields.get("source")), _text(fields.get("url"))) or ""
            else:
                value = fields.get(name) or ""
            table = self.labels[name]
            self.codes[name].append(table.setdefault(value, len(table)) if value else -1)
        for field in ENTITY_FIELDS:
            table = self.labels[field.plural]
            values = [v for v in (fields.get(field.plural) or "").split(",") if v]
            values = list(dict.fromkeys(values))
            self.entity_values[field.plural] += [table.setdefault(v, len(table)) for v in values]
            self.entity_counts[field.plural].append(len(values))

    def arrays(self) -> dict[str, np.ndarray]:
        out = {
            "key": np.array(self.keys, dtype=np.uint64),
            "hash": np.array(self.hashes, dtype=np.uint64),
            "text_hash": np.array(self.text_hashes, dtype=np.uint64),
            "date": np.array(self.dates, dtype=np.int32),
            "length": np.array(self.lengths, dtype=np.float32),
            "words": np.array(self.words, dtype=np.int32),
        }
        for name in LABELLED:
            out[name] = np.array(self.codes[name], dtype=np.int32)
        for field in ENTITY_FIELDS:
            counts = np.array(self.entity_counts[field.plural], dtype=np.int64)
            indptr = np.zeros(len(counts) + 1, dtype=np.int64)
            np.cumsum(counts, out=indptr[1:])
            out[f"{field.plural}.indptr"] = indptr
            out[f"{field.plural}.values"] = np.array(self.entity_values[field.plural],
                                                     dtype=np.int32)
        return out

    def write(self, path: str) -> None:
        write_file(path, self.arrays(), {k: list(v) for k, v in self.labels.items()})


def _text(value) -> str | None:
    return value if isinstance(value, str) else None


def row_positions(indptr: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where the values of CSR ``rows`` lie (all of them, in row order), and each row's
    number of values; numpy, without a Python loop over the rows."""
    starts = indptr[rows]
    counts = (indptr[rows + 1] - starts).astype(np.int64)
    offsets = np.repeat(starts - np.cumsum(counts) + counts, counts)
    return offsets + np.arange(int(counts.sum())), counts


def write_file(path: str, arrays: dict[str, np.ndarray], labels: dict[str, list[str]]) -> None:
    directory, offset = {}, 0
    for name, arr in arrays.items():
        directory[name] = [arr.dtype.str, len(arr), offset]
        offset += _aligned(arr.nbytes)
    header = json.dumps({"labels": labels, "arrays": directory},
                        ensure_ascii=False).encode("utf-8", "surrogatepass")
    start = _aligned(len(MAGIC) + 8 + len(header))
    tmp = path + ".tmp"
    with open(tmp, "wb") as fh:
        fh.write(MAGIC + len(header).to_bytes(8, "little") + header)
        fh.write(b"\0" * (start - fh.tell()))
        for arr in arrays.values():
            data = np.ascontiguousarray(arr).tobytes()
            fh.write(data + b"\0" * (_aligned(len(data)) - len(data)))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _aligned(n: int) -> int:
    return (n + 7) // 8 * 8


@dataclass
class DocValues:
    """One segment's values: read-only arrays over a memory map, and the label lists."""

    arrays: dict[str, np.ndarray]
    labels: dict[str, list[str]]
    doc_count: int

    def __getitem__(self, name: str) -> np.ndarray:
        return self.arrays[name]


def read_file(path: str, key: str = "key") -> DocValues:
    with open(path, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        mm = mmap.mmap(fh.fileno(), size, access=mmap.ACCESS_READ) if size else b""
    if mm[:len(MAGIC)] != MAGIC:
        raise ValueError(f"{path} is not a doc values file")
    length = int.from_bytes(mm[len(MAGIC):len(MAGIC) + 8], "little")
    header_end = len(MAGIC) + 8 + length
    header = json.loads(bytes(mm[len(MAGIC) + 8:header_end]).decode("utf-8", "surrogatepass"))
    start = _aligned(header_end)
    arrays = {name: np.frombuffer(mm, dtype=np.dtype(dtype), count=count, offset=start + offset)
              for name, (dtype, count, offset) in header["arrays"].items()}
    return DocValues(arrays, header["labels"], len(arrays[key]))


def segment_path(storage, segment) -> str:
    return os.path.join(storage.folder, segment.make_filename(EXTENSION))


# The searched field's word list, per segment, beside the doc values: sorted terms
# and the number of documents of each. whoosh's own lexicon answers near-spelling
# questions by hundreds of thousands of small reads; this one is read once.
LEXICON_EXTENSION = ".lex"


def lexicon_path(storage, segment) -> str:
    return os.path.join(storage.folder, segment.make_filename(LEXICON_EXTENSION))


def write_lexicon(path: str, terms: list[str], counts: list[int]) -> None:
    blob = "\n".join(terms).encode("utf-8", "surrogatepass")
    write_file(path, {"counts": np.array(counts, dtype=np.uint32),
                      "blob": np.frombuffer(blob, dtype=np.uint8)}, {})


def read_lexicon(path: str) -> tuple[list[str], np.ndarray]:
    """Sorted terms and their document counts."""
    dv = read_file(path, key="counts")
    blob = dv["blob"].tobytes().decode("utf-8", "surrogatepass")
    return (blob.split("\n") if blob else []), dv["counts"]


def from_reader(reader) -> DocValuesWriter:
    """Doc values of a segment that has none (written by whoosh itself, or by an
    older pressearchiv), read from its columns and stored fields: one pass over
    the segment, done once by the indexer."""
    writer = DocValuesWriter()
    n = reader.doc_count_all()
    columns = {name: reader.column_reader(name) if reader.has_column(name) else None
               for name in ("id", "hash", "text_hash", "origin", "date", "section", "lang")}
    for docnum in range(n):
        stored = reader.stored_fields(docnum)
        fields = {name: (col[docnum] if col is not None else stored.get(name))
                  for name, col in columns.items()}
        for field in ENTITY_FIELDS:
            fields[field.plural] = stored.get(field.plural)
        for name in ("source", "url", "title", "body"):
            fields[name] = stored.get(name)
        writer.add(fields, reader.doc_field_length(docnum, "text", 0))  # already quantised
    return writer


def complete(dv: DocValues, reader) -> DocValues:
    """``dv`` with the columns of ``LATER`` it lacks (a file written before they
    existed) computed from the segment's stored fields: the outlet from ``source`` and
    ``url``, the words by counting title and body (``analysis.count_words``)."""
    missing = [name for name in LATER if name not in dv.arrays]
    if not missing:
        return dv
    outlets: dict[str, int] = {}
    codes = np.full(dv.doc_count, -1, dtype=np.int32)
    words = np.zeros(dv.doc_count, dtype=np.int32)
    for docnum in range(dv.doc_count):
        stored = reader.stored_fields(docnum)
        outlet = outlet_of(_text(stored.get("source")), _text(stored.get("url")))
        if outlet:
            codes[docnum] = outlets.setdefault(outlet, len(outlets))
        if "words" in missing:
            lang = stored.get("lang") or "de"
            words[docnum] = count_words(stored.get("title") or "", lang) \
                + count_words(stored.get("body") or "", lang)
    arrays, labels = dict(dv.arrays), dict(dv.labels)
    if "outlet" in missing:
        arrays["outlet"], labels["outlet"] = codes, list(outlets)
    if "words" in missing:
        arrays["words"] = words
    return DocValues(arrays, labels, dv.doc_count)
