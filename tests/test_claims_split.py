"""A claim is never corroborated over incompatible values (issue 12, h12more).

Regression: on the contradiction probe a variant stating "its six-step scoring
programme" stayed in the corroborated claim of "its four-step scoring system": the
words around the two values differ, so no dispute was read, and the claim cited the
changed value as agreed.
"""

from __future__ import annotations

from newsprism.corroborate.slots import SlotValue
from newsprism.corroborate.story import Disputes
from test_claims import quantity_slot


def _at(s: SlotValue, fact: int, context: str) -> SlotValue:
    return SlotValue(s.kind, s.text, s.start, s.end, fact, frozenset({context}),
                     quantity=s.quantity)  # fmt: skip


def _disputes(outlets: list[str]) -> Disputes:
    return Disputes([], [], outlets, {}, set())


def test_a_variant_whose_sole_value_contradicts_the_pivot_leaves_the_claim() -> None:
    slots = [
        [_at(quantity_slot("four steps"), 0, "scoring")],
        [_at(quantity_slot("four steps"), 1, "ranking")],
        [_at(quantity_slot("six steps"), 2, "programme")],
    ]
    parts = _disputes(["A", "B", "C"]).split(0, [0, 1, 2], [], slots)
    assert parts == [([0, 1], [], 0), ([2], [], 2)]


def test_variants_with_compatible_or_several_values_stay() -> None:
    slots = [
        [_at(quantity_slot("about 100 people"), 0, "march")],
        [_at(quantity_slot("105 people"), 1, "protest")],
        [_at(quantity_slot("7 people"), 2, "injur"), _at(quantity_slot("100 people"), 2, "x")],
    ]
    assert _disputes(["A", "B", "C"]).split(0, [0, 1, 2], [], slots) == [([0, 1, 2], [], 0)]


def test_a_variant_with_another_value_of_the_same_anchor_leaves_the_claim() -> None:
    """h12link: "7 people" marching against "about 100 people" marching is one slot given
    two values, even when the variant gives other counts too (`value_clashes`)."""
    slots = [
        [_at(quantity_slot("about 100 people"), 0, "march")],
        [_at(quantity_slot("7 people"), 1, "march"), _at(quantity_slot("100 people"), 1, "x")],
    ]
    assert _disputes(["A", "B"]).split(0, [0, 1], [], slots) == [([0], [], 0), ([1], [], 1)]


def test_the_only_count_of_a_noun_on_each_side_is_one_slot_of_the_claim() -> None:
    """h12link regression (probe count-017): "11 points, 11 rebounds" and "11 points,
    28 rebounds" were one corroborated claim; each side gives several counts, but one
    count of rebounds each (`unit_clashes`)."""
    slots = [
        [_at(quantity_slot("11 points"), 0, "scor"), _at(quantity_slot("11 rebounds"), 0, "x")],
        [_at(quantity_slot("11 points"), 1, "scor"), _at(quantity_slot("28 rebounds"), 1, "y")],
        [_at(quantity_slot("11 points"), 2, "scor"), _at(quantity_slot("11 rebounds"), 2, "z")],
    ]
    parts = _disputes(["A", "B", "C"]).split(0, [0, 1, 2], [], slots)
    assert parts == [([0, 2], [], 0), ([1], [], 1)]


def test_a_hyphenated_measure_is_a_count_of_its_word() -> None:
    from test_claims import pair

    story = pair(
        "Microsoft labeled the bug as critical, top ranking in its four-step scoring system.",
        "Microsoft labelled the bug as critical, top ranking in its six-step scoring programme.",
    )
    counts = [s for c in story.claims for s in c.slots.get("count", [])]
    assert sorted(s.text for s in counts) == ["four-step", "six-step"]
    assert not any(c.status == "corroborated" for c in story.claims)


def test_a_variant_naming_another_sole_place_leaves_the_claim() -> None:
    slots: list[list[SlotValue]] = [[], [], []]
    places = [frozenset({"Minnesota"}), frozenset({"Minnesota"}), frozenset({"Tennessee"})]
    parts = _disputes(["A", "B", "C"]).split(0, [0, 1, 2], [], slots, places)
    assert parts == [([0, 1], [], 0), ([2], [], 2)]
    nested = Disputes([], [], ["A", "B"], {}, {frozenset({"Atlanta", "Georgia"})})
    pair_places = [frozenset({"Atlanta"}), frozenset({"Georgia"})]
    assert nested.split(0, [0, 1], [], [[], []], pair_places) == [([0, 1], [], 0)]


def test_variants_that_left_a_claim_are_split_among_themselves_too() -> None:
    """h12link regression (probe count-017): the variants that left the pivot's claim
    were lumped into one claim, "28 rebounds" beside "six rebounds", corroborated."""
    slots = [
        [_at(quantity_slot("11 rebounds"), 0, "grab")],
        [_at(quantity_slot("28 rebounds"), 1, "grab")],
        [_at(quantity_slot("six rebounds"), 2, "add")],
        [_at(quantity_slot("28 rebounds"), 3, "grab")],
    ]
    parts = _disputes(["A", "B", "C", "D"]).split(0, [0, 1, 2, 3], [], slots)
    assert parts == [([0], [], 0), ([1, 3], [], 1), ([2], [], 2)]
