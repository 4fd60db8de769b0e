"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds with feedparser: each entry is one article.

feedparser is always handed the bytes as a stream: given a string that looks like a URL
or a file name it would fetch or open it itself, bypassing the fetch budget and the
user's say-so. Entry pages are fetched only with `fetch=True`, through fetch.py. A
"bozo" (not well-formed) feed is still read when entries come out of it, because real
feeds are often slightly broken and the entries are fine. A DOCTYPE internal subset is
resolved by doctype.py first, so feedparser never expands or fetches an entity.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import feedparser

from ..errors import InputError
from ..models import RawArticle, Rejected
from ..settings import Settings
from .doctype import UnsafeEntities, resolve_doctype
from .html import extract_html, html_to_text

Fetcher = Callable[[str], bytes]


def read_feed(
    data: bytes, path: str, fetcher: Fetcher | None = None, max_bytes: int | None = None
) -> Iterator[RawArticle | Rejected]:
    """Yield an article or a Rejected for each entry; `fetcher` given = fetch entry pages.

    `max_bytes` bounds the feed once its DOCTYPE entities are expanded (doctype.py);
    None means the `max_file_bytes` default.
    """
    limit = int(Settings().max_file_bytes) if max_bytes is None else max_bytes
    try:
        data = resolve_doctype(data, limit)
    except UnsafeEntities as exc:
        yield Rejected(path, None, f"unsafe feed: {exc}")
        return
    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True)
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            yield Rejected(path, None, f"not a readable feed: {parsed.get('bozo_exception')}")
        else:
            yield Rejected(path, None, "feed has no entries")
        return
    source = _plain(parsed.get("feed", {}).get("title_detail")) or None
    for number, entry in enumerate(entries, start=1):
        try:
            yield _entry_article(entry, path, number, source, fetcher)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            # feedparser entries are loosely typed dicts; a malformed one is one Rejected.
            yield Rejected(path, f"entry {number}", f"unreadable feed entry: {exc}")


def _entry_article(
    entry: Any, path: str, number: int, source: str | None, fetcher: Fetcher | None
) -> RawArticle | Rejected:
    link = entry.get("link") or None
    base = RawArticle(
        text=_entry_text(entry),
        origin=f"{path}#entry {number}",
        input_id=entry.get("id") or link,
        title=_plain(entry.get("title_detail")) or None,
        url=link,
        source=source,
        published=_iso(entry.get("published_parsed") or entry.get("updated_parsed")),
        author=entry.get("author") or None,
        lang=(entry.get("title_detail") or {}).get("language") or None,
    )
    if fetcher is None or not link:
        if not base.text:
            return Rejected(path, f"entry {number}", "feed entry has no content or summary")
        return base
    return with_page(base, link, path, number, fetcher)


def with_page(
    base: RawArticle, link: str, path: str, number: int, fetcher: Fetcher
) -> RawArticle | Rejected:
    """The entry's page, extracted, with the feed's fields filling what the page lacks."""
    try:
        page = fetcher(link)
    except InputError as exc:
        return Rejected(path, f"entry {number}", f"cannot fetch {link}: {exc.reason}")
    item = extract_html(page, base.origin, base.input_id, url=link)
    if isinstance(item, Rejected):
        return Rejected(path, f"entry {number}", f"{link}: {item.reason}")
    item.title = base.title or item.title
    item.source = base.source or item.source
    item.published = base.published or item.published
    item.author = base.author or item.author
    item.url = link
    item.meta["feed_summary"] = base.text
    return item


def _entry_text(entry: Any) -> str:
    """Plain text of the entry's fullest content, else its summary."""
    for part in entry.get("content") or []:
        text = _plain(part)
        if text:
            return text
    return _plain(entry.get("summary_detail")) or _plain_value(entry.get("summary"))


def _plain(detail: Any) -> str:
    """Text of a feedparser detail dict (`value` + `type`), HTML flattened."""
    if not detail:
        return ""
    value = detail.get("value") or ""
    if "html" in (detail.get("type") or ""):
        return html_to_text(value)
    return value.strip()


def _plain_value(value: object) -> str:
    return html_to_text(value) if isinstance(value, str) else ""


def _iso(parsed: time.struct_time | None) -> str | None:
    """feedparser's UTC struct_time as an ISO 8601 timestamp."""
    if not parsed:
        return None
    try:
        return datetime(*parsed[:6], tzinfo=UTC).isoformat()
    except (TypeError, ValueError):
        return None
