"""Query-string parameters of a search, read strictly, and the URLs that change them.

The API and the search page read the same parameters; the API refuses any it does
not know, the page ignores them (links from elsewhere carry tracking junk). Every
problem is an ``InvalidRequest`` naming the parameter.
"""
from __future__ import annotations

import re
from urllib.parse import urlencode

from werkzeug.datastructures import MultiDict

from indexer.entity_fields import PLURAL_OF_PARAM
from search.models import (DEFAULT_FACET_SIZE, MAX_FACET_SIZE, MAX_PAGE_SIZE, MAX_QUERY_CHARS,
                           InvalidRequest, SearchRequest)

MAX_PAGE = 10_000
FORMATS = ("json", "csv", "jsonl")
SORTS = ("relevance", "newest", "oldest")

# parameter -> SearchRequest field, for the repeatable filters
LIST_PARAMS = {"section": "sections", "outlet": "outlets", **PLURAL_OF_PARAM, "lang": "langs"}
SINGLE_PARAMS = ("q", "op", "syntax", "from", "to", "sort", "page", "size", "facet_size",
                 "format", "cursor")
SEARCH_PARAMS = frozenset(SINGLE_PARAMS) | frozenset(LIST_PARAMS)
MAX_FILTER_CHARS = 200
MAX_FILTER_VALUES = 20  # distinct values per filter; repeats of one value count once
MAX_SHOWN_CHARS = 40  # of a client's input echoed in an error message

_INT = re.compile(r"[0-9]{1,9}")

# The dates ``from`` and ``to`` take, as one regular expression: exactly what
# indexer.dates.parse_date_bound accepts of YYYY, YYYY-M(M) and YYYY-MM-DD, leap days
# included. The OpenAPI document and the search form's ``pattern`` are built from it;
# it keeps to syntax that Python, JSON Schema (ECMA-262) and HTML (the v flag) share.
_YEAR = "[0-9]{4}"  # 0001 to 9998: the lookahead below drops 0000 and 9999
_MONTH = "(0?[1-9]|1[0-2])"
_MONTH_DAY = ("((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])"  # any month to the 28th
              "|(0[13-9]|1[0-2])-(29|30)"                # all but February
              "|(0[13578]|1[02])-31)")
_LEAP_YEAR = "([0-9]{2}(0[48]|[2468][048]|[13579][26])|([02468][048]|[13579][26])00)"
DATE_BOUND_PATTERN = (f"(?!0000|9999)({_YEAR}(-{_MONTH})?|{_YEAR}-{_MONTH_DAY}"
                      f"|{_LEAP_YEAR}-02-29)")
_DATE = re.compile(DATE_BOUND_PATTERN)


def integer_param(args: MultiDict, name: str, default: int, low: int, high: int) -> int:
    raw = args.get(name, "")
    if raw == "":
        return default
    if not _INT.fullmatch(raw) or not low <= int(raw) <= high:
        raise InvalidRequest(name, f"{name} must be a whole number from {low} to {high}, "
                                   f"got {shown(raw)}")
    return int(raw)


def choice_param(args: MultiDict, name: str, choices: tuple[str, ...], default: str) -> str:
    raw = args.get(name, "")
    if raw == "":
        return default
    if raw not in choices:
        allowed = ", ".join(f"'{c}'" for c in choices)
        raise InvalidRequest(name, f"{name} must be one of {allowed}, got {shown(raw)}")
    return raw


def date_param(args: MultiDict, name: str, end: bool) -> tuple[str | None, str | None]:
    """The value as given and the day it stands for (first or last day of its period)."""
    from indexer.dates import DateError, parse_date_bound

    raw = args.get(name, "").strip()
    if raw == "":
        return None, None
    if _DATE.fullmatch(raw):
        try:
            return raw, parse_date_bound(raw, end=end)
        except (DateError, ValueError):
            pass
    raise InvalidRequest(name, f"{name} must be a real date as YYYY, YYYY-MM or YYYY-MM-DD, "
                               f"got {shown(raw)}")


def cut(value: str) -> str:
    """A client's input cut short for an error message: it may be huge."""
    return value if len(value) <= MAX_SHOWN_CHARS else value[:MAX_SHOWN_CHARS] + "…"


def shown(value: str) -> str:
    """A client's input for an error message, cut short and quoted."""
    return repr(cut(value))


def filter_key(name: str, value: str) -> str:
    """What a filter value means, whatever the spelling: ``ausland`` is the section
    ``Ausland``, ``person=Selensky`` the person ``Wolodymyr Selenskyj``, ``DE`` is ``de``
    (the engine matches filters so, and marks facet values selected so)."""
    if name in PLURAL_OF_PARAM:
        from indexer.gazetteer import load_gazetteer

        value = load_gazetteer().canonical(value, name)
    return " ".join(value.split()).casefold()


def filter_values(args: MultiDict) -> dict[str, list[str]]:
    """The repeatable filters, each value once (as first written), counted and checked
    before anything else is read: a URL may repeat a value thousands of times."""
    lists: dict[str, list[str]] = {}
    for name, attr in LIST_PARAMS.items():
        values: dict[str, str] = {}  # filter_key -> value as written
        for value in dict.fromkeys(v.strip() for v in args.getlist(name)):
            if not value:
                continue
            if len(value) > MAX_FILTER_CHARS:
                raise InvalidRequest(name, f"{name} is longer than {MAX_FILTER_CHARS} characters")
            values.setdefault(filter_key(name, value), value)
            if len(values) > MAX_FILTER_VALUES:
                raise InvalidRequest(name, f"at most {MAX_FILTER_VALUES} different values "
                                           f"of {name}")
        lists[attr] = list(values.values())
    return lists


def refuse_strays(args: MultiDict, known: frozenset[str], single: tuple[str, ...],
                  may_be_empty: tuple[str, ...] = ("q",)) -> None:
    """The API's strictness: unknown parameters, repeated single-valued ones and empty
    values (except ``may_be_empty``) are errors."""
    for name in args:
        if name not in known:
            raise InvalidRequest(name, f"unknown parameter {shown(name)}; known: "
                                       + ", ".join(sorted(known)))
    for name in single:
        if len(args.getlist(name)) > 1:
            raise InvalidRequest(name, f"{name} may be given only once")
    for name, value in args.items(multi=True):
        if name not in may_be_empty and not value.strip():
            raise InvalidRequest(name, f"{name} is empty; leave it out instead")


def parse_search(args: MultiDict, *, strict: bool = True) -> tuple[SearchRequest, str]:
    """A validated ``SearchRequest`` and the output format from query-string arguments.

    ``strict``: unknown parameters and repeated single-valued ones are errors (the API);
    otherwise they are ignored (the pages).
    """
    if strict:
        refuse_strays(args, SEARCH_PARAMS, SINGLE_PARAMS)
    lists = filter_values(args)
    q = args.get("q", "")
    if len(q) > MAX_QUERY_CHARS:
        raise InvalidRequest("q", f"q is longer than {MAX_QUERY_CHARS} characters")
    date_from, first = date_param(args, "from", end=False)
    date_to, last = date_param(args, "to", end=True)
    if first and last and last < first:
        raise InvalidRequest("to", f"to ({date_to}) lies before from ({date_from})")
    request = SearchRequest(
        q=q,
        op=choice_param(args, "op", ("and", "or"), "and"),
        syntax=choice_param(args, "syntax", ("query", "plain"), "query"),
        date_from=date_from,
        date_to=date_to,
        sort=choice_param(args, "sort", SORTS, "relevance"),
        page=integer_param(args, "page", 1, 1, MAX_PAGE),
        size=integer_param(args, "size", 10, 1, MAX_PAGE_SIZE),
        facet_size=integer_param(args, "facet_size", DEFAULT_FACET_SIZE, 0, MAX_FACET_SIZE),
        **lists,
    )
    cursor = args.get("cursor", "").strip()
    if cursor:
        if args.get("format", "json") not in ("", "json"):
            raise InvalidRequest("cursor", "cursor pages format=json; an export (csv, jsonl) "
                                           "already holds every match")
        request.cursor = cursor
    fmt = choice_param(args, "format", FORMATS, "json")
    request.validate()
    return request, fmt


class State:
    """The query string of a search as ordered pairs, and copies of it with changes.

    Every changed copy starts again at page 1 unless a page is set explicitly.
    """

    def __init__(self, pairs: list[tuple[str, str]], keep: frozenset[str] = SEARCH_PARAMS):
        self.pairs = _normalised([(k, v) for k, v in pairs if k in keep and v != ""])

    @classmethod
    def from_args(cls, args: MultiDict, drop: tuple[str, ...] = ()) -> State:
        return cls([(k, v) for k, v in args.items(multi=True) if k not in drop])

    def has(self, name: str, value: str) -> bool:
        """Whether the filter is set, in this spelling or another (see ``filter_key``)."""
        same = self._same_as(name, value)
        return any(same(k, v) for k, v in self.pairs)

    def get(self, name: str) -> str | None:
        return next((v for k, v in self.pairs if k == name), None)

    def values(self, name: str) -> list[str]:
        return [v for k, v in self.pairs if k == name]

    def _same_as(self, name: str, value: str | None):
        if value is None:
            return lambda k, v: k == name
        if name not in LIST_PARAMS:
            return lambda k, v: k == name and v == value
        key = filter_key(name, value)
        return lambda k, v: k == name and filter_key(k, v) == key

    def _copy(self, pairs) -> State:
        state = State([])  # the pairs come from a normalised state: no need to redo it
        state.pairs = [(k, v) for k, v in pairs if k not in ("page", "cursor")]
        return state

    def toggle(self, name: str, value: str) -> State:
        """Without the filter if it is set (in whatever spelling), else with it added."""
        if self.has(name, value):
            return self.without(name, value)
        return self._copy(self.pairs + [(name, value)])

    def without(self, name: str, value: str | None = None) -> State:
        same = self._same_as(name, value)
        return self._copy([(k, v) for k, v in self.pairs if not same(k, v)])

    def set(self, **values: str | None) -> State:
        """Replace single-valued parameters (``from_`` for ``from``); None removes one."""
        names = {k.rstrip("_"): v for k, v in values.items()}
        pairs = [(k, v) for k, v in self.pairs if k not in names]
        state = self._copy(pairs)
        state.pairs += [(k, str(v)) for k, v in names.items() if v is not None and v != ""]
        return state

    def page(self, number: int) -> State:
        state = self._copy(self.pairs)
        if number > 1:
            state.pairs.append(("page", str(number)))
        return state

    def query_string(self) -> str:
        return urlencode(self.pairs)

    def url(self, base: str) -> str:
        qs = self.query_string()
        return f"{base}?{qs}" if qs else base


def _normalised(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Each single-valued parameter once (the first, which the search reads), each filter
    value once whatever its spelling, at most ``MAX_FILTER_VALUES`` per filter: a link built
    from the state repeats all of it, and a page has dozens of links."""
    seen: set = set()
    counts = dict.fromkeys(LIST_PARAMS, 0)
    kept = []
    for name, value in dict.fromkeys(pairs):  # exact repeats go cheaply, first
        if name in LIST_PARAMS:
            if counts[name] >= MAX_FILTER_VALUES:
                continue
            key = (name, filter_key(name, value))
        else:
            key = name
        if key not in seen:
            seen.add(key)
            kept.append((name, value))
            if name in LIST_PARAMS:
                counts[name] += 1
    return kept
