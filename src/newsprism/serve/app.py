"""The FastAPI application: wiring, security headers, size limits and one error shape.

`create_app` builds the app over one database; `run` serves it with uvicorn on the
loopback interface unless told otherwise (issue 6). Pages and their JSON twins live in
`pages.py`, the token-protected ingest endpoint in `ingest.py`.

Every response carries a strict Content-Security-Policy (scripts, styles and images
only from this origin, no inline code, no framing), `nosniff` and `no-referrer`: article
text is hostile, and even if an escaping bug slipped through, injected markup could not
run script or leak the reader's URL. Errors always have one shape — JSON
`{"error": {"status": 404, "message": "..."}}` for JSON routes and API clients, a
friendly HTML page otherwise.
"""

from __future__ import annotations

import gc
import json
import logging
import sys
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, PackageLoader
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .._version import __version__
from ..api import Workspace
from ..errors import StoreError
from ..outlets.bar import coverage_bar
from ..settings import Settings, load_settings
from .render import path_part
from .state import Pool, Views

log = logging.getLogger("uvicorn.error")  # shown with uvicorn's own start-up lines

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
MAX_BODY = 64 * 1024  # any request but an ingest: pages take no body
MAX_INGEST_BODY = 16 * 1024 * 1024
PREWARM = 2000  # stories `run` renders ahead, most recent first
HEADINGS = {
    400: "Bad request",
    401: "Not signed in",
    404: "Not found",
    405: "Not allowed",
    413: "Too large",
    422: "Invalid parameter",
    500: "Something went wrong",
}


class BodyTooLarge(Exception):
    """Raised while reading a request body that goes past the route's limit."""


def templates() -> Environment:
    """Jinja2 with autoescaping on for every template (article text is hostile)."""
    env = Environment(
        loader=PackageLoader("newsprism", "serve/templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["urlpart"] = path_part
    env.globals["coverage_bar"] = coverage_bar
    env.globals.setdefault("bar_attribute", "lean")
    return env


def wants_json(path: str, accept: str) -> bool:
    """JSON routes, the ingest endpoint and clients that ask for JSON get JSON errors."""
    if path.endswith(".json") or path == "/ingest":
        return True
    return "application/json" in accept and "text/html" not in accept


def error_response(
    env: Environment,
    path: str,
    accept: str,
    status: int,
    message: str,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """The documented error body, or the HTML error page, for this status."""
    if wants_json(path, accept):
        body = json.dumps({"error": {"status": status, "message": message}}, ensure_ascii=False)
        return Response(body, status, headers=headers, media_type="application/json")
    html = env.get_template("error.html").render(
        status=status, heading=HEADINGS.get(status, "Error"), message=message, json_href=None
    )
    return HTMLResponse(html, status, headers=headers)


class Guard:
    """Outermost ASGI layer: security headers on every response, request body limits,
    and a last-resort 500 in the documented shape (never a traceback)."""

    def __init__(self, app: ASGIApp, env: Environment, max_body: int, max_ingest: int) -> None:
        self.app, self.env, self.max_body, self.max_ingest = app, env, max_body, max_ingest

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        limit = self.max_ingest if scope["path"] == "/ingest" else self.max_body
        length = headers.get("content-length")
        started = False

        async def send_secure(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                MutableHeaders(scope=message).update(SECURITY_HEADERS)
            await send(message)

        async def fail(status: int, message: str) -> None:
            response = error_response(
                self.env, scope["path"], headers.get("accept", ""), status, message
            )
            await response(scope, receive, send_secure)

        if length is not None and (not length.isdigit() or int(length) > limit):
            await fail(413, f"request body over the limit of {limit} bytes")
            return
        seen = 0

        async def bounded_receive() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge(f"request body over the limit of {limit} bytes")
            return message

        try:
            await self.app(scope, bounded_receive, send_secure)
        except Exception:
            log.exception("unhandled error serving %s", scope["path"])
            if started:
                raise
            await fail(500, "internal error; the server log has the details")


def _install_errors(app: FastAPI, env: Environment) -> None:
    def respond(request: Request, status: int, message: str, headers: Any = None) -> Response:
        accept = request.headers.get("accept", "")
        return error_response(env, request.url.path, accept, status, message, headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path}"
        return respond(request, exc.status_code, message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("query", "path"))
        return respond(request, 422, f"invalid {where or 'request'}: {first.get('msg', '')}")

    @app.exception_handler(BodyTooLarge)
    async def too_large(request: Request, exc: BodyTooLarge) -> Response:
        return respond(request, 413, str(exc))


def _lifespan(threads: int, prewarm: int) -> Any:
    """Start-up and shut-down: thread limit, background pre-rendering, closing the store."""
    from . import warm

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # As many worker threads as pooled connections: a thread never waits for one,
        # and 40 threads (anyio's default) fighting for the GIL starve the event loop.
        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        if prewarm:  # before accepting connections: see warm.py
            started = time.perf_counter()
            pages = await anyio.to_thread.run_sync(warm.prewarm, app, prewarm)
            log.info("rendered %d pages ahead in %.1f s", pages, time.perf_counter() - started)
            # The caches now hold ~1M long-lived objects (stories, their outlets and
            # coverage); a full garbage collection scanning them all stalled every
            # request for ~1 s under load (issue 16). Frozen objects are never scanned.
            gc.freeze()
        yield
        app.state.pool.close()
        app.state.reader.close()

    return lifespan


def create_app(
    db_path: str | Path,
    settings: Settings | Mapping[str, Any] | None = None,
    token: str | None = None,
    *,
    pool_size: int = 8,
    max_ingest_bytes: int = MAX_INGEST_BODY,
    prewarm: int = 0,
) -> FastAPI:
    """The web app over an existing database; `POST /ingest` exists only with a token.

    `prewarm` > 0 renders the first list pages and that many of the most recent stories
    into the page cache before the server accepts connections (`run` uses `PREWARM`)."""
    from . import feeds, ingest, outlet_pages, pages, warm

    if not Path(db_path).is_file():
        raise StoreError(f"no database at {db_path} (create it with `newsprism ingest`)")
    resolved = settings if isinstance(settings, Settings) else load_settings(settings)
    pool = Pool(str(db_path), resolved, pool_size)
    reader = Workspace(db_path, resolved)  # used only by the event loop's thread

    app = FastAPI(
        title="newsprism",
        version=__version__,
        description="Stories, cited briefings and articles from a newsprism database. "
        "Every HTML page has a JSON twin (the same path with `.json`).",
        docs_url=None,  # Swagger UI loads scripts from a CDN, which the CSP forbids
        redoc_url=None,
        lifespan=_lifespan(pool_size, prewarm),
    )
    env = templates()
    env.globals["bar_attribute"] = resolved["outlets_bar_attribute"]  # issue 16
    app.state.pool, app.state.reader, app.state.views = pool, reader, Views()
    app.state.templates = env
    app.add_middleware(Guard, env=env, max_body=MAX_BODY, max_ingest=max_ingest_bytes)
    _install_errors(app, env)
    app.mount("/static", StaticFiles(packages=[("newsprism", "serve/static")]), name="static")
    app.include_router(feeds.router)  # before pages: /stories/{id} would take "x.atom"
    app.include_router(pages.router)
    app.include_router(outlet_pages.router)
    if token:
        app.include_router(ingest.router(token))
    warm.warm_imports()
    return app


def run(
    db: str | Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    settings: Settings | Mapping[str, Any] | None = None,
    *,
    access_log: bool = True,
) -> None:
    """Serve `db` with uvicorn until interrupted (loopback only unless `host` says so).

    `access_log=False` drops the per-request log line (the load benchmark's setting)."""
    import uvicorn

    if host not in ("127.0.0.1", "localhost", "::1"):
        log.warning("serving on %s: anyone who can reach this address can read the store", host)
        if token:
            log.warning("the ingest token travels in clear text: put TLS in front of this")
    # A cache hit is answered on the event loop; a miss renders in a worker thread. With
    # CPython's default 5 ms switch interval a busy worker holds the interpreter lock
    # that long while hits wait; 1 ms cut the start-up p99 by about a third
    # (bench/README.serve.md). This process is the server, so the global is ours to set.
    sys.setswitchinterval(0.001)
    app = create_app(db, settings, token, prewarm=PREWARM)
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="info",
        limit_concurrency=512,
        timeout_keep_alive=5,
        server_header=False,
        access_log=access_log,
    )
