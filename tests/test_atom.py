"""Atom feeds of story changes (issue 15): valid, escaped, linked; and the story page
and `run --out` that carry the change log."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
from click.testing import CliRunner

from newsprism import Workspace
from newsprism.cli import cli
from newsprism.corroborate.changes import JoinedArticle, NewClaim, NewQuote, StoryChange
from newsprism.report.atom import latest_per_story, stories_feed, story_feed
from newsprism.store import changes as stored

HOSTILE = '<script>alert("x")</script> & \x00\x1b ]]> “quoted”'


def change(story: str, at: str) -> StoryChange:
    return StoryChange(
        story,
        at,
        "updated",
        articles=[JoinedArticle("a1", HOSTILE, HOSTILE, True)],
        claims_new=[NewClaim("a1:0", "single_source", HOSTILE)],
        quotes_new=[NewQuote(HOSTILE, None)],
    )


def test_feeds_are_valid_escaped_and_newest_first() -> None:
    entries = [
        change("s-1", "2026-03-02T10:00:00+00:00"),
        change("s-2", "2026-03-02T11:00:00+00:00"),
    ]
    entries.append(change("s-1", "2026-03-02T12:00:00+00:00"))
    body = stories_feed(
        latest_per_story(entries),
        {"s-1": HOSTILE, "s-2": "Second"},
        lambda sid: f"https://news.example/stories/{sid}",
        "https://news.example/stories.atom",
        "https://news.example/",
    )
    assert b"<script>" not in body
    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert [e.link for e in parsed.entries] == [
        "https://news.example/stories/s-1",
        "https://news.example/stories/s-2",
    ]
    assert parsed.entries[0].title == HOSTILE.replace("\x00", "").replace("\x1b", "")
    assert parsed.entries[0].updated == "2026-03-02T12:00:00+00:00"
    one = feedparser.parse(story_feed("s-1", None, entries[:1], lambda s: f"/stories/{s}", "x"))
    assert not one.bozo and len(one.entries) == 1
    assert "single_source" in one.entries[0].content[0].value


def test_run_writes_stories_atom_and_the_page_shows_new_entries(
    tmp_path: Path, examples: Path
) -> None:
    db, out = tmp_path / "news.db", tmp_path / "out"
    result = CliRunner().invoke(cli, ["--db", str(db), "run", str(examples), "--out", str(out)])
    assert result.exit_code == 0, result.output
    parsed = feedparser.parse((out / "stories.atom").read_bytes())
    assert not parsed.bozo and parsed.entries
    with Workspace(db) as ws:
        story_ids = [s["id"] for s in ws.stories()]
        links = {f"stories/{sid}.html" for sid in story_ids}
        assert len(parsed.entries) == len(story_ids)
        assert {e.link for e in parsed.entries} == links
        first = story_ids[0]
        assert [c.kind for c in ws.changes(first)] == ["created"]
    args = ["--db", str(db), "story", first, "--changes", "--json"]
    listing = json.loads(CliRunner().invoke(cli, args).output)
    assert listing[0]["kind"] == "created" and listing[0]["articles"]
    _page_follows_the_change_log(db, first)


def _page_follows_the_change_log(db: Path, story_id: str) -> None:
    """Regression: the story page was cached by (members, updated_at) only, so a change
    entry written after the cluster run never showed until the story changed again."""
    from fastapi.testclient import TestClient

    from newsprism.serve.app import create_app

    with TestClient(create_app(db)) as client:
        assert client.get(f"/stories/{story_id}").text.count('class="change"') == 1
        with Workspace(db) as ws, ws.db.write() as conn:
            snap = stored.load_snapshot(conn, story_id)
            assert snap is not None
            stored.save(conn, snap, change(story_id, "2099-01-01T00:00:00+00:00"))
        page = client.get(f"/stories/{story_id}").text
        assert page.count('class="change"') == 2
        assert "&lt;script&gt;" in page and "<script>alert" not in page
