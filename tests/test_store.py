import sqlite3
from pathlib import Path

import pytest

from newsprism.store import Database
from newsprism.store.migrations import MIGRATIONS


def test_migrations_recorded_once(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    with Database(path) as db:
        first = db.applied_migrations()
    with Database(path) as db:
        assert db.applied_migrations() == first == [name for name, _ in MIGRATIONS]
        assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_write_rolls_back_whole_unit(tmp_path: Path) -> None:
    with Database(tmp_path / "x.db") as db:
        with pytest.raises(RuntimeError), db.write() as conn:
            conn.execute("INSERT INTO entities (name, type) VALUES ('A', 'PERSON')")
            raise RuntimeError("crash mid-unit")
        assert db.conn.execute("SELECT COUNT(*) FROM entities").fetchone()[0] == 0


def test_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    from newsprism.errors import StoreError

    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot open database"):
        Database(bad)


def test_parameterised_queries_survive_hostile_ids(tmp_path: Path) -> None:
    from newsprism.store import queries

    with Database(tmp_path / "x.db") as db:
        assert queries.article_row(db.conn, "x' OR '1'='1") is None
        assert isinstance(db.conn, sqlite3.Connection)
