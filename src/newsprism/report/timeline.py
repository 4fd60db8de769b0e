"""The story's dated facts in date order, each cited.

Dates come resolved from the analysis stage and are never guessed here: a date whose
year is open stays `--MM-DD` and is listed after the dated entries (in month-day
order) rather than being given a year. Coarse dates ("2013", "2025-08") keep their
precision, so "in 2013" never turns into 1 January.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..corroborate.facts import Fact
from ..corroborate.verdict import evidence_of

_DATED = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_YEARLESS = re.compile(r"^--\d{2}-\d{2}$")


def precision(value: str) -> str:
    """year, month, day, or day-no-year for the four value shapes the analysis writes."""
    if _YEARLESS.match(value):
        return "day-no-year"
    return {4: "year", 7: "month", 10: "day"}[len(value)]


def _sort_key(value: str) -> tuple[int, str]:
    return (1, value) if _YEARLESS.match(value) else (0, value)


def timeline(
    facts: Sequence[Fact], records: Sequence[Mapping[str, Any]], members: Sequence[Sequence[int]]
) -> list[dict[str, Any]]:
    """One entry per (fact record, date value), ordered by date.

    `records[k]` is the brief's fact record whose member facts are `members[k]`; an
    entry cites every member fact that carries the date, and names the record.
    """
    entries: dict[tuple[str, str], dict[str, Any]] = {}
    for rec, group in zip(records, members, strict=True):
        for i in group:
            f = facts[i]
            for d in f.dates:
                if not d.value or not (_DATED.match(d.value) or _YEARLESS.match(d.value)):
                    continue
                entry = entries.setdefault(
                    (d.value, rec["id"]),
                    {
                        "date": d.value,
                        "precision": precision(d.value),
                        "text": f.text,
                        "fact": rec["id"],
                        "status": rec["status"],
                        "date_text": d.text,
                        "citations": [],
                    },
                )
                cites = entry["citations"]
                if all(c["article"] != f.article for c in cites):
                    cites.append(evidence_of(f))
    unique: dict[tuple[str, str], dict[str, Any]] = {}
    for e in entries.values():  # one line per dated sentence, whatever fact it is part of
        unique.setdefault((e["date"], e["text"]), e)
    return sorted(unique.values(), key=lambda e: (_sort_key(e["date"]), e["fact"]))
