"""Comparable fact records: sentences, or clauses of long sentences, with their structure.

A fact is the unit that corroboration compares across sources (issue 5): a span of one
article (`text == article.text[start:end]`) with the stored sentence embedding and the
structured values the analysis stage found inside the span — canonical entities,
places, people with their role descriptors, quantities, dates, quotes — plus what this
module derives from the words themselves: content lemma keys, the keys under a
negation ("no ceasefire was reached"), and where each key and entity sits (so "Putin
invited Trump" and "Trump invited Putin" can be told apart).

Everything here is pure text work over what the store already holds: no model is
loaded at brief time, so a story of fifty articles is briefed in well under a second.
Lemmas come from a light suffix stemmer plus a table of irregular verbs ("met" ->
"meet", "fell" -> "fall"); on ECB+ this matched spaCy's lemmatiser for alignment.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..analyse.store_rows import read_analysis
from ..models import Analysis, DateMention, Mention, Quantity, Quote
from .words import Token, clause_spans, negation, tokenize

PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
PARTICIPANT_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC"})


@dataclass(slots=True)
class StoryArticle:
    """One article of a story with its stored analysis and sentence vectors."""

    key: str
    id: str
    text: str
    title: str | None
    source: str | None
    url: str | None
    published: str | None
    duplicate_of: str | None
    independent: str  # articles with the same value are one source (reprints, one outlet)
    analysis: Analysis | None
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 384), np.float32))


@dataclass(slots=True, eq=False)
class Fact:
    """A comparable statement: one sentence or clause of one article."""

    id: str
    article: str  # the article's own id (GUIDE.md §3)
    source: str  # independence key: facts with equal `source` are one witness
    sentence: int
    start: int
    end: int
    text: str
    vector: np.ndarray
    tokens: tuple[Token, ...]
    keys: frozenset[str]
    entity_keys: frozenset[str]
    negated: frozenset[str]
    negated_heads: frozenset[str] = frozenset()
    mentions: tuple[Mention, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    dates: tuple[DateMention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    position: float = 0.0  # 0 for an article's first sentence, 1 for its last
    published: str | None = None
    # derived once in __post_init__: alignment asks for them thousands of times
    persons: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()
    participants: frozenset[str] = frozenset()  # named people, bodies and places
    phrases: frozenset[tuple[str, str]] = frozenset()  # adjacent content-word pairs
    memo: dict[str, Any] = field(default_factory=dict)  # per-fact values verdicts reuse

    def __post_init__(self) -> None:
        self.persons = frozenset(m.canonical for m in self.mentions if m.type == "PERSON")
        self.places = frozenset(m.canonical for m in self.mentions if m.type in PLACE_TYPES)
        self.participants = frozenset(
            m.canonical for m in self.mentions if m.type in PARTICIPANT_TYPES
        )
        keys = [t.key for t in self.tokens if t.key]
        self.phrases = frozenset(itertools.pairwise(keys))

    @property
    def entities(self) -> frozenset[str]:
        return frozenset(m.canonical for m in self.mentions)

    def key_positions(self, key: str) -> list[int]:
        return [t.start for t in self.tokens if t.key == key]

    def entity_positions(self, canonical: str) -> list[int]:
        return [m.start for m in self.mentions if m.canonical == canonical]


# ----------------------------------------------------------------------------- loading


def _independence(
    conn: sqlite3.Connection, rows: Sequence[sqlite3.Row], settings: Mapping[str, Any] | None
) -> dict[str, str]:
    """Independence key per article, from the outlet layer (issue 16): a reprint counts
    with its original, one outlet is one source, an article crediting or copying a wire
    story counts as the wire, and owner groups count once when `outlets_group_owners`
    says so. Articles naming no outlet stay separate (nothing says they are the same).
    """
    from ..outlets.coverage import article_units
    from ..outlets.resolve import Resolver

    default = True if settings is None else bool(settings["outlets_default_registry"])
    group = False if settings is None else bool(settings["outlets_group_owners"])
    resolver = Resolver.cached(conn, include_default=default)
    return article_units(resolver, rows, group_owners=group)


def _vectors(conn: sqlite3.Connection, key: str, analysis: Analysis) -> np.ndarray:
    """Stored sentence vectors in the order of `analysis.sentences` (zeros if missing)."""
    rows = conn.execute(
        'SELECT start, "end", embedding FROM sentences WHERE article_key = ?', (key,)
    ).fetchall()
    by_span = {(r["start"], r["end"]): r["embedding"] for r in rows}
    dim = next((len(b) // 4 for b in by_span.values() if b), 384)
    out = np.zeros((len(analysis.sentences), dim), np.float32)
    for i, s in enumerate(analysis.sentences):
        blob = by_span.get((s.start, s.end))
        if blob:
            out[i] = np.frombuffer(blob, dtype=np.float32)
    return out


def load_story(
    conn: sqlite3.Connection, keys: Iterable[str], settings: Mapping[str, Any] | None = None
) -> list[StoryArticle]:
    """The stored articles with these content keys (unknown keys are skipped), in order;
    `settings` decide how outlets count as independent sources (defaults otherwise)."""
    wanted = list(dict.fromkeys(keys))
    rows: list[sqlite3.Row] = []
    for k in wanted:
        row = conn.execute(
            "SELECT key, id, text, title, source, url, published, duplicate_of, meta, author"
            " FROM articles WHERE key = ?",
            (k,),
        ).fetchone()
        if row is not None:
            rows.append(row)
    indep = _independence(conn, rows, settings)
    out = []
    for r in rows:
        analysis = read_analysis(conn, r["key"], r["text"])
        art = StoryArticle(
            r["key"], r["id"], r["text"], r["title"], r["source"], r["url"], r["published"],
            r["duplicate_of"], indep[r["key"]], analysis,
        )  # fmt: skip
        if analysis is not None and not analysis.skipped:
            art.vectors = _vectors(conn, r["key"], analysis)
        out.append(art)
    return out


# ----------------------------------------------------------------------------- facts


def _inside(items: Iterable[Any], start: int, end: int) -> tuple[Any, ...]:
    return tuple(x for x in items if x.start >= start and x.end <= end)


def _overlapping(items: Iterable[Any], start: int, end: int) -> tuple[Any, ...]:
    return tuple(x for x in items if x.start < end and x.end > start)


def make_fact(
    art: StoryArticle, fact_id: str, sentence: int, span: tuple[int, int], vector: np.ndarray
) -> Fact:
    """One fact for `art.text[span]` with every analysis record inside it."""
    an = art.analysis or Analysis(lang="")
    start, end = span
    text = art.text[start:end]
    tokens = tuple(tokenize(text, start))
    mentions = _inside(an.mentions, start, end)
    entity_keys = frozenset(
        t.key for t in tokens if t.key and any(m.start <= t.start < m.end for m in mentions)
    )
    n = max(1, len(an.sentences) - 1)
    negated, heads = negation(tokens, text, start)
    return Fact(
        id=fact_id,
        article=art.id,
        source=art.independent,
        sentence=sentence,
        start=start,
        end=end,
        text=text,
        vector=vector,
        tokens=tokens,
        keys=frozenset(t.key for t in tokens if t.key),
        entity_keys=entity_keys,
        negated=negated,
        negated_heads=heads,
        mentions=mentions,
        quantities=_inside(an.quantities, start, end),
        dates=_inside(an.dates, start, end),
        quotes=_overlapping([q for q in an.quotes if q.kind != "indirect"], start, end),
        position=min(sentence / n, 1.0),
        published=art.published,
    )


def article_facts(art: StoryArticle, split: bool = True) -> list[Fact]:
    """The facts of one analysed article, clause-split where that helps."""
    if art.analysis is None or art.analysis.skipped:
        return []
    out = []
    for i, sent in enumerate(art.analysis.sentences):
        vec = art.vectors[i] if i < len(art.vectors) else np.zeros(384, np.float32)
        spans = clause_spans(sent.text) if split else [(0, len(sent.text))]
        for j, (a, b) in enumerate(spans):
            fid = f"{art.id}:{i}" if len(spans) == 1 else f"{art.id}:{i}.{j}"
            out.append(make_fact(art, fid, i, (sent.start + a, sent.start + b), vec))
    return out


def story_facts(articles: Sequence[StoryArticle], split: bool = True) -> list[Fact]:
    """All facts of a story, article by article."""
    return [f for art in articles for f in article_facts(art, split)]


def span_facts(art: StoryArticle, spans: Sequence[tuple[int, int]]) -> list[Fact]:
    """Facts for given spans (e.g. annotated sentences of a benchmark), not split.

    A span's vector is the normalised mean of the stored sentence vectors inside it,
    so the benchmark feeds its sentences "as given" through the same records.
    """
    an = art.analysis
    if an is None or an.skipped:
        return []
    out = []
    for k, (start, end) in enumerate(spans):
        idx = [i for i, s in enumerate(an.sentences) if s.start < end and s.end > start]
        vec = art.vectors[idx].mean(axis=0) if idx else np.zeros(art.vectors.shape[1])
        norm = float(np.linalg.norm(vec))
        vec = (vec / norm if norm else vec).astype(np.float32)
        out.append(make_fact(art, f"{art.id}:{k}", idx[0] if idx else k, (start, end), vec))
    return out
