"""Typed value slots: the values a claim carries, read from one fact (issue 12).

A claim is compared across outlets slot by slot, the way a careful reader compares
two reports: "how many were injured", "how strong was the quake", "how long did the
talks last", "on which day", "where", "who did it", "who said it". Each slot value
keeps what it measures (its `kind`), the words around it (`context`: what the value
is *of* — "injured", "strike"), its exact span, and a value comparators can read.

Kinds: count (a number of something, with its noun), amount (money), percent,
magnitude, duration, date (month-day, with the year when written), weekday, place
(where it happened), agent (a named person acting).
Speakers come from the quote ledger and roles from mention descriptors; they are
compared there (`ledger`, `verdict.role_conflicts`), on the same records.

Extraction favours precision like the analysis stage: a value whose meaning is unclear
(a bare number with no word around it, a dateline date) is not a slot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..analyse.dates import MONTHS, SMALL_NUMBERS, WEEKDAYS
from ..models import Mention, Quantity
from .align import TIME_WORDS
from .facts import Fact
from .words import NUMBER_WORDS, content_keys

CONTEXT_WINDOW = 3  # content words each side that say what a value is of
DATELINE_CHARS = 40  # a date this close to an article's start is when it was filed
# Bare numbers ("five were injured", "86") are left out: on ECB+ sports and crime stories
# they were most false alarms (yards, counts of charges, scores), and a count's noun is
# what tells a reader two numbers count the same thing.
QUANTITY_KINDS = {"count": "count", "money": "amount", "percent": "percent",
                  "duration": "duration"}  # fmt: skip
# "5. 9" is 5.9 written by a tokeniser (ECB+): one value, not a 5 and a 9
_MAGNITUDE = re.compile(
    r"(?i)\bmagnitude(?:[\s-]+of)?[\s-]+(?P<a>\d{1,2}(?:\.\s?\d)?)\b"
    r"|\b(?P<b>\d{1,2}(?:\.\s?\d)?)[\s-]*(?:-|\s)?magnitude\b"
    r"|\b(?P<c>\d{1,2}\.\s?\d)\s+on\s+the\s+richter\b"
)
# A hyphenated measure ("its four-step scoring system", "a 500-member force", "a
# .38-caliber revolver"): the analysis leaves a number joined to a word uncounted, but
# the word names what is counted as plainly as a plural noun does.
_MEASURE = re.compile(
    r"(?i)(?<![\w.,-])(?<!\d,\s)(?P<n>\d{1,3}(?:,\d{3})*|" + "|".join(SMALL_NUMBERS) + r")"
    r"\s?-\s?(?P<unit>[a-z]{3,})\b(?!-)"
)
_NOT_MEASURES = frozenset({"year", "old", "time", "point", "yard", "run", "game", "win", "loss"})
_WEEKDAY = re.compile(r"(?i)\b(" + "|".join(WEEKDAYS) + r")\b")
_ISO_DAY = re.compile(r"^(?:(\d{4})-|--)(\d{2})-(\d{2})$")  # 2025-08-15 or --08-15
_DAY_NUMBER = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\b")
# where the words around a value stop saying what it is of: punctuation that closes a
# clause, and a coordinated clause ("on November 11 | and also sunk ... on November 19")
_CLAUSE_BREAK = re.compile(r"[;:()\[\]—–]|\.\s|\s(?:and|but|while|whereas)\s")
_LOCATIVE = re.compile(r"(?i)\b(in|at|near|outside|off)\s+(the\s+)?$")
# Only cities, states and countries: a street or an arena lies inside one, and without a
# gazetteer "in Surrey" vs "in Banstead High Street" cannot be told from a conflict.
PLACE_TYPES = frozenset({"GPE"})
# time units: "a 90-day stint" is a duration the analysis already reads
QUANTITY_UNITS = frozenset({"second", "minute", "hour", "day", "week", "month", "decade",
                            "century"})  # fmt: skip


@dataclass(slots=True, frozen=True)
class DateParts:
    """A calendar value as written: any of year, month, day, weekday may be unknown."""

    year: int | None
    month: int | None
    day: int | None
    weekday: int | None  # 0 = Monday


@dataclass(slots=True, frozen=True)
class SlotValue:
    """One value of one slot in one fact: what it measures, where it is, how to compare it."""

    kind: str  # count | amount | percent | magnitude | duration | date | weekday | place | agent
    text: str  # as written ("more than three hours", "Tuesday, March 4", "Anchorage")
    start: int  # article offsets: text == article.text[start:end]
    end: int
    fact: int  # index of the fact in the story's fact list
    context: frozenset[str]  # content keys around the value: what it is a value *of*
    quantity: Quantity | None = None
    number: float | None = None  # magnitudes
    date: DateParts | None = None
    name: str | None = None  # canonical name of a place or agent


def window(f: Fact, start: int, end: int) -> frozenset[str]:
    """Content keys of up to CONTEXT_WINDOW tokens each side of a span, within its clause."""
    rel_s, rel_e = start - f.start, end - f.start
    left_text = f.text[:rel_s]
    cut = max((m.end() for m in _CLAUSE_BREAK.finditer(left_text)), default=0)
    right_text = f.text[rel_e:]
    stop = next((m.start() for m in _CLAUSE_BREAK.finditer(right_text)), len(right_text))
    before = [t.key for t in f.tokens if t.key and f.start + cut <= t.start < start]
    after = [t.key for t in f.tokens if t.key and end <= t.start < f.start + rel_e + stop]
    keys = before[-CONTEXT_WINDOW:] + after[:CONTEXT_WINDOW]
    return frozenset(k for k in keys if not k[0].isdigit() and k not in NUMBER_WORDS)


def _magnitudes(f: Fact, index: int) -> list[SlotValue]:
    out = []
    for m in _MAGNITUDE.finditer(f.text):
        group = next(g for g in ("a", "b", "c") if m.group(g))
        s, e = f.start + m.start(group), f.start + m.end(group)
        value = float(m.group(group).replace(" ", ""))
        out.append(SlotValue("magnitude", m.group(group), s, e, index, frozenset({"magnitud"}),
                             number=value))  # fmt: skip
    return out


def _measures(f: Fact, index: int, taken: list[tuple[int, int]]) -> list[SlotValue]:
    """Hyphenated measures (`_MEASURE`) as counts of their word; scores and records
    ("a 14-point lead", "a 9-14 start") and ages are left out (`_NOT_MEASURES`)."""
    out = []
    for m in _MEASURE.finditer(f.text):
        s, e = f.start + m.start(), f.start + m.end()
        unit = m.group("unit").lower()
        if (
            unit in _NOT_MEASURES
            or unit in QUANTITY_UNITS
            or any(a < e and s < b for a, b in taken)
        ):
            continue
        n = m.group("n").lower().replace(",", "")
        value = float(SMALL_NUMBERS[n]) if n in SMALL_NUMBERS else float(n)
        q = Quantity(s, e, m.group(0), "count", value, unit)
        context = window(f, s, e) | content_keys(unit)
        out.append(SlotValue("count", m.group(0), s, e, index, context, quantity=q))
    return out


def _quantities(f: Fact, index: int, taken: list[tuple[int, int]]) -> list[SlotValue]:
    """Counts, amounts, percents and durations; bare numbers only with words around them."""
    out = []
    for q in f.quantities:
        kind = QUANTITY_KINDS.get(q.kind)
        if kind is None or any(a < q.end and q.start < b for a, b in taken):
            continue
        if f.text[: q.start - f.start].rstrip().endswith("("):
            continue  # a conversion in brackets ("($1.5m)") restates its neighbour
        context = window(f, q.start, q.end)
        if q.kind == "count" and q.unit:
            context = context | content_keys(q.unit)
        out.append(SlotValue(kind, q.text, q.start, q.end, index, context, quantity=q))
    return out


def date_parts(text: str, value: str | None) -> DateParts | None:
    """Year, month, day and weekday *as written*: a year or day the text never gives is None.

    A value resolved from the publication date ("Tuesday" -> 2014-03-04) keeps only the
    weekday, so comparisons never rest on a guess; a weekday with no value still counts.
    """
    low = text.casefold()
    wd = _WEEKDAY.search(low)
    weekday = WEEKDAYS.index(wd.group(1)) if wd else None
    has_month = any(re.search(rf"\b{re.escape(m)}\b", low) for m in MONTHS)
    has_day = bool(_DAY_NUMBER.search(re.sub(r"\b\d{4}\b", "", low)))
    year = month = day = None
    m = _ISO_DAY.match(value or "")
    if m and has_month and has_day:
        month, day = int(m.group(2)), int(m.group(3))
        if m.group(1) and re.search(r"\b\d{4}\b", low):
            year = int(m.group(1))
    if weekday is None and day is None:
        return None
    return DateParts(year, month, day, weekday)


def _dates(f: Fact, index: int, dateline_end: int) -> list[SlotValue]:
    out = []
    for d in f.dates:
        if d.start < dateline_end:
            continue
        parts = date_parts(d.text, d.value)
        if parts is None:
            continue
        kind = "date" if parts.day is not None else "weekday"
        context = window(f, d.start, d.end) - TIME_WORDS
        out.append(SlotValue(kind, d.text, d.start, d.end, index, context, date=parts))
    return out


def _places(f: Fact, index: int) -> list[SlotValue]:
    """The place written as where something happened: "in X", "at X", "near X" (first only).

    Only the first: in "the summit in Helsinki ... over the war in Ukraine" the second
    place says what the talks were about, not where they were held.
    """
    for m in f.mentions:
        before = f.text[max(0, m.start - f.start - 8) : m.start - f.start]
        if m.type in PLACE_TYPES and _LOCATIVE.search(before):
            return [SlotValue("place", m.text, m.start, m.end, index,
                              window(f, m.start, m.end), name=m.canonical)]  # fmt: skip
    return []


def _agents(f: Fact, index: int) -> list[SlotValue]:
    """Named people of the fact: who did or said what it reports."""
    seen: dict[str, Mention] = {}
    for m in f.mentions:
        if m.type == "PERSON":
            seen.setdefault(m.canonical, m)
    return [
        SlotValue("agent", m.text, m.start, m.end, index, window(f, m.start, m.end), name=name)
        for name, m in seen.items()
    ]


def fact_slots(f: Fact, index: int, dateline_end: int = 0) -> list[SlotValue]:
    """Every slot value of one fact (see module docstring).

    `dateline_end` is the article offset before which a date is a dateline (filed on),
    not a value of the event.
    """
    mags = _magnitudes(f, index)
    # a bare number the analysis read inside "38 - caliber" is no slot: the measure is
    taken = [(s.start, s.end) for s in mags] + [
        (q.start, q.end) for q in f.quantities if q.kind in QUANTITY_KINDS
    ]
    return [
        *mags,
        *_quantities(f, index, taken[: len(mags)]),
        *_measures(f, index, taken),
        *_dates(f, index, dateline_end),
        *_places(f, index),
        *_agents(f, index),
    ]


def dateline_end(text: str) -> int:
    """Where an article's dateline zone ends: dates before it are filing dates."""
    head = text[:DATELINE_CHARS]
    dash = re.search(r"[—–]|\s-\s|\(\w+\)", head)
    return dash.end() if dash else 0
