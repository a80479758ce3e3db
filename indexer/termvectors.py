"""Per-segment term vectors: which ``text`` terms each document has, and how readers
write them.

Keyword lists (``search.keywords``) count, for the articles of a result, in how many
of them each term occurs. The inverted index answers "which documents have term t";
this is the other direction, a forward index: per document its distinct terms as
ordinals into the segment's word list (``<segment>.lex``, the same sorted order), a
CSR pair of arrays. Counting a result is then one gather and one ``bincount``.

The file ``<segment>.tvec`` (its name matches whoosh's segment file pattern, so whoosh
deletes it with its segment, like ``.dvals``) holds:

- ``indptr`` (documents + 1) and ``ordinals``: the forward index;
- ``df``: per term, the documents of the segment having it (deleted ones included);
- ``hashes``: per term a 64-bit hash of its text, so that terms of several segments
  are added up in numpy (``np.unique``) instead of by string; ``sorted_hashes`` and
  ``by_hash`` look a hash up (``searchsorted``);
- ``forms`` (a newline-separated blob) and ``form_counts``: per term its most frequent
  written form in the segment's titles and bodies (``Zölle`` for ``zoll``) with how
  often it was written so; empty where the term was never written as a word of its own
  (a compound part). Merges keep the form with the larger count: an approximation of
  the true most frequent form, exact when one form dominates.

The forward index is not collected document by document: it is the transposed
posting lists of ``text``, recorded while they are written (``Recorder``), for new
segments (``indexer.segment``) and merged ones (``indexer.merge``) alike; only the
written forms are counted as documents arrive (``FormCounter``).
"""
from __future__ import annotations

import hashlib
import os
from array import array
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from indexer import docvalues

EXTENSION = ".tvec"
FIELD = "text"


def term_hash(term: str) -> int:
    return int.from_bytes(hashlib.blake2b(term.encode("utf-8", "surrogatepass"),
                                          digest_size=8).digest(), "little")


def path_for(storage, segment) -> str:
    return os.path.join(storage.folder, segment.make_filename(EXTENSION))


class FormCounter:
    """How often each word is written as it is, over a segment's titles and bodies."""

    def __init__(self):
        self.counts: Counter = Counter()

    def add(self, *texts) -> None:
        from indexer.analysis import TOKEN_RE

        for text in texts:
            if text and isinstance(text, str):
                self.counts.update(TOKEN_RE.findall(text))

    def add_words(self, word_lists) -> None:
        """``add`` for texts already tokenised (``analysis.collect_postings``'s
        ``surface``): each list as ``TOKEN_RE.findall`` gives it."""
        update = self.counts.update
        for words in word_lists:
            update(words)

    def best_forms(self) -> dict[str, tuple[str, int]]:
        """index term -> (most frequent written form, its count)."""
        from indexer.analysis import (_HYPHENATED, INVISIBLE_RE, _PIECE_RE, surface_terms,
                                      term_for, word_terms)

        best: dict[str, tuple[str, int]] = {}

        def offer(term: str, form: str, n: int) -> None:
            old = best.get(term)
            if old is None or n > old[1] or (n == old[1] and form < old[0]):
                best[term] = (form, n)

        for surface, n in self.counts.items():
            if "\u00ad" in surface or "\u200b" in surface or "\u2060" in surface:
                surface = INVISIBLE_RE.sub("", surface)
            # surface_terms: the analysis has looked these words up as written already
            entry = surface_terms(surface)
            if entry is None:
                continue
            if entry is _HYPHENATED:
                offer(term_for(surface.lower()), surface, n)
                for piece in _PIECE_RE.findall(surface):
                    entry = word_terms(piece.lower())
                    if entry is not None and entry is not _HYPHENATED:
                        offer(entry[0], piece, n)
                continue
            offer(entry[0], surface, n)
        # A compound part never written alone (``maschin`` of ``Maschinenbau``) is shown
        # as the splitter cut it out, capitalised like its compound: counted 0, so that
        # any real form wins in a merge.
        parts_only: dict[str, tuple[str, int]] = {}
        for surface, n in self.counts.items():
            entry = surface_terms(surface)
            # most words have no compound parts (hyphenated ones none here): no all()
            if not entry or not entry[1] or all(p in best for p in entry[1]):
                continue
            for piece in _split_pieces(surface.lower()):
                term = term_for(piece)
                if term not in best:
                    form = piece[:1].upper() + piece[1:] if surface[:1].isupper() else piece
                    old = parts_only.get(term)
                    if old is None or n > old[1]:
                        parts_only[term] = (form, n)
        best.update({term: (form, 0) for term, (form, _) in parts_only.items()})
        return best


def _split_pieces(word: str) -> list[str]:
    """The parts of a closed compound as ``analysis.compound_terms`` finds them."""
    from indexer.analysis import RECURSE_FROM
    from indexer.decompound import split_compound

    out = []
    for part in split_compound(word):
        out.append(part)
        if len(part) >= RECURSE_FROM:
            out += _split_pieces(part)
    return out


class Recorder:
    """Sees the ``text`` field's posting lists go by on their way to the postings file
    and keeps their document numbers, to write the forward index afterwards."""

    def __init__(self):
        self.terms: list[str] = []
        self.lengths = array("q")
        self.docs = array("i")

    def fields(self, fields):
        """``fields`` as ``write_postings`` takes them, passed through."""
        for name, terms in fields:
            yield name, (self._terms(terms) if name == FIELD else terms)

    def _terms(self, terms):
        for term, flat in terms:
            self.terms.append(term)
            docs = flat[0::3]
            self.lengths.append(len(docs))
            self.docs.extend(docs)
            yield term, flat

    def write(self, path: str, doc_count: int, forms: dict[str, tuple[str, int]]) -> None:
        lengths = np.frombuffer(self.lengths, dtype=np.int64) if len(self.lengths) else \
            np.zeros(0, np.int64)
        docs = np.frombuffer(self.docs, dtype=np.int32) if len(self.docs) else \
            np.zeros(0, np.int32)
        write(path, self.terms, lengths, docs, doc_count, forms)


def write(path: str, terms: list[str], lengths: np.ndarray, docs: np.ndarray, doc_count: int,
          forms: dict[str, tuple[str, int]]) -> None:
    """``terms`` in order, each with ``lengths[i]`` documents, listed one after another in
    ``docs`` (ascending within a term)."""
    ordinals = np.repeat(np.arange(len(terms), dtype=np.int32), lengths)
    order = np.argsort(docs, kind="stable")  # per document, its terms stay in order
    per_doc = np.bincount(docs, minlength=doc_count) if len(docs) else np.zeros(doc_count,
                                                                                np.int64)
    indptr = np.zeros(doc_count + 1, dtype=np.int64)
    np.cumsum(per_doc, out=indptr[1:])
    hashes = np.fromiter((term_hash(t) for t in terms), dtype=np.uint64, count=len(terms))
    by_hash = np.argsort(hashes, kind="stable").astype(np.int32)
    found = [forms.get(t, ("", 0)) for t in terms]
    blob = "\n".join(f for f, _ in found).encode("utf-8", "surrogatepass")
    docvalues.write_file(path, {
        "indptr": indptr,
        "ordinals": ordinals[order],
        "df": np.asarray(lengths, dtype=np.int32),
        "hashes": hashes,
        "sorted_hashes": hashes[by_hash],
        "by_hash": by_hash,
        "form_counts": np.array([n for _, n in found], dtype=np.uint32),
        "forms": np.frombuffer(blob, dtype=np.uint8),
    }, {})


@dataclass
class TermVectors:
    """One segment's term vectors, over a memory map (or arrays, for a fallback)."""

    indptr: np.ndarray
    ordinals: np.ndarray
    df: np.ndarray
    hashes: np.ndarray
    sorted_hashes: np.ndarray
    by_hash: np.ndarray
    form_counts: np.ndarray
    _forms_blob: np.ndarray
    _forms: list[str] | None = field(default=None, repr=False)

    @property
    def doc_count(self) -> int:
        return len(self.indptr) - 1

    @property
    def vocabulary(self) -> int:
        return len(self.df)

    def forms(self) -> list[str]:
        if self._forms is None:
            blob = self._forms_blob.tobytes().decode("utf-8", "surrogatepass")
            self._forms = blob.split("\n") if len(self.df) else []
        return self._forms

    def ordinals_of(self, hashes: np.ndarray) -> np.ndarray:
        """The ordinal of each hash in this segment, -1 where absent."""
        if not len(self.sorted_hashes):
            return np.full(len(hashes), -1, dtype=np.int64)
        at = np.searchsorted(self.sorted_hashes, hashes)
        at = np.minimum(at, len(self.sorted_hashes) - 1)
        hit = self.sorted_hashes[at] == hashes
        return np.where(hit, self.by_hash[at].astype(np.int64), -1)


def read(path: str) -> TermVectors:
    dv = docvalues.read_file(path, key="indptr")
    return TermVectors(dv["indptr"], dv["ordinals"], dv["df"], dv["hashes"],
                       dv["sorted_hashes"], dv["by_hash"], dv["form_counts"], dv["forms"])


def from_reader(reader) -> TermVectors:
    """Term vectors of a segment without a ``.tvec`` file (an older pressearchiv, or a
    whoosh merge), from its posting lists (deleted documents included, as in the file):
    slower, done once per opened generation; the written forms are unknown there (the
    term stands in)."""
    from indexer.whoosh_compat import raw_postings

    terms: list[str] = []
    lengths: list[int] = []
    chunks: list[np.ndarray] = []
    if FIELD in reader.indexed_field_names():
        for raw in reader.lexicon(FIELD):
            term = raw.decode("utf-8")
            ids = np.fromiter(raw_postings(reader, FIELD, raw).all_ids(), dtype=np.int32)
            terms.append(term)
            lengths.append(len(ids))
            chunks.append(ids)
    docs = np.concatenate(chunks) if chunks else np.zeros(0, np.int32)
    n = reader.doc_count_all()
    ordinals = np.repeat(np.arange(len(terms), dtype=np.int32), lengths)
    order = np.argsort(docs, kind="stable")
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(docs, minlength=n) if len(docs) else np.zeros(n, np.int64),
              out=indptr[1:])
    hashes = np.fromiter((term_hash(t) for t in terms), dtype=np.uint64, count=len(terms))
    by_hash = np.argsort(hashes, kind="stable").astype(np.int32)
    blob = "\n".join(terms).encode("utf-8", "surrogatepass")
    return TermVectors(indptr, ordinals[order], np.array(lengths, dtype=np.int32), hashes,
                       hashes[by_hash], by_hash, np.ones(len(terms), dtype=np.uint32),
                       np.frombuffer(blob, dtype=np.uint8))


def load(storage, segment, reader) -> TermVectors:
    path = path_for(storage, segment)
    if os.path.exists(path):
        return read(path)
    return from_reader(reader)


def merged_forms(storage, segments, readers) -> dict[str, tuple[str, int]]:
    """The written forms for a merge of ``segments``: per term the form with the largest
    count (counts of one form in several segments added up)."""
    best: dict[str, tuple[str, int]] = {}
    for segment, reader in zip(segments, readers):
        if not os.path.exists(path_for(storage, segment)):
            continue  # no forms known there
        tv = read(path_for(storage, segment))
        lex = docvalues.lexicon_path(storage, segment)
        if os.path.exists(lex):
            terms = docvalues.read_lexicon(lex)[0]
        else:
            terms = [t.decode("utf-8") for t in reader.lexicon(FIELD)]
        for term, form, n in zip(terms, tv.forms(), tv.form_counts.tolist()):
            if form:
                old = best.get(term)
                if old is None or n > old[1]:
                    best[term] = (form, n)
                elif old[0] == form:
                    best[term] = (form, old[1] + n)
    return best
