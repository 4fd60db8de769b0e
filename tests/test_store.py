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


def test_m013_dedupes_sightings_of_older_stores(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "old.db"
    with Database(path) as db, db.write() as conn:
        # A store from before m013: no unique index, the same sighting three times.
        conn.execute("DROP INDEX sightings_origin_article")
        conn.execute("DELETE FROM migrations WHERE name = 'm013_unique_sightings'")
        conn.execute(
            "INSERT INTO articles (key, id, text, words, ingested_at, seq)"
            " VALUES ('k', 'a', 'text', 1, 'now', 1)"
        )
        for origin in ["f.jsonl:line 1"] * 3 + ["g.txt"]:
            conn.execute(
                "INSERT INTO sightings (article_key, origin, seen_at) VALUES ('k', ?, 'now')",
                (origin,),
            )
    with Database(path) as db:
        rows = db.conn.execute("SELECT origin FROM sightings ORDER BY origin").fetchall()
        assert [r[0] for r in rows] == ["f.jsonl:line 1", "g.txt"]
        with pytest.raises(sqlite3.IntegrityError), db.write() as conn:
            conn.execute(
                "INSERT INTO sightings (article_key, origin, seen_at) VALUES ('k', 'g.txt', 'x')"
            )
