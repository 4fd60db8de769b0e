"""The coverage bar's view model: segments sized in 5 % steps and coloured by class.

The web app's Content-Security-Policy forbids inline styles, so a segment's width is a
class (`w0`..`w20`, in the stylesheet) rather than a `style` attribute. Lean-like
values get their conventional colours; any other value a class by position.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .coverage import UNKNOWN

STEPS = 20  # width classes w0..w20: 5 % each
NAMED_COLOURS = {
    "left": "left",
    "lean left": "lean-left",
    "center": "center",
    "centre": "center",
    "lean right": "lean-right",
    "right": "right",
    UNKNOWN: "unknown",
}
VALUE_ORDER = ("left", "lean left", "center", "centre", "lean right", "right")
PALETTE = 6  # classes c0..c5 for values without a conventional colour
FALLBACK_ATTRIBUTE = "kind"


@dataclass(slots=True, frozen=True)
class Segment:
    value: str
    n: int
    width: int  # 0..STEPS
    colour: str


@dataclass(slots=True, frozen=True)
class Bar:
    attribute: str
    segments: tuple[Segment, ...]
    total: int

    def summary(self) -> str:
        return ", ".join(f"{s.value}: {s.n}" for s in self.segments)


def coverage_bar(coverage: Mapping[str, Mapping[str, int]] | None, attribute: str) -> Bar | None:
    """The bar of `attribute` (else `kind`) for a story's coverage, or None."""
    coverage = coverage or {}
    counts = coverage.get(attribute) or {}
    if not any(v != UNKNOWN for v in counts):
        attribute, counts = FALLBACK_ATTRIBUTE, coverage.get(FALLBACK_ATTRIBUTE) or {}
    total = sum(counts.values())
    if not total:
        return None
    ordered = sorted(counts.items(), key=lambda kv: _order(kv[0]))
    segments = tuple(
        Segment(value, n, max(1, round(STEPS * n / total)), _colour(value, i))
        for i, (value, n) in enumerate(ordered)
    )
    return Bar(attribute, segments, total)


def _order(value: str) -> tuple[int, str]:
    folded = value.casefold()
    if folded == UNKNOWN:
        return (len(VALUE_ORDER) + 1, folded)
    return (VALUE_ORDER.index(folded) if folded in VALUE_ORDER else len(VALUE_ORDER), folded)


def _colour(value: str, position: int) -> str:
    return NAMED_COLOURS.get(value.casefold(), f"c{position % PALETTE}")


def parse_filter(text: str | None) -> tuple[str, list[str]] | None:
    """ "lean:left,right" -> ("lean", ["left", "right"]); None for empty or malformed."""
    if not text or ":" not in text:
        return None
    attribute, _, values = text.partition(":")
    items = [v.strip() for v in values.split(",") if v.strip()]
    return (attribute.strip(), items) if attribute.strip() and items else None


def filter_stories(
    stories: list[dict[str, Any]], covered: str | None, only: str | None
) -> list[dict[str, Any]]:
    """Stories with an independent source of every `covered` value, and only of the
    `only` values ("lean:left,right", "kind:wire")."""
    from .coverage import covered_by

    want, solely = parse_filter(covered), parse_filter(only)
    out = []
    for story in stories:
        cov = story.get("coverage") or {}
        if want and not covered_by(cov, want[0], want[1]):
            continue
        if solely and not (set(cov.get(solely[0]) or {"": 0}) <= set(solely[1])):
            continue
        out.append(story)
    return out
