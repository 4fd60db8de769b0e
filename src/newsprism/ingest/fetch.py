"""Fetch one http(s) URL the user named, within a time and size budget.

URLs are fetched only because the user gave them on the command line (or, for feeds,
asked for the entry pages with `fetch=True`), never because an input mentioned them.
The HTTP is httpx's, the same client `watch` uses (issue 15: no home-made HTTP); httpx
speaks only http(s), so no redirect can lead to `file:` or `ftp:`. A body larger than
`fetch_max_bytes` is refused rather than silently cut: half a page is a wrong article.
`read_body` is that bounded read, shared with the watcher's polite client.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

import httpx

from .._version import __version__
from ..errors import InputError
from ..settings import Settings

MAX_REDIRECTS = 5
USER_AGENT = f"newsprism/{__version__} (+https://github.com/newsprism)"


def check_url(url: str) -> None:
    """Raise InputError unless `url` is an absolute http(s) URL with a host."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"}:
        raise InputError(url, f"only http and https URLs are fetched, not {parts.scheme!r}")
    if not parts.hostname:
        raise InputError(url, "the URL has no host")


def fetch_url(url: str, settings: Settings) -> bytes:
    """The body of `url`, or InputError naming the reason (status, timeout, size, scheme)."""
    check_url(url)
    timeout = float(settings.fetch_timeout)
    limit = int(settings.fetch_max_bytes)
    client = httpx.Client(follow_redirects=True, max_redirects=MAX_REDIRECTS, timeout=timeout,
                          headers={"User-Agent": USER_AGENT})  # fmt: skip
    try:
        with client, client.stream("GET", url) as response:
            if response.is_redirect:  # a 3xx httpx could not follow (no Location)
                raise InputError(url, f"redirect refused: HTTP {response.status_code}")
            if response.status_code >= 400:
                raise InputError(url, f"HTTP {response.status_code}: {response.reason_phrase}")
            deadline = time.monotonic() + timeout
            return read_body(response.iter_bytes(), response.headers, url, deadline, limit)
    except httpx.TooManyRedirects:
        raise InputError(url, f"too many redirects (more than {MAX_REDIRECTS})") from None
    except httpx.UnsupportedProtocol as exc:
        raise InputError(url, f"redirect to a non-http(s) URL refused: {exc}") from None
    except httpx.TimeoutException:
        raise InputError(url, f"timed out after {timeout:g} s (fetch_timeout)") from None
    except httpx.HTTPError as exc:
        raise InputError(url, f"cannot fetch: {exc}") from None


def read_body(
    chunks: Iterable[bytes], headers: Mapping[str, str], origin: str, deadline: float, limit: int
) -> bytes:
    """The (unpacked) body, abandoned as soon as it passes `limit` bytes or the deadline.

    A declared Content-Length over the limit is refused before reading, unless the body
    is content-encoded (the declared size is then the packed one).
    """
    declared = headers.get("Content-Length")
    packed = headers.get("Content-Encoding")
    if declared and declared.isdigit() and not packed and int(declared) > limit:
        raise InputError(origin, _too_big(f"{declared} bytes", limit))
    parts: list[bytes] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise InputError(origin, _too_big(f"more than {limit} bytes", limit))
        if time.monotonic() > deadline:
            raise InputError(origin, "timed out while reading the body (fetch_timeout)")
        parts.append(chunk)
    return b"".join(parts)


def _too_big(size: str, limit: int) -> str:
    return f"response body is {size}, over fetch_max_bytes={limit}"
