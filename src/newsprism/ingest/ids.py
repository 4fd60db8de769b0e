"""Content-hash keys and the text normalisation they hash.

Two inputs are the *same article* when their normalised texts are equal: Unicode NFKC,
typographic quotes and dashes folded to ASCII, case folded and white space collapsed. So
a feed entry and the HTML page of the same story, or a copy with CRLF line ends, share
one key, and the second is recorded as a sighting rather than stored again.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_FOLD = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
        "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00a0": " ",
    }
)  # fmt: skip
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+", re.UNICODE)


def normalise_text(text: str) -> str:
    """The canonical form hashed for exact-duplicate detection."""
    folded = unicodedata.normalize("NFKC", text).translate(_FOLD).casefold()
    return _SPACE.sub(" ", folded).strip()


def content_key(text: str) -> str:
    """A stable 20-hex-digit key from the normalised text (SHA-256 prefix)."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()[:20]


def words(text: str) -> list[str]:
    """Normalised word tokens, shared by shingling and word counts."""
    return _WORD.findall(normalise_text(text))


def clean_stored_text(text: str) -> str:
    """The text as stored: newlines unified, outer white space and NULs removed.

    Every offset later stages cite is into this string, so it is fixed once, here.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return text.strip()
