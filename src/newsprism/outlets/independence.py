"""Which articles of a story are independent sources: `independence_units(members, ...)`.

Reprints already count once (a near-duplicate follows `duplicate_of` to its original).
Issue 16 adds two ways in which different outlets are still one source:

- **wire copy.** An article that carries a wire agency's story counts as that agency:
  its dateline or byline credits it ("WASHINGTON (AP) —", "(Reuters) -", "By Reuters"),
  or it shares a long verbatim passage with the agency's own article in the story —
  `WIRE_MIN_SHARED` word `WIRE_SHINGLE_WORDS`-grams, about a paragraph, far more than a
  quoted sentence two reporters might both transcribe. The outlet is still listed as
  carrying it (`Unit.outlets`).
- **owner groups** (setting `outlets_group_owners`): outlets of one owner count as one.
  Shown either way: the unit names the group and lists its outlets.

The claims engine counts a fact's independent sources as the number of distinct
`Unit.id`s among the articles reporting it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .identity import name_key, slug
from .registry import Outlet

WIRE_SHINGLE_WORDS = 8  # a verbatim run this long is never a coincidence of phrasing
WIRE_MIN_SHARED = 30  # ~37 words in a row: a copied paragraph, not a shared short quote
CREDIT_WINDOW = 500  # characters of the text's start where a dateline credit sits


@dataclass(slots=True)
class Member:
    """One article of a story as independence needs it."""

    id: str
    key: str
    outlet: Outlet
    text: str = ""
    author: str | None = None
    duplicate_of: str | None = None  # key of the member it near-duplicates


@dataclass(slots=True)
class Unit:
    """An independent source: an outlet, a wire agency or an owner group."""

    id: str
    name: str
    reason: str  # outlet | wire_credit | wire_copy | owner
    outlet: Outlet  # the outlet whose attributes the unit stands for (the wire, ...)
    outlets: list[str] = field(default_factory=list)  # names of the outlets carrying it
    via: dict[str, str] = field(default_factory=dict)  # article id -> why it counts as this


class Wires:
    """The registry's wire agencies with their credit pattern, built once per registry."""

    def __init__(self, wires: Sequence[Outlet]) -> None:
        self.pattern = _credit_pattern(wires)
        self.by_key = {name_key(n): w for w in wires for n in (w.name, *w.aliases)}


def independence_units(
    members: Sequence[Member], wires: Sequence[Outlet] | Wires, *, group_owners: bool = False
) -> dict[str, Unit]:
    """Article id -> its independence unit (see the module docstring)."""
    table = wires if isinstance(wires, Wires) else Wires(wires)
    by_key = {m.key: m for m in members}
    credits, wire_by_key = table.pattern, table.by_key
    wire_texts = [
        (m.outlet, word_grams(m.text))
        for m in members
        if m.outlet.kind == "wire" and m.duplicate_of not in by_key
    ]
    units: dict[str, Unit] = {}  # unit id -> unit, shared by its articles
    out: dict[str, Unit] = {}
    for m in members:
        root = _root(m, by_key)
        stands_for, reason = root.outlet, "outlet"
        if root.outlet.kind != "wire":
            wire = _credited(root, credits, wire_by_key)
            reason = "wire_credit"
            if wire is None:
                wire, reason = _copied(root, wire_texts), "wire_copy"
            if wire is not None:
                stands_for = wire
            else:
                reason = "outlet"
        new = _unit(stands_for, reason, group_owners)
        unit = out[m.id] = units.setdefault(new.id, new)
        unit.via[m.id] = reason
        if m.outlet.name not in unit.outlets:
            unit.outlets.append(m.outlet.name)
    return out


def _unit(outlet: Outlet, reason: str, group_owners: bool) -> Unit:
    if group_owners and outlet.owner:
        return Unit("owner:" + slug(outlet.owner), outlet.owner, "owner", outlet)
    return Unit(outlet.id, outlet.name, reason, outlet)


def _root(m: Member, by_key: dict[str, Member]) -> Member:
    seen = {m.key}
    while m.duplicate_of in by_key and m.duplicate_of not in seen:
        m = by_key[m.duplicate_of]
        seen.add(m.key)
    return m


def _credit_pattern(wires: Sequence[Outlet]) -> re.Pattern[str] | None:
    """ "(AP)", "(Reuters) -", "— Reuters", "By Reuters" for every wire name and alias."""
    names = sorted({n for w in wires for n in (w.name, *w.aliases)}, key=len, reverse=True)
    if not names:
        return None
    alt = "|".join(re.escape(n) for n in names)
    return re.compile(
        rf"\(\s*(?P<p>{alt})\s*\)|^\s*(?:by\s+)?(?P<b>{alt})\s*(?:staff)?\s*$"
        rf"|[—–-]\s*(?P<t>{alt})\s*$",
        re.MULTILINE,
    )


def _credited(
    m: Member, pattern: re.Pattern[str] | None, wire_by_key: dict[str, Outlet]
) -> Outlet | None:
    if pattern is None:
        return None
    if m.author:
        author = re.sub(r"^by\s+", "", m.author.strip(), flags=re.I)
        found = wire_by_key.get(name_key(author))
        if found is not None:
            return found
    match = pattern.search(m.text[:CREDIT_WINDOW])
    if match is None:
        return None
    credit = match.group("p") or match.group("b") or match.group("t")
    return wire_by_key.get(name_key(credit))


_WORD = re.compile(r"\w+")


def word_grams(text: str) -> set[int]:
    """Hashes of the text's `WIRE_SHINGLE_WORDS`-word runs, case-folded. Copy detection
    runs over every member of stories with a wire article each time a story list is
    built, so this is the cheap form of `ingest.dedup.shingles` (hashes, no NFKC)."""
    words = _WORD.findall(text.casefold())
    n = WIRE_SHINGLE_WORDS
    return {hash(tuple(words[i : i + n])) for i in range(len(words) - n + 1)}


def _copied(m: Member, wire_texts: list[tuple[Outlet, set[int]]]) -> Outlet | None:
    if not wire_texts or not m.text:
        return None
    mine = word_grams(m.text)
    best, best_shared = None, WIRE_MIN_SHARED - 1
    for wire, theirs in wire_texts:
        shared = len(mine & theirs)
        if shared > best_shared:
            best, best_shared = wire, shared
    return best
