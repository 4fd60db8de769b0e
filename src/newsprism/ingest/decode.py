"""Bytes to text, for every reader.

UTF-8 is tried first because almost all news text is UTF-8, and a strict decode that
succeeds is never wrong. Other encodings go to charset-normalizer, but it cannot tell
the Western single-byte code pages apart on short articles (it calls a cp1252 "très"
cp1250 "trčs"), so when cp1252 scores as well as its best guess, cp1252 wins: it is by
far the most common legacy encoding of English and Western European news.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_WESTERN = {"cp1252", "latin_1", "iso8859_15"}
_TIE = 0.02  # chaos / coherence differences below this are noise on short texts
_MAX_CONTROL_SHARE = 0.05
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_DECLARED = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_.:-]{2,40})""", re.IGNORECASE)


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Decode bytes to text with "\\n" newlines, or raise ValueError saying why not.

    `declared` is an encoding the container named (an HTTP or `<meta>` charset); it is
    tried after UTF-8, before guessing.
    """
    text = _decode(data, declared)
    if text and len(_CONTROL.findall(text)) > _MAX_CONTROL_SHARE * len(text):
        raise ValueError("too many control characters to be text (binary data?)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML or XML head declares (`<meta charset>`, `encoding=`), if any."""
    head = data[:4096]
    match = _DECLARED.search(head) or re.search(rb"""encoding=["']([\w.:-]+)""", head)
    return match.group(1).decode("ascii") if match else None


def _decode(data: bytes, declared: str | None) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise ValueError(f"invalid {encoding} after its byte-order mark: {exc}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise ValueError("contains NUL bytes and no byte-order mark (binary data?)")
    if declared:
        try:
            return data.decode(codecs.lookup(declared).name)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown declaration: guess instead
    return _guess(data)


def _guess(data: bytes) -> str:
    """charset-normalizer's answer, preferring cp1252 among equally good candidates."""
    results = charset_normalizer.from_bytes(data)
    best = results.best()
    if best is None:
        raise ValueError("not text in any known encoding")
    for match in results:
        tied = match.chaos <= best.chaos + _TIE and match.coherence >= best.coherence - _TIE
        # `could_be_from_charset` lists the encodings that decode these bytes identically.
        if tied and _WESTERN.intersection(match.could_be_from_charset):
            try:
                return data.decode("cp1252")
            except UnicodeDecodeError:
                return data.decode("latin-1")  # cp1252 leaves five bytes undefined
    return str(best)
