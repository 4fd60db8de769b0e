"""Attributing an article to an outlet: `Resolver.outlet_of(signals)`.

The signals are tried in the order issue 16 gives — the article's `source`, its URL's
registered domain, its feed's title, its WARC record's host — first against the
registry (a name or alias by `name_key`, a domain by exact registered domain, a `.com`
label by a registered name without spaces). When none is registered, the first signal
present names an outlet of its own: a name by its compact key, a domain by itself (a
`.com` by its label, so "CNN (Online News)" and cnn.com meet; see `identity.py` for
why other suffixes never meet a bare name).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .identity import (
    compact_key,
    display_name,
    domain_label_key,
    looks_like_host,
    name_key,
    registered_domain,
)
from .registry import Outlet, registry, registry_version

MAX_RESOLVERS = 8  # one per open database and registry version; old ones age out
_RESOLVERS: dict[tuple[Any, ...], Resolver] = {}
_LOCK = threading.Lock()

FALLBACK_META = ("feed_title", "sitename", "warc_host")  # later signals, in this order


@dataclass(slots=True, frozen=True)
class Signals:
    """What an article says about who published it."""

    source: str | None = None
    url: str | None = None
    feed_title: str | None = None
    warc_host: str | None = None

    @classmethod
    def of(cls, source: Any, url: Any, meta: Mapping[str, Any] | str | None) -> Signals:
        """From stored fields; `meta` may be the stored JSON text."""
        if isinstance(meta, str) and not any(k in meta for k in FALLBACK_META):
            meta = None  # most articles: skip parsing JSON that holds no signal
        if isinstance(meta, str):
            try:
                meta = json.loads(meta or "{}")
            except ValueError:
                meta = {}
        meta = meta if isinstance(meta, Mapping) else {}
        feed = meta.get("feed_title") or meta.get("sitename")
        host = meta.get("warc_host")
        return cls(_str(source), _str(url), _str(feed), _str(host))

    def ordered(self) -> list[str]:
        return [s for s in (self.source, self.url, self.feed_title, self.warc_host) if s]


def _str(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


UNKNOWN = Outlet(id="unknown", name="(unknown outlet)", registered=False, origin="articles")


def anonymous(article_id: str) -> Outlet:
    """The outlet of an article that gives no outlet signal at all: its own, named by its
    id (issue 12: a source is named by its name, else its domain, else the article id).
    Two such articles are never one outlet: that would be a merge with no evidence."""
    return Outlet(id=f"article-{article_id}", name=article_id, registered=False, origin="articles")


class Resolver:
    """Outlet identity over one registry; answers are cached per distinct signals."""

    def __init__(self, outlets: Iterable[Outlet], version: tuple[Any, ...] | None = None) -> None:
        self.outlets = list(outlets)
        self.version = version  # (database, registry version, defaults): set by `cached`
        self.by_id = {o.id: o for o in self.outlets}
        self.by_domain: dict[str, Outlet] = {}
        self.by_key: dict[str, Outlet] = {}
        self.by_label: dict[str, Outlet] = {}
        for o in self.outlets:
            for d in o.domains:
                self.by_domain.setdefault(d, o)
            for n in (o.name, *o.aliases):
                self.by_key.setdefault(name_key(n), o)
            # Only full names stand for a .com label: a short alias ("AP", "PA") would
            # claim ap.com or pa.com, which are not the agencies.
            raw = "".join(c for c in o.name.casefold() if c.isalnum())
            for form in {compact_key(o.name), raw}:
                self.by_label.setdefault(form, o)
        self._cached = lru_cache(maxsize=65536)(self._resolve)

    @classmethod
    def load(cls, conn: sqlite3.Connection, *, include_default: bool = True) -> Resolver:
        return cls(registry(conn, include_default=include_default))

    @classmethod
    def cached(cls, conn: sqlite3.Connection, *, include_default: bool = True) -> Resolver:
        """The resolver of this database's current registry, built once per version:
        the web app asks for it on every story page."""
        db = conn.execute("PRAGMA database_list").fetchone()[2]
        version = (db, *registry_version(conn), include_default)
        with _LOCK:
            found = _RESOLVERS.get(version)
        if found is None:
            found = cls(registry(conn, include_default=include_default), version)
            with _LOCK:
                _RESOLVERS[version] = found
                while len(_RESOLVERS) > MAX_RESOLVERS:
                    _RESOLVERS.pop(next(iter(_RESOLVERS)))
        return found

    def outlet_of(self, signals: Signals) -> Outlet:
        """The outlet behind an article with these signals (never None: UNKNOWN)."""
        return self._cached(signals)

    def wires(self) -> list[Outlet]:
        """Registered wire agencies (their articles are what others copy)."""
        return [o for o in self.outlets if o.kind == "wire"]

    def _resolve(self, signals: Signals) -> Outlet:
        ordered = signals.ordered()
        for raw in ordered:
            found = self._registered(raw)
            if found is not None:
                return found
        return unregistered(ordered[0]) if ordered else UNKNOWN

    def _registered(self, raw: str) -> Outlet | None:
        if looks_like_host(raw):
            domain = registered_domain(raw)
            if domain is None:
                return None
            if domain in self.by_domain:
                return self.by_domain[domain]
            label = domain_label_key(domain)
            return self.by_label.get(label) if label else None
        key = name_key(raw)
        return self.by_key.get(key) if key else None


def unregistered(raw: str) -> Outlet:
    """An outlet known only from an article's signal (see the module docstring)."""
    if looks_like_host(raw):
        domain = registered_domain(raw) or raw.lower()
        label = domain_label_key(domain)
        oid = label if label else domain.replace(".", "-")
        return Outlet(id=oid, name=domain, domains=(domain,), registered=False, origin="articles")
    key = compact_key(raw)
    if not key:
        return UNKNOWN
    return Outlet(id=key, name=display_name(raw), registered=False, origin="articles")
