"""Plain-text articles: a headline when the first line reads as one, plus simple metadata.

Saved articles often begin with a headline, a `Source:` or `Published:` line, or a bare
date, and those belong in fields, not in the text. Everything else is kept with its exact
characters (only outer white space is trimmed), because later stages cite character
offsets into the stored text. A first line that is a full sentence is *not* a title:
the seeds and most copy-pasted articles start straight with the lead paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from ..models import RawArticle, Rejected
from .decode import decode_text

MAX_TITLE_WORDS = 20
MAX_TITLE_CHARS = 150
_HEADER_LINES = 6  # metadata is looked for only this far into the file

_SOURCE = re.compile(r"^(?:source|publisher|outlet)\s*:\s*(?P<v>\S.{0,99})$", re.I)
_PUBLISHED = re.compile(r"^(?:published|date|updated|posted)(?:\s+on)?\s*:?\s*(?P<v>\S.*)$", re.I)
_ISO_DATE = re.compile(r"^(?P<v>\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2})?\S*)?$")
# "WASHINGTON (Reuters) -", "KYIV, Ukraine (AP) —": place in capitals, agency in brackets.
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'\- ]{1,40})(?:,\s*[A-Z][\w. ]{1,30})?"
    r"\s*\((?P<agency>[^()]{2,40})\)\s*[-—–]+"
)
_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d", "%d/%m/%Y")
_SENTENCE_END = (".", ",", ";", ":", "。", "，", "！", "？", "；", "：")  # CJK full-width too


@dataclass(slots=True)
class _Header:
    title: str | None = None
    source: str | None = None
    published: str | None = None


def read_text(data: bytes, path: str, input_id: str | None) -> Iterator[RawArticle | Rejected]:
    """Yield one article from a plain-text file, or a Rejected saying why not."""
    try:
        text = decode_text(data)
    except ValueError as exc:
        yield Rejected(path, None, f"not readable as text: {exc}")
        return
    body, header = split_header(text.strip())
    yield RawArticle(
        text=body,
        origin=path,
        input_id=input_id,
        title=header.title,
        source=header.source,
        published=header.published,
    )


def split_header(text: str) -> tuple[str, _Header]:
    """Take headline, source and date lines off the top (and a source line off the end)."""
    header = _Header()
    lines = text.split("\n")
    taken = 0
    while taken < min(len(lines) - 1, _HEADER_LINES):
        line = lines[taken].strip()
        if not line and taken > 0:
            taken += 1
            continue
        if not _take_line(line, header, first=taken == 0):
            break
        taken += 1
    lines = lines[taken:]
    if header.source is None and len(lines) > 1:
        match = _SOURCE.match(lines[-1].strip())
        if match:
            header.source = match.group("v").strip()
            lines = lines[:-1]
    body = "\n".join(lines).strip()
    _note_dateline(body, header)
    return body, header


def _take_line(line: str, header: _Header, first: bool) -> bool:
    """Record what a header line says; False when it is body text."""
    match = _SOURCE.match(line)
    if match and header.source is None:
        header.source = match.group("v").strip()
        return True
    date = _line_date(line)
    if date and header.published is None:
        header.published = date
        return True
    if first and is_headline(line):
        header.title = line
        return True
    return False


def _line_date(line: str) -> str | None:
    """The ISO date of a `Published: ...` or bare date line, else None."""
    match = _PUBLISHED.match(line)
    return parse_date(match.group("v") if match else line)


def parse_date(value: str) -> str | None:
    """An ISO `YYYY-MM-DD` when all of `value` is a date in a common spelling, else None."""
    value = value.strip()
    iso = _ISO_DATE.match(value)
    if iso:
        return _valid_iso(iso.group("v"))
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _valid_iso(value: str) -> str | None:
    try:
        return datetime.strptime(value, "%Y-%m-%d").date().isoformat()
    except ValueError:
        return None


def is_headline(line: str) -> bool:
    """True for a short line that does not end like a sentence and is not a dateline."""
    if not line or len(line) > MAX_TITLE_CHARS or len(line.split()) > MAX_TITLE_WORDS:
        return False
    if line.rstrip("\"'”’»)").endswith(_SENTENCE_END):
        return False
    return _DATELINE.match(line) is None and _line_date(line) is None


def _note_dateline(body: str, header: _Header) -> None:
    """Take the agency of a `PLACE (Agency) -` dateline as the source; the text keeps it."""
    match = _DATELINE.match(body)
    if match and header.source is None:
        header.source = match.group("agency").strip()
