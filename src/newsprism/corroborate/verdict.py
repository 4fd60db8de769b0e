"""Statuses and contradictions, each with its reason.

No offline NLI model exists here (GUIDE.md §4), so a contradiction is only ever read
from structured values that differ between two facts that otherwise state the same
thing: numbers and durations beyond their qualifiers (`analyse.quantities.compatible`),
resolved calendar dates, places, the acting person, negation of the same predicate,
and a person's role descriptor ("former president" vs "President").

Precision first (issue 5): a false contradiction costs a reader's trust more than a
missed one. So every kind needs the two facts to agree on everything else — a strong
lexical alignment computed *without* the words that differ — and each kind has its own
extra guard (dates must be written with a day number and resolved to a full date;
places must never be named together anywhere in the story; a negation must cover two
content words the other fact affirms).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from ..analyse.entities import TITLE_NOUNS, fold
from ..models import Mention, Quantity
from .align import Link
from .align import agree as compatible
from .facts import Fact

STATEMENT_SIM = 0.7  # "the same statement": meaning this close ...
STATEMENT_JACCARD = 0.5  # ... and half the content words shared, the differing value aside
STATEMENT_MIN_SHARED = 2
EVENT_SIM = 0.5  # a place conflict may also rest on the same named people meeting
NEGATION_MIN_KEYS = 2  # "no ceasefire was reached" vs "a ceasefire was reached": 2 keys
COMPARED_KINDS = frozenset({"count", "duration", "money", "percent"})  # bare numbers: too vague
FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
STATUS_WORDS = {
    "former": "former",
    "ex": "former",
    "elect": "elect",
    "acting": "acting",
    "interim": "acting",
}


@dataclass(slots=True)
class Conflict:
    """A reason two facts cannot both be true, with the value each article gives."""

    kind: str  # number | duration | date | place | person | speaker | negation | role | other
    values: list[dict[str, str]]  # [{"article": id, "value": text}]
    explanation: str
    evidence: list[dict[str, object]] = field(default_factory=list)
    facts: tuple[int, int] | None = None  # indices of the two facts, when fact-based
    id: str = ""  # set by the brief, so a contradiction shown under two facts is one

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "kind": self.kind,
            "values": self.values,
            "explanation": self.explanation,
            "evidence": self.evidence,
        }


def evidence_of(f: Fact, start: int | None = None, end: int | None = None) -> dict[str, object]:
    """A citation span of a fact (or of a part of it); `text` is the exact slice."""
    a = f.start if start is None else start
    b = f.end if end is None else end
    return {"article": f.article, "start": a, "end": b, "text": f.text[a - f.start : b - f.start]}


def same_statement(a: Fact, b: Fact, sim: float, drop: set[str]) -> bool:
    """Whether two facts say the same thing apart from the keys in `drop`.

    The precision guard of every contradiction: close meaning (STATEMENT_SIM) and at
    least half of the content words shared once names and the differing value are set
    aside, so "13 people were killed" and "80 people were shot" never meet.
    """
    if sim < STATEMENT_SIM:
        return False
    ka = a.keys - a.entity_keys - drop
    kb = b.keys - b.entity_keys - drop
    shared = ka & kb
    return len(shared) >= STATEMENT_MIN_SHARED and len(shared) / len(ka | kb) >= STATEMENT_JACCARD


def _name_words(name: str) -> list[str]:
    return fold(name).replace("-", " ").split()


@lru_cache(maxsize=16384)
def same_name(x: str, y: str) -> bool:
    """Spellings or extents of one name ("Qassim Suleimani" / "Qassem Soleimani",
    "Esther Williams Dies" / "Esther Williams", "SAP-Arena" / "SAP Arena")."""
    fx, fy = _name_words(x), _name_words(y)
    if not fx or not fy:
        return False
    if set(fx) <= set(fy) or set(fy) <= set(fx) or {w for w in fx if len(w) >= 4} & set(fy):
        return True
    return SequenceMatcher(None, fx[-1], fy[-1]).ratio() >= 0.75


def _span_keys(f: Fact, spans: Iterable[tuple[int, int]]) -> set[str]:
    spans = list(spans)
    return {t.key for t in f.tokens if t.key and any(s <= t.start < e for s, e in spans)}


# ----------------------------------------------------------------------------- by kind


def _compared(f: Fact) -> list[Quantity]:
    """Quantities worth comparing: a known kind, not a conversion in brackets ("($1.5m)")."""
    if "compared" in f.memo:
        return f.memo["compared"]
    out = []
    for q in f.quantities:
        before = f.text[: q.start - f.start].rstrip()
        if q.kind in COMPARED_KINDS and not before.endswith("("):
            out.append(q)
    f.memo["compared"] = out
    return out


def number_conflict(a: Fact, b: Fact, sim: float) -> Conflict | None:
    """Comparable quantities (same kind and unit family) that cannot both be true."""
    qas = _compared(a)
    qbs = _compared(b)
    for qa in qas:
        comparable = [qb for qb in qbs if compatible(qa, qb) is not None]
        if len(comparable) != 1 or sum(compatible(q, comparable[0]) is not None for q in qas) != 1:
            continue  # only a one-to-one pairing says which number describes what
        qb = comparable[0]
        if compatible(qa, qb):
            continue
        drop = _span_keys(a, [(qa.start, qa.end)]) | _span_keys(b, [(qb.start, qb.end)])
        if not same_statement(a, b, sim, drop):
            return None
        kind = "duration" if qa.kind == "duration" else "number"
        return Conflict(
            kind,
            [{"article": a.article, "value": qa.text}, {"article": b.article, "value": qb.text}],
            f"{a.article} gives “{qa.text}”, {b.article} gives “{qb.text}”: "
            f"these {kind}s do not overlap even allowing for their qualifiers",
            [evidence_of(a), evidence_of(b)],
        )
    return None


_LOCATIVE = re.compile(r"\b(in|at|near)\s+(the\s+)?$")
_DATE_PREP = re.compile(r"\b(on|in|since|from|until|till|by|before|after|of)\s+$", re.I)


def _explicit_dates(f: Fact) -> dict[str, str]:
    """Full dates written with a day number after a preposition ("on August 15").

    Never a date inferred from a weekday or "yesterday", and never a dateline (a date
    opening an article is when it was filed, not when the event happened).
    """
    out = {}
    for d in f.dates:
        if not (d.value and FULL_DATE.match(d.value) and any(c.isdigit() for c in d.text)):
            continue
        if _DATE_PREP.search(f.text[max(0, d.start - f.start - 8) : d.start - f.start]):
            out[d.value] = d.text
    return out


def date_conflict(a: Fact, b: Fact, sim: float) -> Conflict | None:
    """Different full calendar dates for the same event (never from an open year)."""
    da, db = _explicit_dates(a), _explicit_dates(b)
    if len(da) != 1 or len(db) != 1 or set(da) == set(db):
        return None
    drop = _span_keys(a, [(d.start, d.end) for d in a.dates])
    drop |= _span_keys(b, [(d.start, d.end) for d in b.dates])
    if not same_statement(a, b, sim, drop):
        return None
    (va, ta), (vb, tb) = next(iter(da.items())), next(iter(db.items()))
    return Conflict(
        "date",
        [{"article": a.article, "value": va}, {"article": b.article, "value": vb}],
        f"{a.article} dates it {ta} ({va}), {b.article} {tb} ({vb})",
        [evidence_of(a), evidence_of(b)],
    )


def _locative_places(f: Fact) -> list[Mention]:
    """The place written as where it happened: the first "in X" / "at X" / "near X".

    Only the first: in "the summit in Helsinki ... over the war in Ukraine" the second
    place says what the talks were about, not where they were held. Only cities,
    states and countries (GPE): a street or an arena lies inside one, and without a
    gazetteer "in Surrey" vs "in Banstead High Street" cannot be told from a conflict.
    """
    if "locative" not in f.memo:
        f.memo["locative"] = []
        for m in f.mentions:
            before = f.text[max(0, m.start - f.start - 6) : m.start - f.start].lower()
            if m.type == "GPE" and _LOCATIVE.search(before):
                f.memo["locative"] = [m]
                break
    return f.memo["locative"]


def place_conflict(a: Fact, b: Fact, sim: float, story: StoryPlaces) -> Conflict | None:
    """Different places for the same event, when nothing in the story reconciles them.

    "met in Anchorage" vs "met in Alaska" is not a contradiction, and without a
    gazetteer the only safe signs that two places can both be right are the story
    naming them side by side ("Anchorage, Alaska") or an article naming both. So the
    place of each fact must be absent from the other article altogether.
    """
    pa, pb = _locative_places(a), _locative_places(b)
    if not pa or not pb:
        return None
    names_a, names_b = {m.canonical for m in pa}, {m.canonical for m in pb}
    if any(same_name(x, y) for x in names_a for y in names_b):
        return None
    if names_a & story.by_article.get(b.article, set()) or names_b & story.by_article.get(
        a.article, set()
    ):
        return None
    if any(frozenset((x, y)) in story.together for x in names_a for y in names_b):
        return None
    drop = _span_keys(a, [(m.start, m.end) for m in pa]) | _span_keys(
        b, [(m.start, m.end) for m in pb]
    )
    people = a.persons & b.persons
    meeting = len(people) >= 2 and a.persons == b.persons and sim >= EVENT_SIM
    if not (meeting or same_statement(a, b, sim, drop)):
        return None
    va, vb = ", ".join(sorted(names_a)), ", ".join(sorted(names_b))
    return Conflict(
        "place",
        [{"article": a.article, "value": va}, {"article": b.article, "value": vb}],
        f"{a.article} places it in {va}, {b.article} in {vb}",
        [evidence_of(a), evidence_of(b)],
    )


def _neighbours(f: Fact, name: str) -> set[str]:
    """Keys of the words right before and after each mention of `name` ("X said")."""
    out: set[str] = set()
    for m in f.mentions:
        if m.canonical != name:
            continue
        before = [t for t in f.tokens if t.end <= m.start]
        after = [t for t in f.tokens if t.start >= m.end]
        out.update(t.key or t.text.lower() for t in (before[-1:] + after[:1]))
    return out


def person_conflict(a: Fact, b: Fact, sim: float) -> Conflict | None:
    """The same statement with a different named person in the same place ("X said ...").

    Both names must be full names (not a stray "Sgt."), not spellings of one name, each
    absent from the other fact, and flanked by the same word in both facts, so a
    suspect in one sentence never "contradicts" the sheriff quoted in the other.
    """
    if len(a.persons) != 1 or len(b.persons) != 1 or sim < STATEMENT_SIM:
        return None
    (pa,), (pb,) = tuple(a.persons), tuple(b.persons)
    if len(pa.split()) < 2 or len(pb.split()) < 2 or same_name(pa, pb):
        return None
    if fold(pa) in fold(b.text) or fold(pb) in fold(a.text):
        return None
    if not _neighbours(a, pa) & _neighbours(b, pb) or not same_statement(a, b, sim, set()):
        return None
    return Conflict(
        "person",
        [{"article": a.article, "value": pa}, {"article": b.article, "value": pb}],
        f"the same statement names {pa} in {a.article} but {pb} in {b.article}",
        [evidence_of(a), evidence_of(b)],
    )


def negation_conflict(a: Fact, b: Fact, sim: float) -> Conflict | None:
    """One fact negates what the other affirms ("no ceasefire was reached" / "reached one").

    The negated head itself ("reach" in "was not reached") must be affirmed by the other
    fact, with another word of the negation's scope, and the other fact must negate
    nothing: "never see that in man coverage" does not deny "it was man coverage".
    """
    for neg, pos in ((a, b), (b, a)):
        if pos.negated or not neg.negated_heads & pos.keys:
            continue
        flipped = (neg.negated & pos.keys) - neg.entity_keys
        if len(flipped) < NEGATION_MIN_KEYS or not same_statement(a, b, sim, set()):
            continue
        words = ", ".join(sorted({t.text for t in pos.tokens if t.key in flipped}))
        return Conflict(
            "negation",
            [
                {"article": neg.article, "value": f"not: {words}"},
                {"article": pos.article, "value": f"affirmed: {words}"},
            ],
            f"{neg.article} negates what {pos.article} affirms ({words})",
            [evidence_of(neg), evidence_of(pos)],
        )
    return None


@dataclass(slots=True)
class StoryPlaces:
    """Where the story's places appear: per article, and pairs named in one fact."""

    by_article: dict[str, set[str]]
    together: set[frozenset[str]]

    @classmethod
    def of(cls, facts: Sequence[Fact]) -> StoryPlaces:
        by_article: dict[str, set[str]] = {}
        together: set[frozenset[str]] = set()
        for f in facts:
            by_article.setdefault(f.article, set()).update(f.places)
            places = sorted(f.places)
            together.update(
                frozenset((x, y)) for i, x in enumerate(places) for y in places[i + 1 :]
            )
        return cls(by_article, together)


def pair_conflicts(a: Fact, b: Fact, sim: float, story: StoryPlaces) -> list[Conflict]:
    """Every contradiction between two facts of different articles (usually none)."""
    if a.article == b.article:
        return []
    found = [
        number_conflict(a, b, sim),
        date_conflict(a, b, sim),
        place_conflict(a, b, sim, story),
        person_conflict(a, b, sim),
        negation_conflict(a, b, sim),
    ]
    return [c for c in found if c is not None]


def fact_conflicts(facts: Sequence[Fact], links: Sequence[Link]) -> list[Conflict]:
    """Contradictions between linked facts; each carries the indices of its two facts.

    Only links that stand on their own evidence are read: a link kept because third
    facts tie it (`align.co_linked`) is good enough to say "reported too", not to
    accuse two outlets of disagreeing (precision first).
    """
    story = StoryPlaces.of(facts)
    floor = min(STATEMENT_SIM, EVENT_SIM)  # every kind needs at least this similarity
    out = []
    for link in links:
        if link.sim < floor or not link.strong:
            continue
        for c in pair_conflicts(facts[link.a], facts[link.b], link.sim, story):
            c.facts = (link.a, link.b)
            out.append(c)
    return _unique(out)


# ----------------------------------------------------------------------------- roles


def _role_parts(role: str) -> tuple[str, frozenset[str]]:
    """(status, other words): "former U.S. President" -> (former, {us, president})."""
    words = [w for w in re.split(r"[\s\-'’]+", fold(role)) if w and w not in ("s", "the")]
    status = next((STATUS_WORDS[w] for w in words if w in STATUS_WORDS), "current")
    return status, frozenset(w for w in words if w not in STATUS_WORDS)


def _role_clash(ra: str, rb: str) -> bool:
    """Same title, different status, and at most one extra qualifier on the status side.

    "former U.S. President" / "President" clash; "former head coach of the Boston
    Celtics" / "coach" do not (a former post elsewhere is not this one), nor "former
    attorney" / "Lohan's attorney" (a different relation).
    """
    (sa, wa), (sb, wb) = _role_parts(ra), _role_parts(rb)
    if sa == sb or not (wa & wb & TITLE_NOUNS):
        return False
    qualified, other = (wa, wb) if sa != "current" else (wb, wa)
    extra = qualified - other
    return not (other - qualified) and len(extra) <= 1 and "of" not in extra


def role_conflicts(facts: Sequence[Fact]) -> list[Conflict]:
    """A person called "former X" in one article and a sitting "X" in another.

    Only the status of the same title is compared (former / elect / acting / current);
    "Russian President" and "President" agree, "former U.S. President" and "President"
    do not. The first mention of each (person, role) is the evidence.
    """
    firsts: dict[tuple[str, str], tuple[int, Mention]] = {}
    for i, f in enumerate(facts):
        for m in f.mentions:
            if m.type == "PERSON" and m.role:
                firsts.setdefault((m.canonical, m.role), (i, m))
    out = []
    items = list(firsts.values())
    for x, (i, ma) in enumerate(items):
        for j, mb in items[x + 1 :]:
            if ma.canonical != mb.canonical or facts[i].article == facts[j].article:
                continue
            if _role_clash(ma.role or "", mb.role or ""):
                out.append(_role_conflict(facts, i, ma, j, mb))
    return _unique(out)


def _role_conflict(facts: Sequence[Fact], i: int, ma: Mention, j: int, mb: Mention) -> Conflict:
    a, b = facts[i], facts[j]
    return Conflict(
        "role",
        [
            {"article": a.article, "value": ma.role or ""},
            {"article": b.article, "value": mb.role or ""},
        ],
        f"{ma.canonical} is “{ma.role}” in {a.article} but “{mb.role}” in {b.article}",
        [_role_evidence(a, ma), _role_evidence(b, mb)],
        (i, j),
    )


def _role_evidence(f: Fact, m: Mention) -> dict[str, object]:
    """The span "role ... name" when the role is written just before the name, else the name."""
    at = f.text.rfind(m.role or "\0", 0, m.start - f.start)
    start = f.start + at if at >= 0 and m.start - f.start - at < 60 else m.start
    return evidence_of(f, start, m.end)


def _unique(conflicts: list[Conflict]) -> list[Conflict]:
    seen, out = set(), []
    for c in conflicts:
        key = (c.kind, tuple(sorted((v["article"], v["value"]) for v in c.values)))
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def status_of(sources: int, conflicts: Sequence[Conflict]) -> str:
    """corroborated (two or more independent sources), single_source, or conflicting."""
    if conflicts:
        return "conflicting"
    return "corroborated" if sources >= 2 else "single_source"
