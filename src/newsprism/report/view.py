"""The one view model of a story brief, shared by the static export and the web page.

Issue 12: the static report (`report.markdown`) and the web page (`serve.storyview`)
each decided "reported / silent / contradicts" and disagreed, and each had its own
`safe_url`. Both now take every such decision here, from the brief contract alone:

- `cells`: per article, whether it reports a claim, gives a contradicting value, or is
  silent — the value most articles give (a strict plurality) is "reported", others
  "contradicts"; with no plurality every side contradicts;
- `sides`: a conflict's values grouped by value, with the outlets behind each;
- `ranked_claims`: the matrix order — contradictions first, then by importance (the
  brief lists claims by independent support, then centrality), the first MATRIX_SHOWN
  shown and the rest for a "show all" <details>;
- `outlet_labels`: the outlet name of every article (`naming.outlet_name`), numbered
  when one outlet has several articles;
- `safe_url`: the only way a URL from an article becomes a link.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ..naming import outlet_name

MATRIX_SHOWN = 25  # claims shown in the matrix; the rest sit behind "show all" (issue 12)
URL_MAX = 2000  # longer "URLs" are not links anyone typed
LABEL_MAX = 40


def safe_url(url: Any) -> str | None:
    """The URL if it is a plain http(s) URL with a host, else None (no javascript:, data:)."""
    if not isinstance(url, str) or len(url) > URL_MAX:
        return None
    url = url.strip()
    if not url or any(c.isspace() or c in "<>\"'`" for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def outlet_labels(articles: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Article id -> its outlet's name, numbered when an outlet repeats ("Wire #2")."""
    seen: dict[str, int] = {}
    out = {}
    for a in articles:
        name = a.get("outlet") or outlet_name(a.get("source"), a.get("url"), str(a["id"]))
        base = str(name)[:LABEL_MAX]
        seen[base] = seen.get(base, 0) + 1
        out[str(a["id"])] = base if seen[base] == 1 else f"{base} #{seen[base]}"
    return out


@dataclass(slots=True, frozen=True)
class Cell:
    """One article's relation to one claim."""

    state: str  # reported | contradicts | silent
    value: str | None = None  # the value it gives, when the claim is disputed


@dataclass(slots=True, frozen=True)
class Side:
    """One value of a conflict with the articles that give it."""

    value: str
    articles: tuple[str, ...]
    majority: bool


def sides(conflict: Mapping[str, Any]) -> list[Side]:
    """The conflict's values grouped by value, most articles first; the strict plurality
    (if any) is the majority."""
    groups: dict[str, list[str]] = {}
    for v in conflict.get("values") or []:
        groups.setdefault(str(v.get("value")), []).append(str(v.get("article")))
    sizes = Counter(len(g) for g in groups.values())
    top = max(sizes, default=0)
    unique = sizes.get(top, 0) == 1
    ordered = sorted(groups.items(), key=lambda kv: -len(kv[1]))
    return [Side(value, tuple(arts), unique and len(arts) == top) for value, arts in ordered]


def cells(fact: Mapping[str, Any], ids: Sequence[str]) -> list[Cell]:
    """Reported / contradicts / silent per article id (see module docstring)."""
    value_of: dict[str, str] = {}
    majority: set[str] = set()
    for conflict in fact.get("conflicts") or []:
        for side in sides(conflict):
            for a in side.articles:
                value_of.setdefault(a, side.value)
                if side.majority:
                    majority.add(a)
    reported = set(fact.get("reported_by") or [])
    reported |= {str(e.get("article")) for e in fact.get("evidence") or []}
    out = []
    for a in ids:
        if a in value_of:
            out.append(Cell("reported" if a in majority else "contradicts", value_of[a]))
        else:
            out.append(Cell("reported" if a in reported else "silent"))
    return out


def ranked_claims(
    facts: Sequence[Mapping[str, Any]], shown: int = MATRIX_SHOWN
) -> tuple[list[Mapping[str, Any]], list[Mapping[str, Any]]]:
    """(first `shown`, the rest): contradictions first, then in the brief's importance order."""
    ranked = sorted(facts, key=lambda f: f.get("status") != "conflicting")
    return ranked[:shown], ranked[shown:]


def contradictions(facts: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Every conflict once, with its claim, in importance order."""
    seen: dict[str, dict[str, Any]] = {}
    for f in facts:
        for c in f.get("conflicts") or []:
            key = c.get("id") or repr((c.get("kind"), c.get("values")))
            seen.setdefault(key, {**c, "fact": f.get("id"), "fact_text": f.get("text"),
                                  "sides": sides(c)})  # fmt: skip
    return list(seen.values())


def omitted(
    facts: Sequence[Mapping[str, Any]], omissions: Mapping[str, Sequence[str]], ids: Sequence[str]
) -> dict[str, list[Mapping[str, Any]]]:
    """Per article, the claims it leaves out, most important first (the brief's order)."""
    out: dict[str, list[Mapping[str, Any]]] = {}
    for a in ids:
        left = set(omissions.get(a) or [])
        out[a] = [f for f in facts if f.get("id") in left]
    return out
