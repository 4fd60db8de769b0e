"""JSON Lines: one article per line, as GUIDE.md §3 defines.

The file is read line by line from a stream, each line bounded, so a large corpus
never sits in memory and the first articles come out at once. A bad line is a
Rejected naming its line number; the lines around it still come through.

A file that is one JSON document instead (pretty-printed, or an array) is read whole by
`read_json_document`: a JSON Feed, an article object, or an array of them. Read line by
line it gave one "invalid JSON" per physical line (issue 14).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from ..models import RawArticle, Rejected
from .decode import decode_text
from .jsonfeed import Refetch, feed_items, is_json_feed

STRING_FIELDS = ("title", "url", "source", "author", "lang")
KNOWN_FIELDS = {"id", "text", "published", "date", *STRING_FIELDS}


def read_jsonl(lines: Iterable[bytes], path: str) -> Iterator[RawArticle | Rejected]:
    """Yield an article or a Rejected for each non-blank line of `lines`."""
    for number, raw in enumerate(lines, start=1):
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if not raw.strip():
            continue
        yield parse_line(raw, path, number)


def read_jsonl_stream(
    stream: IO[bytes], path: str, max_line_bytes: int
) -> Iterator[RawArticle | Rejected]:
    """`read_jsonl` over a binary stream, never holding a line longer than `max_line_bytes`.

    The file may be any size; a line over the bound is a Rejected for that line (its
    bytes are skipped without being kept) and the lines after it still come through.
    """
    number = 0
    while raw := stream.readline(max_line_bytes + 1):
        number += 1
        if len(raw) > max_line_bytes:
            while raw and not raw.endswith(b"\n"):  # the rest of the over-long line
                raw = stream.readline(_SKIP_BYTES)
            reason = f"line is over max_file_bytes={max_line_bytes} bytes"
            yield Rejected(path, f"line {number}", reason)
            continue
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if raw.strip():
            yield parse_line(raw, path, number)


_SKIP_BYTES = 1 << 20


def parse_line(raw: bytes | str, path: str, number: int) -> RawArticle | Rejected:
    """One JSONL line to an article; every problem becomes a Rejected for `line N`."""
    record = f"line {number}"
    try:
        line = (raw if isinstance(raw, str) else _decode_line(raw)).strip()
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        return Rejected(path, record, f"invalid JSON at column {exc.colno}: {exc.msg}")
    except (ValueError, RecursionError) as exc:
        return Rejected(path, record, f"invalid JSON: {_short(exc)}")
    if not isinstance(value, dict):
        return Rejected(path, record, f"expected a JSON object, got {_kind(value)}")
    return from_object(value, path, number)


def from_object(
    obj: dict[str, Any], path: str, number: int, unit: str = "line"
) -> RawArticle | Rejected:
    """An article from a decoded JSONL object; unknown fields are kept in `meta`.

    `unit` names what `number` counts ("line"; "item" in a JSON array).
    """
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        return Rejected(path, f"{unit} {number}", "missing a non-empty string 'text' field")
    fields = {name: _string(obj.get(name)) for name in STRING_FIELDS}
    return RawArticle(
        text=text.strip(),
        origin=f"{path}:{unit} {number}",
        input_id=_string(obj.get("id")),
        published=_string(obj.get("published")) or _string(obj.get("date")),
        meta={key: value for key, value in obj.items() if key not in KNOWN_FIELDS},
        **fields,
    )


def read_json_document(
    data: bytes, path: str, refetch: Refetch | None = None
) -> Iterator[RawArticle | Rejected]:
    """One JSON document over many lines: a JSON Feed, one article object, or an array
    of them. Whatever else it holds is one Rejected, never one per physical line."""
    try:
        value = json.loads(decode_text(data))
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        yield Rejected(path, None, f"invalid JSON at {where}: {exc.msg}")
        return
    except (ValueError, RecursionError) as exc:
        yield Rejected(path, None, f"invalid JSON: {_short(exc)}")
        return
    if is_json_feed(value):
        yield from feed_items(value, path, refetch)
    elif isinstance(value, dict):
        yield from_object(value, path, 1, unit="item")
    elif isinstance(value, list) and value:
        for number, obj in enumerate(value, start=1):
            if isinstance(obj, dict):
                yield from_object(obj, path, number, unit="item")
            else:
                yield Rejected(path, f"item {number}", f"expected a JSON object, got {_kind(obj)}")
    else:
        yield Rejected(path, None, f"expected a JSON Feed or article objects, got {_kind(value)}")


def _decode_line(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return decode_text(raw)  # raises ValueError when the line is not text at all


def _string(value: object) -> str | None:
    """A field as text: strings trimmed, numbers spelled out, anything else dropped."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return value.strip() or None
    return None


def _kind(value: object) -> str:
    return _KINDS.get(type(value), "a number")


_KINDS = {
    list: "an array",
    dict: "an object",
    str: "a string",
    type(None): "null",
    bool: "a boolean",
}


def _short(exc: Exception) -> str:
    message = str(exc) or type(exc).__name__
    return message if len(message) <= 200 else message[:200] + "…"
