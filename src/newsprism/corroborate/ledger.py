"""The quote ledger of a story: who each outlet says spoke each quotation.

A quote travels: one outlet prints “extremely productive” and names Trump, another
prints “productive” and gives it to "both leaders". The ledger groups the occurrences
of one quotation across articles and says how each differs from the fullest form —
verbatim, partial (one contained in the other), paraphrased (most content words
shared) — and who each article says spoke. Two *confidently* attributed, different
speakers for the same words is a contradiction of kind "speaker"; otherwise differing
speakers are only shown as "attributed differently" (issue 12: three of ten flagged
contradictions on a 282-article corpus were "he said" resolved to the wrong person).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..models import Quote
from .facts import Fact
from .representatives import represented_pairs, speaks_for
from .verdict import Conflict, evidence_of, same_name
from .words import WORD, content_keys, stem

PARAPHRASE_JACCARD = 0.5
SPEAKER_MIN_WORDS = 2  # one shared word ("productive") is not the same statement
_BOUNDARY = re.compile(r"[,;:.!?—–()]|\b(?:and|but|while|although|though|as|after|when)\b", re.I)


@dataclass(slots=True)
class Occurrence:
    """One quotation in one article, with the fact that holds it."""

    fact: int
    article: str
    quote: Quote
    words: tuple[str, ...]
    keys: frozenset[str]
    described: str | None  # who the article says spoke, in its own words


def _words(text: str) -> tuple[str, ...]:
    return tuple(m.group(0).lower().replace("’", "'") for m in WORD.finditer(text))


def described_speaker(fact: Fact, quote: Quote) -> str | None:
    """Who the article says spoke, in its words: "both leaders described ..." -> "both leaders"."""
    if not quote.cue:
        return None
    cue = stem(quote.cue)
    head = fact.text[: max(0, quote.start - fact.start)]
    cue_at = [m for m in WORD.finditer(head) if stem(m.group(0)) == cue]
    if not cue_at:
        return None
    before = head[: cue_at[-1].start()]
    cut = max((m.end() for m in _BOUNDARY.finditer(before)), default=0)
    phrase = " ".join(before[cut:].split())
    return phrase if 0 < len(phrase.split()) <= 6 else None


def occurrences(facts: Sequence[Fact]) -> list[Occurrence]:
    """Every quotation of the story once (a quote over two clauses counts once)."""
    seen: set[tuple[str, int]] = set()
    out = []
    for i, f in enumerate(facts):
        for q in f.quotes:
            if (f.article, q.start) in seen or not _words(q.text):
                continue
            seen.add((f.article, q.start))
            out.append(
                Occurrence(
                    i, f.article, q, _words(q.text), content_keys(q.text), described_speaker(f, q)
                )
            )
    return out


def relation(a: Occurrence, b: Occurrence) -> str | None:
    """verbatim, partial or paraphrased when two quotations are one statement, else None."""
    if a.words == b.words:
        return "verbatim"
    short, long_ = sorted((a.words, b.words), key=len)
    n = len(short)
    contained = any(long_[i : i + n] == short for i in range(len(long_) - n + 1))
    if contained and content_keys(" ".join(short)) and (n >= 3 or n / len(long_) >= 0.4):
        return "partial"
    union = a.keys | b.keys
    if (
        min(len(a.keys), len(b.keys)) >= 2
        and len(a.keys & b.keys) / len(union) >= PARAPHRASE_JACCARD
    ):
        return "paraphrased"
    return None


def _groups(occs: Sequence[Occurrence]) -> list[list[int]]:
    parent = list(range(len(occs)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    by_word: dict[str, list[int]] = defaultdict(list)
    for i, o in enumerate(occs):
        for w in set(o.words):
            by_word[w].append(i)
    for i, o in enumerate(occs):  # only quotes sharing a word can be one statement
        for j in {j for w in set(o.words) for j in by_word[w] if j > i}:
            if find(i) != find(j) and relation(o, occs[j]):
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(occs)):
        groups[find(i)].append(i)
    return sorted(groups.values(), key=lambda g: (occs[g[0]].fact, occs[g[0]].quote.start))


def _speaker_label(o: Occurrence) -> str:
    if o.quote.speaker:
        return o.quote.speaker
    return f"unattributed (“{o.described}”)" if o.described else "unattributed"


def _entry(occs: Sequence[Occurrence], facts: Sequence[Fact]) -> dict[str, Any]:
    main = max(occs, key=lambda o: (len(o.words), -o.fact))
    speakers = Counter(o.quote.speaker for o in occs if o.quote.speaker)
    speaker = speakers.most_common(1)[0][0] if speakers else None
    listed = []
    for o in occs:
        rel = "verbatim" if o is main else (relation(main, o) or "paraphrased")
        other = bool(speaker and o.quote.speaker and o.quote.speaker != speaker)
        listed.append(
            {
                **evidence_of(facts[o.fact], o.quote.start, o.quote.end),
                "speaker": o.quote.speaker,
                "attributed_as": _speaker_label(o),
                "relation": rel,
                "attributed_to_other": other,
            }
        )
    labels = {o.article: _speaker_label(o) for o in occs}
    return {
        "text": main.quote.text,
        "speaker": speaker,
        "reported_by": sorted({o.article for o in occs}),
        "variants": sorted({o.quote.text for o in occs} - {main.quote.text}),
        "occurrences": listed,
        "attribution_differs": len(set(labels.values())) > 1,
        "attribution": labels,
    }


def is_confident(quote: Quote) -> bool:
    """Whether the quote's speaker is certain enough to accuse an outlet of a wrong one.

    The one place this is decided (issue 12), from the analysis stage's own judgement
    (issue 13, `analyse.attribution`): a speaker named in the quote's clause, or a
    pronoun or description resolved without doubt. A speaker carried from a
    neighbouring paragraph or read off a verb that does not report speech is a guess,
    not a claim to contradict; quotes analysed before m017 count as not confident.
    """
    return bool(quote.speaker) and quote.confident


def _speaker_conflict(
    occs: Sequence[Occurrence],
    facts: Sequence[Fact],
    people: set[str],
    linked: set[frozenset[str]] | None = None,
) -> Conflict | None:
    """Two named people as speakers of one statement of at least SPEAKER_MIN_WORDS words.

    Only confident attributions (`is_confident`) and only people: "Iran said" and "its
    foreign minister said" are the same attribution at two levels, not a contradiction;
    nor are two spellings of one name, nor a person and one the story describes as
    speaking for them (`linked`, see `representatives`).
    """
    named = [o for o in occs if o.quote.speaker in people and is_confident(o.quote)]
    for i, a in enumerate(named):
        for b in named[i + 1 :]:
            sa, sb = a.quote.speaker or "", b.quote.speaker or ""
            if a.article == b.article or same_name(sa, sb) or speaks_for(sa, sb, linked or set()):
                continue
            rel = relation(a, b)
            if (
                rel in ("verbatim", "partial")
                and min(len(a.words), len(b.words)) >= SPEAKER_MIN_WORDS
            ):
                return Conflict(
                    "speaker",
                    [
                        {"article": a.article, "value": a.quote.speaker or ""},
                        {"article": b.article, "value": b.quote.speaker or ""},
                    ],
                    f"“{a.quote.text}” is {a.quote.speaker}'s in {a.article} "
                    f"but {b.quote.speaker}'s in {b.article}",
                    [
                        evidence_of(facts[a.fact], a.quote.start, a.quote.end),
                        evidence_of(facts[b.fact], b.quote.start, b.quote.end),
                    ],
                    (a.fact, b.fact),
                )
    return None


def quote_ledger(facts: Sequence[Fact]) -> tuple[list[dict[str, Any]], list[Conflict]]:
    """Ledger entries (most widely carried first) and speaker contradictions."""
    occs = occurrences(facts)
    people = {m.canonical for f in facts for m in f.mentions if m.type == "PERSON"}
    linked = represented_pairs(facts)
    entries, conflicts = [], []
    for group in _groups(occs):
        members = [occs[i] for i in group]
        entries.append(_entry(members, facts))
        found = _speaker_conflict(members, facts, people, linked)
        if found is not None:
            conflicts.append(found)
    entries.sort(key=lambda e: -len(e["reported_by"]))
    return entries, conflicts
