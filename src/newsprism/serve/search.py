"""Search for the story list: SQLite FTS5 over article titles, texts and entity names.

The user's words never reach FTS5's query syntax: each whitespace-separated piece is
quoted as an FTS5 string (inner quotes doubled), so `AND`, `NEAR(`, `"`, `*` or `:` are
searched for as text instead of raising a syntax error — a bad query gives fewer
results, never a 500. The tables and the triggers that fill them are migration
`m010_search`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
MAX_ARTICLE_HITS = 20_000  # newest matching articles counted per query
ENTITY_BONUS = -100.0  # lower is better: a story naming a matching entity ranks first


def fts_query(text: str | None) -> str | None:
    """The user's text as an FTS5 query of quoted terms (implicitly ANDed), or None."""
    pieces = (text or "")[:MAX_QUERY_CHARS].replace("\x00", " ").split()[:MAX_TERMS]
    quoted = ['"' + p.replace('"', '""') + '"' for p in pieces]
    return " ".join(quoted) or None


def search_stories(
    conn: sqlite3.Connection, text: str | None, story_of: Mapping[int, str]
) -> dict[str, float]:
    """Story id -> relevance (lower is better) for stories whose articles match `text`.

    Relevance counts matching articles, a title match thrice, and ranks stories that
    mention an entity whose name matches first. Counting rowids (mapped to stories by
    `story_of`, article seq -> story id, which the story index keeps) avoids scoring
    every match with bm25: a word in every article cost 60 ms that way at 10k
    articles. The newest `MAX_ARTICLE_HITS` matches count, so the cost stays bounded.
    """
    query = fts_query(text)
    if query is None:
        return {}
    scores: dict[str, float] = {}
    sql = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT ?"
    for match, weight in ((query, 1.0), (f"title : ({query})", 2.0)):
        for (seq,) in conn.execute(sql, (match, MAX_ARTICLE_HITS)):
            story = story_of.get(seq)
            if story is not None:
                scores[story] = scores.get(story, 0.0) - weight
    named = [e["id"] for e in matching_entities(conn, text, limit=50)]
    for story_id in stories_of_entities(conn, named):
        scores[story_id] = scores.get(story_id, 0.0) + ENTITY_BONUS
    return scores


def matching_entities(
    conn: sqlite3.Connection, text: str | None, limit: int = 10
) -> list[dict[str, Any]]:
    """Entities whose name matches `text`, most mentioned first."""
    query = fts_query(text)
    if query is None:
        return []
    rows = conn.execute(
        "SELECT e.id, e.name, e.type, (SELECT COUNT(*) FROM mentions m WHERE m.entity_id = e.id)"
        " AS mentions FROM entities_fts JOIN entities e ON e.id = entities_fts.rowid"
        " WHERE entities_fts MATCH ? ORDER BY mentions DESC, e.name LIMIT ?",
        (query, limit),
    )
    return [dict(r) for r in rows]


def entities_by_ref(conn: sqlite3.Connection, ref: str) -> list[dict[str, Any]]:
    """The entity with this numeric id, else every entity with this name (any type, any
    case) — article pages link by canonical name, which several types can share."""
    if ref.isdigit() and len(ref) < 19:
        rows = conn.execute("SELECT id, name, type FROM entities WHERE id = ?", (int(ref),))
    else:
        rows = conn.execute(
            "SELECT id, name, type FROM entities WHERE name = ? COLLATE NOCASE ORDER BY id",
            (ref,),
        )
    return [dict(r) for r in rows]


def stories_of_entities(conn: sqlite3.Connection, entity_ids: Sequence[int]) -> dict[str, int]:
    """Story id -> number of mentions of these entities in its articles."""
    if not entity_ids:
        return {}
    marks = ", ".join("?" * len(entity_ids))
    rows = conn.execute(
        "SELECT sa.story_id, COUNT(*) FROM mentions m"
        " JOIN story_articles sa ON sa.article_key = m.article_key"
        f" WHERE m.entity_id IN ({marks}) GROUP BY sa.story_id",
        list(entity_ids),
    )
    return {story_id: int(n) for story_id, n in rows}


def story_of_seq(conn: sqlite3.Connection) -> dict[int, str]:
    """Article seq (the FTS rowid) -> story id, for every clustered article."""
    rows = conn.execute(
        "SELECT a.seq, sa.story_id FROM story_articles sa JOIN articles a ON a.key = sa.article_key"
    )
    return {int(seq): story for seq, story in rows}


def article_texts(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Article id -> {text, url, source, title} for the side-by-side comparison panel."""
    out: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        marks = ", ".join("?" * len(chunk))
        rows = conn.execute(
            f"SELECT id, text, url, source, title FROM articles WHERE id IN ({marks})", chunk
        )
        out.update({r["id"]: dict(r) for r in rows})
    return out


def stories_of_article(conn: sqlite3.Connection, article_id: str) -> list[str]:
    """The story (normally one) that holds the article with this id."""
    rows = conn.execute(
        "SELECT sa.story_id FROM story_articles sa JOIN articles a ON a.key = sa.article_key"
        " WHERE a.id = ?",
        (article_id,),
    )
    return [r[0] for r in rows]


def signature(conn: sqlite3.Connection) -> tuple[Any, ...]:
    """Changes whenever articles or stories change: cached views compare it per request.

    Each part is an indexed MAX or a COUNT, so the check costs microseconds.
    """
    row = conn.execute(
        "SELECT (SELECT MAX(seq) FROM articles), (SELECT MAX(node) FROM story_articles),"
        " (SELECT COUNT(*) FROM stories), (SELECT MAX(updated_at) FROM stories),"
        # an outlet import re-attributes every story (issue 16)
        " (SELECT COUNT(*) FROM outlets), (SELECT MAX(updated_at) FROM outlets),"
        " (SELECT MAX(id) FROM story_changes)"
    ).fetchone()
    return tuple(row)


def story_version(conn: sqlite3.Connection, story_id: str) -> tuple[Any, ...] | None:
    """(member count, last update, change entries) of one story, or None when no story
    has this id. The change log is written after the cluster run that updates the story,
    so its count is part of the version (issue 15)."""
    row = conn.execute(
        "SELECT article_count, updated_at, (SELECT COUNT(*) FROM outlets),"
        " (SELECT MAX(updated_at) FROM outlets),"
        " (SELECT COUNT(*) FROM story_changes WHERE story_id = stories.id)"
        " FROM stories WHERE id = ?",
        (story_id,),
    ).fetchone()
    return None if row is None else tuple(row)
