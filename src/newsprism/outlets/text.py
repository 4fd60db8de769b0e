"""Plain-text views of outlets for the terminal (the JSON twins carry the same data)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

RECORD_WORDS = {
    "corroborated": "facts it reports that other independent sources also report",
    "alone": "facts no other independent source in the story reports",
    "stands_alone": "contradictions where no other source gives its value",
}


def outlets_table(rows: Sequence[Mapping[str, Any]]) -> str:
    lines = [f"{'stories':>7}  {'kind':<11} {'country':<7} outlet (labels)"]
    for r in rows:
        labels = " ".join(f"{k}={v}" for k, v in (r.get("labels") or {}).items())
        mark = "" if r.get("registered") else " [unregistered]"
        lines.append(
            f"{r['stories']:>7}  {r.get('kind') or '-':<11} {r.get('country') or '-':<7}"
            f" {r['name']}{mark}{'  ' + labels if labels else ''}"
        )
    return "\n".join(lines)


def outlet_text(data: Mapping[str, Any]) -> str:
    o, record = data["outlet"], data["record"]
    facts = [f"{k}: {v}" for k in ("country", "language", "owner", "kind") if (v := o.get(k))]
    lines = [o["name"], "  " + ", ".join(facts or ["no registry facts"])]
    if o.get("domains"):
        lines.append("  domains: " + " ".join(o["domains"]))
    if o.get("labels"):
        lines.append("  labels: " + ", ".join(f"{k}={v}" for k, v in o["labels"].items()))
    lines.append(
        f"\n{len(data['stories'])} stories; in {record['briefs']} stored briefs it"
        f" reports {record['facts']} facts:"
    )
    for kind, words in RECORD_WORDS.items():
        lines.append(f"  {record['counts'][kind]:>5}  {words}")
        for item in record[kind][:5]:
            lines.append(f"         {item['story']} {item['fact']}: {_cut(item.get('text'))}")
    lines.append("\nstories:")
    lines += [f"  {s['id']}  {s.get('title') or ''}" for s in data["stories"]]
    return "\n".join(lines)


def blindspots_table(rows: Sequence[Mapping[str, Any]], attribute: str) -> str:
    if not rows:
        return f"no story misses a side of {attribute}"
    lines = []
    for r in rows:
        spot = r["blindspot"]
        lines.append(
            f"{r['id']}  {attribute}: {'+'.join(spot['covered'])} (no {', '.join(spot['missing'])};"
            f" {spot['sources']} sources: {', '.join(r['outlets'])})  {r.get('title') or ''}"
        )
    return "\n".join(lines)


def _cut(text: Any, width: int = 90) -> str:
    words = " ".join(str(text or "").split())
    return words if len(words) <= width else words[: width - 1] + "…"
