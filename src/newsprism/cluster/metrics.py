"""Clustering quality against gold labels: B-cubed (the headline) and pairwise scores.

B-cubed scores every article: precision is the share of its predicted story that truly
belongs with it, recall the share of its true story that it was put with, each averaged
over articles (Bagga & Baldwin 1998; Amigó et al. 2009). Unlike pairwise scores it does
not let one huge cluster dominate, and it punishes both failures users complain about:
one event split across stories (recall) and unrelated events merged (precision).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from typing import NamedTuple


class PRF(NamedTuple):
    precision: float
    recall: float
    f1: float


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _check(pred: Sequence[Hashable], gold: Sequence[Hashable]) -> None:
    if len(pred) != len(gold):
        raise ValueError(f"{len(pred)} predicted labels for {len(gold)} gold labels")


def bcubed(pred: Sequence[Hashable], gold: Sequence[Hashable]) -> PRF:
    """B-cubed precision, recall and F1 of `pred` against `gold` (one label per item).

    Computed from the contingency counts, O(n): for an item in predicted cluster P and
    gold cluster G, precision is |P ∩ G| / |P| and recall |P ∩ G| / |G|.
    """
    _check(pred, gold)
    if not pred:
        return PRF(1.0, 1.0, 1.0)
    both = Counter(zip(pred, gold, strict=True))
    size_p, size_g = Counter(pred), Counter(gold)
    p = sum(n * n / size_p[a] for (a, _), n in both.items()) / len(pred)
    r = sum(n * n / size_g[b] for (_, b), n in both.items()) / len(pred)
    return PRF(p, r, _f1(p, r))


def pairwise(pred: Sequence[Hashable], gold: Sequence[Hashable]) -> PRF:
    """Precision, recall and F1 over item pairs put together (by `pred`) or belonging
    together (by `gold`). With no pair on a side, that side's score is 1."""
    _check(pred, gold)

    def pairs(counts: Counter[Hashable]) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    tp = pairs(Counter(zip(pred, gold, strict=True)))
    pp, gp = pairs(Counter(pred)), pairs(Counter(gold))
    p = tp / pp if pp else 1.0
    r = tp / gp if gp else 1.0
    return PRF(p, r, _f1(p, r))
