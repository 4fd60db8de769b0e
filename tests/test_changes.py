"""The story change log: snapshots of briefs and their diff (issue 15)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsprism.corroborate.changes import Snapshot, StoryChange, diff, parse_since, snapshot
from newsprism.errors import ConfigError

AT = "2026-03-02T12:00:00+00:00"


def fact(fid: str, status: str, spans: list[tuple[str, int, int]], **extra: Any) -> dict[str, Any]:
    evidence = [{"article": a, "start": s, "end": e, "text": "x" * (e - s)} for a, s, e in spans]
    return {"id": fid, "status": status, "text": f"claim {fid}", "evidence": evidence, **extra}


def brief(articles: list[tuple[str, str]], facts: list[dict[str, Any]], quotes=()) -> dict:  # type: ignore[no-untyped-def]
    return {
        "story": {"id": "s-1", "title": "T"},
        "articles": [{"id": a, "source": s, "title": f"title {a}"} for a, s in articles],
        "facts": facts,
        "quotes": [{"text": q, "speaker": "Erik Dahl", "reported_by": []} for q in quotes],
    }


BEFORE = brief(
    [("a1", "Herald"), ("a2", "Coast")],
    [
        fact("a1:0", "corroborated", [("a1", 0, 50), ("a2", 10, 60)]),
        fact("a1:1", "single_source", [("a1", 60, 100)]),
        fact(
            "a1:2",
            "conflicting",
            [("a1", 100, 140), ("a2", 70, 110)],
            conflicts=[{"kind": "number", "values": [{"article": "a1", "value": "12"}]}],
        ),
    ],
    ["The crew acted quickly"],
)


def test_diff_lists_exactly_what_the_new_brief_adds() -> None:
    after = brief(
        [("a1", "Herald"), ("a2", "Coast"), ("a3", "Wire"), ("a4", "Herald")],
        [
            # renumbered ids: claims are matched by evidence, not by id
            fact("x", "corroborated", [("a2", 20, 55)]),  # = a1:0 (overlaps a2 10-60)
            fact("y", "corroborated", [("a1", 65, 90), ("a3", 0, 30)]),  # a1:1 now corroborated
            fact(
                "z",
                "conflicting",
                [("a1", 100, 140), ("a3", 40, 80)],
                conflicts=[
                    {
                        "kind": "number",
                        "values": [
                            {"article": "a1", "value": "12"},
                            {"article": "a3", "value": "15"},
                        ],
                    }
                ],
            ),
            fact("w", "single_source", [("a4", 0, 40)]),  # new
        ],
        ["The crew acted quickly", "We are cooperating fully"],
    )
    change = diff(snapshot(BEFORE), snapshot(after), "s-1", AT, "updated")
    assert [(a.id, a.source, a.new_source) for a in change.articles] == [
        ("a3", "Wire", True),
        ("a4", "Herald", False),
    ]
    assert change.sources_joined == ["Wire"]
    assert [(c.id, c.status) for c in change.claims_new] == [("w", "single_source")]
    assert [(c.id, c.before, c.after) for c in change.status_changed] == [
        ("y", "single_source", "corroborated")
    ]
    assert [(v.claim, v.article, v.value) for v in change.values_added] == [("z", "a3", "15")]
    assert [q.text for q in change.quotes_new] == ["We are cooperating fully"]
    assert change.summary() == (
        "2 articles joined (new sources: Wire); 1 new claim;"
        " claim y single_source → corroborated; 1 value added to disputed claims; 1 new quote"
    )


def test_first_snapshot_is_all_new_and_same_snapshot_is_no_change() -> None:
    snap = snapshot(BEFORE)
    first = diff(None, snap, "s-1", AT, "created")
    assert [a.id for a in first.articles] == ["a1", "a2"]
    assert len(first.claims_new) == 3 and len(first.quotes_new) == 1
    assert first.summary().startswith("story created; 2 articles joined")
    assert diff(snap, snap, "s-1", AT, "updated").empty()


def test_values_table_rows_are_read_too() -> None:
    """A claims stage that lists values in a `values` table (issue 12) is diffed alike."""
    old = fact("c", "conflicting", [("a1", 0, 10)], values=[{"value": "12", "articles": ["a1"]}])
    new = fact(
        "c",
        "conflicting",
        [("a1", 0, 10)],
        values=[{"value": "12", "articles": ["a1"]}, {"value": "15", "articles": ["a2", "a3"]}],
    )
    change = diff(
        snapshot(brief([("a1", "H")], [old])), snapshot(brief([("a1", "H")], [new])), "s", AT, "u"
    )
    assert [(v.article, v.value) for v in change.values_added] == [("a2", "15"), ("a3", "15")]


def test_snapshot_and_change_survive_json() -> None:
    snap = snapshot(BEFORE)
    assert Snapshot.from_json(snap.to_json()) == snap
    assert Snapshot.from_json({**snap.to_json(), "version": 0}) is None
    change = diff(None, snap, "s-1", AT, "created")
    again = StoryChange.from_dict(change.to_dict())
    assert again == change and again.summary() == change.summary()


_spans = st.lists(
    st.tuples(st.sampled_from(["a1", "a2", "a3"]), st.integers(0, 200), st.integers(1, 50)),
    max_size=4,
)
_facts = st.lists(
    st.tuples(st.sampled_from(["corroborated", "single_source", "conflicting"]), _spans),
    max_size=6,
)


@given(_facts, _facts)
def test_diff_properties(old_facts: list[Any], new_facts: list[Any]) -> None:
    """Any brief against itself is no change; a claim is new exactly when it shares no
    evidence or wording with the old brief (a claim split off an old one is not new)."""

    def make(facts: list[Any]) -> dict[str, Any]:
        return brief(
            [("a1", "H"), ("a2", "C")],
            [
                fact(f"f{i}", status, [(a, s, s + n) for a, s, n in spans])
                for i, (status, spans) in enumerate(facts)
            ],
        )

    old, new = snapshot(make(old_facts)), snapshot(make(new_facts))
    assert diff(new, new, "s", AT, "updated").empty()
    change = diff(old, new, "s", AT, "updated")
    old_spans = [s for c in old.claims for s in c.spans]
    old_texts = {c.text for c in old.claims}
    fresh = {c.id for c in change.claims_new}
    for claim in new.claims:
        overlaps = any(a.overlap(b) for a in claim.spans for b in old_spans)
        shared = overlaps or claim.text.lower() in {t.lower() for t in old_texts}
        assert (claim.id in fresh) == (not shared)


def test_parse_since() -> None:
    now = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
    assert parse_since("2h", now) == "2026-12-07T13:00:00+00:00"
    assert parse_since("90m", now) == "2026-12-07T13:30:00+00:00"
    assert parse_since("2026-12-07") == "2026-12-07T00:00:00+00:00"
    assert parse_since("2026-12-07T13:00+01:00") == "2026-12-07T12:00:00+00:00"
    with pytest.raises(ConfigError, match="--since expects"):
        parse_since("yesterday-ish")


@given(st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2999, 1, 1)))
def test_parse_since_round_trips_iso(moment: datetime) -> None:
    moment = moment.replace(microsecond=0, tzinfo=UTC)
    assert parse_since(moment.isoformat()) == moment.isoformat()
