"""`POST /ingest`: add articles to the store over HTTP — only when the server has a token.

It writes, so it exists only when `serve` was started with `--token` (otherwise the
route is absent: 404), and every call must send `Authorization: Bearer <token>`, compared
in constant time before the body is read. The body is JSONL (GUIDE.md §3 input format),
raw or as the file of a `multipart/form-data` upload, bounded by the app's ingest limit.
The records run through the same ingest, analyse and cluster stages as the CLI; one
ingest at a time, so two uploads never interleave their writes.
"""

from __future__ import annotations

import hmac
import tempfile
import threading
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from ..models import Rejected
from .pages import JSON_OK, json_response
from .state import Pool

_LOCK = threading.Lock()
_BODY_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/x-ndjson": {"schema": {"type": "string"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            },
        },
    }
}


def jsonl_payload(body: bytes, content_type: str) -> bytes:
    """The JSONL bytes of a raw body, or of the uploaded file in a multipart body."""
    if not content_type.lower().startswith("multipart/form-data"):
        return body
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = BytesParser(policy=policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise HTTPException(400, "malformed multipart body")
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if part.get_filename() or name == "file":
            payload = part.get_payload(decode=True)
            return payload if isinstance(payload, bytes) else b""
    raise HTTPException(400, "multipart body has no file part (send it as `file`)")


def run_ingest(pool: Pool, data: bytes) -> dict[str, Any]:
    """Ingest, analyse and cluster the JSONL `data`; returns what each stage did."""
    rejected: list[Rejected] = []
    with _LOCK, pool.workspace() as ws, tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "upload.jsonl"
        path.write_bytes(data)
        report = ws.ingest([path], on_reject=rejected.append)
        analysed = ws.analyse()
        clustered = ws.cluster()
    return {
        "ingested": report.new,
        "exact_duplicates": report.exact_duplicates,
        "near_duplicates": report.near_duplicates,
        "rejected": [{"record": r.record, "reason": r.reason} for r in rejected],
        "analysed": analysed.analysed,
        "skipped": analysed.skipped,
        "clustered": clustered.summary(),
    }


def router(token: str) -> APIRouter:
    """The ingest route, bound to this server's token."""
    expected = f"Bearer {token}".encode()
    api = APIRouter()

    @api.post(
        "/ingest", summary="Add articles (token only)", responses=JSON_OK, openapi_extra=_BODY_DOC
    )
    async def ingest(request: Request) -> Response:
        """Ingest JSONL records, then analyse and cluster them. Needs `Authorization:
        Bearer <token>`; returns counts and every rejected record with its reason."""
        given = request.headers.get("authorization", "").encode("utf-8", "replace")
        if not hmac.compare_digest(given, expected):
            raise HTTPException(
                401,
                "missing or wrong bearer token",
                headers={"WWW-Authenticate": 'Bearer realm="newsprism"'},
            )
        data = jsonl_payload(await request.body(), request.headers.get("content-type", ""))
        if not data.strip():
            raise HTTPException(400, "empty body: send JSONL, one article object a line")
        result = await run_in_threadpool(run_ingest, request.app.state.pool, data)
        return json_response(result)

    return api
