"""Outlet pages, blindspots and their JSON twins (issue 16).

Every page reads one `OutletIndex` (all outlets, their stories and records from the
stored briefs), built once per store version and kept in the page cache like the story
index, so a request costs a dictionary lookup and a template.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from itertools import combinations
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from ..outlets.coverage import CORE_ATTRIBUTES, UNKNOWN
from ..outlets.record import KINDS as RECORD_KINDS
from ..outlets.service import OutletIndex, blindspot_rows, outlet_detail, outlet_rows
from ..outlets.text import RECORD_WORDS
from . import search
from .render import path_part

router = APIRouter()
OutletRef = Annotated[str, Path(max_length=300, description="Outlet id, name or domain.")]
By = Annotated[
    str, Query(max_length=100, description="Outlet attribute: a label (lean) or country/kind.")
]
KIND_WORDS = {"wire": "wire agencies", "government": "government sources"}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "Unknown outlet"}}
OUTLET_PAGE_ITEMS = 50  # stories and evidence items per list on the page; JSON has all


def filter_options(stories: Iterable[dict[str, Any]]) -> dict[str, list[tuple[str, str]]]:
    """Preset story-list filters from the values the stories' coverage holds:
    "covered by left and right" for each pair of a label's values, "only wire agencies"."""
    values: dict[str, set[str]] = {}
    for story in stories:
        for attribute, counts in (story.get("coverage") or {}).items():
            values.setdefault(attribute, set()).update(v for v in counts if v != UNKNOWN)
    covered, only = [], []
    for attribute in sorted(a for a in values if a not in CORE_ATTRIBUTES):
        vals = sorted(values[attribute])
        for a, b in combinations(vals, 2):
            covered.append((f"{attribute}:{a},{b}", f"{a} and {b} ({attribute})"))
        only += [(f"{attribute}:{v}", f"only {v} ({attribute})") for v in vals]
    for kind in sorted(values.get("kind", ())):
        only.append((f"kind:{kind}", f"only {KIND_WORDS.get(kind, kind)}"))
    return {"covered": covered, "only": only}


def make_outlet_index(app: Any) -> tuple[OutletIndex, dict[str, dict[str, Any]]]:
    """The outlet index over the cached story index (runs in a worker thread)."""
    from ..outlets.service import outlet_index

    with app.state.pool.workspace() as ws:
        stories = app.state.views.index(ws).by_id
        return outlet_index(ws.db.conn, ws.settings, list(stories.values())), stories


async def _index(request: Request) -> tuple[OutletIndex, dict[str, dict[str, Any]]]:
    app = request.app
    key = ("outlet-index", search.signature(app.state.reader.db.conn))
    hit = app.state.views.peek(key)
    if hit is not None:
        return hit
    return await run_in_threadpool(app.state.views.cached, key, partial(make_outlet_index, app))


def _render(request: Request, template: str, **context: Any) -> HTMLResponse:
    env = request.app.state.templates
    return HTMLResponse(env.get_template(template).render(**context))


def _json(data: Any) -> Response:
    import json

    return Response(json.dumps(data, ensure_ascii=False), media_type="application/json")


@router.get("/outlets.json", summary="Outlets as JSON")
async def outlets_json(request: Request) -> Response:
    """The `outlets --json` rows: registered and seen outlets, stories, record counts."""
    index, _ = await _index(request)
    return _json(outlet_rows(index))


@router.get("/outlets", response_class=HTMLResponse, summary="Outlets")
async def outlets_page(request: Request) -> HTMLResponse:
    """Every outlet with its registry facts, labels and number of stories."""
    index, _ = await _index(request)
    rows = outlet_rows(index)
    return _render(request, "outlets.html", outlets=rows, json_href="/outlets.json", q=None)


async def _outlet(request: Request, ref: str, kind: str) -> bytes:
    """The outlet's page or JSON, rendered once per store version: a page lists hundreds
    of stories with their coverage bars, ~100 ms of template work that 50 readers must
    not repeat (issue 6's budget)."""
    index, stories = await _index(request)
    app = request.app
    key = ("outlet", kind, ref, search.signature(app.state.reader.db.conn))
    found = app.state.views.peek(key)
    if found is None:
        make = partial(_make_outlet, app, index, stories, ref, kind)
        found = await run_in_threadpool(app.state.views.cached, key, make)
    if not found:  # b"": no such outlet (cached too, so a bad link costs nothing twice)
        raise HTTPException(404, f"no outlet {ref!r}")
    return bytes(found)


def _make_outlet(
    app: Any, index: OutletIndex, stories: dict[str, Any], ref: str, kind: str
) -> bytes:
    import json

    data = outlet_detail(index, ref, stories)
    if data is None:
        return b""
    if kind == "json":
        return json.dumps(data, ensure_ascii=False).encode("utf-8")
    env = app.state.templates
    html = env.get_template("outlet.html").render(
        json_href=f"/outlets/{path_part(data['outlet']['id'])}.json",
        q=None,
        record_kinds=RECORD_KINDS,
        record_words=RECORD_WORDS,
        shown=OUTLET_PAGE_ITEMS,
        **data,
    )
    return str(html).encode("utf-8")


@router.get("/outlets/{ref:path}.json", summary="An outlet's record", responses=NOT_FOUND)
async def outlet_json(request: Request, ref: OutletRef) -> Response:
    """`{"outlet", "stories", "record"}`: the record counts facts of stored briefs it
    reports that independent sources corroborate, that only it reports, and
    contradictions where no other source gives its value, each with its evidence."""
    return Response(await _outlet(request, ref, "json"), media_type="application/json")


@router.get(
    "/outlets/{ref:path}", response_class=HTMLResponse, summary="Outlet page", responses=NOT_FOUND
)
async def outlet_page(request: Request, ref: OutletRef) -> HTMLResponse:
    """The outlet, its stories and its evidence-backed record."""
    return HTMLResponse(await _outlet(request, ref, "html"))


async def _blindspots(request: Request, by: str) -> tuple[list[dict[str, Any]], list[str]]:
    index, stories = await _index(request)
    attributes = sorted(a for a, v in index.known.items() if len(v) > 1)
    if by not in index.known:
        raise HTTPException(404, f"no outlet has the attribute {by!r}")
    return blindspot_rows(list(stories.values()), by, index.known), attributes


@router.get("/blindspots.json", summary="Blindspot stories", responses=NOT_FOUND)
async def blindspots_json(request: Request, by: By = "lean") -> Response:
    """Stories whose independent sources all share one known value of `by`."""
    rows, _ = await _blindspots(request, by)
    return _json(rows)


@router.get("/blindspots", response_class=HTMLResponse, summary="Blindspots", responses=NOT_FOUND)
async def blindspots_page(request: Request, by: By = "lean") -> HTMLResponse:
    """Stories covered only by outlets of one value of an attribute."""
    index, _ = await _index(request)
    if by not in index.known:
        return _render(
            request,
            "blindspots.html",
            by=by,
            rows=[],
            attributes=sorted(index.known),
            missing_attribute=True,
            json_href=None,
            q=None,
        )
    rows, attributes = await _blindspots(request, by)
    href = f"/blindspots.json?by={path_part(by)}"
    return _render(
        request,
        "blindspots.html",
        by=by,
        rows=rows,
        attributes=attributes,
        missing_attribute=False,
        json_href=href,
        q=None,
    )
