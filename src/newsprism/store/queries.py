"""Read-side queries shared by the CLI, the exports and the web app.

Every query is parameterised; results are plain dicts in the shapes GUIDE.md §3 fixes,
so all front ends print the same thing.
"""

from __future__ import annotations

import sqlite3
from typing import Any


def list_articles(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """All stored articles in ingestion order (the `articles --json` contract)."""
    rows = conn.execute(
        "SELECT a.id, a.source, a.title, a.published, a.words, a.lang, d.id AS dup_id,"
        " a.duplicate_score, (SELECT COUNT(*) FROM sightings s WHERE s.article_key = a.key)"
        " AS sightings FROM articles a LEFT JOIN articles d ON d.key = a.duplicate_of"
        " ORDER BY a.seq"
    )
    return [
        {
            "id": r["id"],
            "source": r["source"],
            "title": r["title"],
            "published": r["published"],
            "words": r["words"],
            "lang": r["lang"],
            "duplicate_of": r["dup_id"],
            "duplicate_score": r["duplicate_score"],
            "sightings": r["sightings"],
        }
        for r in rows
    ]


def article_row(conn: sqlite3.Connection, article_id: str) -> sqlite3.Row | None:
    """The stored row of the article with this user-facing id (or content key)."""
    row = conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
    if row is None:
        row = conn.execute("SELECT * FROM articles WHERE key = ?", (article_id,)).fetchone()
    return row


def article_id_of(conn: sqlite3.Connection, key: str | None) -> str | None:
    if key is None:
        return None
    row = conn.execute("SELECT id FROM articles WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def sightings(conn: sqlite3.Connection, key: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT origin, input_id, source, url, published, seen_at FROM sightings"
        " WHERE article_key = ? ORDER BY rowid",
        (key,),
    )
    return [dict(r) for r in rows]
