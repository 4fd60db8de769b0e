"""Pure text helpers of the contradiction probe (issue 12): values found and changed on raw text.

The probe changes one value in one article and asks whether the brief reports the
disagreement. Everything here works on the raw article text, so a case is defined by
exact character edits that any version of newsprism can be measured against:

- numbers in the formats news text uses ("7", "1,200", "6.1", ECB+'s tokenised "6. 1",
  "seven"), parsed and replaced by a clearly different number *in the same format*;
- month-day dates ("March 3", "3 March", "Dec. 12, 2008") and weekdays;
- names replaced at word boundaries, every mention in the article;
- `value_matches`: whether a value a brief reports ("5.9", "seven", "2009-03-04",
  "Lindsay Lohan") is the value a case put in (or took out).

No model is needed here; `probe_cases.py` uses spaCy only to find candidates.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100,
}  # fmt: skip
NUMBER_WORDS = {v: k for k, v in WORD_NUMBERS.items()}
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}

# "1,200", "7", "6.1" and ECB+'s tokenised decimal "6. 1" (its texts put a space after
# every full stop); never part of a longer word, time ("1:32") or code ("A320").
NUMBER_RE = re.compile(
    r"(?<![\w.,:/-])(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?(?![\w:/]|\.\d)"
)
# ECB+'s tokenised decimal "6. 1" (its texts put a space after every full stop).
SPACED_DECIMAL_RE = re.compile(r"(?<![\w.,:/-])(?P<int>\d{1,2})\. (?P<frac>\d{1,2})(?![\w:/])")
WORD_NUMBER_RE = re.compile(r"\b(" + "|".join(WORD_NUMBERS) + r")\b", re.IGNORECASE)

# A clearly different number: at least this far apart, relatively, so rounding or
# "about" can never reconcile the two (6.1 vs 5.9 is a dispute; 6.1 vs 8.4 is plain).
MIN_RELATIVE_CHANGE = 0.25
MIN_DECIMAL_CHANGE = 0.5  # magnitudes are reported to a tenth; 0.5 apart is a dispute
SMALL_STEPS = (2, 3, 4, 5)  # new small counts: n + k or n - k
DECIMAL_STEPS = (0.5, 0.6, 0.7, 0.8, 0.9)
LARGE_FACTORS = (0.5, 0.6, 1.5, 1.75, 2.0, 2.5)
WORD_SPAN = 2.5  # a number word changes within [v / 2.5, v * 2.5]: plausible, not absurd

MONTHS = {
    "January": 1, "February": 2, "March": 3, "April": 4, "May": 5, "June": 6, "July": 7,
    "August": 8, "September": 9, "October": 10, "November": 11, "December": 12,
    "Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8, "Sep": 9,
    "Sept": 9, "Oct": 10, "Nov": 11, "Dec": 12,
}  # fmt: skip
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
# "March 3", "Dec. 12, 2008", "May 03" and "3 March", "3rd of March"; the day is a group.
DATE_RES = (
    re.compile(rf"\b(?P<month>{_MONTH})\.?\s+(?P<day>\d{{1,2}})(?P<suf>st|nd|rd|th)?\b"),
    re.compile(rf"\b(?P<day>\d{{1,2}})(?P<suf>st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_MONTH})\b"),
)
DAYS_SAFE = 28  # a changed day stays valid in every month
DAY_STEPS = (2, 3, 4, 5, 6)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAY_RE = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b")
ISO_DATE_RE = re.compile(r"\b(?:\d{4}|XXXX)-(\d{2})-(\d{2})\b")


@dataclass(frozen=True, slots=True)
class Number:
    """A number as written: where, its value, and how it is formatted."""

    start: int
    end: int
    text: str
    value: float
    style: str  # "int" | "comma" | "decimal" | "word"
    decimals: int = 0
    sep: str = "."  # the decimal separator as written ("." or ECB+'s ". ")


def find_numbers(text: str) -> list[Number]:
    """Every number written in digits or (small) words, in text order.

    >>> [n.value for n in find_numbers("A 6. 1 quake hurt seven and 1,200 fled")]
    [6.1, 7.0, 1200.0]
    """
    found: dict[int, Number] = {}
    for m in NUMBER_RE.finditer(text):
        whole, frac = m.group("int"), m.group("frac")
        if frac is not None:
            value = float(whole.replace(",", "") + "." + frac)
            found[m.start()] = Number(m.start(), m.end(), m.group(), value, "decimal", len(frac))
        else:
            style = "comma" if "," in whole else "int"
            found[m.start()] = Number(
                m.start(), m.end(), whole, float(whole.replace(",", "")), style
            )
    for m in SPACED_DECIMAL_RE.finditer(text):
        value = float(m.group("int") + "." + m.group("frac"))
        found.pop(m.start("frac"), None)
        dec = len(m.group("frac"))
        found[m.start()] = Number(m.start(), m.end(), m.group(), value, "decimal", dec, ". ")
    out = list(found.values())
    for m in WORD_NUMBER_RE.finditer(text):
        value = float(WORD_NUMBERS[m.group().lower()])
        out.append(Number(m.start(), m.end(), m.group(), value, "word"))
    return sorted(out, key=lambda n: n.start)


def is_year(n: Number) -> bool:
    """A bare four-digit number between 1800 and 2100 is a year, not a count."""
    return n.style == "int" and len(n.text) == 4 and 1800 <= n.value <= 2100


def clearly_different(a: float, b: float) -> bool:
    """At least MIN_RELATIVE_CHANGE apart, or 2 apart for small whole numbers, or
    MIN_DECIMAL_CHANGE apart for small decimals (a magnitude 6.1 against 6.6)."""
    if a == b:
        return False
    if max(a, b) < 10 and (a != int(a) or b != int(b)):
        return abs(a - b) >= MIN_DECIMAL_CHANGE - 1e-9
    rel = abs(a - b) / max(abs(a), abs(b))
    return rel >= MIN_RELATIVE_CHANGE or (abs(a - b) >= 2 and max(a, b) <= 8)


def _format(n: Number, value: float) -> str:
    if n.style == "word":
        word = NUMBER_WORDS[int(value)]
        return word.capitalize() if n.text[0].isupper() else word
    if n.style == "decimal":
        whole, frac = f"{value:.{n.decimals}f}".split(".")
        return whole + n.sep + frac
    if n.style == "comma":
        return f"{int(value):,}"
    return str(int(value))


def _candidates(n: Number) -> list[float]:
    v = n.value
    if n.style == "word":  # "two touchdowns" may become four, never twenty
        return [
            float(k)
            for k in NUMBER_WORDS
            if 1 < k < 100 and (v > 20) == (k > 20) and v / WORD_SPAN <= k <= v * WORD_SPAN
        ]
    if n.style == "decimal" and v < 10:
        return [round(v + s * d, n.decimals) for d in DECIMAL_STEPS for s in (1, -1)]
    if v < 10:
        return [v + s * k for k in SMALL_STEPS for s in (1, -1)]
    zeros = len(str(int(v))) - len(str(int(v)).rstrip("0"))
    unit = 10 ** min(zeros, max(len(str(int(v))) - 2, 1))  # 90 -> tens, 1,200 -> hundreds
    return [float(int(v * f / unit + 0.5) * unit) for f in LARGE_FACTORS]


def changed_number(
    n: Number,
    rng: random.Random,
    taken: set[float],
    limit: float | None = None,
    direction: int = 0,
    least: float | None = None,
) -> str | None:
    """A clearly different number in the same format as `n`, not one in `taken`, at
    most `limit` (a percentage stays <= 100), above `n` if `direction` > 0, below if < 0
    (so a bound like "more than 30" is really contradicted), and at least `least` apart
    relatively when given (an approximate "about 15" needs more than 25 %).

    `taken` holds the values the event already gives for the same thing, so the change
    never lands on a value another outlet reports. None when no such number exists.
    """
    options = [
        c
        for c in _candidates(n)
        if 0 < c <= (limit or c)
        and (c - n.value) * direction >= 0
        and c not in taken
        and clearly_different(c, n.value)
        and (least is None or abs(c - n.value) / max(c, n.value) >= least)
        and _formats(n, c)
    ]
    if not options:
        return None
    return _format(n, rng.choice(sorted(set(options))))


def _formats(n: Number, value: float) -> bool:
    if n.style == "word":
        return int(value) in NUMBER_WORDS and int(value) == value
    if n.style == "comma":
        return value >= 1000
    if n.style == "int":
        return value == int(value) and len(str(int(value))) != 4  # never a year
    return True


def number_in(value: str) -> list[float]:
    """The numbers a reported value states ("5.9", "seven people", "$3 million").

    >>> number_in("$3 million")
    [3.0, 3000000.0]
    """
    nums = [n.value for n in find_numbers(value)]
    low = value.lower()
    for scale, mult in SCALES.items():
        if scale in low:
            nums += [v * mult for v in nums]
    return nums


# ----------------------------------------------------------------------------- dates


@dataclass(frozen=True, slots=True)
class MonthDay:
    """A written month-day date; `day_start`/`day_end` locate the day digits."""

    start: int
    end: int
    month: int
    day: int
    day_start: int
    day_end: int


def find_dates(text: str) -> list[MonthDay]:
    """Month-day dates ("March 3", "3rd of March"), valid days only, in text order."""
    out = {}
    for rx in DATE_RES:
        for m in rx.finditer(text):
            day = int(m.group("day"))
            if 1 <= day <= 31:
                month = MONTHS[m.group("month")]
                out[m.start("day")] = MonthDay(
                    m.start(), m.end(), month, day, m.start("day"), m.end("day")
                )
    return [out[k] for k in sorted(out)]


def changed_day(d: MonthDay, digits: str, rng: random.Random, taken: set[int]) -> str | None:
    """Another valid day of the same month, written like `digits` ("3" or "03")."""
    options = [
        d.day + s * k
        for k in DAY_STEPS
        for s in (1, -1)
        if 1 <= d.day + s * k <= DAYS_SAFE and d.day + s * k not in taken
    ]
    if not options:
        return None
    day = rng.choice(sorted(options))
    return f"{day:0{len(digits)}d}" if digits.startswith("0") else str(day)


def ordinal(day: int) -> str:
    """The English ordinal suffix of a day: 1st, 2nd, 3rd, 4th, 11th, 22nd."""
    if 10 <= day % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def changed_weekday(day: str, rng: random.Random, taken: set[str], near: set[str]) -> str | None:
    """Another weekday, preferably one the event never mentions, never one named in
    the sentences compared (`near`): "rallies on Monday and on Thursday" must not meet
    a changed "Thursday". None when every other day is near."""
    others = [w for w in WEEKDAYS if w != day and w not in near]
    free = [w for w in others if w not in taken]
    return rng.choice(free or others) if others else None


# ----------------------------------------------------------------------------- names


def name_re(name: str) -> re.Pattern[str]:
    """A name as a whole word sequence ("Reid" never matches inside "Reidy")."""
    return re.compile(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])")


def occurrences(text: str, name: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in name_re(name).finditer(text)]


def followed_by_name(text: str, end: int) -> bool:
    """Whether a capitalised word follows at once ("Betty Ford Center", "Texas Rangers").

    Such a mention is part of a longer name; changing it would change an organisation.
    """
    return re.match(r"[ \t]+(?:of )?[A-Z][a-z]", text[end : end + 8]) is not None


# ----------------------------------------------------------------------------- matching


def _norm(s: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", s.casefold()).split())


def value_matches(kind: str, value: str, target: str) -> bool:
    """Whether a value reported by a brief states `target` (a value a case wrote).

    Numbers compare by value ("seven" = "7", "6. 1" = "6.1"); dates by month and day,
    written or ISO; weekdays by name; names and places by their last word, so "Lohan"
    matches "Lindsay Lohan".

    >>> value_matches("count", "7 people injured", "seven")
    True
    >>> value_matches("date", "2008-03-05", "March 5")
    True
    """
    if kind in ("count", "amount", "duration"):
        want = number_in(target)
        return bool(want) and want[0] in number_in(value)
    if kind == "date":
        want_d = find_dates(target)
        if not want_d:
            return False
        got = {(d.month, d.day) for d in find_dates(value)}
        got |= {(int(m), int(d)) for m, d in ISO_DATE_RE.findall(value)}
        return (want_d[0].month, want_d[0].day) in got
    if kind == "weekday":
        return target.casefold() in value.casefold()
    words = _norm(target).split()
    return bool(words) and words[-1] in _norm(value).split()
