"""The database handle: WAL mode, migrations on open, and one write gate.

Every write goes through `Database.write()`, a `BEGIN IMMEDIATE` transaction: a unit
of work (one article with all its rows, one analysed batch) lands whole or not at all,
so a killed process never leaves half an article behind. Other processes may be writing
too (issue 14): every connection waits up to `BUSY_SECONDS` for a lock instead of
failing with "database is locked".

Opening for reading only (`create=False`) never creates a file or folder: a mistyped
`--db` is an error, not a new empty store. A database this process cannot write (read-only
media, someone else's file) is opened read-only (`mode=ro`), and writes to it raise
`StoreError` saying so.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from ..errors import StoreError
from .migrations import MIGRATIONS

# How long a statement waits for another process's lock. Writes are short units (one
# article, one batch), so anything longer than this is a stuck process, not contention.
BUSY_SECONDS = 60.0


def can_write(path: Path) -> bool:
    """True when this process may write the database file and create its journal files
    (-wal, -shm) beside it. Separate so tests (which run as root) can say no."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def utcnow() -> str:
    """Now, as an ISO timestamp in UTC (what the store records)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class Database:
    """An open newsprism database file.

    Opening runs any pending migrations. Reads use `conn` directly; writes use
    `with db.write() as conn:`.
    """

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        self.path = str(path)
        self.readonly = False
        memory = self.path == ":memory:"
        if not memory and not create and not Path(self.path).is_file():
            raise StoreError(f"no database at {self.path} (create it with `newsprism ingest`)")
        try:
            if not memory and create:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self.readonly = not memory and Path(self.path).is_file() and not can_write(Path(path))
            self.conn = self._connect()
            if not self.readonly:
                self.conn.execute("PRAGMA journal_mode=WAL")
                self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}") from None

    def _connect(self) -> sqlite3.Connection:
        if self.readonly:
            uri = Path(self.path).resolve().as_uri() + "?mode=ro"
            conn = sqlite3.connect(
                uri, uri=True, isolation_level=None, check_same_thread=False, timeout=BUSY_SECONDS
            )
        else:
            conn = sqlite3.connect(
                self.path, isolation_level=None, check_same_thread=False, timeout=BUSY_SECONDS
            )
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")
        return conn

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; rolled back whole if anything inside raises."""
        if self.readonly:
            raise StoreError(f"database {self.path} is read-only here: cannot write to it")
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def _migrate(self) -> None:
        if self.readonly:
            self._check_current()
            return
        with self.write() as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS migrations "
                "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            done = {row[0] for row in conn.execute("SELECT name FROM migrations")}
            for name, func in MIGRATIONS:
                if name not in done:
                    func(conn)
                    conn.execute(
                        "INSERT INTO migrations (name, applied_at) VALUES (?, ?)",
                        (name, utcnow()),
                    )

    def _check_current(self) -> None:
        """A read-only database cannot be migrated: it must already be up to date."""
        try:
            done = {r[0] for r in self.conn.execute("SELECT name FROM migrations")}
        except sqlite3.OperationalError:
            done = set()
        missing = [name for name, _ in MIGRATIONS if name not in done]
        if missing:
            raise StoreError(
                f"database {self.path} is read-only here and needs upgrading"
                f" ({', '.join(missing)}): open it once where it can be written"
            )

    def applied_migrations(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT name FROM migrations ORDER BY rowid")]

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
