"""Aligning facts across sources: which sentences of different articles state one thing.

Meaning alone never decides (GUIDE.md §4: MiniLM scores "Putin invited Trump" and
"Trump invited Putin" ~0.77). A link needs both:

- *lexical structure*: the content words the two facts share, each weighted by how
  rare it is in the story (an inverse fact frequency). Words every article repeats
  (the story's main event, its protagonists) weigh little; the shared *detail* weighs
  a lot. Words inside entity names count a tenth: sharing "Putin" says who, not what.
- *meaning*: the cosine of the stored sentence embeddings above a floor.

and none of the structural vetoes: the same predicate with its participants swapped,
different named people as the actors, or incompatible numbers of the same kind in a
pair that is not close enough to be a contradiction (verdict.py decides those).

A pair with weaker evidence (CO_LINK_LEXICAL) still links when the facts linked to
both, in third articles, make up most of either's partners (`co_linked`): two outlets
wording one detail differently are each tied to the others' reports of it.

On ECB+ "secondary events" (bench/brief_eval.py) the lexical evidence alone beats
cosine and plain lemma overlap, and the meaning floor is low on purpose: beyond it,
cosine adds nothing there (so a quantised embedder moves little). The thresholds
below were set on the visible split, checked on its train and dev topics apart, and
are the same for every story size because weights are normalised by log(N).

Grouping is a guarded star: a pivot fact (most supported first) takes, from each
other article, its best linked fact; members must link to the pivot itself, so links
never chain A~B~C into one fact.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..analyse.quantities import compatible
from ..models import Quantity
from .facts import Fact
from .words import IRREGULAR, NUMBER_WORDS, content_keys, stem

ENTITY_FACTOR = 0.1  # a shared name says who, not what happened
NUMBER_FACTOR = 0.5  # "three" and "2013" help, but numbers recur by chance
TIME_FACTOR = 0.5  # "Tuesday", "week": when, not what
PHRASE_BONUS = 0.1  # per shared ordered pair of adjacent content words (at most 3)
LEXICAL_MIN = 0.37  # weighted shared-detail evidence needed for a link
SIM_MIN = 0.15  # and a floor on meaning: shared words in unrelated sentences
CO_LINK_LEXICAL = 0.25  # weaker evidence links when third facts tie the two together:
CO_LINK_MIN = 3  # ... at least this many partners (linked to both) in other articles
CO_LINK_SHARE = 0.7  # ... making up this share of the smaller of the two partner sets
WITNESS_LEXICAL = 1.25  # a mutual best match must share more than one rare word to count
WITNESS_SIM = 0.4  # ... and mean the same thing, not share a side remark
CONFIDENT_LEXICAL = 1.5  # a link this strong is trusted even when not a mutual best match
CONFIDENT_SIM = 0.45
ENTITY_BONUS = 0.5  # the same two or more named participants: "in compatible roles"
NEAR_BEST = 0.75  # "mutual best" tolerates a runner-up this close (one clause ~ two)
QUANTITY_BONUS = 0.5  # per pair of comparable, compatible quantities ("3 hours" ~ "3-hour")
NEGATION_BONUS = 1.0  # a key negated in both facts counts again: same detail, same polarity
CANDIDATES_PER_FACT = 48  # blocking: at most this many candidate partners per fact ...
CANDIDATE_BUDGET = 24_000  # ... and about this many pairs in all (big stories stay fast)
BLOCK_WEIGHT = 0.05  # only keys at least this rare propose candidate pairs
PASSIVE_MARK = " by "


@dataclass(slots=True, frozen=True)
class Link:
    """Evidence that two facts (indices into the story's fact list) state one thing."""

    a: int
    b: int
    sim: float
    lexical: float
    shared: frozenset[str]
    entities: float = 0.0  # Jaccard of the named participants, when two or more are shared

    @property
    def strong(self) -> bool:
        """Linked on its own evidence, not only through third facts (`co_linked`)."""
        return self.lexical >= LEXICAL_MIN

    @property
    def structure(self) -> float:
        """Lexical evidence plus agreement on who and where (the witness test uses it)."""
        return self.lexical + ENTITY_BONUS * self.entities

    @property
    def score(self) -> float:
        return self.sim + self.structure


def key_weights(facts: Sequence[Fact]) -> dict[str, float]:
    """Inverse fact frequency of every key, normalised to [0, 1] by log(N + 1).

    Normalising makes one threshold mean the same in a 2-article story and in a
    50-article one: a key found in one fact in N weighs ~1, one in every fact ~0.
    Numbers and time words are scaled down here once (`_intrinsic`). Identical
    sentences (wire copy) count once, so reprints do not make their words look common.
    """
    df: dict[str, int] = defaultdict(int)
    distinct = {f.text: f.keys for f in facts}  # a reprinted sentence counts once
    for keys in distinct.values():
        for k in keys:
            df[k] += 1
    n = len(distinct)
    norm = math.log(n + 1) or 1.0
    return {
        k: max(0.0, math.log((n + 1) / (c + 0.5)) / norm) * _intrinsic(k) for k, c in df.items()
    }


_TIME = (
    "monday tuesday wednesday thursday friday saturday sunday january february march "
    "april may june july august september october november december today yesterday "
    "tonight tomorrow week month year day night morning afternoon evening time hour"
)
TIME_WORDS = frozenset(stem(w) for w in _TIME.split(" "))


def _qkey(q: Quantity) -> tuple[str, str, float, str | None, str | None]:
    return (q.text, q.kind, q.value, q.unit, q.qualifier)


@lru_cache(maxsize=65536)
def _agree(
    ka: tuple[str, str, float, str | None, str | None],
    kb: tuple[str, str, float, str | None, str | None],
) -> bool | None:
    return compatible(Quantity(0, len(ka[0]), *ka), Quantity(0, len(kb[0]), *kb))


def agree(a: Quantity, b: Quantity) -> bool | None:
    """`quantities.compatible`, memoised: it re-reads the number's text on every call."""
    return _agree(_qkey(a), _qkey(b))


def _intrinsic(key: str) -> float:
    """How much a key can say about *what* happened, whoever says it."""
    if key[0].isdigit() or key in NUMBER_WORDS:
        return NUMBER_FACTOR
    return TIME_FACTOR if key in TIME_WORDS else 1.0


def lexical_evidence(a: Fact, b: Fact, weights: dict[str, float]) -> tuple[float, frozenset[str]]:
    """Weighted overlap of the two facts' content keys, and the shared keys.

    `weights` come from `key_weights` (rarity times the key's own factor); a key inside
    an entity name in either fact counts ENTITY_FACTOR of that. Bonuses: a key negated
    in both facts counts again, shared two-word phrases add, and so do compatible
    quantities written differently ("3" / "three", "$184M" / "$184 million"): one whose
    words both facts share is counted by the keys already (twice was noise on ECB+).
    """
    shared = a.keys & b.keys
    named = shared & (a.entity_keys | b.entity_keys)
    total = sum(weights.get(k, 0.0) for k in shared - named)
    total += ENTITY_FACTOR * sum(weights.get(k, 0.0) for k in named)
    total += NEGATION_BONUS * sum(weights.get(k, 0.0) for k in a.negated & b.negated)
    if a.quantities and b.quantities:
        total += QUANTITY_BONUS * sum(
            1
            for qa in a.quantities
            for qb in b.quantities
            if agree(qa, qb) and not (_quantity_keys(qa) <= shared)
        )
    if len(shared) > 1:
        total += PHRASE_BONUS * min(3, len(a.phrases & b.phrases))
    return total, shared


@lru_cache(maxsize=65536)
def _keys_of(text: str) -> frozenset[str]:
    return content_keys(text)


def _quantity_keys(q: Quantity) -> frozenset[str]:
    """The words of a quantity: when both facts share them all, the keys counted it already."""
    return _keys_of(q.text)


def swapped_roles(a: Fact, b: Fact, shared: frozenset[str]) -> bool:
    """True when two named participants sit on opposite sides of a shared predicate.

    "Putin invited Trump" vs "Trump invited Putin": both name the two people and share
    "invit", but the order around it is reversed. A passive ("was invited by") flips
    the order back, so a fact with " by " between them is read as reversed already.
    """
    people = sorted((a.persons | a.places) & (b.persons | b.places))
    if len(people) < 2:
        return False
    preds = [k for k in shared if _predicate(a, k) and _predicate(b, k)]
    for i, p in enumerate(people):
        for q in people[i + 1 :]:
            for k in preds:
                oa, ob = _order(a, p, q, k), _order(b, p, q, k)
                if oa is not None and ob is not None and oa != ob:
                    return True
    return False


def _predicate(f: Fact, key: str) -> bool:
    """A key written as a verb form in `f` ("invited", "met", "tells"), not a name or title."""
    if key in f.entity_keys:
        return False
    return any(t.key == key and _verb_form(t.text) for t in f.tokens)


def _verb_form(word: str) -> bool:
    low = word.lower()
    return (
        low in IRREGULAR
        or low.endswith(("ed", "ing"))
        or (low.endswith("s") and not low.endswith("ss") and low[:-1] in IRREGULAR.values())
    )


def _order(f: Fact, p: str, q: str, key: str) -> bool | None:
    """Whether p precedes the predicate and q follows it (None if not p-k-q or q-k-p)."""
    pp, qq, kk = f.entity_positions(p), f.entity_positions(q), f.key_positions(key)
    if not (pp and qq and kk):
        return None
    k = kk[0]
    if min(pp) < k < max(qq) and not any(x > k for x in pp if x < max(qq)):
        forward = True
    elif min(qq) < k < max(pp) and not any(x > k for x in qq if x < max(pp)):
        forward = False
    else:
        return None
    between = f.text[min(k, max(pp + qq)) - f.start : max(pp + qq) - f.start]
    return forward != (PASSIVE_MARK in between)


def different_actors(a: Fact, b: Fact) -> bool:
    """Both facts name people, and not one in common: different people did it."""
    return bool(a.persons) and bool(b.persons) and not (a.persons & b.persons)


def numbers_disagree(a: Fact, b: Fact) -> bool:
    """Some quantity of one fact is incompatible with every comparable one of the other."""
    for qa in a.quantities:
        verdicts = [agree(qa, qb) for qb in b.quantities]
        known = [v for v in verdicts if v is not None]
        if known and not any(known):
            return True
    return False


def entity_agreement(a: Fact, b: Fact) -> float:
    """Jaccard of the named participants when at least two are shared, else 0."""
    pa, pb = a.participants, b.participants
    shared = pa & pb
    return len(shared) / len(pa | pb) if len(shared) >= 2 else 0.0


def evidence(a: Fact, b: Fact, weights: dict[str, float], sim: float) -> Link | None:
    """The link between two facts of different sources, or None (see module doc)."""
    lexical, shared = lexical_evidence(a, b, weights)
    if sim < SIM_MIN or lexical < CO_LINK_LEXICAL:
        return None
    if swapped_roles(a, b, shared):
        return None
    return Link(-1, -1, sim, lexical, shared, entity_agreement(a, b))


def candidate_pairs(
    facts: Sequence[Fact], sims: np.ndarray, weights: dict[str, float]
) -> list[tuple[int, int]]:
    """Pairs worth scoring: different articles, sharing a rare-enough key, top by similarity.

    Blocking keeps big stories fast: a pair must share a key of weight >= BLOCK_WEIGHT
    (a link needs weighted evidence anyway), reach SIM_MIN, and each fact keeps only its
    most similar such partners (CANDIDATES_PER_FACT, fewer in stories so big that
    CANDIDATE_BUDGET would be exceeded).
    """
    owners: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(facts):
        for k in f.keys:
            if weights.get(k, 0.0) >= BLOCK_WEIGHT:
                owners[k].append(i)
    per_fact = max(12, min(CANDIDATES_PER_FACT, CANDIDATE_BUDGET // max(1, len(facts))))
    articles = np.array([f.article for f in facts], dtype=object)
    pairs: set[tuple[int, int]] = set()
    for i, f in enumerate(facts):
        found = {j for k in f.keys for j in owners.get(k, ())}
        if not found:
            continue
        partners = np.fromiter(found, dtype=np.int64, count=len(found))
        row = sims[i, partners]
        keep = (row >= SIM_MIN) & (articles[partners] != f.article)
        partners, row = partners[keep], row[keep]
        if len(partners) > per_fact:
            top = np.argpartition(-row, per_fact - 1)[:per_fact]
            partners = partners[top]
        pairs.update((min(i, int(j)), max(i, int(j))) for j in partners)
    return sorted(pairs)


def similarities(facts: Sequence[Fact]) -> np.ndarray:
    """Cosine matrix of the fact vectors (stored vectors are L2-normalised)."""
    if not facts:
        return np.zeros((0, 0), np.float32)
    mat = np.stack([f.vector for f in facts]).astype(np.float32)
    return np.asarray(mat @ mat.T)


def link_facts(
    facts: Sequence[Fact],
    sims: np.ndarray | None = None,
    weights: dict[str, float] | None = None,
) -> list[Link]:
    """Every pair of facts from different articles that states the same detail.

    A pair links on its own evidence (LEXICAL_MIN), or on weaker evidence
    (CO_LINK_LEXICAL) when third facts tie it together (`co_linked`). Wire copy repeats
    sentences verbatim across outlets, so the evidence for a pair of texts is computed
    once and reused for every other copy of the same pair.
    """
    sims = similarities(facts) if sims is None else sims
    weights = key_weights(facts) if weights is None else weights
    links = []
    seen: dict[tuple[str, str], Link | None] = {}
    for i, j in candidate_pairs(facts, sims, weights):
        pair = (facts[i].text, facts[j].text)
        if pair not in seen:
            seen[pair] = evidence(facts[i], facts[j], weights, float(sims[i, j]))
        found = seen[pair]
        if found is not None:
            links.append(Link(i, j, found.sim, found.lexical, found.shared, found.entities))
    return co_linked(links)


def co_linked(links: Sequence[Link]) -> list[Link]:
    """The strong links, and the weaker ones that the same third facts support.

    Two reports of one detail in other words share few rare words, but each shares
    plenty with the other outlets' reports of it: when the facts linked to both make up
    most of the partners of either (CO_LINK_SHARE, at least CO_LINK_MIN of them), the
    weak link is kept. Only strong links count as partners, so support never chains.
    On ECB+ this adds recall at the strong links' precision, on train and dev topics.
    """
    partners: dict[int, set[int]] = defaultdict(set)
    for link in links:
        if link.strong:
            partners[link.a].add(link.b)
            partners[link.b].add(link.a)
    out = []
    for link in links:
        if link.strong:
            out.append(link)
            continue
        pa, pb = partners.get(link.a, set()), partners.get(link.b, set())
        common = len(pa & pb)
        if common >= CO_LINK_MIN and common >= CO_LINK_SHARE * min(len(pa), len(pb)):
            out.append(link)
    return out


@dataclass(slots=True)
class Group:
    """Facts stating one thing: a pivot, the facts placed with it, and outside support.

    `members` holds at most one fact per article (the pivot's best link there) and each
    fact is a member of exactly one group. `support` holds linked facts already placed
    in an earlier group: one sentence of article B may back two facts of article A.
    """

    pivot: int
    members: list[int]
    support: list[int]

    @property
    def facts(self) -> list[int]:
        return self.members + self.support


def confident_links(facts: Sequence[Fact], links: Sequence[Link]) -> list[Link]:
    """The links trusted for corroboration: mutual best matches, or strong on their own.

    A pairwise link only says two sentences share rare detail; in a story where most
    sentence pairs are unrelated that is not enough to call one the other's witness.
    A link is kept when each fact is the other's best link in the other's article (or a
    close runner-up: one clause may match two in the other article) and
    they share more than one rare word and their meanings are close (WITNESS_LEXICAL,
    WITNESS_SIM), or when its evidence is strong
    by itself (CONFIDENT_LEXICAL and CONFIDENT_SIM), and never when the two facts name
    disjoint sets of people as actors. Co-linked pairs (`co_linked`) are never witnesses
    and do not compete for "best".
    """
    links = [link for link in links if link.strong]
    best: dict[tuple[int, str], float] = {}
    for link in links:
        for i, j in ((link.a, link.b), (link.b, link.a)):
            slot = (i, facts[j].article)
            best[slot] = max(best.get(slot, 0.0), link.score)
    out = []
    for link in links:
        a, b = facts[link.a], facts[link.b]
        mutual = link.score >= NEAR_BEST * max(best[(link.a, b.article)], best[(link.b, a.article)])
        witness = mutual and link.structure >= WITNESS_LEXICAL and link.sim >= WITNESS_SIM
        strong = link.structure >= CONFIDENT_LEXICAL and link.sim >= CONFIDENT_SIM
        if (witness or strong) and not different_actors(a, b):
            out.append(link)
    return out


def group_facts(facts: Sequence[Fact], links: Sequence[Link]) -> list[Group]:
    """Guarded star grouping of confident links (every fact lands in exactly one group).

    Facts linked to the most sources go first; a pivot takes, from each other article,
    its best-scoring linked fact not yet placed (or, when all are placed, cites the best
    one as support). Members all link to the pivot itself, so a chain of weak links
    never merges two different facts. Unlinked facts become single-fact groups.
    """
    nbrs: dict[int, dict[int, float]] = defaultdict(dict)
    for link in confident_links(facts, links):
        nbrs[link.a][link.b] = link.score
        nbrs[link.b][link.a] = link.score

    def reach(i: int) -> tuple[int, float]:
        return len({facts[j].source for j in nbrs[i]}), sum(nbrs[i].values())

    order = sorted(range(len(facts)), key=lambda i: (reach(i), -i), reverse=True)
    placed: set[int] = set()
    groups = []
    for pivot in order:
        if pivot in placed:
            continue
        best: dict[str, tuple[bool, float, int]] = {}
        for j, score in nbrs[pivot].items():
            art = facts[j].article
            if art == facts[pivot].article:
                continue
            cand = (j not in placed, score, j)
            if art not in best or cand > best[art]:
                best[art] = cand
        members = [pivot, *sorted(j for free, _, j in best.values() if free)]
        support = sorted(j for free, _, j in best.values() if not free)
        placed.update(members)
        groups.append(Group(pivot, members, support))
    return groups
