"""Story snapshots and change entries in the store (issue 15; tables of migration m016).

The diff itself is `corroborate.changes`; this module only keeps its inputs and outputs:
the last snapshot per story and every non-empty change entry, each written with the
snapshot it was computed against in one transaction, so a crash can neither lose an
entry nor record one twice.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from ..corroborate.changes import Snapshot, StoryChange

MAX_CHANGES = 1000  # entries one read returns at most: a reader wants the latest


def touched_since(conn: sqlite3.Connection, node: int) -> list[str]:
    """Stories that gained a member with a node above `node` (i.e. in the last cluster)."""
    rows = conn.execute(
        "SELECT story_id, MIN(node) FROM story_articles WHERE node > ?"
        " GROUP BY story_id ORDER BY MIN(node)",
        (node,),
    )
    return [r[0] for r in rows]


def max_node(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT COALESCE(MAX(node), 0) FROM story_articles").fetchone()[0])


def load_snapshot(conn: sqlite3.Connection, story_id: str) -> Snapshot | None:
    row = conn.execute(
        "SELECT snapshot FROM story_snapshots WHERE story_id = ?", (story_id,)
    ).fetchone()
    return None if row is None else Snapshot.from_json(json.loads(row[0]))


def has_snapshot(conn: sqlite3.Connection, story_id: str) -> bool:
    found = conn.execute("SELECT 1 FROM story_snapshots WHERE story_id = ?", (story_id,))
    return found.fetchone() is not None


def save(conn: sqlite3.Connection, snap: Snapshot, change: StoryChange) -> None:
    """Write the new snapshot and, unless empty, its change entry (inside a write)."""
    conn.execute(
        "INSERT OR REPLACE INTO story_snapshots (story_id, snapshot, taken_at) VALUES (?, ?, ?)",
        (change.story_id, json.dumps(snap.to_json(), ensure_ascii=False), change.at),
    )
    if not change.empty():
        conn.execute(
            "INSERT INTO story_changes (story_id, at, change) VALUES (?, ?, ?)",
            (change.story_id, change.at, json.dumps(change.to_dict(), ensure_ascii=False)),
        )


def story_changes(
    conn: sqlite3.Connection, story_id: str, since: str | None = None, limit: int = MAX_CHANGES
) -> list[StoryChange]:
    """The story's change entries at or after `since`, newest first."""
    rows = conn.execute(
        "SELECT change FROM story_changes WHERE story_id = ? AND at >= ?"
        " ORDER BY at DESC, id DESC LIMIT ?",
        (story_id, since or "", limit),
    )
    return [StoryChange.from_dict(json.loads(r[0])) for r in rows]


def recent_changes(
    conn: sqlite3.Connection, since: str | None = None, limit: int = MAX_CHANGES
) -> list[StoryChange]:
    """Change entries of every story at or after `since`, newest first."""
    rows = conn.execute(
        "SELECT change FROM story_changes WHERE at >= ? ORDER BY at DESC, id DESC LIMIT ?",
        (since or "", limit),
    )
    return [StoryChange.from_dict(json.loads(r[0])) for r in rows]


def changes_after(conn: sqlite3.Connection, entry_id: int) -> list[StoryChange]:
    """Entries written after the entry numbered `entry_id`, oldest first."""
    rows = conn.execute(
        "SELECT change FROM story_changes WHERE id > ? ORDER BY id LIMIT ?",
        (entry_id, MAX_CHANGES),
    )
    return [StoryChange.from_dict(json.loads(r[0])) for r in rows]


def last_changed(
    conn: sqlite3.Connection, story_ids: Sequence[str] | None = None
) -> dict[str, str]:
    """Story id -> time of its latest change entry."""
    rows = conn.execute("SELECT story_id, MAX(at) FROM story_changes GROUP BY story_id")
    wanted = set(story_ids) if story_ids is not None else None
    return {r[0]: r[1] for r in rows if wanted is None or r[0] in wanted}


def change_count(conn: sqlite3.Connection, story_id: str) -> int:
    """Entries of one story: part of the story page's cache version."""
    found = conn.execute("SELECT COUNT(*) FROM story_changes WHERE story_id = ?", (story_id,))
    return int(found.fetchone()[0])
