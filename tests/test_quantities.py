"""Quantities: kinds, units, qualifiers, what is not a quantity, and `compatible`."""

from __future__ import annotations

import math
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SEED_000, SEED_002, seed_text
from newsprism.analyse.quantities import bounds, compatible, extract_quantities, singular
from newsprism.models import Quantity

Row = tuple[str, str, float, str | None, str | None]


def rows(text: str) -> list[Row]:
    found = extract_quantities(text)
    for q in found:
        assert text[q.start : q.end] == q.text
    assert all(a.end <= b.start for a, b in pairwise(found))
    return [(q.text, q.kind, q.value, q.unit, q.qualifier) for q in found]


def one(text: str) -> Row:
    [row] = rows(text)
    return row


def q(text: str) -> Quantity:
    [found] = extract_quantities(text)
    return found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the three-hour talks", ("three-hour", "duration", 3, "hour", None)),
        (
            "for more than three hours",
            ("more than three hours", "duration", 3, "hour", "more than"),
        ),
        ("a 12-minute press conference", ("12-minute", "duration", 12, "minute", None)),
        ("a 90-day pause", ("90-day", "duration", 90, "day", None)),
        ("half an hour later", ("half an hour", "duration", 0.5, "hour", None)),
        ("an hour and a half", ("an hour and a half", "duration", 1.5, "hour", None)),
        ("three and a half hours", ("three and a half hours", "duration", 3.5, "hour", None)),
        ("nearly two decades", ("nearly two decades", "duration", 2, "decade", "nearly")),
        ("it cost $5 million", ("$5 million", "money", 5e6, "USD", None)),
        ("it cost €3bn", ("€3bn", "money", 3e9, "EUR", None)),
        ("it cost £40", ("£40", "money", 40, "GBP", None)),
        ("it cost 5 million dollars", ("5 million dollars", "money", 5e6, "USD", None)),
        ("it cost Rs 100", ("Rs 100", "money", 100, "INR", None)),
        ("it cost US$ 5bn", ("US$ 5bn", "money", 5e9, "USD", None)),
        ("200 million euros", ("200 million euros", "money", 2e8, "EUR", None)),
        ("an estimated $1 million", ("an estimated $1 million", "money", 1e6, "USD", "about")),
        ("a $137-million haul", ("$137-million", "money", 1.37e8, "USD", None)),
        ("up 12%", ("12%", "percent", 12, "%", None)),
        ("up 12 percent", ("12 percent", "percent", 12, "%", None)),
        ("up 12 per cent", ("12 per cent", "percent", 12, "%", None)),
        ("Sixty-five per cent", ("Sixty-five per cent", "percent", 65, "%", None)),
        ("2 percentage points", ("2 percentage points", "percent", 2, "percentage point", None)),
        ("1,200 people", ("1,200 people", "count", 1200, "people", None)),
        ("three soldiers", ("three soldiers", "count", 3, "soldier", None)),
        ("three Russian soldiers", ("three Russian soldiers", "count", 3, "soldier", None)),
        ("two police officers", ("two police officers", "count", 2, "officer", None)),
        ("some 300 protesters", ("some 300 protesters", "count", 300, "protester", "some")),
        ("3.5m people", ("3.5m people", "count", 3.5e6, "people", None)),
        ("12 casualties", ("12 casualties", "count", 12, "casualty", None)),
        ("twenty-five", ("twenty-five", "number", 25, None, None)),
        ("a hundred", ("a hundred", "number", 100, None, None)),
        ("two million", ("two million", "number", 2e6, None, None)),
        ("two hundred and fifty", ("two hundred and fifty", "number", 250, None, None)),
        ("about 100", ("about 100", "number", 100, None, "about")),
        ("a five-year-old boy", ("five-year-old", "age", 5, "year", None)),
        ("she is 33 years old", ("33 years old", "age", 33, "year", None)),
        ("died aged 95", ("95", "age", 95, "year", None)),
    ],
)
def test_kinds(text: str, expected: Row) -> None:
    assert one(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("two to three hours", ("two to three hours", "duration", 2, "hour", "between")),
        ("$2-3 million", ("$2-3 million", "money", 2e6, "USD", "between")),
        ("between 5 and 10 people", ("between 5 and 10 people", "count", 5, "people", "between")),
        ("10-15%", ("10-15%", "percent", 10, "%", "between")),
    ],
)
def test_ranges(text: str, expected: Row) -> None:
    assert one(text) == expected
    lo, hi = bounds(q(text))
    assert lo == pytest.approx(expected[2])
    assert hi > lo


@pytest.mark.parametrize(
    ("phrase", "canonical"),
    [("more than", "more than"), ("over", "over"), ("at least", "at least"), ("about", "about"),
     ("around", "around"), ("roughly", "roughly"), ("approximately", "approximately"),
     ("nearly", "nearly"), ("almost", "almost"), ("up to", "up to"), ("less than", "less than"),
     ("under", "under"), ("some", "some"), ("fewer than", "less than"), ("as many as", "up to"),
     ("More than", "more than")],
)  # fmt: skip
def test_qualifiers(phrase: str, canonical: str) -> None:
    assert one(f"it took {phrase} 40 minutes") == (
        f"{phrase} 40 minutes",
        "duration",
        40,
        "minute",
        canonical,
    )


@pytest.mark.parametrize(
    "text",
    [
        "in 2013", "On August 15 they met", "Aug. 15", "the 2nd round", "the first time",
        "at 10:30 a.m.", "at 5 pm", "a 3-2 win", "open 24/7", "the G20 summit", "an F-16 jet",
        "the lost Flight 370", "Formula One", "an interesting one", "no one else", "three days ago",
        "the 1990s", "call 0845 125", "a 100m sprint", "the Boeing 737", "2024-03-05",
        "one of them", "thousands of people", "a 5b loan",
    ],
)  # fmt: skip
def test_not_quantities(text: str) -> None:
    assert rows(text) == []


def test_seed_000() -> None:
    assert rows(seed_text(SEED_000)) == [
        ("three-hour", "duration", 3, "hour", None),
    ]


def test_seed_002() -> None:
    assert rows(seed_text(SEED_002)) == [
        ("more than three hours", "duration", 3, "hour", "more than"),
        ("two leaders", "count", 2, "leader", None),
        ("12-minute", "duration", 12, "minute", None),
    ]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("three-hour talks", "more than three hours", True),
        ("three hours", "two hours", False),
        ("about 100", "105", True),
        ("about 100", "120", False),
        ("180 minutes", "3 hours", True),
        ("180 minutes", "2 hours", False),
        ("12 months", "a year and a half", False),
        ("90-day", "three months", True),
        ("nearly three hours", "three hours", True),
        ("nearly three hours", "four hours", False),
        ("less than 3 hours", "2 hours", True),
        ("up to 3 hours", "4 hours", False),
        ("$3.5 million", "$3,480,000", True),
        ("$3.5 million", "$3,000,000", False),
        ("two to three hours", "2.5 hours", True),
        ("two to three hours", "five hours", False),
        ("1,200 people", "1,250 people", False),
        ("one person", "1 people", True),
        ("33-year-old", "34-year-old", False),
    ],
)
def test_compatible(a: str, b: str, expected: bool) -> None:
    assert compatible(q(a), q(b)) is expected
    assert compatible(q(b), q(a)) is expected


@pytest.mark.parametrize(
    ("a", "b"),
    [("3 hours", "3 people"), ("$5", "€5"), ("12%", "12"), ("3 soldiers", "3 tanks"),
     ("five-year-old", "five years"), ("12%", "12 percentage points")],
)  # fmt: skip
def test_not_comparable(a: str, b: str) -> None:
    assert compatible(q(a), q(b)) is None


def test_bounds_of_hedges() -> None:
    assert bounds(q("about 100")) == pytest.approx((90, 110))
    assert bounds(q("more than 5 hours")) == (5, math.inf)
    assert bounds(q("under 5 hours")) == (0, 5)
    assert bounds(q("3.5 million people")) == pytest.approx((3.45e6, 3.55e6))


def test_singular() -> None:
    assert [singular(w) for w in ("casualties", "people", "persons", "children", "buses",
            "series", "soldiers", "women", "grandchildren")] == [
        "casualty", "people", "people", "child", "bus", "series", "soldier", "woman",
        "grandchild"]  # fmt: skip


# ---------------------------------------------------------------- properties

ONES = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
]  # fmt: skip
TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
UNITS = ("second", "minute", "hour", "day", "week", "month", "year")


def words(n: int) -> str:
    """English words for 0 <= n <= 99, hyphenated as in print ("twenty-five")."""
    if n < 20:
        return ONES[n]
    tens, ones = divmod(n, 10)
    return TENS[tens - 2] + (f"-{ONES[ones]}" if ones else "")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_random_text_never_raises(text: str) -> None:
    rows(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([
    "3", "1,200", "2.5", "three", "twenty-five", "-", " ", "hours", "hour", "$", "€", "%",
    "million", "m", "about ", "more than ", "to", "and", "a half", "people", "year-old", "/",
    ":", ".", ",", "between ", "per cent", "2013", "August", "one", "a", "\n",
]), max_size=20))  # fmt: skip
def test_number_soup_never_raises(parts: list[str]) -> None:
    text = "".join(parts)
    for found in extract_quantities(text):
        bounds(found)
        assert compatible(found, found) in (True, None)
    rows(text)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(UNITS))
def test_round_trip_digits(n: int, unit: str) -> None:
    for text in (f"{n} {unit}s", f"{n}-{unit}"):
        found = q(f"It took {text} to finish.")
        assert (found.text, found.kind, found.value, found.unit) == (text, "duration", n, unit)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=99), st.sampled_from(UNITS))
def test_round_trip_words(n: int, unit: str) -> None:
    for text in (f"{words(n)} {unit}s", f"{words(n)}-{unit}"):
        found = q(f"It took {text} to finish.")
        assert (found.text, found.kind, found.value, found.unit) == (text, "duration", n, unit)
