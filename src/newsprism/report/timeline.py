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


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip


def display_date(value: str) -> str:
    """A timeline date as a reader writes it, at the precision the source gave.

    "2025-08-15" -> "August 15, 2025", "2025-08" -> "August 2025", "2013" -> "2013", and
    a month-day whose year no source gave, "--08-15" -> "August 15 (year not given)":
    the stored value stays ISO 8601 for programs; people should not have to read
    "--08-15". Anything else is shown as it is.
    """
    parts = value.split("-")
    try:
        if _YEARLESS.match(value):
            return f"{_MONTHS[int(parts[2]) - 1]} {int(parts[3])} (year not given)"
        if _DATED.match(value) and len(parts) == 3:
            return f"{_MONTHS[int(parts[1]) - 1]} {int(parts[2])}, {parts[0]}"
        if _DATED.match(value) and len(parts) == 2:
            return f"{_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    except (IndexError, ValueError):  # a month outside 1-12: show the value itself
        return value
    return value


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
