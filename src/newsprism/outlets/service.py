"""What the Workspace (and through it the CLI and the web app) asks of outlets.

Outlets are attributed when read, never stored per article: importing a registry file
re-attributes every story at once, and nothing can drift from the registry.
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .coverage import UNKNOWN, StoryOutlets, attributes_of, blindspot, story_outlets
from .identity import looks_like_host, name_key, registered_domain
from .record import Record, records
from .registry import Outlet
from .resolve import Resolver


def resolver_for(conn: sqlite3.Connection, settings: Mapping[str, Any]) -> Resolver:
    return Resolver.cached(conn, include_default=bool(settings["outlets_default_registry"]))


def all_story_outlets(
    conn: sqlite3.Connection, settings: Mapping[str, Any], story_id: str | None = None
) -> dict[str, StoryOutlets]:
    resolver = resolver_for(conn, settings)
    group = bool(settings["outlets_group_owners"])
    return story_outlets(conn, resolver, group_owners=group, story_id=story_id)


def annotate_stories(
    conn: sqlite3.Connection, stories: Sequence[dict[str, Any]], settings: Mapping[str, Any]
) -> None:
    """Add outlets, independent outlets and coverage to `stories --json` rows, in place."""
    found = all_story_outlets(conn, settings)
    for story in stories:
        so = found.get(story["id"])
        if so is not None:
            annotate_story(story, so)


def annotate_story(story: dict[str, Any], so: StoryOutlets) -> None:
    for article in story.get("articles") or []:
        outlet, unit = so.outlet_of.get(article["id"]), so.unit_of.get(article["id"])
        if outlet is not None and unit is not None:
            article.update(outlet=outlet.name, outlet_id=outlet.id, counts_as=unit.name)
    story["outlets"] = so.outlets()
    story["independent_outlets"] = so.independent
    story["coverage"] = so.coverage


def name_brief(
    conn: sqlite3.Connection, brief: dict[str, Any], settings: Mapping[str, Any]
) -> dict[str, Any]:
    """The brief with outlets named wherever it names articles (issue 16): each
    article's outlet, each fact's outlets and independent sources, each conflict value's
    outlet, explanations worded with outlet names, and the story's coverage."""
    story_id = (brief.get("story") or {}).get("id")
    so = all_story_outlets(conn, settings, story_id).get(story_id or "")
    if so is None:
        return brief
    named = {aid: o.name for aid, o in so.outlet_of.items()}
    for article in brief.get("articles") or []:
        if article.get("id") in so.outlet_of:
            outlet, unit = so.outlet_of[article["id"]], so.unit_of[article["id"]]
            article.update(outlet=outlet.name, outlet_id=outlet.id, counts_as=unit.name)
    for fact in brief.get("facts") or []:
        _name_fact(fact, so, named)
    for quote in brief.get("quotes") or []:
        quote["reported_by_outlets"] = _names(quote.get("reported_by"), named)
    brief["outlets"] = so.outlets()
    brief["coverage"] = so.coverage
    return brief


def _name_fact(fact: dict[str, Any], so: StoryOutlets, named: Mapping[str, str]) -> None:
    reporters = [a for a in fact.get("reported_by") or [] if a in so.unit_of]
    fact["reported_by_outlets"] = _names(reporters, named)
    fact["independent_outlets"] = len({so.unit_of[a].id for a in reporters})
    for ev in fact.get("evidence") or []:
        ev["outlet"] = named.get(ev.get("article"))
    for conflict in fact.get("conflicts") or []:
        for value in conflict.get("values") or []:
            value["outlet"] = named.get(value.get("article"))
        conflict["explanation"] = outlet_words(str(conflict.get("explanation") or ""), named)


def _names(ids: Any, named: Mapping[str, str]) -> list[str]:
    return sorted({named[a] for a in ids or [] if a in named}, key=str.casefold)


def outlet_words(text: str, named: Mapping[str, str]) -> str:
    """`text` with every article id replaced by its outlet's name (longest ids first, as
    whole tokens, so "a1" inside "a12" is left alone)."""
    ids = sorted((a for a in named if a and a in text), key=len, reverse=True)
    if not ids:
        return text
    pattern = re.compile(r"(?<![\w./-])(" + "|".join(map(re.escape, ids)) + r")(?![\w/-])")
    return pattern.sub(lambda m: named[m.group(1)], text)


@dataclass(slots=True)
class OutletIndex:
    """Every outlet seen or registered, the stories of each and its record."""

    outlets: dict[str, Outlet]
    stories_of: dict[str, list[str]]  # outlet id -> story ids, largest story first
    records: dict[str, Record]
    known: dict[str, set[str]]  # attribute -> values the registry knows

    def find(self, ref: str) -> Outlet | None:
        """An outlet by id, name, alias or domain."""
        if ref in self.outlets:
            return self.outlets[ref]
        domain = registered_domain(ref) if looks_like_host(ref) else None
        key = name_key(ref)
        for o in self.outlets.values():
            keys = {name_key(n) for n in (o.name, *o.aliases)}
            if (domain and domain in o.domains) or key in keys:
                return o
        return None


def outlet_index(
    conn: sqlite3.Connection, settings: Mapping[str, Any], stories: Sequence[Mapping[str, Any]]
) -> OutletIndex:
    """Build the index over `stories` (the `stories --json` rows, in their order)."""
    resolver = resolver_for(conn, settings)
    found = story_outlets(conn, resolver, group_owners=bool(settings["outlets_group_owners"]))
    outlets = {o.id: o for o in resolver.outlets}
    stories_of: dict[str, list[str]] = defaultdict(list)
    for story in stories:
        so = found.get(story["id"])
        for o in {o.id: o for o in (so.outlet_of.values() if so else ())}.values():
            outlets.setdefault(o.id, o)
            stories_of[o.id].append(story["id"])
    titles = {s["id"]: s.get("title") for s in stories}
    return OutletIndex(
        outlets, dict(stories_of), records(conn, found, titles), attributes_of(resolver.outlets)
    )


def outlet_rows(index: OutletIndex) -> list[dict[str, Any]]:
    """The `outlets --json` rows: every registered or seen outlet with its story count."""
    rows = []
    for o in index.outlets.values():
        rec = index.records.get(o.id, Record())
        rows.append(
            dict(
                o.as_dict(),
                stories=len(index.stories_of.get(o.id, [])),
                record={k: len(v) for k, v in rec.items.items()},
            )
        )
    return sorted(rows, key=lambda r: (-r["stories"], str(r["name"]).casefold()))


def outlet_detail(
    index: OutletIndex, ref: str, stories_by_id: Mapping[str, Mapping[str, Any]]
) -> dict[str, Any] | None:
    """The `outlet NAME --json` shape: the outlet, its stories and its record."""
    outlet = index.find(ref)
    if outlet is None:
        return None
    ids = index.stories_of.get(outlet.id, [])
    return {
        "outlet": outlet.as_dict(),
        "stories": [_story_row(stories_by_id[s]) for s in ids if s in stories_by_id],
        "record": index.records.get(outlet.id, Record()).as_dict(),
    }


def _story_row(story: Mapping[str, Any]) -> dict[str, Any]:
    keys = ("id", "title", "article_count", "independent_outlets", "last_published", "coverage")
    return {k: story.get(k) for k in keys}


def blindspot_rows(
    stories: Sequence[Mapping[str, Any]], attribute: str, known: Mapping[str, set[str]]
) -> list[dict[str, Any]]:
    """Stories covered only by outlets of one value of `attribute` (see coverage.py)."""
    values = known.get(attribute, set())
    out = []
    for story in stories:
        spot = blindspot(story.get("coverage") or {}, attribute, values)
        if spot is not None:
            outlets = [o["name"] for o in story.get("outlets") or []]
            out.append(dict(_story_row(story), blindspot=spot, outlets=outlets))
    return out


def value_counts(stories: Sequence[Mapping[str, Any]], attribute: str) -> dict[str, int]:
    """Value -> stories with an independent source of it (for filter menus)."""
    counts: Counter[str] = Counter()
    for story in stories:
        counts.update(v for v in (story.get("coverage") or {}).get(attribute, {}) if v != UNKNOWN)
    return dict(counts.most_common())


@dataclass(slots=True)
class ImportReport:
    """What one `outlets import` did; `rejected` rows are listed with file and line."""

    new: int = 0
    updated: int = 0
    rejected: list[Any] = field(default_factory=list)

    def summary(self) -> str:
        return f"{self.new} new outlets, {self.updated} updated, {len(self.rejected)} rows rejected"


def import_file(db: Any, path: Any) -> ImportReport:
    """Read an outlet file and store every good row in one transaction."""
    from .importer import read_outlet_file
    from .registry import save_outlets

    outlets, rejected = read_outlet_file(path)
    new, updated = save_outlets(db, outlets) if outlets else (0, 0)
    return ImportReport(new, updated, rejected)


def independence_of(
    conn: sqlite3.Connection, settings: Mapping[str, Any], story_id: str
) -> dict[str, Any]:
    """Article id -> its independence unit (`independence.Unit`) for one story: what the
    claims engine counts a fact's independent sources by (distinct `Unit.id`s)."""
    found = all_story_outlets(conn, settings, story_id).get(story_id)
    return dict(found.unit_of) if found is not None else {}
