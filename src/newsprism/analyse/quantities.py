"""Numbers with their meaning: durations, money, percentages, counts, ages.

Corroboration decides numeric contradictions from these records ("three-hour talks" vs
"more than three hours"), so extraction favours precision: a number whose meaning is
unclear is left out rather than guessed. Pure text rules, no model, so any text can be
read, parsed by spaCy or not.

Kinds and units:

- `money`: value in currency units, unit an ISO code. "$" is read as USD and "¥" as JPY
  (the common cases in English news); "pounds" needs a scale word or "sterling" (else it
  may be a weight). `percent`: unit "%", or "percentage point".
- `duration`: value in the unit written (second ... century); "half an hour" is 0.5 hour.
  A span counted back from publication ("three days ago") is a date, not a duration.
- `age`: "five-year-old", "33 years old", "aged 33": unit year (or month, week, day),
  kept apart from durations so an age never contradicts the length of a deal.
- `count`: a number before a counted noun, unit the noun's singular ("1,200 people" ->
  people, "three soldiers" -> soldier, "one person" -> people).
- `number`: any other number.

Dates (masked with `dates.date_spans`), times of day, ordinals, fractions, scores,
identifiers and names ("3-2", "24/7", "G20", "Flight 370", "Formula One") and a bare "one"
(mostly a pronoun) are not quantities. A range ("two to three hours", "$2-3 million") is
one quantity with qualifier "between": `value` is its low end, `bounds` gives both. "m"
after a bare number means million, as in British news ("3.5m people"), except before
measurement words ("a 100m sprint").
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from ..models import Quantity
from .dates import MONTHS, SMALL_NUMBERS, WEEKDAYS, date_spans

__all__ = ["DURATION_SECONDS", "HEDGE_TOLERANCE", "bounds", "compatible", "extract_quantities",
           "singular"]  # fmt: skip

SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
ABBREVIATED_SCALES = {"k": 1e3, "m": 1e6, "mn": 1e6, "b": 1e9, "bn": 1e9, "tn": 1e12, "trn": 1e12}
DURATION_SECONDS = {
    "second": 1.0, "minute": 60.0, "hour": 3600.0, "day": 86400.0, "week": 604800.0,
    "month": 31557600.0 / 12, "year": 31557600.0, "decade": 315576000.0, "century": 3155760000.0,
}  # fmt: skip
CURRENCY_SYMBOLS = {
    "$": "USD", "us$": "USD", "u.s.$": "USD", "a$": "AUD", "au$": "AUD", "c$": "CAD",
    "ca$": "CAD", "nz$": "NZD", "hk$": "HKD", "s$": "SGD", "r$": "BRL", "€": "EUR",
    "£": "GBP", "¥": "JPY", "₹": "INR", "₽": "RUB", "rs": "INR", "rs.": "INR",
}  # fmt: skip
CURRENCY_CODES = ("USD", "EUR", "GBP", "JPY", "CHF", "CNY", "INR", "RUB", "AUD", "CAD")
# The last eight say whose dollars: "Canadian dollars" -> CAD.
CURRENCY_WORDS = {
    "dollar": "USD", "euro": "EUR", "pound": "GBP", "sterling": "GBP", "yen": "JPY",
    "yuan": "CNY", "renminbi": "CNY", "rupee": "INR", "rouble": "RUB", "ruble": "RUB",
    "franc": "CHF", "us": "USD", "u.s.": "USD", "american": "USD", "australian": "AUD",
    "canadian": "CAD", "hong kong": "HKD", "singapore": "SGD", "new zealand": "NZD",
}  # fmt: skip
QUALIFIERS = {
    "no more than": "up to", "more than": "more than", "over": "over", "at least": "at least",
    "about": "about", "around": "around", "roughly": "roughly", "approximately": "approximately",
    "approx.": "approximately", "nearly": "nearly", "almost": "almost", "up to": "up to",
    "less than": "less than", "fewer than": "less than", "under": "under", "some": "some",
    "as many as": "up to", "at most": "up to", "an estimated": "about", "estimated": "about",
    "close to": "nearly", "just over": "over", "well over": "over", "just under": "under",
    "upwards of": "more than", "in excess of": "more than",
}  # fmt: skip
HEDGE_TOLERANCE = 0.10  # relative half-width a hedge allows: "about 100" covers 90..110
_HEDGED = {"about", "around", "roughly", "approximately", "some"}
_LOWER_BOUNDS, _UPPER_BOUNDS = {"more than", "over", "at least"}, {"less than", "under", "up to"}
_CALENDAR = frozenset(MONTHS) | frozenset(WEEKDAYS)
_F = re.IGNORECASE


def _alt(words: Iterable[str]) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


_ONES = [w for w, v in SMALL_NUMBERS.items() if v < 20]
_BIG = _alt(SCALES)
_TENS = _alt(w for w in SMALL_NUMBERS if w not in _ONES)
_SUB100 = rf"(?:(?:{_TENS})(?:[-\s](?:{_alt(_ONES[1:10])}))?|{_alt(_ONES)})"
_SUB1000 = rf"(?:(?:{_SUB100}|an?)[\s-]hundred(?:\s+(?:and\s+)?{_SUB100})?|{_SUB100})"
_WORDNUM = (
    rf"(?:{_SUB1000}|an?(?=\s+(?:{_BIG}|dozen)\b))"
    rf"(?:\s+(?:{_BIG}|dozen)(?:,?\s+(?:and\s+)?{_SUB1000}(?:\s+(?:{_BIG}))?)?)?"
)
_ORDINAL = r"first|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|thirds?|quarters?|halves"
_DIGIT_CORE = (
    r"(?P<d>(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?)(?![,.]?[0-9])"
    rf"(?:\s*(?P<abbr>bn|mn|trn|tn|m|k|b)\b|(?:\s+|-)(?P<big>{_BIG})\b)?(?![\w])"
)
_WORD_CORE = rf"(?P<w>{_WORDNUM})(?![\w])(?!-(?:{_ORDINAL}|fold)\b)"
_CORE = re.compile(rf"(?<![\w.,/:#-]){_DIGIT_CORE}|(?<![\w-]){_WORD_CORE}", _F)
_CORE_AT = re.compile(rf"{_DIGIT_CORE}|{_WORD_CORE}", _F)  # a range's second number
_SYMBOLS = r"US\s?\$|U\.S\.\s?\$|A\$|AU\$|C\$|CA\$|NZ\$|HK\$|S\$|R\$|[$€£¥₹₽]"
_CURRENCY_PREFIX = re.compile(
    rf"(?:(?<![A-Za-z])(?P<sym>{_SYMBOLS})|\b(?P<code>Rs\.?|{'|'.join(CURRENCY_CODES)}))\s?$"
)
_CURRENCY_AGAIN = re.compile(rf"(?:{_SYMBOLS})\s?")
_QUALIFIER = re.compile(rf"\b(?P<q>{_alt(QUALIFIERS)}|between)\s+$", _F)
_RANGE_SEP = re.compile(r"\s*(?:-|–|—|to|and)\s*", _F)
_AND_HALF = re.compile(r"\s+and\s+a\s+half\b", _F)
_PERCENT = re.compile(r"\s?%|[\s-]per\s?cent\b|\s+(?P<pp>percentage\s+points?)\b", _F)
_UNIT = r"(?P<u>second|minute|hour|day|week|month|year|decade|century|centuries)"
_AGE = re.compile(rf"(?:\s?-\s?|\s+){_UNIT}s?(?:\s?-\s?|\s+)olds?\b", _F)
_DURATION = re.compile(rf"(?:\s?-\s?|\s+){_UNIT}s?\b(?!\s?-\s?old)(?!\s+(?:ago|from\s+now)\b)", _F)
_MONEY_WORD = re.compile(
    r"(?:\s+(?P<adj>us|u\.s\.|american|australian|canadian|hong\s+kong|singapore|new\s+zealand))?"
    r"(?:\s+|\s?-\s?)(?P<cw>dollars?|euros?|pounds?(?:\s+sterling)?|sterling|yen|yuan|renminbi"
    rf"|rupees?|roubles?|rubles?|francs?|{'|'.join(CURRENCY_CODES)})\b",
    _F,
)
_AGED = re.compile(r"\b(?:aged|ages?(?:\s+of)?)\s+$", _F)
_TIME = re.compile(
    r"\b[0-9]{1,2}(?::\s?[0-9]{2})?\s*(?:[ap]\.\s?m\.|[ap]m\b)|\b[0-9]{1,2}:\s?[0-9]{2}\b"
    r"|\b[0-9]{1,2}\s+o'clock\b|\b[0-9]{3,4}\s*(?:GMT|UTC|BST|CET|EST|EDT|PST|PDT)\b",
    _F,
)
_HALF = re.compile(
    rf"\b(?:half\s+an?\s+|an?\s+half[-\s]|half-){_UNIT}\b"
    r"|\ban?\s+(?P<u2>second|minute|hour|day|week|month|year)\s+and\s+a\s+half\b",
    _F,
)
_SENTENCE_START = re.compile(r"(?:^|[.!?\n\"“”'(:;]\s*)$")
_JOINED_BEFORE = re.compile(r"[0-9](?:\s?[-–/:]\s?|\s)$")
_JOINED_AFTER = re.compile(r"\s?[-–/:]\s?[0-9]|[-–/][A-Za-z]")
_SPLIT_GROUP = re.compile(r",\s0[0-9]{2}(?![0-9])")  # "13, 000": a tokeniser split one number
_NO_ONE = re.compile(r"\b(?:no|any|every|some)[\s-]+$", _F)
_PREV_WORD = re.compile(r"([A-Za-z][\w.]*)[^\S\n]+$")
_METRES = re.compile(r"\s+(?:tall|high|long|deep|wide|sprint|race|hurdles|freestyle)\b", _F)


@dataclass(slots=True)
class _Num:
    """A parsed number: span, value and how precisely it was written."""

    start: int
    end: int
    value: float
    precision: float  # half the last written unit: "3.5 million" -> 50,000
    words: bool
    scale: float = 1.0  # the scale word or abbreviation written, 1 if none
    abbr: str | None = None


def extract_quantities(text: str, doc: object | None = None) -> list[Quantity]:
    """Every quantity in `text`, sorted, non-overlapping, with exact offsets.

    `doc` is accepted for symmetry with the other extractors and ignored: the rules need
    no parse, so the stage can run them on texts spaCy never saw.
    """
    found = _half_durations(text)
    times = [(m.start(), m.end()) for m in _TIME.finditer(text)]
    blocked = sorted(date_spans(text) + times + [(q.start, q.end) for q in found])
    starts = [s for s, _ in blocked]
    cursor = 0
    for m in _CORE.finditer(text):
        if m.start() < cursor or _overlaps(blocked, starts, m.start(), m.end()):
            continue
        q = _read_quantity(text, m)
        if q is not None and q.start >= cursor and not _overlaps(blocked, starts, q.start, q.end):
            found.append(q)
            cursor = q.end
    return sorted(found, key=lambda q: q.start)


def _overlaps(spans: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    """Whether start..end meets a blocked span; they are short and nearly disjoint."""
    i = bisect_right(starts, end - 1)
    return any(s < end and start < e for s, e in spans[max(0, i - 4) : i])


def _half_durations(text: str) -> list[Quantity]:
    """ "half an hour", "a half-hour", "an hour and a half": no digit or number word."""
    out = []
    for m in _HALF.finditer(text):
        value = 1.5 if m[0].casefold().endswith("half") else 0.5
        out.append(Quantity(m.start(), m.end(), m[0], "duration", value, _unit(m["u"] or m["u2"])))
    return out


def _unit(word: str) -> str:
    key = word.casefold()
    return "century" if key.startswith("centur") else key.rstrip("s")


# ---------------------------------------------------------------- reading one quantity


def _read_quantity(text: str, m: re.Match[str]) -> Quantity | None:
    """The quantity whose number is `m`, with its hedge, currency, range and unit."""
    num = _parse_core(m)
    if num is None or _name_like(text, num):
        return None
    cur, start = _currency_before(text, num.start)
    qm = _QUALIFIER.search(text, max(0, start - 20), start)
    qual = QUALIFIERS.get(" ".join(qm["q"].casefold().split())) if qm else None
    high = _range_after(text, num, cur, bool(qm) and qual is None)
    if qm and (qual or high):
        start = qm.start()
    last, half = high or num, 0.0
    if high is None and (h := _AND_HALF.match(text, num.end)) and _DURATION.match(text, h.end()):
        half, last = 0.5, _Num(num.start, h.end(), num.value, 0.0, num.words)
    kind, unit, end = _tail(text, last, cur, bool(_AGED.search(text, max(0, start - 7), start)))
    if not _plausible(text, num, last, kind, qual):
        return None
    qual = "between" if high else qual
    return Quantity(start, end, text[start:end], kind, num.value + half, unit, qual)


def _parse_core(m: re.Match[str]) -> _Num | None:
    if m["w"]:
        parsed = _word_value(m["w"])
        if parsed is None:
            return None
        value, scale = parsed
        return _Num(m.start(), m.end(), value, scale / 2 if scale > 1 else 0.0, True, scale)
    digits = m["d"].replace(",", "")
    abbr = (m["abbr"] or "").casefold() or None
    scale = SCALES.get((m["big"] or "").casefold()) or ABBREVIATED_SCALES.get(abbr or "", 1.0)
    decimals = len(digits.partition(".")[2])
    precision = 0.5 * 10.0**-decimals * scale if scale > 1 else 0.0
    return _Num(m.start(), m.end(), float(digits) * scale, precision, False, scale, abbr)


def _word_value(words: str) -> tuple[float, float] | None:
    """(value, smallest scale word used or 1) of "two hundred and fifty", "a million"."""
    total, current, smallest = 0.0, 0.0, 1.0
    for token in re.findall(r"[^\W\d_]+", words.casefold()):
        if token in SCALES:
            total, current = total + max(current, 1.0) * SCALES[token], 0.0
            smallest = min(smallest, SCALES[token]) if smallest > 1 else SCALES[token]
        elif token in ("hundred", "dozen"):
            current = max(current, 1.0) * (100 if token == "hundred" else 12)
        elif token in SMALL_NUMBERS or token in ("a", "an"):
            current += SMALL_NUMBERS.get(token, 1)
        elif token != "and":
            return None
    return total + current, 1.0 if current and smallest > 1 else smallest


def _name_like(text: str, num: _Num) -> bool:
    """Numbers inside names, identifiers, scores and codes.

    "Formula One", "Flight 370", "Boeing 737", the second half of "3-2" or "9/11",
    "no one", and digit strings with a leading zero ("0845 125", "08").
    """
    if _JOINED_BEFORE.search(text, max(0, num.start - 4), num.start):
        return True
    if num.words:
        if num.value == 1 and _NO_ONE.search(text, max(0, num.start - 8), num.start):
            return True
        return text[num.start].isupper() and not _sentence_start(text, num.start)
    if text[num.start] == "0" and text[num.start + 1 : num.start + 2].isdigit():
        return True
    if _SPLIT_GROUP.match(text, num.end):
        return True
    word = _PREV_WORD.search(text, max(0, num.start - 30), num.start)
    if not word or not word[1][0].isupper() or word[1] in CURRENCY_CODES:
        return False
    key = word[1].casefold().rstrip(".")
    if key in _CALENDAR or key in QUALIFIERS or key == "rs":
        return False
    return not _sentence_start(text, word.start(1))


def _sentence_start(text: str, pos: int) -> bool:
    return bool(_SENTENCE_START.search(text, max(0, pos - 10), pos))


def _currency_before(text: str, start: int) -> tuple[str | None, int]:
    m = _CURRENCY_PREFIX.search(text, max(0, start - 8), start)
    if not m:
        return None, start
    key = re.sub(r"\s", "", (m["sym"] or m["code"]).casefold())
    return CURRENCY_SYMBOLS.get(key) or key.upper(), m.start()


def _range_after(text: str, num: _Num, cur: str | None, between: bool) -> _Num | None:
    """The high end of "2-3 days", "two to three hours", "between 5 and 10", "$2-3 million".

    A dash between bare numbers is a score or an identifier ("3-2", "9-11"), so a range
    needs "between", a currency or a unit after it. A high end with a scale word lends
    it to the low end ("$2-3 million" is 2 to 3 million).
    """
    r = _RANGE_SEP.match(text, num.end)
    sep = r[0].strip().casefold() if r else ""
    if not r or (sep == "and" and not between):
        return None
    pos = again.end() if cur and (again := _CURRENCY_AGAIN.match(text, r.end())) else r.end()
    m2 = _CORE_AT.match(text, pos)
    high = _parse_core(m2) if m2 else None
    if high is None or high.words != num.words:
        return None
    kind = _tail(text, high, cur, False)[0]
    unit_after = kind in ("percent", "duration", "age", "money") or (sep, kind) == ("to", "count")
    if not (between or cur or unit_after):
        return None
    scale = high.scale if high.scale > 1 and num.scale == 1 else 1.0
    if high.value <= num.value * scale:
        return None
    num.value, num.precision = num.value * scale, num.precision * scale
    return high


def _tail(text: str, last: _Num, cur: str | None, aged: bool) -> tuple[str, str | None, int]:
    """(kind, unit, end) from what follows the number (ending at `last.end`)."""
    pos = last.end
    if cur:
        return "money", cur, pos
    mw = _MONEY_WORD.match(text, pos)
    word = mw["cw"].casefold() if mw else ""
    if mw and (not word.startswith("pound") or "sterling" in word or last.scale > 1):
        adj = " ".join((mw["adj"] or "").casefold().split())
        key = adj if adj and word.startswith("dollar") else word.split()[0].rstrip("s")
        return "money", CURRENCY_WORDS.get(key) or key.upper(), mw.end()
    if p := _PERCENT.match(text, pos):
        return "percent", "percentage point" if p["pp"] else "%", p.end()
    if a := _AGE.match(text, pos):
        return "age", _unit(a["u"]), a.end()
    if aged:
        return "age", "year", pos
    if d := _DURATION.match(text, pos):
        return "duration", _unit(d["u"]), d.end()
    if noun := _counted_noun(text, pos):
        return "count", noun[0], noun[1]
    return "number", None, pos


def _plausible(text: str, num: _Num, last: _Num, kind: str, qual: str | None) -> bool:
    """Filters for readings that are more often wrong than right."""
    glued = num.abbr and kind != "money"  # "5b", "a 100m sprint": not billions or millions
    if glued and (num.abbr == "b" or kind != "count" or _METRES.match(text, last.end)):
        return False
    if num.words and kind == "number" and qual is None and num.value == 1 and last is num:
        return False  # "an interesting one", "one of them"
    return not (kind == "number" and _JOINED_AFTER.match(text, last.end))


# ---------------------------------------------------------------- counted nouns

_STOP = frozenset(
    """of to in on at by for from with as than and or but nor so yet the a an that this these
    those which who whom whose what when where while if because after before since until per
    each every more less most least other others times time is are was were be been being am
    has have had do does did will would shall should can could may might must said says say
    told also only just still even not no all both either neither out up down off over under
    about into onto through against between among during without within via it its he she
    they them we you i his her their our your my me us him there here then now ago later
    earlier again away back apiece instead such too very much many few several some any
    another same own pm am vs versus else late early""".split()  # noqa: SIM905
)
_MODIFIERS = frozenset(
    """more other additional further new separate different major key top senior young small
    large big former current main previous straight consecutive remaining total extra full
    whole single individual local foreign armed unarmed innocent suspected alleged confirmed
    known reported fellow fewer old elderly dead injured wounded missing""".split()  # noqa: SIM905
)
_ADJ_SUFFIXES = ("ed", "al", "ian", "ish", "ese", "ive", "ous", "ful", "ic", "ing", "ary", "ern",
                 "less", "ent", "ant", "able", "ible")  # fmt: skip
_IRREGULAR = {
    "people": "people", "persons": "people", "person": "people", "children": "child",
    "men": "man", "women": "woman", "feet": "foot", "teeth": "tooth", "lives": "life",
    "wives": "wife", "thieves": "thief", "crises": "crisis", "analyses": "analysis",
    "criteria": "criterion", "heroes": "hero", "vetoes": "veto", "buses": "bus", "gases": "gas",
    "viruses": "virus", "bonuses": "bonus", "campuses": "campus", "statuses": "status",
}  # fmt: skip
_KEEP_S = ("ss", "us", "is", "species", "series", "news", "police")
_COUNT_WORD = re.compile(r"[^\S\n]+([A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z])")


def _counted_noun(text: str, pos: int) -> tuple[str, int] | None:
    """(singular noun, end) of "1,200 people", "three armed men", "two police officers".

    Up to two modifiers may precede the noun, and a noun followed by a plural noun is
    read as a compound ("police officers", "security guards") whose head is the last.
    """
    words: list[re.Match[str]] = []
    while len(words) < 4 and (w := _COUNT_WORD.match(text, words[-1].end() if words else pos)):
        words.append(w)
    texts = [w[1] for w in words]
    if len(texts) > 2 and _is_modifier(texts[0]) and _is_modifier(texts[1]) and _is_noun(texts[2]):
        i = 2
    elif len(texts) > 1 and _is_modifier(texts[0]) and _is_noun(texts[1]):
        i = 1
    elif texts and _is_noun(texts[0]):
        i = 0
    else:
        return None
    if i + 1 < len(texts) and _is_noun(texts[i + 1]) and _is_plural(texts[i + 1]):
        i += 1
    return singular(texts[i]), words[i].end()


def _is_plural(word: str) -> bool:
    return singular(word) != word.casefold() or word.casefold() in ("people", "police")


def _is_noun(word: str) -> bool:
    key = word.casefold()
    if word[0].isupper():  # "300 Americans"
        return word[1:].islower() and key.endswith("s") and not key.endswith("ss")
    if key in _IRREGULAR:
        return True
    return key not in _STOP and len(key) > 1 and not key.endswith(("ly", "ed", "ing", "'s", "’s"))


def _is_modifier(word: str) -> bool:
    key = word.casefold()
    if word[0].isupper():  # "three Russian soldiers"
        return key not in _STOP and key not in _CALENDAR and not key.endswith("s")
    return key in _MODIFIERS or (key not in _STOP and key.endswith(_ADJ_SUFFIXES))


def singular(noun: str) -> str:
    """A plural noun's singular by English spelling rules ("casualties" -> "casualty").

    "people"/"persons"/"person" all become "people" so counts of them compare.
    """
    key = noun.casefold()
    if key in _IRREGULAR or key.endswith("children"):
        return _IRREGULAR.get(key) or key[:-3]
    if key.endswith(_KEEP_S) or not key.endswith("s") or len(key) < 3:
        return key
    if key.endswith("ies") and len(key) > 4:
        return key[:-3] + "y"
    return key[:-2] if key.endswith(("sses", "shes", "ches", "xes", "zes")) else key[:-1]


# ---------------------------------------------------------------- comparing quantities

_CALENDAR_UNITS = frozenset({"month", "year", "decade", "century"})
_CONVERSION_SLACK = 0.03  # days <-> months/years: a month is 28-31 days


def bounds(q: Quantity) -> tuple[float, float]:
    """The interval of values `q` allows, in `q.unit`.

    A plain number is exact, except that one written with a scale word is read as rounded
    to its last written digit ("3.5 million" covers 3.45-3.55 million). "about",
    "around", "roughly", "approximately" and "some" widen it by HEDGE_TOLERANCE (10%)
    each way; "nearly"/"almost" cover the 10% below; "more than", "over", "at least" have
    no upper end; "less than", "under", "up to" reach down to 0; a range spans its ends.
    """
    nums = [n for m in _CORE_AT.finditer(q.text) if (n := _parse_core(m))]
    precision = nums[0].precision if nums else 0.0
    v, qual, tol = q.value, q.qualifier, HEDGE_TOLERANCE
    if qual == "between" and len(nums) > 1:
        return v - precision, nums[-1].value + nums[-1].precision
    if qual in _HEDGED:
        return v * (1 - tol) - precision, v * (1 + tol) + precision
    if qual in ("nearly", "almost"):
        return v * (1 - tol) - precision, v + precision
    if qual in _LOWER_BOUNDS:
        return v - precision, math.inf
    return 0.0 if qual in _UPPER_BOUNDS else v - precision, v + precision


def compatible(a: Quantity, b: Quantity) -> bool | None:
    """Whether two quantities can both be true; None when they measure different things.

    Same kind and comparable unit required (durations and ages convert between units;
    money needs the same currency: no exchange rates; counts the same noun). The values
    agree when their `bounds` overlap, so "three-hour" and "more than three hours" agree,
    "three hours" and "two hours" do not, and "about 100" and "105" do. Precision first:
    only clearly disjoint intervals are a contradiction.
    """
    factors = _factors(a, b) if a.kind == b.kind else None
    if factors is None:
        return None
    (lo_a, hi_a), (lo_b, hi_b) = bounds(a), bounds(b)
    fa, fb = factors
    slack = _CONVERSION_SLACK if (a.unit in _CALENDAR_UNITS) != (b.unit in _CALENDAR_UNITS) else 0.0
    lo_a, hi_a = lo_a * fa * (1 - slack), hi_a * fa * (1 + slack)
    lo_b, hi_b = lo_b * fb * (1 - slack), hi_b * fb * (1 + slack)
    eps = 1e-9 * max(abs(a.value * fa), abs(b.value * fb), 1.0)
    return lo_a <= hi_b + eps and lo_b <= hi_a + eps


def _factors(a: Quantity, b: Quantity) -> tuple[float, float] | None:
    """Multipliers that bring both values to one unit, or None if units differ in kind."""
    if a.kind in ("duration", "age"):
        fa, fb = DURATION_SECONDS.get(a.unit or ""), DURATION_SECONDS.get(b.unit or "")
        return (fa, fb) if fa and fb else None
    if a.kind == "count":
        return (1.0, 1.0) if singular(a.unit or "") == singular(b.unit or "") else None
    return (1.0, 1.0) if a.unit == b.unit else None
