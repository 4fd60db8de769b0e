"""Reading stories back: the `stories --json` contract (GUIDE.md §3) and one story's detail.

Aggregates that depend on the members (dates, sources, independent sources) are computed
here from the articles rather than stored, so they can never drift from the members.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from typing import Any

from ..store.database import Database

_MEMBERS = (
    "SELECT sa.story_id, sa.node, sa.how, sa.score, a.key, a.id, a.source, a.title, a.url,"
    " a.published, a.duplicate_of, d.id AS dup_id FROM story_articles sa"
    " JOIN articles a ON a.key = sa.article_key"
    " LEFT JOIN articles d ON d.key = a.duplicate_of"
)


def list_stories(db: Database) -> list[dict[str, Any]]:
    """Every story, largest first (then oldest first), as GUIDE.md §3 prints them."""
    members: dict[str, list[sqlite3.Row]] = defaultdict(list)
    for row in db.conn.execute(_MEMBERS + " ORDER BY sa.node"):
        members[row["story_id"]].append(row)
    titles = _titles(db.conn)
    updated = dict(db.conn.execute("SELECT id, updated_at FROM stories").fetchall())
    out = [_story_dict(sid, titles.get(sid), rows) for sid, rows in members.items()]
    for story in out:
        story["updated_at"] = updated.get(story["id"])
    out.sort(key=lambda s: (-s["article_count"], members[s["id"]][0]["node"]))
    return out


def story_detail(db: Database, story_id: str) -> dict[str, Any] | None:
    """One story with its articles' titles, dates, urls and how each joined; None if
    no story has this id."""
    rows = db.conn.execute(_MEMBERS + " WHERE sa.story_id = ? ORDER BY sa.node", (story_id,))
    members = rows.fetchall()
    if not members:
        return None
    story = _story_dict(story_id, _titles(db.conn, story_id).get(story_id), members)
    for out, row in zip(story["articles"], members, strict=True):
        out.update(
            title=row["title"],
            published=row["published"],
            url=row["url"],
            how=row["how"],
            score=None if row["score"] is None else round(float(row["score"]), 4),
        )
    return story


def _story_dict(story_id: str, title: str | None, rows: list[sqlite3.Row]) -> dict[str, Any]:
    dates = sorted(r["published"] for r in rows if r["published"])
    sources = sorted({r["source"] for r in rows if r["source"]})
    return {
        "id": story_id,
        "title": title,
        "articles": [
            {"id": r["id"], "source": r["source"], "title": r["title"], "duplicate_of": r["dup_id"]}
            for r in rows
        ],
        "first_published": dates[0] if dates else None,
        "last_published": dates[-1] if dates else None,
        "sources": sources,
        "article_count": len(rows),
        "independent_sources": independent_sources(rows),
    }


def recency(story: dict[str, Any]) -> str:
    """The key of the "recent" order: the newest publication date of a member, else
    (no member is dated) when the story last changed (issue 14: the biggest undated
    stories sorted after every dated one, off the first page)."""
    return str(story.get("last_published") or story.get("updated_at") or "")


def independent_sources(rows: list[sqlite3.Row]) -> int:
    """Distinct outlets among the members that are not reprints of another member.

    A near-duplicate is followed through `duplicate_of` to the member it copies and
    counts once with it; an original with no known source counts as one outlet of its
    own, because nothing says it repeats another.
    """
    keys = {r["key"]: r for r in rows}
    outlets = set()
    for row in rows:
        root, seen = row, set()
        while root["duplicate_of"] in keys and root["key"] not in seen:
            seen.add(root["key"])
            root = keys[root["duplicate_of"]]
        outlets.add(root["source"] or "\0" + root["key"])
    return len(outlets)


def _titles(conn: sqlite3.Connection, story_id: str | None = None) -> dict[str, str | None]:
    """Story id -> its title: the title member's headline, else its first sentence."""
    sql = (
        "SELECT s.id, a.title, a.text, (SELECT start FROM sentences WHERE article_key = a.key"
        ' AND idx = 0) AS s0, (SELECT "end" FROM sentences WHERE article_key = a.key'
        " AND idx = 0) AS e0 FROM stories s JOIN articles a ON a.key = s.title_key"
    )
    rows = conn.execute(sql + " WHERE s.id = ?", (story_id,)) if story_id else conn.execute(sql)
    out: dict[str, str | None] = {}
    for row in rows:
        title = (row["title"] or "").strip()
        if not title and row["s0"] is not None:
            title = row["text"][row["s0"] : row["e0"]].strip()
        out[row["id"]] = title or (row["text"] or "").strip().split("\n")[0][:200] or None
    return out
