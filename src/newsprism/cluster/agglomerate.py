"""Sparse average-link agglomeration in which existing stories may grow but never merge.

Average link (merge the two groups whose mean pairwise score is highest, while it clears
the bar) is the strongest simple baseline for story clustering, and unlike a greedy
one-article-at-a-time pass it does not depend on which article of an event came first.
Each batch of new articles is agglomerated together with the stories its articles
retrieved. Those stories are *locked* nodes: a group of new articles may join one, but
two locked nodes are never merged, so a story id, once given out, never changes or
disappears. Pairs without an edge count as score 0, which keeps the graph sparse (the
caller drops pairs far below the bar).

The bar has two parts. The absolute one, `threshold`, is the same everywhere. The
relative one asks a merge to score at least `relative` + the mean *density* of the two
groups, an article's density being (a share of) the mean of its best few pair scores
(its local neighbourhood, as in CSLS hubness correction; the caller scales it, see
`grouping.Bar`). Two reports of one event in a crowded topic, where every article has
close neighbours, must stand out from those neighbours: this is what keeps apart two
earthquakes or two meetings of the same leaders whose vocabulary is shared (issue 4),
while sparse regions (one-off stories) fall back to the absolute bar.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

import numpy as np


def average_link(
    sizes: Sequence[float],
    locked: Sequence[bool],
    edges: Sequence[tuple[int, int, float]],
    threshold: float,
    density: Sequence[float] | None = None,
    relative: float | None = None,
) -> np.ndarray:
    """Merge nodes by average link; returns, per node, the node it ended up with.

    `sizes[i]` is how many articles node i stands for (1 for a new article, the number
    of sampled members for a story); an edge (i, j, s) holds the *sum* of the pairwise
    scores between the articles of i and of j, so the average is s / (size_i * size_j).
    `density[i]` is the *sum* of the densities of node i's articles (see the module
    docstring); with `relative` None only `threshold` applies. Merges happen in order of
    the margin by which they clear the bar. A locked node survives its merges.
    """
    n = len(sizes)
    size = [float(s) for s in sizes]
    dens = [float(d) for d in density] if density is not None else [0.0] * n
    lock = [bool(x) for x in locked]
    nbr = _adjacency(n, edges)

    def margin(i: int, j: int) -> float:
        bar = threshold
        if relative is not None:
            bar = max(bar, relative + (dens[i] / size[i] + dens[j] / size[j]) / 2)
        return nbr[i][j] / (size[i] * size[j]) - bar

    heap = [(-margin(i, j), i, j) for i in range(n) for j in nbr[i] if i < j]
    heapq.heapify(heap)
    parent = list(range(n))
    while heap:
        neg, i, j = heapq.heappop(heap)
        if j not in nbr[i] or -margin(i, j) != neg:
            continue  # stale: a merge changed this pair and pushed its new value
        if neg > 0:
            break
        if lock[i] and lock[j]:
            continue
        keep, gone = _survivor(i, j, lock, nbr)
        _merge(keep, gone, nbr)
        parent[gone] = keep
        size[keep] += size[gone]
        dens[keep] += dens[gone]
        lock[keep] = lock[keep] or lock[gone]
        for k in nbr[keep]:
            heapq.heappush(heap, (-margin(keep, k), min(keep, k), max(keep, k)))
    return np.array([_root(parent, i) for i in range(n)], np.int64)


def _adjacency(n: int, edges: Sequence[tuple[int, int, float]]) -> list[dict[int, float]]:
    """Per node, neighbour -> summed edge weight (parallel edges add up)."""
    nbr: list[dict[int, float]] = [{} for _ in range(n)]
    for i, j, s in edges:
        if i != j:
            nbr[i][j] = nbr[i].get(j, 0.0) + s
            nbr[j][i] = nbr[i][j]
    return nbr


def _survivor(i: int, j: int, lock: list[bool], nbr: list[dict[int, float]]) -> tuple[int, int]:
    """The locked node survives; otherwise the one with more neighbours (fewer moves)."""
    if lock[j] or (not lock[i] and len(nbr[j]) > len(nbr[i])):
        return j, i
    return i, j


def _merge(keep: int, gone: int, nbr: list[dict[int, float]]) -> None:
    """Fold `gone`'s edge sums into `keep`'s."""
    for k, s in nbr[gone].items():
        if k == keep:
            continue
        del nbr[k][gone]
        total = nbr[keep].get(k, 0.0) + s
        nbr[keep][k] = total
        nbr[k][keep] = total
    nbr[keep].pop(gone, None)
    nbr[gone] = {}


def _root(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i
