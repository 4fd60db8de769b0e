"""From command-line arguments to articles: expand inputs, read bytes, sniff, dispatch.

Every failure here is a value: `expand_inputs` returns the arguments it could not use
as `Rejected`, and `read_input` yields `Rejected` for a file (or a record in it) that
cannot be read, so one bad input never stops a batch and every drop has a reason.
Text, HTML and feeds are read whole, so their size (on disk, or unpacked from gzip) is
checked against `max_file_bytes` before they are read. JSONL, WARC and Parquet files
are streamed and may be any size (a CC-News WARC is a gigabyte); each of their records
is bounded by `max_file_bytes` instead, so a hostile file still costs at most that much.
"""

from __future__ import annotations

import glob
import gzip
import io
import os
import stat
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal, cast
from urllib.parse import urlsplit

from ..errors import InputError
from ..models import Note, RawArticle, Rejected
from ..settings import Settings
from .decode import decode_text
from .failures import describe
from .feeds import read_feed, with_page
from .fetch import fetch_url
from .html import extract_html
from .jsonfeed import Refetch, read_json_feed
from .jsonl import read_json_document, read_jsonl_stream
from .parquet import read_parquet_articles
from .sniff import HEAD_BYTES, root_element, sniff
from .text import read_text
from .warc import read_warc

_GLOB_CHARS = ("*", "?", "[")
_GZIP_MAGIC = b"\x1f\x8b"
_GZIP_WBITS = 16 + zlib.MAX_WBITS
_CHUNK = 65_536
_URL_SCHEMES = ("http", "https")


@dataclass(slots=True, frozen=True)
class InputRef:
    """One input to read: a local file path or an http(s) URL the user named."""

    path: str
    kind: Literal["file", "url"] = "file"


@dataclass(slots=True)
class _Payload:
    """An input's bytes, reopenable: `name` drives the id and the extension tie-break."""

    name: str
    head: bytes
    open: Callable[[], IO[bytes]]
    size: int | None = None  # bytes on disk, when read whole from a plain local file
    complete: bool = False  # `head` is the whole input


def expand_inputs(args: Sequence[str]) -> tuple[list[InputRef], list[Rejected]]:
    """Files, folders (recursive, sorted, hidden entries skipped), globs and URLs."""
    refs: list[InputRef] = []
    rejected: list[Rejected] = []
    seen: set[str] = set()
    for arg in args:
        found, problem = _expand_one(arg)
        if problem is not None:
            rejected.append(problem)
        for ref in found:
            key = ref.path if ref.kind == "url" else os.path.realpath(ref.path)
            if key not in seen:
                seen.add(key)
                refs.append(ref)
    return refs, rejected


def _expand_one(arg: str) -> tuple[list[InputRef], Rejected | None]:
    if _scheme(arg) and not os.path.exists(arg):
        return _url_ref(arg)
    if os.path.isdir(arg):
        return _walk(arg), None
    if os.path.isfile(arg):
        return [InputRef(arg)], None
    special = not_regular(arg)
    if special is not None:
        return [], Rejected(arg, None, special)
    if any(c in arg for c in _GLOB_CHARS):
        files = _glob(arg)
        return files, None if files else Rejected(arg, None, "no file matches this pattern")
    return [], Rejected(arg, None, "no such file or folder")


_SPECIAL = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
            (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))  # fmt: skip


def not_regular(path: str) -> str | None:
    """Why `path` exists but is not a regular file or folder, None otherwise.

    `/dev/zero` never ends and a FIFO blocks its reader until a writer comes: neither
    is opened, and neither is reported as missing (issue 14).
    """
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    kind = next((name for test, name in _SPECIAL if test(mode)), "a special file")
    return f"not a regular file: {kind}"


def _scheme(arg: str) -> str | None:
    """The URL scheme of `arg` (`http`, `ftp`, `javascript`...), None for a plain path."""
    scheme = urlsplit(arg).scheme
    return scheme.lower() if len(scheme) > 1 else None  # "C:" is a drive, not a scheme


def _url_ref(arg: str) -> tuple[list[InputRef], Rejected | None]:
    scheme = _scheme(arg)
    if scheme not in _URL_SCHEMES:
        reason = f"unsupported URL scheme {scheme!r}: only http and https URLs are read"
        return [], Rejected(arg, None, reason)
    if not urlsplit(arg).hostname:
        return [], Rejected(arg, None, "the URL has no host")
    return [InputRef(arg, "url")], None


def _walk(folder: str) -> list[InputRef]:
    """Every file under `folder`, sorted, skipping hidden files and folders.

    Special files (FIFOs, devices) are kept: `_load` refuses each with its reason
    instead of dropping it without a word.
    """
    found: list[str] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(os.path.join(root, f) for f in files if not f.startswith("."))
    return [InputRef(p) for p in sorted(found) if os.path.isfile(p) or not_regular(p)]


def _glob(pattern: str) -> list[InputRef]:
    """Matches of a glob; wildcards (`**` too) skip hidden names, as in a shell."""
    refs: list[InputRef] = []
    for match in sorted(glob.glob(pattern, recursive=True)):
        if os.path.isdir(match):
            refs.extend(_walk(match))
        elif os.path.isfile(match) or not_regular(match):
            refs.append(InputRef(match))
    return refs


def read_input(
    ref: InputRef,
    settings: Settings,
    fetch: bool = False,
    on_note: Callable[[Note], None] | None = None,
) -> Iterator[RawArticle | Rejected]:
    """Yield the articles of one input, and a Rejected for each part that cannot be read.

    `fetch=True` also fetches the page behind each feed entry's link. Records skipped on
    purpose and library warnings go to `on_note` (dropped without one).
    """
    try:
        for item in _read(ref, settings, fetch):
            if isinstance(item, Note):
                if on_note is not None:
                    on_note(item)
            elif isinstance(item, RawArticle):
                yield checked_length(item, ref.path, settings)
            else:
                yield item
    except _GzipError as exc:  # found mid-stream in a gzipped JSONL file
        yield Rejected(ref.path, None, str(exc))
    except Exception as exc:  # a reader bug must not end the batch; report it instead
        yield Rejected(ref.path, None, f"unexpected error: {describe(exc)}")


Item = RawArticle | Rejected | Note


def _read(ref: InputRef, settings: Settings, fetch: bool) -> Iterator[Item]:
    payload = _load(ref, settings)
    if isinstance(payload, Rejected):
        yield payload
        return
    if payload.head.startswith(_GZIP_MAGIC):
        payload = _gunzipped(ref, payload, int(settings.max_file_bytes))
        if isinstance(payload, Rejected):
            yield payload
            return
    yield from _dispatch(
        _format(payload, int(settings.max_file_bytes)), ref, payload, settings, fetch
    )


def _format(payload: _Payload, limit: int) -> str:
    """The sniffed format; a head that looks binary is checked against the whole input.

    A head of non-UTF-8 text can be cut inside a character; only the whole (bounded)
    input can say it is binary (issue 14).
    """
    fmt = sniff(payload.head, payload.name, complete=payload.complete)
    if fmt != "binary" or payload.complete or (payload.size or 0) > limit:
        return fmt
    with payload.open() as stream:
        return sniff(read_bounded(stream, limit), payload.name)


def _dispatch(
    fmt: str, ref: InputRef, payload: _Payload, settings: Settings, fetch: bool
) -> Iterator[Item]:
    path, limit = ref.path, int(settings.max_file_bytes)
    if fmt in {"empty", "binary"}:
        yield Rejected(path, None, "empty file" if fmt == "empty" else _binary(payload.head))
        return
    if fmt == "xml":
        root = root_element(payload.head) or "?"
        yield Rejected(path, None, f"XML with root element <{root}> is neither a feed nor a page")
        return
    if fmt == "parquet":
        if ref.kind == "url":
            yield Rejected(path, None, "Parquet is read from local files only")
        else:
            yield from read_parquet_articles(path)
        return
    if fmt not in STREAMED and payload.size is not None and payload.size > limit:
        yield Rejected(path, None, f"file is {payload.size} bytes, over max_file_bytes={limit}")
        return
    with payload.open() as stream:
        if fmt == "jsonl":
            yield from read_jsonl_stream(stream, path, limit)
            return
        if fmt == "warc":
            yield from read_warc(stream, path, limit)
            return
        data = read_bounded(stream, limit)
    input_id = ref.path if ref.kind == "url" else _stem(payload.name)
    fetcher = (lambda url: fetch_url(url, settings)) if fetch else None
    if fmt == "html":
        yield extract_html(data, path, input_id, url=ref.path if ref.kind == "url" else None)
    elif fmt == "feed":
        yield from read_feed(data, path, fetcher, limit)
    elif fmt in {"jsonfeed", "json"}:
        refetch = _refetch(fetcher)
        reader = read_json_feed if fmt == "jsonfeed" else read_json_document
        yield from reader(data, path, refetch)
    else:
        yield from read_text(data, path, input_id)


def _refetch(fetcher: Callable[[str], bytes] | None) -> Refetch | None:
    """`with_page` bound to a fetcher: a JSON Feed item's page, as for an RSS entry."""
    if fetcher is None:
        return None
    return lambda article, url, path, number: with_page(article, url, path, number, fetcher)


_BINARY = "binary file: not text, HTML, a feed, JSONL or WARC"


def _binary(head: bytes) -> str:
    """The binary-file reason, with the decoder's own words when it has some to add."""
    try:
        decode_text(head)
    except ValueError as exc:
        if "binary" not in str(exc):  # e.g. "invalid utf-8 after its byte-order mark"
            return f"{_BINARY} ({exc})"
    return _BINARY


STREAMED = frozenset({"jsonl", "warc", "parquet"})  # read record by record, any file size


def _load(ref: InputRef, settings: Settings) -> _Payload | Rejected:
    """The input's head and a way to reopen it, or a Rejected for a missing / huge file."""
    if ref.kind == "url":
        try:
            data = fetch_url(ref.path, settings)
        except InputError as exc:
            return Rejected(ref.path, None, exc.reason)
        return _in_memory(urlsplit(ref.path).path or "/", data)
    try:
        # O_NONBLOCK: a FIFO put in place of a checked file must not hang the batch.
        fd = os.open(ref.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with open(fd, "rb") as handle:
            mode, size = os.fstat(fd).st_mode, os.fstat(fd).st_size
            if not stat.S_ISREG(mode):
                return Rejected(ref.path, None, not_regular(ref.path) or "not a regular file")
            head = handle.read(HEAD_BYTES)
    except OSError as exc:
        return Rejected(ref.path, None, f"cannot read: {exc.strerror or exc}")
    return _Payload(ref.path, head, lambda: open(ref.path, "rb"), size, len(head) >= size)


def read_bounded(stream: IO[bytes], limit: int) -> bytes:
    """At most `limit` + 1 bytes of `stream`, in chunks.

    `read(limit + 1)` would allocate the whole limit (50 MB by default) up front for
    every file, however small: the peak memory of a batch was that, not its inputs.
    """
    out = bytearray()
    while len(out) <= limit and (chunk := stream.read(min(_CHUNK, limit + 1 - len(out)))):
        out += chunk
    return bytes(out)


def _in_memory(name: str, data: bytes) -> _Payload:
    head = data[:HEAD_BYTES]
    return _Payload(name, head, lambda: io.BytesIO(data), complete=len(head) == len(data))


def _stem(name: str) -> str:
    """The file name without folders and extension: the id GUIDE.md §3 gives files."""
    base = Path(name).name
    base = base[:-3] if base.lower().endswith(".gz") else base
    return Path(base).stem or base


def checked_length(item: RawArticle, path: str, settings: Settings) -> RawArticle | Rejected:
    """The article, or a Rejected when its text is too short or too long to keep."""
    record = item.origin[len(path) :].lstrip(":#") or None
    if len(item.text) < int(settings.min_article_chars):
        return Rejected(path, record, "empty or too short to be an article")
    limit = int(settings.max_article_chars)
    if len(item.text) > limit:
        reason = f"text is {len(item.text)} characters, over max_article_chars={limit}"
        return Rejected(path, record, reason)
    return item


_TRUNCATED = "truncated gzip: the compressed data ends early"


class _GzipError(Exception):
    """Gzip data that cannot be unpacked; the message is the reason."""


class _GzipStream(gzip.GzipFile):
    """A gzip file unpacked as it is read, whose damage is reported as a `_GzipError`."""

    def __init__(self, raw: IO[bytes]) -> None:
        super().__init__(fileobj=raw, mode="rb")
        self._raw = raw

    def read(self, size: int | None = -1) -> bytes:
        return self._guard(super().read, size)

    def readline(self, size: int | None = -1) -> bytes:
        return self._guard(super().readline, size)

    def _guard(self, method: Callable[[int | None], bytes], size: int | None) -> bytes:
        try:
            return method(size)
        except EOFError:
            raise _GzipError(_TRUNCATED) from None
        except (OSError, zlib.error) as exc:
            raise _GzipError(f"corrupt gzip data: {exc}") from None

    def close(self) -> None:
        super().close()
        self._raw.close()


def _gunzipped(ref: InputRef, payload: _Payload, limit: int) -> _Payload | Rejected:
    """The payload unpacked, bounded by `limit`; streamed formats are unpacked as read.

    A gzipped WARC stays packed (warcio reads it streaming); gzipped JSONL is unpacked
    on the fly, so neither is limited in size.
    """
    name = payload.name[:-3] if payload.name.lower().endswith(".gz") else payload.name
    try:
        with payload.open() as stream:
            head = _gunzip(stream, HEAD_BYTES, partial=True)
        if head.startswith(b"WARC/"):
            return _Payload(name, head, payload.open)
        if sniff(head, name, complete=len(head) < HEAD_BYTES) == "jsonl":
            return _Payload(name, head, lambda: cast(IO[bytes], _GzipStream(payload.open())))
        with payload.open() as stream:
            return _in_memory(name, _gunzip(stream, limit, partial=False))
    except _GzipError as exc:
        return Rejected(ref.path, None, str(exc))


def _gunzip(stream: IO[bytes], limit: int, partial: bool) -> bytes:
    """Unpack every gzip member of `stream`, never holding more than `limit` + 1 bytes.

    `partial=True` returns the first `limit` bytes (for sniffing) and tolerates a cut.
    Bytes after the last member that do not start another one are ignored, as gzip does.
    """
    out = bytearray()
    unpack: zlib._Decompress | None = None  # None between members
    members = 0
    while chunk := stream.read(_CHUNK):
        while chunk:
            if unpack is None:
                if members and not _GZIP_MAGIC.startswith(chunk[:2]):
                    return bytes(out)
                unpack = zlib.decompressobj(_GZIP_WBITS)
            try:
                out += unpack.decompress(chunk, limit + 1 - len(out))
            except zlib.error as exc:
                raise _GzipError(f"corrupt gzip data: {exc}") from None
            if len(out) > limit:
                if partial:
                    return bytes(out[:limit])
                raise _GzipError(f"unpacked size is over max_file_bytes={limit}")
            if unpack.eof:
                chunk, unpack, members = unpack.unused_data, None, members + 1
            else:
                chunk = unpack.unconsumed_tail
    if unpack is not None and not partial:
        raise _GzipError(_TRUNCATED)
    return bytes(out)
