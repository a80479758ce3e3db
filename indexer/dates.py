"""Dates as German and Austrian newspapers write them, parsed strictly.

Only complete dates are accepted (day, month and year); anything else is
an error for the caller to report, never a guess: a general-purpose parser
would happily turn ``Mai`` into this year's May or ``3/4/24`` into either
March or April.
"""
from __future__ import annotations

import re
from datetime import date, datetime

MONTHS = {
    "januar": 1, "jänner": 1, "jaenner": 1, "jan": 1, "jän": 1,
    "februar": 2, "feber": 2, "feb": 2, "febr": 2,
    "märz": 3, "maerz": 3, "mär": 3, "mrz": 3,
    "april": 4, "apr": 4,
    "mai": 5,
    "juni": 6, "jun": 6,
    "juli": 7, "jul": 7,
    "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "okt": 10,
    "november": 11, "nov": 11,
    "dezember": 12, "dez": 12,
}
WEEKDAYS = r"(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag)"

_NAMED = re.compile(
    rf"^(?:{WEEKDAYS},?\s+)?(?:den\s+)?(\d{{1,2}})\.?\s*([a-zäö]+)\.?,?\s+(\d{{4}})$", re.I)
_DOTTED = re.compile(r"^(?:" + WEEKDAYS + r",?\s+)?(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})$", re.I)
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")


class DateError(ValueError):
    """A date that cannot be read without guessing."""


def parse_date(text: str) -> str:
    """``14. November 2024``, ``14.11.2024``, ``2024-11-14`` ... -> ``2024-11-14``."""
    value = " ".join(text.split())
    if not value:
        raise DateError("empty date")
    if m := _ISO.match(value):
        year, month, day = (int(g) for g in m.groups())
    elif m := _DOTTED.match(value):
        day, month, year = (int(g) for g in m.groups())
    elif m := _NAMED.match(value):
        month_name = m.group(2).lower()
        if month_name not in MONTHS:
            raise DateError(f"unknown month name {m.group(2)!r} in {value!r}")
        day, month, year = int(m.group(1)), MONTHS[month_name], int(m.group(3))
    else:
        raise DateError(f"not a date: {value!r} (expected e.g. '14. November 2024', "
                        "'14.11.2024' or '2024-11-14')")
    try:
        _check_year(year, value)
        return date(year, month, day).isoformat()
    except ValueError as exc:
        raise DateError(f"impossible date {value!r}: {exc}") from None


def parse_date_bound(text: str, *, end: bool) -> str:
    """A date of year, month or day precision as the first or last day it covers.

    ``2024`` -> ``2024-01-01`` / ``2024-12-31``; ``2024-11`` -> ``2024-11-01`` /
    ``2024-11-30``; a full date is itself. Used for filters and ranges.
    """
    value = text.strip()
    if re.fullmatch(r"\d{4}", value):
        _check_year(int(value), value)
        return f"{value}-12-31" if end else f"{value}-01-01"
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", value):
        year, month = int(m.group(1)), int(m.group(2))
        _check_year(year, value)
        if not 1 <= month <= 12:
            raise DateError(f"impossible month {value!r}")
        if not end:
            return date(year, month, 1).isoformat()
        if month == 12:
            return date(year, 12, 31).isoformat()
        return date.fromordinal(date(year, month + 1, 1).toordinal() - 1).isoformat()
    return parse_date(value)


def _check_year(year: int, value: str) -> None:
    if not 1 <= year <= 9998:
        raise DateError(f"impossible year in {value!r}")


def now_iso() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")
