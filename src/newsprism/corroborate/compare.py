"""Comparing two slot values the way a careful reader does (issue 12).

`same_subject` says whether two values are values *of the same thing* (the count of
injured, the duration of the strike, the day of the meeting); `agree` whether they can
both be true. Both are needed before two outlets are said to disagree:

- counts compare when they count the same noun ("five people" / "seven people") or the
  same event word stands by a bare number ("five were injured" / "7 injured");
- qualifiers are respected through `analyse.quantities.compatible`: "three-hour" fits
  "more than three hours", "about two hours" does not;
- dates compare by what is written: a month-day without a year *is* comparable within
  one story ("March 3" vs "Tuesday, March 4"), and so are weekdays, also when the
  articles carry no publication date; a written year is compared only with a written
  year, and a full date with a year gives its weekday;
- places and people compare by name (`same_name` tolerates spellings and extents);
  a place pair the story names side by side anywhere ("Anchorage, Alaska") agrees.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date

from ..analyse.quantities import compatible, singular
from .slots import DateParts, SlotValue
from .verdict import same_name

BARE_NUMBER_SHARED = 2  # "five were injured": a bare number needs two shared words around it
MAGNITUDE_TOLERANCE = 0.05  # magnitudes are written to one decimal: 6.1 and 6.10 are one value
_QUANTITY_KINDS = frozenset({"count", "amount", "percent", "duration"})
_DATE_KINDS = frozenset({"date", "weekday"})


def _unit_keys(s: SlotValue) -> set[str]:
    q = s.quantity
    return {singular(q.unit).lower()} if q is not None and q.unit and q.kind == "count" else set()


def same_subject(a: SlotValue, b: SlotValue) -> bool:
    """Whether `a` and `b` are values of one thing (see module docstring).

    The words around both values must share a content word beyond the counted noun
    ("injured", "strike", "met"): in "54 games" / "157 games" or "on Thursday" / "on
    Friday" nothing says the two are the same season or the same event. A bare number
    ("five were injured") needs two such words. Magnitudes are one subject per story.
    """
    if a.kind != b.kind and not (a.kind in _DATE_KINDS and b.kind in _DATE_KINDS):
        return False
    if a.kind in _QUANTITY_KINDS and _quantity_agreement(a, b) is None:
        return False
    if a.kind == "magnitude":
        return True
    shared = a.context & b.context
    nouns = {k for k in shared if any(k.startswith(u[:4]) for u in _unit_keys(a) | _unit_keys(b))}
    needed = BARE_NUMBER_SHARED if _bare(a) or _bare(b) else 1
    return len(shared - nouns) >= needed


def _bare(s: SlotValue) -> bool:
    return s.quantity is not None and s.quantity.kind == "number"


def _quantity_agreement(a: SlotValue, b: SlotValue) -> bool | None:
    qa, qb = a.quantity, b.quantity
    if qa is None or qb is None:
        return None
    if {qa.kind, qb.kind} == {"count", "number"}:  # "five injured" vs "5 people injured"
        unit = qa.unit if qa.kind == "count" else qb.unit
        qa = dataclasses.replace(qa, kind="count", unit=unit)
        qb = dataclasses.replace(qb, kind="count", unit=unit)
    elif qa.kind == qb.kind == "number":
        qa = dataclasses.replace(qa, kind="count", unit="")
        qb = dataclasses.replace(qb, kind="count", unit="")
    return compatible(qa, qb)


def _dates_agree(a: DateParts, b: DateParts) -> bool | None:
    """None when nothing both write can be compared (a weekday vs a month-day only)."""
    verdicts = []
    if a.day is not None and b.day is not None:
        verdicts.append((a.month, a.day) == (b.month, b.day))
        if a.year is not None and b.year is not None:
            verdicts.append(a.year == b.year)
    wa, wb = _weekday(a), _weekday(b)
    if wa is not None and wb is not None:
        verdicts.append(wa == wb)
    return all(verdicts) if verdicts else None


def _weekday(d: DateParts) -> int | None:
    if d.weekday is not None:
        return d.weekday
    if d.year and d.month and d.day:
        try:
            return date(d.year, d.month, d.day).weekday()
        except ValueError:
            return None
    return None


def _plain(name: str) -> str:
    """A name without punctuation: "Washington, D.C." and "Washington" share a word."""
    return re.sub(r"[^\w\s-]", " ", name)


def _letters(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.casefold())


def _in_order(short: str, long: str) -> bool:
    it = iter(long)
    return all(c in it for c in short)


def abbreviates(x: str, y: str) -> bool:
    """Whether one place name abbreviates the other: "Calif." / "California", "Mich." /
    "Michigan", "Fla." / "Florida", "U. S." / "United States", "K. C." / "Kansas City".

    Initials ("US", "K. C.") must be the full name's initials; a dotted abbreviation of
    one word ("Calif.") has its letters in order through the name from its first letter.
    Lenient on purpose ("Mo." fits Montana too): agreeing is never a false alarm.
    """
    for short, long in ((x, y), (y, x)):
        marked = "." in short or (short.isupper() and len(_letters(short)) <= 4)
        s, full = _letters(short), _letters(long)
        if not marked or not s or len(s) >= len(full) or s[0] != full[0]:
            continue
        initials = "".join(w[0] for w in re.findall(r"[A-Za-z]+", long)).casefold()
        if s == initials or ("." in short and len(long.split()) == 1 and _in_order(s, full)):
            return True
    return False


def agree(a: SlotValue, b: SlotValue, together: set[frozenset[str]] | None = None) -> bool | None:
    """Whether two values of one subject can both be true; None when not comparable.

    `together` holds the pairs of place names some fact of the story names side by side:
    without a gazetteer that is the only safe sign that two places nest.
    """
    if a.kind in _QUANTITY_KINDS:
        return _quantity_agreement(a, b)
    if a.kind == "magnitude" and a.number is not None and b.number is not None:
        return abs(a.number - b.number) <= MAGNITUDE_TOLERANCE
    if a.date is not None and b.date is not None:
        return _dates_agree(a.date, b.date)
    if a.name is not None and b.name is not None:
        if same_name(_plain(a.name), _plain(b.name)):
            return True
        if a.kind == "place" and abbreviates(a.name, b.name):
            return True
        return a.kind == "place" and frozenset((a.name, b.name)) in (together or set())
    return None
