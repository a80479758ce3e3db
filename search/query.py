"""The query language, parsed into an engine-neutral tree.

    Sanktion* UND (Russland ODER Iran) -Gas "Rutte Macron"~10
    titel:Haushalt ressort:Inland person:Selensky datum:[2024-01 TO 2024-06]

Operators in German and English (AND/UND, OR/ODER, NOT/NICHT, ``-wort``),
parentheses, phrases with proximity, prefix (``*``) and fuzzy (``~``) words,
fields with German and English names. Parsing never fails: what cannot be
read is searched as well as it can be, and a warning says what was ignored.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.dates import DateError, parse_date_bound


@dataclass(frozen=True)
class Word:
    text: str
    field: str = "text"  # "text" or "title"
    prefix: bool = False
    fuzzy: int = 0  # edit distance, 0 = exact


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]
    field: str = "text"
    slop: int = 0


@dataclass(frozen=True)
class Exact:
    """A whole stored value: section, lang, or an entity's canonical name."""

    field: str  # section, lang, persons, orgs, places
    value: str


@dataclass(frozen=True)
class DateRange:
    start: str | None  # YYYY-MM-DD, inclusive
    end: str | None


@dataclass(frozen=True)
class And:
    children: tuple


@dataclass(frozen=True)
class Or:
    children: tuple


@dataclass(frozen=True)
class Not:
    child: object


@dataclass
class ParsedQuery:
    tree: object | None  # None: match everything (browse)
    warnings: list[str] = field(default_factory=list)


FIELDS = {
    "titel": "title", "title": "title",
    "ressort": "section", "section": "section", "rubrik": "section",
    "person": "persons", "personen": "persons", "persons": "persons",
    "org": "orgs", "organisation": "orgs", "orgs": "orgs",
    "ort": "places", "place": "places", "orte": "places", "places": "places",
    "datum": "date", "date": "date",
    "sprache": "lang", "lang": "lang",
}
AND_WORDS, OR_WORDS, NOT_WORDS = {"AND", "UND", "&&"}, {"OR", "ODER", "||"}, {"NOT", "NICHT"}

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<phrase>"[^"]*"(?:~\d+)?)
  | (?P<openquote>"[^"]*$)
  | (?P<range>\[[^\]]*\]?)
  | (?P<field>[^\W\d_]+:)
  | (?P<word>[^\s()"]+)
""", re.VERBOSE)


@dataclass
class _Tok:
    kind: str
    text: str
    negated: bool = False


def _lex(text: str, warnings: list[str]) -> list[_Tok]:
    tokens = []
    for m in _TOKEN.finditer(text):
        kind, value = m.lastgroup, m.group()
        if kind == "ws":
            continue
        if kind == "openquote":
            warnings.append("Anführungszeichen nicht geschlossen: als Phrase bis zum Ende gesucht")
            kind, value = "phrase", value + '"'
        tokens.append(_Tok(kind, value))
    return tokens


class _Parser:
    def __init__(self, tokens: list[_Tok], default_op: str, warnings: list[str]):
        self.tokens = tokens
        self.i = 0
        self.default_op = default_op
        self.warnings = warnings

    def peek(self) -> _Tok | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> _Tok:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def parse(self):
        node = self.or_expr()
        while self.peek() is not None:  # a stray ")" ends or_expr early
            tok = self.take()
            if tok.kind == "rparen":
                self.warnings.append("Schließende Klammer ohne öffnende ignoriert")
            rest = self.or_expr()
            node = _join(self.default_op, [node, rest])
        return node

    def or_expr(self):
        parts = [self.and_expr()]
        while (tok := self.peek()) is not None and tok.kind == "word" and tok.text in OR_WORDS:
            self.take()
            parts.append(self.and_expr())
        return _join("or", parts)

    def and_expr(self):
        parts = []
        explicit = False
        while (tok := self.peek()) is not None and tok.kind != "rparen":
            if tok.kind == "word" and tok.text in OR_WORDS:
                if not parts:
                    self.take()
                    self.warnings.append(f"Operator {tok.text} ohne linken Begriff ignoriert")
                    continue
                break
            if tok.kind == "word" and tok.text in AND_WORDS:
                self.take()
                explicit = True
                continue
            node = self.unary()
            if node is not None:
                parts.append(node)
        if explicit or self.default_op == "and":
            return _join("and", parts)
        # op=or: plain terms are alternatives, but NOT still excludes
        positives = [p for p in parts if not isinstance(p, Not)]
        negatives = [p for p in parts if isinstance(p, Not)]
        node = _join("or", positives)
        return _join("and", ([node] if node is not None else []) + negatives)

    def unary(self):
        tok = self.peek()
        if tok.kind == "word" and tok.text in NOT_WORDS:
            self.take()
            if self.peek() is None or self.peek().kind == "rparen":
                self.warnings.append(f"Operator {tok.text} ohne Begriff ignoriert")
                return None
            child = self.unary()
            return Not(child) if child is not None else None
        if tok.kind == "word" and tok.text.startswith("-") and len(tok.text) > 1:
            self.take()
            child = self.primary(_Tok("word", tok.text[1:]))
            return Not(child) if child is not None else None
        return self.primary(self.take())

    def primary(self, tok: _Tok):
        if tok.kind == "lparen":
            node = self.or_expr()
            if self.peek() is not None and self.peek().kind == "rparen":
                self.take()
            else:
                self.warnings.append("Klammer nicht geschlossen: bis zum Ende gelesen")
            return node
        if tok.kind == "rparen":
            self.warnings.append("Schließende Klammer ohne öffnende ignoriert")
            return None
        if tok.kind == "field":
            return self.field_value(tok.text[:-1])
        if tok.kind == "phrase":
            return _phrase(tok.text, "text")
        if tok.kind == "range":
            self.warnings.append(f"Bereich {tok.text} ohne Feld ignoriert (z. B. datum:{tok.text})")
            return None
        return _word(tok.text, "text", self.warnings)

    def field_value(self, name: str):
        target = FIELDS.get(name.lower())
        nxt = self.peek()
        if nxt is None or nxt.kind in ("rparen", "field") or (
                nxt.kind == "word" and nxt.text in AND_WORDS | OR_WORDS | NOT_WORDS):
            self.warnings.append(f"Feld {name}: ohne Wert ignoriert")
            return None
        tok = self.take()
        if target is None:
            self.warnings.append(f"Unbekanntes Feld {name}: als Text gesucht")
            return _word(f"{name} {tok.text.strip(chr(34))}", "text", self.warnings) \
                if tok.kind != "phrase" else _phrase(tok.text, "text")
        value = tok.text
        if target == "date":
            return _date(value, self.warnings)
        if target == "title":
            return _phrase(value, "title") if tok.kind == "phrase" else _word(value, "title",
                                                                             self.warnings)
        if tok.kind == "phrase":
            value = value.rsplit('"', 1)[0].strip('"')
        return Exact(target, value.strip())


def _join(kind: str, parts: list):
    parts = [p for p in parts if p is not None]
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    return And(tuple(parts)) if kind == "and" else Or(tuple(parts))


def _word(text: str, field_name: str, warnings: list[str]):
    if text.endswith("*") and len(text.rstrip("*")) >= 2:
        return Word(text.rstrip("*"), field_name, prefix=True)
    if text.endswith("*"):
        warnings.append(f"Platzhalter {text} zu kurz: ignoriert (mindestens 2 Buchstaben vor *)")
        return None
    if m := re.fullmatch(r"(.+?)~(\d?)", text):
        return Word(m.group(1), field_name, fuzzy=min(int(m.group(2) or 2), 2) or 1)
    return Word(text, field_name)


def _phrase(text: str, field_name: str):
    m = re.fullmatch(r'"([^"]*)"(?:~(\d+))?', text)
    body, slop = (m.group(1), int(m.group(2) or 0)) if m else (text.strip('"'), 0)
    words = tuple(body.split())
    if not words:
        return None
    if len(words) == 1:
        return Word(words[0], field_name)
    return Phrase(words, field_name, min(slop, 50))


def _date(value: str, warnings: list[str]):
    try:
        if value.startswith("["):
            parts = re.split(r"\s+(?:TO|BIS)\s+", value.strip("[]"), maxsplit=1, flags=re.I)
            lo, hi = parts[0].strip(), (parts[1].strip() if len(parts) > 1 else "")
            return DateRange(parse_date_bound(lo, end=False) if lo not in ("", "*") else None,
                             parse_date_bound(hi, end=True) if hi not in ("", "*") else None)
        return DateRange(parse_date_bound(value, end=False), parse_date_bound(value, end=True))
    except DateError:
        warnings.append(f"Datum {value} ignoriert: erwartet JJJJ, JJJJ-MM, JJJJ-MM-TT "
                        "oder [JJJJ-MM TO JJJJ-MM]")
        return None


def parse_query(text: str, *, op: str = "and", syntax: str = "query") -> ParsedQuery:
    """Parse ``text``; ``syntax='plain'`` takes every token as a word."""
    warnings: list[str] = []
    if syntax == "plain":
        words = [w for w in re.findall(r"[^\s]+", text)]
        words = [w.strip("\"()*~") for w in words]
        nodes = [Word(w) for w in words if w]
        return ParsedQuery(_join(op, nodes), warnings)
    tokens = _lex(text, warnings)
    tree = _Parser(tokens, op, warnings).parse() if tokens else None
    return ParsedQuery(tree, warnings)
