"""What readers produce: articles in native fields, and problems with their place."""
from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field

from indexer.dates import DateError, parse_date

NATIVE_FIELDS = ("id", "title", "body", "date", "section", "url", "source", "lang")
TITLE_FROM_LEAD_CHARS = 120

_BLANK_LINES = re.compile(r"\n{3,}")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u3000]+")
# What _SPACES would change: a line without it is left as it is (most lines;
# substituting every single space costs more than reading the JSON).
_ODD_SPACES = re.compile(r"[\t\u00a0\u2000-\u200a\u202f\u3000]|  ")
_INVISIBLE_EDGES = "\u200b\u200c\u200d\u2060\ufeff"


@dataclass(frozen=True)
class Problem:
    """A rejected record (``severity='reject'``), a warning about a kept one, or a note
    (``'note'``): advice about a source file, such as a field to map."""

    file: str
    line: int | None
    reason: str
    field: str | None = None
    severity: str = "reject"

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = f" [{self.field}]" if self.field else ""
        return f"{self.severity.upper()} {where}{what}: {self.reason}"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Article:
    key: str
    title: str
    body: str
    date: str | None
    section: str | None
    url: str | None
    source: str | None
    lang: str | None
    origin: str  # the source file, absolute
    line: int
    persons: list[str] = field(default_factory=list)
    orgs: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)

    @property
    def text_hash(self) -> str:
        return _digest(self.title, self.body)

    @property
    def content_hash(self) -> str:
        """Everything the index holds of the article, to skip unchanged ones."""
        return _digest(self.key, self.title, self.body, self.date or "", self.section or "",
                       self.url or "", self.source or "", self.lang or "")


def _digest(*parts: str) -> str:
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=12).hexdigest()


def clean_text(value: str) -> str:
    """Normalise line ends and runs of spaces; keep paragraph breaks."""
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.strip(_INVISIBLE_EDGES + " \n\t")
    lines = [(_SPACES.sub(" ", line) if _ODD_SPACES.search(line) else line).strip()
             for line in value.split("\n")]
    value = "\n".join(lines)
    if "\n\n\n" in value:
        value = _BLANK_LINES.sub("\n\n", value)
    return value.strip()


def title_from_lead(body: str) -> str:
    """A title for an untitled article: its first sentence, cut at a word."""
    lead = body.split("\n", 1)[0]
    m = re.match(r"(.+?[.!?])(?:\s|$)", lead)
    sentence = m.group(1) if m and len(m.group(1)) >= 20 else lead
    if len(sentence) <= TITLE_FROM_LEAD_CHARS:
        return sentence
    cut = sentence[:TITLE_FROM_LEAD_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:–- ") + " …"


def normalise_section(value: str) -> str:
    """``inland`` and ``Inland`` are one section; other spellings stay as given."""
    value = " ".join(value.split())
    return value[:1].upper() + value[1:] if value.islower() else value


def make_article(values: dict[str, str | None], *, origin: str, line: int,
                 default_key: str | None = None) -> tuple[Article | None, list[Problem]]:
    """Build an article from native field values, with the problems it has."""
    problems: list[Problem] = []
    title = clean_text(values.get("title") or "")
    body = clean_text(values.get("body") or "")
    if not title and not body:
        return None, [Problem(origin, line, "article has neither title nor body", "title")]
    if not title:
        title = title_from_lead(body)
    date = None
    raw_date = (values.get("date") or "").strip()
    if raw_date:
        try:
            date = parse_date(raw_date)
        except DateError as exc:
            problems.append(Problem(origin, line, f"{exc}; indexed undated", "date", "warning"))
    section = normalise_section(values.get("section") or "") or None
    url = (values.get("url") or "").strip() or None
    key = (values.get("id") or "").strip() or default_key or url or _digest(title, body)[:16]
    article = Article(
        key=key, title=title, body=body, date=date, section=section, url=url,
        source=(values.get("source") or "").strip() or None,
        lang=(values.get("lang") or "").strip().lower() or None,
        origin=origin, line=line,
    )
    return article, problems
