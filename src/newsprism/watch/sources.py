"""SOURCE arguments of `newsprism watch`: feed URLs, or files that list them.

A list file has one feed a line: the URL, then optionally the outlet's name (the rest
of the line), which then names the source of every article from that feed (feeds often
title themselves "Top stories" or "RSS"). Blank lines and lines starting with `#` are
skipped. A bad line is reported with its file and line number; the others are kept.

    https://example.org/rss.xml   Example Times
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..models import Rejected

MAX_LIST_BYTES = 1_000_000  # a list of feeds, not a corpus: a bigger file is a mistake


@dataclass(slots=True, frozen=True)
class FeedSource:
    """One feed to poll and the outlet name to credit, when the user gave one."""

    url: str
    outlet: str | None = None


def feed_url_problem(url: str) -> str | None:
    """Why `url` cannot be polled, or None (absolute http(s) with a host)."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"}:
        return f"only http and https feeds are polled, not {parts.scheme or 'a bare path'!r}"
    if not parts.hostname:
        return "the URL has no host"
    return None


def read_sources(args: Sequence[str]) -> tuple[list[FeedSource], list[Rejected]]:
    """Feeds from URLs and list files, in order, without repeats."""
    found: list[FeedSource] = []
    rejected: list[Rejected] = []
    for arg in args:
        if os.path.isfile(arg):
            feeds, bad = _read_list(arg)
            found.extend(feeds)
            rejected.extend(bad)
            continue
        problem = feed_url_problem(arg)
        if problem is None:
            found.append(FeedSource(arg))
        else:
            rejected.append(Rejected(arg, None, f"not a feed URL or a list file: {problem}"))
    seen: set[str] = set()
    unique = []
    for feed in found:
        if feed.url not in seen:
            seen.add(feed.url)
            unique.append(feed)
    return unique, rejected


def _read_list(path: str) -> tuple[list[FeedSource], list[Rejected]]:
    try:
        if os.path.getsize(path) > MAX_LIST_BYTES:
            return [], [Rejected(path, None, f"over {MAX_LIST_BYTES} bytes: not a feed list")]
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        return [], [Rejected(path, None, f"cannot read the feed list: {exc}")]
    feeds, bad = [], []
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        url, *rest = text.split(None, 1)
        problem = feed_url_problem(url)
        if problem is not None:
            bad.append(Rejected(path, f"line {number}", problem))
            continue
        name = rest[0].strip() if rest else None
        feeds.append(FeedSource(url, name))
    return feeds, bad
