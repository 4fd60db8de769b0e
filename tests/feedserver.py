"""A loopback HTTP server serving feeds that change between polls (issue 15 tests and
bench/watch.py).

Each path holds a `Route`: a feed body (served with an ETag and Last-Modified, answered
304 to a matching conditional request, gzipped when asked), or a failure (status, a
stall longer than the client's timeout, a redirect, an endless body). Every request is
logged with its status, so tests can count what the client sent.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from xml.etree import ElementTree as ET

ATOM = "http://www.w3.org/2005/Atom"


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "application/rss+xml"
    status: int = 200
    location: str | None = None  # for redirects
    stall: float = 0.0  # seconds to wait before answering
    endless: bool = False  # stream zeros until the client hangs up
    modified: float = field(default_factory=time.time)

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'


@dataclass
class Hit:
    path: str
    status: int
    conditional: bool
    user_agent: str
    gzip: bool
    at: float


class FeedServer:
    """`with FeedServer() as server:` — `server.url(path)`, `server.set(path, route)`."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FeedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def set(self, path: str, route: Route) -> None:
        with self.lock:
            self.routes[path] = route

    def hits_for(self, path: str) -> list[Hit]:
        with self.lock:
            return [h for h in self.hits if h.path == path]


def _handler(server: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            with server.lock:
                route = server.routes.get(self.path)
            if route is None:
                route = Route(b"not here", "text/plain", 404)
            if route.stall:
                time.sleep(route.stall)
            plain = route.location is None and not route.endless and route.status == 200
            status = (
                304 if plain and self.headers.get("If-None-Match") == route.etag else route.status
            )
            with server.lock:  # logged before answering: the client may look right after
                server.hits.append(
                    Hit(
                        self.path,
                        status,
                        _conditional(self.headers),
                        self.headers.get("User-Agent", ""),
                        "gzip" in self.headers.get("Accept-Encoding", ""),
                        time.time(),
                    )
                )
            self._answer(route)

        def _answer(self, route: Route) -> None:
            try:
                if route.location is not None:
                    self._send(route.status, b"", {"Location": route.location})
                elif route.endless:
                    self._endless()
                elif route.status != 200:
                    self._send(route.status, b"failure", {"Content-Type": "text/plain"})
                elif self.headers.get("If-None-Match") == route.etag:
                    self._send(304, b"", {"ETag": route.etag})
                else:
                    self._feed(route)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def _feed(self, route: Route) -> None:
            body = route.body
            headers = {
                "Content-Type": route.content_type,
                "ETag": route.etag,
                "Last-Modified": formatdate(route.modified, usegmt=True),
            }
            if "gzip" in self.headers.get("Accept-Encoding", ""):
                body = gzip.compress(body)
                headers["Content-Encoding"] = "gzip"
            self._send(200, body, headers)

        def _endless(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            chunk = b"<rss>" + b" " * 65_536
            for _ in range(100_000):  # ~6 GB at most: the client must hang up first
                self.wfile.write(chunk)
            self.close_connection = True

        def _send(self, status: int, body: bytes, headers: Mapping[str, str]) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


# -- feed bodies ---------------------------------------------------------------------------


def rss(title: str, entries: Iterable[Mapping[str, Any]]) -> bytes:
    """RSS 2.0 of `entries` (dicts with key, title, text, published, link)."""
    root = ET.Element("rss", version="2.0")
    channel = ET.SubElement(root, "channel")
    ET.SubElement(channel, "title").text = title
    ET.SubElement(channel, "link").text = "https://example.org/"
    ET.SubElement(channel, "description").text = title
    for e in entries:
        item = ET.SubElement(channel, "item")
        ET.SubElement(item, "title").text = e["title"]
        ET.SubElement(item, "link").text = e.get("link") or f"https://example.org/{e['key']}"
        ET.SubElement(item, "guid", isPermaLink="false").text = e["key"]
        ET.SubElement(item, "pubDate").text = _rfc822(e["published"])
        ET.SubElement(item, "description").text = e["text"]
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def atom(title: str, entries: Iterable[Mapping[str, Any]]) -> bytes:
    root = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(root, f"{{{ATOM}}}title").text = title
    ET.SubElement(root, f"{{{ATOM}}}id").text = f"urn:test:{title}"
    ET.SubElement(root, f"{{{ATOM}}}updated").text = "2026-03-02T12:00:00Z"
    for e in entries:
        entry = ET.SubElement(root, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = e["key"]
        ET.SubElement(entry, f"{{{ATOM}}}title").text = e["title"]
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = e["published"]
        link = e.get("link") or f"https://example.org/{e['key']}"
        ET.SubElement(entry, f"{{{ATOM}}}link", href=link)
        ET.SubElement(entry, f"{{{ATOM}}}content", type="text").text = e["text"]
    ET.register_namespace("", ATOM)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def json_feed(title: str, entries: Iterable[Mapping[str, Any]]) -> bytes:
    items = [
        {
            "id": e["key"],
            "url": e.get("link") or f"https://example.org/{e['key']}",
            "title": e["title"],
            "content_text": e["text"],
            "date_published": e["published"],
        }
        for e in entries
    ]
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": title, "items": items}
    return json.dumps(feed).encode("utf-8")


def _conditional(headers: Any) -> bool:
    return bool(headers.get("If-None-Match") or headers.get("If-Modified-Since"))


def _rfc822(iso: str) -> str:
    from datetime import datetime

    return formatdate(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp(), usegmt=True)
