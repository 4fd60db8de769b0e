"""Decide what format an input is, from its content first.

File names lie (a `.txt` that holds HTML, a feed saved as `.html`, a `.json` that is
JSONL), so the bytes decide and the extension only breaks ties. The caller has already
unwrapped gzip. `sniff` looks at most at the first 64 KiB; when that head is not the
whole input it says so (`complete=False`), and a head cut inside a character is then
read as the start of longer text, never as binary (issue 14). Markup is never taken for
plain text: it is a feed, an HTML page (or fragment), or XML that is neither and is
refused with its root element named.
"""

from __future__ import annotations

import codecs
import json
import re

from lxml.html.defs import tags as HTML_TAGS

from .decode import declared_charset, decode_text, is_iso2022

FORMATS = (
    "warc", "parquet", "jsonl", "json", "jsonfeed", "feed", "html", "xml", "text", "binary",
    "empty",
)  # fmt: skip
HEAD_BYTES = 65_536

# A DOCTYPE may carry an internal subset in brackets (`<!DOCTYPE rss [<!ENTITY ...>]>`).
_PROLOG = re.compile(
    r"\s*(?:<\?.*?\?>|<!--.*?-->|<!doctype\s+(?!html\b)[^>\[]*(?:\[.*?\]\s*)?>)", re.S | re.I
)
_FEED_ROOT = re.compile(r"<(?:rss|feed|rdf:rdf)\b", re.I)
_HTML_ROOT = re.compile(r"<(?:!doctype\s+html|html|head|body|article|div|p|meta|title)\b", re.I)
_ROOT = re.compile(r"<([A-Za-z][\w.-]*)(?::([A-Za-z][\w.-]*))?")
_DOCTYPE_ROOT = re.compile(r"<!doctype\s+([A-Za-z][\w.-]*)(?::([A-Za-z][\w.-]*))?", re.I)
_FEED_ROOTS = frozenset({"rss", "feed", "rdf"})
_HTML_TAG = re.compile(
    r"</?(?:p|div|span|a|b|i|em|strong|br|h[1-6]|ul|li|img|table|script|meta|body)\b[^>]*>"
)
# Two HTML tags make a fragment: prose that merely mentions one tag stays text.
_MIN_TAGS = 2
# JSON may escape the slashes (NPR serves `"https:\/\/jsonfeed.org\/version\/1"`).
_JSONFEED = re.compile(r'"version"\s*:\s*"https?:\\?/\\?/jsonfeed\.org\\?/version\\?/')
_JSON_START = re.compile(r'\s*(?:\{\s*["}]|\[\s*[{\["\d\]-])')
_EXTENSIONS = {
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
    ".rss": "feed", ".atom": "feed", ".xml": "feed", ".rdf": "feed",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".warc": "warc",
}  # fmt: skip


def sniff(data: bytes, name: str, *, complete: bool = True) -> str:
    """One of FORMATS for `data` named `name`.

    `complete` says whether `data` is the whole input; only its first HEAD_BYTES are
    looked at. "binary" from an incomplete head means "not UTF-8 text at its start":
    the caller may sniff the whole input to be sure.
    """
    head = data[:HEAD_BYTES]
    if not head.strip():
        return "empty"
    if head.startswith(b"WARC/"):
        return "warc"
    if head.startswith(b"PAR1"):
        return "parquet"
    text = _head_text(head, complete=complete and len(data) <= HEAD_BYTES)
    if text is None and complete and len(data) > HEAD_BYTES:
        text = _whole_text(data)  # the head alone was cut inside a character
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
    if text.lstrip().startswith("{") and _JSONFEED.search(text):
        return "jsonfeed"
    if _looks_like_jsonl(text, ext):
        return "jsonl"
    if _JSON_START.match(text):
        return "json"  # one JSON document (an array, or an object over many lines)
    root = _ROOT.match(body) or _DOCTYPE_ROOT.match(body)
    if root is not None:
        return _markup(root, ext)
    if body.startswith(("<?", "<!")):
        return "xml"  # a prolog longer than the head: markup all the same, never text
    if len(_HTML_TAG.findall(text)) >= _MIN_TAGS:
        return "html"
    return "text"


def _markup(root: re.Match[str], ext: str) -> str:
    """Feed or HTML by the root element (or the name for an unknown one), else XML."""
    prefix, local = root.group(1), root.group(2)
    name = (local or prefix).lower()
    if name in _FEED_ROOTS and (local is None or prefix.lower() == "rdf"):
        return "feed"  # named by a DOCTYPE whose internal subset outruns the head
    if (local is None and name in HTML_TAGS) or _EXTENSIONS.get(ext) == "html":
        return "html"
    return "xml"


def root_element(data: bytes) -> str | None:
    """The name of the first element of markup, for messages ("<urlset>")."""
    try:
        text = decode_text(data[:HEAD_BYTES], declared_charset(data))
    except ValueError:
        return None
    body = _skip_prolog(text)
    root = _ROOT.match(body) or _DOCTYPE_ROOT.match(body)
    return ":".join(part for part in root.groups() if part) if root else None


def _head_text(head: bytes, complete: bool) -> str | None:
    """The head decoded, or None when it is binary."""
    if not complete and not is_iso2022(head):
        # A multi-byte character cut at the end of the head is the start of longer text.
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            return decoder.decode(head, final=False).lstrip("\ufeff")
        except UnicodeDecodeError:
            pass
    try:
        return decode_text(head, declared_charset(head)).lstrip("\ufeff")
    except ValueError:
        return None


def _whole_text(data: bytes) -> str | None:
    """The start of the whole input decoded, or None when it is binary."""
    try:
        return decode_text(data, declared_charset(data))[:HEAD_BYTES].lstrip("\ufeff")
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
    # A JSONL file whose first line outruns the head is still JSONL (streamed, each line
    # bounded); a pretty-printed document opens with a lone brace instead.
    return _EXTENSIONS.get(ext) == "jsonl" and lines[0].strip() not in {"{", "["}


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
