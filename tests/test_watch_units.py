"""Feed lists, JSON Feed entries and back-off of `newsprism watch` (issue 15)."""

from __future__ import annotations

import json
import time
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from feedserver import atom, json_feed, rss
from newsprism.models import RawArticle, Rejected
from newsprism.watch import state
from newsprism.watch.entries import is_json_feed, read_body
from newsprism.watch.sources import FeedSource, read_sources

ENTRY = {
    "key": "urn:e1",
    "title": "Fire on a ferry",
    "text": "A fire broke out on the ferry near the harbour on Monday morning.",
    "published": "2026-03-02T08:00:00Z",
    "link": "https://example.org/e1",
}


def test_sources_from_urls_and_list_files(tmp_path: Path) -> None:
    listing = tmp_path / "feeds.txt"
    listing.write_text(
        "# my feeds\n"
        "https://a.example/rss.xml   Harbour Herald\n"
        "\n"
        "https://b.example/atom\tCoastal Times\n"
        "ftp://c.example/feed\n"
        "https://a.example/rss.xml\n",
        encoding="utf-8",
    )
    feeds, bad = read_sources([str(listing), "https://d.example/feed.json", "not a url"])
    assert feeds == [
        FeedSource("https://a.example/rss.xml", "Harbour Herald"),
        FeedSource("https://b.example/atom", "Coastal Times"),
        FeedSource("https://d.example/feed.json", None),
    ]
    assert [(r.path, r.record) for r in bad] == [(str(listing), "line 5"), ("not a url", None)]
    assert "only http and https" in bad[0].reason


def test_rss_atom_and_json_feed_give_the_same_article() -> None:
    found = []
    for body in (rss("T", [ENTRY]), atom("T", [ENTRY]), json_feed("T", [ENTRY])):
        (item,) = list(read_body(body, "https://x.example/feed"))
        assert isinstance(item, RawArticle)
        found.append((item.input_id, item.title, item.text, item.url, item.source))
    assert found[0] == found[1] == found[2]
    assert found[0][0] == "urn:e1"


def test_json_feed_bad_items_are_rejected_one_by_one() -> None:
    body = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1",
            "title": "T",
            "items": [
                "not an object",
                {"id": "x"},
                {"id": "y", "content_html": "<p>Text <b>here</b> that is long enough.</p>"},
            ],
        }
    ).encode()
    items = list(read_body(body, "u"))
    assert [type(i).__name__ for i in items] == ["Rejected", "Rejected", "RawArticle"]
    assert isinstance(items[2], RawArticle) and items[2].text.startswith("Text here")
    assert [i.record for i in items if isinstance(i, Rejected)] == ["entry 1", "entry 2"]


@given(st.binary(max_size=300))
def test_any_body_gives_values_not_exceptions(data: bytes) -> None:
    for item in read_body(b'{"version": "https://jsonfeed.org/version/1",' + data, "u"):
        assert isinstance(item, RawArticle | Rejected)
    assert is_json_feed(b'  {"version": "https://jsonfeed.org/version/1.1"}')


def test_back_off_grows_on_failure_and_quiet_and_resets_on_change() -> None:
    feed = state.FeedState("https://x.example/feed")
    waits = []
    for outcome in ("failed", "failed", "failed", "changed", "unchanged", "unchanged"):
        before = time.time()
        state.schedule(feed, outcome, interval=60, idle_factor=1.5, cap=300)
        waits.append(round(feed.next_poll - before))
    assert waits == [120, 240, 300, 60, 90, 135]
    assert feed.polls == 6 and feed.failures == 0 and feed.unchanged == 2


def test_entry_digest_changes_with_the_entry() -> None:
    raw = RawArticle(text="t" * 40, origin="o", input_id="e", title="A")
    updated = RawArticle(text="t" * 41, origin="o", input_id="e", title="A")
    assert state.entry_digest(raw) != state.entry_digest(updated)
    assert state.entry_key(raw, by_link=False) == "e"


def test_an_empty_feed_is_quiet_not_failing(tmp_path: Path) -> None:
    """Regression: a feed with no entries yet was counted as a failure and backed off."""
    from feedserver import FeedServer, Route
    from newsprism import Workspace
    from newsprism.watch import Watcher

    with FeedServer() as server, Workspace(tmp_path / "e.db", {"watch_host_delay": 0}) as ws:
        server.set("/empty.xml", Route(rss("Nothing yet", [])))
        feed = FeedSource(server.url("/empty.xml"))
        watcher = Watcher(ws, [feed], interval=60)
        with watcher.client:
            report = watcher.poll(feed, state.load(ws.db.conn, feed.url, None))
        (saved,) = state.all_feeds(ws.db.conn)
    assert report.outcome == "unchanged" and report.error is None
    assert saved.failures == 0 and saved.unchanged == 1
