"""Disputes: two facts of different outlets that state one thing with clashing values.

A dispute needs two things (issue 12): the facts are *about* the same thing, and a slot
they share holds values that cannot both be true. "About the same thing" is read
generously, because outlets word one claim differently: either the aligner put the two
facts in one group, or they are linked and agree on what happened once the values and
names are set aside (ABOUT_SIM, ABOUT_JACCARD). Values are compared strictly
(`compare.agree`): a qualifier that reconciles two values always wins.

Agents are compared only as a swap: each fact names exactly one person the other does
not, in the same position (a shared neighbouring word, or the only person named), and
the other article never names that person at all, so a suspect in one report never
"contradicts" the sheriff quoted in another.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..analyse.quantities import singular
from .compare import agree, same_subject
from .facts import Fact
from .slots import SlotValue
from .verdict import same_name

ABOUT_SIM = 0.5  # linked facts this close in meaning ...
ABOUT_JACCARD = 0.3  # ... sharing this share of their content words (values and names aside)
ABOUT_MIN_SHARED = 2
MEETING_SIM = 0.5  # the same two named people meeting, this close in meaning: one event
SLOT_CONFLICT_KIND = {
    "count": "number", "amount": "number", "percent": "number", "magnitude": "number",
    "duration": "duration", "date": "date", "weekday": "date", "place": "place",
    "agent": "person",
}  # fmt: skip


@dataclass(slots=True, frozen=True)
class Clash:
    """Two values of one slot, in two facts of different outlets, that cannot both be true."""

    a: SlotValue
    b: SlotValue

    @property
    def kind(self) -> str:
        return SLOT_CONFLICT_KIND[self.a.kind]


def _value_keys(f: Fact, slots: Sequence[SlotValue]) -> frozenset[str]:
    """The keys inside the fact's values, computed once per fact (`Fact.memo`)."""
    if "value_keys" not in f.memo:
        spans = [(s.start, s.end) for s in slots]
        f.memo["value_keys"] = frozenset(
            t.key for t in f.tokens if t.key and any(a <= t.start < b for a, b in spans)
        )
    return f.memo["value_keys"]


def about_same(
    a: Fact, b: Fact, sim: float, sa: Sequence[SlotValue], sb: Sequence[SlotValue]
) -> bool:
    """Linked facts that say the same thing once values and names are set aside."""
    if sim < ABOUT_SIM:
        return False
    ka = a.keys - a.entity_keys - _value_keys(a, sa)
    kb = b.keys - b.entity_keys - _value_keys(b, sb)
    shared = ka & kb
    return len(shared) >= ABOUT_MIN_SHARED and len(shared) / max(1, len(ka | kb)) >= ABOUT_JACCARD


def value_clashes(
    sa: Sequence[SlotValue], sb: Sequence[SlotValue], together: set[frozenset[str]]
) -> list[Clash]:
    """Pairs of values of one subject that disagree, one-to-one.

    When a fact holds several values of a kind, each is paired with its best match in
    the other fact (most shared context); a tie is ambiguous and never clashes, and a
    value with an agreeing partner is settled ("5 injured, 2 killed" vs "5 injured, 3
    killed" clashes once).
    """
    out = []
    for x in sa:
        if x.kind == "agent":
            continue
        partners = [y for y in sb if y.kind != "agent" and same_subject(x, y)]
        if not partners:
            continue
        if any(agree(x, y, together) for y in partners):
            continue
        top = max(len(x.context & y.context) for y in partners)
        best = [y for y in partners if len(x.context & y.context) == top]
        if len(best) == 1 and agree(x, best[0], together) is False:
            out.append(Clash(x, best[0]))
    return out


def sole_value_clashes(sa: Sequence[SlotValue], sb: Sequence[SlotValue],
                       together: set[frozenset[str]]) -> list[Clash]:  # fmt: skip
    """Clashes between two variants of ONE claim: the only value of a kind on each side.

    Issue 12: a claim's variants are already statements of one thing (aligned, or
    joined by a dispute), so when each gives exactly one value of a kind ("its
    four-step scoring system" / "its six-step scoring programme") those values are the
    same slot even when the few words around them differ; calling the claim
    corroborated would report the disputed value as agreed. Several values of a kind
    on a side are paired only by `value_clashes`, which needs shared context.
    """
    out = []
    for family in {_family(s.kind) for s in sa} & {_family(s.kind) for s in sb}:
        if family == "agent":
            continue
        xs = [s for s in sa if _family(s.kind) == family]
        ys = [s for s in sb if _family(s.kind) == family]
        if len(xs) == 1 and len(ys) == 1 and agree(xs[0], ys[0], together) is False:
            out.append(Clash(xs[0], ys[0]))
    return out


def _family(kind: str) -> str:
    """Slot kinds one reader compares with each other (a weekday with a date)."""
    return {"weekday": "date", "percent": "amount"}.get(kind, kind)


def meeting_place_clash(
    a: Fact,
    b: Fact,
    sim: float,
    sa: Sequence[SlotValue],
    sb: Sequence[SlotValue],
    together: set[frozenset[str]],
) -> Clash | None:
    """Where two or more named people met: the same people on both sides (and meaning
    close enough, MEETING_SIM) make it one event however differently it is worded."""
    if sim < MEETING_SIM or len(a.persons) < 2 or a.persons != b.persons:
        return None
    pa = [s for s in sa if s.kind == "place"]
    pb = [s for s in sb if s.kind == "place"]
    if len(pa) != 1 or len(pb) != 1 or agree(pa[0], pb[0], together) is not False:
        return None
    return Clash(pa[0], pb[0])


def agent_clash(
    a: Fact,
    b: Fact,
    sa: Sequence[SlotValue],
    sb: Sequence[SlotValue],
    words_in: dict[str, frozenset[str]],
) -> Clash | None:
    """One person swapped for another in the same statement (see module docstring).

    `words_in` maps an article id to the folded words of that article, to check the
    other outlet never names the person at all.
    """
    pa = [s for s in sa if s.kind == "agent"]
    pb = [s for s in sb if s.kind == "agent"]
    only_a = [x for x in pa if not any(same_name(x.name or "", y.name or "") for y in pb)]
    only_b = [y for y in pb if not any(same_name(x.name or "", y.name or "") for x in pa)]
    if len(only_a) != 1 or len(only_b) != 1:
        return None
    x, y = only_a[0], only_b[0]
    if len((x.name or "").split()) < 2 or len((y.name or "").split()) < 2:
        return None
    if not (len(pa) == len(pb) == 1 or x.context & y.context):
        return None
    last_x, last_y = (x.name or "").split()[-1].casefold(), (y.name or "").split()[-1].casefold()
    if last_y in words_in.get(a.article, ()) or last_x in words_in.get(b.article, ()):
        return None
    return Clash(x, y)


def _unit(s: SlotValue) -> str:
    q = s.quantity
    return singular(q.unit).lower() if q is not None and q.unit else ""


def unit_clashes(sa: Sequence[SlotValue], sb: Sequence[SlotValue],
                 together: set[frozenset[str]]) -> list[Clash]:  # fmt: skip
    """Clashes between two variants of ONE claim: the only value of a unit on each side.

    Issue 12: "11 points, 11 rebounds" and "11 points, 28 rebounds" each give several
    counts, so `sole_value_clashes` pairs none of them, yet the two rebound counts are
    one slot of one claim: within a claim the counted noun (or time unit) alone says so.
    """
    out = []
    for x in sa:
        ux = _unit(x)
        if not ux:
            continue
        xs = [s for s in sa if s.kind == x.kind and _unit(s) == ux]
        ys = [s for s in sb if s.kind == x.kind and _unit(s) == ux]
        if len(xs) == 1 and len(ys) == 1 and agree(x, ys[0], together) is False:
            out.append(Clash(x, ys[0]))
    return out


def swapped_person(sa: Sequence[SlotValue], sb: Sequence[SlotValue],
                   words_a: frozenset[str], words_b: frozenset[str]) -> bool:  # fmt: skip
    """Each variant names one full-named person the other does not, and the other's
    article never names that person at all (`words_a`, `words_b`: folded words of the
    two articles): within one claim, two names for one role."""
    pa = [s.name or "" for s in sa if s.kind == "agent"]
    pb = [s.name or "" for s in sb if s.kind == "agent"]
    only_a = [x for x in pa if not any(same_name(x, y) for y in pb)]
    only_b = [y for y in pb if not any(same_name(x, y) for x in pa)]
    if len(only_a) != 1 or len(only_b) != 1:
        return False
    x, y = only_a[0], only_b[0]
    if len(x.split()) < 2 or len(y.split()) < 2:
        return False
    return y.split()[-1].casefold() not in words_a and x.split()[-1].casefold() not in words_b
