"""Plain-text views for the terminal: short, aligned, and safe to pipe."""

from __future__ import annotations

import shutil
import textwrap
from collections import defaultdict
from typing import Any


def _width() -> int:
    return max(60, min(shutil.get_terminal_size((100, 20)).columns, 120))


def _cut(value: Any, width: int) -> str:
    text = " ".join(str(value or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def articles_table(rows: list[dict[str, Any]]) -> str:
    """One line per article: id, source, date, words, title, duplicate link."""
    if not rows:
        return "no articles stored (try `newsprism ingest PATH`)"
    idw = min(max(len(r["id"]) for r in rows), 40)
    lines = [f"{'ID':<{idw}}  {'SOURCE':<16} {'PUBLISHED':<10} {'WORDS':>6}  TITLE"]
    for r in rows:
        dup = f"  [near-duplicate of {r['duplicate_of']}]" if r["duplicate_of"] else ""
        lines.append(
            f"{_cut(r['id'], idw):<{idw}}  {_cut(r['source'] or '-', 16):<16} "
            f"{_cut((r['published'] or '-')[:10], 10):<10} {r['words']:>6}  "
            f"{_cut(r['title'] or '(untitled)', 60)}{dup}"
        )
    lines.append(f"{len(rows)} articles")
    return "\n".join(lines)


def article_text(a: dict[str, Any]) -> str:
    """An article with its analysis, readable in a terminal."""
    width = _width()
    head = [a["title"] or "(untitled)", "=" * min(width, len(a["title"] or "(untitled)"))]
    meta = [f"{k}: {a[k]}" for k in ("id", "source", "published", "url", "lang") if a.get(k)]
    if a.get("duplicate_of"):
        meta.append(f"near-duplicate of: {a['duplicate_of']} (Jaccard {a['duplicate_score']})")
    if a.get("skipped"):
        meta.append(f"analysis skipped: {a['skipped']}")
    body = [textwrap.fill(p, width) for p in a["text"].split("\n") if p.strip()]
    parts = ["\n".join(head), "\n".join(meta), "\n\n".join(body)]
    parts.append(_entities(a["entities"]))
    parts.append(
        _section(
            "Quotes",
            [f"{_marked(q, width)} — {q['speaker'] or 'unattributed'}" for q in a["quotes"]],
        )
    )
    parts.append(
        _section(
            "Quantities",
            [
                f"{q['text']!r}: {q['kind']} {q['value']:g}{' ' + q['unit'] if q['unit'] else ''}"
                f"{' (' + q['qualifier'] + ')' if q['qualifier'] else ''}"
                for q in a["quantities"]
            ],
        )
    )
    parts.append(_section("Dates", [f"{d['text']!r} → {d['value'] or '?'}" for d in a["dates"]]))
    parts.append(_frames(a.get("frames", []), width))
    parts.append(f"{len(a['sentences'])} sentences")
    return "\n\n".join(p for p in parts if p)


def _frames(frames: list[dict[str, Any]], width: int) -> str:
    """Who did what in the headline and the lead: "navy captures", "captures pirates"."""
    lines = []
    for source in ("title", "lead"):
        pairs = [
            f"{f['arg']} {f['verb']}" if f["kind"] == "subject" else f"{f['verb']} {f['arg']}"
            for f in frames
            if f["source"] == source
        ]
        if pairs:
            text = f"{source}: " + " · ".join(pairs)
            lines.extend(textwrap.wrap(text, width - 2, subsequent_indent="  "))
    return _section("Who did what", lines)


def _entities(mentions: list[dict[str, Any]]) -> str:
    grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
    roles: dict[tuple[str, str], set[str]] = defaultdict(set)
    for m in mentions:
        grouped[(m["canonical"], m["type"])].append(m["text"])
        if m.get("role"):
            roles[(m["canonical"], m["type"])].add(m["role"])
    lines = []
    for (name, type_), texts in sorted(grouped.items(), key=lambda kv: -len(kv[1])):
        role = f" — {'; '.join(sorted(roles[(name, type_)]))}" if roles[(name, type_)] else ""
        lines.append(f"{name} ({type_}) ×{len(texts)}{role}")
    return _section("Entities", lines)


def _section(title: str, lines: list[str]) -> str:
    if not lines:
        return ""
    return f"{title}\n" + "\n".join(f"  {line}" for line in lines)


def stories_table(rows: list[dict[str, Any]]) -> str:
    """One line per story: id, article and independent source counts, title."""
    if not rows:
        return "no stories yet (run `newsprism cluster`)"
    idw = max(len(r["id"]) for r in rows)
    lines = [f"{'ID':<{idw}}  {'ARTICLES':>8} {'SOURCES':>7}  TITLE"]
    for r in rows:
        lines.append(
            f"{r['id']:<{idw}}  {r.get('article_count', len(r['articles'])):>8} "
            f"{r.get('independent_sources', '-')!s:>7}  {_cut(r['title'], 70)}"
        )
    lines.append(f"{len(rows)} stories")
    return "\n".join(lines)


def story_text(s: dict[str, Any]) -> str:
    """A story's articles, sources and dates."""
    lines = [s["title"], "=" * min(_width(), len(s["title"] or ""))]
    for key in ("id", "first_published", "last_published", "article_count", "independent_sources"):
        if s.get(key) is not None:
            lines.append(f"{key.replace('_', ' ')}: {s[key]}")
    for attribute, counts in (s.get("coverage") or {}).items():  # issue 16
        if any(v != "unknown" for v in counts):
            shown = ", ".join(f"{v} {n}" for v, n in counts.items())
            lines.append(f"coverage by {attribute}: {shown}")
    lines.append("")
    for a in s["articles"]:
        dup = f" (near-duplicate of {a['duplicate_of']})" if a.get("duplicate_of") else ""
        outlet = a.get("outlet") or a.get("source") or "-"
        carried = a.get("counts_as")
        as_wire = f" [counts as {carried}]" if carried and carried != outlet else ""
        lines.append(f"  {a['id']}  {outlet}{as_wire}  {_cut(a.get('title'), 60)}{dup}")
    return "\n".join(lines)


def _marked(quote: dict[str, Any], width: int) -> str:
    """A quote in marks; indirect speech (issue 13) without them, as it was written."""
    text = _cut(quote["text"], width - 30)
    return f"(reported) {text}" if quote.get("kind") == "indirect" else f"“{text}”"
