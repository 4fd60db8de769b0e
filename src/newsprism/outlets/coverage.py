"""Who covers each story: its outlets, independent sources and coverage by attribute.

    story_outlets(conn, settings) -> {story id: StoryOutlets}
    coverage_of(units) -> {"<attribute>": {"<value>": <independent sources>}}

Coverage counts *independence units* (`independence.py`), not articles: a story carried
by three papers that all print the same AP copy is one source, covered by the wire. A
unit counts once under each distinct value among the outlets it holds (the wire and the
papers carrying it), so a right-leaning paper carrying AP still shows the story reaches
the right. An outlet without a value counts under `UNKNOWN`.

Blindspots (`blindspot`): stories one side did not cover. A label is the user's own
scale of sides (`lean=left|center|right`), so a story is a blindspot by a label when no
independent source has one of the label's values — covered by left and center, none
from the right. Country, owner and kind are open-ended (a registry knows dozens of
countries), so there a blindspot is a story covered by outlets of one value only. Either
way every source must have a known value: an unlabelled outlet might be the missing
side. That is evidence of who covered the story in this store, not of who ignored it.
"""

from __future__ import annotations

import sqlite3
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .independence import CREDIT_WINDOW, Member, Unit, Wires, independence_units
from .registry import Outlet
from .resolve import UNKNOWN as UNKNOWN_OUTLET
from .resolve import Resolver, Signals, anonymous

UNKNOWN = "unknown"
CORE_ATTRIBUTES = ("country", "owner", "kind")

_MEMBERS = (
    "SELECT sa.story_id, a.key, a.id, a.source, a.url, a.meta, a.author, a.duplicate_of,"
    f" substr(a.text, 1, {CREDIT_WINDOW}) AS head FROM story_articles sa"
    " JOIN articles a ON a.key = sa.article_key"
)


@dataclass(slots=True)
class StoryOutlets:
    """A story's articles attributed to outlets and grouped into independent units."""

    outlet_of: dict[str, Outlet]  # article id -> outlet
    unit_of: dict[str, Unit]  # article id -> independence unit
    coverage: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def independent(self) -> int:
        return len({u.id for u in self.unit_of.values()})

    def outlets(self) -> list[dict[str, Any]]:
        """Each outlet once: its articles and the source it counts as."""
        rows: dict[str, dict[str, Any]] = {}
        for article_id, outlet in self.outlet_of.items():
            unit = self.unit_of[article_id]
            row = rows.setdefault(
                outlet.id,
                {
                    "id": outlet.id,
                    "name": outlet.name,
                    "articles": [],
                    "counts_as": unit.name,
                    "why": unit.via.get(article_id, unit.reason),
                },
            )
            row["articles"].append(article_id)
        return sorted(rows.values(), key=lambda r: (r["name"].casefold(), r["id"]))


def attributes_of(outlets: Iterable[Outlet]) -> dict[str, set[str]]:
    """Attribute -> the values the registry knows (core attributes always listed)."""
    known: dict[str, set[str]] = {a: set() for a in CORE_ATTRIBUTES}
    for o in outlets:
        for name, value in o.attributes().items():
            known.setdefault(name, set())
            if value:
                known[name].add(value)
    return known


def coverage_of(
    members: Iterable[Member], units: Mapping[str, Unit], attributes: Iterable[str]
) -> dict[str, dict[str, int]]:
    """Attribute -> value -> independent sources (see the module docstring)."""
    outlets_of_unit: dict[str, dict[str, Outlet]] = defaultdict(dict)
    for m in members:
        unit = units[m.id]
        outlets_of_unit[unit.id][unit.outlet.id] = unit.outlet
        outlets_of_unit[unit.id][m.outlet.id] = m.outlet
    attrs = {
        oid: o.attributes() for outlets in outlets_of_unit.values() for oid, o in outlets.items()
    }
    out: dict[str, dict[str, int]] = {}
    for attribute in attributes:
        counts: Counter[str] = Counter()
        for outlets in outlets_of_unit.values():
            values = {attrs[oid].get(attribute) or UNKNOWN for oid in outlets}
            if len(values) > 1:
                values.discard(UNKNOWN)  # a known value of any outlet of the unit says more
            counts.update(values)
        out[attribute] = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return out


def story_outlets(
    conn: sqlite3.Connection,
    resolver: Resolver,
    *,
    group_owners: bool = False,
    story_id: str | None = None,
) -> dict[str, StoryOutlets]:
    """Story id -> StoryOutlets for every story (or one), read in one pass."""
    sql = _MEMBERS + (" WHERE sa.story_id = ?" if story_id else "") + " ORDER BY sa.node"
    members: dict[str, list[Member]] = defaultdict(list)
    for r in conn.execute(sql, (story_id,) if story_id else ()):
        outlet = resolver.outlet_of(Signals.of(r["source"], r["url"], r["meta"]))
        if outlet is UNKNOWN_OUTLET:
            outlet = anonymous(r["id"])
        members[r["story_id"]].append(
            Member(r["id"], r["key"], outlet, r["head"] or "", r["author"], r["duplicate_of"])
        )
    out: dict[str, StoryOutlets] = {}
    keys = {}
    for sid, rows in members.items():
        keys[sid] = (resolver.version, group_owners, sid, tuple((m.key, m.id) for m in rows))
        hit = _CACHE.get(keys[sid])
        if hit is not None:
            out[sid] = hit
    todo = {sid: rows for sid, rows in members.items() if sid not in out}
    _load_wire_stories(conn, todo)
    attributes = sorted(attributes_of(resolver.outlets))
    wires = Wires(resolver.wires())
    for sid, rows in todo.items():
        units = independence_units(rows, wires, group_owners=group_owners)
        out[sid] = StoryOutlets(
            {m.id: m.outlet for m in rows}, units, coverage_of(rows, units, attributes)
        )
        if resolver.version is not None:
            _remember(keys[sid], out[sid])
    return out


def article_units(
    resolver: Resolver,
    rows: Sequence[Mapping[str, Any] | sqlite3.Row],
    *,
    group_owners: bool = False,
) -> dict[str, str]:
    """Article key -> the id of its independence unit, for any set of stored articles
    (a story's, or any set the brief is asked for). Rows carry `id`, `key`, `source`,
    `url`, `meta`, `text`, `author` and `duplicate_of` (a key). This is what the claims
    engine counts independent sources by (issue 16 item 3): a reprint counts with its
    original, an article crediting or copying a wire story in the set counts as that
    wire, and with `group_owners` the outlets of one owner count once."""
    members = []
    for r in rows:
        outlet = resolver.outlet_of(Signals.of(r["source"], r["url"], r["meta"]))
        if outlet is UNKNOWN_OUTLET:
            outlet = anonymous(r["id"])
        members.append(
            Member(r["id"], r["key"], outlet, r["text"] or "", r["author"], r["duplicate_of"])
        )
    units = independence_units(members, Wires(resolver.wires()), group_owners=group_owners)
    return {m.key: units[m.id].id for m in members}


# Story -> StoryOutlets, keyed by the registry version, the setting and the members (a
# story that gains an article gets a new key): rebuilding the story list after one
# story changed recomputes that story only. Bounded; entries are a few hundred bytes.
_CACHE: OrderedDict[tuple[Any, ...], StoryOutlets] = OrderedDict()
CACHE_STORIES = 100_000


def _remember(key: tuple[Any, ...], value: StoryOutlets) -> None:
    _CACHE[key] = value
    while len(_CACHE) > CACHE_STORIES:
        _CACHE.popitem(last=False)


def _load_wire_stories(conn: sqlite3.Connection, members: dict[str, list[Member]]) -> None:
    """Whole texts, only for stories with a wire article (copy detection reads them)."""
    keys = [
        m.key
        for rows in members.values()
        if any(m.outlet.kind == "wire" for m in rows)
        for m in rows
    ]
    texts: dict[str, str] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        texts.update(conn.execute(f"SELECT key, text FROM articles WHERE key IN ({marks})", chunk))
    for rows in members.values():
        for m in rows:
            m.text = texts.get(m.key, m.text)


def covered_by(
    coverage: Mapping[str, Mapping[str, int]], attribute: str, values: Iterable[str]
) -> bool:
    """Whether the story has an independent source of every value ("left and right")."""
    have = coverage.get(attribute, {})
    return all(have.get(v, 0) > 0 for v in values)


def only(coverage: Mapping[str, Mapping[str, int]], attribute: str, value: str) -> bool:
    """Whether every independent source of the story has this value ("only wires")."""
    have = coverage.get(attribute, {})
    return bool(have) and set(have) == {value}


def blindspot(
    coverage: Mapping[str, Mapping[str, int]], attribute: str, known: Iterable[str]
) -> dict[str, Any] | None:
    """{"covered", "missing", "sources"} when the story is a blindspot by `attribute`
    (see the module docstring), else None."""
    have = {v: n for v, n in coverage.get(attribute, {}).items() if n > 0}
    if not have or UNKNOWN in have:
        return None
    if attribute in CORE_ATTRIBUTES and len(have) != 1:
        return None
    missing = sorted(set(known) - set(have))
    if not missing:
        return None
    return {
        "attribute": attribute,
        "covered": sorted(have),
        "missing": missing,
        "sources": sum(have.values()),
    }
