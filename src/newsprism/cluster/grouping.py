"""Grouping one batch: initial groups, the stories in play, and the average-link run.

`build_grouping` decides what is compared (near-duplicates start together and stay with
their original's story; stories gone cold are dropped); `plan_batch` scores the batch
against itself and its candidate stories, gives each new article its density (the mean
of its best `k` scores, see `agglomerate.py`), runs average link and turns the result
into a `Plan`.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from .agglomerate import average_link
from .batch import MemberCache, Pending, Plan
from .features import Features
from .similarity import Scorer


@dataclass(frozen=True, slots=True)
class Bar:
    """What a merge must clear: `threshold` absolutely, and `relative` above `weight`
    times the mean density of the two groups, with densities over each article's best
    `k` scores.

    A weight below 1 shrinks the relative bar towards the absolute one: the bar rises
    with how crowded the neighbourhood is, but by only part of it, so a big story (whose
    articles' best scores are each other) is not split for being cohesive.
    """

    threshold: float
    relative: float | None = None
    k: int = 2
    weight: float = 0.5


@dataclass(slots=True)
class Grouping:
    """Inputs of the average-link run: nodes are new-article groups, then stories."""

    groups: list[list[int]]  # indices into the batch's features
    group_story: list[str | None]  # a story a group is bound to by a duplicate link
    stories: list[str]
    members: list[list[Features]]


def build_grouping(
    conn: sqlite3.Connection,
    items: list[Pending],
    feats: list[Features],
    candidates: list[list[str]],
    members_of: MemberCache,
    horizon_days: float = 0.0,
) -> Grouping:
    """Initial groups (near-duplicates of each other start together), the stories a
    group is bound to by a near-duplicate link, and the candidate stories' members.

    With `horizon_days`, a dated article is not scored against a story whose newest
    dated member is further away than that: stories go cold, and a stream that keeps
    its daily volume then keeps its cost per article as the archive grows.
    """
    index = {f.key: i for i, f in enumerate(feats)}
    parent = list(range(len(feats)))
    bound: dict[int, str] = {}
    for item in items:
        if item.feats is None or item.duplicate_of is None:
            continue
        i = index[item.key]
        if item.duplicate_of in index:
            parent[_find(parent, i)] = _find(parent, index[item.duplicate_of])
        else:
            row = conn.execute(
                "SELECT story_id FROM story_articles WHERE article_key = ?", (item.duplicate_of,)
            ).fetchone()
            if row is not None:
                bound[i] = row[0]
                candidates[i] = [row[0], *[s for s in candidates[i] if s != row[0]]]
    by_root: dict[int, list[int]] = defaultdict(list)
    for i in range(len(feats)):
        by_root[_find(parent, i)].append(i)
    groups = list(by_root.values())
    group_story = [next((bound[i] for i in g if i in bound), None) for g in groups]
    loaded = {s: members_of.get(s) for cands in candidates for s in cands}
    if horizon_days > 0:
        _drop_cold(feats, candidates, loaded, bound, horizon_days)
    stories = [s for s in dict.fromkeys(s for cands in candidates for s in cands) if loaded[s]]
    members = [loaded[s] for s in stories]
    return Grouping(groups, group_story, stories, members)


def _drop_cold(
    feats: list[Features],
    candidates: list[list[str]],
    loaded: dict[str, list[Features]],
    bound: dict[int, str],
    horizon_days: float,
) -> None:
    newest = {
        s: max((m.day for m in ms if m.day is not None), default=None) for s, ms in loaded.items()
    }

    def warm(i: int, day: int, story: str) -> bool:
        last = newest[story]
        return story == bound.get(i) or last is None or abs(day - last) <= horizon_days

    for i, f in enumerate(feats):
        if f.day is not None:
            candidates[i] = [s for s in candidates[i] if warm(i, f.day, s)]


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def plan_batch(
    feats: list[Features],
    candidates: list[list[str]],
    grouping: Grouping,
    scorer: Scorer,
    bar: Bar,
) -> Plan:
    """Score the batch against itself and its candidate stories, then group it."""
    threshold = bar.threshold
    within = scorer.matrix(feats, feats)
    column = {s: c for c, s in enumerate(grouping.stories)}
    pairs = [(a, column[s]) for a, cands in enumerate(candidates) for s in cands if s in column]
    rows = np.array([a for a, _ in pairs], np.int64)
    cols = np.array([c for _, c in pairs], np.int64)
    sums = dict(
        zip(pairs, scorer.story_sums(feats, grouping.members, (rows, cols)).tolist(), strict=True)
    )
    sizes_old = [float(len(ms)) for ms in grouping.members]
    for f, d in zip(feats, densities(within, sums, sizes_old, bar.k), strict=True):
        f.density = d
    edges, sizes, locked = _edges(within, sums, sizes_old, grouping, threshold)
    node_density = [
        bar.weight * sum(feats[i].density or 0.0 for i in g) for g in grouping.groups
    ] + [bar.weight * sum(m.density or 0.0 for m in ms) for ms in grouping.members]
    labels = average_link(sizes, locked, edges, threshold, node_density, bar.relative)
    return _plan(feats, within, sums, sizes_old, labels, grouping)


def densities(
    within: np.ndarray, sums: dict[tuple[int, int], float], sizes_old: list[float], k: int
) -> list[float]:
    """Mean of each new article's `k` best scores, over the batch and the members of its
    candidate stories (each member counted at its story's average score)."""
    n = len(within)
    best = np.full((n, k), np.nan)
    if n > 1:
        others = within.astype(np.float64).copy()
        np.fill_diagonal(others, -np.inf)
        top = -np.sort(-others, axis=1)[:, :k]
        best[:, : top.shape[1]] = np.where(np.isfinite(top), top, np.nan)
    extra: dict[int, list[float]] = defaultdict(list)
    for (a, c), total in sums.items():
        extra[a] += [total / sizes_old[c]] * int(min(sizes_old[c], k))
    out = []
    for a in range(n):
        values = [v for v in best[a] if not np.isnan(v)] + extra.get(a, [])
        out.append(float(np.mean(sorted(values, reverse=True)[:k])) if values else 0.0)
    return out


def _edges(
    within: np.ndarray,
    sums: dict[tuple[int, int], float],
    sizes_old: list[float],
    grouping: Grouping,
    threshold: float,
) -> tuple[list[tuple[int, int, float]], list[float], list[bool]]:
    """Edge sums between nodes (groups of new articles, then stories).

    Pairs scoring under half the threshold, including those the time penalty pushed
    below zero, are left out and so count as 0: that keeps the graph sparse (most
    pairs in a batch are unrelated) without changing any close decision.
    """
    floor = threshold / 2
    node_of = np.zeros(len(within), np.int64)
    for g, members in enumerate(grouping.groups):
        node_of[members] = g
    n_groups = len(grouping.groups)
    ii, jj = np.nonzero(np.triu(within >= floor, 1))
    edges = list(
        zip(node_of[ii].tolist(), node_of[jj].tolist(), within[ii, jj].tolist(), strict=True)
    )
    for (a, c), total in sums.items():
        if total >= floor * sizes_old[c]:
            edges.append((int(node_of[a]), n_groups + c, total))
    column = {s: c for c, s in enumerate(grouping.stories)}
    for g, bound in enumerate(grouping.group_story):
        if bound in column:  # bound by a duplicate link: an edge no threshold refuses
            edges.append((g, n_groups + column[bound], 1e9))
    sizes = [float(len(g)) for g in grouping.groups] + sizes_old
    locked = [False] * n_groups + [True] * len(grouping.stories)
    return edges, sizes, locked


def _plan(
    feats: list[Features],
    within: np.ndarray,
    sums: dict[tuple[int, int], float],
    sizes_old: list[float],
    labels: np.ndarray,
    grouping: Grouping,
) -> Plan:
    n_groups = len(grouping.groups)
    clusters: dict[int, list[int]] = defaultdict(list)
    forced: dict[int, str] = {}  # bound to a story that has no analysable member
    for g, members in enumerate(grouping.groups):
        bound = grouping.group_story[g]
        if bound is not None and bound not in grouping.stories:
            forced.update((i, bound) for i in members)
        else:
            clusters[int(labels[g])].extend(members)
    plan = Plan()
    for root, members in clusters.items():
        old = root - n_groups if root >= n_groups else None
        story = grouping.stories[old] if old is not None else None
        if story is None:
            seed = min(members)  # features are in ingestion order
            story = "s-" + feats[seed].key[:12]
            plan.new_stories[story] = feats[seed].key
        others = float(len(members) - 1 + (sizes_old[old] if old is not None else 0))
        for i in members:
            key = feats[i].key
            total = float(within[i, members].sum() - within[i, i])
            total += sums.get((i, old), 0.0) if old is not None else 0.0
            plan.story[key] = story
            plan.score[key] = total / others if others else None
            plan.how[key] = "seed" if plan.new_stories.get(story) == key else "linked"
    for i, story in forced.items():
        plan.story[feats[i].key], plan.score[feats[i].key] = story, None
        plan.how[feats[i].key] = "linked"
    return plan
