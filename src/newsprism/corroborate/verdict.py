"""The contradiction record, and the contradictions that are not value slots.

No offline NLI model exists here (GUIDE.md §4), so a contradiction is only ever read
from structured differences. Values (counts, magnitudes, durations, dates, places,
people) are compared as typed slots of a claim (`slots`, `compare`, `disputes`,
issue 12); this module holds what is left: negation of the same predicate, and a
person's role descriptor ("former president" vs "President"), plus the helpers every
kind shares (`Conflict`, `same_name`, `same_statement`, `StoryPlaces`).

Precision first (issue 5): a negation needs the two facts to agree on everything else
— a strong lexical alignment — and to cover two content words the other fact affirms.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from ..analyse.entities import TITLE_NOUNS, fold
from ..lexicon import wordset
from ..models import Mention
from .facts import Fact

STATEMENT_SIM = 0.7  # "the same statement": meaning this close ...
STATEMENT_JACCARD = 0.5  # ... and half the content words shared, the differing value aside
STATEMENT_MIN_SHARED = 2
NEGATION_MIN_KEYS = 2  # "no ceasefire was reached" vs "a ceasefire was reached": 2 keys
# Verbs that deny what follows them without a "not": "pulled out of negotiations to
# direct" says what "will not direct" says (issue 12: flagged as a negation conflict).
_IMPLICIT_NEGATION = re.compile(
    r"(?i)\b(?:declin|refus|withdr[ae]w|quit|abandon|reject|fail|cancel|scrap|den(?:y|ie)|"
    r"(?:pull|back|drop|walk|bow|opt)(?:s|ed|ing)?\s+out|turn(?:s|ed|ing)?\s+down|"
    r"rul(?:e|es|ed|ing)\s+out|(?:step|stepp)(?:s|ed|ing)?\s+(?:down|aside)|exit|pass(?:es|ed)?\s+on)"
)
IMPLICIT_REACH = 60  # characters before the affirmed head where such a verb governs it
# Words that say *when* or *how* a title is held, not which title: a person can be
# "former president" today and "President" in a report of their term, "interim FBI
# director" and "FBI director" at once (issue 12: all such role flags were false alarms).
STATUS_WORDS = wordset(
    "former ex then acting interim incumbent outgoing incoming elect deputy vice late "
    "retired longtime current new"
)

# Several names of one post: a "Pentagon press secretary" is a "Pentagon spokesperson".
TITLE_SYNONYMS = {
    "press secretary": "spokesperson", "spokesman": "spokesperson",
    "spokeswoman": "spokesperson", "representative": "spokesperson",
    "chairman": "chair", "chairwoman": "chair", "advisor": "adviser",
    "congressman": "lawmaker", "congresswoman": "lawmaker",
}  # fmt: skip


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


# ----------------------------------------------------------------------------- negation


def negation_conflict(a: Fact, b: Fact, sim: float) -> Conflict | None:
    """One fact negates what the other affirms ("no ceasefire was reached" / "reached one").

    The negated head itself ("reach" in "was not reached") must be affirmed by the other
    fact, with another word of the negation's scope, and the other fact must negate
    nothing: "never see that in man coverage" does not deny "it was man coverage".
    """
    for neg, pos in ((a, b), (b, a)):
        if pos.negated or not neg.negated_heads & pos.keys:
            continue
        if _denied(pos, neg.negated_heads & pos.keys):
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


def _denied(f: Fact, heads: frozenset[str]) -> bool:
    """Whether a verb that denies without "not" (`_IMPLICIT_NEGATION`) stands shortly
    before the first of `heads` in the fact: "pulled out of negotiations to direct"."""
    at = next((t.start - f.start for t in f.tokens if t.key in heads), None)
    if at is None:
        return False
    return bool(_IMPLICIT_NEGATION.search(f.text[max(0, at - IMPLICIT_REACH) : at]))


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


# ----------------------------------------------------------------------------- roles


def _role_parts(role: str) -> tuple[frozenset[str], frozenset[str]]:
    """(status words, other words): "former U.S. President" -> ({former}, {us, president}).
    Names of one post are one word (`TITLE_SYNONYMS`): "press secretary" is "spokesperson"."""
    text = fold(role)
    for phrase, title in TITLE_SYNONYMS.items():
        text = re.sub(rf"\b{phrase}\b", title, text)
    words = [w for w in re.split(r"[\s\-'’.]+", text) if w and w not in ("s", "the")]
    return (
        frozenset(w for w in words if w in STATUS_WORDS),
        frozenset(w for w in words if w not in STATUS_WORDS),
    )


def _role_clash(ra: str, rb: str) -> bool:
    """Two titles that cannot both hold of one person at the story's time.

    Issue 12: every role flag of the unperturbed probe stories was a false alarm —
    "former president" vs "President" (then and now), "interim FBI director" vs "FBI
    director", "former attorney" vs "attorney" (rehired), a courtesy title. So status
    words (`STATUS_WORDS`) never clash, and neither does a title left out ("Russian
    President" / "President"). What is left: two sitting titles of one body with
    different posts ("FBI director" / "FBI spokesman"): both name a
    title noun, share the word naming the body, and neither holds the other's post.
    """
    (sa, wa), (sb, wb) = _role_parts(ra), _role_parts(rb)
    if sa or sb:
        return False
    ta, tb = wa & TITLE_NOUNS, wb & TITLE_NOUNS
    if not ta or not tb or ta & tb or wa <= wb or wb <= wa:
        return False
    return bool((wa - TITLE_NOUNS) & (wb - TITLE_NOUNS) - {"of"})


def role_conflicts(facts: Sequence[Fact]) -> list[Conflict]:
    """A person given two titles that cannot both hold (`_role_clash`) by two articles.

    The first mention of each (person, role) is the evidence.
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
