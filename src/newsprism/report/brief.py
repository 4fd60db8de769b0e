"""The story brief: claims with statuses, a briefing of distinct claims, quotes, omissions.

`build_brief(db, article_keys, settings)` renders the brief contract of GUIDE.md §3 from
`corroborate.story_claims`, the one place a story's claims are decided: this module
only turns them into JSON records and picks the briefing. It loads no model, so a story
of fifty articles is briefed in well under a second.

Each record of `facts` is a claim (issue 12): every variant that states it, its status
(`conflicting` whenever a slot's values clash, never `corroborated` then), and for each
disputed slot a `values` table — each value with the articles behind it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..corroborate.claims import Claim, ValueTable
from ..corroborate.slots import SlotValue
from ..corroborate.story import StoryClaims, story_claims
from ..settings import Settings
from ..store import queries
from ..store.database import Database
from .briefing import briefing
from .omissions import omissions
from .timeline import timeline

STATUSES = ("corroborated", "single_source", "conflicting")


def build_brief(
    db: Database,
    article_keys: list[str],
    settings: Settings,
    story_id: str | None = None,
    title: str | None = None,
) -> dict[str, Any]:
    """The full brief contract (GUIDE.md §3) for these stored articles."""
    sc = story_claims(db, article_keys, settings)
    records = [claim_record(sc, c) for c in sc.claims]
    members = [c.facts if c.kind == "event" else [] for c in sc.claims]
    return {
        "story": {"id": story_id, "title": title or _title(sc, records)},
        "articles": [_article(sc, a.key, db) for a in sc.articles],
        "facts": records,
        "briefing": briefing(sc, settings.brief_sentences),
        "quotes": sc.quotes,
        "omissions": omissions({a.id: a.independent for a in sc.articles}, records),
        "timeline": timeline(sc.facts, records, members),
        "stats": _stats(sc, records),
    }


def value_rows(t: ValueTable, sc: StoryClaims) -> dict[str, Any]:
    """A disputed slot as JSON: each value with its articles, their outlets and spans."""
    return {
        "kind": t.kind,
        "slot": t.slot,
        "values": [
            {
                "value": row.value,
                "articles": row.articles,
                "outlets": list(dict.fromkeys(sc.outlet(a) for a in row.articles)),
                "evidence": [e.as_dict() for e in row.evidence],
            }
            for row in t.rows
        ],
    }


def claim_record(sc: StoryClaims, c: Claim) -> dict[str, Any]:
    """One claim as a `facts` record of the brief contract (plus its slots and values)."""
    pivot = sc.facts[c.pivot]
    evidence = [{**v.span.as_dict(), "headline": v.headline} for v in c.variants]
    first = c.variants[0].span if c.variants else None
    return {
        "id": c.id,
        "kind": c.kind,
        "status": c.status,
        "text": first.text if first else pivot.text,
        "article": first.article if first else pivot.article,
        "reported_by": c.reported_by,
        "sources": c.sources,
        "evidence": evidence,
        "conflicts": [x.as_dict() for x in c.conflicts],
        "values": [value_rows(t, sc) for t in c.values],
        "slots": {kind: _slot_values(sc, values) for kind, values in c.slots.items()},
        "dates": sorted({d.value for i in c.facts for d in sc.facts[i].dates if d.value}),
        "centrality": round(c.centrality, 4),
    }


def _slot_values(sc: StoryClaims, values: Sequence[SlotValue]) -> list[dict[str, str]]:
    """Each (article, value) of a slot once: reprinted sentences repeat their values."""
    pairs = dict.fromkeys((sc.facts[s.fact].article, s.text) for s in values)
    return [{"article": a, "value": v} for a, v in pairs]


def _article(sc: StoryClaims, key: str, db: Database) -> dict[str, Any]:
    a = next(x for x in sc.articles if x.key == key)
    ids = {x.key: x.id for x in sc.articles}
    return {
        "id": a.id,
        "source": a.source,
        "outlet": sc.outlet(a.id),
        "title": a.title,
        "published": a.published,
        "url": a.url,
        "duplicate_of": queries.article_id_of(db.conn, a.duplicate_of),
        "independent_source": ids.get(a.independent, a.id),
        "analysed": a.analysis is not None and not a.analysis.skipped,
    }


def _title(sc: StoryClaims, records: Sequence[dict[str, Any]]) -> str:
    """The first headline, else the most central claim cut to a headline's length."""
    for a in sc.articles:
        if a.title:
            return a.title
    if not records:
        return "(empty story)"
    text = " ".join(str(records[0]["text"]).split())
    return text if len(text) <= 90 else text[:90].rsplit(" ", 1)[0] + "…"


def _stats(sc: StoryClaims, records: Sequence[dict[str, Any]]) -> dict[str, int]:
    out = {
        "articles": len(sc.articles),
        "independent_sources": len({a.independent for a in sc.articles}),
    }
    for status in STATUSES:
        out[status] = sum(r["status"] == status for r in records)
    return out
