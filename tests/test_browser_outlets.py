"""Coverage bars, outlet pages and blindspots in headless Chromium (issue 16).

The store is the outlets fixture (stories from its `story` field, no models) with the
user's outlet file imported and one stored brief, served by a real uvicorn.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from newsprism import Workspace
from test_browser import _assert_inert, serving
from test_outlets import DATA

pytestmark = pytest.mark.slow
sync_api = pytest.importorskip("playwright.sync_api")
HOSTILE_OUTLET = {
    "id": "h1",
    "title": "Hostile outlet story",
    "text": "A short article from an outlet with a hostile name, about nothing at all.",
    "source": "<img src=x onerror=alert(1)>Evil Outlet",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from newsprism.api import brief_digest
    from test_outlets import make_stories
    from test_outlets_serve import BRIEF

    folder = tmp_path_factory.mktemp("browser_outlets")
    db, hostile = folder / "o.db", folder / "hostile.jsonl"
    hostile.write_text(json.dumps(HOSTILE_OUTLET) + "\n", encoding="utf-8")
    with Workspace(db) as ws:
        ws.ingest([str(DATA / "articles.jsonl"), str(hostile)])
        make_stories(ws)
        ws.import_outlets(DATA / "outlets.csv")
        keys = [
            r[0]
            for r in ws.db.conn.execute(
                "SELECT article_key FROM story_articles WHERE story_id = 's-a' ORDER BY node"
            )
        ]
        (hkey,) = ws.db.conn.execute("SELECT key FROM articles WHERE id = 'h1'").fetchone()
        with ws.db.write() as w:
            w.execute(
                "INSERT INTO stories (id, seed_key, title_key, article_count, created_at,"
                " updated_at) VALUES ('s-h', ?, ?, 1, 't', 't')",
                (hkey, hkey),
            )
            w.execute(
                "INSERT INTO story_articles (node, article_key, story_id, how, assigned_at)"
                " VALUES (100, ?, 's-h', 'seed', 't')",
                (hkey,),
            )
            w.execute(
                "INSERT INTO briefs (story_id, digest, brief, created_at) VALUES (?, ?, ?, 't')",
                ("s-a", brief_digest(keys, ws.settings), json.dumps(BRIEF)),
            )
    with serving(db) as url:
        yield url


def _widths(card: Any) -> dict[str, float]:
    segs = card.locator(".cov-seg")
    return {
        segs.nth(i).get_attribute("data-value"): segs.nth(i).bounding_box()["width"]
        for i in range(segs.count())
    }


def test_coverage_bar_is_drawn_to_scale(page: Any, server: str) -> None:
    page.goto(f"{server}/?sort=size")
    flood = page.locator(".story-card", has_text="Flood barrier holds")
    widths = _widths(flood)
    assert set(widths) == {"left", "center", "right"}
    bar = flood.locator(".cov-bar").bounding_box()["width"]
    for w in widths.values():  # one source each: a third of the bar (5 % steps)
        assert abs(w - bar * 0.35) <= bar * 0.051
    budget = page.locator(".story-card", has_text="Senate passes the budget")
    assert _widths(budget) == {"left": pytest.approx(bar, abs=1)}
    page.select_option("select[name=covered]", "lean:left,right")
    page.click("form.filters button[type=submit]")
    titles = page.locator(".story-title").all_text_contents()
    assert titles == ["Flood barrier holds in river town"]
    _assert_inert(page)


def test_outlet_record_links_to_evidence(page: Any, server: str) -> None:
    page.goto(f"{server}/stories/s-a")
    page.locator(".coverage").first.wait_for()
    page.goto(f"{server}/outlets/fox-news")
    sync_api.expect(page.locator("h1")).to_have_text("Fox News")
    sync_api.expect(page.locator("#count-corroborated b")).to_have_text("1")
    page.click("#count-stands_alone")
    assert page.url.endswith("#stands_alone")
    page.locator("#corroborated + ol a.evidence").first.click()
    page.wait_for_url("**/articles/a4?hl=0-10")
    assert "".join(page.locator(".text .hl").all_text_contents()) == "The mayor "
    page.goto(f"{server}/blindspots?by=lean")
    cards = page.locator(".story-card.blindspot .story-title").all_text_contents()
    assert sorted(cards) == ["Border report released", "Senate passes the budget bill"]


def test_hostile_outlet_name_is_inert(page: Any, server: str) -> None:
    for path in ("/outlets", "/", "/blindspots?by=kind"):
        page.goto(server + path)
        _assert_inert(page)
    page.goto(f"{server}/outlets")
    assert page.get_by_text("Evil Outlet").count() >= 1
