"""An outlet's record, from the briefs newsprism has stored: evidence, not a verdict.

For each fact of each stored brief that one of the outlet's articles reports:

- **corroborated**: the fact is `corroborated` and at least one *other* independent
  source (`independence.Unit`, so a paper carrying AP copy never corroborates AP)
  reports it too;
- **alone**: no other independent source in the story reports it (the outlet may be
  first, or wrong — the record does not say which);
- **stands alone**: the fact is `conflicting` and the value the outlet gives is given
  by no other independent source, while another source gives a different one.

Every item keeps the story, the fact and the outlet's evidence spans, so each number
on the outlet page links to the sentences behind it. Briefs not built yet (a story
nobody opened and `run` did not export) do not count; `briefs` says how many did.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .coverage import StoryOutlets

KINDS = ("corroborated", "alone", "stands_alone")


@dataclass(slots=True)
class Record:
    """What the stored briefs show about one outlet's facts."""

    briefs: int = 0  # stored briefs of stories the outlet is in
    facts: int = 0  # facts it reports in them
    items: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {k: [] for k in KINDS})

    def as_dict(self) -> dict[str, Any]:
        return {
            "briefs": self.briefs,
            "facts": self.facts,
            "counts": {k: len(v) for k, v in self.items.items()},
            **self.items,
        }


def records(
    conn: sqlite3.Connection, stories: Mapping[str, StoryOutlets], titles: Mapping[str, Any]
) -> dict[str, Record]:
    """Outlet id -> its record over every stored brief (one pass for all outlets)."""
    out: dict[str, Record] = {}
    for story_id, text in conn.execute("SELECT story_id, brief FROM briefs ORDER BY story_id"):
        story = stories.get(story_id)
        if story is None:
            continue
        try:
            brief = json.loads(text)
        except ValueError:
            continue
        for oid in {o.id for o in story.outlet_of.values()}:
            out.setdefault(oid, Record()).briefs += 1
        for fact in brief.get("facts") or []:
            _add_fact(out, story_id, titles.get(story_id), fact, story)
    return out


def _add_fact(
    out: dict[str, Record], story_id: str, title: Any, fact: dict[str, Any], story: StoryOutlets
) -> None:
    reporters = [a for a in fact.get("reported_by") or [] if a in story.outlet_of]
    outlets = {story.outlet_of[a].id for a in reporters}
    for oid in outlets:
        mine = [a for a in reporters if story.outlet_of[a].id == oid]
        my_units = {story.unit_of[a].id for a in mine}
        others = {story.unit_of[a].id for a in reporters} - my_units
        item = {
            "story": story_id,
            "story_title": title,
            "fact": fact.get("id"),
            "status": fact.get("status"),
            "text": fact.get("text"),
            "evidence": [e for e in fact.get("evidence") or [] if e.get("article") in mine],
            "others": sorted({story.unit_of[a].name for a in reporters} - _names(story, mine)),
        }
        record = out.setdefault(oid, Record())
        record.facts += 1
        if fact.get("status") == "conflicting":
            if _stands_alone(fact, story, set(mine), my_units):
                record.items["stands_alone"].append(item)
        elif not others:
            record.items["alone"].append(item)
        elif fact.get("status") == "corroborated":
            record.items["corroborated"].append(item)


def _names(story: StoryOutlets, articles: list[str]) -> set[str]:
    return {story.unit_of[a].name for a in articles}


def _stands_alone(
    fact: dict[str, Any], story: StoryOutlets, mine: set[str], my_units: set[str]
) -> bool:
    """Whether some conflict of the fact has the outlet's value given by it alone."""
    for conflict in fact.get("conflicts") or []:
        values = [v for v in conflict.get("values") or [] if v.get("article") in story.unit_of]
        my_values = {_fold(v.get("value")) for v in values if v["article"] in mine}
        other = [v for v in values if story.unit_of[v["article"]].id not in my_units]
        if my_values and other and not my_values & {_fold(v.get("value")) for v in other}:
            return True
    return False


def _fold(value: Any) -> str:
    return " ".join(str(value or "").casefold().split())
