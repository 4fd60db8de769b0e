"""Cases of the contradiction probe (issue 12): one shared value changed in one article.

In a real multi-article event, a value two articles both state — a count (same number,
same noun), an amount (magnitude, money, percent), a duration, a month-day date, a
weekday, a person, a place — is changed in ONE article to a clearly different value of
the same kind, so a careful reader would call the two reports contradictory.

The case set must not depend on the code being measured, so values are found here with
spaCy's full English pipeline (NER, POS, lemmas) and regexes on the raw text, never with
newsprism's own analysis, and each case records its exact character edits. Precision
guards, each because a careless change would not be a contradiction:

- value kinds (numbers, dates, weekdays): the sentence changed and a sentence of another
  article stating the same value share MIN_SHARED_WORDS content lemmas (same event, not
  two days that happen to be Tuesdays); datelines and fragments (< MIN_SENTENCE_WORDS
  words) are never changed; years are never counts;
- names: every mention in the changed article (text and headline) is replaced, so the
  article stays consistent with itself and disagrees only with the others; a name that
  is part of a longer one ("Betty Ford Center", "New Mexico") is never changed;
- the other article must not be a reprint of the changed one (REPRINT_JACCARD), since a
  reprint that differs is one outlet correcting itself, not two outlets disagreeing.
"""

from __future__ import annotations

import bisect
import random
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from probe_places import known, place_class
from probe_values import (
    WEEKDAY_RE,
    WORD_NUMBERS,
    Number,
    changed_day,
    changed_number,
    changed_weekday,
    find_dates,
    find_numbers,
    followed_by_name,
    is_year,
    ordinal,
)

KINDS = ("count", "amount", "duration", "date", "weekday", "person", "place")
MIN_SHARED_WORDS = 2  # content lemmas two sentences share to be about the same thing
WINDOW = 10  # tokens either side of a value whose words say what the value is about
MIN_NEAR_WORDS = 1  # ... of which two statements share at least one (not a name)
MIN_SENTENCE_WORDS = 6  # shorter lines are datelines, bylines, headings
REPRINT_JACCARD = 0.6  # 3-word shingle Jaccard above which two articles are one text
TIME_UNITS = frozenset(
    {"second", "minute", "hour", "day", "week", "month", "year", "decade", "century"}
    | {"sec", "secs", "min", "mins", "hr", "hrs"}
)
ORDINALS = ("st", "nd", "rd", "th")
# verbs every report uses ("police said Monday"): sharing them says nothing
LIGHT_VERBS = frozenset(
    {"say", "tell", "be", "have", "do", "report", "add", "accord", "include", "make", "take"}
)
CURRENCIES = frozenset({"euro", "dollar", "pound", "yen", "yuan", "rupee", "franc", "peso"})
# "more than 30" is contradicted only by a value <= 30: the bound decides the direction
LOWER_BOUND = re.compile(
    r"(?<!just )\b(more than|over|at least|upwards of|in excess of|greater than|above)\s*\$?\s*$",
    re.IGNORECASE,
)
UPPER_BOUND = re.compile(
    r"(?<!just )\b(up to|under|less than|fewer than|at most|no more than|below|maximum of"
    r"|as many as|as much as)"
    r"\s*\$?\s*$",
    re.IGNORECASE,
)
# "about 15 years" against "8 years" is a dispute, "about three weeks" against "roughly
# four weeks" is not: an approximate value must move by APPROX_CHANGE, not 25 %
APPROXIMATE = re.compile(
    r"\b(about|around|roughly|some|approximately|nearly|almost|estimated|close to|just under"
    r"|just over|up to about)\s*\$?\s*$",
    re.IGNORECASE,
)
APPROX_CHANGE = 0.5
TIME_OF_DAY = re.compile(r"\s*(?:[ap]\.?\s?m\b|o'clock)", re.IGNORECASE)
_TITLES = """Mr Mrs Ms Miss Dr Sen Gov Rep Gen Lt Sgt Capt Col Prof Rev Sir Lord Lady Pope King
    Queen President Judge Chief Officer Detective Justice Secretary Speaker Senator Governor
    Mayor Coach Prince Princess Saint St"""
HONORIFICS = frozenset(_TITLES.split())
NOT_COUNTED = frozenset({"percent", "pm", "am", "p.m.", "a.m.", "th", "point", "%", "cent"}) | {
    "quarter",
    "half",
    "third",
    "fifth",
    "tenth",
    "seventy",
    "eighty",
    "ninety",
    "sixty",
}  # fractions ("three-quarters") and decades ("the nineteen seventies") are not counts
AMOUNT_LIMITS = {"percent": 100.0, "magnitude": 9.5}  # a changed value stays possible
SCALE_WORDS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
CONTENT_POS = frozenset({"NOUN", "VERB", "PROPN", "ADJ"})
NAME_WORD = re.compile(r"^[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)*$")
OTHER_LABELS = frozenset({"ORG", "FAC", "GPE", "LOC", "NORP", "WORK_OF_ART", "PRODUCT", "EVENT"})


@dataclass(slots=True)
class EventArticle:
    id: str
    title: str
    text: str
    source: str | None = None
    url: str | None = None


@dataclass(slots=True)
class Event:
    id: str
    corpus: str  # "ecbplus" | "neus"
    articles: list[EventArticle]


@dataclass(slots=True)
class Span:
    article: str
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Edit:
    """One replacement in the original article: `field` is "text" or "title"."""

    field: str
    start: int
    end: int
    old: str
    new: str


@dataclass(slots=True)
class Case:
    """One perturbation: what changed where, and who still states the original value."""

    id: str
    corpus: str
    event: str
    kind: str
    article: str  # the changed article's id (it keeps its id)
    old: str  # the value as it was ("7", "March 3", "Lindsay Lohan")
    new: str  # the value written instead
    edits: list[Edit]
    spans: list[Span]  # the new value's spans in the changed text
    witnesses: list[Span]  # where other articles state the original value
    before: str  # the changed sentence, before and after
    after: str
    witness_sentence: str

    @staticmethod
    def from_dict(d: dict[str, Any]) -> Case:
        return Case(
            **{k: v for k, v in d.items() if k not in ("edits", "spans", "witnesses")},
            edits=[Edit(**e) for e in d["edits"]],
            spans=[Span(**s) for s in d["spans"]],
            witnesses=[Span(**s) for s in d["witnesses"]],
        )


@dataclass(slots=True)
class Mention:
    """A value stated in one article; `key` is what must match across articles."""

    kind: str
    key: tuple[Any, ...]
    article: int  # index in the event
    start: int
    end: int
    text: str
    sentence: int  # index of its sentence in that article
    info: Any = None  # the Number, MonthDay, place class
    phrase_end: int = -1  # end of the value's phrase ("7 injured people"): not context
    bound: int = 0  # +1 "more than 7", -1 "up to 7", 0 exact or approximate
    approx: bool = False  # "about 7"


@dataclass(slots=True)
class Parsed:
    """One article with its spaCy parse, as the finders need it."""

    art: EventArticle
    doc: Any
    sent_starts: list[int] = field(default_factory=list)
    sent_ends: list[int] = field(default_factory=list)
    sent_words: list[frozenset[str]] = field(default_factory=list)
    sent_len: list[int] = field(default_factory=list)
    tok_starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        """Sentences are spaCy's, cut again at line breaks: ECB+ puts a headline and a
        dateline on lines of their own, which spaCy often joins to the next sentence."""
        text = self.art.text
        for s in self.doc.sents:
            a = s.start_char
            for line in text[s.start_char : s.end_char].split("\n"):
                b = a + len(line)
                if line.strip():
                    toks = [t for t in s if a <= t.idx < b]
                    self.sent_starts.append(a)
                    self.sent_ends.append(b)
                    self.sent_words.append(
                        frozenset(
                            t.lemma_.lower() for t in toks if t.pos_ in CONTENT_POS and t.is_alpha
                        )
                    )
                    self.sent_len.append(sum(t.is_alpha for t in toks))
                a = b + 1
        self.tok_starts = [t.idx for t in self.doc]

    def long_sentence(self, char: int) -> bool:
        """Whether the sentence at `char` is a sentence, not a byline or dateline."""
        return self.sent_len[self.sentence_at(char)] >= MIN_SENTENCE_WORDS

    def sentence_at(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.sent_starts, char) - 1)

    def token_after(self, char: int) -> int | None:
        k = bisect.bisect_left(self.tok_starts, char)
        return k if k < len(self.doc) else None

    def near_words(self, start: int, end: int) -> frozenset[str]:
        """Common content lemmas within WINDOW tokens of a value, the value's phrase and
        proper names left out: what the value is about ("killed", "injured", "fired")."""
        k = self.token_after(start) or 0
        lo, out = max(0, k - WINDOW), set()
        for t in self.doc[lo : k + WINDOW + 1]:
            if start <= t.idx < end or t.pos_ not in ("NOUN", "VERB", "ADJ") or not t.is_alpha:
                continue
            lemma = t.lemma_.lower()
            if not t.is_stop and lemma not in LIGHT_VERBS:
                out.add(lemma)
        return frozenset(out)

    def sentence_text(self, k: int) -> str:
        return self.art.text[self.sent_starts[k] : self.sent_ends[k]]


# ----------------------------------------------------------------------------- finders


def _money_or_share(text: str, n: Number) -> tuple[str, float] | None:
    """("percent" | "money" | "magnitude", value) when the number is an amount."""
    after = text[n.end : n.end + 30]
    before = text[max(0, n.start - 25) : n.start]
    if re.match(r"\s*(%|percent\b|per cent\b)", after):
        return "percent", n.value
    if re.search(r"\$\s*$", before):
        m = re.match(r"\s*(thousand|million|billion|trillion)\b", after)
        return "money", n.value * (SCALE_WORDS[m.group(1)] if m else 1)
    if "magnitude" in before[-15:].lower() or re.match(r"\s*-?\s*magnitude", after.lower()):
        return ("magnitude", n.value) if n.value < 10 else None
    return None


def _noun_after(p: Parsed, n: Number) -> tuple[str, float, int] | None:
    """The counted noun after a number ("7 people", "90 - day", "3 million voters").

    A singular noun right after the number names a thing, it does not count it ("a 911
    dispatcher", "Group of 20"); only a hyphen makes it a measure ("a 90-day stay").
    """
    k = p.token_after(n.end)
    scale, doc, hyphen = 1.0, p.doc, False
    while k is not None and k < len(doc) and doc[k].text in ("-", "–"):
        k, hyphen = k + 1, True
    if k is not None and k < len(doc) and doc[k].lower_ in SCALE_WORDS:
        scale, k = SCALE_WORDS[doc[k].lower_], k + 1
    if k is not None and k + 1 < len(doc) and doc[k].pos_ == "ADJ" and doc[k + 1].pos_ == "NOUN":
        k += 1
    if k is None or k >= len(doc) or doc[k].pos_ != "NOUN":
        return None
    if not hyphen and doc[k].tag_ not in ("NNS", "NNPS"):
        return None
    return doc[k].lemma_.lower(), n.value * scale, k


def _not_a_count(text: str, n: Number) -> bool:
    """Years, times of day ("10 a. m.", "1: 30"), fractions ("4 1 / 2"), "08", and a
    word that is part of a longer number ("nineteen seventies", "twenty five")."""
    before, after = text[max(0, n.start - 4) : n.start], text[n.end : n.end + 8]
    return (
        is_year(n)
        or (n.style == "word" and _in_compound(text, n))
        or (n.style == "int" and n.text.startswith("0") and len(n.text) > 1)
        or TIME_OF_DAY.match(after) is not None
        or re.search(r"(\d\s*:|/)\s*$", before) is not None
        or re.match(r"\s*[:/]", after) is not None
    )


def _approx(text: str, start: int) -> bool:
    return APPROXIMATE.search(text[max(0, start - 30) : start]) is not None


def _in_compound(text: str, n: Number) -> bool:
    words = "|".join(WORD_NUMBERS)
    after = re.match(rf"[\s-]+({words})\b", text[n.end : n.end + 12], re.IGNORECASE)
    before = re.search(rf"\b({words})[\s-]+$", text[max(0, n.start - 12) : n.start], re.I)
    return after is not None or before is not None


def _bound(text: str, start: int) -> int:
    before = text[max(0, start - 30) : start]
    if LOWER_BOUND.search(before):
        return 1
    return -1 if UPPER_BOUND.search(before) else 0


def _time_reference(doc: Any, k: int) -> bool:
    """ "three years ago", "a 33-year-old": a date or an age, not a duration."""
    nxt = [t.lower_ for t in doc[k + 1 : k + 3]]
    return bool(nxt) and (nxt[0] in ("ago", "old", "later", "earlier") or nxt[:2] == ["-", "old"])


def number_mentions(p: Parsed, index: int) -> list[Mention]:
    """Counts, amounts and durations in one article."""
    out = []
    text = p.art.text
    for n in find_numbers(text):
        s = p.sentence_at(n.start)
        small = n.value < 2 and n.value == int(n.value)
        if _not_a_count(text, n) or p.sent_len[s] < MIN_SENTENCE_WORDS or small:
            continue
        bound = _bound(text, n.start)
        amount = _money_or_share(text, n)
        if amount is not None:
            key = ("amount", amount[0], amount[1])
            mention = Mention("amount", key, index, n.start, n.end, n.text, s, n, n.end, bound)
            mention.approx = _approx(text, n.start)
            out.append(mention)
            continue
        found = _noun_after(p, n)
        if found is None or found[0] in NOT_COUNTED:
            continue
        noun, value, k = found
        if noun in TIME_UNITS and _time_reference(p.doc, k):
            continue
        kind = "duration" if noun in TIME_UNITS else "count"
        if noun in CURRENCIES:
            kind, noun = "amount", f"money:{noun}"
        end = p.doc[k].idx + len(p.doc[k])
        key = (kind, noun, value)
        mention = Mention(kind, key, index, n.start, n.end, n.text, s, n, end, bound)
        mention.approx = _approx(text, n.start)
        out.append(mention)
    return out


def date_mentions(p: Parsed, index: int) -> list[Mention]:
    """Month-day dates and weekdays in sentences (not datelines)."""
    out = []
    text = p.art.text
    for d in find_dates(text):
        s = p.sentence_at(d.start)
        if p.sent_len[s] >= MIN_SENTENCE_WORDS:
            end = d.day_end + (2 if text[d.day_end : d.day_end + 2] in ORDINALS else 0)
            day = text[d.day_start : end]
            key = ("date", d.month, d.day)
            out.append(Mention("date", key, index, d.day_start, end, day, s, d, d.end))
    for m in WEEKDAY_RE.finditer(text):
        s = p.sentence_at(m.start())
        if p.sent_len[s] >= MIN_SENTENCE_WORDS:
            out.append(
                Mention("weekday", ("weekday", m.group()), index, m.start(), m.end(), m.group(), s)
            )
    return out


def _ent_labels(p: Parsed) -> dict[str, Counter[str]]:
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    for e in p.doc.ents:
        labels[_strip(e.text)][e.label_] += 1
    return labels


def _strip(name: str) -> str:
    return re.sub(r"['’]s$", "", name.strip())


def _inside_longer(p: Parsed, start: int, end: int) -> bool:
    """Whether a mention lies inside a longer entity or name ("New Mexico", "Ford Center")."""
    for e in p.doc.ents:
        inside = e.start_char <= start and end <= e.end_char
        if inside and len(_strip(e.text)) > end - start:
            return True
    return followed_by_name(p.art.text, end)


def name_mentions(p: Parsed, index: int) -> list[Mention]:
    """People (two- or three-word names) and places (GPE) the article names."""
    out, seen = [], set()
    for e in p.doc.ents:
        name = _strip(e.text)
        words = name.split()
        if not all(NAME_WORD.match(w) for w in words) or words[0] in HONORIFICS:
            continue
        if e.label_ == "PERSON" and 2 <= len(words) <= 3:
            kind, info = "person", None
        elif e.label_ == "GPE" and len(words) <= 3:
            kind, info = "place", place_class(name)
        else:
            continue
        if (kind, name) in seen or (kind == "place" and info is None):
            continue
        seen.add((kind, name))
        s = p.sentence_at(e.start_char)
        end = e.start_char + len(name)
        out.append(Mention(kind, (kind, name), index, e.start_char, end, name, s, info, end))
    return out


# ----------------------------------------------------------------------------- events


def shingles(text: str, n: int = 3) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + n]) for i in range(max(0, len(words) - n + 1))}


def reprints(arts: Sequence[EventArticle]) -> set[frozenset[int]]:
    """Pairs of articles that are one text (wire copies), by 3-word shingle Jaccard."""
    sh = [shingles(a.text) for a in arts]
    out = set()
    for i in range(len(arts)):
        for j in range(i + 1, len(arts)):
            union = sh[i] | sh[j]
            if union and len(sh[i] & sh[j]) / len(union) >= REPRINT_JACCARD:
                out.add(frozenset((i, j)))
    return out


@dataclass(slots=True)
class Corpus:
    """Which names are real: what replacements are drawn from, what may be changed.

    spaCy's small model tags "Aurora Health" or "Driver Charged" as a person and
    "Nielsen" as a place, so a name counts only when the corpus confirms it: a person
    whose surname is also tagged PERSON alone somewhere ("Kushner"), a place of the
    fixed lists (probe_places) or one tagged GPE in MIN_PLACE_EVENTS events and never
    as anything else ("Taser" in one story's headline and text is not a place).
    """

    persons: list[str]
    surnames: set[str]
    places: set[str]

    def person(self, name: str) -> bool:
        return name.split()[-1] in self.surnames

    def place(self, name: str) -> bool:
        return known(name) or name in self.places


MIN_PLACE_EVENTS = 2


def corpus_names(events: Iterable[list[Parsed]]) -> Corpus:
    """The corpus's confirmed people and places (see Corpus), from its parsed events."""
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    spread: Counter[str] = Counter()
    for parsed in events:
        seen: set[str] = set()
        for p in parsed:
            for name, c in _ent_labels(p).items():
                labels[name].update(c)
                seen.add(name)
        spread.update(seen)
    surnames = {n for n, c in labels.items() if " " not in n and c["PERSON"] > c.total() / 2}
    persons, places = [], set()
    for name, c in sorted(labels.items()):
        words = name.split()
        if not all(NAME_WORD.match(w) for w in words) or words[0] in HONORIFICS:
            continue
        if set(c) == {"PERSON"} and c.total() >= 2 and len(words) == 2 and words[1] in surnames:
            persons.append(name)
        elif set(c) == {"GPE"} and spread[name] >= MIN_PLACE_EVENTS:
            places.add(name)
    return Corpus(persons, surnames, places)


# ----------------------------------------------------------------------------- cases


def apply_edits(text: str, edits: Sequence[Edit]) -> tuple[str, list[tuple[int, int]]]:
    """The edited text and the new span of every edit (edits never overlap).

    >>> apply_edits("7 hurt, 7 dead", [Edit("text", 0, 1, "7", "12")])
    ('12 hurt, 7 dead', [(0, 2)])
    """
    out, spans, cursor, shift = [], [], 0, 0
    for e in sorted(edits, key=lambda e: e.start):
        out.append(text[cursor : e.start] + e.new)
        spans.append((e.start + shift, e.start + shift + len(e.new)))
        shift += len(e.new) - (e.end - e.start)
        cursor = e.end
    out.append(text[cursor:])
    return "".join(out), spans


def shifted(pos: int, edits: Sequence[Edit]) -> int:
    """Where an offset of the original text lands after the edits."""
    return pos + sum(len(e.new) - (e.end - e.start) for e in edits if e.end <= pos)


def edited(art: EventArticle, edits: Sequence[Edit]) -> EventArticle:
    """The article with the case's edits applied to its text and headline."""
    text, _ = apply_edits(art.text, [e for e in edits if e.field == "text"])
    title, _ = apply_edits(art.title, [e for e in edits if e.field == "title"])
    return EventArticle(art.id, title, text, art.source, art.url)


def _title_edit(art: EventArticle, e: Edit) -> list[Edit]:
    """ECB+ repeats the headline as the first line: keep the two the same."""
    if art.title and art.text.startswith(art.title) and e.end <= len(art.title):
        return [Edit("title", e.start, e.end, e.old, e.new)]
    return []


@dataclass(slots=True)
class Found:
    """All an event's mentions, grouped, with what the builders need."""

    event: Event
    parsed: list[Parsed]
    by_key: dict[tuple[Any, ...], list[Mention]]
    dup: set[frozenset[int]]
    rng: random.Random

    def independent(self, a: int, b: int) -> bool:
        return a != b and frozenset((a, b)) not in self.dup

    def sentence(self, m: Mention) -> str:
        return self.parsed[m.article].sentence_text(m.sentence)

    def span(self, article: int, start: int, end: int) -> Span:
        art = self.event.articles[article]
        return Span(art.id, start, end, art.text[start:end])


def find_event(event: Event, parsed: list[Parsed], seed: int) -> Found:
    by_key: dict[tuple[Any, ...], list[Mention]] = defaultdict(list)
    for i, p in enumerate(parsed):
        for m in number_mentions(p, i) + date_mentions(p, i) + name_mentions(p, i):
            by_key[m.key].append(m)
    rng = random.Random(f"{seed}:{event.id}")
    return Found(event, parsed, dict(by_key), reprints(event.articles), rng)


def _phrase(m: Mention) -> tuple[int, int]:
    if m.kind == "date":
        return m.info.start, m.info.end
    return m.start, max(m.end, m.phrase_end)


def same_fact(f: Found, m: Mention, w: Mention) -> bool:
    """Whether two mentions of a value state the same fact: their sentences share
    MIN_SHARED_WORDS content lemmas and the words around the values MIN_NEAR_WORDS
    ("fired March 2" / "was fired on March 2", not "hearing on March 2")."""
    value_words = {str(x).lower() for x in m.key}
    pm, pw = f.parsed[m.article], f.parsed[w.article]
    shared = (pm.sent_words[m.sentence] - value_words) & pw.sent_words[w.sentence]
    if len(shared) < MIN_SHARED_WORDS:
        return False
    near = pm.near_words(*_phrase(m)) & pw.near_words(*_phrase(w))
    return len(near - value_words) >= MIN_NEAR_WORDS


def direction(m: Mention, w: Mention) -> int | None:
    """Which way the changed value must move to contradict a bound, None if no way:
    "more than 30" (w) is contradicted by 20, not 80; "over 1.8 million" (m, changed)
    contradicts 2.6 million only if it moves above it."""
    wanted = {-w.bound, m.bound} - {0}
    if len(wanted) > 1:
        return None
    return wanted.pop() if wanted else 0


def _replacement(f: Found, m: Mention, way: int = 0, approx: bool = False) -> str | None:
    kind, key = m.kind, m.key
    if kind in ("count", "duration", "amount"):
        n: Number = m.info
        scale = key[2] / n.value if n.value else 1.0
        taken = {k[2] / scale for k in f.by_key if k[:2] == key[:2]}
        least = APPROX_CHANGE if approx else None
        return changed_number(n, f.rng, taken, AMOUNT_LIMITS.get(key[1]), way, least)
    if kind == "date":
        taken_days = {k[2] for k in f.by_key if k[0] == "date" and k[1] == key[1]}
        digits = m.text.rstrip("stndrh")
        day = changed_day(m.info, digits, f.rng, taken_days)
        return day + ordinal(int(day)) if day is not None and m.text != digits else day
    named = {k[1] for k in f.by_key if k[0] == "weekday"}
    near = set(WEEKDAY_RE.findall(f.sentence(m))) | {
        d for w in f.by_key[key] for d in WEEKDAY_RE.findall(f.sentence(w))
    }
    return changed_weekday(m.text, f.rng, named, near)


def value_case(f: Found, key: tuple[Any, ...]) -> Case | None:
    """Change one article's statement of a number, date or weekday another also states."""
    ms = f.by_key[key]
    pairs = [
        (m, w)
        for m in ms
        for w in ms
        if f.independent(m.article, w.article)
        and same_fact(f, m, w)
        and direction(m, w) is not None
    ]
    if not pairs:
        return None
    m, w = f.rng.choice(pairs)
    new = _replacement(f, m, direction(m, w) or 0, m.approx or w.approx)
    if new is None:
        return None
    art = f.event.articles[m.article]
    edit = Edit("text", m.start, m.end, m.text, new)
    edits = [edit, *_title_edit(art, edit)]
    witnesses = [
        f.span(x.article, x.start, x.end) for x in ms if f.independent(m.article, x.article)
    ]
    return make_case(f, m, f.sentence(w), edits, witnesses, m.text, new)


def make_case(f: Found, m: Mention, witness_sentence: str, edits: list[Edit],
              witnesses: list[Span], old: str, new: str) -> Case:  # fmt: skip
    """The case record: the edits, the new spans, and the sentence before and after."""
    p = f.parsed[m.article]
    art = p.art
    text_edits = [e for e in edits if e.field == "text"]
    new_text, spans = apply_edits(art.text, text_edits)
    start, end = p.sent_starts[m.sentence], p.sent_ends[m.sentence]
    a, b = shifted(start, text_edits), shifted(end, text_edits)
    return Case(
        "", f.event.corpus, f.event.id, m.kind, art.id, old, new, edits,
        [Span(art.id, s, e, new_text[s:e]) for s, e in spans], witnesses,
        art.text[start:end], new_text[a:b], witness_sentence,
    )  # fmt: skip
