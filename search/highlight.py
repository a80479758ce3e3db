"""Snippets: the best passages of an article with the matched words marked.

The stored text is analysed again with the index's own analyzer, so a word
is marked exactly when one of its index terms (whole word or compound
part) was searched for: ``Minister`` marks ``Verteidigungsminister``. The
marks go around the words as written, everything else is HTML-escaped.
"""
from __future__ import annotations

import re
from html import escape

from indexer.analysis import analyze

MAX_FRAGMENTS = 3
FRAGMENT_CHARS = 220
# A sentence ends at . ! ? before a capital, unless the dot follows a number
# ("7. März") or a short abbreviation ("Dr.", "z. B.", "St.").
_BOUNDARY = re.compile(r"(?<=[.!?])[\"»“”']?\s+(?=[\"„»(]?[A-ZÄÖÜ])|\n+")
_NO_END = re.compile(r"\b(?:\d+|[A-Za-z]|Dr|Nr|St|Prof|bzw|ca|vgl|Mio|Mrd|Abs|Art|Hr|Fr|Jh)\.$")


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _BOUNDARY.finditer(text):
        if m.group().strip() == "" and _NO_END.search(text[max(0, m.start() - 8):m.start()]):
            continue
        if text[start:m.start()].strip():
            spans.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def _marked_spans(text: str, terms: set[str], lang: str) -> list[tuple[int, int]]:
    spans = sorted({(t.start, t.end) for t in analyze(text, lang=lang) if t.text in terms})
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _html(text: str, spans: list[tuple[int, int]], offset: int = 0) -> str:
    out, pos = [], 0
    for start, end in spans:
        start, end = start - offset, end - offset
        if end <= 0 or start >= len(text):
            continue
        start, end = max(start, 0), min(end, len(text))
        out.append(escape(text[pos:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        pos = end
    out.append(escape(text[pos:]))
    return "".join(out)


def _cut(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> tuple[int, int]:
    """Shrink a long sentence to FRAGMENT_CHARS around its first mark, at word boundaries."""
    if end - start <= FRAGMENT_CHARS:
        return start, end
    inside = [s for s in spans if start <= s[0] < end]
    centre = inside[0][0] if inside else start
    lo = max(start, centre - FRAGMENT_CHARS // 3)
    hi = min(end, lo + FRAGMENT_CHARS)
    if lo > start:
        space = text.find(" ", lo)
        lo = space + 1 if 0 <= space < centre else lo
    if hi < end:
        space = text.rfind(" ", lo, hi)
        hi = space if space > centre else hi
    return lo, hi


def title_html(title: str, terms: set[str], lang: str = "de") -> str:
    return _html(title, _marked_spans(title, terms, lang))


def snippets(body: str, terms: set[str], lang: str = "de") -> list[str]:
    """Up to three fragments (HTML) of the body, best first by the number of
    distinct matched words, shown in text order; the lead when nothing matches."""
    spans = _marked_spans(body, terms, lang) if terms else []
    sentences = _sentences(body)
    scored = []
    for start, end in sentences:
        inside = [s for s in spans if start <= s[0] < end]
        if inside:
            distinct = len({body[a:b].lower() for a, b in inside})
            scored.append((distinct, len(inside), -start, start, end))
    if not scored:
        lead_end = min(len(body), FRAGMENT_CHARS)
        if lead_end < len(body):
            lead_end = body.rfind(" ", 0, lead_end) if " " in body[:lead_end] else lead_end
        return [_html(body[:lead_end], []) + (" …" if lead_end < len(body) else "")] if body else []
    best = sorted(scored, reverse=True)[:MAX_FRAGMENTS]
    fragments = []
    for *_, start, end in sorted(best, key=lambda s: s[3]):
        lo, hi = _cut(body, start, end, spans)
        text = body[lo:hi].strip()
        lead = len(body[lo:hi]) - len(body[lo:hi].lstrip())
        html = _html(text, spans, lo + lead)
        fragments.append(("… " if lo > start else "") + html + (" …" if hi < end else ""))
    return fragments
