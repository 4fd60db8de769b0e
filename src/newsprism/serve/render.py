"""Turning hostile article text and brief dicts into safe, ready-to-template values.

Every string that came from an article (titles, texts, source names, URLs, quotes) is
hostile (issue 6). Templates autoescape; the only HTML built in Python is the
highlighted text, made by escaping each text segment between spans this module writes
itself — the raw text is never inserted, and span attributes carry only our own class
names, integers and escaped titles.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

from ..report.view import outlet_labels, safe_url

__all__ = ["Mark", "article_marks", "highlight", "labels", "parse_span", "path_part", "safe_url"]

ENTITY_CLASSES = {"PERSON": "ent-person", "ORG": "ent-org", "GPE": "ent-place", "LOC": "ent-place"}


@dataclass(frozen=True, slots=True)
class Mark:
    """A span to highlight: `cls` is one of our CSS classes, `cite` a citation number,
    `anchor` an element id for the first piece (so `#hl` scrolls to it)."""

    start: int
    end: int
    cls: str
    title: str | None = None
    cite: int | None = None
    anchor: str | None = None


def path_part(value: Any) -> str:
    """An id as one URL path segment (slashes, `?`, `#`, `..` all percent-encoded)."""
    return quote(str(value), safe="")


def highlight(text: str, marks: Iterable[Mark]) -> Markup:
    """`text` as HTML with each mark wrapped in spans; overlapping marks are fine.

    The text is cut at every mark boundary; each piece is escaped and, if any mark
    covers it, wrapped in one span carrying all covering classes and citation numbers
    (`data-c="3 7"`, which the page script matches with `[data-c~="3"]`). Flat spans
    cannot mis-nest, whatever the offsets. Marks outside the text are dropped.
    """
    size = len(text)
    valid = [m for m in marks if 0 <= m.start < m.end <= size]
    cuts = sorted({0, size, *(m.start for m in valid), *(m.end for m in valid)})
    out: list[str] = []
    anchored: set[str] = set()
    for lo, hi in pairwise(cuts):
        piece = str(escape(text[lo:hi])).replace("\n", '\n<span class="gap"></span>')
        covering = [m for m in valid if m.start <= lo and hi <= m.end]
        if not covering:
            out.append(piece)
            continue
        classes = " ".join(dict.fromkeys(m.cls for m in covering))
        attrs = f' class="{classes}"'
        for m in covering:
            if m.anchor and m.anchor not in anchored:
                anchored.add(m.anchor)
                attrs += f' id="{escape(m.anchor)}"'
        cites = " ".join(str(m.cite) for m in covering if m.cite is not None)
        if cites:
            attrs += f' data-c="{cites}"'
        titles = "; ".join(dict.fromkeys(m.title for m in covering if m.title))
        if titles:
            attrs += f' title="{escape(titles)}"'
        out.append(f"<span{attrs}>{piece}</span>")
    return Markup("".join(out))


def _speech(quote: dict[str, Any]) -> str:
    """What a quote mark is called: indirect speech has no quotation marks (issue 13)."""
    return "reported speech" if quote.get("kind") == "indirect" else "quote"


def article_marks(article: dict[str, Any], hl: tuple[int, int] | None) -> list[Mark]:
    """Entities, quotes, quantities and dates of an `article ID --json` dict, plus the
    span a citation link asked to highlight."""
    marks = [
        Mark(q["start"], q["end"], "quote", f"{_speech(q)} — {q['speaker'] or 'unattributed'}")
        for q in article["quotes"]
    ]
    for m in article["entities"]:
        cls = ENTITY_CLASSES.get(m["type"], "ent-other")
        marks.append(Mark(m["start"], m["end"], f"ent {cls}", f"{m['canonical']} ({m['type']})"))
    for q in article["quantities"]:
        unit = f" {q['unit']}" if q.get("unit") else ""
        marks.append(Mark(q["start"], q["end"], "qty", f"{q['kind']}: {q['value']:g}{unit}"))
    for d in article["dates"]:
        marks.append(Mark(d["start"], d["end"], "date", f"date: {d['value'] or 'unresolved'}"))
    if hl is not None:
        marks.append(Mark(hl[0], hl[1], "hl", anchor="hl"))
    return marks


def parse_span(value: str | None) -> tuple[int, int] | None:
    """`"120-188"` -> (120, 188); anything else -> None (the parameter is optional)."""
    start, sep, end = (value or "").partition("-")
    if not sep or not start.isdigit() or not end.isdigit() or len(value or "") > 24:
        return None
    return int(start), int(end)


def labels(articles: Sequence[dict[str, Any]]) -> dict[str, str]:
    """Article id -> a short column label: its outlet, numbered when an outlet repeats."""
    return outlet_labels(articles)
