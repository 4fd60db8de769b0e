"""Date mentions resolved against the publication date.

Corroboration compares dates across sources and the timeline orders events by them, so a
wrong date is worse than none: every rule prefers leaving a value open (None, or `--MM-DD`
when the year is unknown) to guessing.

Why mostly our own rules: dateparser costs 0.3-100 ms a call and misreads news phrasing
that matters here ("eight years" becomes a date, "the 1990s" a time, a bare weekday lands
strictly before the base day). Common forms are matched by regexes compiled once and
resolved with calendar arithmetic; dateparser (`RELATIVE_BASE` = publication date,
English, cached) is the fallback for spaCy DATE entities with a month and a digit that no
regex read.

Resolution rules (the contract other stages rely on):

- An explicit year is taken as written ("August 15, 2025", "2025-08-15", "15 Aug 2025").
- Month and day without a year: with a publication date the nearest occurrence (ties go
  to the past), so "August 15" in an article of 2025-08-16 is 2025-08-15 and "Nov. 5" in
  an August article is the coming one; without one `--MM-DD`.
- A bare weekday ("on Saturday") is the latest such day on or before publication; "last
  Saturday" strictly before, "next Saturday" strictly after, "this (coming) Saturday" on
  or after. today / tonight / this morning = publication day; yesterday / last night =
  the day before; tomorrow = the day after.
- last / this / next month -> `YYYY-MM`, ... year -> `YYYY`, ... week -> None (a week is
  not a day; its Monday would look day-precise and breed false conflicts). "N days ago"
  -> the day, "N weeks ago" -> None, "N months ago" -> `YYYY-MM`, "N years ago" -> `YYYY`.
- Relative expressions have value None when there is no publication date.
- Years: 1900-2099 standing alone, 1000-1899 only after a preposition ("in 1848"); never
  when the number counts something (see `year_counts`). Spans hold the year alone ("in
  2013" -> "2013"); prepositions are never in spans.
- Slash dates are US order M/D/YYYY unless the first part exceeds 12 (then D/M/YYYY);
  dotted dates are D.M.YYYY; two-digit years are not read.
- A month without a day ("in March", "last December", "September this year") is read only
  after a preposition or last/next/this, as `YYYY-MM` (nearest occurrence, or None
  without a publication date). Decades, seasons and holidays are not read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any, NamedTuple

from ..models import DateMention

__all__ = ["MONTHS", "SMALL_NUMBERS", "WEEKDAYS", "date_spans", "extract_dates",
           "parse_published", "year_counts"]  # fmt: skip

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1,
    "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety"
_TEENS = "fifteen sixteen seventeen eighteen nineteen"
SMALL_NUMBERS = {w: i for i, w in enumerate(f"{_ONES} {_TEENS}".split(" "))}
SMALL_NUMBERS |= {w: 10 * i for i, w in enumerate(_TENS.split(" "), 2)}


def _cases(*words: str, lower: bool = True) -> str:
    """An alternation of each word in Title and UPPER case, and lower case if `lower`.

    Case-sensitive alternations run several times faster than re.IGNORECASE ones, and
    month and weekday names must be capitalised anyway ("may", "march" are verbs).
    """
    forms = {f for w in words for f in ((w,) if lower else ()) + (w.capitalize(), w.upper())}
    return "|".join(sorted(forms, key=len, reverse=True))


_ABBR_DOT = _cases(*(m for m in MONTHS if len(m) == 3), lower=False)  # each 3 letters long
_MON_FULL = rf"(?P<mon>{_cases(*list(MONTHS)[:12], lower=False)})\b"
_MON = rf"(?P<mon>{_cases(*MONTHS, lower=False)})\b(?:(?<={_ABBR_DOT})\.|(?<=Sept|SEPT)\.)?"
_WD = rf"(?P<wd>{_cases(*WEEKDAYS, lower=False)})\b"
_YEAR = r"(?P<year>[0-9]{4})(?![0-9]|s\b|,[0-9]|\.[0-9])"
_DAY = r"(?P<day>[0-9]{1,2})(?:st|nd|rd|th)?\b(?![:.,]?[0-9])"
_REL = _cases("last", "next", "this")
_YMD = r"(?P<year>[0-9]{4})-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})"

_MDY = re.compile(rf"\b(?:{_WD},?\s+)?{_MON}\s+{_DAY}(?:,?\s+{_YEAR})?")
_DMY = re.compile(rf"(?<![0-9.,])\b(?:{_WD},?\s+)?{_DAY}\s+(?:of\s+)?{_MON}(?:,?\s+{_YEAR})?")
_MY = re.compile(rf"\b{_MON},?\s+(?:of\s+)?{_YEAR}")
_NUMERIC = re.compile(
    rf"(?<![0-9./])(?:{_YMD}|(?P<d2>[0-9]{{1,2}})\.(?P<m2>[0-9]{{1,2}})\.(?P<y2>[0-9]{{4}})"
    r"|(?P<a>[0-9]{1,2})\s?/\s?(?P<b>[0-9]{1,2})\s?/\s?(?P<y3>[0-9]{4}))(?![0-9/]|\.[0-9])"
)
_BARE_YEAR = re.compile(rf"(?<![0-9$€£¥.,'’])(?<![A-Za-z]-)\b{_YEAR}")
_MONTH_REL = re.compile(
    rf"\b(?:(?P<rel>{_REL})\s+)?{_MON_FULL}(?:\s+(?P<rel2>{_REL})\s+(?:year|YEAR)\b)?"
)
_WEEKDAY = re.compile(rf"\b(?:(?P<rel>(?:{_cases('this')})\s+(?:coming|past)|{_REL})\s+)?{_WD}")
_REL_DAY = re.compile(
    rf"\b(?P<w>{_cases('today', 'tonight', 'yesterday', 'tomorrow')}"
    rf"|(?:{_cases('this')})\s+(?:morning|afternoon|evening)|(?:{_cases('last')})\s+night)\b"
)
_REL_PERIOD = re.compile(
    rf"\b(?:(?:{_cases('earlier', 'later')})\s+)?(?P<rel>{_REL})\s+(?P<per>week|month|year)\b"
)
_AGO = re.compile(
    rf"\b(?P<n>[0-9]{{1,3}}|{_cases('a', 'an', *SMALL_NUMBERS)}"
    rf"|(?:{_cases(*_TENS.split())})-(?:{_cases(*_ONES.split()[1:10])}))\s+"
    r"(?P<per>day|week|month|year)s?\s+ago\b"
)
_I = re.IGNORECASE
_GUARD = re.compile(
    r"\b(?:in|since|by|until|till|before|after|from|during|of|early|late|mid|through|between|"
    r"circa|around|year|spring|summer|autumn|fall|winter|and|to)[\s-]+$",
    _I,
)
_HEDGE_BEFORE = re.compile(
    r"(?:[$€£¥₹]\s?|\b(?:than|over|about|around|nearly|almost|some|least|up\s+to|under|roughly|"
    r"approximately|estimated)\s+)$",
    _I,
)
_COUNTED_AFTER = re.compile(
    r"\s?%|\s+per\s?cent\b|[\s-]+(?:second|minute|hour|day|week|month|year|decade)s?\b|"
    r"[\s-]+centur|\s+(?:GMT|UTC|BST|EST|EDT|PST|hrs|km|kilomet\w*|miles|met(?:er|re)s|feet|kg|"
    r"tons|tonnes)\b|(?-i:(?:\s+[A-Z][a-z]+){1,3}\s+(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|"
    r"Blvd|Lane|Drive|Place)\b)",
    _I,
)
_PLURAL_AFTER = re.compile(r"\s+(?:[a-z]+\s+)?(?:[a-z]+s|people|men|women|children|police)\b")
_DECADE_S = re.compile(r"['’]s\b")  # "the 1990's" is a decade, "2008's" a possessive
_SENTENCE_START = re.compile(r"(?:^|[.!?\n\"“”'(]\s*)$")
_THE_BEFORE = re.compile(r"\b(?:the|The|THE)\s+$")
_CLAUSE_START = re.compile(r"[.!?;:,\n\"“”—–()]")
_FUTURE = re.compile(
    r"\b(?:will|won't|shall|(?:is|are|was|were)\s+(?:due|set|scheduled|expected|slated|to)"
    r"|plans?\s+to|planning\s+to|(?:scheduled|slated)\s+for|upcoming|\w+'ll)\b",
    re.IGNORECASE,
)


class _Cand(NamedTuple):
    start: int
    end: int
    value: str | None


_Handler = Callable[[re.Match[str], str, date | None], _Cand | None]


@lru_cache(maxsize=1024)
def parse_published(value: str | None) -> date | None:
    """The calendar day an article was published, or None when unknown or unreadable.

    Accepts ISO dates and datetimes (any zone; the day is the one the publisher wrote,
    not converted to UTC, because that is the day "yesterday" was counted from) and
    RFC 2822 dates as feeds give them. Garbage gives None rather than an error: a bad
    feed field must not stop analysis.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    if head := re.match(rf"{_YMD}(?![0-9])", text):
        return _safe_date(int(head["year"]), int(head["m"]), int(head["d"]))
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def extract_dates(text: str, published: str | None, doc: object | None = None) -> list[DateMention]:
    """Date expressions in `text`, resolved against the publication date.

    `doc` is an optional spaCy Doc of exactly `text`; its DATE entities add candidates the
    regexes miss and its CARDINAL entities veto bare "years" that count things.
    Offsets are exact (`text[d.start:d.end] == d.text`), sorted and non-overlapping.
    """
    pub = parse_published(published)
    cands = _regex_candidates(text, pub)
    if doc is not None:
        cands = _veto_cardinals(cands, doc)
        cands.extend(_entity_candidates(text, pub, doc, cands))
    return [DateMention(c.start, c.end, text[c.start : c.end], c.value) for c in _resolve(cands)]


def date_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every date expression the regexes find, without resolving them.

    Quantity extraction masks these so "August 15" or "in 2013" never become numbers.
    """
    return [(c.start, c.end) for c in _resolve(_regex_candidates(text, None))]


def _regex_candidates(text: str, pub: date | None) -> list[_Cand]:
    out: list[_Cand] = []
    for pattern, handler in _HANDLERS:
        needles = _NEEDLES.get(pattern)
        if needles and not any(n in text for n in needles):
            continue  # a substring test is ~100x cheaper than a regex pass
        out.extend(c for m in pattern.finditer(text) if (c := handler(m, text, pub)))
    return out


def _resolve(cands: list[_Cand]) -> list[_Cand]:
    """Keep the longest of overlapping candidates (then the earliest), sorted by start."""
    taken: list[_Cand] = []
    for c in sorted(cands, key=lambda c: (c.start - c.end, c.start)):
        if all(c.end <= t.start or c.start >= t.end for t in taken):
            taken.append(c)
    return sorted(taken)


# ---------------------------------------------------------------- calendar helpers


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _nearest(pub: date, month: int, day: int) -> date | None:
    """The occurrence of month/day closest to `pub` (ties go to the past)."""
    years = (pub.year - 1, pub.year, pub.year + 1)
    options = [d for y in years if (d := _safe_date(y, month, day))]
    return min(options, key=lambda d: (abs((d - pub).days), d > pub)) if options else None


def _nearest_month(pub: date, month: int) -> str:
    """The occurrence of `month` closest to `pub`'s month (ties go to the past)."""
    here = pub.year * 12 + pub.month
    year = min(
        range(pub.year - 1, pub.year + 2),
        key=lambda y: (abs(y * 12 + month - here), y * 12 + month > here),
    )
    return f"{year:04d}-{month:02d}"


def _shift_month(pub: date, months: int) -> str:
    index = pub.year * 12 + pub.month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _small_number(word: str) -> int:
    """1-99 from digits, "a"/"an" or words ("thirty", "twenty-five")."""
    key = word.casefold()
    if key.isdigit():
        return int(key)
    return sum(SMALL_NUMBERS.get(part, 1) for part in key.split("-"))  # "a"/"an" count 1


# ---------------------------------------------------------------- regex handlers


def _full_date(m: re.Match[str], text: str, pub: date | None) -> _Cand | None:
    """Month-name dates: "August 15", "Aug. 15, 2025", "Saturday 15 August 2025"."""
    month, day = MONTHS[m["mon"].casefold()], int(m["day"])
    if _safe_date(2000, month, day) is None:  # 2000 is a leap year: Feb 29 is valid
        return None
    if m["year"]:
        d = _safe_date(int(m["year"]), month, day)
        return _Cand(m.start(), m.end(), d.isoformat()) if d else None
    if pub is None:
        return _Cand(m.start(), m.end(), f"--{month:02d}-{day:02d}")
    return _Cand(m.start(), m.end(), _iso(_nearest(pub, month, day)))


def _month_year(m: re.Match[str], text: str, pub: date | None) -> _Cand | None:
    return _Cand(m.start(), m.end(), f"{m['year']}-{MONTHS[m['mon'].casefold()]:02d}")


def _numeric(m: re.Match[str], text: str, pub: date | None) -> _Cand | None:
    """ISO Y-M-D, dotted D.M.Y, and slashed M/D/Y (D/M/Y when the first part exceeds 12)."""
    if m["year"]:
        d = _safe_date(int(m["year"]), int(m["m"]), int(m["d"]))
    elif m["y2"]:
        d = _safe_date(int(m["y2"]), int(m["m2"]), int(m["d2"]))
    else:
        a, b, year = int(m["a"]), int(m["b"]), int(m["y3"])
        d = _safe_date(year, a, b) if a <= 12 else _safe_date(year, b, a)
    return _Cand(m.start(), m.end(), d.isoformat()) if d else None


def _bare_year(m: re.Match[str], text: str, pub: date | None) -> _Cand | None:
    year = int(m["year"])
    guarded = bool(_GUARD.search(text, max(0, m.start() - 12), m.start()))
    if not (1900 <= year <= 2099 or (1000 <= year < 1900 and guarded)):
        return None
    if year % 10 == 0 and _DECADE_S.match(text, m.end()):
        return None
    return None if year_counts(text, m.start(), m.end()) else _Cand(m.start(), m.end(), m["year"])


def year_counts(text: str, start: int, end: int) -> bool:
    """True when the 4-digit number at text[start:end] counts something, so is no year.

    Hedged or priced ("about 2000", "$2000"), followed by a unit or "%" ("2013 hours"),
    a house number ("2088 Philip Street"), or a round hundred before a plural noun
    ("2000 people"; "2024 elections" stays a year).
    """
    if _HEDGE_BEFORE.search(text, max(0, start - 16), start) or _COUNTED_AFTER.match(text, end):
        return True
    return int(text[start:end]) % 100 == 0 and bool(_PLURAL_AFTER.match(text, end))


def _month_rel(m: re.Match[str], text: str, pub: date | None) -> _Cand | None:
    """A month without a day: only after a preposition or last/next/this."""
    month = MONTHS[m["mon"].casefold()]
    rel, rel2 = (m["rel"] or "").casefold(), (m["rel2"] or "").casefold()
    start = m.start() if rel else m.start("mon")
    if text[m.end() : m.end() + 4].strip()[:1].isdigit():
        return None
    if not (rel or rel2 or _GUARD.search(text, max(0, start - 12), start)):
        return None
    if pub is None:
        return _Cand(start, m.end(), None)
    if rel2:
        year = pub.year + {"this": 0, "last": -1, "next": 1}[rel2]
    elif rel in ("last", "next"):
        year = pub.year - (month >= pub.month) if rel == "last" else pub.year + (month <= pub.month)
    else:
        return _Cand(start, m.end(), _nearest_month(pub, month))
    return _Cand(start, m.end(), f"{year:04d}-{month:02d}")


def _weekday(m: re.Match[str], text: str, pub: date | None) -> _Cand | None:
    if pub is None:
        return _Cand(m.start(), m.end(), None)
    rel = " ".join((m["rel"] or "").casefold().split())
    back = (pub.weekday() - WEEKDAYS.index(m["wd"].casefold())) % 7
    if not rel and _future_clause(text, m.start()):
        return _Cand(m.start(), m.end(), (pub + timedelta(days=(-back) % 7 or 7)).isoformat())
    if rel in ("next", "this", "this coming"):
        ahead = (-back) % 7 or (7 if rel == "next" else 0)
        return _Cand(m.start(), m.end(), (pub + timedelta(days=ahead)).isoformat())
    back = 7 if rel == "last" and back == 0 else back
    return _Cand(m.start(), m.end(), (pub - timedelta(days=back)).isoformat())


def _future_clause(text: str, start: int) -> bool:
    """True when the clause ending at `start` speaks of the future ("will meet on").

    A bare weekday in news is the past week's ("met on Monday") unless its own clause
    is in the future tense; the clause starts at the last punctuation mark, so in
    "Talks will resume, he said on Monday" the "will" belongs to another clause.
    """
    clause = _CLAUSE_START.split(text[max(0, start - 160) : start])[-1]
    return _FUTURE.search(clause) is not None


def _rel_day(m: re.Match[str], text: str, pub: date | None) -> _Cand | None:
    word = " ".join(m["w"].casefold().split())
    if word == "today" and m["w"][0].isupper() and _after_name(text, m.start()):
        return None  # "USA Today" is a newspaper
    if pub is None:
        return _Cand(m.start(), m.end(), None)
    shift = {"yesterday": -1, "last night": -1, "tomorrow": 1}.get(word, 0)
    return _Cand(m.start(), m.end(), (pub + timedelta(days=shift)).isoformat())


def _after_name(text: str, start: int) -> bool:
    """True when a capitalised word, not opening a sentence, comes right before `start`."""
    before = text[max(0, start - 40) : start]
    word = re.search(r"(\S+)\s+$", before)
    if not word or not word[1][0].isupper() or not word[1][-1].isalpha():
        return False
    return not _SENTENCE_START.search(before[: word.start(1)])


def _rel_period(m: re.Match[str], text: str, pub: date | None) -> _Cand | None:
    if _THE_BEFORE.search(text, max(0, m.start() - 5), m.start()):
        return None  # "over the last year" is a span of time, not a date
    shift = {"last": -1, "this": 0, "next": 1}[m["rel"].casefold()]
    per = m["per"]
    if pub is None or per == "week":
        return _Cand(m.start(), m.end(), None)
    value = f"{pub.year + shift:04d}" if per == "year" else _shift_month(pub, shift)
    return _Cand(m.start(), m.end(), value)


def _ago(m: re.Match[str], text: str, pub: date | None) -> _Cand | None:
    n, per = _small_number(m["n"]), m["per"]
    if pub is None or per == "week":
        return _Cand(m.start(), m.end(), None)
    if per == "day":
        return _Cand(m.start(), m.end(), (pub - timedelta(days=n)).isoformat())
    value = _shift_month(pub, -n) if per == "month" else f"{pub.year - n:04d}"
    return _Cand(m.start(), m.end(), value)


_HANDLERS: list[tuple[re.Pattern[str], _Handler]] = [
    (_MDY, _full_date), (_DMY, _full_date), (_MY, _month_year), (_NUMERIC, _numeric),
    (_BARE_YEAR, _bare_year), (_MONTH_REL, _month_rel), (_WEEKDAY, _weekday),
    (_REL_DAY, _rel_day), (_REL_PERIOD, _rel_period), (_AGO, _ago),
]  # fmt: skip
_NEEDLES = {_AGO: ("ago", "AGO")}


# ---------------------------------------------------------------- spaCy + dateparser


def _veto_cardinals(cands: list[_Cand], doc: Any) -> list[_Cand]:
    """Drop bare-year candidates that spaCy reads as a count ("2000" CARDINAL)."""
    counts = {(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("CARDINAL", "QUANTITY")}
    return [c for c in cands if not (c.end - c.start == 4 and (c.start, c.end) in counts)]


def _entity_candidates(text: str, pub: date | None, doc: Any, known: list[_Cand]) -> list[_Cand]:
    """spaCy DATE entities that name a month and that no regex matched.

    A bare month ("his October trial") is kept with value None: without a preposition
    the year is a guess. One with digits goes to dateparser (cached); spans naming no
    month ("this season", "the 1990s", "33") are durations, ages or vague and skipped.
    """
    out: list[_Cand] = []
    for ent in doc.ents:
        start, end = ent.start_char, ent.end_char
        if ent.label_ != "DATE" or any(c.start < end and start < c.end for c in known):
            continue
        span = text[start:end].strip()
        words = re.findall(r"[A-Za-z]+", span)
        if not any(w[0].isupper() and w.casefold() in MONTHS for w in words):
            continue
        start += text[start:end].find(span)
        digits = any(ch.isdigit() for ch in span)
        if len(words) == 1 and not digits:
            out.append(_Cand(start, start + len(span), None))
        elif digits and (parsed := _dateparser_value(span, pub)):
            out.append(_Cand(start, start + len(span), parsed[0]))
    return out


@lru_cache(maxsize=8192)
def _dateparser_value(span: str, pub: date | None) -> tuple[str | None] | None:
    """(value,) for a span dateparser reads as a day, month or year; None if it cannot."""
    try:
        data = _parser(pub).get_date_data(span)
    except (ValueError, TypeError, OverflowError):
        return None
    when, period, parts = data.date_obj, data.period, set(getattr(data, "parts", ()) or ())
    if when is None or period not in ("day", "month", "year"):
        return None
    if "year" not in parts:  # dateparser filled the year in from its base: ours is better
        if period != "day" or not {"month", "day"} <= parts:
            return (None,)
        if pub is None:
            return (f"--{when.month:02d}-{when.day:02d}",)
        return (_iso(_nearest(pub, when.month, when.day)),)
    formats = {"year": "%Y", "month": "%Y-%m", "day": "%Y-%m-%d"}
    return (f"{when.year:04d}{when.strftime(formats[period])[4:]}",)


@lru_cache(maxsize=64)
def _parser(pub: date | None) -> Any:
    from dateparser.date import DateDataParser

    base = datetime.combine(pub or date(2000, 6, 15), datetime.min.time())
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "RETURN_TIME_AS_PERIOD": True}
    return DateDataParser(languages=["en"], settings=settings)
