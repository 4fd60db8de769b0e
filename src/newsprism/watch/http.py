"""The polite HTTP client of `newsprism watch` (issue 15), over httpx.

Manners a feed publisher can expect from us:

- conditional GET: the ETag / Last-Modified of the last answer go back as
  If-None-Match / If-Modified-Since, so an unchanged feed costs a 304 and no body;
- gzip (httpx asks for it and unpacks it) and a User-Agent that says who we are;
- one request at a time per host (a lock per host), at least `watch_host_delay` seconds
  apart, however many feeds the host serves;
- robots.txt is obeyed for the pages of entries (`--fetch`): a feed URL was given by
  the user, the pages it links to were not;
- every body is streamed and abandoned once it passes `fetch_max_bytes` (counted after
  unpacking, so a gzip bomb costs no more) or the `fetch_timeout` deadline (httpx's
  timeouts are per read, so a server that drips a byte a second would never time out);
- redirects are followed by hand, each checked (http(s) only), and a loop — back to a
  URL already visited, or more than `watch_max_redirects` hops — is reported as such.

Failures raise `InputError` with the reason; the caller records it and backs off.
"""

from __future__ import annotations

import threading
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from .._version import __version__
from ..errors import InputError
from ..ingest.fetch import read_body
from ..settings import Settings

USER_AGENT = (
    f"newsprism-watch/{__version__} (news feed reader; polls politely with conditional GET;"
    " +https://github.com/newsprism)"
)
REDIRECTS = frozenset({301, 302, 303, 307, 308})
ROBOTS_TTL = 24 * 3600.0  # RFC 9309 §2.4: a robots.txt may be cached up to 24 hours
ROBOTS_MAX_BYTES = 500_000  # RFC 9309 §2.5: crawlers must read at least 500 KiB


@dataclass(slots=True)
class Fetched:
    """One answer: 200 with its body, or 304 (not modified) with none."""

    url: str  # after redirects
    status: int
    body: bytes
    etag: str | None
    last_modified: str | None


class PoliteClient:
    """An httpx client with the manners in the module docstring. Not for many threads
    at once beyond the per-host lock: `watch` polls one feed at a time."""

    def __init__(
        self,
        settings: Settings,
        sleep: Callable[[float], object] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.timeout = float(settings["fetch_timeout"])
        self.max_bytes = int(settings["fetch_max_bytes"])
        self.delay = float(settings["watch_host_delay"])
        self.max_redirects = int(settings["watch_max_redirects"])
        self._sleep = sleep
        self._client = httpx.Client(
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip"},
            timeout=httpx.Timeout(self.timeout),
            follow_redirects=False,
            transport=transport,
        )
        self._last: dict[str, float] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._robots: dict[str, tuple[float, urllib.robotparser.RobotFileParser]] = {}
        self.requests = 0  # sent, for the benchmark's requests-per-poll figure

    def get(
        self,
        url: str,
        etag: str | None = None,
        last_modified: str | None = None,
        limit: int | None = None,
    ) -> Fetched:
        """GET `url` conditionally, following checked redirects; the body is bounded by
        `limit` (default `fetch_max_bytes`)."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        seen = [url]
        current = url
        while True:
            response = self._one(current, headers, url, limit or self.max_bytes)
            if response.status not in REDIRECTS:
                return response
            current = self._next_hop(url, current, response, seen)

    def _next_hop(self, origin: str, current: str, hop: Fetched, seen: list[str]) -> str:
        target = urljoin(current, hop.url)
        if urlsplit(target).scheme.lower() not in {"http", "https"}:
            raise InputError(origin, f"redirect to a non-http(s) URL refused: {target}")
        if target in seen:
            chain = " -> ".join([*seen, target])
            raise InputError(origin, f"redirect loop: {chain}")
        seen.append(target)
        if len(seen) > self.max_redirects + 1:
            raise InputError(
                origin, f"too many redirects (more than watch_max_redirects={self.max_redirects})"
            )
        return target

    def _one(self, url: str, headers: dict[str, str], origin: str, limit: int) -> Fetched:
        """One request; a redirect comes back as a Fetched whose `url` is the Location."""
        host = urlsplit(url).netloc.lower()
        with self._locks.setdefault(host, threading.Lock()):
            self._wait_turn(host)
            try:
                return self._request(url, headers, origin, limit)
            finally:
                self._last[host] = time.monotonic()

    def _wait_turn(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            wait = last + self.delay - time.monotonic()
            if wait > 0:
                self._sleep(wait)

    def _request(self, url: str, headers: dict[str, str], origin: str, limit: int) -> Fetched:
        self.requests += 1
        deadline = time.monotonic() + self.timeout
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                status = response.status_code
                if status in REDIRECTS:
                    location = response.headers.get("Location")
                    if not location:
                        raise InputError(origin, f"HTTP {status} redirect without a Location")
                    return Fetched(location, status, b"", None, None)
                if status == 304:
                    return Fetched(url, 304, b"", *_validators(response))
                if status >= 400:
                    raise InputError(origin, f"HTTP {status} {response.reason_phrase}".strip())
                body = read_body(response.iter_bytes(), response.headers, origin, deadline, limit)
                return Fetched(url, status, body, *_validators(response))
        except httpx.TimeoutException:
            raise InputError(
                origin, f"timed out after {self.timeout:g} s (fetch_timeout)"
            ) from None
        except httpx.HTTPError as exc:
            raise InputError(origin, f"cannot fetch: {type(exc).__name__}: {exc}") from None

    # -- pages and robots.txt --------------------------------------------------------------

    def page(self, url: str) -> bytes:
        """An entry's page, if the site's robots.txt lets our User-Agent read it."""
        if not self.allowed(url):
            raise InputError(url, "robots.txt of the site disallows fetching this page")
        fetched = self.get(url)
        return fetched.body

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        base = f"{parts.scheme}://{parts.netloc}".lower()
        cached = self._robots.get(base)
        if cached is None or time.monotonic() - cached[0] > ROBOTS_TTL:
            cached = (time.monotonic(), self._load_robots(base))
            self._robots[base] = cached
        return cached[1].can_fetch(USER_AGENT, url)

    def _load_robots(self, base: str) -> urllib.robotparser.RobotFileParser:
        """The site's rules. RFC 9309 §2.3.1: a 4xx means no rules (allow all); a 5xx or
        an unreachable robots.txt means disallow all until it can be read."""
        parser = urllib.robotparser.RobotFileParser(base + "/robots.txt")
        try:
            body = self.get(base + "/robots.txt", limit=ROBOTS_MAX_BYTES).body
        except InputError as exc:
            rule = "Allow: /" if exc.reason.startswith("HTTP 4") else "Disallow: /"
            parser.parse(["User-agent: *", rule])
            return parser
        parser.parse(body.decode("utf-8", "replace").splitlines())
        return parser

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _validators(response: httpx.Response) -> tuple[str | None, str | None]:
    return response.headers.get("ETag"), response.headers.get("Last-Modified")
