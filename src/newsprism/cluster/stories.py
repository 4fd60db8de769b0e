"""Incremental story assignment: every analysed article without a story gets one.

    cluster_new(db, settings) -> ClusterReport

Articles are taken in ingestion order, `cluster_batch_size` at a time. For each batch:
count its terms and entities into the document frequencies, retrieve for each article
the stories of its `cluster_candidates` nearest clustered articles (usearch; neighbours
beyond `cluster_horizon_days` of a dated article are ignored), score the batch against
itself and against up to `cluster_max_members` recent members of each candidate story,
and group by average link with the old stories locked (`grouping.py`,
`agglomerate.py`): a merge needs a mean score of `cluster_threshold` and must stand out
from (`cluster_density_weight` of) its articles' neighbourhoods by
`cluster_relative_threshold`. A group that reaches
an old story joins it; any other group opens a new story whose id, ``s-`` + the first
12 characters of its first article's key, never changes. Near-duplicates
(`articles.duplicate_of`) always join their original's story. Articles the analysis
skipped (not English, empty) have no vector: they join their original's story when
they are a near-duplicate and otherwise stand alone, rather than being merged on
evidence the pipeline could not read.

Each batch is written in one transaction, so an interrupted run loses at most the batch
in flight and the next run continues where it stopped. Clustering reads and rewrites the
shared story state (document frequencies, the vector index), so one process at a time
runs it: a second `cluster` (or the web app's ingest) waits for the claim on the stage
(`store/leases.py`), then clusters whatever is left (issue 14).
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..progress import progress_bar
from ..store.database import Database, utcnow
from ..store.leases import Claimant
from .batch import MemberCache, Pending, Plan, candidate_stories, featurise, pending
from .candidates import VectorIndex
from .features import Features, pack_ids, pack_terms
from .grouping import Bar, build_grouping, plan_batch
from .listing import list_stories, story_detail
from .similarity import Scorer, Weights
from .vocab import Vocabulary

__all__ = ["ClusterReport", "cluster_new", "list_stories", "story_detail"]


@dataclass(slots=True)
class ClusterReport:
    """What one `cluster_new` run did."""

    assigned: int = 0
    new_stories: int = 0
    joined_existing: int = 0  # joined a story that existed before this run
    duplicates: int = 0  # placed by a near-duplicate link
    unanalysable: int = 0  # skipped by the analysis, so clustered on links only
    batches: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"{self.assigned} articles clustered: {self.new_stories} new stories, "
            f"{self.joined_existing} joined earlier stories, {self.duplicates} near-duplicates, "
            f"{self.unanalysable} unanalysable ({self.seconds:.1f} s)"
        )


def cluster_new(db: Database, settings: Any, progress: bool | None = False) -> ClusterReport:
    """Assign every analysed article that has no story yet (see the module docstring)."""
    started = time.perf_counter()
    with Claimant(db).exclusive("cluster"):
        report = _cluster_all(db, settings, progress)
    report.seconds = time.perf_counter() - started
    return report


def _cluster_all(db: Database, settings: Any, progress: bool | None) -> ClusterReport:
    report = ClusterReport()
    total = db.conn.execute(
        "SELECT COUNT(*) FROM analyses n LEFT JOIN story_articles s"
        " ON s.article_key = n.article_key WHERE s.article_key IS NULL"
    ).fetchone()[0]
    bar = progress_bar(total, "cluster", "article", progress, int(settings["progress_every"]))
    vocab = Vocabulary.load(db.conn)
    index = VectorIndex(db)
    scorer = Scorer(vocab, Weights.from_settings(settings))
    before = {r[0] for r in db.conn.execute("SELECT id FROM stories")}
    members = MemberCache(db.conn, int(settings["cluster_max_members"]))
    last = -1
    while items := pending(db.conn, int(settings["cluster_batch_size"]), last):
        last = items[-1].seq
        plan = _run_batch(db, items, vocab, index, scorer, members, settings)
        report.batches += 1
        report.assigned += len(items)
        report.new_stories += len(plan.new_stories)
        report.joined_existing += sum(1 for s in plan.story.values() if s in before)
        report.duplicates += sum(1 for h in plan.how.values() if h == "duplicate")
        report.unanalysable += sum(1 for i in items if i.vector is None)
        bar.update(len(items))
    bar.close()
    index.save()
    return report


def _run_batch(
    db: Database,
    items: list[Pending],
    vocab: Vocabulary,
    index: VectorIndex,
    scorer: Scorer,
    members: MemberCache,
    settings: Any,
) -> Plan:
    conn = db.conn
    first = int(conn.execute("SELECT COALESCE(MAX(node), 0) + 1 FROM story_articles").fetchone()[0])
    feats = featurise(items, vocab, first)
    horizon = float(settings["cluster_horizon_days"])
    cands = candidate_stories(index, feats, int(settings["cluster_candidates"]), horizon)
    grouping = build_grouping(conn, items, feats, cands, members, horizon)
    bar = Bar(
        float(settings["cluster_threshold"]),
        float(settings["cluster_relative_threshold"]),
        int(settings["cluster_density_k"]),
        float(settings["cluster_density_weight"]),
    )
    plan = plan_batch(feats, cands, grouping, scorer, bar)
    _place_unanalysable(conn, items, plan)
    _mark_duplicates(conn, items, plan)
    with db.write() as wconn:
        _persist(wconn, items, plan, vocab, first + len(feats))
    if feats:
        index.add(np.array([f.node for f in feats]), np.stack([f.vector for f in feats]))
    by_story: dict[str, list[Features]] = {}
    for f in feats:
        f.story = plan.story[f.key]
        index.story_of[f.node] = (f.story, f.day)
        by_story.setdefault(f.story, []).append(f)
    for story, new in by_story.items():
        members.add(story, new)
    return plan


def _story_of(conn: sqlite3.Connection, plan: Plan, key: str) -> str | None:
    if key in plan.story:
        return plan.story[key]
    row = conn.execute("SELECT story_id FROM story_articles WHERE article_key = ?", (key,))
    found = row.fetchone()
    return found[0] if found else None


def _place_unanalysable(conn: sqlite3.Connection, items: list[Pending], plan: Plan) -> None:
    """Near-duplicates follow their original; the rest open a story of their own."""
    for item in items:
        if item.feats is not None:
            continue
        story = _story_of(conn, plan, item.duplicate_of) if item.duplicate_of else None
        if story is None:
            story = "s-" + item.key[:12]
            plan.new_stories[story] = item.key
        plan.story[item.key], plan.score[item.key] = story, None
        plan.how[item.key] = "unanalysable"


def _mark_duplicates(conn: sqlite3.Connection, items: list[Pending], plan: Plan) -> None:
    for item in items:
        if item.duplicate_of and _story_of(conn, plan, item.duplicate_of) == plan.story[item.key]:
            plan.how[item.key] = "duplicate"


def _persist(
    conn: sqlite3.Connection, items: list[Pending], plan: Plan, vocab: Vocabulary, next_node: int
) -> None:
    """Write one batch: new stories, memberships, story aggregates, frequencies."""
    now = utcnow()
    conn.executemany(
        "INSERT INTO stories (id, seed_key, title_key, article_count, created_at, updated_at)"
        " VALUES (?, ?, ?, 0, ?, ?)",
        [(sid, seed, seed, now, now) for sid, seed in plan.new_stories.items()],
    )
    rows = []
    for item in items:
        f = item.feats
        if f is None:
            node, next_node = next_node, next_node + 1
        else:
            node = f.node
        rows.append(_member_row(node, item, f, plan, now))
    conn.executemany(
        "INSERT INTO story_articles (node, article_key, story_id, how, score, terms, entities,"
        " quantities, frames, day, density, indexed, assigned_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    by_story: dict[str, list[Pending]] = {}
    for item in items:
        by_story.setdefault(plan.story[item.key], []).append(item)
    for story, members in by_story.items():
        _update_story(conn, story, members, now)
    vocab.save(conn)


def _member_row(
    node: int, item: Pending, f: Features | None, plan: Plan, now: str
) -> tuple[Any, ...]:
    return (
        node,
        item.key,
        plan.story[item.key],
        plan.how[item.key],
        plan.score[item.key],
        None if f is None else pack_terms(f.term_ids, f.term_tf),
        None if f is None else pack_ids(f.entity_ids),
        None if f is None else pack_ids(f.quantity_ids),
        None if f is None else pack_ids(f.frame_ids),
        None if f is None else f.day,
        None if f is None else f.density,
        0 if f is None else 1,
        now,
    )


def _update_story(conn: sqlite3.Connection, story: str, members: list[Pending], now: str) -> None:
    """Count, vector sum and title: the member closest to the new centroid among the
    current title holder and the new members (the centroid moves a little per batch,
    so re-reading every member for a title would cost O(story) for no visible gain)."""
    row = conn.execute(
        "SELECT s.vector_sum, s.title_key, v.vector FROM stories s"
        " LEFT JOIN article_vectors v ON v.article_key = s.title_key WHERE s.id = ?",
        (story,),
    ).fetchone()
    new = [(m.key, m.vector) for m in members if m.vector is not None]
    total: np.ndarray | None = None
    if row["vector_sum"] is not None:
        total = np.frombuffer(row["vector_sum"], np.float32)
    if new:
        added = np.asarray(np.sum([v for _, v in new], axis=0), np.float32)
        total = added if total is None else total + added
    title_key, title_score = row["title_key"], None
    if total is not None and new:
        centroid = total / max(float(np.linalg.norm(total)), 1e-12)
        pool = new + ([(row["title_key"], np.frombuffer(row[2], np.float32))] if row[2] else [])
        scores = [float(np.dot(centroid, v)) for _, v in pool]
        best = int(np.argmax(scores))
        title_key, title_score = pool[best][0], scores[best]
    conn.execute(
        "UPDATE stories SET article_count = article_count + ?, vector_sum = ?, title_key = ?,"
        " title_score = COALESCE(?, title_score), updated_at = ? WHERE id = ?",
        (
            len(members),
            None if total is None else np.asarray(total, np.float32).tobytes(),
            title_key,
            title_score,
            now,
            story,
        ),
    )
