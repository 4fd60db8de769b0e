"""What the web app keeps between requests: a few connections and caches that re-check the
store on every request.

SQLite connections are not shared between threads mid-query, so request threads borrow
one from a small pool (each a `Workspace`, the same API the CLI uses). Listing every
story costs ~90 ms at 10k articles and a brief may cost seconds, while a request has a
budget of a few milliseconds (issue 6: p99 < 100 ms at 50 clients); so the story index
and rendered story pages are cached in-process, keyed by a version read from the store
on each request (`search.signature`, `search.story_version`). A write by any process —
`newsprism cluster`, the ingest endpoint — changes the version and the next request
rebuilds; nothing is ever served stale for longer than the write takes to commit.
"""

from __future__ import annotations

import queue
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from ..api import Workspace
from ..cluster.listing import recency
from ..settings import Settings
from ..store.changes import last_changed
from . import search

T = TypeVar("T")
SORTS = ("relevance", "recent", "size")


def load_brief(ws: Workspace, story_id: str) -> dict[str, Any] | None:
    """The one place the app obtains a brief (GUIDE.md §3 contract); None if unknown.

    `Workspace.brief` caches it in the store keyed by the story's members and settings,
    so only the first reader of a changed story pays for building it.
    """
    return ws.brief(story_id)


class Pool:
    """At most `size` open workspaces, lent to one request thread at a time."""

    def __init__(self, db_path: str, settings: Settings, size: int = 8) -> None:
        self.db_path, self.settings, self.size = db_path, settings, size
        self._free: queue.LifoQueue[Workspace] = queue.LifoQueue()
        self._made = 0
        self._lock = threading.Lock()

    @contextmanager
    def workspace(self) -> Iterator[Workspace]:
        ws = self._take()
        try:
            yield ws
        finally:
            self._free.put(ws)

    def _take(self) -> Workspace:
        try:
            return self._free.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            grow = self._made < self.size
            self._made += grow
        if grow:
            try:
                return Workspace(self.db_path, self.settings)
            except BaseException:
                with self._lock:
                    self._made -= 1
                raise
        return self._free.get(timeout=30)

    def close(self) -> None:
        while True:
            try:
                self._free.get_nowait().close()
            except queue.Empty:
                return


@dataclass(frozen=True, slots=True)
class StoryIndex:
    """Every story (the `stories --json` contract) with the orders the list page offers."""

    signature: tuple[Any, ...]
    by_id: dict[str, dict[str, Any]]
    by_size: list[str]
    by_recent: list[str]
    sources: list[tuple[str, int]]  # outlet, number of stories; most first
    story_of_seq: dict[int, str]  # article seq (full-text rowid) -> story id

    @classmethod
    def build(cls, ws: Workspace, signature: tuple[Any, ...]) -> StoryIndex:
        stories = ws.stories()  # largest first, then oldest first
        changed = last_changed(ws.db.conn)
        for story in stories:  # the list marks stories changed since a visit (issue 15)
            story["changed_at"] = changed.get(story["id"])
        by_id = {s["id"]: s for s in stories}
        recent = sorted(stories, key=recency, reverse=True)
        counts: dict[str, int] = {}
        for story in stories:
            for source in story["sources"]:
                counts[source] = counts.get(source, 0) + 1
        return cls(
            signature,
            by_id,
            [s["id"] for s in stories],
            [s["id"] for s in recent],
            sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])),
            search.story_of_seq(ws.db.conn),
        )

    def select(
        self, scores: dict[str, float] | None, source: str | None, sort: str
    ) -> list[dict[str, Any]]:
        """Stories matching a search (`scores`, None = no search) and an outlet, sorted."""
        if scores is not None and sort == "relevance":
            order = sorted(scores, key=lambda sid: (scores[sid], sid))
        else:
            order = self.by_recent if sort == "recent" else self.by_size
            if scores is not None:
                order = [sid for sid in order if sid in scores]
        picked = (self.by_id[sid] for sid in order if sid in self.by_id)
        if source:
            return [s for s in picked if source in s["sources"]]
        return list(picked)


def _size(value: Any) -> int:
    """Approximate bytes a cached value holds (rendered pages are bytes)."""
    if isinstance(value, bytes | str):
        return len(value) + 100
    if isinstance(value, tuple):
        return sum(_size(v) for v in value)
    if isinstance(value, dict):
        return 100 * len(value) + 100
    return 1024


class Views:
    """The story index and an LRU of rendered results, both checked against the store.

    The LRU is bounded in bytes, not entries: at 10k articles every story page fits in
    ~30 MB, so a reader who wanders through old stories does not evict the front page.
    """

    def __init__(self, max_bytes: int = 64 * 1024 * 1024) -> None:
        self._index: StoryIndex | None = None
        self._index_lock = threading.Lock()
        self._lru: OrderedDict[tuple[Any, ...], tuple[Any, int]] = OrderedDict()
        self._lru_lock = threading.Lock()
        self._key_locks: dict[tuple[Any, ...], threading.Lock] = {}
        self.max_bytes, self.bytes = max_bytes, 0

    def index(self, ws: Workspace) -> StoryIndex:
        sig = search.signature(ws.db.conn)
        current = self._index
        if current is not None and current.signature == sig:
            return current
        with self._index_lock:  # one rebuild, however many requests notice the change
            current = self._index
            if current is None or current.signature != sig:
                current = self._index = StoryIndex.build(ws, sig)
            return current

    def peek(self, key: tuple[Any, ...]) -> Any:
        """The cached value for `key`, or None (the event loop's no-wait fast path)."""
        with self._lru_lock:
            entry = self._lru.get(key)
            if entry is None:
                return None
            self._lru.move_to_end(key)
            return entry[0]

    def cached(self, key: tuple[Any, ...], make: Callable[[], T]) -> T:
        """`make()` once per key (which must include a version) while it stays in the LRU;
        concurrent callers with a cold key wait for the one computation."""
        with self._lru_lock:
            lock = self._key_locks.setdefault(key, threading.Lock())
        with lock:
            hit = self.peek(key)
            if hit is not None:
                return hit
            try:
                value = make()
                self._store(key, value)
            finally:
                with self._lru_lock:
                    self._key_locks.pop(key, None)
            return value

    def _store(self, key: tuple[Any, ...], value: Any) -> None:
        size = _size(value)
        with self._lru_lock:
            self._lru[key] = (value, size)
            self.bytes += size
            while self.bytes > self.max_bytes and len(self._lru) > 1:
                _, (_, dropped) = self._lru.popitem(last=False)
                self.bytes -= dropped
