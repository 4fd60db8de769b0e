"""Where quotations are: the text inside each pair of quotation marks.

Spans come from the marks themselves (straight, curly and guillemets), paired within
a paragraph so an unpaired mark never swallows the rest of an article (a quote that
runs over paragraphs, news style, is kept paragraph by paragraph). Who said them is
`quotes.py`'s business.
"""

from __future__ import annotations

__all__ = ["MARKS", "MAX_QUOTE_CHARS", "find_quote_spans", "quote_spans", "trim"]

MAX_QUOTE_CHARS = 1500  # longer "quotes" are unpaired marks pairing across text
# Markup attribute values (`tweet_id="7583566..."`) are short; past this it is prose.
MAX_ATTRIBUTE_CHARS = 200
OPENERS, CLOSERS = "“«", "”»"
MARKS = frozenset('"“”«»')
TRIM_TAIL = " \t,;:"


def _straight_closes(text: str, i: int) -> bool:
    """A straight mark closes when glued to the word before it ("...word")."""
    return i > 0 and not text[i - 1].isspace()


def find_quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the text inside each pair of double quotation marks."""
    return [(start, end) for start, end, _ in quote_spans(text)]


def quote_spans(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, continued) of each quotation: the text inside its marks.

    Pairs never cross a newline (a paragraph) nor exceed MAX_QUOTE_CHARS: an unclosed
    mark is dropped rather than allowed to capture the rest of the article, except in
    the news convention for a quote that runs over paragraphs: no closing mark at the
    paragraph's end and an opening one at the next paragraph's start. That paragraph
    is then a quote of its own, `continued` (its speaker is the next quote's).
    Straight marks inside an open curly quote are treated as nested and ignored, and
    so is a markup attribute value (`author="@cspan"`: a straight mark right after
    "="), which leaked HTML/XML in article text would otherwise pair with real quotes.
    """
    spans: list[tuple[int, int, bool]] = []
    open_at: int | None = None
    curly = False
    skip_to = -1
    for i, ch in enumerate(text):
        if i <= skip_to:
            continue
        if ch == '"' and open_at is None and i > 0 and text[i - 1] == "=":
            skip_to = _attribute_end(text, i)  # markup: <tweet author="@cspan">
            continue
        if ch == "\n":
            if open_at is not None and _opens_paragraph(text, i):
                spans.append((open_at + 1, i, True))
            open_at = None
        elif ch in OPENERS:
            open_at, curly = i, True
        elif ch in CLOSERS and open_at is not None:
            spans.append((open_at + 1, i, False))
            open_at = None
        elif ch == '"' and not (open_at is not None and curly):
            if open_at is not None and _straight_closes(text, i):
                spans.append((open_at + 1, i, False))
                open_at = None
            elif i + 1 < len(text) and not text[i + 1].isspace():
                open_at, curly = i, False
    return [(s, e, c) for s, e, c in spans if e - s <= MAX_QUOTE_CHARS]


def _attribute_end(text: str, opening: int) -> int:
    """Where a markup attribute value that opens at `opening` closes (its mark), bounded
    by the line: an unclosed one skips only its mark."""
    close = text.find('"', opening + 1, opening + 1 + MAX_ATTRIBUTE_CHARS)
    newline = text.find("\n", opening + 1, close if close >= 0 else None)
    return close if close >= 0 and newline < 0 else opening


def _opens_paragraph(text: str, newline: int) -> bool:
    """True when the paragraph after this line break starts with an opening mark."""
    rest = text[newline : newline + 20].lstrip()
    return rest[:1] in OPENERS or (rest[:1] == '"' and rest[1:2].strip() != "")


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a quote to its words: no outer spaces, no trailing comma (see module doc)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1] in TRIM_TAIL:
        end -= 1
    return start, end
