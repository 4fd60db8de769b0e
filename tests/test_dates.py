"""Date mentions: regex forms, relative dates, publication dates, spaCy fallback."""

from __future__ import annotations

import calendar
import time
from datetime import date
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SEED_000, SEED_002, seed_text
from newsprism.analyse.dates import date_spans, extract_dates, parse_published

PUB = "2025-08-16"  # a Saturday


def values(text: str, published: str | None = PUB) -> dict[str, str | None]:
    found = extract_dates(text, published)
    for d in found:
        assert text[d.start : d.end] == d.text
    return {d.text: d.value for d in found}


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("On August 15, leaders met.", PUB, {"August 15": "2025-08-15"}),
        ("On August 15, leaders met.", None, {"August 15": "--08-15"}),
        ("On August 15, 2025 they met.", None, {"August 15, 2025": "2025-08-15"}),
        ("On Aug. 15 they met.", PUB, {"Aug. 15": "2025-08-15"}),
        ("On 15 August 2024 they met.", PUB, {"15 August 2024": "2024-08-15"}),
        ("the 15th of August", None, {"15th of August": "--08-15"}),
        ("Saturday, August 15, 2020", None, {"Saturday, August 15, 2020": "2020-08-15"}),
        ("in 2013 he went", PUB, {"2013": "2013"}),
        ("in March 2024 he went", None, {"March 2024": "2024-03"}),
        ("filed 2024-03-05T10:00", None, {"2024-03-05": "2024-03-05"}),
        ("filed 03/05/2024", None, {"03/05/2024": "2024-03-05"}),
        ("filed 25/12/2024", None, {"25/12/2024": "2024-12-25"}),
        ("filed 25.12.2024", None, {"25.12.2024": "2024-12-25"}),
        ("the vote on Nov. 5", PUB, {"Nov. 5": "2025-11-05"}),
        ("on December 20", "2025-01-05", {"December 20": "2024-12-20"}),
    ],
)
def test_calendar_forms(text: str, published: str | None, expected: dict[str, str]) -> None:
    assert values(text, published) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("They met on Saturday.", "2025-08-16"),  # publication day itself is "on/before"
        ("They met on Thursday.", "2025-08-14"),
        ("They met last Saturday.", "2025-08-09"),
        ("They meet next Saturday.", "2025-08-23"),
        ("They meet this coming Monday.", "2025-08-18"),
        ("They will meet on Monday.", "2025-08-18"),  # future tense: the coming one
        ("Leaders are expected to sign the deal on Saturday.", "2025-08-23"),
        ("The vote is scheduled for Tuesday.", "2025-08-19"),
        ("Talks will resume, he said on Monday.", "2025-08-11"),  # "will" is another clause
        ("He said on Thursday that talks will resume.", "2025-08-14"),
        ("It happened yesterday.", "2025-08-15"),
        ("It happens today.", "2025-08-16"),
        ("It happens tomorrow.", "2025-08-17"),
        ("It happened last night.", "2025-08-15"),
        ("It happened three days ago.", "2025-08-13"),
        ("It happened last month.", "2025-07"),
        ("It happened last year.", "2024"),
        ("It happened thirty years ago.", "1995"),
        ("It happened last December.", "2024-12"),
        ("It happens in September.", "2025-09"),
        ("It happened in March.", "2025-03"),
        ("It is due September this year.", "2025-09"),
    ],
)
def test_relative_dates(text: str, expected: str) -> None:
    assert list(values(text).values()) == [expected]


def test_relative_dates_stay_open_without_publication_date() -> None:
    found = values("On Saturday, yesterday, last week and in March.", None)
    assert found == {"Saturday": None, "yesterday": None, "last week": None, "March": None}


def test_last_week_is_not_pinned_to_a_day() -> None:
    assert values("It happened last week.") == {"last week": None}


@pytest.mark.parametrize(
    "text",
    [
        "The three-hour talks and a 90-day pause.",
        "The 33-year-old actress.",
        "About 2000 people and 2000 people and 2013 hours.",
        "The 1990s and the 1990's.",
        "He spoke to USA Today about it.",
        "over the last year",
        "they may march on",
        "a 3-2 win, 24/7, G20",
        "at 2088 Philip Street",
    ],
)
def test_not_dates(text: str) -> None:
    assert values(text) == {}


def test_years_before_ordinary_words() -> None:
    assert values("In 2013 he took the road to Dayton.") == {"2013": "2013"}
    assert values("In 2013 Dayton hosted it.") == {"2013": "2013"}


def test_years_and_possessives() -> None:
    assert values("2008's best film and the 2024 election") == {"2008": "2008", "2024": "2024"}
    assert values("since 1848 and 1848 alone") == {"1848": "1848"}


def test_seed_002() -> None:
    text = seed_text(SEED_002)
    for published, first in ((None, "--08-15"), (PUB, "2025-08-15")):
        found = extract_dates(text, published)
        assert [(d.text, d.value) for d in found] == [("August 15", first), ("2013", "2013")]


def test_seed_000_has_no_dates() -> None:
    assert extract_dates(seed_text(SEED_000), PUB) == []


def test_spans_sorted_and_disjoint() -> None:
    text = "Saturday, August 15, 2025 and Aug. 15 and yesterday in 2013 and 03/05/2024."
    found = extract_dates(text, PUB)
    assert all(a.end <= b.start for a, b in pairwise(found))
    assert date_spans(text) == [(d.start, d.end) for d in found]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-08-16", date(2025, 8, 16)),
        ("2025-08-16T23:30:00-07:00", date(2025, 8, 16)),
        ("2025-08-16T10:00:00Z", date(2025, 8, 16)),
        ("2025-08-16 10:00:00 UTC", date(2025, 8, 16)),
        ("Sat, 16 Aug 2025 10:00:00 +0000", date(2025, 8, 16)),
        ("Sat, 16 Aug 2025 10:00:00 GMT", date(2025, 8, 16)),
        ("garbage", None),
        ("", None),
        (None, None),
        ("2025-02-30", None),
    ],
)
def test_parse_published(value: str | None, expected: date | None) -> None:
    assert parse_published(value) == expected


class _Ent:
    def __init__(self, text: str, start: int, end: int, label: str) -> None:
        self.start_char, self.end_char, self.label_ = start, end, label
        self.text = text[start:end]


class _Doc:
    """The two attributes `extract_dates` reads from a spaCy Doc."""

    def __init__(self, text: str, ents: list[tuple[str, str]]) -> None:
        self.text = text
        self.ents = [_Ent(text, text.index(s), text.index(s) + len(s), lab) for s, lab in ents]


def test_spacy_entities_add_and_veto() -> None:
    text = "In 2000 they left. His October trial. On 10 Nov 11 it ended. Wladimir won."
    doc = _Doc(text, [("2000", "CARDINAL"), ("October", "DATE"), ("10 Nov 11", "DATE"),
                      ("Wladimir", "DATE")])  # fmt: skip
    found = {d.text: d.value for d in extract_dates(text, PUB, doc)}
    assert "2000" not in found
    assert found["October"] is None
    assert "Wladimir" not in found


def test_dateparser_fallback_for_month_entities() -> None:
    text = "It opened Jan the 5th."
    doc = _Doc(text, [("Jan the 5th", "DATE")])
    assert values(text, None) == {}  # no regex reads this form
    assert {d.text: d.value for d in extract_dates(text, "2025-01-10", doc)} == {
        "Jan the 5th": "2025-01-05"
    }
    assert {d.text: d.value for d in extract_dates(text, None, doc)} == {"Jan the 5th": "--01-05"}


def test_fast_enough() -> None:
    text = seed_text(SEED_002) * 3
    extract_dates(text, PUB)
    start = time.perf_counter()
    for _ in range(50):
        extract_dates(text, PUB)
    assert (time.perf_counter() - start) / 50 < 0.02


# ---------------------------------------------------------------- properties

MONTH_NAMES = list(calendar.month_name)[1:]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_random_text_never_raises(text: str) -> None:
    for published in (None, PUB):
        for d in extract_dates(text, published):
            assert text[d.start : d.end] == d.text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([
    "August 15", "on Saturday", "2013", "yesterday", " ", ", ", "3", "-", "/", "May", "last",
    "week", "ago", "three days", "2024-03-05", "15", "Sept.", "the", "of", "in ", "\n",
]), max_size=20))  # fmt: skip
def test_date_like_soup_never_raises(parts: list[str]) -> None:
    text = "".join(parts)
    found = extract_dates(text, PUB)
    assert all(text[d.start : d.end] == d.text for d in found)
    assert all(a.end <= b.start for a, b in pairwise(found))


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)))
def test_round_trip_full_dates(d: date) -> None:
    month = MONTH_NAMES[d.month - 1]
    for text in (f"{month} {d.day}, {d.year}", d.isoformat(), f"{d.day} {month} {d.year}"):
        found = extract_dates(f"It was {text}.", None)
        assert [(x.text, x.value) for x in found] == [(text, d.isoformat())]


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2000, 12, 31)))
def test_month_day_without_publication_date(d: date) -> None:
    text = f"It was {MONTH_NAMES[d.month - 1]} {d.day}."
    [found] = extract_dates(text, None)
    assert found.value == f"--{d.month:02d}-{d.day:02d}"
