"""Which stored articles this process analyses: claimed batches (issue 14, defect 2).

Any number of `analyse` processes (and the web app's `POST /ingest`) may run on one
database. Each batch is found and claimed in one `BEGIN IMMEDIATE` transaction
(`store/leases.py`), so two processes never take the same article; the claim is dropped
in the transaction that writes the batch's analyses. Articles claimed by a live process
are left to it; those of a dead one are taken over.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..store.database import Database
from ..store.leases import Claimant, add_claims, drop_stale
from .pipeline import Pending

KIND = "analyse"


def unanalysed_count(db: Database) -> int:
    """Stored articles with no analysis yet (claimed or not): the progress bar's total."""
    return int(
        db.conn.execute(
            "SELECT COUNT(*) FROM articles a LEFT JOIN analyses n ON n.article_key = a.key"
            " WHERE n.article_key IS NULL"
        ).fetchone()[0]
    )


def claim_batch(db: Database, claimant: Claimant, limit: int) -> list[Pending]:
    """Up to `limit` unanalysed, unclaimed articles in ingestion order, now claimed."""
    with db.write() as conn:
        drop_stale(conn, KIND)
        rows = conn.execute(
            "SELECT a.key, a.id, a.title, a.text, a.published, a.lang FROM articles a"
            " LEFT JOIN analyses n ON n.article_key = a.key"
            " LEFT JOIN work_leases c ON c.kind = ? AND c.item = a.key"
            " WHERE n.article_key IS NULL AND c.item IS NULL ORDER BY a.seq LIMIT ?",
            (KIND, limit),
        ).fetchall()
        add_claims(conn, claimant.owner, KIND, [r["key"] for r in rows])
    return [
        Pending(r["key"], r["id"], r["title"], r["text"], r["published"], r["lang"]) for r in rows
    ]


def claimed_batches(db: Database, claimant: Claimant, limit: int) -> Iterator[list[Pending]]:
    """Claimed batches until no unclaimed article is left (others' work is theirs)."""
    while batch := claim_batch(db, claimant, limit):
        yield batch
