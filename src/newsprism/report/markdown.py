"""Renderings of a story brief for people: Markdown, and the static HTML page.

Both read the brief contract (GUIDE.md §3) through the shared view model (`report.view`,
which the web page uses too), so they never disagree: numbered citations, contradictions
first and listed once each, the claims matrix, safe links. Everything that comes from
an article is hostile input: the Markdown escapes it (so a title cannot inject links,
HTML or table cells), the HTML goes through Jinja2 autoescaping, and a link is only
ever made from an http(s) URL.

The HTML page needs no JavaScript: citations are `<details>` elements that reveal the
source sentence, and its only style sheet is inlined with a CSP hash, so the page's
Content-Security-Policy can forbid everything else.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import Any

from .timeline import display_date
from .view import cells, contradictions, omitted, outlet_labels, ranked_claims, safe_url

STATUS_WORDS = {"corroborated": "corroborated", "single_source": "single source",
                "conflicting": "disputed"}  # fmt: skip
OMISSIONS_SHOWN = 10  # per outlet in the text report; the JSON brief lists them all
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")  # enough once text never starts a line


def md(text: Any) -> str:
    """Markdown-escaped single-line text (hostile input cannot add markup)."""
    flat = " ".join(str(text or "").split())
    return _MD_SPECIAL.sub(r"\\\1", flat).replace("&", "&amp;")


# ----------------------------------------------------------------------------- view model


def _matrix_rows(facts: Sequence[Mapping[str, Any]], ids: Sequence[str]) -> list[dict[str, Any]]:
    return [{"fact": f, "cells": [c.state for c in cells(f, ids)]} for f in facts]


def view(brief: dict[str, Any]) -> dict[str, Any]:
    """Everything both renderers show, computed once."""
    articles = [
        {**a, "n": i, "href": safe_url(a.get("url"))} for i, a in enumerate(brief["articles"], 1)
    ]
    number = {a["id"]: a["n"] for a in articles}
    briefing = [
        {**item, "cites": [{**c, "n": number.get(c["article"], 0)} for c in item["citations"]]}
        for item in brief["briefing"]
    ]
    ids = [a["id"] for a in articles]
    shown, rest = ranked_claims(brief["facts"])
    label = outlet_labels(brief["articles"])
    for a in articles:
        a["label"] = label[a["id"]]
    return {
        "brief": brief,
        "title": brief["story"].get("title") or "(untitled story)",
        "articles": articles,
        "number": number,
        "label": label,
        "briefing": briefing,
        "conflicts": contradictions(brief["facts"]),
        "matrix": _matrix_rows(shown, ids),
        "matrix_rest": _matrix_rows(rest, ids),
        "omitted": omitted(brief["facts"], brief["omissions"], ids),
        "stats": brief.get("stats", {}),
    }


# ----------------------------------------------------------------------------- Markdown


def _md_briefing(v: dict[str, Any]) -> list[str]:
    out = ["## Briefing", ""]
    for i, item in enumerate(v["briefing"], 1):
        marks = "".join(f"[{c['n']}]" for c in item["cites"])
        tag = {"corroborated": "", "conflicting": " _(disputed)_"}.get(
            item["status"], " _(single source)_"
        )
        out.append(f"{i}. {md(item['text'])} {marks}{tag}")
        for d in item.get("values") or []:
            sides = " · ".join(
                f"{md(r['value'])} "
                + "".join(f"[{v['number'].get(a, '?')}]" for a in r["articles"])
                for r in d["values"]
            )
            out.append(f"   - {md(d['kind'])} disputed: {sides}")
    if not v["briefing"]:
        out.append("_No analysed sentences yet._")
    return out


def _md_conflicts(v: dict[str, Any]) -> list[str]:
    out = ["", "## Contradictions", ""]
    if not v["conflicts"]:
        return [*out, "_None found: the sources agree wherever they can be compared._"]
    for c in v["conflicts"]:
        out.append(f"- **{md(c['kind'])}**: {md(c['explanation'])}")
        for val, ev in zip(c["values"], c.get("evidence", []), strict=False):
            n = v["number"].get(val["article"], "?")
            out.append(f"  - [{n}] {md(val['value'])}: “{md(ev['text'])}”")
    return out


def _md_matrix(v: dict[str, Any]) -> list[str]:
    if not v["matrix"]:
        return []
    symbol = {"reported": "●", "silent": "·", "contradicts": "✕"}
    head = "| fact | status | " + " | ".join(f"[{a['n']}]" for a in v["articles"]) + " |"
    legend = "● reported, · silent, ✕ contradicts" + "".join(
        f"; [{a['n']}] near-duplicates {md(a['duplicate_of'])} (one source)"
        for a in v["articles"]
        if a.get("duplicate_of")
    )
    out = ["", "## Source × fact", "", legend, "", head]
    out.append("|---|---|" + "---|" * len(v["articles"]))
    for row in v["matrix"]:
        marks = " | ".join(symbol[c] for c in row["cells"])
        out.append(f"| {md(row['fact']['text'])} | {row['fact']['status']} | {marks} |")
    if v["matrix_rest"]:
        out += ["", f"_… and {len(v['matrix_rest'])} more claims (all are in the JSON brief)._"]
    return out


def _md_quotes(v: dict[str, Any]) -> list[str]:
    out = ["", "## Quote ledger", ""]
    for q in v["brief"]["quotes"]:
        who = md(q["speaker"] or "unattributed")
        by = ", ".join(f"[{v['number'].get(a, '?')}]" for a in q["reported_by"])
        out.append(f"- “{md(q['text'])}” — {who}; carried by {by}")
        for occ in q.get("occurrences", []):
            if occ["relation"] != "verbatim" or q.get("attribution_differs"):
                out.append(
                    f"  - [{v['number'].get(occ['article'], '?')}] {occ['relation']}: "
                    f"“{md(occ['text'])}” — {md(occ['attributed_as'])}"
                )
    return out if v["brief"]["quotes"] else [*out, "_No direct quotations._"]


def _md_timeline(v: dict[str, Any]) -> list[str]:
    out = ["", "## Timeline", ""]
    for e in v["brief"]["timeline"]:
        marks = "".join(f"[{v['number'].get(c['article'], '?')}]" for c in e["citations"])
        out.append(f"- **{md(display_date(e['date']))}** {md(e['text'])} {marks}")
    return out if v["brief"]["timeline"] else [*out, "_No dated facts._"]


def _md_omissions(v: dict[str, Any]) -> list[str]:
    out = ["", "## Omissions", ""]
    for a in v["articles"]:
        missing = v["omitted"][a["id"]]
        label = f"[{a['n']}] {md(a['label'])}"
        if missing:
            what = f"{_count(len(missing), 'claim')} other sources report"
            out.append(f"- {label} leaves out {what}:")
            out.extend(f"  - {md(f['text'])} _({STATUS_WORDS.get(f['status'], f['status'])})_"
                       for f in missing[:OMISSIONS_SHOWN])  # fmt: skip
            if len(missing) > OMISSIONS_SHOWN:
                out.append(f"  - _… and {len(missing) - OMISSIONS_SHOWN} more (JSON brief)_")
        else:
            out.append(f"- {label}: leaves out nothing the other sources report")
    return out


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _md_sources(v: dict[str, Any]) -> list[str]:
    out = ["", "## Sources", ""]
    for a in v["articles"]:
        title = md(a.get("title") or a["id"])
        link = f" <{a['href']}>" if a["href"] else ""
        shown = a.get("title") or a["id"]
        meta = [x for x in (a["id"], a.get("outlet") or a.get("source"), a.get("published"))
                if x and x != shown]  # fmt: skip
        meta = list(dict.fromkeys(meta))  # an unnamed outlet is named by the article id
        dup = f" (near-duplicate of {md(a['duplicate_of'])})" if a.get("duplicate_of") else ""
        tail = f" — {', '.join(md(x) for x in meta)}" if meta else ""
        out.append(f"{a['n']}. {title}{tail}{dup}{link}")
    return out


def brief_markdown(brief: dict[str, Any]) -> str:
    """The brief as a Markdown document."""
    v = view(brief)
    s = v["stats"]
    head = [
        f"# {md(v['title'])}",
        "",
        f"_{s.get('articles', len(v['articles']))} articles from "
        f"{s.get('independent_sources', '?')} independent sources · "
        f"{s.get('corroborated', 0)} corroborated, {s.get('single_source', 0)} single-source, "
        f"{s.get('conflicting', 0)} conflicting facts_",
        "",
    ]
    parts = head + _md_conflicts(v)[1:] + [""] + _md_briefing(v) + _md_matrix(v) + _md_quotes(v)
    parts += _md_timeline(v) + _md_omissions(v) + _md_sources(v)
    return "\n".join(parts) + "\n"


# ----------------------------------------------------------------------------- HTML


def _stylesheet() -> str:
    return resources.files("newsprism").joinpath("report/templates/story.css").read_text("utf-8")


def brief_html(brief: dict[str, Any]) -> str:
    """The brief as a static HTML page (no script; CSP allows only its own style sheet)."""
    from .exporters import render

    css = _stylesheet()
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return render("story.html", v=view(brief), css=css, css_hash=f"sha256-{digest}")
