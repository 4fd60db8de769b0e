"""`newsprism watch` end to end against loopback feeds that change between polls, and
the change log, story page and Atom feeds it feeds (issue 15)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser
import pytest
from click.testing import CliRunner

from feedserver import FeedServer, Route, atom, json_feed, rss
from newsprism import Workspace
from newsprism.cli import cli
from newsprism.watch import FeedSource, Watcher

DATA = Path(__file__).parent / "data" / "watch"
ARTICLES = {a["key"]: a for a in json.loads((DATA / "articles.json").read_text("utf-8"))}
CORRECTION = " Correction: an earlier version misstated the time the ferry left port."
FAST = ["--set", "watch_host_delay=0", "--set", "fetch_timeout=1", "--set", "watch_idle_factor=1"]


def art(key: str, **changes: str) -> dict[str, Any]:
    return {**ARTICLES[key], **changes}


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        yield srv


def first_poll(server: FeedServer) -> None:
    """Four articles on three feeds (RSS, Atom, JSON Feed) and four broken feeds."""
    server.set("/herald.xml", Route(rss("Herald", [art("ferry-herald-1")])))
    server.set(
        "/coast.atom",
        Route(atom("Coast", [art("ferry-coast-1"), art("mine-coast-1")]), "application/atom+xml"),
    )
    server.set("/wire.json", Route(json_feed("Wire", [art("mine-wire-1")]), "application/json"))
    server.set("/down.xml", Route(status=500))
    server.set("/slow.xml", Route(rss("Slow", [art("ferry-herald-1")]), stall=2.5))
    server.set("/loop.xml", Route(status=302, location="/loop2.xml"))
    server.set("/loop2.xml", Route(status=302, location="/loop.xml"))
    server.set("/huge.xml", Route(endless=True))


def second_poll(server: FeedServer) -> None:
    """A new entry and an updated one on RSS, a new one on JSON Feed, Atom unchanged."""
    herald_1 = art("ferry-herald-1", text=ARTICLES["ferry-herald-1"]["text"] + CORRECTION)
    server.set("/herald.xml", Route(rss("Herald", [art("ferry-herald-2"), herald_1])))
    server.set(
        "/wire.json",
        Route(json_feed("Wire", [art("ferry-wire-1"), art("mine-wire-1")]), "application/json"),
    )


def feed_list(server: FeedServer, path: Path) -> Path:
    names = {
        "/herald.xml": "Harbour Herald",
        "/coast.atom": "Coastal Times",
        "/wire.json": "Nordic Wire",
        "/down.xml": "Down",
        "/slow.xml": "Slow",
        "/loop.xml": "Loop",
        "/huge.xml": "Huge",
    }
    path.write_text("".join(f"{server.url(p)} {n}\n" for p, n in names.items()), "utf-8")
    return path


def invoke(db: Path, *args: str) -> Any:
    result = CliRunner().invoke(cli, ["--db", str(db), *FAST, *args], catch_exceptions=False)
    return result


def story_of(ws: Workspace, article_id: str) -> str:
    return next(s["id"] for s in ws.stories() if article_id in {a["id"] for a in s["articles"]})


@pytest.mark.slow
def test_watch_ingests_each_entry_once_and_logs_exactly_what_changed(
    server: FeedServer, tmp_path: Path
) -> None:
    db = tmp_path / "news.db"
    feeds = feed_list(server, tmp_path / "feeds.txt")
    first_poll(server)
    result = invoke(db, "watch", str(feeds), "--cycles", "1", "--interval", "0.2")
    assert result.exit_code == 0, result.output
    for reason in ("HTTP 500", "timed out", "redirect loop", "over fetch_max_bytes"):
        assert reason in result.output
    with Workspace(db) as ws:
        ferry = story_of(ws, "ferry-herald-1")
        old_brief = ws.brief(ferry)
        assert [c.kind for c in ws.changes(ferry)] == ["created"]

    second_poll(server)
    time.sleep(0.3)  # the feeds are due again (the interval is stored with them)
    result = invoke(db, "watch", str(feeds), "--cycles", "1", "--interval", "0.2")
    assert result.exit_code == 0, result.output

    # every new entry stored exactly once; the updated entry stored as a new version
    with Workspace(db) as ws:
        rows = ws.articles()
        ids = sorted(a["id"] for a in rows)
        assert len(ids) == 7 and sorted(set(ids)) == ids
        for row in rows:
            assert len(ws.article(row["id"])["sightings"]) == 1  # type: ignore[index]
        updated = next(a for a in rows if a["id"].startswith("ferry-herald-1~"))
        assert updated["duplicate_of"] == "ferry-herald-1"
        new_brief = ws.brief(ferry)
        assert story_of(ws, "ferry-wire-1") == ferry
        mine = story_of(ws, "mine-wire-1")
        assert [c.kind for c in ws.changes(mine)] == ["created"]  # nothing new there
    coast = server.hits_for("/coast.atom")
    assert [(h.status, h.conditional) for h in coast] == [(200, False), (304, True)]
    assert [h.conditional for h in server.hits_for("/herald.xml")] == [False, True]

    result = invoke(db, "story", ferry, "--changes", "--json")
    entries = json.loads(result.output)
    assert [e["kind"] for e in entries] == ["updated", "created"]
    latest = entries[0]
    assert sorted(a["id"] for a in latest["articles"]) == sorted(
        ["ferry-herald-2", "ferry-wire-1", updated["id"]]
    )
    assert latest["sources_joined"] == ["Nordic Wire"]
    _check_claims(latest, old_brief, new_brief)
    old_quotes = {q["text"] for q in old_brief["quotes"]}
    assert sorted(q["text"] for q in latest["quotes_new"]) == sorted(
        q["text"] for q in new_brief["quotes"] if q["text"] not in old_quotes
    )
    text = invoke(db, "story", ferry, "--changes", "--since", "1h").output
    assert "Nordic Wire (new source)" in text

    # a third poll with nothing new: only conditional requests, no change entry
    time.sleep(0.3)
    before = len(server.hits)
    invoke(db, "watch", str(feeds), "--cycles", "1", "--interval", "0.2")
    good = [
        h for h in server.hits[before:] if h.path in {"/herald.xml", "/coast.atom", "/wire.json"}
    ]
    assert [(h.status, h.conditional) for h in good] == [(304, True)] * 3
    with Workspace(db) as ws:
        assert len(ws.changes(ferry)) == 2 and len(ws.articles()) == 7
    _check_atom(db, ferry, mine)


def _check_claims(latest: dict[str, Any], old: dict[str, Any], new: dict[str, Any]) -> None:
    """New claims are exactly the new brief's facts that share no evidence with the old
    brief's; a status change is reported for a shared claim whose status differs."""

    def spans(fact: dict[str, Any]) -> set[tuple[str, int]]:
        return {(e["article"], i) for e in fact["evidence"] for i in range(e["start"], e["end"])}

    old_spans = set().union(*(spans(f) for f in old["facts"]))
    expected_new = {f["id"] for f in new["facts"] if not spans(f) & old_spans}
    assert {c["id"] for c in latest["claims_new"]} == expected_new
    for change in latest["status_changed"]:
        fact = next(f for f in new["facts"] if f["id"] == change["id"])
        assert fact["status"] == change["after"] != change["before"]
        assert any(spans(f) & spans(fact) and f["status"] == change["before"] for f in old["facts"])


def _check_atom(db: Path, ferry: str, mine: str) -> None:
    from fastapi.testclient import TestClient

    from newsprism.serve.app import create_app

    with TestClient(create_app(db)) as client:
        listing = feedparser.parse(client.get("/stories.atom").content)
        assert not listing.bozo
        assert [e.link for e in listing.entries] == [
            f"http://testserver/stories/{ferry}",
            f"http://testserver/stories/{mine}",
        ]
        story = client.get(f"/stories/{ferry}.atom")
        assert story.headers["content-type"].startswith("application/atom+xml")
        parsed = feedparser.parse(story.content)
        assert not parsed.bozo and len(parsed.entries) == 2
        assert "Nordic Wire" in parsed.entries[0].summary
        page = client.get(f"/stories/{ferry}").text
        assert 'id="changes"' in page and "/static/changes.js" in page
        assert page.count('class="change"') == 2
        index = client.get("/").text
        assert index.count("data-changed=") == 2
        assert client.get("/static/changes.js").status_code == 200


def test_fetch_mode_reads_pages_that_robots_txt_allows(server: FeedServer, tmp_path: Path) -> None:
    page = "<html><head><title>Ferry</title></head><body><article><p>{}</p></article></body></html>"
    body = ARTICLES["ferry-coast-1"]["text"]
    server.set("/robots.txt", Route(b"User-agent: *\nDisallow: /private/\n", "text/plain"))
    server.set("/news/1.html", Route(page.format(body).encode(), "text/html"))
    server.set("/private/2.html", Route(page.format("secret " * 50).encode(), "text/html"))
    entries = [
        art("ferry-coast-1", text="Short summary.", link=server.url("/news/1.html")),
        art("mine-coast-1", text="Short summary.", link=server.url("/private/2.html")),
    ]
    server.set("/feed.xml", Route(rss("Coast", entries)))
    with Workspace(tmp_path / "f.db", {"watch_host_delay": 0}) as ws:
        watcher = Watcher(ws, [FeedSource(server.url("/feed.xml"), "Coastal Times")], fetch=True)
        with watcher.client:
            feed = watcher.feeds[0]
            from newsprism.watch import state

            report = watcher.poll(feed, state.load(ws.db.conn, feed.url, feed.outlet))
            again = watcher.poll(feed, state.load(ws.db.conn, feed.url, feed.outlet))
        (stored,) = ws.articles()
        assert stored["source"] == "Coastal Times"
        assert "passengers were evacuated" in ws.article(stored["id"])["text"]  # type: ignore[index]
    assert report.new == 1 and "robots.txt" in report.rejected[0].reason
    assert again.outcome == "unchanged" and again.status == "304" and not again.rejected
    assert server.hits_for("/private/2.html") == []


def test_sigterm_finishes_the_unit_and_exits_0(server: FeedServer, tmp_path: Path) -> None:
    server.set("/down.xml", Route(status=500))
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    command = [sys.executable, "-m", "newsprism", "--db", str(tmp_path / "w.db"), "watch"]
    proc = subprocess.Popen(
        [*command, server.url("/down.xml"), "--interval", "30"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    deadline = time.time() + 60
    while not server.hits_for("/down.xml") and time.time() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)  # the poll is recorded; the watcher now waits for the next one
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "stopped after 1 cycles" in out and "HTTP 500" in err
    with Workspace(tmp_path / "w.db") as ws:
        (row,) = ws.db.conn.execute("SELECT failures, last_error FROM watch_feeds").fetchall()
    assert row[0] == 1 and "HTTP 500" in row[1]
