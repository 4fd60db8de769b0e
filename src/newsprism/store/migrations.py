"""Schema migrations, registered in order and recorded in the `migrations` table.

Each migration is a function that receives the connection inside the write
transaction that records it, so a schema change and its record land together or not
at all. Add new ones at the end; never edit one that has shipped.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[tuple[str, Migration]] = []


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run statements one by one: `executescript` would COMMIT the open transaction."""
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def migration(func: Migration) -> Migration:
    """Register `func` as the next migration, named after the function."""
    MIGRATIONS.append((func.__name__, func))
    return func


@migration
def m001_articles(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE articles (
            key TEXT PRIMARY KEY,            -- content hash of the normalised text
            id TEXT NOT NULL UNIQUE,         -- the input's own id (GUIDE.md section 3)
            title TEXT, text TEXT NOT NULL, source TEXT, url TEXT, published TEXT,
            author TEXT, lang TEXT, words INTEGER NOT NULL,
            duplicate_of TEXT REFERENCES articles(key),
            duplicate_score REAL,
            meta TEXT NOT NULL DEFAULT '{}',
            ingested_at TEXT NOT NULL,
            seq INTEGER NOT NULL             -- ingestion order, for stable listings
        );
        CREATE INDEX articles_seq ON articles(seq);
        CREATE TABLE sightings (
            article_key TEXT NOT NULL REFERENCES articles(key) ON DELETE CASCADE,
            origin TEXT NOT NULL, input_id TEXT, source TEXT, url TEXT, published TEXT,
            seen_at TEXT NOT NULL
        );
        CREATE INDEX sightings_article ON sightings(article_key);
        CREATE TABLE minhashes (
            article_key TEXT PRIMARY KEY REFERENCES articles(key) ON DELETE CASCADE,
            signature BLOB NOT NULL
        );
        """,
    )


@migration
def m002_analysis(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE analyses (
            article_key TEXT PRIMARY KEY REFERENCES articles(key) ON DELETE CASCADE,
            lang TEXT, skipped TEXT, analysed_at TEXT NOT NULL, model TEXT
        );
        CREATE TABLE sentences (
            article_key TEXT NOT NULL REFERENCES articles(key) ON DELETE CASCADE,
            idx INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
            embedding BLOB,
            PRIMARY KEY (article_key, idx)
        );
        CREATE TABLE entities (
            id INTEGER PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL,
            UNIQUE (type, name)
        );
        CREATE TABLE mentions (
            article_key TEXT NOT NULL REFERENCES articles(key) ON DELETE CASCADE,
            start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL,
            type TEXT NOT NULL, entity_id INTEGER NOT NULL REFERENCES entities(id), role TEXT
        );
        CREATE INDEX mentions_article ON mentions(article_key);
        CREATE INDEX mentions_entity ON mentions(entity_id);
        CREATE TABLE quotes (
            article_key TEXT NOT NULL REFERENCES articles(key) ON DELETE CASCADE,
            start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL,
            speaker TEXT, cue TEXT
        );
        CREATE INDEX quotes_article ON quotes(article_key);
        CREATE TABLE quantities (
            article_key TEXT NOT NULL REFERENCES articles(key) ON DELETE CASCADE,
            start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL,
            kind TEXT NOT NULL, value REAL NOT NULL, unit TEXT, qualifier TEXT
        );
        CREATE INDEX quantities_article ON quantities(article_key);
        CREATE TABLE dates (
            article_key TEXT NOT NULL REFERENCES articles(key) ON DELETE CASCADE,
            start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL, value TEXT
        );
        CREATE INDEX dates_article ON dates(article_key);
        CREATE TABLE article_vectors (
            article_key TEXT PRIMARY KEY REFERENCES articles(key) ON DELETE CASCADE,
            vector BLOB NOT NULL             -- float32, L2-normalised (title, lead, centroid)
        );
        """,
    )
