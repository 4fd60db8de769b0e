"""A brief (GUIDE.md §3 contract) turned into what the story page shows.

Every citation and evidence span gets one number; the comparison panel wraps each
numbered span of each article's text, so a click on citation N can highlight
`[data-c~="N"]` in the panel (and, without JavaScript, the same link opens the article
page with the span highlighted). Kept apart from the templates so the matrix and
contradiction logic is testable as plain data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from ..report.timeline import display_date
from ..report.view import cells, omitted, ranked_claims, sides
from .render import Mark, highlight, labels, path_part, safe_url

STATUSES = ("corroborated", "single_source", "conflicting")
MAX_COLUMNS = 12  # comparison columns; a bigger story shows its most-cited articles


class Citations:
    """Numbers each distinct (article, start, end) span and builds its link."""

    def __init__(self, label: dict[str, str]) -> None:
        self.label = label
        self.numbers: dict[tuple[str, int, int], int] = {}

    def link(self, cite: dict[str, Any]) -> dict[str, Any] | None:
        article, start, end = cite.get("article"), cite.get("start"), cite.get("end")
        if article not in self.label or not isinstance(start, int) or not isinstance(end, int):
            return None
        n = self.numbers.setdefault((article, start, end), len(self.numbers) + 1)
        return {
            "n": n,
            "article": article,
            "label": self.label[article],
            "text": cite.get("text"),
            "href": f"/articles/{path_part(article)}?hl={start}-{end}#hl",
        }

    def links(self, cites: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        return [link for c in cites if (link := self.link(c)) is not None]

    def marks(self, article: str) -> list[Mark]:
        return [
            Mark(start, end, "cite", cite=n)
            for (a, start, end), n in self.numbers.items()
            if a == article
        ]


def _cells(fact: dict[str, Any], ids: list[str], cites: Citations) -> list[dict[str, Any]]:
    """One matrix row: reported / silent / contradicts per article (`report.view.cells`)."""
    evidence: dict[str, dict[str, Any]] = {}
    for e in fact.get("evidence") or []:
        evidence.setdefault(e.get("article"), e)
    return [
        {
            "state": cell.state,
            "value": cell.value,
            "cite": cites.link(evidence[aid]) if aid in evidence else None,
        }
        for aid, cell in zip(ids, cells(fact, ids), strict=True)
    ]


def _contradiction(fact: dict[str, Any], cites: Citations) -> dict[str, Any]:
    """A conflicting claim with, per conflict, one side per distinct value: the outlets
    that give it (each linked to its evidence) and the first evidence sentence."""
    first: dict[str, dict[str, Any]] = {}
    for conflict in fact.get("conflicts") or []:
        for e in conflict.get("evidence") or []:
            first.setdefault(e.get("article"), e)
    for e in fact.get("evidence") or []:
        first.setdefault(e.get("article"), e)
    conflicts = []
    for conflict in fact.get("conflicts") or []:
        rows = []
        for side in sides(conflict):
            links = [cites.link(first[a]) if a in first else None for a in side.articles]
            outlets = [
                link or {"label": cites.label.get(a, str(a))}
                for a, link in zip(side.articles, links, strict=True)
            ]
            quote = next((link for link in links if link), None)
            rows.append({"value": side.value, "majority": side.majority, "outlets": outlets,
                         "quote": quote})  # fmt: skip
        conflicts.append(
            {
                "kind": conflict.get("kind"),
                "sides": rows,
                "explanation": conflict.get("explanation"),
            }
        )
    return {"id": fact.get("id"), "text": fact.get("text"), "conflicts": conflicts}


def _status(item: dict[str, Any], status_of: dict[tuple[Any, ...], Any]) -> str | None:
    """A briefing or timeline item's status: its own, else that of the fact whose
    evidence it cites."""
    if item.get("status") in STATUSES:
        return str(item["status"])
    for c in item.get("citations") or []:
        found = status_of.get((c.get("article"), c.get("start"), c.get("end")))
        if found in STATUSES:
            return str(found)
    return None


def _quote(quote: dict[str, Any], label: dict[str, str]) -> dict[str, Any]:
    """A ledger row; when outlets attribute the quote differently, who says whom."""
    attribution = quote.get("attribution") if quote.get("attribution_differs") else None
    return dict(
        quote,
        sources=[label.get(a, a) for a in quote.get("reported_by") or []],
        attributions=[(label.get(a, a), who) for a, who in (attribution or {}).items()],
    )


def _columns(
    articles: list[dict[str, Any]], texts: dict[str, dict[str, Any]], cites: Citations
) -> list[dict[str, Any]]:
    cited = Counter(a for (a, _, _) in cites.numbers)
    shown = sorted(articles, key=lambda a: -cited[a["id"]])[:MAX_COLUMNS]
    keep = {a["id"] for a in shown}
    columns = []
    for a in articles:
        row = texts.get(a["id"])
        if a["id"] not in keep or row is None:
            continue
        columns.append(
            {
                "id": a["id"],
                "label": cites.label[a["id"]],
                "title": a.get("title") or row["title"],
                "published": a.get("published"),
                "url": safe_url(row.get("url")),
                "href": f"/articles/{path_part(a['id'])}",
                "html": highlight(row["text"], cites.marks(a["id"])),
            }
        )
    return columns


def _omissions(brief: dict[str, Any], ids: list[str], label: dict[str, str]) -> list[Any]:
    """Per outlet (in article order), the claims it leaves out, most important first."""
    left_out = omitted(brief.get("facts") or [], brief.get("omissions") or {}, ids)
    return [
        {"label": label[aid], "id": aid, "facts": left_out[aid]} for aid in ids if left_out[aid]
    ]


def _articles(articles: list[Any], detail: dict[str, Any] | None, label: dict[str, str]) -> list:
    urls = {a["id"]: a.get("url") for a in (detail or {}).get("articles", [])}
    return [
        dict(
            a,
            label=label[a["id"]],
            href=f"/articles/{path_part(a['id'])}",
            url=safe_url(a.get("url") or urls.get(a["id"])),
        )
        for a in articles
    ]


def story_view(
    brief: dict[str, Any], detail: dict[str, Any] | None, texts: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """Template values for the story page (see module docstring)."""
    articles = list(brief.get("articles") or [])
    ids = [a["id"] for a in articles]
    cites = Citations(labels(articles))
    facts = list(brief.get("facts") or [])
    shown, rest = ranked_claims(facts)
    status_of = {
        (e.get("article"), e.get("start"), e.get("end")): f.get("status")
        for f in facts
        for e in f.get("evidence") or []
    }
    view = {
        "story": dict(detail or {}, **(brief.get("story") or {})),
        "articles": _articles(articles, detail, cites.label),
        "counts": Counter(f.get("status") for f in facts),
        "briefing": [
            {
                "text": item.get("text"),
                "status": _status(item, status_of),
                "cites": cites.links(item.get("citations") or []),
                "values": item.get("values") or [],
            }
            for item in brief.get("briefing") or []
        ],
        "matrix": [dict(f, cells=_cells(dict(f), ids, cites)) for f in shown],
        "matrix_rest": [dict(f, cells=_cells(dict(f), ids, cites)) for f in rest],
        "contradictions": [
            _contradiction(f, cites) for f in facts if f.get("status") == "conflicting"
        ],
        "quotes": [_quote(q, cites.label) for q in brief.get("quotes") or []],
        "timeline": [
            dict(
                t,
                status=_status(t, status_of),
                cites=cites.links(t.get("citations") or []),
                label=display_date(str(t.get("date") or "")),
            )
            for t in brief.get("timeline") or []
        ],
        "omissions": _omissions(brief, ids, cites.label),
    }
    view["columns"] = _columns(articles, texts, cites)  # last: every citation is numbered
    return view
