"""Whether two clashing values are values of the same thing (issue 12, false alarms).

`compare.same_subject` links two values by the words around them ("yards", "served");
on real sports, court and crime stories that often joins values of different things.
Each rule here is a reason a careful reader gives for "these do not contradict":

- **another subject is named next to each value**: "the Orioles have offered ... $140
  million" / "the Red Sox ... $184 million", "Clark ... with 12 minutes remaining" /
  "Ratliff ... with 4 minutes 48 seconds remaining": the nearest person, team or body
  before each value (not one both sentences name: Teixeira gets both offers) differs;
- **an offset is not a length**: "18 hours earlier" / "hung with Creighton for about 30
  minutes", "take effect in about 30 days" / "nine days before the inauguration";
- **the day something was said is not the day it happened**: "exploded late Friday" /
  "officials said Saturday", "shot ... on Friday" / "the medical examiner said Sunday";
- **both numbers stated on both sides**: "shooting three people, killing one" / "shot to
  death one person and injured two others": each outlet gives the other's number too,
  for another part of the event (the shot and the dead);
- **not a person**: a title alone ("Sheriff's deputies") or a demonym ("a New
  Zealander") read as a person's name.
"""

from __future__ import annotations

import re

from ..analyse.dates import SMALL_NUMBERS
from ..analyse.entities import TITLE_NOUNS, fold
from ..analyse.roles import ROLE_MODIFIERS
from ..lexicon import wordset
from .facts import Fact
from .places import Gazetteer
from .slots import SlotValue
from .verdict import same_name

SUBJECT_TYPES = frozenset({"PERSON", "ORG", "NORP", "GPE"})  # who a statistic is of
QUANTITY_KINDS = frozenset({"count", "amount", "percent", "duration", "magnitude"})
# where a value's own clause starts: what is named before it there is what it is of
_CLAUSE_START = re.compile(r"[;:()\[\]—–]|\.\s|\s(?:but|while|whereas|when)\s")
# "18 hours earlier", "four minutes 48 seconds remaining", "nine days before ..."
_OFFSET_AFTER = re.compile(
    r"^(?:,?\s*(?:and\s+)?\d[\d.,]*\s+[a-z]+)?\s*(before|after|earlier|later|ago|prior|"
    r"remaining|left|from\s+now|into|since)\b",
    re.I,
)
_OFFSET_BEFORE = re.compile(r"\b(?:in|within|after)\s*$", re.I)  # "take effect in 30 days"
# a date right after a verb of saying dates the statement, not the event it reports
_SAID_BEFORE = re.compile(
    r"(?i)\b(?:said|says|told|announced|reported|confirmed|stated|added|declared|wrote|"
    r"tweeted|statement|expressed\s+\w+|(?:a|the)\s+news\s+conference)\s+(?:on\s+)?"
    r"(?:late\s+|early\s+)?$"
)
# a number as written, thousands groups included even when a tokeniser spaced them
# ("1, 500" is 1500, not a 500 that another outlet's "500 kilometers" could match)
_NUMBER = re.compile(r"\d{1,3}(?:,\s?\d{3}(?!\d))+(?:\.\d+)?|\d+(?:\.\d+)?|[a-z]+", re.I)
# "one" as a pronoun, not a number: "no one", "every one", "one of them", "one another"
_PRONOUN_ONE = re.compile(r"(?i)one(?=\s+(?:of|another)\b)")
_PRONOUN_BEFORE = re.compile(r"(?i)\b(?:no|any|every|some|each|the)\s+$")
# words that name an office, not its holder: "Sheriff's deputies" names no one
OFFICE_WORDS = wordset(
    "sheriff undersheriff deputy deputies officer officers police trooper detective "
    "sergeant inspector constable official officials authorities"
)
DEMONYM_ENDINGS = ("ers", "er", "ians", "ian", "ans", "an", "ese", "is", "i", "ish")


def anchor(s: SlotValue, f: Fact) -> str:
    """ "span" for a length ("for about 30 minutes"), else the word that makes the
    duration an offset from another moment ("earlier", "before", "in")."""
    after = _OFFSET_AFTER.match(f.text[s.end - f.start :])
    if after:
        return fold(after.group(1)).split()[0]
    if _OFFSET_BEFORE.search(f.text[: s.start - f.start]):
        return "in"
    return "span"


def said_date(s: SlotValue, f: Fact) -> bool:
    """Whether a date or weekday dates a statement ("officials said Saturday")."""
    return bool(_SAID_BEFORE.search(f.text[max(0, s.start - f.start - 40) : s.start - f.start]))


def subject_before(s: SlotValue, f: Fact, shared: set[str]) -> str | None:
    """The nearest named person, team or body before the value in its own clause that
    is not in `shared` (names both sentences give), or None."""
    head = f.text[: s.start - f.start]
    cut = max((m.end() for m in _CLAUSE_START.finditer(head)), default=0)
    names = [
        m
        for m in f.mentions
        if m.type in SUBJECT_TYPES
        and f.start + cut <= m.start
        and m.end <= s.start
        and not any(one_name(m.canonical, x) for x in shared)
    ]
    return max(names, key=lambda m: m.start).canonical if names else None


def one_name(x: str, y: str) -> bool:
    """Two names of one subject: `same_name`, and the last words agree too ("Andre
    Miller" and "Andre Iguodala" share a long word but are two players)."""
    lx, ly = fold(x).split()[-1:], fold(y).split()[-1:]
    return same_name(x, y) and bool(lx) and bool(ly) and same_name(lx[0], ly[0])


def _names(f: Fact) -> set[str]:
    return {m.canonical for m in f.mentions if m.type in SUBJECT_TYPES}


def different_subjects(a: SlotValue, fa: Fact, b: SlotValue, fb: Fact) -> bool:
    """Each value has its own named subject (`subject_before`), and they differ."""
    na, nb = _names(fa), _names(fb)
    shared = {x for x in na if any(one_name(x, y) for y in nb)}
    sa, sb = subject_before(a, fa, shared), subject_before(b, fb, shared)
    return sa is not None and sb is not None and not one_name(sa, sb)


def numbers_in(f: Fact, skip: SlotValue | None = None) -> set[float]:
    """Every number written in the fact, digits or words, outside the value `skip`."""
    out: set[float] = set()
    for m in _NUMBER.finditer(f.text):
        at = f.start + m.start()
        if skip is not None and skip.start <= at < skip.end:
            continue
        word = m.group(0).lower()
        if word == "one" and _pronoun(f.text, m.start()):
            continue
        if word in SMALL_NUMBERS:
            out.add(float(SMALL_NUMBERS[word]))
        elif word[0].isdigit():
            try:
                out.add(float(word.replace(",", "").replace(" ", "")))
            except ValueError:
                continue
    return out


def _pronoun(text: str, at: int) -> bool:
    """Whether the "one" at `at` is a pronoun ("no one", "one of them")."""
    return bool(_PRONOUN_ONE.match(text, at) or _PRONOUN_BEFORE.search(text[max(0, at - 8) : at]))


def both_stated(a: SlotValue, fa: Fact, b: SlotValue, fb: Fact) -> bool:
    """Each count's number is written in the other's sentence too (`numbers_in`)."""
    if a.kind != "count" or b.kind != "count" or a.quantity is None or b.quantity is None:
        return False
    return a.quantity.value in numbers_in(fb, b) or b.quantity.value in numbers_in(fa, a)


def not_a_name(text: str, places: Gazetteer | None) -> bool:
    """A person slot that names no one: titles alone ("Sheriff's"), or a demonym."""
    words = fold(re.sub(r"['’]s\b", "", text)).replace("-", " ").split()
    if words and all(w in TITLE_NOUNS or w in ROLE_MODIFIERS or w in OFFICE_WORDS for w in words):
        return True
    if places is None or not words:
        return False
    joined = " ".join(words)
    return any(
        joined.endswith(end) and places.regions(joined[: -len(end)].rstrip())
        for end in DEMONYM_ENDINGS
    )
