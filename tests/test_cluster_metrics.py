"""B-cubed and pairwise scores on examples small enough to check by hand."""

from __future__ import annotations

import pytest

from newsprism.cluster.metrics import bcubed, pairwise


def test_perfect_clustering_scores_one() -> None:
    assert bcubed(["x", "x", "y"], [1, 1, 2]) == (1.0, 1.0, 1.0)
    assert pairwise(["x", "x", "y"], [1, 1, 2]) == (1.0, 1.0, 1.0)


def test_bcubed_hand_computed_merge() -> None:
    # gold {a,b} {c}; predicted all together.
    # precision: a 2/3, b 2/3, c 1/3 -> 5/9; recall: all 1.
    p, r, f = bcubed([0, 0, 0], ["g1", "g1", "g2"])
    assert p == pytest.approx(5 / 9)
    assert r == pytest.approx(1.0)
    assert f == pytest.approx(2 * (5 / 9) / (5 / 9 + 1))


def test_bcubed_hand_computed_split_and_merge() -> None:
    # gold: A = {1,2,3}, B = {4,5}; predicted: {1,2}, {3,4,5}
    # precision: 1,2 -> 1; 3 -> 1/3; 4,5 -> 2/3 => (1+1+1/3+2/3+2/3)/5 = 11/15
    # recall: 1,2 -> 2/3; 3 -> 1/3; 4,5 -> 1 => (2/3+2/3+1/3+1+1)/5 = 11/15
    pred = ["p", "p", "q", "q", "q"]
    gold = ["A", "A", "A", "B", "B"]
    p, r, f = bcubed(pred, gold)
    assert p == pytest.approx(11 / 15)
    assert r == pytest.approx(11 / 15)
    assert f == pytest.approx(11 / 15)


def test_all_singletons_have_full_precision() -> None:
    p, r, _ = bcubed([1, 2, 3, 4], ["a", "a", "b", "b"])
    assert p == 1.0
    assert r == pytest.approx(0.5)


def test_pairwise_hand_computed() -> None:
    # same example: predicted pairs {1,2},{3,4},{3,5},{4,5}; gold pairs {1,2},{1,3},{2,3},{4,5}
    p, r, f = pairwise(["p", "p", "q", "q", "q"], ["A", "A", "A", "B", "B"])
    assert (p, r) == (pytest.approx(2 / 4), pytest.approx(2 / 4))
    assert f == pytest.approx(0.5)


def test_no_pairs_on_a_side_counts_as_one() -> None:
    assert pairwise([1, 2], ["a", "b"]) == (1.0, 1.0, 1.0)
    assert pairwise([1, 2], ["a", "a"]).precision == 1.0
    assert pairwise([1, 2], ["a", "a"]).recall == 0.0


def test_length_mismatch_is_an_error() -> None:
    with pytest.raises(ValueError, match="2 predicted labels for 1 gold"):
        bcubed([1, 2], [1])


def test_empty_input() -> None:
    assert bcubed([], []) == (1.0, 1.0, 1.0)
