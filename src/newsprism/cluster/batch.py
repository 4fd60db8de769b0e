"""One batch of new articles: features, candidates, scores, and the grouping decision.

Reads only; everything it decides is returned as a `Plan` that `stories.py` writes in
one transaction. Articles are taken in ingestion order, a batch at a time; inside a
batch the grouping is order-free (average link), across batches it is incremental:
earlier stories are candidates that new articles can join but that never change id.
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .candidates import VectorIndex
from .features import (
    DATELINE_CHARS,
    ENTITY_TYPES,
    QUANTITY_KINDS,
    Features,
    content_terms,
    day_of,
    entity_term,
    frame_term,
    quantity_term,
    unpack_ids,
    unpack_terms,
)
from .vocab import Vocabulary

_PARAMS = 900  # bound on SQL variables per statement


@dataclass(slots=True)
class Pending:
    """An analysed article without a story."""

    key: str
    seq: int
    title: str | None
    text: str
    published: str | None
    duplicate_of: str | None
    vector: np.ndarray | None  # None when analysis skipped it (language, empty, ...)
    entities: list[str] = field(default_factory=list)
    quantities: set[str] = field(default_factory=set)  # `quantity_term`s
    frames: set[str] = field(default_factory=set)  # `frame_term`s
    dateline: str | None = None
    feats: Features | None = None


@dataclass(slots=True)
class Plan:
    """Where each article of a batch goes: `story` per key plus how and with what score.

    `new_stories` maps a new story id to its seed key.
    """

    story: dict[str, str] = field(default_factory=dict)
    how: dict[str, str] = field(default_factory=dict)
    score: dict[str, float | None] = field(default_factory=dict)
    new_stories: dict[str, str] = field(default_factory=dict)


def pending(conn: sqlite3.Connection, limit: int, after_seq: int = -1) -> list[Pending]:
    """The next `limit` analysed articles without a story, in ingestion order, from
    `after_seq` on (so a run scans the clustered prefix once, not once per batch)."""
    rows = conn.execute(
        "SELECT a.key, a.seq, a.title, a.text, a.published, a.duplicate_of, an.skipped,"
        " v.vector FROM articles a JOIN analyses an ON an.article_key = a.key"
        " LEFT JOIN article_vectors v ON v.article_key = a.key"
        " WHERE a.seq > ? AND NOT EXISTS"
        " (SELECT 1 FROM story_articles s WHERE s.article_key = a.key)"
        " ORDER BY a.seq LIMIT ?",
        (after_seq, limit),
    ).fetchall()
    out = [
        Pending(
            key=r["key"],
            seq=r["seq"],
            title=r["title"],
            text=r["text"],
            published=r["published"],
            duplicate_of=r["duplicate_of"],
            vector=None
            if r["skipped"] or r["vector"] is None
            else np.frombuffer(r["vector"], np.float32),
        )
        for r in rows
    ]
    _attach_evidence(conn, out)
    return out


def _attach_evidence(conn: sqlite3.Connection, items: list[Pending]) -> None:
    """Entities, figures, event frames and a dateline date of each analysable item, a
    chunk of keys per query."""
    by_key = {p.key: p for p in items if p.vector is not None}
    keys = list(by_key)
    types = ",".join("?" * len(ENTITY_TYPES))
    kinds = ",".join("?" * len(QUANTITY_KINDS))
    for chunk in _chunks(keys):
        marks = ",".join("?" * len(chunk))
        for key, name in conn.execute(
            f"SELECT DISTINCT m.article_key, e.name FROM mentions m"
            f" JOIN entities e ON e.id = m.entity_id"
            f" WHERE m.article_key IN ({marks}) AND m.type IN ({types})",
            (*chunk, *ENTITY_TYPES),
        ):
            by_key[key].entities.append(name)
        for key, kind, unit, value in conn.execute(
            f"SELECT article_key, kind, unit, value FROM quantities"
            f" WHERE article_key IN ({marks}) AND kind IN ({kinds})",
            (*chunk, *QUANTITY_KINDS),
        ):
            by_key[key].quantities.add(quantity_term(kind, unit, value))
        for key, kind, verb, arg in conn.execute(
            f"SELECT article_key, kind, verb, arg FROM frames WHERE article_key IN ({marks})",
            chunk,
        ):
            term = frame_term(kind, verb, arg)
            if term is not None:
                by_key[key].frames.add(term)
        for key, value in conn.execute(
            f"SELECT article_key, value FROM dates WHERE article_key IN ({marks})"
            f" AND start < ? AND value IS NOT NULL ORDER BY article_key, start",
            (*chunk, DATELINE_CHARS),
        ):
            item = by_key[key]
            if item.dateline is None and day_of(value) is not None:
                item.dateline = value


def featurise(items: list[Pending], vocab: Vocabulary, first_node: int) -> list[Features]:
    """Features of the analysable items, counting each into the document frequencies.

    The whole batch is counted before any scoring, so articles of one batch see each
    other's terms, as a batch clustering over the same texts would.
    """
    feats = []
    for node, item in enumerate((p for p in items if p.vector is not None), first_node):
        counts = content_terms(item.title, item.text)
        term_ids = vocab.lookup(counts)
        tf = np.array([0.0] * len(term_ids), np.float32)
        index = {t: i for i, t in enumerate(term_ids.tolist())}
        for term, n in counts.items():
            tf[index[vocab.ids[term]]] = n
        entity_ids = vocab.lookup({entity_term(e) for e in item.entities})
        quantity_ids = vocab.lookup(item.quantities)
        frame_ids = vocab.lookup(item.frames)
        vocab.add_document(term_ids, entity_ids, quantity_ids, frame_ids)
        assert item.vector is not None
        day = day_of(item.published) or day_of(item.dateline)
        item.feats = Features(
            node, item.key, item.vector, term_ids, tf, entity_ids, day,
            quantity_ids=quantity_ids, frame_ids=frame_ids,
        )  # fmt: skip
        feats.append(item.feats)
    return feats


def candidate_stories(
    index: VectorIndex,
    feats: list[Features],
    k: int,
    horizon_days: float = 0.0,
) -> list[list[str]]:
    """Per new article, the distinct stories of its `k` nearest clustered articles.

    With `horizon_days`, a neighbour dated further from a dated article than that is
    ignored, so stories gone cold are never even loaded (see `grouping._drop_cold`).
    """
    if not feats or len(index) == 0:
        return [[] for _ in feats]
    hits = index.search(np.stack([f.vector for f in feats]), k)
    found = index.story_of
    out = []
    for f, row in zip(feats, hits, strict=True):
        seen: dict[str, None] = {}
        for node, _ in row:
            story, day = found.get(node, (None, None))
            if story is None:
                continue
            dated = horizon_days > 0 and f.day is not None and day is not None
            if dated and abs(int(f.day or 0) - int(day or 0)) > horizon_days:
                continue
            seen.setdefault(story)
        out.append(list(seen))
    return out


def story_members(conn: sqlite3.Connection, story_id: str, limit: int) -> list[Features]:
    """The `limit` most recently added analysable members of a story."""
    rows = conn.execute(
        "SELECT s.node, s.article_key, s.terms, s.entities, s.quantities, s.frames, s.day,"
        " s.density, v.vector"
        " FROM story_articles s JOIN article_vectors v ON v.article_key = s.article_key"
        " WHERE s.story_id = ? AND s.indexed = 1 ORDER BY s.node DESC LIMIT ?",
        (story_id, limit),
    ).fetchall()
    out = []
    for r in rows:
        ids, tf = unpack_terms(r["terms"])
        vec = np.frombuffer(r["vector"], np.float32)
        out.append(
            Features(
                r["node"],
                r["article_key"],
                vec,
                ids,
                tf,
                unpack_ids(r["entities"]),
                r["day"],
                story_id,
                r["density"],
                unpack_ids(r["quantities"]),
                unpack_ids(r["frames"]),
            )
        )
    return out


class MemberCache:
    """Recent members per story, kept across batches (least recently used stories go).

    Consecutive batches retrieve many of the same stories; reading their members once,
    and adding each batch's new members as they are written, keeps the store out of the
    inner loop. Stories from earlier runs are read on first use.
    """

    def __init__(self, conn: sqlite3.Connection, limit: int, stories: int = 50_000) -> None:
        self.conn = conn
        self.limit = limit
        self.max_stories = stories
        self._cache: OrderedDict[str, list[Features]] = OrderedDict()

    def get(self, story_id: str) -> list[Features]:
        found = self._cache.get(story_id)
        if found is None:
            found = story_members(self.conn, story_id, self.limit)
            self._cache[story_id] = found
            if len(self._cache) > self.max_stories:
                self._cache.popitem(last=False)
        self._cache.move_to_end(story_id)
        return found

    def add(self, story_id: str, feats: list[Features]) -> None:
        """Record new members (in node order) once they are written."""
        if story_id in self._cache:
            newest = sorted(feats, key=lambda f: f.node, reverse=True)
            self._cache[story_id] = (newest + self._cache[story_id])[: self.limit]


def _chunks(values: list[Any], size: int = _PARAMS) -> list[list[Any]]:
    return [values[i : i + size] for i in range(0, len(values), size)]
