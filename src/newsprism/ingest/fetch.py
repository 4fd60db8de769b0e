"""Fetch one http(s) URL the user named, within a time and size budget.

URLs are fetched only because the user gave them on the command line (or, for feeds,
asked for the entry pages with `fetch=True`), never because an input mentioned them.
The opener is built by hand with only the HTTP(S) handlers, so no redirect can lead to
`file:` or `ftp:`, and each redirect is checked again. A body larger than
`fetch_max_bytes` is refused rather than silently cut: half a page is a wrong article.
"""

from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.request
from typing import IO
from urllib.parse import urlsplit

from ..errors import InputError
from ..settings import Settings

MAX_REDIRECTS = 5
USER_AGENT = "newsprism/0.1 (+https://github.com/newsprism)"
_CHUNK = 65_536


class _RedirectHandler(urllib.request.HTTPRedirectHandler):
    """Follows at most MAX_REDIRECTS redirects, and only to http(s) URLs."""

    max_redirections = MAX_REDIRECTS
    max_repeats = 2

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        if urlsplit(newurl).scheme.lower() not in {"http", "https"}:
            fp.close()
            raise InputError(req.full_url, f"redirect to a non-http(s) URL refused: {newurl}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener() -> urllib.request.OpenerDirector:
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        _RedirectHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


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
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with _opener().open(request, timeout=timeout) as response:
            return _read_capped(url, response, limit, time.monotonic() + timeout)
    except urllib.error.HTTPError as exc:
        exc.close()
        if "infinite loop" in str(exc.reason):  # urllib's words for too many redirects
            raise InputError(url, f"too many redirects (more than {MAX_REDIRECTS})") from None
        if 300 <= exc.code < 400:
            raise InputError(url, f"redirect refused: {exc.reason}") from None
        raise InputError(url, f"HTTP {exc.code}: {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise InputError(url, f"cannot fetch: {exc.reason}") from None
    except TimeoutError:
        raise InputError(url, f"timed out after {timeout:g} s (fetch_timeout)") from None
    except (OSError, ValueError, http.client.HTTPException) as exc:
        raise InputError(url, f"cannot fetch: {exc}") from None


def _read_capped(url: str, response: IO[bytes], limit: int, deadline: float) -> bytes:
    """Read the body in chunks, stopping as soon as it passes `limit` or the deadline."""
    declared = getattr(response, "headers", {}).get("Content-Length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise InputError(url, _too_big(f"{int(declared)} bytes", limit))
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read(_CHUNK):
        size += len(chunk)
        if size > limit:
            raise InputError(url, _too_big(f"more than {limit} bytes", limit))
        if time.monotonic() > deadline:
            raise InputError(url, "timed out while reading the body (fetch_timeout)")
        chunks.append(chunk)
    return b"".join(chunks)


def _too_big(size: str, limit: int) -> str:
    return f"response body is {size}, over fetch_max_bytes={limit}"
