"""WARC and WARC.gz web archives: each HTML `response` record is one article.

warcio reads the archive as a stream, record by record (per-record gzip included), so
an archive is never loaded whole. It does not notice a record cut short (it returns
fewer bytes than Content-Length without complaint), so each record's remaining length
is checked here: a truncated archive yields the records before the cut plus one
Rejected. Records other than HTML 2xx responses (requests, metadata, redirects, images)
are not articles and not errors: each is a skipped `Note` whose reason the ingest
summary counts, so an archive that gives no article says why (issue 14). warcio prints
its warnings straight to stderr; they are caught around each step and become warning
`Note`s naming the file and record.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
from collections.abc import Iterator
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.limitreader import LimitReader

from ..models import Note, RawArticle, Rejected
from .html import extract_html, host_of

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHUNK = 65_536
_MAX_WARNING_CHARS = 300  # warcio quotes the offending bytes; a line of them is enough
_SPACES = re.compile(r"\s+")

Item = RawArticle | Rejected | Note


class _Broken(Exception):
    """A record that cannot be read; its message is the reason."""


class _TooBig(Exception):
    """A record whose body is over the size limit: skipped, the archive goes on."""


def read_warc(stream: IO[bytes], path: str, max_bytes: int) -> Iterator[Item]:
    """Yield an article, a Rejected or a Note for each record of the archive."""
    records = ArchiveIterator(stream)
    number = 0
    try:
        while True:
            number += 1
            with _warcio_output() as heard:
                items, last = _step(records, stream, path, number, max_bytes)
            yield from _warnings(heard, path, f"record {number}")
            yield from items
            if last:
                return
    finally:
        records.close()


def _step(
    records: ArchiveIterator, stream: IO[bytes], path: str, number: int, max_bytes: int
) -> tuple[list[Item], bool]:
    """The items of the next record, and whether the archive ends here."""
    where = f"record {number}"
    try:
        record = next(records, None)
        if record is None:
            if _ends_early(records, stream):
                return [
                    Rejected(path, where, "truncated WARC: the archive ends inside a record")
                ], True
            return [], True
        return [_read_record(record, path, number, max_bytes)], False
    except _Broken as exc:
        return [Rejected(path, where, str(exc))], True  # the stream position is lost
    # warcio raises a variety of errors (ArchiveLoadFailed, EOFError, zlib.error,
    # ValueError...) on corrupt input; each means "the archive is broken from here".
    except Exception as exc:
        return [Rejected(path, where, f"broken WARC record: {_why(exc)}")], True


def _read_record(record: Any, path: str, number: int, max_bytes: int) -> Item:
    """An article from one record, a skipped Note for a record that is not an HTML page."""
    if record.rec_type is None or record.length is None:
        raise _Broken("record header is incomplete (truncated WARC?)")
    try:
        body = _html_body(record, max_bytes)
    except _TooBig as exc:
        _drain(record)
        return Rejected(path, f"record {number}", str(exc))
    _drain(record)
    if isinstance(body, str):
        return Note(path, f"record {number}", "skipped", body)
    uri = record.rec_headers.get_header("WARC-Target-URI")
    origin = f"{path}#record {number}"
    item = extract_html(body, origin, uri, url=uri)
    if isinstance(item, Rejected):
        return Rejected(path, f"record {number}", item.reason)
    item.url = uri or item.url
    item.meta["sitename"] = item.source
    item.source = host_of(uri) or item.source
    item.published = item.published or _warc_date(record)
    return item


def _html_body(record: Any, max_bytes: int) -> bytes | str:
    """The decoded HTTP body of an HTML 2xx response, else why the record is skipped."""
    if record.rec_type != "response":
        return f"WARC {record.rec_type} record, not a response"
    if record.http_headers is None:
        return "WARC response without HTTP headers"
    status = (record.http_headers.get_statuscode() or "").strip()
    if not status.startswith("2"):
        return f"HTTP {status[:1] or '?'}xx response{_STATUS_KINDS.get(status[:1], '')}"
    content_type = (record.http_headers.get_header("Content-Type") or "").lower()
    if not content_type.startswith(_HTML_TYPES):
        kind = content_type.split(";")[0].strip() or "no Content-Type"
        return f"not an HTML page ({kind})"
    stream = record.content_stream()
    chunks: list[bytes] = []
    size = 0
    while chunk := stream.read(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise _TooBig(f"record body is over max_file_bytes={max_bytes}")
        chunks.append(chunk)
    return b"".join(chunks)


_STATUS_KINDS = {"1": " (informational)", "3": " (redirect)", "4": " (client error)",
                 "5": " (server error)"}  # fmt: skip


def _drain(record: Any) -> None:
    """Read the rest of the record; raise _Broken when the archive ends inside it."""
    raw = record.raw_stream
    while raw.read(_CHUNK):
        pass
    if isinstance(raw, LimitReader) and raw.limit > 0:
        raise _Broken(f"record ends {raw.limit} bytes early (truncated WARC)")


def _ends_early(records: ArchiveIterator, stream: IO[bytes]) -> bool:
    """True when bytes other than blank lines follow the last whole record.

    warcio stops without a word when the archive ends inside a record header (it
    takes the EOFError for the end of the file), so compare where the last record
    ended with the size of the file.
    """
    info = records.member_info
    end = info[0] + info[1] if info else 0
    try:
        stream.seek(end)
        return bool(stream.read(_CHUNK).strip())
    except (OSError, ValueError):
        return False  # an unseekable stream: the check cannot be made


class _Heard(logging.Handler):
    """What warcio said during one step: its stderr writes and its log records."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.stderr = io.StringIO()
        self.logged: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.logged.append(record.getMessage())


@contextlib.contextmanager
def _warcio_output() -> Iterator[_Heard]:
    """Catch warcio's stderr writes and log warnings for the length of one step.

    The redirect is process-wide while it lasts, so it wraps only warcio's own work,
    never a `yield` (the caller's output must not be caught).
    """
    heard = _Heard()
    logger = logging.getLogger("warcio")
    propagate, logger.propagate = logger.propagate, False
    logger.addHandler(heard)
    try:
        with contextlib.redirect_stderr(heard.stderr):
            yield heard
    finally:
        logger.removeHandler(heard)
        logger.propagate = propagate


def _warnings(heard: _Heard, path: str, where: str) -> Iterator[Note]:
    for message in [heard.stderr.getvalue(), *heard.logged]:
        text = _SPACES.sub(" ", message).strip().removeprefix("WARNING:").strip()
        if text:
            if len(text) > _MAX_WARNING_CHARS:
                text = text[:_MAX_WARNING_CHARS] + "…"
            yield Note(path, where, "warning", f"warcio: {text}")


def _warc_date(record: Any) -> str | None:
    value = record.rec_headers.get_header("WARC-Date")
    return value.strip() or None if isinstance(value, str) else None


def _why(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
