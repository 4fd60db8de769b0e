"""The watch loop: poll the feeds that are due, store what is new, analyse, cluster.

Units of work, each finished before a stop request is honoured (Ctrl-C / SIGTERM set
`Watcher.stop`): polling one feed (its request, its new entries — each article in its
own transaction, as `ingest` writes them — and its state), and the pipeline run after
a cycle (`analyse` then `cluster`, which logs each touched story's changes). Anything a
stop leaves for later (articles stored but not analysed) is picked up by the next run,
because every stage does only what is not done yet.

A cycle waits until at least one feed is due (`watch_feeds.next_poll`), so a restarted
watch does not poll a feed early, and polls every due feed once.

A cycle's pipeline costs what its new articles cost (issue 15): the models stay loaded
in this process, the entity registry stays warm in the Workspace (advanced by the new
articles, not replayed over the corpus), and the embedder runs on one torch thread
(setting `embed_threads`), which under load was the difference between 0.6 s and 6 s
for a cycle's analysis.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..api import Workspace
from ..errors import InputError
from ..ingest.dedup import NearDuplicateIndex
from ..ingest.html import extract_html
from ..ingest.pipeline import load_index, store_article
from ..models import RawArticle, Rejected
from . import state as st
from .entries import EMPTY_FEED, read_body
from .http import PoliteClient
from .sources import FeedSource

MAX_WAIT = 60.0  # longest single sleep between cycles: a new stop is noticed this fast anyway
DUE_SLACK = 0.25  # share of the interval: a feed due that soon joins the current cycle
MAX_SLACK = 30.0  # seconds; never poll a feed more than this early


@dataclass(slots=True)
class FeedReport:
    """One feed's poll: `outcome` is changed, unchanged or failed."""

    url: str
    outcome: str
    status: str
    new: int = 0
    updated: int = 0
    duplicates: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    error: str | None = None


@dataclass(slots=True)
class CycleReport:
    number: int
    feeds: list[FeedReport] = field(default_factory=list)
    analysed: int = 0
    clustered: int = 0
    changes: list[Any] = field(default_factory=list)  # StoryChange entries written
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)  # seconds per pipeline stage

    def summary(self) -> str:
        new = sum(f.new for f in self.feeds)
        updated = sum(f.updated for f in self.feeds)
        failed = sum(f.outcome == "failed" for f in self.feeds)
        unchanged = sum(f.outcome == "unchanged" for f in self.feeds)
        return (
            f"cycle {self.number}: {len(self.feeds)} feeds polled ({unchanged} unchanged,"
            f" {failed} failed), {new} new and {updated} updated entries, {self.analysed}"
            f" analysed, {self.clustered} clustered, {len(self.changes)} stories changed"
            f" ({self.seconds:.1f} s)"
        )


def warm_models(ws: Workspace) -> None:
    """Load the analysis models and the entity registry now (both stay warm in `ws`),
    so that the first new entry of a long watch is not delayed by seconds of loading
    while its story waits."""
    ws.warm()


class Watcher:
    """Polls `feeds` into `ws` (see the module docstring)."""

    def __init__(
        self,
        ws: Workspace,
        feeds: Sequence[FeedSource],
        *,
        interval: float | None = None,
        fetch: bool = False,
        client: PoliteClient | None = None,
        on_feed: Callable[[FeedReport], None] | None = None,
    ) -> None:
        self.ws, self.feeds, self.fetch = ws, list(feeds), fetch
        settings = ws.settings
        self.interval = float(interval if interval is not None else settings["watch_interval"])
        self.idle_factor = float(settings["watch_idle_factor"])
        self.cap = float(settings["watch_max_backoff"])
        self.client = client or PoliteClient(settings)
        self.on_feed = on_feed
        self.stop = threading.Event()
        self._index: NearDuplicateIndex | None = None
        self._cycle = 0

    def run(
        self, cycles: int | None = None, on_cycle: Callable[[CycleReport], None] | None = None
    ) -> int:
        """Run `cycles` cycles (None: until stopped); returns the number run."""
        self._pipeline(CycleReport(0))  # finish what an interrupted run left behind
        if cycles is None:
            warm_models(self.ws)
        done = 0
        while not self.stop.is_set() and (cycles is None or done < cycles):
            if not self._wait_until_due():
                break
            report = self.cycle()
            done += 1
            if on_cycle is not None:
                on_cycle(report)
        return done

    def cycle(self) -> CycleReport:
        """Poll every due feed once, then analyse and cluster what is new."""
        started = time.perf_counter()
        self._cycle += 1
        report = CycleReport(self._cycle)
        now = time.time() + self._slack()
        for feed in self.feeds:
            if self.stop.is_set():
                break
            current = st.load(self.ws.db.conn, feed.url, feed.outlet)
            if current.next_poll <= now:
                polled = self.poll(feed, current)
                report.feeds.append(polled)
                if self.on_feed is not None:
                    self.on_feed(polled)
        if not self.stop.is_set():  # a stop leaves the pipeline to the next run
            self._pipeline(report)
        report.seconds = time.perf_counter() - started
        return report

    def _slack(self) -> float:
        """Feeds due this soon are polled with the ones due now: one pipeline run for
        them all instead of one per feed as their schedules drift apart."""
        return min(DUE_SLACK * self.interval, MAX_SLACK)

    def _wait_until_due(self) -> bool:
        """Sleep until a feed is due; False when stopped meanwhile."""
        while not self.stop.is_set():
            due = min(
                (st.load(self.ws.db.conn, f.url, f.outlet).next_poll for f in self.feeds),
                default=0.0,
            )
            wait = due - time.time()
            if wait <= 0:
                return True
            self.stop.wait(min(wait, MAX_WAIT))
        return False

    # -- one feed -------------------------------------------------------------------------

    def poll(self, feed: FeedSource, current: st.FeedState) -> FeedReport:
        """Fetch one feed conditionally and store its new or updated entries."""
        try:
            fetched = self.client.get(feed.url, current.etag, current.last_modified)
        except InputError as exc:
            return self._finish(current, FeedReport(feed.url, "failed", "error", error=exc.reason))
        if fetched.status == 304:
            return self._finish(current, FeedReport(feed.url, "unchanged", "304"))
        current.etag, current.last_modified = fetched.etag, fetched.last_modified
        report = FeedReport(feed.url, "unchanged", str(fetched.status))
        items = list(read_body(fetched.body, feed.url))
        if any(isinstance(i, Rejected) and i.reason == EMPTY_FEED for i in items):
            return self._finish(current, report)  # a feed with nothing in it yet
        whole = [i for i in items if isinstance(i, Rejected) and i.record is None]
        if whole:  # the body is not a feed at all: a failure, retried with back-off
            report.outcome, report.error = "failed", whole[0].reason
            current.etag = current.last_modified = None
            return self._finish(current, report)
        for item in reversed(items):  # feeds list newest first; store in publication order
            if isinstance(item, Rejected):
                self._reject_once(feed.url, item, report)
            else:
                self._take(feed, item, report)
        if report.new or report.updated:
            report.outcome = "changed"
        return self._finish(current, report)

    def _finish(self, current: st.FeedState, report: FeedReport) -> FeedReport:
        current.last_status, current.last_error = report.status, report.error
        current.entries += report.new + report.updated
        st.schedule(current, report.outcome, self.interval, self.idle_factor, self.cap)
        if report.outcome == "failed":
            current.last_error = report.error
        with self.ws.db.write() as conn:
            st.save(conn, current)
        return report

    def _reject_once(self, feed_url: str, item: Rejected, report: FeedReport) -> None:
        """A bad entry is reported the first time it is served, not at every poll."""
        key = f"rejected:{item.record}:{item.reason}"
        conn = self.ws.db.conn
        if st.seen_digest(conn, feed_url, key) is None:
            report.rejected.append(item)
            with self.ws.db.write() as w:
                st.remember(w, feed_url, key, "-")

    def _take(self, feed: FeedSource, raw: RawArticle, report: FeedReport) -> None:
        """Store one entry unless it was seen with the same content."""
        conn = self.ws.db.conn
        key = st.entry_key(raw, by_link=self.fetch)
        digest = st.entry_digest(raw)
        seen = st.seen_digest(conn, feed.url, key)
        if seen == digest or (self.fetch and seen is not None):
            return
        if feed.outlet:
            raw.source = feed.outlet
        item: RawArticle | Rejected = raw
        if self.fetch and raw.url:
            item = self._with_page(raw)
        if isinstance(item, Rejected):
            report.rejected.append(item)
            with self.ws.db.write() as w:
                st.remember(w, feed.url, key, digest)
            return
        outcome, value = store_article(
            self.ws.db,
            item,
            self._near_index(),
            self.ws.settings,
            on_stored=lambda w, _key: st.remember(w, feed.url, key, digest),
        )
        if outcome in {"new", "near"}:
            report.new += seen is None
            report.updated += seen is not None
            return
        if isinstance(value, Rejected):
            report.rejected.append(value)
        else:
            report.duplicates += 1
        with self.ws.db.write() as w:  # a sighting or a rejection: remember it all the same
            st.remember(w, feed.url, key, digest)

    def _with_page(self, raw: RawArticle) -> RawArticle | Rejected:
        """The entry's page, extracted, with the feed's fields filling what it lacks."""
        assert raw.url is not None
        try:
            page = self.client.page(raw.url)
        except InputError as exc:
            return Rejected(raw.origin, None, f"cannot fetch {raw.url}: {exc.reason}")
        item = extract_html(page, raw.origin, raw.input_id, url=raw.url)
        if isinstance(item, Rejected):
            return item
        item.title = raw.title or item.title
        item.source = raw.source or item.source
        item.published = raw.published or item.published
        item.author = raw.author or item.author
        item.meta["feed_summary"] = raw.text
        return item

    def _near_index(self) -> NearDuplicateIndex:
        if self._index is None:
            self._index = load_index(self.ws.db, self.ws.settings)
        return self._index

    # -- the pipeline ---------------------------------------------------------------------

    def _pipeline(self, report: CycleReport) -> None:
        """Analyse and cluster whatever is stored but not yet clustered."""
        conn = self.ws.db.conn
        waiting = conn.execute(
            "SELECT COUNT(*) FROM articles a WHERE NOT EXISTS"
            " (SELECT 1 FROM story_articles s WHERE s.article_key = a.key)"
        ).fetchone()[0]
        if not waiting:
            return
        since = conn.execute("SELECT COALESCE(MAX(id), 0) FROM story_changes").fetchone()[0]
        started = time.perf_counter()
        report.analysed = self.ws.analyse().analysed
        report.stages["analyse"] = time.perf_counter() - started
        report.clustered = self.ws.cluster().assigned  # and logs the stories' changes
        report.stages["cluster+changes"] = time.perf_counter() - started - report.stages["analyse"]
        report.changes = self.ws.changes_after(int(since))

    def close(self) -> None:
        self.client.close()
