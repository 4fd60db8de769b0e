"""The story brief: facts with verdicts, a cited extractive briefing, quotes, omissions, timeline.

`build_brief(db, article_keys, settings)` returns the brief contract of GUIDE.md §3 for
any set of stored, analysed articles; it does not depend on clustering, so the CLI,
the web app and the benchmark all brief a story the same way. It loads no model: the
facts come from the stored analysis and sentence vectors (corroborate.facts), so a
story of fifty articles is briefed in well under a second.

The briefing is extractive and never states anything no source stated: each item is
a sentence taken verbatim from one article (or, when part of that sentence is
contradicted elsewhere, an undisputed clause of it alone), cited to every article
whose aligned fact supports it, with character offsets into the stored text.
Sentences are scored by centrality — similarity to the story's centroid (which
includes the headlines), how widely their words are reported across the articles
(corroboration at the word level), a lead bonus, a small penalty for sentences that
lean on context ("He said ...") — picked with maximal marginal relevance, skipped
when every fact they state is already briefed, and corroborated ones come first.
Fragments the sentence splitter leaves (a bare dateline, "Republican Sens.", questions)
are not briefed, and a leading dateline ("WASHINGTON (AP) — ") is left out of the span.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..corroborate.align import Group, group_facts, key_weights, link_facts, similarities
from ..corroborate.facts import Fact, StoryArticle, load_story, story_facts
from ..corroborate.verdict import (
    Conflict,
    evidence_of,
    fact_conflicts,
    role_conflicts,
    status_of,
)
from ..settings import Settings
from ..store import queries
from ..store.database import Database
from .ledger import omissions, quote_ledger
from .timeline import timeline

SOURCE_WEIGHT = 0.15  # centrality bonus for a fact every independent source reports
LEAD_WEIGHT = 0.5  # news puts the event first: bonus 1/(1 + sentence index)
MMR_LAMBDA = 0.7  # relevance vs novelty in the briefing
KEY_WEIGHT = 1.0  # bonus for words that many articles use: word-level corroboration
DANGLING_PENALTY = 0.1  # "He said ..." / "However, ..." reads badly out of its article
STATUS_ORDER = {"corroborated": 0, "single_source": 1, "conflicting": 2}


@dataclass(slots=True)
class Unit:
    """A group of facts with its verdict, on its way to a fact record."""

    group: Group
    conflicts: list[Conflict] = field(default_factory=list)
    extra: list[int] = field(default_factory=list)  # facts joined through a contradiction

    @property
    def facts(self) -> list[int]:
        return self.group.members + self.extra + self.group.support


def build_brief(
    db: Database,
    article_keys: list[str],
    settings: Settings,
    story_id: str | None = None,
    title: str | None = None,
) -> dict[str, Any]:
    """The full brief contract (GUIDE.md §3) for these stored articles."""
    arts = load_story(db.conn, article_keys)
    facts = story_facts(arts)
    sims = similarities(facts)
    weights = key_weights(facts)
    links = link_facts(facts, sims, weights)
    units = [Unit(g) for g in group_facts(facts, links)]
    quotes, speaker_conflicts = quote_ledger(facts)
    roles = role_conflicts(facts)
    attach_conflicts(units, most_specific(speaker_conflicts + fact_conflicts(facts, links)))
    number_conflicts(roles, start=sum(len(u.conflicts) for u in units) + 1)
    centroid = story_centroid(db.conn, arts, facts)
    records, members, status = fact_records(facts, units, centroid)
    records += [role_record(facts, c) for c in roles]
    members += [[] for _ in roles]  # a descriptor is not a dated event
    ids = [a.id for a in arts]
    return {
        "story": {"id": story_id, "title": title or _title(arts, records)},
        "articles": [_article(a, arts, db.conn) for a in arts],
        "facts": records,
        "briefing": briefing(
            facts, units, status, centroid, {a.id: a.text for a in arts}, settings.brief_sentences
        ),
        "quotes": quotes,
        "omissions": omissions(ids, records),
        "timeline": timeline(facts, records, members),
        "stats": _stats(arts, records),
    }


# ----------------------------------------------------------------------------- verdicts


SPECIFICITY = ("speaker", "date", "duration", "number", "place", "role", "negation", "person")


def _rank(c: Conflict) -> int:
    return SPECIFICITY.index(c.kind) if c.kind in SPECIFICITY else len(SPECIFICITY)


def most_specific(conflicts: Sequence[Conflict]) -> list[Conflict]:
    """One reason per pair of facts: a changed speaker is not also a changed "person"."""
    best: dict[object, Conflict] = {}
    for n, c in enumerate(conflicts):
        key: object = tuple(sorted(c.facts)) if c.facts else n
        if key not in best or _rank(c) < _rank(best[key]):
            best[key] = c
    return list(best.values())


def number_conflicts(conflicts: Sequence[Conflict], start: int) -> None:
    """Give contradictions not attached to a unit their ids (c<n>), after the others."""
    for n, c in enumerate(conflicts, start):
        c.id = f"c{n}"


def role_record(facts: Sequence[Fact], c: Conflict) -> dict[str, Any]:
    """A role contradiction as a fact of its own ("X is former president / president").

    It is about how a person is described, not about what happened, so it does not
    mark the sentences it comes from as disputed: the meeting they report stays
    corroborated and may still be briefed.
    """
    evidence = c.evidence
    return {
        "id": f"{c.id}:role",
        "status": "conflicting",
        "text": str(evidence[0]["text"]),
        "article": evidence[0]["article"],
        "reported_by": list(dict.fromkeys(str(e["article"]) for e in evidence)),
        "sources": len({facts[i].source for i in c.facts or ()}),
        "evidence": evidence,
        "conflicts": [c.as_dict()],
        "dates": [],
        "centrality": 0.0,
    }


def attach_conflicts(units: list[Unit], conflicts: Sequence[Conflict]) -> None:
    """Give each contradiction to the unit of its first fact.

    When the second fact stands alone (a single-source unit) it joins that unit, so the
    contradicting report is shown with what it contradicts instead of as a separate
    "single-source" fact; otherwise both units carry the contradiction.
    """
    home = {i: k for k, u in enumerate(units) for i in u.group.members}
    gone: set[int] = set()
    for n, c in enumerate(conflicts, 1):
        c.id = f"c{n}"
        if c.facts is None:
            continue
        ka, kb = home[c.facts[0]], home[c.facts[1]]
        units[ka].conflicts.append(c)
        if ka == kb:
            continue
        other = units[kb]
        if len(other.group.members) == 1 and not other.group.support and not other.extra:
            units[ka].extra.append(c.facts[1])
            gone.add(kb)
            home[c.facts[1]] = ka
        else:
            other.conflicts.append(c)
    units[:] = [u for k, u in enumerate(units) if k not in gone]


def story_centroid(
    conn: sqlite3.Connection, arts: Sequence[StoryArticle], facts: Sequence[Fact]
) -> np.ndarray:
    """Mean of the stored article vectors (title + lead + body), else of the facts."""
    vecs = []
    for a in arts:
        row = conn.execute(
            "SELECT vector FROM article_vectors WHERE article_key = ?", (a.key,)
        ).fetchone()
        if row is not None and row[0]:
            vecs.append(np.frombuffer(row[0], dtype=np.float32))
    if not vecs and facts:
        vecs = [f.vector for f in facts]
    if not vecs:
        return np.zeros(384, np.float32)
    mean = np.mean(vecs, axis=0)
    norm = float(np.linalg.norm(mean))
    return (mean / norm if norm else mean).astype(np.float32)


def _centrality(facts: Sequence[Fact], unit: Unit, centroid: np.ndarray, n_sources: int) -> float:
    lead = facts[unit.group.pivot]
    sources = len({facts[i].source for i in unit.facts})
    bonus = SOURCE_WEIGHT * (sources - 1) / max(1, n_sources - 1)
    return float(lead.vector @ centroid) + bonus + LEAD_WEIGHT / (1 + lead.sentence)


def fact_records(
    facts: Sequence[Fact], units: list[Unit], centroid: np.ndarray
) -> tuple[list[dict[str, Any]], list[list[int]], list[str]]:
    """Fact records in importance order (status, then centrality), their member facts,
    and the status of every unit in `units` order."""
    n_sources = len({f.source for f in facts})
    status = [status_of(len({facts[i].source for i in u.facts}), u.conflicts) for u in units]
    score = [_centrality(facts, u, centroid, n_sources) for u in units]
    order = sorted(
        range(len(units)),
        key=lambda k: (STATUS_ORDER[status[k]], -score[k], _position(facts, units[k])),
    )
    records = [_record(facts, units[k], status[k], score[k]) for k in order]
    return records, [units[k].facts for k in order], status


def _position(facts: Sequence[Fact], u: Unit) -> tuple[str, int, int]:
    f = facts[u.group.pivot]
    return (f.article, f.sentence, f.start)


def _record(facts: Sequence[Fact], u: Unit, status: str, score: float) -> dict[str, Any]:
    pivot = facts[u.group.pivot]
    seen: list[str] = []
    for i in u.facts:
        if facts[i].article not in seen:
            seen.append(facts[i].article)
    return {
        "id": pivot.id,
        "status": status,
        "text": pivot.text,
        "article": pivot.article,
        "reported_by": seen,
        "sources": len({facts[i].source for i in u.facts}),
        "evidence": [evidence_of(facts[i]) for i in u.facts],
        "conflicts": [c.as_dict() for c in u.conflicts],
        "dates": sorted({d.value for i in u.facts for d in facts[i].dates if d.value}),
        "centrality": round(score, 4),
    }


# ----------------------------------------------------------------------------- briefing


@dataclass(slots=True)
class Candidate:
    """A source sentence that may enter the briefing, with the units its clauses belong to."""

    article: str
    start: int
    end: int
    facts: list[int]
    units: list[int]
    score: float
    status: str
    vector: np.ndarray


def sentence_candidates(
    facts: Sequence[Fact],
    units: Sequence[Unit],
    status: Sequence[str],
    centroid: np.ndarray,
) -> list[Candidate]:
    """Every source sentence, scored for the briefing (see `_score`).

    A sentence with a disputed clause is never offered whole: its undisputed clauses
    are offered alone, so the briefing states nothing that a source contradicts.
    Status is the best of the clauses' (one corroborated clause makes corroborated news).
    """
    unit_of = {i: k for k, u in enumerate(units) for i in u.group.members + u.extra}
    spread = _key_spread(facts)
    n_articles = len({f.article for f in facts})
    by_sentence: dict[tuple[str, int], list[int]] = {}
    for i, f in enumerate(facts):
        by_sentence.setdefault((f.article, f.sentence), []).append(i)
    out = []
    for idx in by_sentence.values():
        disputed = [i for i in idx if units[unit_of[i]].conflicts]
        pieces = [[i] for i in idx if i not in disputed and _clean(facts[i])] if disputed else [idx]
        for piece in pieces:
            ks = sorted({unit_of[i] for i in piece})
            first = facts[piece[0]]
            best = min((status[k] for k in ks), key=STATUS_ORDER.__getitem__)
            score = _score(facts, piece, centroid, spread, n_articles)
            start = first.start + _dateline(first.text)
            end = max(facts[i].end for i in piece)
            out.append(Candidate(first.article, start, end, piece, ks, score, best, first.vector))
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
MIN_BRIEF_WORDS = 6  # shorter "sentences" are fragments ("Perhaps.", "WASHINGTON —")


def _dateline(text: str) -> int:
    """Length of a leading dateline, so the briefing quotes the news after it (or 0)."""
    m = _DATELINE.match(text)
    return m.end() if m and len(text) - m.end() > 20 else 0


def _briefable(text: str) -> bool:
    """A sentence that states something on its own: long enough, not a question or fragment.

    Sentence splitting leaves fragments ("Republican Sens.", "FORT WORTH, Texas (AP) —"),
    and questions or one-word replies state no fact; a briefing of such lines misleads.
    """
    words = text[_dateline(text) :].split()
    if len(words) < MIN_BRIEF_WORDS or text.rstrip("\"”’' ").endswith(("?", ":", "—", "-")):
        return False
    return words[-1].rstrip(".").lower() not in _TITLES


def _clean(f: Fact) -> bool:
    """A clause that reads as a sentence alone: it starts like one ("before the ..." does not)."""
    return f.text[:1].isupper() or f.text[:1] in "\"“‘'"


def _score(
    facts: Sequence[Fact],
    piece: Sequence[int],
    centroid: np.ndarray,
    spread: dict[str, int],
    n_articles: int,
) -> float:
    """Similarity to the story centroid + lead bonus + how widely its words are reported.

    The last term is corroboration at the word level: the mean, over the sentence's
    content words, of the share of other articles that use the word too.
    """
    first = facts[piece[0]]
    score = float(first.vector @ centroid) + LEAD_WEIGHT / (1 + first.sentence)
    keys = [k for i in piece for k in facts[i].keys]
    if keys and n_articles > 1:
        score += KEY_WEIGHT * sum(spread[k] - 1 for k in keys) / len(keys) / (n_articles - 1)
    return score - DANGLING_PENALTY * _dangling(first.text)


_DANGLING_WORDS = (
    "he she it they his her its their him them this that these those however but and also "
    "meanwhile still yet so then instead nevertheless"
)
_DANGLING = frozenset(_DANGLING_WORDS.split())


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


def briefing(
    facts: Sequence[Fact],
    units: Sequence[Unit],
    status: Sequence[str],
    centroid: np.ndarray,
    texts: dict[str, str],
    limit: int,
) -> list[dict[str, Any]]:
    """At most `limit` cited sentences: MMR over central ones, corroborated first.

    A sentence whose clauses' facts are all already covered by picked sentences adds
    nothing and is skipped, whatever its wording; fragments (`_briefable`) are only
    briefed when a story has nothing else.
    """
    every = sentence_candidates(facts, units, status, centroid)
    pool = [c for c in every if _briefable(texts[c.article][c.start : c.end])] or every
    if not pool:
        return []
    vectors = np.stack([c.vector for c in pool])
    gain = MMR_LAMBDA * np.array([c.score for c in pool])
    redundancy = np.zeros(len(pool))
    open_ = np.ones(len(pool), dtype=bool)
    picked: list[Candidate] = []
    covered: set[int] = set()
    while open_.any() and len(picked) < limit:
        k = int(np.argmax(np.where(open_, gain - (1 - MMR_LAMBDA) * redundancy, -np.inf)))
        open_[k] = False
        if set(pool[k].units) <= covered:
            continue
        covered.update(pool[k].units)
        picked.append(pool[k])
        redundancy = np.maximum(redundancy, vectors @ pool[k].vector)
    picked.sort(key=lambda c: STATUS_ORDER[c.status])
    return [_item(facts, units, c, texts) for c in picked]


def _item(
    facts: Sequence[Fact], units: Sequence[Unit], c: Candidate, texts: dict[str, str]
) -> dict[str, Any]:
    """A briefing item: the sentence verbatim, cited to its article and every supporter."""
    text = texts[c.article][c.start : c.end]
    cites = [{"article": c.article, "start": c.start, "end": c.end, "text": text}]
    cites[0]["scope"] = "sentence"
    for k in c.units:
        for i in units[k].facts:
            f = facts[i]
            if f.article != c.article and all(x["article"] != f.article for x in cites):
                cites.append({**evidence_of(f), "scope": "supports"})
    ids = [facts[units[k].group.pivot].id for k in c.units]
    return {"text": text, "fact": ids[0], "facts": ids, "status": c.status, "citations": cites}


# ----------------------------------------------------------------------------- misc


def _article(
    a: StoryArticle, arts: Sequence[StoryArticle], conn: sqlite3.Connection
) -> dict[str, Any]:
    ids = {x.key: x.id for x in arts}
    return {
        "id": a.id,
        "source": a.source,
        "title": a.title,
        "published": a.published,
        "url": a.url,
        "duplicate_of": queries.article_id_of(conn, a.duplicate_of),
        "independent_source": ids.get(a.independent, a.id),
        "analysed": a.analysis is not None and not a.analysis.skipped,
    }


def _title(arts: Sequence[StoryArticle], records: Sequence[dict[str, Any]]) -> str:
    """The first headline, else the most central fact cut to a headline's length."""
    for a in arts:
        if a.title:
            return a.title
    if not records:
        return "(empty story)"
    text = " ".join(str(records[0]["text"]).split())
    return text if len(text) <= 90 else text[:90].rsplit(" ", 1)[0] + "…"


def _stats(arts: Sequence[StoryArticle], records: Sequence[dict[str, Any]]) -> dict[str, int]:
    out = {"articles": len(arts), "independent_sources": len({a.independent for a in arts})}
    for status in STATUS_ORDER:
        out[status] = sum(r["status"] == status for r in records)
    return out
