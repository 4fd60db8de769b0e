"""The briefing: at most N distinct claims, each told once, cited to every supporting span.

Issue 12: a briefing of a 12-article obituary was eight variants of its headline. Here
the unit picked is a *claim* (corroborate.story_claims), shown through one source
sentence that states it:

- a sentence is briefable when it states something on its own: not a fragment or
  question, not a time stamp ("May 2, 2013 1: 35 pm."), not cut out of another
  sentence by the splitter (a lower-case start);
- sentences are scored by centrality — similarity to the story centroid, a lead
  bonus, how widely their words are reported, a small penalty for leaning on context
  ("He said ...") — and picked with maximal marginal relevance;
- a sentence is skipped when every claim it states is briefed already, when it
  restates a picked item (MiniLM cosine >= RESTATE_COSINE or content-word Jaccard >=
  RESTATE_JACCARD), or when it is a headline (headlines are folded into the claim they
  state; they are briefed only when a story has nothing else), or when it only retells
  a headline whose claim a picked item tells (`headline_variants`: a variant picked
  first is folded into the fuller item that tells its headline);
- items are ordered by independent-source support, then by pick order (centrality);
- a disputed claim is briefed with its value table (`values`), so a reader sees
  "magnitude 5.9 [1][3] · 6.1 [2]" and never a value presented as agreed.

Every item's text is verbatim from one article, so nothing is stated that no source
stated; fragments the sentence splitter leaves are not briefed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..corroborate.facts import Fact
from ..corroborate.story import StoryClaims
from .brief_values import disputed_values
from .headline_variants import states, story_headlines, variant_of

LEAD_WEIGHT = 0.5  # news puts the event first: bonus 1/(1 + sentence index)
MMR_LAMBDA = 0.7  # relevance vs novelty in the briefing
KEY_WEIGHT = 1.0  # bonus for words that many articles use: word-level corroboration
DANGLING_PENALTY = 0.1  # "He said ..." / "However, ..." reads badly out of its article
RESTATE_COSINE = 0.8  # two items this close in meaning restate each other (issue 12) ...
RESTATE_JACCARD = 0.6  # ... or sharing this share of their content words
MIN_BRIEF_WORDS = 6  # shorter "sentences" are fragments ("Perhaps.", "WASHINGTON —")
MIN_NEWS_WORDS = 3  # a dateline or time stamp ("May 2, 2013 1: 35 pm.") tells no news
# words of a time stamp, not of news: "May 2, 2013 1: 35 pm", "Posted: Friday 11: 10 am EDT"
_CALENDAR_WORDS = (
    "january february march april may june july august september october november december"
    " jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday"
    " friday saturday sunday am pm a.m p.m edt est et gmt utc bst pdt pst cdt cst posted"
    " updated published"
)
_CALENDAR = frozenset(_CALENDAR_WORDS.split())


@dataclass(slots=True)
class Candidate:
    """A source sentence that may enter the briefing, with the claims it states."""

    article: str
    start: int
    end: int
    facts: list[int]
    claims: list[int]
    score: float
    headline: bool
    vector: np.ndarray
    keys: frozenset[str]


def sentence_candidates(sc: StoryClaims) -> list[Candidate]:
    """Every source sentence with the claims its facts state, scored (`_score`)."""
    claim_of: dict[int, int] = {}
    for k, c in enumerate(sc.claims):
        for i in c.members:
            claim_of.setdefault(i, k)
    spread = _key_spread(sc.facts)
    n_articles = len({f.article for f in sc.facts})
    by_sentence: dict[tuple[str, int], list[int]] = {}
    for i, f in enumerate(sc.facts):
        by_sentence.setdefault((f.article, f.sentence), []).append(i)
    out = []
    for idx in by_sentence.values():
        first = sc.facts[idx[0]]
        claims = sorted({claim_of[i] for i in idx if i in claim_of})
        keys = frozenset(k for i in idx for k in sc.facts[i].keys)
        out.append(
            Candidate(
                first.article,
                first.start + _dateline(first.text),
                max(sc.facts[i].end for i in idx),
                idx,
                claims,
                _score(sc.facts, idx, sc.centroid, spread, n_articles),
                any(sc.headline[i] for i in idx),
                first.vector,
                keys,
            )
        )
    return out


# "WASHINGTON (AP) — ", "FORT WORTH, Texas (Reuters) - ": where the story was filed, not news
_DATELINE = re.compile(
    r"^[A-Z][A-Z.'’]+(?:[ -][A-Z][A-Z.'’]+)*(?:, [A-Z][\w.]*(?: [A-Z][\w.]*)?)?"
    r"(?: \([^)]{1,40}\))? ?[—–-]{1,2} *(?=[A-Z\"“‘'])"
)
# Titles that end a fragment, never a sentence: the splitter cut "Sen. | Lisa Murkowski"
_TITLES = frozenset(
    {"sen", "sens", "gov", "rep", "reps", "gen", "lt", "col", "sgt", "dr", "mr", "mrs", "ms"}
)


def _dateline(text: str) -> int:
    """Length of a leading dateline, so the briefing quotes the news after it (or 0)."""
    m = _DATELINE.match(text)
    return m.end() if m and len(text) - m.end() > 20 else 0


def _briefable(text: str) -> bool:
    """A sentence that states something on its own: long enough, not a question or
    fragment, and more than a time stamp (MIN_NEWS_WORDS words that are not numbers or
    calendar words)."""
    body = text[_dateline(text) :]
    words = body.split()
    news = [
        w for w in re.findall(r"[^\W\d_][\w.'’]*", body) if w.lower().strip(".") not in _CALENDAR
    ]
    if len(news) < MIN_NEWS_WORDS:
        return False
    if len(words) < MIN_BRIEF_WORDS or text.rstrip("\"”’' ").endswith(("?", ":", "—", "-")):
        return False
    return words[-1].rstrip(".").lower() not in _TITLES and not _cut_start(words)


# lower-case particles that open a name ("de Blasio said ...", "al-Sadr's ...")
_NAME_PARTICLES = frozenset(
    {"de", "van", "von", "der", "da", "di", "du", "la", "le", "al", "el", "bin"}
)


def _cut_start(words: Sequence[str]) -> bool:
    """A sentence the splitter cut out of another starts in lower case ("between the
    United States and China ...", "icon Ellen DeGeneres will ..."); "iPhone", "eBay"
    and "de Blasio" carry a capital or open a name, and are kept.

    >>> [_cut_start(t.split()) for t in ("between the two", "iPhone sales", "de Blasio said")]
    [True, False, False]
    """
    letters = [ch for ch in words[0] if ch.isalpha()]
    if not letters or not letters[0].islower() or any(ch.isupper() for ch in letters):
        return False
    head = words[0].split("-")[0].lower()
    return not (head in _NAME_PARTICLES and len(words) > 1 and words[1][:1].isupper())


def _score(
    facts: Sequence[Fact],
    piece: Sequence[int],
    centroid: np.ndarray,
    spread: dict[str, int],
    n_articles: int,
) -> float:
    """Similarity to the story centroid + lead bonus + how widely its words are reported."""
    first = facts[piece[0]]
    score = float(first.vector @ centroid) + LEAD_WEIGHT / (1 + first.sentence)
    keys = [k for i in piece for k in facts[i].keys]
    if keys and n_articles > 1:
        score += KEY_WEIGHT * sum(spread[k] - 1 for k in keys) / len(keys) / (n_articles - 1)
    return score - DANGLING_PENALTY * _dangling(first.text)


_DANGLING = frozenset(
    [
        "he",
        "she",
        "it",
        "they",
        "his",
        "her",
        "its",
        "their",
        "him",
        "them",
        "this",
        "that",
        "these",
        "those",
        "however",
        "but",
        "and",
        "also",
        "meanwhile",
        "still",
        "yet",
        "so",
        "then",
        "instead",
        "nevertheless",
    ]
)


def _dangling(text: str) -> float:
    """1 when a sentence leans on what came before it (a pronoun, "However", a quote)."""
    stripped = text.lstrip()
    if stripped[:1] in "\"“‘'":
        return 1.0
    first = stripped.split(" ", 1)[0].strip(",").lower()
    return 1.0 if first in _DANGLING else 0.0


def _key_spread(facts: Sequence[Fact]) -> dict[str, int]:
    """In how many articles each content key occurs (importance, not independence)."""
    seen: dict[str, set[str]] = {}
    for f in facts:
        for k in f.keys:
            seen.setdefault(k, set()).add(f.article)
    return {k: len(v) for k, v in seen.items()}


def restates(a: Candidate, b: Candidate) -> bool:
    """Two sentences that say the same thing (the redundancy test of issue 12)."""
    if float(a.vector @ b.vector) >= RESTATE_COSINE:
        return True
    union = a.keys | b.keys
    return bool(union) and len(a.keys & b.keys) / len(union) >= RESTATE_JACCARD


def _pool(sc: StoryClaims) -> list[Candidate]:
    every = sentence_candidates(sc)
    texts = {a.id: a.text for a in sc.articles}
    good = [c for c in every if _briefable(texts[c.article][c.start : c.end])] or every
    return [c for c in good if not c.headline] or good


def pick(sc: StoryClaims, limit: int) -> list[Candidate]:
    """MMR over the pool, skipping sentences whose claims are covered or that restate;
    a headline variant picked before the item that tells its headline is folded into
    that item (dropped, and the pick is run again without it)."""
    pool = _pool(sc)
    heads = story_headlines(
        sc.articles, (f.text for f, h in zip(sc.facts, sc.headline, strict=True) if h)
    )
    folded: set[int] = set()
    while True:
        picked = _mmr(pool, limit, heads, folded)
        chosen = [pool[k] for k in picked]
        late = _folded_variants(chosen, heads)
        if not late:
            return chosen
        folded.update(picked[n] for n in late)


def _mmr(
    pool: Sequence[Candidate], limit: int, heads: Sequence[frozenset[str]], skip: set[int]
) -> list[int]:
    """Indices of the pool picked by maximal marginal relevance (module doc)."""
    if not pool:
        return []
    vectors = np.stack([c.vector for c in pool])
    gain = MMR_LAMBDA * np.array([c.score for c in pool])
    redundancy = np.zeros(len(pool))
    open_ = np.array([k not in skip for k in range(len(pool))], dtype=bool)
    picked: list[int] = []
    covered: set[int] = set()
    while open_.any() and len(picked) < limit:
        k = int(np.argmax(np.where(open_, gain - (1 - MMR_LAMBDA) * redundancy, -np.inf)))
        open_[k] = False
        c, chosen = pool[k], [pool[n] for n in picked]
        if set(c.claims) <= covered or any(restates(c, p) for p in chosen):
            continue
        if _headline_told(c, chosen, heads):
            continue
        covered.update(c.claims)
        picked.append(k)
        redundancy = np.maximum(redundancy, vectors @ c.vector)
    return picked


def _headline_told(
    c: Candidate, picked: Sequence[Candidate], heads: Sequence[frozenset[str]]
) -> bool:
    """Whether `c` only restates a headline whose claim a picked item tells already:
    then it is a variant of that item's claim (`headline_variants`), not news."""
    return any(states(p.keys, heads[h]) for h in variant_of(c.keys, heads) for p in picked)


def _folded_variants(picked: Sequence[Candidate], heads: Sequence[frozenset[str]]) -> list[int]:
    """Positions of picked headline variants whose headline an item picked *after*
    them tells (`_mmr` already skips those whose headline was told before them)."""
    return [
        n
        for n, c in enumerate(picked)
        if any(states(p.keys, heads[h]) for h in variant_of(c.keys, heads) for p in picked[n + 1 :])
    ]


def briefing(sc: StoryClaims, limit: int) -> list[dict[str, Any]]:
    """At most `limit` cited items, most independently supported first (module doc)."""
    picked = pick(sc, limit)
    support = [max((sc.claims[k].sources for k in c.claims), default=1) for c in picked]
    order = sorted(range(len(picked)), key=lambda n: (-support[n], n))
    return [_item(sc, picked[n]) for n in order]


def _status(sc: StoryClaims, c: Candidate) -> str:
    statuses = {sc.claims[k].status for k in c.claims}
    for s in ("conflicting", "corroborated"):
        if s in statuses:
            return s
    return "single_source"


def _item(sc: StoryClaims, c: Candidate) -> dict[str, Any]:
    """A briefing item: the sentence verbatim, cited to its article and every supporter."""
    text = next(a.text for a in sc.articles if a.id == c.article)[c.start : c.end]
    cites = [{"article": c.article, "start": c.start, "end": c.end, "text": text,
              "scope": "sentence"}]  # fmt: skip
    for k in c.claims:
        for v in sc.claims[k].variants:
            if all(x["article"] != v.span.article for x in cites):
                cites.append({**v.span.as_dict(), "scope": "supports"})
    ids = [sc.claims[k].id for k in c.claims]
    return {
        "text": text,
        "fact": ids[0] if ids else None,
        "facts": ids,
        "status": _status(sc, c),
        "citations": cites,
        "values": disputed_values(sc, [sc.claims[k] for k in c.claims]),
    }
