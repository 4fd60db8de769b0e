"""Omissions: what each outlet leaves out that other outlets report (issue 12).

Ranked by the importance of what is left out: claims come in importance order
(independent support, then centrality), so the first omission of an outlet is the
most important claim it does not carry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def omissions(
    article_ids: Sequence[str], fact_records: Sequence[Mapping[str, Any]]
) -> dict[str, list[str]]:
    """Per article, the corroborated claims that other articles report and it does not."""
    out: dict[str, list[str]] = {a: [] for a in article_ids}
    for rec in fact_records:
        if rec["status"] != "corroborated":
            continue
        for a in article_ids:
            if a not in rec["reported_by"]:
                out[a].append(rec["id"])
    return out
