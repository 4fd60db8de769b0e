"""The contradiction probe's pure helpers (bench/probe_values.py, the judging of
bench/contradiction_probe.py, bench/brief_redundancy.py): a probe that changes a value
wrongly, or judges a brief wrongly, measures nothing."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

import probe_values as pv  # noqa: E402
from contradiction_probe import judge  # noqa: E402
from probe_cases import Case, Edit, Span, apply_edits  # noqa: E402

# ----------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("A 6. 1 quake hurt seven and 1,200 fled", [6.1, 7.0, 1200.0]),
        ("in 2005. 3 people died", [2005.0, 3.0]),  # a sentence end, not a decimal
        ("a level of 0. 08 percent", [0.08]),  # ECB+'s tokenised decimal
        ("at 1:32 PM, flight A320", []),  # times and codes are not numbers
        ("the 6.1-magnitude quake", [6.1]),
    ],
)
def test_find_numbers(text: str, values: list[float]) -> None:
    assert [n.value for n in pv.find_numbers(text)] == values


@given(st.integers(2, 10**7).filter(lambda v: not 1800 <= v <= 2100))
def test_find_numbers_reads_digits_and_commas(v: int) -> None:
    for written in (str(v), f"{v:,}"):
        found = pv.find_numbers(f"police said {written} people were hurt")
        assert [n.value for n in found] == [float(v)]


@given(st.integers(2, 10**6), st.integers(0, 2**32))
def test_changed_number_is_clearly_different_in_the_same_format(v: int, seed: int) -> None:
    for written in (str(v), f"{v:,}"):
        n = pv.find_numbers(f"x {written} people")
        if not n or pv.is_year(n[0]):
            continue
        new = pv.changed_number(n[0], random.Random(seed), set())
        if new is None:
            continue
        back = pv.find_numbers(f"x {new} people")[0]
        assert back.style == n[0].style
        assert pv.clearly_different(back.value, n[0].value)
        assert not pv.is_year(back)


@given(st.integers(10, 99), st.integers(0, 2**32))
def test_changed_decimal_keeps_its_places_and_separator(tenths: int, seed: int) -> None:
    for sep in (".", ". "):
        text = f"magnitude {tenths // 10}{sep}{tenths % 10} quake"
        n = pv.find_numbers(text)[0]
        new = pv.changed_number(n, random.Random(seed), set(), limit=9.5)
        assert new is not None
        assert sep in new and len(new.split(sep)[1]) == 1
        value = float(new.replace(" ", ""))
        assert abs(value - n.value) >= pv.MIN_DECIMAL_CHANGE - 1e-9 and value <= 9.5


def test_changed_number_respects_taken_limit_and_direction() -> None:
    n = pv.find_numbers("90 percent")[0]
    rng = random.Random(1)
    for _ in range(30):
        assert float(pv.changed_number(n, rng, set(), limit=100) or 0) <= 100
        assert float(pv.changed_number(n, rng, set(), direction=-1) or 0) < 90
    seven = pv.find_numbers("seven people")[0]
    taken = {float(k) for k in range(2, 100) if k != 4}
    assert pv.changed_number(seven, rng, taken) == "four"


def test_word_numbers_stay_plausible() -> None:
    two = pv.find_numbers("two touchdowns")[0]
    rng = random.Random(3)
    assert {pv.changed_number(two, rng, set()) for _ in range(50)} <= {"three", "four", "five"}


# ----------------------------------------------------------------------------- dates, edits


@given(st.integers(1, 31), st.integers(0, 2**32), st.booleans())
def test_changed_day_is_valid_and_written_alike(day: int, seed: int, pad: bool) -> None:
    digits = f"{day:02d}" if pad else str(day)
    d = pv.find_dates(f"on May {digits}, 2013")[0]
    new = pv.changed_day(d, digits, random.Random(seed), {day + 2})
    assert new is not None
    assert 1 <= int(new) <= pv.DAYS_SAFE and int(new) not in (day, day + 2)
    # "May 03" stays zero-padded ("May 07"); "May 3" and "May 10" never gain a zero
    assert len(new) == 2 if digits.startswith("0") else not new.startswith("0")


def test_dates_in_both_orders_and_ordinals() -> None:
    found = pv.find_dates("Dec. 12, 2008, the 3rd of March and 4 July")
    assert [(d.month, d.day) for d in found] == [(12, 12), (3, 3), (7, 4)]
    assert [pv.ordinal(d) for d in (1, 2, 3, 4, 11, 12, 13, 21, 22)] == [
        "st", "nd", "rd", "th", "th", "th", "th", "st", "nd",
    ]  # fmt: skip


@given(st.text(min_size=1, max_size=60), st.data())
def test_apply_edits_changes_only_the_edited_spans(text: str, data: st.DataObject) -> None:
    cuts = sorted(data.draw(st.sets(st.integers(0, len(text)), max_size=6)))
    pairs = list(zip(cuts[::2], cuts[1::2], strict=False))
    edits = [Edit("text", a, b, text[a:b], data.draw(st.text(max_size=5))) for a, b in pairs]
    new, spans = apply_edits(text, edits)
    assert [new[a:b] for a, b in spans] == [e.new for e in edits]
    keep = [
        text[b:a] for (_, b), (a, _) in zip([(0, 0), *pairs], [*pairs, (len(text), 0)], strict=True)
    ]
    assert "".join(keep) == "".join(
        new[b:a] for (_, b), (a, _) in zip([(0, 0), *spans], [*spans, (len(new), 0)], strict=True)
    )


def test_names_match_whole_words_only() -> None:
    assert pv.occurrences("Reid and Reidy met Reid's friend", "Reid") == [(0, 4), (19, 23)]
    assert pv.followed_by_name("the Betty Ford Center", len("the Betty Ford"))


@pytest.mark.parametrize(
    ("kind", "value", "target", "expected"),
    [
        ("count", "7 people injured", "seven", True),
        ("count", "5 people injured", "seven", False),
        ("amount", "$3 million", "3", True),
        ("date", "2008-03-05", "March 5", True),
        ("date", "Tuesday, March 4", "March 5", False),
        ("weekday", "on Tuesday", "Tuesday", True),
        ("person", "Lohan", "Lindsay Lohan", True),
        ("place", "in Iran", "Iraq", False),
    ],
)
def test_value_matches(kind: str, value: str, target: str, expected: bool) -> None:
    assert pv.value_matches(kind, value, target) is expected


# ----------------------------------------------------------------------------- judging


def _case(kind: str = "count") -> Case:
    return Case(
        "count-001", "ecbplus", "T1", kind, "a2", "five", "nine",
        [Edit("text", 10, 14, "five", "nine")], [Span("a2", 10, 14, "nine")],
        [Span("a1", 30, 34, "five")], "hurt five", "hurt nine", "hurt five",
    )  # fmt: skip


def _fact(status: str, conflicts: list[dict[str, object]], evidence: list[dict[str, object]]):
    return {"id": "f1", "status": status, "conflicts": conflicts, "evidence": evidence}


def test_judge_detects_the_new_value_of_the_right_kind() -> None:
    values = [{"article": "a1", "value": "5 injured"}, {"article": "a2", "value": "9 injured"}]
    brief = {"facts": [_fact("conflicting", [{"kind": "number", "values": values}], [])]}
    assert judge(_case(), brief).result == "detected"
    brief["facts"][0]["conflicts"][0]["kind"] = "date"
    assert judge(_case(), brief).result == "mistyped"


def test_judge_wants_the_changed_article_in_the_conflict() -> None:
    values = [{"article": "a1", "value": "5"}, {"article": "a3", "value": "9"}]
    brief = {"facts": [_fact("conflicting", [{"kind": "number", "values": values}], [])]}
    assert judge(_case(), brief).result == "missed"


def test_judge_flags_false_agreement() -> None:
    evidence = [
        {"article": "a1", "start": 20, "end": 40, "text": "..."},
        {"article": "a2", "start": 0, "end": 20, "text": "..."},
    ]
    out = judge(_case(), {"facts": [_fact("corroborated", [], evidence)]})
    assert out.result == "missed" and out.false_agreement
    evidence[1]["start"], evidence[1]["end"] = 15, 25  # no longer covers the changed span
    assert not judge(_case(), {"facts": [_fact("corroborated", [], evidence)]}).false_agreement


# ----------------------------------------------------------------------------- redundancy


def test_headline_variants_and_restating_words() -> None:
    from brief_redundancy import content_words, headline_variant, jaccard

    titles = ["Fred LaRue, Watergate Figure, Dies at 75"]
    assert headline_variant("Nixon Aide Fred LaRue Dies at 75", titles) is False
    assert headline_variant("Fred LaRue, Watergate figure, dies at 75.", titles)
    a = content_words("Fred LaRue, a Watergate figure, died at 75 on Saturday")
    b = content_words("Watergate figure Fred LaRue died on Saturday at 75")
    assert jaccard(a, b) >= 0.6


def test_a_lead_sentence_standing_in_for_a_title_is_no_headline() -> None:
    from brief_redundancy import is_headline

    assert is_headline("Ellen DeGeneres will host the Oscars.")
    assert not is_headline(
        "Perennial party girl Tara Reid checked herself into Promises Treatment Center, "
        "her rep told People."
    )
