"""Claims on hand-built articles (no models): slots, comparators, statuses (issue 12).

Articles come from `test_corroborate.article` (one sentence a line, toy embedder), so
these tests run in milliseconds and prove the rules, not the models.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsprism.analyse.dates import WEEKDAYS
from newsprism.analyse.quantities import extract_quantities
from newsprism.corroborate.compare import agree, same_subject
from newsprism.corroborate.slots import DateParts, SlotValue, date_parts
from newsprism.corroborate.story import StoryClaims, claims_of
from newsprism.naming import outlet_name
from test_corroborate import article

CENTROID = np.zeros(256, np.float32)


def claims(*arts: object) -> StoryClaims:
    return claims_of(list(arts), CENTROID)  # type: ignore[arg-type]


def pair(a: str, b: str) -> StoryClaims:
    """Claims of two one-line articles from outlets "A" and "B"."""
    return claims(article("a", a, source="A"), article("b", b, source="B"))


def quantity_slot(text: str, context: str = "injur") -> SlotValue:
    (q,) = extract_quantities(text)
    kind = {"money": "amount", "number": "count"}.get(q.kind, q.kind)
    return SlotValue(kind, q.text, q.start, q.end, 0, frozenset({context}), quantity=q)


def date_slot(text: str, value: str | None) -> SlotValue:
    parts = date_parts(text, value)
    assert parts is not None
    kind = "date" if parts.day else "weekday"
    return SlotValue(kind, text, 0, len(text), 0, frozenset({"meet"}), date=parts)


# ----------------------------------------------------------------------------- comparators


@pytest.mark.parametrize(
    ("a", "b", "agrees"),
    [
        ("a three-hour meeting", "more than three hours", True),
        ("about two hours", "more than three hours", False),
        ("five people", "seven people", False),
        ("five people", "5 people", True),
        ("about 100 people", "105 people", True),
        ("$2.5 million", "$2.5 million", True),
        ("12 percent", "15 percent", False),
    ],
)
def test_quantities_compare_with_their_qualifiers(a: str, b: str, agrees: bool) -> None:
    sa, sb = quantity_slot(a), quantity_slot(b)
    assert same_subject(sa, sb)
    assert agree(sa, sb) is agrees


def test_counts_of_different_nouns_or_events_are_not_compared() -> None:
    people, soldiers = quantity_slot("five people"), quantity_slot("seven soldiers")
    assert not same_subject(people, soldiers)
    injured, killed = quantity_slot("five people", "injur"), quantity_slot("seven people", "kill")
    assert not same_subject(injured, killed)  # the same noun, another event word
    games, season = quantity_slot("54 games", "play"), quantity_slot("157 games", "season")
    assert not same_subject(games, season)


@pytest.mark.parametrize(
    ("a", "va", "b", "vb", "agrees"),
    [
        ("March 3", "--03-03", "Tuesday, March 4", "--03-04", False),  # no year: comparable
        ("March 4", "--03-04", "Tuesday, March 4", "--03-04", True),
        ("Tuesday", None, "Wednesday", None, False),  # undated articles: weekdays compare
        ("Tuesday", "2014-03-04", "March 4, 2014", "2014-03-04", True),  # 4 March 2014: Tuesday
        ("Monday", None, "March 4, 2014", "2014-03-04", False),
        ("Tuesday", None, "March 4", "--03-04", None),  # nothing both say
    ],
)
def test_dates_compare_by_what_is_written(
    a: str, va: str | None, b: str, vb: str | None, agrees: bool | None
) -> None:
    assert agree(date_slot(a, va), date_slot(b, vb)) is agrees


def test_a_weekday_resolved_from_publication_keeps_only_the_weekday() -> None:
    assert date_parts("Tuesday", "2014-03-04") == DateParts(None, None, None, 1)
    assert date_parts("in 2013", "2013") is None


@given(st.sampled_from(WEEKDAYS), st.sampled_from(WEEKDAYS), st.booleans())
def test_weekdays_agree_exactly_when_equal(a: str, b: str, upper: bool) -> None:
    text_a = a.upper() if upper else a.title()
    sa, sb = date_slot(text_a, None), date_slot(b.title(), None)
    assert agree(sa, sb) is (a == b)
    assert agree(sa, sb) == agree(sb, sa)


@given(st.integers(1, 12), st.integers(1, 28), st.integers(1, 12), st.integers(1, 28))
def test_month_days_agree_exactly_when_equal(m1: int, d1: int, m2: int, d2: int) -> None:
    name = ["january", "february", "march", "april", "may", "june", "july", "august",
            "september", "october", "november", "december"]  # fmt: skip
    sa = date_slot(f"{name[m1 - 1].title()} {d1}", f"--{m1:02d}-{d1:02d}")
    sb = date_slot(f"{name[m2 - 1].title()} {d2}", f"--{m2:02d}-{d2:02d}")
    assert agree(sa, sb) is ((m1, d1) == (m2, d2))


@given(st.integers(1, 500), st.integers(1, 500))
def test_count_agreement_is_symmetric_and_exact(x: int, y: int) -> None:
    sa, sb = quantity_slot(f"{x} people"), quantity_slot(f"{y} people")
    assert agree(sa, sb) is (x == y)
    assert agree(sa, sb) == agree(sb, sa)


@pytest.mark.parametrize(
    ("source", "url", "expected"),
    [
        ("  Coast  Herald ", "https://x.org/a", "Coast Herald"),
        (None, "https://www.example.com/a?b=1", "example.com"),
        ("", "not a url", "a1"),
        (None, None, "a1"),
    ],
)
def test_outlets_are_named_by_source_then_domain_then_id(
    source: str | None, url: str | None, expected: str
) -> None:
    assert outlet_name(source, url, "a1") == expected


# ----------------------------------------------------------------------------- claims


QUAKE = (
    "A magnitude {m} earthquake struck the coastal province early on Sunday, injuring {n} people."
)


def test_disputed_magnitudes_and_counts_make_one_conflicting_claim() -> None:
    arts = [
        article("a", QUAKE.format(m="6.1", n="five"), source="A"),
        article("b", QUAKE.format(m="5.9", n="seven"), source="B"),
        article("c", QUAKE.format(m="6.0", n="five"), source="C"),
        article("d", QUAKE.format(m="5.9", n="five"), source="D"),
    ]
    sc = claims(*arts)
    quake = [c for c in sc.claims if "magnitude" in sc.facts[c.pivot].text]
    assert len(quake) == 1, "one claim with a dispute, not one claim per value"
    claim = quake[0]
    assert claim.status == "conflicting" and claim.reported_by == ["a", "b", "c", "d"]
    tables = {t.slot: {r.value: r.articles for r in t.rows} for t in claim.values}
    assert tables["magnitude"] == {"6.1": ["a"], "5.9": ["b", "d"], "6.0": ["c"]}
    assert tables["count"] == {"five people": ["a", "c", "d"], "seven people": ["b"]}
    assert all(c.kind == "number" for c in claim.conflicts)


def test_compatible_durations_are_corroborated() -> None:
    sc = pair(
        "The three-hour talks between the union and the rail operator ended.",
        "The talks between the union and the rail operator ended after more than three hours.",
    )
    assert [c.status for c in sc.claims] == ["corroborated"]


def test_meeting_days_in_undated_articles_conflict() -> None:
    sc = pair(
        "The city council met on Tuesday to debate the new transit budget.",
        "The city council met on Wednesday to debate the new transit budget.",
    )
    (claim,) = sc.claims
    assert claim.status == "conflicting" and claim.conflicts[0].kind == "date"
    assert "A “Tuesday”" in claim.conflicts[0].explanation  # outlets named, not article ids


def test_same_wording_from_one_outlet_twice_is_single_source() -> None:
    text = "The city council met on Tuesday to debate the new transit budget."
    sc = claims(article("a", text, source="Same"), article("b", text, source="Same"))
    assert [c.status for c in sc.claims] == ["single_source"]


def test_a_swapped_agent_is_a_person_dispute() -> None:
    sc = pair(
        "Vladimir Putin invited the delegation to Moscow for the next round of talks.",
        "Donald Trump invited the delegation to Moscow for the next round of talks.",
    )
    (claim,) = sc.claims
    assert claim.status == "conflicting" and claim.conflicts[0].kind == "person"


def test_unrelated_numbers_in_one_story_do_not_conflict() -> None:
    sc = claims(
        article("a", "Five people were injured when the bridge collapsed on Sunday.", source="A"),
        article("b", "The bridge was built in 1962 and carried 7 lanes of traffic.", source="B"),
    )
    assert all(c.status != "conflicting" for c in sc.claims)
