"""The one entry point of corroboration: a story's analysed articles in, its claims out.

`story_claims(db, article_keys, settings)` loads the stored analysis (no model is
loaded: a fifty-article story takes well under a second), splits the articles into
facts, aligns them into groups of variants (`align`), reads every fact's value slots
(`slots`), finds the disputes between facts about the same thing (`disputes`), merges
the groups each dispute joins, and returns typed claims with statuses (`claims`), the
quote ledger and the role descriptors that disagree. report/ and serve/ only render it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..analyse.entities import fold
from ..analyse.frames import title_end
from ..ingest.text import is_headline
from ..naming import outlet_name
from ..settings import Settings
from ..store.database import Database
from .alarms import dismissal
from .align import Group, Link, group_facts, key_weights, link_facts, similarities
from .anchors import agent_swaps, anchor_clashes, article_words, place_swaps, signature
from .claims import (
    Claim,
    Span,
    ValueTable,
    Variant,
    merge_groups,
    status_of,
    value_table,
)
from .compare import agree, same_subject
from .disputes import (
    Clash,
    about_same,
    agent_clash,
    meeting_place_clash,
    sole_value_clashes,
    swapped_person,
    unit_clashes,
    value_clashes,
)
from .facts import Fact, StoryArticle, load_story, story_facts
from .ledger import quote_ledger
from .slots import PLACE_TYPES, SlotValue, dateline_end, fact_slots
from .verdict import Conflict, StoryPlaces, negation_conflict, role_conflicts, same_name

SOURCE_WEIGHT = 0.15  # centrality bonus for a claim every independent source reports
LEAD_WEIGHT = 0.5  # news puts the event first: bonus 1/(1 + sentence index)
HEADLINE_FOLD_SIM = 0.45  # a headline joins the claim of its article's closest body fact


@dataclass(slots=True)
class StoryClaims:
    """Everything corroboration knows about one story, ready to render."""

    articles: list[StoryArticle]
    facts: list[Fact]
    claims: list[Claim]  # most important first: independent support, then centrality
    quotes: list[dict[str, Any]]  # the quote ledger (corroborate.ledger)
    centroid: np.ndarray
    headline: list[bool] = field(default_factory=list)  # per fact: part of its headline

    def outlet(self, article_id: str) -> str:
        """The reader-facing name of the outlet of an article (`naming.outlet_name`)."""
        for a in self.articles:
            if a.id == article_id:
                return outlet_name(a.source, a.url, a.id)
        return article_id


def story_claims(db: Database, article_keys: Sequence[str], settings: Settings) -> StoryClaims:
    """The story's claims (see module docstring); `settings` decide how outlets count as
    independent sources (`outlets_default_registry`, `outlets_group_owners`)."""
    arts = load_story(db.conn, article_keys, settings)
    facts = story_facts(arts)
    centroid = story_centroid(db.conn, arts, facts)
    return claims_of(arts, centroid, facts, bool(settings["places_gazetteer"]))


def claims_of(
    arts: Sequence[StoryArticle],
    centroid: np.ndarray,
    facts: Sequence[Fact] | None = None,
    gazetteer: bool = True,
) -> StoryClaims:
    """The claims of already loaded articles (`story_claims` without the store);
    `gazetteer`: whether places nest by the gazetteer (`places`), else only by the story."""
    facts = list(story_facts(arts) if facts is None else facts)
    sims = similarities(facts)
    links = link_facts(facts, sims, key_weights(facts))
    groups = group_facts(facts, links)
    headline = _headlines(arts, facts)
    slots = [fact_slots(f, i, _dateline(arts, f)) for i, f in enumerate(facts)]
    found = Disputes.find(facts, links, slots, arts, sims)
    found.clashes = [c for c in found.clashes if dismissal(c, facts, gazetteer) is None]
    quotes, speaker = quote_ledger(facts)
    names = {a.id: outlet_name(a.source, a.url, a.id) for a in arts}
    folds = headline_joins(facts, groups, headline, sims)
    claims = build_claims(facts, groups, found, speaker, slots, headline, names, folds)
    for c in claims:
        c.centrality = _centrality(facts, c, centroid)
    claims.sort(key=lambda c: (-c.sources, -c.centrality, c.pivot))
    claims += [_role_claim(facts, c) for c in role_conflicts(facts)]
    for n, c in enumerate(claims, 1):
        for k, conflict in enumerate(c.conflicts, 1):
            conflict.id = conflict.id or f"c{n}.{k}"
    return StoryClaims(list(arts), facts, claims, quotes, centroid, headline)


def headline_joins(
    facts: Sequence[Fact], groups: Sequence[Group], headline: Sequence[bool], sims: np.ndarray
) -> list[tuple[int, int]]:
    """(headline fact, body fact) pairs: each group made only of headlines joins the
    claim of the body fact of its pivot's article closest in meaning.

    Issue 12: a briefing of an obituary was eight variants of its headline. A headline
    restates its own article's lead, so it is folded into the claim that lead states
    (when one is close enough, HEADLINE_FOLD_SIM) instead of standing as a claim.
    """
    out = []
    for g in groups:
        if not all(headline[i] for i in g.facts):
            continue
        body = [j for j, f in enumerate(facts)
                if f.article == facts[g.pivot].article and not headline[j]]  # fmt: skip
        if body:
            best = max(body, key=lambda j: float(sims[g.pivot, j]))
            if sims[g.pivot, best] >= HEADLINE_FOLD_SIM:
                out.append((g.pivot, best))
    return out


def _dateline(arts: Sequence[StoryArticle], f: Fact) -> int:
    art = next(a for a in arts if a.id == f.article)
    return dateline_end(art.text)


def _headlines(arts: Sequence[StoryArticle], facts: Sequence[Fact]) -> list[bool]:
    """Per fact: whether it is a headline — in its article's headline (the text opening
    with the title, or a sentence that *is* the title), or a headline-shaped line.

    Issue 12: scraped pages carry more headlines than their title: a kicker or date
    taken as the title pushes the real headline to the second line ("WEDNESDAY, JULY
    29, 2009" / "Surgeon General Nominee Dr. Regina Benjamin"), press releases stack
    several, and subheads split the body. A line of its own that does not end like a
    sentence (`ingest.text.is_headline`) states no claim by itself: it is a headline
    of the claim the body states, so it is folded like the title.
    """
    ends, titles = {}, {}
    texts = {a.id: a.text for a in arts}
    for a in arts:
        ends[a.id] = title_end(a.text, a.title) if a.title else 0
        titles[a.id] = fold(a.title or "")
    return [
        f.start < ends[f.article]
        or (bool(titles[f.article]) and fold(f.text) == titles[f.article])
        or _headline_line(texts[f.article], f.start, f.end)
        for f in facts
    ]


def _headline_line(text: str, start: int, end: int) -> bool:
    r"""Whether text[start:end] lies in headline-shaped lines only (no sentence end):
    the sentence splitter may cut a line ("Lawyer: | Lindsay Lohan checks into rehab
    facility") or join two, so every line the span touches is looked at whole.

    >>> _headline_line("DATE\nSurgeon General Nominee Dr. Regina Benjamin\nI was...", 5, 48)
    True
    >>> _headline_line("Lawyer: Lindsay Lohan checks into rehab facility\nUpdated", 8, 48)
    True
    >>> _headline_line("He won.\nShe lost the race by a mile.\n", 8, 36)
    False
    """
    first = text.rfind("\n", 0, start) + 1
    last = text.find("\n", max(start, end - 1))
    lines = [ln.strip() for ln in text[first : len(text) if last < 0 else last].split("\n")]
    lines = [ln for ln in lines if ln]
    return bool(lines) and all(is_headline(ln) for ln in lines)


@dataclass(slots=True)
class Disputes:
    """The clashes of a story, and the fact pairs whose claims they join."""

    clashes: list[Clash]
    negations: list[Conflict]
    outlet_of: list[str] = field(default_factory=list)  # per fact: its outlet
    by_outlet: dict[str, list[SlotValue]] = field(default_factory=dict)
    together: set[frozenset[str]] = field(default_factory=set)  # places named side by side
    words: dict[str, frozenset[str]] = field(default_factory=dict)  # per article: its words
    articles: list[str] = field(default_factory=list)  # per fact: its article id

    @classmethod
    def find(
        cls,
        facts: Sequence[Fact],
        links: Sequence[Link],
        slots: Sequence[Sequence[SlotValue]],
        arts: Sequence[StoryArticle],
        sims: np.ndarray | None = None,
    ) -> Disputes:
        """The clashes of linked facts, and of values of one anchor anywhere in the story
        (`anchors.anchor_clashes`, when the fact similarities `sims` are given)."""
        together = StoryPlaces.of(facts).together
        words = {a.id: article_words(a.text) for a in arts}
        clashes: list[Clash] = []
        negations: list[Conflict] = []
        outlet = {a.id: outlet_name(a.source, a.url, a.id) for a in arts}
        outlet_of = [outlet[f.article] for f in facts]
        by_outlet: dict[str, list[SlotValue]] = {}
        for name, values in zip(outlet_of, slots, strict=True):
            by_outlet.setdefault(name, []).extend(values)
        for link in links:
            a, b = facts[link.a], facts[link.b]
            if outlet[a.article] == outlet[b.article] or a.text == b.text:
                continue  # one outlet (or one sentence copied verbatim) is one witness
            sa, sb = slots[link.a], slots[link.b]
            meeting = meeting_place_clash(a, b, link.sim, sa, sb, together)
            if not about_same(a, b, link.sim, sa, sb):
                if meeting is not None and not _self_settled(meeting, outlet_of, by_outlet):
                    clashes.append(meeting)
                continue
            found = value_clashes(sa, sb, together)
            clashes += [c for c in found if not _self_settled(c, outlet_of, by_outlet)]
            person = agent_clash(a, b, sa, sb, words)
            if person is not None:
                clashes.append(person)
            if link.strong and (neg := negation_conflict(a, b, link.sim)) is not None:
                neg.facts = (link.a, link.b)
                negations.append(neg)
        if sims is not None:
            clashes += anchor_clashes(facts, slots, sims, outlet_of, together,
                                      lambda c: _self_settled(c, outlet_of, by_outlet))  # fmt: skip
            clashes += agent_swaps(facts, slots, sims, outlet_of, words)
            clashes += place_swaps(facts, sims, outlet_of, words, together)
        return cls(_unique(clashes), negations, outlet_of, by_outlet, together, words,
                   [f.article for f in facts])  # fmt: skip

    def _other_place(self, a: frozenset[str], b: frozenset[str]) -> bool:
        """Each side names exactly one place the other does not, unrelated places.

        A place the other side names too is common ground, not a variant's own claim.
        """
        only_a = [x for x in a if not any(same_name(x, y) for y in b)]
        only_b = [y for y in b if not any(same_name(x, y) for x in a)]
        if len(only_a) != 1 or len(only_b) != 1:
            return False
        x, y = only_a[0], only_b[0]
        return not same_name(x, y) and frozenset((x, y)) not in self.together

    def _kept_key(self, i: int, sig: tuple[object, ...], slots: Sequence[Sequence[SlotValue]],
                  places: Sequence[frozenset[str]]) -> tuple[object, ...]:  # fmt: skip
        named = any(s.kind == "agent" for s in slots[i])
        return (sig, places[i] if places else None,
                self._article_of(slots[i]) if named else None)  # fmt: skip

    def _values_clash(self, sa: Sequence[SlotValue], sb: Sequence[SlotValue],
                      key: tuple[object, object],
                      memo: dict[tuple[object, object], bool]) -> bool:  # fmt: skip
        """Whether two variants' values clash (`sole_value_clashes`, `value_clashes`,
        `unit_clashes`), memoised by what the values say: a big story repeats them."""
        if key not in memo:
            memo[key] = bool(
                sole_value_clashes(sa, sb, self.together)
                or value_clashes(sa, sb, self.together)
                or unit_clashes(sa, sb, self.together)
            )
        return memo[key]

    def _swapped_person(self, sa: Sequence[SlotValue], sb: Sequence[SlotValue]) -> bool:
        """Each variant names one full-named person the other's article never names."""
        if not self.words or not any(s.kind == "agent" for s in sa):
            return False
        if not any(s.kind == "agent" for s in sb):
            return False
        names_a = {s.name for s in sa if s.kind == "agent"}
        if names_a == {s.name for s in sb if s.kind == "agent"}:
            return False  # the same people: nothing swapped (most variants of a claim)
        art_a = self._article_of(sa)
        art_b = self._article_of(sb)
        return swapped_person(sa, sb, self.words.get(art_a, frozenset()),
                              self.words.get(art_b, frozenset()))  # fmt: skip

    def _article_of(self, values: Sequence[SlotValue]) -> str:
        return self.articles[values[0].fact] if self.articles else ""

    def split(
        self, pivot: int, members: list[int], support: list[int],
        slots: Sequence[Sequence[SlotValue]], places: Sequence[frozenset[str]] = (),
    ) -> list[tuple[list[int], list[int], int]]:  # fmt: skip
        """A claim's facts split where a variant's values cannot fit the pivot's.

        Issue 12: a claim whose variants carry incompatible values must never be
        corroborated. A variant not disputed inside this claim leaves it when, against
        the pivot or a variant kept before it, it gives another value of the same
        anchor (`value_clashes`), the only value of a kind against the only one
        (`sole_value_clashes`: "four-step" / "six-step"), the only count of a noun or
        duration of a unit against the only one (`unit_clashes`: "11 rebounds" / "28
        rebounds" beside other counts), names one own place where the other names one
        other place the story never names beside it (`places`, per fact: "quarterback
        for Tennessee"), or one own person the other's article never names
        (`swapped_person`). The variants that leave are split among themselves the
        same way, each part a claim of its own, so no outlet appears to corroborate a
        value it contradicts. A variant disputed inside the claim stays: the claim is
        then `conflicting` and shows the values.
        """
        inside = {pivot, *members, *support}
        disputed = {
            x
            for c in self.clashes
            if c.a.fact in inside and c.b.fact in inside
            for x in (c.a.fact, c.b.fact)
        }
        odd: set[int] = set()
        memo: dict[tuple[object, object], bool] = {}
        # kept variants that say the same (values, places, and the article when it names
        # people) are compared once: a big story repeats its values in most articles
        sig = {j: signature(slots[j]) for j in inside}
        kept_so_far = {self._kept_key(pivot, sig[pivot], slots, places): pivot}
        for i in [*members, *support]:
            if i == pivot:
                continue
            if i not in disputed and any(
                self._values_clash(slots[k], slots[i], (sig[k], sig[i]), memo)
                or (bool(places) and self._other_place(places[k], places[i]))
                or self._swapped_person(slots[k], slots[i])
                for k in kept_so_far.values()
            ):
                odd.add(i)
            else:
                kept_so_far.setdefault(self._kept_key(i, sig[i], slots, places), i)
        kept = ([i for i in members if i not in odd], [i for i in support if i not in odd], pivot)
        rest = [i for i in members if i in odd]
        # the variants that left may disagree among themselves too: split them again
        # (each round keeps at least its pivot, so this ends)
        return [kept, *self.split(rest[0], rest, [], slots, places)] if rest else [kept]


def _self_settled(
    c: Clash, outlet_of: Sequence[str], by_outlet: dict[str, list[SlotValue]]
) -> bool:
    """Whether an outlet gives both values itself — for the same subject, or in the very
    sentence that gives the other — then they are values of two things ("13 homers" one
    season, "33 homers" another), not a dispute between outlets."""
    for mine, other in ((c.a, c.b), (c.b, c.a)):
        own = by_outlet.get(outlet_of[mine.fact], [])
        if any(s is not mine and _other_subject(s, mine, other) for s in own):
            return True
    return False


def _other_subject(s: SlotValue, mine: SlotValue, other: SlotValue) -> bool:
    """`s` (the outlet's own) gives `other`'s value, in `mine`'s sentence or about a
    subject `mine` is not about: `mine` is then another subject, not a dispute. Said of
    `mine`'s own subject elsewhere, the outlet contradicts itself: the dispute stands."""
    if not agree(s, other):
        return False
    return s.fact == mine.fact or (same_subject(s, other) and not same_subject(s, mine))


def _unique(clashes: Sequence[Clash]) -> list[Clash]:
    seen: set[tuple[int, int, int, int]] = set()
    out = []
    for c in clashes:
        key = (c.a.fact, c.a.start, c.b.fact, c.b.start)
        if key not in seen and (key[2], key[3], key[0], key[1]) not in seen:
            seen.add(key)
            out.append(c)
    return out


def build_claims(
    facts: Sequence[Fact],
    groups: Sequence[Group],
    found: Disputes,
    speaker: Sequence[Conflict],
    slots: Sequence[Sequence[SlotValue]],
    headline: Sequence[bool],
    names: dict[str, str],
    folds: Sequence[tuple[int, int]] = (),
) -> list[Claim]:
    """Claims from the groups, merged through every dispute between their facts and
    every headline folded into the claim it states (`folds`)."""
    joins = [*folds, *((c.a.fact, c.b.fact) for c in found.clashes)]
    joins += [c.facts for c in [*found.negations, *speaker] if c.facts]
    claims = []
    places = [frozenset(m.canonical for m in f.mentions if m.type in PLACE_TYPES) for f in facts]
    for merged in merge_groups(groups, joins):
        members = sorted({i for k in merged for i in groups[k].members})
        support = sorted({i for k in merged for i in groups[k].support} - set(members))
        pivot = groups[merged[0]].pivot
        splits = found.split(pivot, members, support, slots, places)
        for part_members, part_support, part_pivot in splits:
            claims.append(_claim(facts, found, speaker, slots, headline, names,
                                 part_pivot, part_members, part_support))  # fmt: skip
    return claims


def _claim(
    facts: Sequence[Fact],
    found: Disputes,
    speaker: Sequence[Conflict],
    slots: Sequence[Sequence[SlotValue]],
    headline: Sequence[bool],
    names: dict[str, str],
    pivot: int,
    members: list[int],
    support: list[int],
) -> Claim:
    """One claim of its pivot, member and support facts, with its value tables and status."""
    facts_in = set(members) | set(support)
    variants = [
        Variant(i, Span(facts[i].article, facts[i].start, facts[i].end, facts[i].text),
                facts[i].source, headline[i])
        for i in [pivot, *[j for j in members + support if j != pivot]]
    ]  # fmt: skip
    by_kind: dict[str, list[SlotValue]] = {}
    for i in members:
        for s in slots[i]:
            by_kind.setdefault(s.kind, []).append(s)
    claim = Claim(facts[pivot].id, pivot, members, support, variants, by_kind)
    mine = [c for c in found.clashes if c.a.fact in facts_in and c.b.fact in facts_in]
    claim.values = _tables(mine, [s for i in members for s in slots[i]], facts)
    claim.conflicts = [_table_conflict(t, names, facts) for t in claim.values]
    claim.conflicts += [
        c for c in [*found.negations, *speaker] if c.facts and set(c.facts) <= facts_in
    ]
    claim.sources = len({facts[i].source for i in facts_in})
    claim.status = status_of(claim.sources, bool(claim.conflicts))
    return claim


def _family(kind: str) -> str:
    return "date" if kind == "weekday" else kind


def _tables(
    clashes: Sequence[Clash], slots: Sequence[SlotValue], facts: Sequence[Fact]
) -> list[ValueTable]:
    """One value table per disputed subject: clashes sharing a value or a subject join."""
    bunches: list[list[Clash]] = []
    for c in clashes:
        for bunch in bunches:
            first = bunch[0]
            if _family(first.a.kind) != _family(c.a.kind):
                continue
            shared = {id(x) for b in bunch for x in (b.a, b.b)} & {id(c.a), id(c.b)}
            if shared or same_subject(first.a, c.a) or same_subject(first.a, c.b):
                bunch.append(c)
                break
        else:
            bunches.append([c])
    return [value_table(b, slots, facts) for b in bunches]


def _table_conflict(t: ValueTable, names: dict[str, str], facts: Sequence[Fact]) -> Conflict:
    """A value table as a GUIDE §3 conflict: every (article, value), explained by outlet,
    with the statement (the whole fact) each value was read from as its evidence."""
    values = [{"article": a, "value": row.value} for row in t.rows for a in row.articles]
    parts = [
        f"{', '.join(dict.fromkeys(names.get(a, a) for a in row.articles))} “{row.value}”"
        for row in t.rows
    ]
    evidence = [_statement(e, facts).as_dict() for row in t.rows for e in row.evidence]
    what = {"number": "numbers", "duration": "durations", "date": "dates",
            "place": "places", "person": "people"}.get(t.kind, "values")  # fmt: skip
    explanation = f"{' · '.join(parts)}: these {what} cannot all be right"
    return Conflict(t.kind, values, explanation, evidence)


def _statement(value: Span, facts: Sequence[Fact]) -> Span:
    """The fact (sentence or clause) holding a value span, or the value span itself."""
    for f in facts:
        if f.article == value.article and f.start <= value.start and value.end <= f.end:
            return Span(f.article, f.start, f.end, f.text)
    return value


def _role_claim(facts: Sequence[Fact], c: Conflict) -> Claim:
    """A role contradiction as a claim of its own: how a person is described, which does
    not dispute the event the sentences report."""
    i, j = c.facts or (0, 0)
    spans = [Span(str(e["article"]), int(str(e["start"])), int(str(e["end"])), str(e["text"]))
             for e in c.evidence]  # fmt: skip
    variants = [Variant(k, s, facts[k].source) for k, s in zip((i, j), spans, strict=False)]
    return Claim(
        f"{facts[i].id}:role", i, [], [], variants, {}, "conflicting",
        len({facts[i].source, facts[j].source}), [c], [], kind="role",
    )  # fmt: skip


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


def _centrality(facts: Sequence[Fact], claim: Claim, centroid: np.ndarray) -> float:
    """Closeness to the story's centroid, a lead bonus, and a bonus for wide support."""
    lead = facts[claim.pivot]
    n_sources = len({f.source for f in facts})
    bonus = SOURCE_WEIGHT * (claim.sources - 1) / max(1, n_sources - 1)
    return float(lead.vector @ centroid) + bonus + LEAD_WEIGHT / (1 + lead.sentence)
