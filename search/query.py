"""The query language, parsed into an engine-neutral tree.

    Sanktion* UND (Russland ODER Iran) -Gas "Rutte Macron"~10
    titel:Haushalt ressort:Inland person:Selensky datum:[2024-01 TO 2024-06]

Operators in German and English (AND/UND, OR/ODER, NOT/NICHT, ``-wort``),
parentheses, phrases with proximity (``"…"`` or German ``„…“``), prefix (``*``)
and fuzzy (``~``) words, fields with German and English names. Parsing never
fails: what cannot be read is searched as well as it can be, and a warning says
what was ignored.

Whatever is typed or pasted, the work is bounded: parentheses deeper than
``MAX_NESTING`` are read as if absent, so the tree stays shallow (the parser
recurses once per level); at most ``MAX_PREFIX_TERMS`` prefix words,
``MAX_FUZZY_TERMS`` fuzzy words and ``MAX_PHRASES`` phrases of at most
``MAX_PHRASE_WORDS`` words are searched as such, the rest as plain words;
repeated words are one ``Word`` with a ``count``; and ``limit_terms`` keeps the
most informative distinct words of a long query. Lexing, parsing and the
merging of repeats are linear in the length of the query.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date

from indexer.dates import DateError, parse_date_bound

MAX_NESTING = 32  # parentheses deeper than this are ignored (the words inside are kept)
MAX_PREFIX_TERMS = 10  # distinct ``wort*`` per query; further ones are searched as plain words
MAX_FUZZY_TERMS = 10  # distinct ``wort~`` per query; further ones are searched as plain words
MAX_PHRASES = 10  # distinct phrases per query; further ones are searched as their words
MAX_PHRASE_WORDS = 32  # words of one phrase; the rest of it is not searched
MAX_SLOP = 50  # largest ``"…"~N``
MAX_TERMS = 64  # distinct words a long query is searched by (see ``limit_terms``)
MAX_WARNINGS = 10  # distinct warnings reported; the rest are counted
SHOWN_CHARS = 40  # of a user's input, quoted in a warning

# How deep a tree from ``parse_query`` can be (``tree_depth``), whatever the input: per
# parenthesis level an Or, an And and a Not, and at the bottom a phrase beyond
# ``MAX_PHRASES`` (an And of its words). A recursive evaluation needs no deeper stack.
MAX_TREE_DEPTH = 3 * (MAX_NESTING + 1) + 2


@dataclass(frozen=True)
class Word:
    text: str
    field: str = "text"  # "text" or "title"
    prefix: bool = False
    fuzzy: int = 0  # edit distance, 0 = exact
    count: int = 1  # how often the query says it (repeats are merged into one Word)


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


def _cleaning_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for code in (*range(0x00, 0x20), *range(0x7F, 0xA0)):  # control characters: a space
        table[code] = " "
    for code in range(0xD800, 0xE000):  # half a surrogate pair (not from the web): a space
        table[code] = " "
    # invisible characters, dropped as the analyzer drops them inside words, and the
    # marks of writing direction, so that they hide no operator, field or parenthesis
    for char in "\u00ad\u200b\u200c\u200d\u2060\ufeff" \
                "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
        table[ord(char)] = None
    return table


_CLEAN = _cleaning_table()
_GERMAN_QUOTES = str.maketrans({"„": '"', "“": '"', "”": '"'})
# around a word, not part of it: what repeats of one word may differ in
_EDGE_PUNCTUATION = "\"'`.,;:!?()[]{}<>*~+-–—…„“”‚‘’«»‹›/\\|"


def _show(text: str) -> str:
    """A user's input as a warning quotes it: not longer than ``SHOWN_CHARS``."""
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"


@dataclass
class _Tok:
    kind: str
    text: str
    negated: bool = False


def _lex(text: str, warnings: list[str]) -> list[_Tok]:
    """Tokens; parentheses nested deeper than ``MAX_NESTING`` are left out in pairs."""
    tokens = []
    kept: list[bool] = []  # per open parenthesis: is it in ``tokens``?
    depth = dropped = 0  # open parentheses kept; pairs left out
    for m in _TOKEN.finditer(text):
        kind, value = m.lastgroup, m.group()
        if kind == "ws":
            continue
        if kind == "openquote":
            warnings.append("Anführungszeichen nicht geschlossen: als Phrase bis zum Ende gesucht")
            kind, value = "phrase", value + '"'
        elif kind == "lparen":
            kept.append(depth < MAX_NESTING)
            if not kept[-1]:
                dropped += 1
                continue
            depth += 1
        elif kind == "rparen" and kept:
            if not kept.pop():
                continue
            depth -= 1
        tokens.append(_Tok(kind, value))
    if dropped:
        warnings.append(f"Klammern tiefer als {MAX_NESTING} Ebenen ignoriert ({dropped}×)")
    return tokens


class _Parser:
    """Recursive descent; it recurses once per parenthesis level (at most ``MAX_NESTING``),
    chains of NOT are counted, not recursed into."""

    def __init__(self, tokens: list[_Tok], default_op: str, warnings: list[str]):
        self.tokens = tokens
        self.i = 0
        self.default_op = default_op
        self.warnings = warnings
        self.seen: dict[str, set] = {"prefix": set(), "fuzzy": set(), "phrase": set()}
        self.over: dict[str, int] = {"prefix": 0, "fuzzy": 0, "phrase": 0}

    def peek(self) -> _Tok | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> _Tok:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def next_is(self, kind: str) -> bool:
        return self.i + 1 < len(self.tokens) and self.tokens[self.i + 1].kind == kind

    def parse(self):
        parts = [self.or_expr()]
        while self.peek() is not None:  # a stray ")" ends or_expr early
            tok = self.take()
            if tok.kind == "rparen":
                self.warnings.append("Schließende Klammer ohne öffnende ignoriert")
            parts.append(self.or_expr())
        tree = self.implicit(parts)
        self.report_caps()
        return tree

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
        return _join("and", parts) if explicit else self.implicit(parts)

    def implicit(self, parts: list):
        """Terms side by side: all of them (op=and), or any (op=or) but NOT still excludes."""
        if self.default_op == "and":
            return _join("and", parts)
        positives = [p for p in parts if p is not None and not isinstance(p, Not)]
        negatives = [p for p in parts if isinstance(p, Not)]
        node = _join("or", positives)
        return _join("and", ([node] if node is not None else []) + negatives)

    def unary(self):
        negations, operator = 0, None
        while (tok := self.peek()) is not None and tok.kind == "word" and tok.text in NOT_WORDS:
            self.take()
            negations, operator = negations + 1, tok.text
        if tok is None or tok.kind == "rparen":
            self.warnings.append(f"Operator {operator} ohne Begriff ignoriert")
            return None
        if tok.kind == "word" and tok.text.startswith("-") and len(tok.text) > 1:
            self.take()
            negations += 1
            child = self.primary(_Tok("word", tok.text[1:]))
        elif tok.kind == "word" and tok.text == "-" and self.next_is("lparen"):
            self.take()  # -(a b): NOT (a b)
            negations += 1
            child = self.primary(self.take())
        else:
            child = self.primary(self.take())
        if child is None:
            return None
        if negations > 1:
            self.warnings.append("Mehrfache Verneinung: " + (
                "hebt sich auf" if negations % 2 == 0 else "als einfache gelesen"))
        return Not(child) if negations % 2 else child

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
            return self.phrase(tok.text, "text")
        if tok.kind == "range":
            self.warnings.append(f"Bereich {_show(tok.text)} ohne Feld ignoriert "
                                 "(z. B. datum:[2024-01 TO 2024-06])")
            return None
        return self.word(tok.text, "text")

    def field_value(self, name: str):
        target = FIELDS.get(name.lower())
        nxt = self.peek()
        if nxt is None or nxt.kind in ("rparen", "lparen", "field") or (
                nxt.kind == "word" and nxt.text in AND_WORDS | OR_WORDS | NOT_WORDS):
            self.warnings.append(f"Feld {_show(name)}: ohne Wert ignoriert")
            return None
        tok = self.take()
        if target is None:
            self.warnings.append(f"Unbekanntes Feld {_show(name)}: als Text gesucht")
            return Word(f"{name} {tok.text.strip(chr(34))}", "text") \
                if tok.kind != "phrase" else self.phrase(tok.text, "text")
        value = tok.text
        if target == "date":
            return _date(value, self.warnings)
        if target == "title":
            return self.phrase(value, "title") if tok.kind == "phrase" else self.word(value,
                                                                                     "title")
        if tok.kind == "phrase":
            value = value.rsplit('"', 1)[0].strip('"')
        if not value.strip():
            self.warnings.append(f"Feld {_show(name)}: ohne Wert ignoriert")
            return None
        return Exact(target, value.strip())

    # words and phrases, within the per-query caps ------------------------------
    def within_cap(self, kind: str, key, cap: int) -> bool:
        """Whether one more distinct ``kind`` (a repeat is free) may be searched as such."""
        seen = self.seen[kind]
        if key in seen:
            return True
        if len(seen) < cap:
            seen.add(key)
            return True
        self.over[kind] += 1
        return False

    def report_caps(self) -> None:
        for kind, what, cap, instead in (
                ("prefix", "Platzhalter-Wörter (*)", MAX_PREFIX_TERMS, "als einfache Wörter"),
                ("fuzzy", "unscharfe Wörter (~)", MAX_FUZZY_TERMS, "als einfache Wörter"),
                ("phrase", "Phrasen", MAX_PHRASES, "als einzelne Wörter")):
            if self.over[kind]:
                self.warnings.append(f"Zu viele {what}: höchstens {cap} je Anfrage, "
                                     f"{self.over[kind]} weitere {instead} gesucht")

    def word(self, text: str, field_name: str):
        if text.endswith("*") and len(text.rstrip("*")) >= 2:
            stem = text.rstrip("*")
            prefix = self.within_cap("prefix", (stem.casefold(), field_name), MAX_PREFIX_TERMS)
            return Word(stem, field_name, prefix=prefix)
        if text.endswith("*"):
            self.warnings.append(f"Platzhalter {_show(text)} zu kurz: ignoriert "
                                 "(mindestens 2 Buchstaben vor *)")
            return None
        if m := re.fullmatch(r"(.+?)~(\d?)", text):
            stem, distance = m.group(1), min(int(m.group(2) or 2), 2) or 1
            if self.within_cap("fuzzy", (stem.casefold(), field_name, distance),
                               MAX_FUZZY_TERMS):
                return Word(stem, field_name, fuzzy=distance)
            return Word(stem, field_name)
        return Word(text, field_name)

    def phrase(self, text: str, field_name: str):
        m = re.fullmatch(r'"([^"]*)"(?:~(\d+))?', text)
        body, slop = (m.group(1), _small_int(m.group(2) or "0", MAX_SLOP)) if m else (
            text.strip('"'), 0)
        words = tuple(body.split())
        if not words:
            return None
        if len(words) == 1:
            return Word(words[0], field_name)
        if len(words) > MAX_PHRASE_WORDS:
            self.warnings.append(f"Phrase „{_show(' '.join(words))}“ zu lang: nur ihre ersten "
                                 f"{MAX_PHRASE_WORDS} Wörter gesucht")
            words = words[:MAX_PHRASE_WORDS]
        key = (tuple(w.casefold() for w in words), field_name, slop)
        if not self.within_cap("phrase", key, MAX_PHRASES):
            return _join("and", [Word(w, field_name) for w in words])
        return Phrase(words, field_name, slop)


def _small_int(digits: str, cap: int) -> int:
    """``int(digits)``, at most ``cap``, also for more digits than ``int`` converts."""
    significant = digits.lstrip("0")
    return cap if len(significant) > len(str(cap)) else min(int(significant or "0"), cap)


def _word_key(word: Word) -> tuple:
    """What makes two Words one: the text up to case and surrounding punctuation."""
    return ("word", word.text.casefold().strip(_EDGE_PUNCTUATION), word.field, word.prefix,
            word.fuzzy)


def _join(kind: str, parts: list):
    """``And``/``Or`` of ``parts``: nested ones of the same kind spliced in, repeats merged
    (a repeated Word counts its repeats). Linear in the number of children."""
    cls = And if kind == "and" else Or
    children: list = []
    position: dict = {}
    for part in parts:
        if part is None:
            continue
        for child in (part.children if isinstance(part, cls) else (part,)):
            key = _word_key(child) if isinstance(child, Word) else child
            if key not in position:
                position[key] = len(children)
                children.append(child)
            elif isinstance(child, Word):
                first = children[position[key]]
                children[position[key]] = replace(first, count=first.count + child.count)
    if not children:
        return None
    if len(children) == 1:
        return children[0]
    return cls(tuple(children))


def _date(value: str, warnings: list[str]):
    try:
        if value.startswith("["):
            parts = re.split(r"\s+(?:TO|BIS)\s+", value.strip("[]"), maxsplit=1, flags=re.I)
            lo, hi = parts[0].strip(), (parts[1].strip() if len(parts) > 1 else "")
            node = DateRange(parse_date_bound(lo, end=False) if lo not in ("", "*") else None,
                             parse_date_bound(hi, end=True) if hi not in ("", "*") else None)
        else:
            node = DateRange(parse_date_bound(value, end=False), parse_date_bound(value, end=True))
        for bound in (node.start, node.end):  # ISO days only ("٢٠٢٤" passes the patterns)
            if bound is not None and not (bound.isascii() and date.fromisoformat(bound)):
                raise DateError(bound)
        return node
    except (DateError, ValueError, OverflowError):
        warnings.append(f"Datum {_show(value)} ignoriert: erwartet JJJJ, JJJJ-MM, JJJJ-MM-TT "
                        "oder [JJJJ-MM TO JJJJ-MM]")
        return None


def _tidy(warnings: list[str]) -> list[str]:
    """Each warning once, at most ``MAX_WARNINGS`` of them."""
    unique = list(dict.fromkeys(warnings))
    if len(unique) <= MAX_WARNINGS:
        return unique
    rest = len(unique) - (MAX_WARNINGS - 1)
    return unique[:MAX_WARNINGS - 1] + [f"… und {rest} weitere Hinweise zur Anfrage"]


def parse_query(text: str, *, op: str = "and", syntax: str = "query") -> ParsedQuery:
    """Parse ``text``; ``syntax='plain'`` takes every token as a word.

    Never raises for any string: control characters count as spaces, invisible ones
    (soft hyphen, zero-width space, byte order mark, direction marks) are dropped.
    Repeated words become one ``Word`` with its ``count``.
    """
    warnings: list[str] = []
    text = (text or "").translate(_CLEAN)
    if syntax == "plain":
        words = [w.strip("\"()*~") for w in text.split()]
        return ParsedQuery(_join(op, [Word(w) for w in words if w]), warnings)
    tokens = _lex(text.translate(_GERMAN_QUOTES), warnings)
    tree = _Parser(tokens, op, warnings).parse() if tokens else None
    return ParsedQuery(tree, _tidy(warnings))


# for the engine: the words of a tree, and the long query cut to its informative words ----

def walk(tree) -> Iterator:
    """Every node of ``tree``, parents before children, left to right (iterative)."""
    stack = [tree] if tree is not None else []
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (And, Or)):
            stack.extend(reversed(node.children))
        elif isinstance(node, Not):
            stack.append(node.child)


def tree_depth(tree) -> int:
    """Nodes on the longest path from the root (0 for None); at most ``MAX_TREE_DEPTH``
    for a tree from ``parse_query``."""
    deepest, stack = 0, [(tree, 1)] if tree is not None else []
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        children = node.children if isinstance(node, (And, Or)) else (
            (node.child,) if isinstance(node, Not) else ())
        stack.extend((child, depth + 1) for child in children)
    return deepest


def distinct_words(tree) -> list[Word]:
    """The distinct words of ``tree`` (repeats merged as in ``parse_query``), in order of
    first appearance, each with its ``count`` summed over the whole tree."""
    found: dict[tuple, Word] = {}
    for node in walk(tree):
        if isinstance(node, Word):
            key = _word_key(node)
            seen = found.get(key)
            found[key] = node if seen is None else replace(seen, count=seen.count + node.count)
    return list(found.values())


def limit_terms(tree, max_terms: int = MAX_TERMS,
                informativeness: Callable[[Word], float] | None = None
                ) -> tuple[object | None, str | None]:
    """``tree`` with at most ``max_terms`` distinct words, and a warning if some were dropped.

    The words kept are the ``max_terms`` with the highest ``informativeness(word)`` (the
    engine passes e.g. the idf of the word's term; the ``Word`` given carries its summed
    ``count``; NaN ranks last); ties keep the more repeated, then the earlier word, and
    so does the ranking without a callable. Words under NOT count like any other.
    Operators left without operand disappear; phrases, fields and dates are kept.
    """
    if max_terms < 1:
        raise ValueError("max_terms must be at least 1")
    words = distinct_words(tree)
    if len(words) <= max_terms:
        return tree, None

    def rank(item: tuple[int, Word]) -> tuple:
        position, word = item
        score = float(informativeness(word)) if informativeness is not None else 0.0
        return (-score if not math.isnan(score) else math.inf, -word.count, position)

    best = sorted(enumerate(words), key=rank)[:max_terms]
    keep = {_word_key(word) for _, word in best}
    pruned = _prune(tree, keep)
    dropped = len(words) - max_terms
    return pruned, (f"Lange Anfrage: {dropped} von {len(words)} Wörtern ignoriert "
                    "(die häufigsten)")


def _prune(node, keep: set):
    """``node`` without the Words whose key is not in ``keep`` (recursion: as deep as the
    tree, which ``parse_query`` bounds)."""
    if isinstance(node, Word):
        return node if _word_key(node) in keep else None
    if isinstance(node, Not):
        child = _prune(node.child, keep)
        return Not(child) if child is not None else None
    if isinstance(node, (And, Or)):
        return _join("and" if isinstance(node, And) else "or",
                     [_prune(child, keep) for child in node.children])
    return node
