"""Work claimed by one process among many sharing a database (issue 14, defect 2).

Two `analyse` runs on one database used to pick the same unanalysed articles and both
insert their analyses: the second crashed on `analyses.article_key`. Now a process
*claims* what it is about to do, in the same `BEGIN IMMEDIATE` transaction that finds
it, so no two processes ever hold the same item:

    work_leases(kind, item, owner, host, pid, expires_at)

`kind` is the stage (``analyse`` claims one row per article; ``cluster`` claims the
single item ``*``: clustering reads and rewrites the whole story state, so it runs one
process at a time and a second waits for the first). A claim is dropped when its work
is written (in that same transaction), when its owner finishes, and — so that nothing
waits forever on a process that died however it died — when it is *stale*: its
`expires_at` has passed (a live owner renews it every `RENEW_SECONDS` from a heartbeat
thread), or its owner is a process on this host that no longer exists (a `kill -9`
frees its work at once instead of after `LEASE_SECONDS`).
"""

from __future__ import annotations

import os
import socket
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from .database import BUSY_SECONDS, Database

# A claim outlives its owner's last heartbeat by this long. Long enough that a busy
# machine (2 cores, 8 users) never lets a live owner's claim lapse between renewals,
# short enough that a process on another host that vanished frees its work soon.
LEASE_SECONDS = 60.0
# Renewed three times per lease, so two missed heartbeats still keep it.
RENEW_SECONDS = LEASE_SECONDS / 3
# How often a process waiting for a stage (cluster) looks again.
POLL_SECONDS = 0.25


@dataclass(frozen=True, slots=True)
class Owner:
    """Who holds a claim: a random token, plus the host and pid that tell if it lives."""

    token: str
    host: str
    pid: int

    @classmethod
    def this_process(cls) -> Owner:
        return cls(uuid.uuid4().hex, socket.gethostname(), os.getpid())


def process_alive(pid: int) -> bool:
    """True when `pid` is a running process here (a zombie counts as dead).

    A killed child its parent has not reaped yet stays in the process table as a zombie;
    its claims must be freed all the same.
    """
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            state = fh.read().rsplit(")", 1)[-1].split()[0]
    except (OSError, IndexError):
        return True  # no /proc (not Linux): the signal probe said it exists
    return state not in ("Z", "X")


def drop_stale(conn: sqlite3.Connection, kind: str, now: float | None = None) -> int:
    """Delete `kind` claims whose lease lapsed or whose owner died here; how many.

    The caller holds the write transaction.
    """
    now = time.time() if now is None else now
    host = socket.gethostname()
    rows = conn.execute(
        "SELECT owner, host, pid, MAX(expires_at) FROM work_leases WHERE kind = ? GROUP BY owner",
        (kind,),
    ).fetchall()
    dead = [
        r[0]
        for r in rows
        if r[3] < now or (r[1] == host and r[2] != os.getpid() and not process_alive(r[2]))
    ]
    for token in dead:
        conn.execute("DELETE FROM work_leases WHERE kind = ? AND owner = ?", (kind, token))
    return len(dead)


def add_claims(conn: sqlite3.Connection, owner: Owner, kind: str, items: Iterable[str]) -> None:
    """Record `owner`'s claim on `items` (the caller checked they are free)."""
    expires = time.time() + LEASE_SECONDS
    conn.executemany(
        "INSERT INTO work_leases (kind, item, owner, host, pid, expires_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [(kind, item, owner.token, owner.host, owner.pid, expires) for item in items],
    )


def release(conn: sqlite3.Connection, owner: Owner, kind: str, items: Iterable[str]) -> None:
    """Drop `owner`'s claims on `items` (inside the transaction that wrote their work)."""
    conn.executemany(
        "DELETE FROM work_leases WHERE kind = ? AND item = ? AND owner = ?",
        [(kind, item, owner.token) for item in items],
    )


class Heartbeat:
    """Renews every claim of one owner from a daemon thread until stopped.

    It uses its own connection: the owner's connection may be inside a transaction, and
    SQLite connections must not be shared mid-transaction between threads.
    """

    def __init__(self, path: str, owner: Owner, every: float = RENEW_SECONDS) -> None:
        self.path, self.owner, self.every = path, owner, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="newsprism-heartbeat", daemon=True)

    def __enter__(self) -> Heartbeat:
        if self.path != ":memory:":
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None)
        except sqlite3.Error:
            return
        with conn:
            while not self._stop.wait(self.every):
                try:
                    conn.execute(
                        "UPDATE work_leases SET expires_at = ? WHERE owner = ?",
                        (time.time() + LEASE_SECONDS, self.owner.token),
                    )
                except sqlite3.Error:
                    continue  # busy beyond the timeout: the next beat tries again
        conn.close()


class Claimant:
    """One process's claims in one database: claim work, release it, stay alive."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.owner = Owner.this_process()

    @contextmanager
    def holding(self, kind: str) -> Iterator[Claimant]:
        """Keep this owner's claims renewed; drop any left when the block ends."""
        with Heartbeat(self.db.path, self.owner):
            try:
                yield self
            finally:
                with self.db.write() as conn:
                    conn.execute(
                        "DELETE FROM work_leases WHERE kind = ? AND owner = ?",
                        (kind, self.owner.token),
                    )

    @contextmanager
    def exclusive(self, kind: str) -> Iterator[None]:
        """Run the block as the only holder of stage `kind`, waiting for the current one.

        The wait ends when the holder finishes, or its claim goes stale (it died), so it
        never lasts forever.
        """
        while not self._try_exclusive(kind):
            time.sleep(POLL_SECONDS)
        with self.holding(kind):
            yield

    def _try_exclusive(self, kind: str) -> bool:
        with self.db.write() as conn:
            drop_stale(conn, kind)
            if conn.execute("SELECT 1 FROM work_leases WHERE kind = ?", (kind,)).fetchone():
                return False
            add_claims(conn, self.owner, kind, ["*"])
            return True
