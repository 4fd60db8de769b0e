"""Omissions: what each outlet leaves out that other outlets report (issues 12, 16).

"Other outlets report it" means independent sources (the outlet layer's units: a
reprint or a wire copy counts with its original). In a story of three or more
independent sources an omission is a claim at least two of the others carry: what the
rest of the coverage agrees on. In a two-source story it is whatever the other source
reports, since that is exactly what a reader of one outlet alone would miss (the seeds:
two outlets on one summit, each with details the other lacks). Claims come most
important first (independent support, then centrality), so each outlet's list is
ranked by the importance of what it leaves out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

AGREEING_OTHERS = 2  # with 3+ sources, an omission is what two others both report


def omissions(
    units: Mapping[str, str], fact_records: Sequence[Mapping[str, Any]]
) -> dict[str, list[str]]:
    """Per article id, the ids of the claims other independent sources report and it does
    not, in claim order; `units` maps each article id to its independence unit."""
    sources = len(set(units.values()))
    need = max(1, min(AGREEING_OTHERS, sources - 1))
    out: dict[str, list[str]] = {a: [] for a in units}
    for rec in fact_records:
        reporters = {units[r] for r in rec["reported_by"] if r in units}
        if not reporters:
            continue
        for article, unit in units.items():
            if article in rec["reported_by"]:
                continue
            if len(reporters - {unit}) >= need:
                out[article].append(rec["id"])
    return out
