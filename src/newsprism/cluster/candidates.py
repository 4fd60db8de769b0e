"""Candidate retrieval: an HNSW index (usearch) over the vectors of clustered articles.

A new article is scored only against the stories of its nearest clustered articles, so
adding one costs O(candidates), not O(corpus). The index is a cache of the store, kept
in a file beside the database (`<db>.usearch`) so a second run starts where the first
stopped: on open, articles clustered since the file was written are added, and a file
that does not match the store (deleted, copied from elsewhere, corrupt) is rebuilt from
`article_vectors`. An in-memory database gets an in-memory index.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
from usearch.index import Index

from ..store.database import Database

_CHUNK = 4096


class VectorIndex:
    """Nearest clustered articles by inner product of L2-normalised vectors."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.path = None if db.path == ":memory:" else Path(db.path + ".usearch")
        self.index: Index | None = None
        self.max_node = 0
        # node -> (story, day) of every indexed article: the store is never asked
        # which story a neighbour belongs to (a few bytes per article)
        self.story_of: dict[int, tuple[str, int | None]] = {
            node: (story, day)
            for node, story, day in db.conn.execute(
                "SELECT node, story_id, day FROM story_articles WHERE indexed = 1"
            )
        }
        self._load()

    def __len__(self) -> int:
        return 0 if self.index is None else len(self.index)

    def _new(self, ndim: int) -> Index:
        # int8 and a sparse graph: 5x cheaper than f16/connectivity 16 at 100k articles
        # (bench/cluster_scale.py), and ranking same-event reports first, which are far
        # closer than anything else, needs no finer resolution
        return Index(
            ndim=ndim,
            metric="ip",
            dtype="i8",
            connectivity=8,
            expansion_add=32,
            expansion_search=40,
        )

    def _load(self) -> None:
        expected = self.db.conn.execute(
            "SELECT COUNT(*), COALESCE(MAX(node), 0) FROM story_articles WHERE indexed = 1"
        ).fetchone()
        if self.path is not None and self.path.exists():
            try:
                self.index = Index.restore(str(self.path))
            except Exception:  # a corrupt cache is rebuilt, never trusted
                self.index = None
            if self.index is not None and len(self.index):
                self.max_node = int(np.asarray(self.index.keys).max())
        self._catch_up(after=self.max_node)
        if len(self) != expected[0]:
            self.index, self.max_node = None, 0
            self._catch_up(after=0)

    def _catch_up(self, after: int) -> None:
        """Add the indexed articles with node > `after`, reading vectors in chunks."""
        cur = self.db.conn.execute(
            "SELECT s.node, v.vector FROM story_articles s"
            " JOIN article_vectors v ON v.article_key = s.article_key"
            " WHERE s.indexed = 1 AND s.node > ? ORDER BY s.node",
            (after,),
        )
        while rows := cur.fetchmany(_CHUNK):
            nodes = np.array([r[0] for r in rows], np.uint64)
            vecs = np.stack([np.frombuffer(r[1], np.float32) for r in rows])
            self.add(nodes, vecs)

    def add(self, nodes: np.ndarray, vectors: np.ndarray) -> None:
        """Index vectors; the caller records their stories in `story_of`."""
        if len(nodes) == 0:
            return
        if self.index is None:
            self.index = self._new(vectors.shape[1])
        self.index.add(np.asarray(nodes, np.uint64), np.asarray(vectors, np.float32))
        self.max_node = max(self.max_node, int(np.max(nodes)))

    def search(self, vectors: np.ndarray, k: int) -> list[list[tuple[int, float]]]:
        """Per query vector, up to `k` (node, similarity) pairs, nearest first."""
        if self.index is None or len(self.index) == 0 or len(vectors) == 0:
            return [[] for _ in range(len(vectors))]
        found: Any = self.index.search(np.asarray(vectors, np.float32), k)
        keys = np.atleast_2d(found.keys)
        dists = np.atleast_2d(found.distances)
        # one query gives a `Matches` (no padding, no counts), several a `BatchMatches`
        counts = np.atleast_1d(found.counts) if hasattr(found, "counts") else [keys.shape[1]]
        # slots past `counts` are padding (uninitialised distances): never read them
        return [
            [(int(keys[q, r]), 1.0 - float(dists[q, r])) for r in range(int(counts[q]))]
            for q in range(len(vectors))
        ]

    def save(self) -> None:
        """Write the cache file atomically (a crash leaves the old file or none)."""
        if self.path is None or self.index is None:
            return
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        self.index.save(str(tmp))
        os.replace(tmp, self.path)
