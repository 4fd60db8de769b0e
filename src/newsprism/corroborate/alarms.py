"""The one filter between the value clashes a story's facts show and the disputes it
reports (issue 12: false alarms on unperturbed stories).

`dismissal` names the reason a clash is not a contradiction between outlets, or
returns None: the rules live in `subjects` (values of different things) and `places`
(a city inside its state or country). The reason is a class name, so the probe can
count what each rule removes (bench/README.md, "Claims (issue 12)").
"""

from __future__ import annotations

from collections.abc import Sequence

from .disputes import Clash
from .facts import Fact
from .places import Gazetteer, gazetteer
from .subjects import (
    anchor,
    both_stated,
    different_subjects,
    not_a_name,
    said_date,
)

QUANTITIES = frozenset({"count", "amount", "percent", "duration", "magnitude"})


def dismissal(c: Clash, facts: Sequence[Fact], use_gazetteer: bool = True) -> str | None:
    """Why `c` is no dispute ("nested places", "other subject", ...), or None."""
    a, b = c.a, c.b
    fa, fb = facts[a.fact], facts[b.fact]
    places: Gazetteer | None = None
    if use_gazetteer and a.kind in ("place", "agent"):
        places = gazetteer()
    if a.kind == "place" and places is not None and places.nested(a.name or "", b.name or ""):
        return "nested places"
    if a.kind == "agent" and (not_a_name(a.text, places) or not_a_name(b.text, places)):
        return "not a person"
    if a.kind in ("date", "weekday") and said_date(a, fa) != said_date(b, fb):
        return "said-date vs event date"
    if a.kind not in QUANTITIES:
        return None
    if a.kind == "duration" and anchor(a, fa) != anchor(b, fb):
        return "offset vs length"
    if both_stated(a, fa, b, fb):
        return "both numbers stated"
    if different_subjects(a, fa, b, fb):
        return "other subject"
    return None
