"""JSON Feed 1.0 and 1.1 (jsonfeed.org): each item is one article, as an RSS entry is.

Real publishers serve it beside RSS, pretty-printed over many lines, so it was read as
JSONL and gave one "invalid JSON" per line (issue 14). The item's text is its fullest
body: `content_html` flattened like an RSS entry's HTML, else `content_text`, else
`summary`. The fields map as an RSS entry's do: `id` (else `url`) is the article id,
`date_published` (else `date_modified`) the date, `authors` (1.1) or `author` (1.0) of
the item, else of the feed, the author; the feed's `title` names the source. A file that
is not valid JSON Feed is one Rejected with the reason, never one per line or item.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from ..models import RawArticle, Rejected
from .decode import decode_text
from .html import html_to_text

VERSION_PREFIXES = ("https://jsonfeed.org/version/", "http://jsonfeed.org/version/")
Fetcher = Callable[[str], bytes]
Refetch = Callable[[RawArticle, str, str, int], RawArticle | Rejected]


def is_json_feed(value: object) -> bool:
    """True for a decoded JSON document that declares a JSON Feed version."""
    version = value.get("version") if isinstance(value, dict) else None
    return isinstance(version, str) and version.startswith(VERSION_PREFIXES)


def read_json_feed(
    data: bytes, path: str, refetch: Refetch | None = None
) -> Iterator[RawArticle | Rejected]:
    """Yield an article or a Rejected for each item; `refetch` reads each item's page."""
    try:
        feed = json.loads(decode_text(data))
    except json.JSONDecodeError as exc:
        yield Rejected(path, None, f"invalid JSON Feed: {exc.msg} at line {exc.lineno}")
        return
    except (ValueError, RecursionError) as exc:
        yield Rejected(path, None, f"invalid JSON Feed: {str(exc)[:200] or type(exc).__name__}")
        return
    yield from feed_items(feed, path, refetch)


def feed_items(
    feed: object, path: str, refetch: Refetch | None = None
) -> Iterator[RawArticle | Rejected]:
    """The items of a decoded JSON Feed document."""
    if not is_json_feed(feed) or not isinstance(feed, dict):
        yield Rejected(path, None, "invalid JSON Feed: no jsonfeed.org 'version'")
        return
    items = feed.get("items")
    if not isinstance(items, list):
        yield Rejected(path, None, "invalid JSON Feed: 'items' is missing or not an array")
        return
    if not items:
        yield Rejected(path, None, "feed has no entries")
        return
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            yield Rejected(path, f"entry {number}", "JSON Feed item is not an object")
            continue
        article = _item_article(item, feed, path, number)
        if refetch is not None and article.url:
            yield refetch(article, article.url, path, number)
        elif article.text:
            yield article
        else:
            reason = "JSON Feed item has no content_html, content_text or summary"
            yield Rejected(path, f"entry {number}", reason)


def _item_article(item: dict[str, Any], feed: dict[str, Any], path: str, number: int) -> RawArticle:
    url = _text(item.get("url")) or _text(item.get("external_url"))
    meta = {k: item[k] for k in ("tags", "image", "external_url") if item.get(k)}
    return RawArticle(
        text=_body(item),
        origin=f"{path}#entry {number}",
        input_id=_text(item.get("id")) or url,
        title=_text(item.get("title")),
        url=url,
        source=_text(feed.get("title")),
        published=_date(item.get("date_published")) or _date(item.get("date_modified")),
        author=_authors(item) or _authors(feed),
        lang=_text(item.get("language")) or _text(feed.get("language")),
        meta=meta,
    )


def _body(item: dict[str, Any]) -> str:
    html = item.get("content_html")
    if isinstance(html, str) and html.strip():
        text = html_to_text(html)
        if text:
            return text
    for name in ("content_text", "summary"):
        value = item.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _authors(obj: dict[str, Any]) -> str | None:
    """`authors` (1.1, a list) or `author` (1.0, one object) as "Name, Name"."""
    people = obj.get("authors")
    if not isinstance(people, list):
        people = [obj.get("author")]
    names = [_text(p.get("name")) for p in people if isinstance(p, dict)]
    return ", ".join(n for n in names if n) or None


def _date(value: object) -> str | None:
    """An RFC 3339 date as a UTC ISO timestamp (as feeds give), None when unreadable."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).isoformat()


def _text(value: object) -> str | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)  # JSON Feed 1.0 allowed numeric ids
    return value.strip() or None if isinstance(value, str) else None
