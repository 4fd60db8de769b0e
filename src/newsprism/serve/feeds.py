"""Atom feeds of story changes (issue 15): `/stories.atom` and `/stories/{id}.atom`.

Built per request from the change log (a small indexed read) by `report.atom`, which
escapes everything; links are absolute, from the app's base URL, so feed readers can
follow them.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import Response

from ..report.atom import latest_per_story, stories_feed, story_feed
from .render import path_part

router = APIRouter()
ATOM_TYPE = "application/atom+xml; charset=utf-8"
StoryId = Annotated[str, Path(max_length=100, description="Story id, e.g. s-1a2b3c4d5e6f.")]
RECENT = 1000  # change entries read for the all-stories feed (it shows one per story)


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


@router.get("/stories.atom", summary="Atom feed of stories created or changed")
def stories_atom(request: Request) -> Response:
    """One entry per story created or changed, newest first, linking to its page."""
    base = _base(request)
    with request.app.state.pool.workspace() as ws:
        latest = latest_per_story(ws.recent_changes(limit=RECENT))
        titles = {sid: s["title"] for sid, s in request.app.state.views.index(ws).by_id.items()}
    body = stories_feed(
        latest,
        titles,
        lambda sid: f"{base}/stories/{path_part(sid)}",
        f"{base}/stories.atom",
        f"{base}/",
    )
    return Response(body, media_type=ATOM_TYPE)


@router.get("/stories/{story_id}.atom", summary="Atom feed of one story's changes")
def story_atom(request: Request, story_id: StoryId) -> Response:
    """The story's change entries (sources joined, new claims, status changes, new
    values and quotes), newest first."""
    base = _base(request)
    with request.app.state.pool.workspace() as ws:
        story = ws.story(story_id)
        if story is None:
            raise HTTPException(404, f"no story with id {story_id!r}")
        changes = ws.changes(story_id)
    body = story_feed(
        story_id,
        story.get("title"),
        changes,
        lambda sid: f"{base}/stories/{path_part(sid)}",
        f"{base}/stories/{path_part(story_id)}.atom",
    )
    return Response(body, media_type=ATOM_TYPE)
