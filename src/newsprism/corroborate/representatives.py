"""Who speaks for whom in a story: spokespeople, representatives, agents, lawyers.

Issue 12: two of the speaker "contradictions" on unperturbed probe stories were one
statement relayed by a representative — "We appreciate your respect to her ...", said
the actress's rep Jack Ketsoyan, given by another outlet to the actress herself; Bettie
Page's words quoted by "her agent, Mark Roesler". Words a representative relays are
fairly attributed to either, so a speaker dispute between the two is no contradiction;
the ledger still shows it as "attributed differently".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..analyse.entities import fold
from ..lexicon import wordset
from .facts import Fact

# nouns that make a person speak for another: "her rep Jack Ketsoyan", "X, her agent"
REPRESENTATIVE_WORDS = wordset(
    "rep reps representative representatives spokesman spokeswoman spokesperson "
    "publicist agent lawyer lawyers attorney attorneys counsel solicitor barrister aide "
    "aides mouthpiece"
)
NEAR_CHARS = 30  # a descriptor this close to the name describes it ("her agent, Mark Roesler")
_WORD = re.compile(r"[^\W\d_]+")


def _near_words(f: Fact, start: int, end: int) -> set[str]:
    """Folded words within NEAR_CHARS before and after a mention, inside its fact."""
    rel_s, rel_e = start - f.start, end - f.start
    around = f.text[max(0, rel_s - NEAR_CHARS) : rel_s] + " " + f.text[rel_e : rel_e + NEAR_CHARS]
    return {fold(w) for w in _WORD.findall(around)}


def represented_pairs(facts: Sequence[Fact]) -> set[frozenset[str]]:
    """Pairs of people (canonical names) of whom one is described as speaking for the
    other: a representative named in an article is linked with every person that
    article names ("the actress's rep" names no one, the article names the actress)."""
    reps: dict[str, set[str]] = {}
    named: dict[str, set[str]] = {}
    for f in facts:
        for m in f.mentions:
            if m.type != "PERSON":
                continue
            named.setdefault(f.article, set()).add(m.canonical)
            words = _near_words(f, m.start, m.end) | set(_WORD.findall(fold(m.role or "")))
            if words & REPRESENTATIVE_WORDS:
                reps.setdefault(f.article, set()).add(m.canonical)
    return {
        frozenset((r, p))
        for article, people in reps.items()
        for r in people
        for p in named.get(article, ())
        if p != r
    }


def speaks_for(x: str, y: str, pairs: set[frozenset[str]]) -> bool:
    """Whether the story describes x as speaking for y or y for x; names are matched
    by surname, so "Jack Page" (a misresolved "she") still meets "Bettie Page"."""
    sx, sy = _surname(x), _surname(y)
    return any({_surname(a) for a in pair} == {sx, sy} for pair in pairs if len(pair) == 2)


def _surname(name: str) -> str:
    words = fold(name).split()
    return words[-1] if words else ""
