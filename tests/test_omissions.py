"""What each outlet leaves out: the rule by number of independent sources (issue 12)."""

from __future__ import annotations

from typing import Any

from newsprism.report.omissions import omissions


def _claim(cid: str, *reporters: str, status: str = "single_source") -> dict[str, Any]:
    return {"id": cid, "reported_by": list(reporters), "status": status}


def test_two_sources_each_leave_out_what_the_other_reports() -> None:
    units = {"a": "A", "b": "B"}
    claims = [_claim("both", "a", "b", status="corroborated"), _claim("only-a", "a"),
              _claim("only-b", "b")]  # fmt: skip
    assert omissions(units, claims) == {"a": ["only-b"], "b": ["only-a"]}


def test_with_three_sources_an_omission_is_what_two_others_report() -> None:
    units = {"a": "A", "b": "B", "c": "C"}
    claims = [_claim("bc", "b", "c", status="corroborated"), _claim("only-b", "b"),
              _claim("ab", "a", "b", status="conflicting")]  # fmt: skip
    assert omissions(units, claims) == {"a": ["bc"], "b": [], "c": ["ab"]}


def test_a_wire_copy_is_not_a_second_source() -> None:
    """b2 reprints b's wire story: b and b2 are one unit, so only one other source
    reports "wire" for a, and in a three-unit story that is not an omission."""
    units = {"a": "A", "b": "W", "b2": "W", "c": "C"}
    claims = [_claim("wire", "b", "b2", status="single_source")]
    assert omissions(units, claims) == {"a": [], "b": [], "b2": [], "c": []}


def test_one_article_leaves_out_nothing() -> None:
    assert omissions({"a": "A"}, [_claim("x", "a")]) == {"a": []}


def test_order_follows_the_claims() -> None:
    units = {"a": "A", "b": "B"}
    claims = [_claim(f"c{i}", "b") for i in range(5)]
    assert omissions(units, claims)["a"] == ["c0", "c1", "c2", "c3", "c4"]
