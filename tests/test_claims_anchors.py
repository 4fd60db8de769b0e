"""Values compared by anchor across the story (issue 12, h12link).

Regression: on the contradiction probe "Page had been hospitalized for the past six
weeks" never met its witness "Page had been in hospital for three weeks with pneumonia
and was about to be released": the two statements share too few words for the
whole-sentence gate (`disputes.about_same`), so their durations were never compared.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsprism.corroborate.align import similarities
from newsprism.corroborate.anchors import (
    agent_swaps,
    anchor_clashes,
    candidate_pairs,
    comparable,
)
from newsprism.corroborate.compare import abbreviates
from newsprism.corroborate.disputes import about_same
from newsprism.corroborate.facts import story_facts
from newsprism.corroborate.slots import fact_slots
from test_claims import pair
from test_corroborate import article

MINILM_PARAPHRASE = 0.6  # about what MiniLM gives two reports of one detail


@pytest.mark.parametrize(
    ("changed", "witness", "values"),
    [
        (
            "Page had been hospitalized for the past six weeks for pneumonia.",
            "Roesler said Page had been in hospital for three weeks with pneumonia and was "
            "about to be released when she suffered the heart attack.",
            ("six weeks", "three weeks"),
        ),
        (
            "Turkmenistan voted Wednesday in a parliamentary election meant to show that the "
            "nation was shedding its autocratic past.",
            "The parliamentary election of Turkmenistan ended Sunday evening as scheduled, "
            "said reports from the capital.",
            ("Wednesday", "Sunday"),
        ),
    ],
)
def test_a_changed_value_meets_its_witness_through_its_anchor(
    changed: str, witness: str, values: tuple[str, str]
) -> None:
    facts = pair(changed, witness).facts[:2]
    slots = [fact_slots(f, i) for i, f in enumerate(facts)]
    sims = np.full((2, 2), MINILM_PARAPHRASE, np.float32)
    assert not about_same(facts[0], facts[1], MINILM_PARAPHRASE, slots[0], slots[1])
    found = anchor_clashes(facts, slots, sims, ["A", "B"], set(), lambda c: False)
    assert [(c.a.text, c.b.text) for c in found] == [values]


def test_an_anchor_with_two_values_in_one_article_is_never_disputed() -> None:
    """Two quakes, each injuring some people: which one the other outlet counts is
    unknown, so its count contradicts neither on the anchor alone."""
    arts = [
        article("a", "The first quake injured two people on the island.\n"
                     "Then a second quake injured five people on the island.", source="A"),
        article("b", "The quake injured three people on the island.", source="B"),
    ]  # fmt: skip
    facts = story_facts(arts)
    slots = [fact_slots(f, i) for i, f in enumerate(facts)]
    outlets = ["A", "A", "B"]
    sims = np.ones((3, 3), np.float32)
    assert anchor_clashes(facts, slots, sims, outlets, set(), lambda c: False) == []
    one = story_facts([arts[0]])[:1] + story_facts([arts[1]])
    one_slots = [fact_slots(f, i) for i, f in enumerate(one)]
    found = anchor_clashes(one, one_slots, sims[:2, :2], ["A", "B"], set(), lambda c: False)
    assert [(c.a.text, c.b.text) for c in found] == [("two people", "three people")]


def test_values_of_different_people_are_not_compared() -> None:
    story = pair(
        "Donald Trump finished the season with fifteen wins at the club.",
        "Vladimir Putin finished the season with nine wins at the club.",
    )
    facts = story.facts
    slots = [fact_slots(f, i) for i, f in enumerate(facts)]
    sims = np.ones((len(facts), len(facts)), np.float32)
    found = anchor_clashes(facts, slots, sims, ["A", "B"], set(), lambda c: False)
    assert found == []


def test_an_outlet_stating_both_values_settles_them() -> None:
    facts = pair(
        "Seven climbers with the guide were said to have been rescued.",
        "Three climbers who were with the guide were rescued.",
    ).facts
    slots = [fact_slots(f, i) for i, f in enumerate(facts)]
    sims = similarities(facts)
    outlets = ["A", "B"]
    assert len(anchor_clashes(facts, slots, sims, outlets, set(), lambda c: False)) == 1
    assert anchor_clashes(facts, slots, sims, outlets, set(), lambda c: True) == []


def test_candidates_come_from_shared_anchor_words_only() -> None:
    arts = [
        article("a", "Seven climbers were rescued from the mountain.", source="A"),
        article("b", "Three climbers were rescued from the mountain.", source="B"),
        article("c", "The board approved a budget of $5 million.", source="C"),
    ]
    facts = story_facts(arts)
    slots = [fact_slots(f, i) for i, f in enumerate(facts)]
    pairs = candidate_pairs(slots)
    assert [(x.text, y.text) for x, y in pairs] == [("Seven climbers", "Three climbers")]


def test_a_person_swapped_in_one_role_is_a_person_dispute() -> None:
    arts = [
        article(
            "a",
            "Commerce Secretary Donald Trump announced the decision to restore the species rule.",
            source="A",
        ),
        article(
            "b",
            "Commerce Secretary Vladimir Putin announced the decision to restore the species rule.",
            source="B",
        ),
    ]
    facts = story_facts(arts)
    slots = [fact_slots(f, i) for i, f in enumerate(facts)]
    words = {a.id: frozenset(a.text.casefold().split()) for a in arts}
    (swap,) = agent_swaps(facts, slots, similarities(facts), ["A", "B"], words)
    assert {swap.a.name, swap.b.name} == {"Donald Trump", "Vladimir Putin"}
    # an article that names the other person anywhere knows them as two people
    words["a"] = words["a"] | {"putin"}
    assert agent_swaps(facts, slots, similarities(facts), ["A", "B"], words) == []


@settings(max_examples=25, deadline=None)
@given(st.integers(2, 40), st.integers(2, 40))
def test_a_claim_is_corroborated_only_when_its_counts_agree(n: int, m: int) -> None:
    story = pair(
        f"Police said {n} people were injured in the blast at the market.",
        f"Police said {m} people had been injured in the blast at the market.",
    )
    statuses = {c.status for c in story.claims}
    if n == m:
        assert "conflicting" not in statuses
    else:
        assert "corroborated" not in statuses


def test_a_zero_day_is_a_term_not_a_duration() -> None:
    """Probe flag T27_ecb: "a zero-day vulnerability" against "the last three years"."""
    arts = [
        article(
            "a",
            "Microsoft issued an emergency patch for a zero-day flaw in its browser.",
            source="A",
        ),
        article(
            "b",
            "Microsoft issued an emergency patch for a three-day flaw in its browser.",
            source="B",
        ),
    ]
    facts = story_facts(arts)
    slots = [fact_slots(f, i) for i, f in enumerate(facts)]
    sims = np.ones((2, 2), np.float32)
    zero = [s for s in slots[0] if s.text.startswith("zero")]
    assert zero and all(not comparable(s) for s in zero)
    assert anchor_clashes(facts, slots, sims, ["A", "B"], set(), lambda c: False) == []


@pytest.mark.parametrize(
    ("short", "full", "same"),
    [
        ("Calif.", "California", True),
        ("Mich.", "Michigan", True),
        ("U. S.", "United States", True),
        ("US", "United States", True),
        ("K. C.", "Kansas City", True),
        ("UK", "Ukraine", False),
        ("Georgia", "Atlanta", False),
        ("Mich.", "Minnesota", False),
    ],
)
def test_place_abbreviations_agree_with_their_full_name(short: str, full: str, same: bool) -> None:
    assert abbreviates(short, full) is same
    assert abbreviates(full, short) is same


def test_a_measure_holding_a_bare_number_is_a_count_slot() -> None:
    """Probe case count-020: the analysis reads "38" in "38 - caliber revolver" as a bare
    number, which hid the measure; a thousands group ("170, 000 - square") is no measure."""
    story = pair(
        "A 38 - caliber revolver was recovered at the scene.",
        "The 170, 000 - square - foot building houses a number of businesses.",
    )
    counts = [s.text for i, f in enumerate(story.facts) for s in fact_slots(f, i)
              if s.kind == "count"]  # fmt: skip
    assert counts == ["38 - caliber"]
