"""Incremental document frequencies for terms and entities, kept in the store.

IDF is what makes a shared "earthquake" worth little and a shared "Qeshm" worth a lot,
and it must grow with the corpus: each clustered article adds one to the frequency of
each of its distinct terms. The table is loaded whole at the start of a run (it grows
with the vocabulary, not with the number of articles) and only the rows a batch
changed are written back, inside that batch's transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

import numpy as np


class Vocabulary:
    """Term -> dense id, with per-id document frequency and the number of documents."""

    def __init__(self, terms: dict[str, int], df: np.ndarray, docs: int) -> None:
        self.ids = terms
        self.df = df
        self.docs = docs
        self._dirty: set[int] = set()
        self._new_from = len(terms)
        self._new: list[str] = []

    @classmethod
    def load(cls, conn: sqlite3.Connection) -> Vocabulary:
        """Read the whole table (one query) and the document count."""
        terms: dict[str, int] = {}
        dfs: list[int] = []
        for term_id, term, df in conn.execute("SELECT id, term, df FROM cluster_terms ORDER BY id"):
            if term_id != len(dfs):
                raise ValueError("cluster_terms ids must be dense; the table was edited")
            terms[term] = term_id
            dfs.append(df)
        row = conn.execute("SELECT value FROM cluster_state WHERE name = 'docs'").fetchone()
        return cls(terms, np.asarray(dfs, np.int64), int(row[0]) if row else 0)

    def lookup(self, terms: Iterable[str]) -> np.ndarray:
        """Ids of `terms` (sorted, unique), adding unseen terms with frequency 0."""
        out = []
        for term in terms:
            term_id = self.ids.get(term)
            if term_id is None:
                term_id = self.ids[term] = len(self.ids)
                self._new.append(term)
            out.append(term_id)
        if len(self.ids) > len(self.df):
            grown = np.zeros(max(len(self.ids), 2 * len(self.df)), np.int64)
            grown[: len(self.df)] = self.df
            self.df = grown
        return np.unique(np.asarray(out, np.int32))

    def add_document(self, *id_sets: np.ndarray) -> None:
        """Count one document containing these (distinct) ids."""
        self.docs += 1
        for ids in id_sets:
            self.df[ids] += 1
            self._dirty.update(ids.tolist())

    def idf(self, ids: np.ndarray) -> np.ndarray:
        """Smoothed IDF, ln((N+1)/(df+1)) + 1: never zero, so a term seen everywhere
        still counts a little, and stable while N is small."""
        return np.log((self.docs + 1.0) / (self.df[ids] + 1.0)) + 1.0

    def save(self, conn: sqlite3.Connection) -> None:
        """Write new terms and changed frequencies; the caller holds the transaction."""
        conn.executemany(
            "INSERT INTO cluster_terms (id, term, df) VALUES (?, ?, ?)",
            [(self.ids[t], t, int(self.df[self.ids[t]])) for t in self._new],
        )
        conn.executemany(
            "UPDATE cluster_terms SET df = ? WHERE id = ?",
            [(int(self.df[i]), i) for i in sorted(self._dirty) if i < self._new_from],
        )
        conn.execute(
            "INSERT INTO cluster_state (name, value) VALUES ('docs', ?)"
            " ON CONFLICT(name) DO UPDATE SET value = excluded.value",
            (str(self.docs),),
        )
        self._dirty.clear()
        self._new.clear()
        self._new_from = len(self.ids)
