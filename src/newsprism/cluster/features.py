"""What clustering compares: content terms, entities, a time, and the article vector.

Terms come from the stored title and text with a small regex tokeniser and a light
suffix stemmer rather than from spaCy, because clustering must not depend on which
tokens the analysis stage chose to keep, and re-parsing would cost more than the rest
of clustering together. Numbers stay whole ("128,000", "1.2") because reports of two
different weekly figures or two death tolls are told apart by exactly those.

Entities are keyed by their lower-cased canonical name, whatever type spaCy gave them
(it tags a bare "Trump" ORG as often as PERSON, GUIDE.md §4), and share the term
vocabulary with an ``e:`` prefix, so one document-frequency table serves both.

Frames are the analysis stage's verb-subject and verb-object pairs from the headline
and the lead ("twitter bans", "bans jones"), stemmed like terms and keyed ``f:``: a
report's first lines say who did what, and two events of one kind differ there
("facebook bans"). Pairs with a function word or a reporting verb ("said") are dropped.

Figures are the analysis stage's quantities with what they measure ("26 pirates",
"a 6.1 magnitude", "$984 billion"), keyed ``q:kind:unit:value``: two reports of one
event repeat its figures, while two events of one kind (two quakes, two weekly jobless
counts) share the words and differ exactly there. Bare numbers without a unit are left
out: "2" alone says nothing about what it counts.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import numpy as np

ENTITY_TYPES = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT")
QUANTITY_KINDS = ("count", "money", "percent", "duration", "age")  # not bare "number"
TITLE_WEIGHT = 2  # a headline term counts twice: the headline names the event
DATELINE_CHARS = 300  # a date this close to the top is a dateline, not history

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*%?|[^\W\d_]+(?:['’][^\W\d_]+)?")
# Function words and newsroom boilerplate. Our own short list: importing spaCy's would
# cost 250 MB and two seconds in a stage that never parses anything.
_STOP_TEXT = """a about above after again against ago all almost along already also although am
    among
    an and another any anyone anything are around as at back be became because become been
    before being below between both but by came can cannot could did do does doing done down
    during each either else even ever every few first for from further get gets got had has
    have having he her here hers herself him himself his how however i if in into is it its
    itself just last least less like made make many may me might more most much must my
    myself near never next no nor not now of off on once one only onto or other others our
    ours ourselves out over own per perhaps put quite rather really said same say saying says
    see seem seemed several she should show since so some something still such than that the
    their theirs them themselves then there these they this those though three through thus
    to together too told took toward two under until up upon us used very via was we well
    were what whatever when where whether which while who whom whose why will with within
    without would yet you your yours yourself also according reported report reports reuters
    ap afp mr mrs ms new year years week weeks day days time including told news"""
_STOP = frozenset(_STOP_TEXT.split())
_SIBILANT = ("ses", "xes", "zes")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light, consistent stemmer: plural, -ed and -ing off, then any final e, so that
    quake/quakes, hire/hired/hiring and fire/fired each meet in one form. Cheap to run;
    the forms need not be words, only agree."""
    if len(word) <= 3:
        return word
    if word.endswith("ies"):
        word = word[:-3] + "y"
    elif word.endswith("sses") or word.endswith(("ches", "shes")) or word[-3:] in _SIBILANT:
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]  # stopped -> stop, running -> run
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """Content terms of a text: lower-cased, stop words dropped, stemmed, numbers whole."""
    out = []
    for match in _TOKEN.finditer(text.lower()):
        word = match.group(0)
        if word[0].isdigit():
            if len(word) > 1 or word.endswith("%"):
                out.append(word.rstrip(".,"))
            continue
        word = word.replace("’", "'").split("'")[0]
        if len(word) > 1 and word not in _STOP:
            out.append(stem(word))
    return out


def content_terms(title: str | None, text: str) -> Counter[str]:
    """Term counts of an article; headline terms weigh `TITLE_WEIGHT` times."""
    counts = Counter(tokens(text))
    if title:
        for term in tokens(title):
            counts[term] += TITLE_WEIGHT
    return counts


def entity_term(name: str) -> str:
    """The vocabulary entry of a canonical entity name."""
    return "e:" + " ".join(name.lower().split())


def quantity_term(kind: str, unit: str | None, value: float) -> str:
    """The vocabulary entry of a figure: what it measures and its value, so "26
    pirates" and "twenty-six pirates" meet and "23 pirates" does not."""
    return f"q:{kind}:{unit or ''}:{value:g}"


def frame_term(kind: str, verb: str, arg: str) -> str | None:
    """The vocabulary entry of an event frame, or None when either word is a stop word
    ("said", "told", "it"): those pair with anything and tell no event apart."""
    verb, arg = verb.lower(), arg.lower()
    if verb in _STOP or arg in _STOP:
        return None
    if kind == "subject":
        return f"f:s:{stem(arg)}:{stem(verb)}"
    return f"f:o:{stem(verb)}:{stem(arg)}"


def day_of(value: str | None) -> int | None:
    """Ordinal day of an ISO date or timestamp (`None` when absent or partial)."""
    if not value:
        return None
    match = _ISO_DAY.match(value.strip())
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3])).toordinal()
    except ValueError:
        return None


@dataclass(slots=True)
class Features:
    """One article as the scorer sees it.

    `term_ids`/`term_tf` are sorted vocabulary ids and their counts; `entity_ids`,
    `quantity_ids` and `frame_ids` are vocabulary ids of ``e:``, ``q:`` and ``f:``
    entries (sorted, unique);
    `day` is the ordinal publication day when known (or a dateline date), else None;
    `vector` the stored article vector.
    """

    node: int
    key: str
    vector: np.ndarray
    term_ids: np.ndarray
    term_tf: np.ndarray
    entity_ids: np.ndarray
    day: int | None
    story: str | None = None
    density: float | None = None  # mean of its best pair scores when it was clustered
    quantity_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    frame_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))


def pack_terms(ids: np.ndarray, tf: np.ndarray) -> bytes:
    """Serialise sorted term ids (int32) followed by their counts (float32)."""
    return np.asarray(ids, np.int32).tobytes() + np.asarray(tf, np.float32).tobytes()


def unpack_terms(blob: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Inverse of `pack_terms`."""
    half = len(blob) // 2
    return np.frombuffer(blob[:half], np.int32), np.frombuffer(blob[half:], np.float32)


def pack_ids(ids: np.ndarray) -> bytes:
    return np.asarray(ids, np.int32).tobytes()


def unpack_ids(blob: bytes | None) -> np.ndarray:
    return np.frombuffer(blob or b"", np.int32)
