"""Jinja filters for the German pages: dates, numbers, safe links."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
          "Oktober", "November", "Dezember")
MONTHS_SHORT = ("Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.",
                "Nov.", "Dez.")


def german_date(value: str | None, short: bool = False) -> str:
    """``2024-11-14`` -> ``14. November 2024``; ``2024-11`` -> ``November 2024``."""
    if not value:
        return ""
    names = MONTHS_SHORT if short else MONTHS
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value):
        year, month, day = m.groups()
        if 1 <= int(month) <= 12:
            return f"{int(day)}. {names[int(month) - 1]} {year}"
    if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
        year, month = m.groups()
        if 1 <= int(month) <= 12:
            return f"{names[int(month) - 1]} {year}"
    return value


def german_number(value) -> str:
    """``12345`` -> ``12.345``."""
    try:
        return f"{int(value):,}".replace(",", ".")
    except (TypeError, ValueError):
        return str(value)


def safe_url(value: str | None) -> str | None:
    """The URL if it is an absolute http(s) link, else None (no ``javascript:`` links)."""
    if not value:
        return None
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return value.strip()
    return None


def paragraphs(text: str | None) -> list[str]:
    """Body text as paragraphs: blank lines separate them, single newlines too."""
    if not text:
        return []
    return [p.strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip()]


def register_filters(app) -> None:
    app.jinja_env.filters.update(
        datum=german_date, zahl=german_number, safe_url=safe_url, absaetze=paragraphs)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
