"""Bytes to text, for every reader.

The whole input is decoded, never a cut head: a multi-byte character split at a
buffer boundary once made 100 KB Chinese pages look like binary (issue 14). The order:

1. a byte-order mark names the encoding outright;
2. 7-bit text with ISO-2022 escape sequences (`ESC $ B`, `ESC $ ) C`) is ISO-2022-JP/KR,
   which also happens to be valid UTF-8 (so UTF-8 first would keep the escapes as
   garbage): the declared charset or charset-normalizer decides;
3. UTF-8, because almost all news text is UTF-8 and a strict decode that succeeds is
   never wrong;
4. the charset the container declared (HTTP, `<meta>`, `<?xml encoding=?>`);
5. charset-normalizer, which also finds BOM-less UTF-16/32, Johab, Big5, GB18030...

charset-normalizer cannot tell the Western single-byte code pages apart on short
articles (it calls a cp1252 "très" cp1250 "trčs"), so when cp1252 scores as well as its
best guess, cp1252 wins: it is by far the most common legacy encoding of English and
Western European news. Python has no EUC-TW codec, so a file declaring it is refused
with that reason rather than decoded as something else.
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
_WIDE = ("utf_16", "utf_32")  # the only encodings in which text holds NUL bytes
_TIE = 0.02  # chaos / coherence differences below this are noise on short texts
_MAX_CONTROL_SHARE = 0.05
_MAX_BAD_SHARE = 1000  # undecodable bytes allowed after a BOM: one, or one per this many chars
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_DECLARED = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_.:-]{2,40})""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9_.:-]{2,40})["']""")
# ISO-2022 designations: ESC $ @ / ESC $ B / ESC $ ( D (JIS X 0208/0212), ESC $ ) C (KS X 1001),
# ESC $ A / ESC $ ) A / ESC $ * H (GB 2312, CNS 11643 in ISO-2022-CN).
_ISO2022_ESCAPE = re.compile(rb"\x1b\$[@AB]|\x1b\$[()*+][A-Z]")
_SUPERSETS = {"shift_jis": "cp932", "euc_kr": "cp949", "gb2312": "gb18030", "gbk": "gb18030"}
_UNSUPPORTED = {"euc-tw", "euctw", "x-euc-tw", "cns11643"}
DECLARED_HEAD_BYTES = 4096  # a charset declaration must come this early (HTML5 says 1024)


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
    head = data[:DECLARED_HEAD_BYTES]
    match = _DECLARED.search(head) or _XML_ENCODING.search(head)
    return match.group(1).decode("ascii") if match else None


def _decode(data: bytes, declared: str | None) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _after_bom(data[len(bom) :], encoding)
    if declared and declared.strip().lower() in _UNSUPPORTED:
        raise ValueError(f"declared charset {declared!r} has no decoder in Python")
    if b"\x00" not in data and not is_iso2022(data):  # NUL is valid UTF-8, but not text
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    named = codec_of(declared) if declared else None
    # A declaration readable as ASCII cannot be in a file that is really UTF-16/32.
    if named and named.startswith(("utf-16", "utf-32")) == (b"\x00" in data):
        try:
            return data.decode(named)
        except UnicodeDecodeError:
            pass  # a wrong declaration: guess instead
    return _guess(data)


def codec_of(label: str) -> str | None:
    """Python's codec for a declared charset label, None when there is none.

    Pages declare labels Python does not know (`x-sjis`, `x-mac-cyrillic`) and legacy
    CJK sets whose web meaning is a superset (a "Shift_JIS" page is really cp932), as
    the WHATWG Encoding standard maps them.
    """
    name = label.strip().strip("\"'").lower()
    for candidate in (name, name.removeprefix("x-"), name.removeprefix("x-x-")):
        try:
            found = codecs.lookup(candidate).name
        except LookupError:
            continue
        return _SUPERSETS.get(found, found)
    return None


def _after_bom(data: bytes, encoding: str) -> str:
    """Text after a byte-order mark: the mark is trusted, a stray bad byte is replaced.

    A feed with a BOM and one broken byte is a real feed with a typo, not binary.
    """
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        text = data.decode(encoding, errors="replace")
        if text.count("\ufffd") > max(1, len(text) // _MAX_BAD_SHARE):
            raise ValueError(f"invalid {encoding} after its byte-order mark: {exc}") from None
        return text


def is_iso2022(data: bytes) -> bool:
    """True for 7-bit bytes that switch character sets with ISO-2022 escapes."""
    return _ISO2022_ESCAPE.search(data) is not None and data.isascii()


def _guess(data: bytes) -> str:
    """charset-normalizer's answer, preferring cp1252 among equally good candidates."""
    results = charset_normalizer.from_bytes(data)
    best = results.best()
    if best is None:
        raise ValueError("not text in any known encoding (binary data?)")
    if b"\x00" in data and not best.encoding.startswith(_WIDE):
        raise ValueError("contains NUL bytes and is not UTF-16 or UTF-32 (binary data?)")
    for match in results:
        tied = match.chaos <= best.chaos + _TIE and match.coherence >= best.coherence - _TIE
        # `could_be_from_charset` lists the encodings that decode these bytes identically.
        if tied and _WESTERN.intersection(match.could_be_from_charset):
            try:
                return data.decode("cp1252")
            except UnicodeDecodeError:
                return data.decode("latin-1")  # cp1252 leaves five bytes undefined
    return str(best)
