"""Decide what format an input is, from its content first.

File names lie (a `.txt` that holds HTML, a feed saved as `.html`, a `.json` that is
JSONL), so the bytes decide and the extension only breaks ties. The caller has already
unwrapped gzip. Only the head of a file is needed: `sniff` reads at most 64 KiB.
"""

from __future__ import annotations

import codecs
import json
import re

from .decode import decode_text

FORMATS = ("warc", "parquet", "jsonl", "feed", "html", "text", "binary", "empty")
HEAD_BYTES = 65_536

_PROLOG = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->|<!doctype\s+(?!html)[^>]*>)", re.S | re.I)
_FEED_ROOT = re.compile(r"<(?:rss|feed|rdf:rdf)\b", re.I)
_HTML_ROOT = re.compile(r"<(?:!doctype\s+html|html|head|body|article|div|p|meta|title)\b", re.I)
_HTML_TAG = re.compile(r"</?(?:p|div|span|a|br|h[1-6]|ul|li|img|table|script|meta|body)\b[^>]*>")
_MIN_TAGS = 5
_EXTENSIONS = {
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
    ".rss": "feed", ".atom": "feed", ".xml": "feed", ".rdf": "feed",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".warc": "warc",
}  # fmt: skip


def sniff(data: bytes, name: str) -> str:
    """One of FORMATS for `data` (the whole input or its head) named `name`."""
    head = data[:HEAD_BYTES]
    if not head.strip():
        return "empty"
    if head.startswith(b"WARC/"):
        return "warc"
    if head.startswith(b"PAR1"):
        return "parquet"
    text = _head_text(head, complete=len(data) <= HEAD_BYTES)
    if text is None:
        return "binary"
    if not text.strip():
        return "empty"
    return _sniff_text(text, _extension(name))


def _sniff_text(text: str, ext: str) -> str:
    body = _skip_prolog(text)
    if _FEED_ROOT.match(body):
        return "feed"
    if _HTML_ROOT.match(body):
        return "html"
    if _looks_like_jsonl(text, ext):
        return "jsonl"
    if len(_HTML_TAG.findall(text)) >= _MIN_TAGS:
        return "html"
    hint = _EXTENSIONS.get(ext)
    if body.startswith("<") and hint in {"html", "feed"}:
        return hint
    return "text"


def _head_text(head: bytes, complete: bool) -> str | None:
    """The head decoded, or None when it is binary."""
    if not complete:
        # Cut a multi-byte character split at the end of the head rather than fail on it.
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            return decoder.decode(head, final=False).lstrip("\ufeff")
        except UnicodeDecodeError:
            pass
    try:
        return decode_text(head).lstrip("\ufeff")
    except ValueError:
        return None


def _skip_prolog(text: str) -> str:
    """The text after any XML declaration, comments, processing instructions and DOCTYPE."""
    pos = 0
    while True:
        match = _PROLOG.match(text, pos)
        if match is None:
            return text[pos:].lstrip()
        pos = match.end()


def _looks_like_jsonl(text: str, ext: str) -> bool:
    """True when the non-blank lines are mostly JSON objects (a bad line or two is fine)."""
    lines = [line for line in text.splitlines() if line.strip()][:50]
    if not lines or not lines[0].lstrip().startswith("{"):
        return False
    good = sum(_is_json_object(line) for line in lines)
    # The last line of a head may be cut short: do not count it against the file.
    if good >= max(1, (len(lines) - 1) / 2):
        return True
    return _EXTENSIONS.get(ext) == "jsonl"


def _is_json_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):
        return False


def _extension(name: str) -> str:
    lower = name.lower()
    if lower.endswith(".gz"):
        lower = lower[:-3]
    dot = lower.rfind(".")
    return lower[dot:] if dot > lower.rfind("/") else ""
