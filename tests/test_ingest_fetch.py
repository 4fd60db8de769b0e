"""fetch_url and URL inputs against a local HTTP server: the real network is never used."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from newsprism.errors import InputError
from newsprism.ingest.fetch import fetch_url
from newsprism.ingest.sources import InputRef, read_input
from newsprism.models import RawArticle, Rejected
from newsprism.settings import Settings

DATA = Path(__file__).parent / "data" / "ingest"
PAGE = (DATA / "news_page.html").read_bytes()
SETTINGS = Settings({"fetch_timeout": 2.0, "fetch_max_bytes": 100_000})


def _feed(base: str) -> bytes:
    items = "".join(
        f"<item><title>Entry {i}</title><link>{link}</link><description>Summary {i} of the "
        f"story, long enough to keep as an article.</description></item>"
        for i, link in enumerate([f"{base}/page.html", f"{base}/missing", "ftp://x.example/a"])
    )
    return f'<rss version="2.0"><channel><title>Local Wire</title>{items}</channel></rss>'.encode()


class _Handler(BaseHTTPRequestHandler):
    """Routes: pages, a feed, redirects, oversized and slow bodies, errors."""

    def do_GET(self) -> None:
        path = self.path
        base = "http://{}:{}".format(*self.server.server_address[:2])  # type: ignore[index]
        if path == "/page.html":
            self._send(200, PAGE, "text/html; charset=utf-8")
        elif path == "/feed.xml":
            self._send(200, _feed(base), "application/rss+xml")
        elif path.startswith("/hop/"):
            left = int(path.rsplit("/", 1)[1])
            self._redirect(f"{base}/hop/{left - 1}" if left else f"{base}/page.html")
        elif path == "/to-file":
            self._redirect("file:///etc/passwd")
        elif path == "/to-ftp":
            self._redirect("ftp://x.example/file")
        elif path == "/big":
            self._send(200, b"x" * 200_000, "text/plain")
        elif path == "/big-unsized":
            self._send(200, b"x" * 200_000, "text/plain", sized=False)
        elif path == "/slow":
            time.sleep(1.0)
            self._send(200, PAGE, "text/html")
        else:
            self._send(404, b"not here", "text/plain")

    def _send(self, code: int, body: bytes, ctype: str, sized: bool = True) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        if sized:
            self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        # The client may stop reading on purpose (size cap, timeout).
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep test output clean


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


def test_fetch_page(server: str) -> None:
    assert fetch_url(f"{server}/page.html", SETTINGS) == PAGE


def test_fetch_follows_five_redirects(server: str) -> None:
    assert fetch_url(f"{server}/hop/4", SETTINGS) == PAGE  # 5 redirects


def test_fetch_refuses_a_sixth_redirect(server: str) -> None:
    with pytest.raises(InputError, match="too many redirects"):
        fetch_url(f"{server}/hop/5", SETTINGS)


@pytest.mark.parametrize("route", ["/to-file", "/to-ftp"])
def test_fetch_refuses_redirect_to_other_schemes(server: str, route: str) -> None:
    with pytest.raises(InputError, match="redirect"):
        fetch_url(f"{server}{route}", SETTINGS)


@pytest.mark.parametrize("route", ["/big", "/big-unsized"])
def test_fetch_caps_the_body(server: str, route: str) -> None:
    with pytest.raises(InputError, match="fetch_max_bytes=100000"):
        fetch_url(f"{server}{route}", SETTINGS)


def test_fetch_times_out(server: str) -> None:
    with pytest.raises(InputError, match="timed out"):
        fetch_url(f"{server}/slow", SETTINGS.replace(fetch_timeout=0.2))


def test_fetch_http_error(server: str) -> None:
    with pytest.raises(InputError, match="HTTP 404"):
        fetch_url(f"{server}/nothing", SETTINGS)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://x.example/a", "http:///nohost"])
def test_fetch_only_http_urls(url: str) -> None:
    with pytest.raises(InputError):
        fetch_url(url, SETTINGS)


def test_fetch_connection_refused() -> None:
    with pytest.raises(InputError, match="cannot fetch"):
        fetch_url("http://127.0.0.1:9/", SETTINGS)


def test_read_input_url_html_page(server: str) -> None:
    url = f"{server}/page.html"
    [article] = read_input(InputRef(url, "url"), SETTINGS)
    assert isinstance(article, RawArticle)
    assert article.input_id == url and article.url == url and article.origin == url
    assert article.title == "Council approves new library"


def test_read_input_url_error_is_rejected(server: str) -> None:
    url = f"{server}/nothing"
    assert list(read_input(InputRef(url, "url"), SETTINGS)) == [
        Rejected(url, None, "HTTP 404: Not Found")
    ]


def test_feed_entries_without_fetch_use_summaries(server: str) -> None:
    items = list(read_input(InputRef(f"{server}/feed.xml", "url"), SETTINGS))
    assert [type(i) for i in items] == [RawArticle] * 3
    assert items[0].text.startswith("Summary 0")  # type: ignore[union-attr]


def test_feed_entries_fetched_with_fetch_true(server: str) -> None:
    feed = f"{server}/feed.xml"
    items = list(read_input(InputRef(feed, "url"), SETTINGS, fetch=True))
    page, missing, ftp = items
    assert isinstance(page, RawArticle)
    assert page.text.startswith("The Riverside city council")
    assert page.title == "Entry 0" and page.source == "Local Wire"
    assert page.input_id == page.url == f"{server}/page.html"
    assert isinstance(missing, Rejected) and missing.record == "entry 2"
    assert "HTTP 404" in missing.reason
    assert isinstance(ftp, Rejected) and ftp.record == "entry 3" and "ftp" in ftp.reason


def test_local_feed_file_is_not_fetched_without_fetch(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_fetch(url: str, settings: Settings) -> bytes:
        raise AssertionError(f"fetched {url}")

    monkeypatch.setattr("newsprism.ingest.sources.fetch_url", no_fetch)
    path = tmp_path / "feed.xml"
    path.write_bytes(_feed(server))
    items = list(read_input(InputRef(str(path)), SETTINGS))
    assert len(items) == 3 and all(isinstance(i, RawArticle) for i in items)
