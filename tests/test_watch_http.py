"""The polite client against a loopback server: conditional GET, gzip, limits, redirects,
per-host delay and robots.txt (issue 15)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from itertools import pairwise

import pytest

from feedserver import FeedServer, Route, rss
from newsprism.errors import InputError
from newsprism.settings import Settings
from newsprism.watch.http import USER_AGENT, PoliteClient

ENTRY = {
    "key": "e1",
    "title": "A headline",
    "text": "Some text of the entry. " * 20,
    "published": "2026-03-02T08:00:00Z",
}


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        yield srv


@pytest.fixture
def client() -> Iterator[Callable[..., PoliteClient]]:
    """Makes clients with settings overridden; closes them all afterwards."""
    made: list[PoliteClient] = []

    def make(**overrides: object) -> PoliteClient:
        values = {"watch_host_delay": 0.0, "fetch_timeout": 2.0, **overrides}
        made.append(PoliteClient(Settings(values)))
        return made[-1]

    yield make
    for polite in made:
        polite.close()


def test_conditional_get_gzip_and_user_agent(
    server: FeedServer, client: Callable[..., PoliteClient]
) -> None:
    server.set("/feed.xml", Route(rss("Feed", [ENTRY])))
    polite = client()
    first = polite.get(server.url("/feed.xml"))
    assert first.status == 200 and b"A headline" in first.body and first.etag
    again = polite.get(server.url("/feed.xml"), first.etag, first.last_modified)
    assert again.status == 304 and again.body == b""
    hits = server.hits_for("/feed.xml")
    assert [h.status for h in hits] == [200, 304]
    assert [h.conditional for h in hits] == [False, True]
    assert all(h.gzip and h.user_agent == USER_AGENT for h in hits)


def test_failures_are_input_errors_with_reasons(
    server: FeedServer, client: Callable[..., PoliteClient]
) -> None:
    server.set("/down", Route(status=500))
    server.set("/slow", Route(rss("Feed", [ENTRY]), stall=1.5))
    server.set("/huge", Route(endless=True))
    server.set("/a", Route(status=302, location="/b"))
    server.set("/b", Route(status=301, location=server.url("/a")))
    polite = client(fetch_timeout=0.5, fetch_max_bytes=200_000)
    expected = {
        "/down": "HTTP 500",
        "/slow": "timed out",
        "/huge": "over fetch_max_bytes=200000",
        "/a": "redirect loop",
    }
    for path, reason in expected.items():
        with pytest.raises(InputError, match=reason):
            polite.get(server.url(path))
    assert len(server.hits_for("/a")) == 1 and len(server.hits_for("/b")) == 1


def test_redirects_are_followed_up_to_the_limit(
    server: FeedServer, client: Callable[..., PoliteClient]
) -> None:
    server.set("/feed.xml", Route(rss("Feed", [ENTRY])))
    for n in range(4):
        target = "/feed.xml" if n == 0 else f"/r{n - 1}"
        server.set(f"/r{n}", Route(status=301, location=target))
    assert client(watch_max_redirects=4).get(server.url("/r3")).status == 200
    with pytest.raises(InputError, match="too many redirects"):
        client(watch_max_redirects=2).get(server.url("/r3"))


def test_redirect_to_another_scheme_is_refused(
    server: FeedServer, client: Callable[..., PoliteClient]
) -> None:
    server.set("/feed.xml", Route(status=302, location="file:///etc/passwd"))
    with pytest.raises(InputError, match="non-http"):
        client().get(server.url("/feed.xml"))


def test_one_host_is_not_asked_more_often_than_the_delay(
    server: FeedServer, client: Callable[..., PoliteClient]
) -> None:
    server.set("/feed.xml", Route(rss("Feed", [ENTRY])))
    polite = client(watch_host_delay=0.3)
    for _ in range(3):
        polite.get(server.url("/feed.xml"))
    times = [h.at for h in server.hits_for("/feed.xml")]
    assert all(later - earlier >= 0.25 for earlier, later in pairwise(times))


def test_robots_txt_decides_page_fetches(
    server: FeedServer, client: Callable[..., PoliteClient]
) -> None:
    server.set("/robots.txt", Route(b"User-agent: *\nDisallow: /private/\n", "text/plain"))
    server.set("/news/1.html", Route(b"<html><body><p>ok</p></body></html>", "text/html"))
    server.set("/private/2.html", Route(b"<html></html>", "text/html"))
    polite = client()
    assert b"ok" in polite.page(server.url("/news/1.html"))
    with pytest.raises(InputError, match=r"robots\.txt"):
        polite.page(server.url("/private/2.html"))
    assert len(server.hits_for("/private/2.html")) == 0
    assert len(server.hits_for("/robots.txt")) == 1  # cached for the site


@pytest.mark.parametrize(("status", "allowed"), [(404, True), (503, False)])
def test_robots_txt_missing_allows_unreachable_forbids(
    server: FeedServer, client: Callable[..., PoliteClient], status: int, allowed: bool
) -> None:
    """RFC 9309: a 4xx robots.txt means no rules, a 5xx means stay away for now."""
    server.set("/robots.txt", Route(status=status))
    assert client().allowed(server.url("/news/1.html")) is allowed


def test_stall_is_bounded_by_the_timeout(
    server: FeedServer, client: Callable[..., PoliteClient]
) -> None:
    server.set("/slow", Route(rss("Feed", [ENTRY]), stall=3.0))
    started = time.monotonic()
    with pytest.raises(InputError):
        client(fetch_timeout=0.3).get(server.url("/slow"))
    assert time.monotonic() - started < 2.0
