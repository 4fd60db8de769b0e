"""HTML pages to articles with trafilatura, and HTML fragments to plain text with lxml.

trafilatura finds the main text and the page metadata (title, author, date, site name)
offline; it never fetches. Fragments (feed entry content) are too small for its
main-content heuristics, so they are flattened with lxml instead, keeping paragraph
breaks as newlines.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
import trafilatura

from ..models import RawArticle, Rejected
from .decode import declared_charset, decode_text

NO_TEXT = "no article text found in HTML"
# Only dates the page states in its metadata: a guess from "© 2025" in a footer is worse
# than no date at all.
_DATE_PARAMS: dict[str, Any] = {"extensive_search": False, "original_date": True}
_BLOCKS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "tr", "table", "section", "article", "header", "footer", "pre", "hr",
}  # fmt: skip
_DROP = ("script", "style", "noscript", "template", "iframe")
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANKS = re.compile(r"\n\s*\n")


def extract_html(
    data: bytes | str, origin: str, input_id: str | None, url: str | None = None
) -> RawArticle | Rejected:
    """The main article of an HTML page, or a Rejected when it has no extractable text."""
    try:
        html = data if isinstance(data, str) else decode_text(data, declared_charset(data))
    except ValueError as exc:
        return Rejected(origin, None, f"HTML is not readable text: {exc}")
    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, date_extraction_params=_DATE_PARAMS
        )
    except (ValueError, TypeError, lxml.etree.LxmlError) as exc:
        return Rejected(origin, None, f"HTML could not be parsed: {exc}")
    text = (getattr(doc, "text", None) or "").strip()
    if not text:
        return Rejected(origin, None, NO_TEXT)
    title = _clean(getattr(doc, "title", None))
    return RawArticle(
        text=_drop_title_line(text, title),
        origin=origin,
        input_id=input_id,
        title=title,
        url=_clean(getattr(doc, "url", None)) or url,
        source=_clean(getattr(doc, "sitename", None)) or host_of(url),
        published=_clean(getattr(doc, "date", None)),
        author=_clean(getattr(doc, "author", None)),
    )


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment: tags dropped, blocks on their own lines."""
    if "<" not in fragment:
        return _tidy(fragment)
    try:
        root = lxml.html.fromstring(f"<div>{fragment}</div>")
    except (lxml.etree.LxmlError, ValueError):
        return _tidy(re.sub(r"<[^>]*>", " ", fragment))
    for element in root.iter(*_DROP):
        element.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag in _BLOCKS:
            element.text = "\n" + (element.text or "")
            element.tail = "\n" + (element.tail or "")
    return _tidy(root.text_content())


def host_of(url: str | None) -> str | None:
    """The host of a URL without `www.`, the best source name a bare URL gives."""
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


def _tidy(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    # One newline between paragraphs, as trafilatura writes them.
    return _BLANKS.sub("\n", "\n".join(lines)).strip()


def _drop_title_line(text: str, title: str | None) -> str:
    """trafilatura keeps the page's <h1> as the first line; the title field already has it."""
    first, sep, rest = text.partition("\n")
    if title and sep and first.strip() == title and rest.strip():
        return rest.strip()
    return text


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return value.strip() or None
