"""A polled feed body to articles: RSS and Atom through the ingest reader, JSON Feed here.

RSS 1.0/2.0 and Atom go through `ingest.feeds.read_feed`, the reader `ingest` uses, so a
watched feed and a saved feed file give the same articles. JSON Feed (jsonfeed.org,
versions 1 and 1.1) is read by `read_json_feed` below until the ingest readers learn it
(issue 14); it yields the same `RawArticle` / `Rejected` values.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from ..ingest.feeds import read_feed
from ..ingest.html import html_to_text
from ..models import RawArticle, Rejected

JSON_FEED_PREFIX = "https://jsonfeed.org/version/"
EMPTY_FEED = "feed has no entries"  # the words of ingest.feeds too: a feed, just empty


def read_body(data: bytes, url: str) -> Iterator[RawArticle | Rejected]:
    """The entries of a feed body (no entry pages are fetched here)."""
    if is_json_feed(data):
        yield from read_json_feed(data, url)
    else:
        yield from read_feed(data, url, None)


def is_json_feed(data: bytes) -> bool:
    """A JSON object whose `version` is a jsonfeed.org URL (looked for in the head only)."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{") and b"jsonfeed.org/version" in head


def read_json_feed(data: bytes, url: str) -> Iterator[RawArticle | Rejected]:
    """Each JSON Feed item as an article (`content_text`, else `content_html`, else
    `summary`); a malformed item is one Rejected naming it."""
    try:
        feed = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        yield Rejected(url, None, f"not a readable JSON Feed: {exc}")
        return
    if not isinstance(feed, dict) or not str(feed.get("version", "")).startswith(JSON_FEED_PREFIX):
        yield Rejected(url, None, "not a JSON Feed: no jsonfeed.org version")
        return
    items = feed.get("items")
    if not isinstance(items, list) or not items:
        yield Rejected(url, None, EMPTY_FEED)
        return
    source = _text(feed.get("title")) or None
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            yield Rejected(url, f"entry {number}", "JSON Feed item is not an object")
            continue
        yield _item_article(item, url, number, source, feed.get("language"))


def _item_article(
    item: Mapping[str, Any], url: str, number: int, source: str | None, lang: Any
) -> RawArticle | Rejected:
    text = _text(item.get("content_text")) or html_to_text(_text(item.get("content_html")))
    text = text or _text(item.get("summary"))
    if not text:
        return Rejected(url, f"entry {number}", "feed entry has no content or summary")
    link = _text(item.get("url")) or None
    return RawArticle(
        text=text,
        origin=f"{url}#entry {number}",
        input_id=_text(item.get("id")) or link,
        title=_text(item.get("title")) or None,
        url=link,
        source=source,
        published=_text(item.get("date_published")) or _text(item.get("date_modified")) or None,
        author=_author(item),
        lang=_text(item.get("language")) or _text(lang) or None,
    )


def _author(item: Mapping[str, Any]) -> str | None:
    authors = item.get("authors")
    first = authors[0] if isinstance(authors, list) and authors else item.get("author")
    return (_text(first.get("name")) or None) if isinstance(first, dict) else None


def _text(value: Any) -> str:
    """A string field, stripped; anything else (numbers, objects, null) is ''."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value.strip() if isinstance(value, str) else ""
