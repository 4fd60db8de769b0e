"""The corpus entity registry kept warm across analyse runs in one process (issue 15).

A fresh `analyse` replays the cross-article entity merge over every stored article
(`store_rows.load_registry`) before it resolves the first new one: work in proportion
to the corpus at every start. `newsprism watch` analyses a few articles a cycle, all
day long, in one process, so that replay grew with the store into a fixed cost of
every cycle. A `KeptRegistry` (one per `Workspace`) replays the store once, then only
advances: by the articles this process resolves and writes, and by those another
process (a parallel `analyse`, the web app's `POST /ingest`) wrote meanwhile, replayed
from the store before the next use.

It must give exactly what a fresh replay gives, or an entity would depend on how
long the watch has been running. The registry is a function of the stored mentions in
analyses-rowid order, so the kept one remembers how far it has seen the store (its
`Mark`: the last analyses rowid, and the store's analysis epoch, which triggers bump
on any deleted analysis or deleted or changed mention, migration m021) and is dropped,
to be replayed whole at the next use, whenever the store no longer extends what it saw
in that order:

- a batch it resolved was not written exactly as resolved (another process analysed
  one of its articles first, or wrote its own article in between: the order in the
  store then differs from the order resolved here);
- something it had replayed was deleted or changed (the epoch moved);
- writing a batch failed after it was resolved (`drop`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from .entities import EntityRegistry
from .store_rows import replay


@dataclass(frozen=True, slots=True)
class Mark:
    """How far a registry has seen the store."""

    rowid: int = 0  # the last analyses rowid merged into the registry
    epoch: int = 0  # the store's analysis epoch then (m021)


class KeptRegistry:
    """An `EntityRegistry` advanced only by what is new (see the module docstring).

    `replayed` counts the stored articles merged by replaying the store (a fresh
    registry replays the whole corpus; a warm one only others' articles): it is what
    keeps a watch cycle's cost proportional to what is new, and what tests check.
    Like the Workspace holding it, it serves one thread at a time (the web app's pool
    hands each Workspace to one request at a time).
    """

    def __init__(self) -> None:
        self._registry: EntityRegistry | None = None
        self._mark = Mark()
        self.replayed = 0

    def current(self, conn: sqlite3.Connection) -> EntityRegistry:
        """The registry as a fresh replay of the store would give it now."""
        epoch = _epoch(conn)
        if self._registry is None or epoch != self._mark.epoch:
            self._registry, self._mark = EntityRegistry(), Mark(0, epoch)
        upto = int(conn.execute("SELECT COALESCE(MAX(rowid), 0) FROM analyses").fetchone()[0])
        if upto > self._mark.rowid:
            self.replayed += replay(conn, self._registry, self._mark.rowid, upto)
            self._mark = Mark(upto, epoch)
        return self._registry

    def written(
        self, conn: sqlite3.Connection, resolved: Sequence[str], written: Sequence[str]
    ) -> None:
        """Note a batch resolved into the registry (`resolved`, article keys in order)
        of which `written` were stored; called inside the transaction that wrote them.

        The mark moves past the batch when the store holds exactly it, in that order,
        after the mark, and nothing replayed changed; otherwise the registry is dropped
        (replayed at the next use).
        """
        if self._registry is None:
            return
        rows = conn.execute(
            "SELECT rowid, article_key FROM analyses WHERE rowid > ? ORDER BY rowid",
            (self._mark.rowid,),
        ).fetchall()
        in_order = list(resolved) == list(written) == [str(r[1]) for r in rows]
        if not in_order or _epoch(conn) != self._mark.epoch:
            self._registry = None
        elif rows:
            self._mark = Mark(int(rows[-1][0]), self._mark.epoch)

    def drop(self) -> None:
        """Forget the registry (a batch resolved into it may not have been stored):
        the next use replays the store."""
        self._registry = None


def _epoch(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM analysis_epoch WHERE id = 1").fetchone()
    return int(row[0]) if row is not None else 0
