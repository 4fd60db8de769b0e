"""Rendering ahead, so the first readers after a start do not queue behind cold pages.

A cold story page costs ~2 ms of CPU (brief from the store, story view, template); 50
readers opening different stories right after a start would queue for those behind
Python's one interpreter lock (issue 6 measured p99 ~300 ms in the first seconds). So
`run` renders the default story list's first pages and the most recent stories before
it accepts connections: the stories a reader sees first are the ones they open. Older
stories render on first view and stay cached while the store does not change.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from . import search
from .outlet_pages import make_outlet_index
from .pages import DEFAULT_PER_PAGE, list_args, make_index, make_story
from .state import SORTS

LIST_PAGES = 5  # first pages of each order of the story list


def warm_imports() -> None:
    """Import the analysis readers now: their first import (spaCy) takes seconds, which
    would otherwise land on the first article request."""
    import newsprism.analyse.store_rows  # noqa: F401


def prewarm(app: Any, stories: int) -> int:
    """Render list pages and the `stories` most recent story pages into the page cache;
    stops at half the cache budget. Returns the number of pages rendered."""
    pool, views = app.state.pool, app.state.views
    with pool.workspace() as ws:
        signature = search.signature(ws.db.conn)
        ids = views.index(ws).by_recent[:stories]
    done = 0
    for sort in SORTS[1:]:
        for page in range(1, LIST_PAGES + 1):
            args = list_args(None, sort, None, page, DEFAULT_PER_PAGE)
            views.cached(("index", args, signature), partial(make_index, app, args))
            done += 1
    # The outlet pages' shared index (issue 16): seconds at 10k articles, built once here
    views.cached(("outlet-index", signature), partial(make_outlet_index, app))
    done += 1
    for story_id in ids:
        if views.bytes > views.max_bytes // 2:
            break
        with pool.workspace() as ws:
            version = search.story_version(ws.db.conn, story_id)
        if version is not None:
            views.cached(("html", story_id, version), partial(make_story, app, story_id, "html"))
            done += 1
    return done
