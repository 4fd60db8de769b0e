"""Disputed values as a briefing shows them inline: "magnitude 5.9 [a][c] · 6.1 [b]"."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..corroborate.claims import Claim
from ..corroborate.story import StoryClaims


def disputed_values(sc: StoryClaims, claims: Sequence[Claim]) -> list[dict[str, Any]]:
    """Per disputed slot of these claims: each value, its articles and outlets, and the
    one-line inline form ("5.9 (A, C) · 6.1 (B)") a plain-text renderer can print."""
    out = []
    for claim in claims:
        for t in claim.values:
            rows = [
                {
                    "value": r.value,
                    "articles": r.articles,
                    "outlets": list(dict.fromkeys(sc.outlet(a) for a in r.articles)),
                }
                for r in t.rows
            ]
            inline = " · ".join(f"{r['value']} ({', '.join(r['outlets'])})" for r in rows)
            out.append({"kind": t.kind, "slot": t.slot, "claim": claim.id, "values": rows,
                        "inline": inline})  # fmt: skip
    return out
