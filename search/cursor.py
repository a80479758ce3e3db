"""Deep paging: an opaque cursor that says where the previous page ended.

A page number makes the engine order every hit up to that page; a cursor
carries the last hit's sort key, so the next page is "everything after it".
The order it continues is ``search.ranking``'s, made total by the document
number as the last tie-breaker:

- ``relevance``: score descending, date descending, docnum ascending;
- ``newest`` (and browsing by relevance): date descending, score descending,
  docnum ascending;
- ``oldest``: date ascending with undated articles last, score descending,
  docnum ascending.

Document numbers and scores hold only within one index generation (a rebuild
or an update renumbers and rescores), so a cursor carries the generation and
one from another is refused (``StaleCursor``, a 409 on the API). It carries a
fingerprint of the search too: a cursor is not a bookmark for another query.
The token is URL-safe base64 of a small JSON array; it is opaque to clients
and checked field by field when read, so a damaged one is a clear 400.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass

import numpy as np

VERSION = 1
UNDATED_LAST = np.iinfo(np.int64).max


class StaleCursor(Exception):
    """A cursor from another index generation: its sort keys mean nothing here."""

    parameter = "cursor"

    def __init__(self):
        super().__init__("the cursor belongs to an earlier state of the index (it was rebuilt "
                         "or updated since); start again from the first page")
        self.message = str(self)


@dataclass(frozen=True)
class Cursor:
    generation: str
    fingerprint: str
    score: float
    date: int  # the day as the doc values hold it (-1 undated)
    docnum: int


def fingerprint(request) -> str:
    """What makes two requests the same search: query, filters and order (not the page)."""
    parts = [request.q, request.op, request.syntax, request.sort, request.date_from or "",
             request.date_to or ""]
    for name in ("sections", "persons", "orgs", "places", "langs", "outlets"):
        parts.append(sorted(getattr(request, name, None) or []))
    raw = json.dumps(parts, ensure_ascii=False, separators=(",", ":")).encode()
    return hashlib.blake2b(raw, digest_size=8).hexdigest()


def pack(values: list) -> str:
    """An opaque token of a small JSON-ready list (this module's and the concordance's)."""
    raw = json.dumps([VERSION, *values], ensure_ascii=False, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def unpack(token: str, length: int) -> list:
    """The values ``pack`` put in ``token``; ``InvalidRequest`` naming ``cursor`` if it
    is not such a token with ``length`` values."""
    from search.models import InvalidRequest

    bad = InvalidRequest("cursor", "cursor is not a cursor this API gave out; pass the "
                                   "next_cursor of the previous page unchanged")
    if not isinstance(token, str) or not token.isascii() or len(token) > 2000:
        raise bad
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, ValueError):
        raise bad from None
    if not isinstance(data, list) or len(data) != length + 1 or data[0] != VERSION:
        raise bad
    return data[1:]


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2 ** 62


def encode(cursor: Cursor) -> str:
    return pack([cursor.generation, cursor.fingerprint, cursor.score, cursor.date,
                 cursor.docnum])


def decode(token: str) -> Cursor:
    """The cursor in ``token``; ``InvalidRequest`` naming ``cursor`` if it is not one."""
    from search.models import InvalidRequest

    data = unpack(token, 5)
    generation, print_, score, day, docnum = data
    if not (isinstance(generation, str) and isinstance(print_, str)
            and isinstance(score, (int, float)) and not isinstance(score, bool)
            and np.isfinite(score) and _whole(day) and _whole(docnum) and docnum >= 0):
        raise InvalidRequest("cursor", "cursor is not a cursor this API gave out; pass the "
                                       "next_cursor of the previous page unchanged")
    return Cursor(generation, print_, float(score), int(day), int(docnum))


def _keys(dates: np.ndarray, scores: np.ndarray, sort: str, browse: bool) -> tuple:
    """The primary and secondary sort keys, both ascending (docnum is the third)."""
    if sort == "relevance" and not browse:
        return -scores, -dates
    if sort == "oldest":
        return np.where(dates < 0, UNDATED_LAST, dates), -scores
    return -dates, -scores


def after(snap, docs: np.ndarray, scores: np.ndarray, sort: str, browse: bool,
          cursor: Cursor) -> np.ndarray:
    """Mask over ``docs``: the results that come after the cursor in the order above.
    A group of exact duplicates whose first member came on an earlier page is left out
    whole, as ``ranking.rank`` shows each group once, by its first member."""
    first, second = _keys(snap.dates[docs], scores, sort, browse)
    key = _keys(np.array([cursor.date]), np.array([cursor.score]), sort, browse)
    c1, c2 = key[0][0], key[1][0]
    later = (first > c1) | ((first == c1) & ((second > c2) | ((second == c2)
                                                               & (docs > cursor.docnum))))
    codes = snap.dup_codes[docs]
    shown = np.isin(codes, codes[~later])
    return later & ~shown


def after_hit(snap, request, docnum: int, score: float) -> str:
    """The cursor of the page that ends with this hit."""
    return encode(Cursor(snap.generation, fingerprint(request), float(score),
                         int(snap.dates[docnum]), int(docnum)))


def read(snap, request) -> Cursor:
    """The request's cursor, checked against this snapshot and search."""
    from search.models import InvalidRequest

    cursor = decode(request.cursor)
    if cursor.generation != snap.generation:
        raise StaleCursor()
    if cursor.fingerprint != fingerprint(request):
        raise InvalidRequest("cursor", "the cursor belongs to another search (query, filters "
                                       "or sort differ); start again without it")
    return cursor
