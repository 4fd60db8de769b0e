"""Claims: one proposition, its variants in every outlet, its slots, its status (issue 12).

The unit of corroboration used to be a sentence or clause, with a contradiction read
only when two of them were almost the same statement; a disputed value then split one
claim into two "facts", each looking single-sourced or, worse, corroborated. Here the
aligner's groups (variants differing only in wording) are merged whenever a dispute
joins them (the same slot given different values), so a claim holds every variant of
what it is about, and its status follows from its values:

- `conflicting`: some slot holds values that cannot both be true (never corroborated);
- `corroborated`: two or more independent sources, every slot compatible;
- `single_source` otherwise.

A disputed slot becomes a value table: each distinct value with the articles behind
it (values that agree, "three-hour" and "more than three hours", share a row).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .align import Group
from .compare import agree, same_subject
from .disputes import Clash
from .facts import Fact
from .slots import SlotValue
from .verdict import Conflict

STATUS_ORDER = {"conflicting": 0, "corroborated": 1, "single_source": 2}


@dataclass(slots=True, frozen=True)
class Span:
    """An exact span of one article: `text == article.text[start:end]`."""

    article: str
    start: int
    end: int
    text: str

    def as_dict(self) -> dict[str, object]:
        return {"article": self.article, "start": self.start, "end": self.end, "text": self.text}


@dataclass(slots=True, frozen=True)
class Variant:
    """How one article states a claim: a fact of it, flagged when it is the headline."""

    fact: int
    span: Span
    source: str  # independence key: variants with one source are one witness
    headline: bool = False


@dataclass(slots=True)
class ValueRow:
    """One value of a disputed slot, with the articles that give it (or a compatible one)."""

    value: str
    articles: list[str]
    evidence: list[Span]


@dataclass(slots=True)
class ValueTable:
    """A disputed slot of a claim: its kind and every value given for it."""

    kind: str  # conflict kind: number | duration | date | place | person | speaker | ...
    slot: str  # slot kind: count | magnitude | weekday | ...
    rows: list[ValueRow]


@dataclass(slots=True)
class Claim:
    """One proposition reported by one or more outlets (see module docstring)."""

    id: str
    pivot: int  # the fact that best states it
    members: list[int]  # facts that state it (each fact states exactly one claim)
    support: list[int]  # facts stating it that are members of another claim too
    variants: list[Variant]
    slots: dict[str, list[SlotValue]]
    status: str = "single_source"
    sources: int = 1
    conflicts: list[Conflict] = field(default_factory=list)
    values: list[ValueTable] = field(default_factory=list)
    about: tuple[str, ...] = ()  # its rarest content keys: what it is about
    centrality: float = 0.0
    kind: str = "event"  # event | role (how a person is described)

    @property
    def facts(self) -> list[int]:
        return self.members + self.support

    @property
    def reported_by(self) -> list[str]:
        return list(dict.fromkeys(v.span.article for v in self.variants))


class Partition:
    """Union-find over group indices: disputes join the groups they connect."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, x: int, y: int) -> None:
        rx, ry = self.find(x), self.find(y)
        if rx != ry:
            self.parent[max(rx, ry)] = min(rx, ry)


def status_of(sources: int, disputed: bool) -> str:
    """conflicting whenever values clash; else corroborated with two or more sources."""
    if disputed:
        return "conflicting"
    return "corroborated" if sources >= 2 else "single_source"


def value_table(clashes: Sequence[Clash], slots: Sequence[SlotValue],
                facts: Sequence[Fact]) -> ValueTable:  # fmt: skip
    """Rows of distinct values for one disputed slot: the clashing values first, then
    every other value of the claim that agrees with one of them joins that row."""
    rows: list[tuple[SlotValue, ValueRow]] = []

    def place(s: SlotValue, may_open: bool) -> None:
        f = facts[s.fact]
        art = f.article
        span = Span(art, s.start, s.end, f.text[s.start - f.start : s.end - f.start])
        for rep, row in rows:
            same = rep.text == s.text and rep.kind == s.kind
            if same or (agree(rep, s) is True and same_subject(rep, s)):
                if art not in row.articles:
                    row.articles.append(art)
                    row.evidence.append(span)
                return
        if may_open:
            rows.append((s, ValueRow(s.text, [art], [span])))

    for c in clashes:
        place(c.a, True)
        place(c.b, True)
    first = clashes[0].a
    for s in slots:
        if s.kind == first.kind or (
            s.kind in ("date", "weekday") and first.kind in ("date", "weekday")
        ):
            place(s, False)
    return ValueTable(clashes[0].kind, first.kind, [r for _, r in rows])


def merge_groups(groups: Sequence[Group], joins: Sequence[tuple[int, int]]) -> list[list[int]]:
    """Indices of `groups` merged through the fact pairs in `joins`, in group order."""
    home = {i: k for k, g in enumerate(groups) for i in g.members}
    part = Partition(len(groups))
    for i, j in joins:
        if i in home and j in home:
            part.join(home[i], home[j])
    merged: dict[int, list[int]] = {}
    for k in range(len(groups)):
        merged.setdefault(part.find(k), []).append(k)
    return list(merged.values())
