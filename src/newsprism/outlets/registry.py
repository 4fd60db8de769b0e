"""The outlet registry: who stands behind each outlet, stored in the database (m015).

An `Outlet` holds a name, its web domains, country, language, owner / parent group,
kind (`KINDS`), any aliases and any number of user labels (`lean=left`, ...). The
registry is the union of the shipped default (`data/default_outlets.csv`, facts only,
no labels; provenance in `data/PROVENANCE.md`) and what the user imported; a user's
outlet replaces a default one that shares its id, a name or a domain, so importing
"Reuters" with a `lean` column relabels the shipped Reuters instead of splitting it.
Labels such as political lean come only from the user's files.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources

from ..store.database import Database, utcnow
from .identity import name_key

KINDS = ("wire", "newspaper", "broadcaster", "magazine", "digital", "blog", "government", "other")
KIND_ALIASES = {
    "wire agency": "wire",
    "wire_agency": "wire",
    "news agency": "wire",
    "agency": "wire",
    "tv": "broadcaster",
    "radio": "broadcaster",
    "broadcast": "broadcaster",
    "online": "digital",
    "gov": "government",
}
DEFAULT_ORIGIN = "default"


@dataclass(slots=True)
class Outlet:
    """One outlet. `registered` is False for an outlet known only from articles."""

    id: str
    name: str
    domains: tuple[str, ...] = ()
    country: str | None = None
    language: str | None = None
    owner: str | None = None
    kind: str | None = None
    aliases: tuple[str, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)
    registered: bool = True
    origin: str = DEFAULT_ORIGIN

    def attributes(self) -> dict[str, str | None]:
        """Every attribute coverage is counted by: country, owner, kind, then labels."""
        out: dict[str, str | None] = {
            "country": self.country,
            "owner": self.owner,
            "kind": self.kind,
        }
        out.update(self.labels)
        return out

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "domains": list(self.domains),
            "country": self.country,
            "language": self.language,
            "owner": self.owner,
            "kind": self.kind,
            "aliases": list(self.aliases),
            "labels": dict(self.labels),
            "registered": self.registered,
            "origin": self.origin,
        }


def normalise_kind(value: str | None) -> str | None:
    """A kind from `KINDS` (accepting "wire agency", "TV", ...); None when empty.

    Raises ValueError naming the valid kinds for anything else."""
    if value is None or not value.strip():
        return None
    folded = " ".join(value.strip().lower().split())
    kind = KIND_ALIASES.get(folded, folded)
    if kind not in KINDS:
        raise ValueError(f"unknown kind {value!r}; use one of {', '.join(KINDS)}")
    return kind


def default_outlets() -> list[Outlet]:
    """The shipped registry (facts only: see data/PROVENANCE.md), fresh copies."""
    return [replace(o, labels=dict(o.labels)) for o in _default_outlets()]


@lru_cache(maxsize=1)
def _default_outlets() -> tuple[Outlet, ...]:
    from .importer import parse_csv_text

    text = resources.files("newsprism.outlets").joinpath("data/default_outlets.csv")
    outlets, problems = parse_csv_text(text.read_text("utf-8"), "default_outlets.csv")
    assert not problems, problems  # the shipped file is checked by a test
    for outlet in outlets:
        outlet.origin = DEFAULT_ORIGIN
    return tuple(outlets)


def stored_outlets(conn: sqlite3.Connection) -> list[Outlet]:
    """The outlets the user imported, in name order."""
    domains: dict[str, list[str]] = {}
    for oid, domain in conn.execute("SELECT outlet_id, domain FROM outlet_domains ORDER BY domain"):
        domains.setdefault(oid, []).append(domain)
    aliases: dict[str, list[str]] = {}
    for oid, alias in conn.execute("SELECT outlet_id, alias FROM outlet_aliases ORDER BY alias"):
        aliases.setdefault(oid, []).append(alias)
    labels: dict[str, dict[str, str]] = {}
    for oid, name, value in conn.execute("SELECT outlet_id, name, value FROM outlet_labels"):
        labels.setdefault(oid, {})[name] = value
    rows = conn.execute(
        "SELECT id, name, country, language, owner, kind, origin FROM outlets ORDER BY name"
    )
    return [
        Outlet(
            id=r[0],
            name=r[1],
            domains=tuple(domains.get(r[0], ())),
            country=r[2],
            language=r[3],
            owner=r[4],
            kind=r[5],
            aliases=tuple(aliases.get(r[0], ())),
            labels=dict(sorted(labels.get(r[0], {}).items())),
            origin=r[6],
        )
        for r in rows
    ]


def registry(conn: sqlite3.Connection, *, include_default: bool = True) -> list[Outlet]:
    """The user's outlets plus the default ones none of them replaces (see module doc)."""
    mine = stored_outlets(conn)
    if not include_default:
        return mine
    kept = []
    for default in default_outlets():
        replaced_by = next((o for o in mine if _same(o, default)), None)
        if replaced_by is None:
            kept.append(default)
        else:  # the user's facts win; the default's fill the gaps and its names still point here
            for attr in ("country", "language", "kind"):
                if getattr(replaced_by, attr) is None:
                    setattr(replaced_by, attr, getattr(default, attr))
            names = {name_key(n) for n in (replaced_by.name, *replaced_by.aliases)}
            extra = [n for n in (default.name, *default.aliases) if name_key(n) not in names]
            replaced_by.aliases = (*replaced_by.aliases, *extra)
            taken = {d for o in mine for d in o.domains}
            replaced_by.domains += tuple(d for d in default.domains if d not in taken)
    return sorted(mine + kept, key=lambda o: name_key(o.name))


def _same(mine: Outlet, default: Outlet) -> bool:
    """Whether a user's outlet is the default one: same id, a shared name or domain."""
    keys = {name_key(n) for n in (mine.name, *mine.aliases)}
    return (
        mine.id == default.id
        or bool(keys & {name_key(n) for n in (default.name, *default.aliases)})
        or bool(set(mine.domains) & set(default.domains))
    )


def registry_version(conn: sqlite3.Connection) -> tuple[object, ...]:
    """Changes whenever an import changes the registry (cached web views compare it)."""
    row = conn.execute("SELECT COUNT(*), MAX(updated_at) FROM outlets").fetchone()
    return tuple(row)


def save_outlets(db: Database, outlets: Iterable[Outlet]) -> tuple[int, int]:
    """Insert or replace `outlets` in ONE transaction; returns (new, updated).

    A domain or alias moves to the outlet that names it last: the newest file wins."""
    new = updated = 0
    now = utcnow()
    with db.write() as w:
        for o in outlets:
            known = w.execute("SELECT 1 FROM outlets WHERE id = ?", (o.id,)).fetchone()
            new, updated = (new, updated + 1) if known else (new + 1, updated)
            for table in ("outlet_domains", "outlet_aliases", "outlet_labels"):
                w.execute(f"DELETE FROM {table} WHERE outlet_id = ?", (o.id,))
            w.execute(
                "INSERT OR REPLACE INTO outlets (id, name, country, language, owner, kind,"
                " origin, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (o.id, o.name, o.country, o.language, o.owner, o.kind, o.origin, now),
            )
            w.executemany(
                "INSERT OR REPLACE INTO outlet_domains (domain, outlet_id) VALUES (?, ?)",
                [(d, o.id) for d in o.domains],
            )
            w.executemany(
                "INSERT OR REPLACE INTO outlet_aliases (alias, outlet_id) VALUES (?, ?)",
                [(a, o.id) for a in o.aliases],
            )
            w.executemany(
                "INSERT INTO outlet_labels (outlet_id, name, value) VALUES (?, ?, ?)",
                [(o.id, k, v) for k, v in o.labels.items()],
            )
    return new, updated
