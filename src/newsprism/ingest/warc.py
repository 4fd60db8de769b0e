"""WARC and WARC.gz web archives: each HTML `response` record is one article.

warcio reads the archive as a stream, record by record (per-record gzip included), so
an archive is never loaded whole. It does not notice a record cut short (it returns
fewer bytes than Content-Length without complaint), so each record's remaining length
is checked here: a truncated archive yields the records before the cut plus one
Rejected. Records other than HTML 2xx responses (requests, metadata, images) are
skipped without a word: they are not articles and not errors.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.limitreader import LimitReader

from ..models import RawArticle, Rejected
from .html import extract_html, host_of

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHUNK = 65_536


class _Broken(Exception):
    """A record that cannot be read; its message is the reason."""


class _TooBig(Exception):
    """A record whose body is over the size limit: skipped, the archive goes on."""


def read_warc(stream: IO[bytes], path: str, max_bytes: int) -> Iterator[RawArticle | Rejected]:
    """Yield an article or a Rejected for each HTML response record of the archive."""
    number = 0
    records = ArchiveIterator(stream)
    try:
        for record in records:
            number += 1
            try:
                item = _read_record(record, path, number, max_bytes)
            except _Broken as exc:
                yield Rejected(path, f"record {number}", str(exc))
                return  # the stream position is lost: nothing after this can be trusted
            if item is not None:
                yield item
        if _ends_early(records, stream):
            reason = "truncated WARC: the archive ends inside a record"
            yield Rejected(path, f"record {number + 1}", reason)
    # warcio raises a variety of errors (ArchiveLoadFailed, EOFError, zlib.error,
    # ValueError...) on corrupt input; each means "the archive is broken from here".
    except Exception as exc:
        yield Rejected(path, f"record {number + 1}", f"broken WARC record: {_why(exc)}")
    finally:
        records.close()


def _read_record(
    record: Any, path: str, number: int, max_bytes: int
) -> RawArticle | Rejected | None:
    """An article from one record, None for a record that is not an HTML page."""
    if record.rec_type is None or record.length is None:
        raise _Broken("record header is incomplete (truncated WARC?)")
    try:
        body = _html_body(record, max_bytes)
    except _TooBig as exc:
        _drain(record)
        return Rejected(path, f"record {number}", str(exc))
    _drain(record)
    if body is None:
        return None
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


def _html_body(record: Any, max_bytes: int) -> bytes | None:
    """The decoded HTTP body of an HTML 2xx response, None for any other record."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    status = record.http_headers.get_statuscode() or ""
    content_type = (record.http_headers.get_header("Content-Type") or "").lower()
    if not status.startswith("2") or not content_type.startswith(_HTML_TYPES):
        return None
    stream = record.content_stream()
    chunks: list[bytes] = []
    size = 0
    while chunk := stream.read(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise _TooBig(f"record body is over max_file_bytes={max_bytes}")
        chunks.append(chunk)
    return b"".join(chunks)


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


def _warc_date(record: Any) -> str | None:
    value = record.rec_headers.get_header("WARC-Date")
    return value.strip() or None if isinstance(value, str) else None


def _why(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
