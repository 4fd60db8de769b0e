"""Each watched feed's state in the database (table `watch_feeds`, migration m016).

Kept in the store, not in memory, so that a restarted `watch` sends the same
conditional requests, keeps its back-off and never re-counts an entry (`watch_entries`
remembers every entry with a digest of its content).

Back-off (why): a failing feed is retried after `interval * 2**failures` — a server
that is down is not hammered, and one that recovers is seen again within the hour;
an unchanged feed after `interval * watch_idle_factor**unchanged` (1.0 = every
interval), both capped at `watch_max_backoff`.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from dataclasses import dataclass

from ..models import RawArticle
from ..store.database import utcnow

MAX_EXPONENT = 16  # 2**16 intervals is far beyond any cap: keeps the power finite


@dataclass(slots=True)
class FeedState:
    url: str
    outlet: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_poll: str | None = None
    next_poll: float = 0.0
    failures: int = 0
    unchanged: int = 0
    last_status: str | None = None
    last_error: str | None = None
    polls: int = 0
    entries: int = 0


_COLUMNS = (
    "url, outlet, etag, last_modified, last_poll, next_poll, failures, unchanged,"
    " last_status, last_error, polls, entries"
)


def load(conn: sqlite3.Connection, url: str, outlet: str | None) -> FeedState:
    row = conn.execute(f"SELECT {_COLUMNS} FROM watch_feeds WHERE url = ?", (url,)).fetchone()
    if row is None:
        return FeedState(url, outlet)
    state = FeedState(*tuple(row))
    state.outlet = outlet or state.outlet
    return state


def save(conn: sqlite3.Connection, state: FeedState) -> None:
    """Upsert (inside the caller's write transaction)."""
    conn.execute(
        f"INSERT OR REPLACE INTO watch_feeds ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            state.url,
            state.outlet,
            state.etag,
            state.last_modified,
            state.last_poll,
            state.next_poll,
            state.failures,
            state.unchanged,
            state.last_status,
            state.last_error,
            state.polls,
            state.entries,
        ),
    )


def all_feeds(conn: sqlite3.Connection) -> list[FeedState]:
    return [FeedState(*tuple(r)) for r in conn.execute(f"SELECT {_COLUMNS} FROM watch_feeds")]


def schedule(
    state: FeedState, outcome: str, interval: float, idle_factor: float, cap: float
) -> None:
    """Set counters and `next_poll` after a poll whose outcome is `changed`,
    `unchanged` or `failed`."""
    now = time.time()
    state.polls += 1
    state.last_poll = utcnow()
    if outcome == "failed":
        state.failures += 1
        wait = interval * 2 ** min(state.failures, MAX_EXPONENT)
    elif outcome == "unchanged":
        state.failures, state.last_error = 0, None
        state.unchanged += 1
        wait = interval * idle_factor ** min(state.unchanged, MAX_EXPONENT)
    else:
        state.failures = state.unchanged = 0
        state.last_error = None
        wait = interval
    state.next_poll = now + min(max(wait, interval), max(cap, interval))


def entry_key(raw: RawArticle, by_link: bool) -> str:
    """An entry's identity within its feed: its id (else link), or its link with --fetch
    (the page is what gets stored)."""
    if by_link and raw.url:
        return raw.url
    return raw.input_id or raw.url or raw.origin


def entry_digest(raw: RawArticle) -> str:
    """Digest of what the feed says about the entry: it changes when the entry is updated."""
    payload = "\x00".join((raw.title or "", raw.text, raw.published or ""))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:24]


def seen_digest(conn: sqlite3.Connection, feed_url: str, key: str) -> str | None:
    row = conn.execute(
        "SELECT digest FROM watch_entries WHERE feed_url = ? AND entry_id = ?", (feed_url, key)
    ).fetchone()
    return None if row is None else str(row[0])


def remember(conn: sqlite3.Connection, feed_url: str, key: str, digest: str) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO watch_entries (feed_url, entry_id, digest, seen_at)"
        " VALUES (?, ?, ?, ?)",
        (feed_url, key, digest, utcnow()),
    )
