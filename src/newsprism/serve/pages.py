"""The pages and their JSON twins (GUIDE.md §3 routes; issue 6).

The story list and story pages — the hot paths — are `async`: on the event loop they
read a version from the store (microseconds) and answer from the page cache; only a
miss goes to a worker thread, which borrows a pooled `Workspace`. Article and entity
pages are plain `def`s that FastAPI runs in its thread pool. A page and its JSON twin
come from the same data function, so they cannot disagree.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections import defaultdict
from collections.abc import Callable
from functools import partial
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from ..outlets.bar import filter_stories
from . import search
from .outlet_pages import filter_options
from .render import article_marks, highlight, parse_span, path_part, safe_url
from .state import SORTS, load_brief
from .storyview import story_view

router = APIRouter()
DEFAULT_PER_PAGE = 25
MAX_CHANGES_SHOWN = 50  # change entries on a story page; the Atom feed and CLI have more


class ErrorDetail(BaseModel):
    status: int
    message: str


class ErrorBody(BaseModel):
    """The one error shape every JSON route uses."""

    error: ErrorDetail


NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorBody}, 422: {"model": ErrorBody}}
JSON_OK: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/json": {}}},
    **NOT_FOUND,
}
Q = Annotated[
    str | None,
    Query(max_length=200, description="Words to find in titles, texts or entity names."),
]
Sort = Annotated[
    Literal["relevance", "recent", "size"] | None,
    Query(description="Order: relevance (default with q), recent (default), size."),
]
Source = Annotated[str | None, Query(max_length=200, description="Only stories with this outlet.")]
Covered = Annotated[
    str | None,
    Query(
        max_length=200,
        description="Only stories with an independent source of each value: ATTRIBUTE:V1,V2"
        " (e.g. lean:left,right).",
    ),
]
Only = Annotated[
    str | None,
    Query(
        max_length=200,
        description="Only stories whose independent sources all have one of these values:"
        " ATTRIBUTE:V1[,V2] (e.g. kind:wire).",
    ),
]
PageNo = Annotated[int, Query(ge=1, le=10_000, description="Page number, from 1.")]
PerPage = Annotated[int, Query(ge=1, le=100, description="Items per page (at most 100).")]
StoryId = Annotated[str, Path(max_length=100, description="Story id, e.g. s-1a2b3c4d5e6f.")]
ArticleId = Annotated[str, Path(max_length=2000, description="The article's own id.")]
EntityRef = Annotated[str, Path(max_length=300, description="Entity id, or its exact name.")]
Span = Annotated[
    str | None, Query(max_length=24, description="Highlight START-END (a citation's offsets).")
]


def _render(app: Any, template: str, **context: Any) -> bytes:
    env = app.state.templates
    return str(env.get_template(template).render(**context)).encode("utf-8")


def _html(request: Request, template: str, **context: Any) -> HTMLResponse:
    return HTMLResponse(_render(request.app, template, **context))


def json_response(data: Any, headers: dict[str, str] | None = None) -> Response:
    body = data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False)
    return Response(body, media_type="application/json", headers=headers)


def _pages(total: int, per_page: int) -> int:
    return max(1, math.ceil(total / per_page))


# -- story list ---------------------------------------------------------------------------


def _reader(request: Request) -> sqlite3.Connection:
    """The event loop's own connection, for the microsecond version checks."""
    conn: sqlite3.Connection = request.app.state.reader.db.conn
    return conn


async def _cached(request: Request, key: tuple[Any, ...], make: Callable[[], Any]) -> Any:
    """A cached result straight from the event loop, else `make()` in a worker thread.

    `key` must carry the store version the caller just read: answering a hit costs no
    thread hop and no query beyond that check (issue 6: p99 < 100 ms at 50 clients).
    """
    views = request.app.state.views
    hit = views.peek(key)
    if hit is not None:
        return hit
    return await run_in_threadpool(views.cached, key, make)


def _list_url(path: str, args: tuple[Any, ...], page: int) -> str:
    """A list URL from normalised parameters (never from the Host header or raw query, so
    a cached page is the same for every client)."""
    q, sort, source, _, per_page, covered, only = args
    params = {
        "q": q,
        "sort": sort,
        "source": source,
        "covered": covered,
        "only": only,
        "page": page if page > 1 else None,
        "per_page": per_page if per_page != DEFAULT_PER_PAGE else None,
    }
    query = urlencode({k: v for k, v in params.items() if v is not None})
    return f"{path}?{query}" if query else path


def _listing(app: Any, args: tuple[Any, ...], path: str) -> dict[str, Any]:
    q, sort, source, page, per, covered, only = args
    views = app.state.views
    with app.state.pool.workspace() as ws:
        index = views.index(ws)
        scores = entities = None
        if q:  # cached apart from the page, so paging and re-sorting reuse one search
            found = partial(_search, ws.db.conn, q, index.story_of_seq)
            scores, entities = views.cached(("search", q, index.signature), found)
    if sort not in SORTS or (sort == "relevance" and scores is None):
        sort = "relevance" if scores is not None else "recent"
    rows = filter_stories(index.select(scores, source, sort), covered, only)
    start = (page - 1) * per
    return {
        "stories": rows[start : start + per],
        "total": len(rows),
        "page": page,
        "pages": _pages(len(rows), per),
        "q": q,
        "sort": sort,
        "source": source,
        "entities": entities or [],
        "sources": index.sources,
        "page_url": lambda n: _list_url(path, args, n),
        "n_articles": sum(s["article_count"] for s in index.by_id.values()),
        "sort_options": [(s, s.capitalize()) for s in SORTS if s != "relevance" or q],
        "covered": covered,
        "only": only,
        "coverage_filters": views.cached(
            ("coverage-filters", index.signature), partial(filter_options, index.by_id.values())
        ),
    }


def _search(
    conn: sqlite3.Connection, q: str, story_of: dict[int, str]
) -> tuple[dict[str, float], list[dict[str, Any]]]:
    return search.search_stories(conn, q, story_of), search.matching_entities(conn, q, 8)


def list_args(
    q: str | None,
    sort: str | None,
    source: str | None,
    page: int,
    per_page: int,
    covered: str | None = None,
    only: str | None = None,
) -> tuple[Any, ...]:
    return ((q or "").strip() or None, sort, source or None, page, per_page, covered, only)


@router.get("/", response_class=HTMLResponse, summary="Story list", responses=NOT_FOUND)
async def index_page(
    request: Request,
    q: Q = None,
    sort: Sort = None,
    source: Source = None,
    page: PageNo = 1,
    per_page: PerPage = DEFAULT_PER_PAGE,
    covered: Covered = None,
    only: Only = None,
) -> HTMLResponse:
    """Stories, searchable by text or entity, sortable by recency or size, by outlet."""
    args = list_args(q, sort, source, page, per_page, covered or None, only or None)
    key = ("index", args, search.signature(_reader(request)))
    return HTMLResponse(await _cached(request, key, partial(make_index, request.app, args)))


def make_index(app: Any, args: tuple[Any, ...]) -> bytes:
    """The story list page for normalised `args` (runs in a worker thread)."""
    data = _listing(app, args, "/")
    json_href = _list_url("/stories.json", args, args[3])
    return _render(app, "index.html", json_href=json_href, **data)


@router.get("/stories.json", summary="Story list as JSON", responses=JSON_OK)
async def stories_json(
    request: Request,
    q: Q = None,
    sort: Sort = None,
    source: Source = None,
    page: PageNo = 1,
    per_page: PerPage = DEFAULT_PER_PAGE,
    covered: Covered = None,
    only: Only = None,
) -> Response:
    """A JSON array of stories in the `stories --json` shape (GUIDE.md §3), one page of
    it; `X-Total-Count` gives the number of matches and `Link` the next/prev pages."""
    args = list_args(q, sort, source, page, per_page, covered or None, only or None)

    def make() -> tuple[bytes, dict[str, str]]:
        data = _listing(request.app, args, "/stories.json")
        links = [
            f'<{data["page_url"](n)}>; rel="{rel}"'
            for n, rel in ((page + 1, "next"), (page - 1, "prev"))
            if 1 <= n <= data["pages"]
        ]
        headers = {"X-Total-Count": str(data["total"])}
        if links:
            headers["Link"] = ", ".join(links)
        return json.dumps(data["stories"], ensure_ascii=False).encode("utf-8"), headers

    key = ("stories.json", args, search.signature(_reader(request)))
    body, headers = await _cached(request, key, make)
    return json_response(body, headers)


# -- story page ---------------------------------------------------------------------------


async def _story(request: Request, story_id: str, kind: Literal["json", "html"]) -> bytes:
    version = search.story_version(_reader(request), story_id)
    if version is None:
        raise HTTPException(404, f"no story with id {story_id!r}")
    body: bytes = await _cached(
        request, (kind, story_id, version), partial(make_story, request.app, story_id, kind)
    )
    return body


def make_story(app: Any, story_id: str, kind: str) -> bytes:
    """The story's brief as JSON, or its page as HTML (runs in a worker thread)."""
    with app.state.pool.workspace() as ws:
        brief = load_brief(ws, story_id)  # cached in the store by Workspace.brief
        if brief is None:
            raise HTTPException(404, f"no story with id {story_id!r}")
        if kind == "json":
            return json.dumps(brief, ensure_ascii=False).encode("utf-8")
        ids = [a["id"] for a in brief.get("articles") or []]
        view = story_view(brief, ws.story(story_id), search.article_texts(ws.db.conn, ids))
        changes = ws.changes(story_id)[:MAX_CHANGES_SHOWN]
    json_href = f"/stories/{path_part(story_id)}.json"
    return _render(app, "story.html", json_href=json_href, q=None, changes=changes, **view)


@router.get("/stories/{story_id}.json", summary="A story's brief", responses=JSON_OK)
async def story_json(request: Request, story_id: StoryId) -> Response:
    """The brief (GUIDE.md §3 contract): facts with status, evidence and conflicts, the
    cited briefing, quotes, omissions per article and the timeline."""
    return json_response(await _story(request, story_id, "json"))


@router.get(
    "/stories/{story_id}", response_class=HTMLResponse, summary="Story page", responses=NOT_FOUND
)
async def story_page(request: Request, story_id: StoryId) -> HTMLResponse:
    """The cited briefing with the sources side by side, the source × fact matrix,
    contradictions, quotes, timeline and omissions."""
    return HTMLResponse(await _story(request, story_id, "html"))


# -- articles -----------------------------------------------------------------------------


def _article(request: Request, article_id: str) -> tuple[dict[str, Any], list[str]] | None:
    with request.app.state.pool.workspace() as ws:
        article = ws.article(article_id)
        if article is None:
            return None
        return article, search.stories_of_article(ws.db.conn, article["id"])


def _entity_summary(article: dict[str, Any]) -> list[dict[str, Any]]:
    grouped: dict[tuple[str, str], dict[str, Any]] = {}
    roles: dict[tuple[str, str], set[str]] = defaultdict(set)
    for m in article["entities"]:
        k = (m["canonical"], m["type"])
        grouped.setdefault(k, {"name": k[0], "type": k[1], "count": 0})["count"] += 1
        if m.get("role"):
            roles[k].add(m["role"])
    out = sorted(grouped.values(), key=lambda e: (-e["count"], e["name"]))
    return [dict(e, roles=sorted(roles[(e["name"], e["type"])])) for e in out]


def _article_html(request: Request, found: Any, hl: str | None) -> HTMLResponse:
    article, stories = found
    html = highlight(article["text"], article_marks(article, parse_span(hl)))
    return _html(
        request,
        "article.html",
        article=article,
        html=html,
        stories=stories,
        url=safe_url(article.get("url")),
        entities=_entity_summary(article),
        hl=parse_span(hl),
        json_href=None,
    )


@router.get("/articles/{article_id:path}.json", summary="An article as JSON", responses=JSON_OK)
def article_json(request: Request, article_id: ArticleId) -> Response:
    """The `article ID --json` contract. (An article whose own id ends in `.json` is shown
    as HTML here when no article has the id without it.)"""
    found = _article(request, article_id)
    if found is None:
        whole = _article(request, article_id + ".json")
        if whole is not None:
            return _article_html(request, whole, None)
        raise HTTPException(404, f"no article with id {article_id!r}")
    return json_response(found[0])


@router.get(
    "/articles/{article_id:path}",
    response_class=HTMLResponse,
    summary="Article page",
    responses=NOT_FOUND,
)
def article_page(request: Request, article_id: ArticleId, hl: Span = None) -> HTMLResponse:
    """The article with entities, quotes, quantities and dates highlighted; `hl`
    highlights a cited span (citation links use it when JavaScript is off)."""
    found = _article(request, article_id)
    if found is None:
        raise HTTPException(404, f"no article with id {article_id!r}")
    return _article_html(request, found, hl)


# -- entities -----------------------------------------------------------------------------


def _entity(request: Request, ref: str, page: int, per: int) -> dict[str, Any]:
    with request.app.state.pool.workspace() as ws:
        entities = search.entities_by_ref(ws.db.conn, ref)
        if not entities:
            raise HTTPException(404, f"no entity {ref!r}")
        counts = search.stories_of_entities(ws.db.conn, [e["id"] for e in entities])
        index = request.app.state.views.index(ws)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    rows = [dict(index.by_id[sid], mentions=n) for sid, n in ranked if sid in index.by_id]
    start = (page - 1) * per
    return {
        "name": entities[0]["name"],
        "entities": entities,
        "total": len(rows),
        "stories": rows[start : start + per],
        "page": page,
        "pages": _pages(len(rows), per),
        "page_url": lambda n: (
            f"/entities/{path_part(ref)}?{urlencode({'page': n, 'per_page': per})}"
        ),
    }


@router.get("/entities/{ref:path}.json", summary="An entity's stories", responses=JSON_OK)
def entity_json(
    request: Request, ref: EntityRef, page: PageNo = 1, per_page: PerPage = 25
) -> Response:
    """`{"name", "entities": [{"id", "name", "type"}], "total", "stories": [...]}`: the
    stories that mention the entity (by id, or every entity with that name), most first."""
    data = _entity(request, ref, page, per_page)
    data.pop("page_url")
    return json_response(data)


@router.get(
    "/entities/{ref:path}", response_class=HTMLResponse, summary="Entity page", responses=NOT_FOUND
)
def entity_page(
    request: Request, ref: EntityRef, page: PageNo = 1, per_page: PerPage = 25
) -> HTMLResponse:
    """The stories that mention an entity."""
    data = _entity(request, ref, page, per_page)
    json_href = f"/entities/{data['entities'][0]['id']}.json"
    return _html(request, "entity.html", json_href=json_href, **data)


# -- API docs -----------------------------------------------------------------------------


@router.get("/docs", response_class=HTMLResponse, include_in_schema=False)
def docs_page(request: Request) -> HTMLResponse:
    """The OpenAPI description rendered on the server (no CDN scripts, CSP-safe)."""
    spec = request.app.openapi()
    operations = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = [
                {
                    "name": p["name"],
                    "where": p["in"],
                    "required": p.get("required", False),
                    "type": _schema_type(p.get("schema", {})),
                    "description": p.get("description"),
                }
                for p in op.get("parameters", [])
            ]
            responses = [(code, r.get("description", "")) for code, r in op["responses"].items()]
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "params": params,
                    "summary": op.get("summary"),
                    "description": op.get("description"),
                    "responses": responses,
                    "anchor": f"{method}-{path}",
                }
            )
    return _html(request, "docs.html", spec=spec, operations=operations, json_href=None)


def _schema_type(schema: dict[str, Any]) -> str:
    options = schema.get("anyOf") or [schema]
    names = ["|".join(map(str, o["enum"])) if o.get("enum") else o.get("type") for o in options]
    return " | ".join(n for n in names if n and n != "null") or "any"
