"""Corroboration units on hand-built articles: words, alignment, verdicts (no models).

Facts are built from `Analysis` records written here, with a toy embedder (hashed bag
of word stems): it scores "Putin invited Trump" and "Trump invited Putin" at 1.0, so
these tests prove that similarity alone never decides.
"""

from __future__ import annotations

import json
import re
import zlib
from pathlib import Path

import numpy as np
import pytest

from newsprism.analyse.dates import extract_dates
from newsprism.analyse.quantities import extract_quantities
from newsprism.corroborate.align import (
    CO_LINK_LEXICAL,
    LEXICAL_MIN,
    Link,
    co_linked,
    confident_links,
    group_facts,
    key_weights,
    link_facts,
    similarities,
)
from newsprism.corroborate.facts import StoryArticle, story_facts
from newsprism.corroborate.story import claims_of
from newsprism.corroborate.verdict import _role_clash, role_conflicts, same_name, status_of
from newsprism.corroborate.words import clause_spans, negation, stem, tokenize
from newsprism.models import Analysis, Mention, Sentence

NAMES = {
    "Vladimir Putin": ("Vladimir Putin", "PERSON"),
    "Putin": ("Vladimir Putin", "PERSON"),
    "Donald Trump": ("Donald Trump", "PERSON"),
    "Trump": ("Donald Trump", "PERSON"),
    "Moscow": ("Moscow", "GPE"),
    "Anchorage": ("Anchorage", "GPE"),
    "Helsinki": ("Helsinki", "GPE"),
    "Alaska": ("Alaska", "GPE"),
}


def toy_vector(text: str, dim: int = 256) -> np.ndarray:
    """A bag of stems hashed into `dim` buckets, L2-normalised (order-blind on purpose)."""
    vec = np.zeros(dim, np.float32)
    for t in tokenize(text):
        if t.key:
            vec[zlib.crc32(t.key.encode()) % dim] += 1.0
    norm = float(np.linalg.norm(vec))
    return vec / norm if norm else vec


def mentions_in(text: str, roles: dict[str, str] | None = None) -> list[Mention]:
    out: list[Mention] = []
    for surface in sorted(NAMES, key=len, reverse=True):
        for m in re.finditer(rf"\b{re.escape(surface)}\b", text):
            if any(x.start <= m.start() < x.end for x in out):
                continue
            canonical, type_ = NAMES[surface]
            role = (roles or {}).get(surface)
            out.append(Mention(m.start(), m.end(), surface, type_, canonical, role))
    return sorted(out, key=lambda m: m.start)


def article(
    id_: str,
    text: str,
    published: str | None = None,
    source: str | None = None,
    roles: dict[str, str] | None = None,
) -> StoryArticle:
    """A StoryArticle with a hand-built analysis: one sentence per line."""
    sentences, pos = [], 0
    for line in text.split("\n"):
        sentences.append(Sentence(pos, pos + len(line), line))
        pos += len(line) + 1
    an = Analysis(
        lang="en",
        sentences=sentences,
        mentions=mentions_in(text, roles),
        quantities=extract_quantities(text),
        dates=extract_dates(text, published),
    )
    art = StoryArticle(
        id_, id_, text, None, source, None, published, None, source or id_, an
    )  # fmt: skip
    art.vectors = np.stack([toy_vector(s.text) for s in sentences])
    return art


def verdicts(*arts: StoryArticle) -> tuple[list, list, list]:
    facts = story_facts(list(arts))
    sims = similarities(facts)
    links = link_facts(facts, sims, key_weights(facts))
    claims = claims_of(list(arts), np.zeros(256, np.float32), facts).claims
    return facts, links, [c for claim in claims for c in claim.conflicts]


# ----------------------------------------------------------------------------- words


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("invited", "invitation"),
        ("met", "meeting"),
        ("talks", "talked"),
        ("fell", "fall"),
        ("nominated", "nomination"),
        ("convicted", "conviction"),
        ("fire", "fired"),
        ("injury", "injured"),
        ("died", "death"),
        ("robbed", "rob"),
    ],
)
def test_stem_makes_forms_of_one_idea_equal(a: str, b: str) -> None:
    assert stem(a) == stem(b)


def test_negation_scope_and_head() -> None:
    text = "While no formal ceasefire was reached, talks continued."
    scope, heads = negation(tokenize(text), text, 0)
    assert scope == {stem("formal"), stem("ceasefire"), stem("reached")}
    assert heads == {stem("formal")}
    split = "The case hadn ’ t been submitted as of Tuesday."
    toks = tokenize(split)
    assert any(t.negator for t in toks) and all(t.text != "t" for t in toks)
    assert negation(toks, split, 0)[1] == {stem("submitted")}


def test_clauses_split_long_sentences_only_where_a_clause_starts() -> None:
    text = (
        "The meeting, held in a highly secure setting, stretched for more than three hours "
        "before the two leaders appeared together for a brief 12-minute press conference."
    )
    parts = [text[a:b] for a, b in clause_spans(text)]
    assert parts[0].endswith("more than three hours")
    assert parts[1].startswith("before the two leaders")
    short = "The unexpected invitation appeared to catch Trump off guard."
    assert clause_spans(short) == [(0, len(short))]
    quoted = (
        "He said “we will talk while the guns are silent and before winter” to reporters today."
    )
    assert len(clause_spans(quoted)) == 1


# ----------------------------------------------------------------------------- alignment


def test_swapped_participants_never_align_even_at_similarity_one() -> None:
    a = article("a", "Vladimir Putin invited Donald Trump to Moscow for talks next month.")
    b = article("b", "Donald Trump invited Vladimir Putin to Moscow for talks next month.")
    facts, links, _ = verdicts(a, b)
    assert float(facts[0].vector @ facts[1].vector) == pytest.approx(1.0)
    assert links == []


def test_same_fact_in_other_words_is_corroborated() -> None:
    a = article(
        "a",
        "Putin invited Trump to Moscow for the next round of talks.\n"
        "Markets in Asia fell sharply on Monday.",
    )
    b = article(
        "b",
        "Putin extended an invitation to Trump for the next round of talks in Moscow.\n"
        "The weather in Alaska stayed mild.",
    )
    facts, links, _ = verdicts(a, b)
    groups = group_facts(facts, links)
    both = [g for g in groups if len({facts[i].article for i in g.facts}) == 2]
    assert len(both) == 1 and {facts[i].sentence for i in both[0].facts} == {0}
    assert status_of(2, []) == "corroborated" and status_of(1, []) == "single_source"


def test_reprints_are_one_source() -> None:
    text = "Putin invited Trump to Moscow for the next round of talks."
    a = article("a", text, source="Wire")
    b = article("b", text, source="Wire")
    facts, links, _ = verdicts(a, b)
    group = group_facts(facts, links)[0]
    assert len(group.facts) == 2 and len({facts[i].source for i in group.facts}) == 1


def test_one_shared_word_is_not_a_witness() -> None:
    a = article("a", "European leaders welcomed the talks even without immediate breakthroughs.")
    b = article("b", "While the Anchorage summit ended without a breakthrough, hopes remained.")
    facts, links, _ = verdicts(a, b)
    assert confident_links(facts, links) == []


def _link(a: int, b: int, lexical: float) -> Link:
    return Link(a, b, 0.5, lexical, frozenset())


def test_weak_links_stand_only_when_third_facts_tie_them() -> None:
    strong = LEXICAL_MIN + 0.1
    weak = CO_LINK_LEXICAL + 0.01
    # facts 0 and 1 each link strongly to 2, 3 and 4 (other articles): a weak 0~1 stands
    tied = [_link(i, j, strong) for i in (0, 1) for j in (2, 3, 4)]
    kept = co_linked([*tied, _link(0, 1, weak)])
    assert (0, 1) in {(x.a, x.b) for x in kept} and not kept[-1].strong
    # one common partner is not enough, and a weak link never ties others together
    lone = [_link(0, 2, strong), _link(1, 2, strong), _link(0, 1, weak)]
    assert (0, 1) not in {(x.a, x.b) for x in co_linked(lone)}
    chained = [_link(0, j, weak) for j in (2, 3, 4)] + [_link(1, j, weak) for j in (2, 3, 4)]
    assert co_linked([*chained, _link(0, 1, weak)]) == []


def test_weak_links_are_never_witnesses() -> None:
    a = article("a", "Putin invited Trump to Moscow for the next round of talks.")
    b = article("b", "Putin invited Trump to Moscow for the next round of talks.")
    facts, _, _ = verdicts(a, b)
    weak = [_link(0, 1, CO_LINK_LEXICAL)]
    assert confident_links(facts, weak) == []


# ----------------------------------------------------------------------------- verdicts


def test_qualified_durations_agree_and_different_ones_conflict() -> None:
    base = "The meeting in Anchorage between Putin and Trump lasted {} on Friday."
    agree = verdicts(
        article("a", base.format("more than three hours")), article("b", base.format("three hours"))
    )[2]
    assert agree == []
    clash = verdicts(
        article("a", base.format("three hours")), article("b", base.format("two hours"))
    )[2]
    assert [c.kind for c in clash] == ["duration"]
    assert {v["value"] for v in clash[0].values} == {"three hours", "two hours"}
    for ev in clash[0].evidence:
        assert isinstance(ev["text"], str) and ev["text"].startswith("The meeting")


def test_dates_conflict_with_or_without_a_publication_date() -> None:
    """Issue 12: within one story a month-day without a year is comparable."""
    text = "Putin and Trump met in Anchorage on August {} for talks about the war."
    dated = verdicts(
        article("a", text.format(15), published="2025-08-18"),
        article("b", text.format(14), published="2025-08-18"),
    )[2]
    assert [c.kind for c in dated] == ["date"]
    open_year = verdicts(article("a", text.format(15)), article("b", text.format(14)))[2]
    assert [c.kind for c in open_year] == ["date"]
    same = verdicts(article("a", text.format(15)), article("b", text.format(15)))[2]
    assert same == []


def test_place_conflict_needs_places_never_named_together() -> None:
    a = article("a", "Putin and Trump met in Helsinki on Friday for talks about the war.")
    b = article("b", "Putin and Trump met in Anchorage on Friday for talks about the war.")
    assert [c.kind for c in verdicts(a, b)[2]] == ["place"]
    c = article("c", "Putin and Trump met in Alaska on Friday for talks about the war.")
    d = article(
        "d",
        "Putin and Trump met in Anchorage on Friday for talks about the war.\n"
        "The summit took place in Anchorage, Alaska.",
    )
    assert verdicts(c, d)[2] == []


def test_negation_of_the_same_predicate_conflicts() -> None:
    a = article("a", "In Anchorage a formal ceasefire was reached by Putin and Trump on Friday.")
    b = article("b", "In Anchorage no formal ceasefire was reached by Putin and Trump on Friday.")
    assert [c.kind for c in verdicts(a, b)[2]] == ["negation"]


def test_role_conflicts_only_for_titles_that_cannot_both_hold() -> None:
    assert _role_clash("FBI director", "FBI spokesman")
    assert _role_clash("U.S. President", "U.S. Secretary of State")
    assert not _role_clash("Russian President", "President")
    assert not _role_clash("former head coach of the Boston Celtics", "coach")
    assert not _role_clash("former attorney", "Lohan's attorney")
    a = article(
        "a", "FBI spokesman Donald Trump met Putin.", roles={"Donald Trump": "FBI spokesman"}
    )
    b = article("b", "FBI director Donald Trump met Putin.", roles={"Donald Trump": "FBI director"})
    same = article("c", "Spokesman Donald Trump met Putin.", roles={"Donald Trump": "spokesman"})
    assert [c.kind for c in role_conflicts(story_facts([a, b]))] == ["role"]
    assert role_conflicts(story_facts([a, same])) == []


@pytest.mark.parametrize(
    ("ra", "rb"),
    [
        ("former president", "president"),  # then and now (probe T5, T9, neus 0282)
        ("Former President", "President"),  # a courtesy title
        ("interim FBI director", "FBI director"),  # T28: both hold
        ("FBI Acting Director", "FBI director"),
        ("associate director", "former associate director"),
        ("former attorney", "attorney"),  # T1: she was rehired
        ("deputy director", "director"),
        ("president-elect", "president"),
    ],
)
def test_status_words_never_make_a_role_conflict(ra: str, rb: str) -> None:
    """Regression (issue 12): every one of these was flagged on unperturbed stories."""
    assert not _role_clash(ra, rb)
    a = article("a", f"The {ra} Jane Roe spoke.", roles={"Jane Roe": ra})
    b = article("b", f"The {rb} Jane Roe spoke.", roles={"Jane Roe": rb})
    assert role_conflicts(story_facts([a, b])) == []


def test_one_article_has_no_links_and_no_conflicts() -> None:
    a = article("a", "Putin met Trump in Anchorage.\nThey talked for three hours.")
    facts, links, conflicts = verdicts(a)
    assert links == [] and conflicts == []
    assert all(len(g.facts) == 1 for g in group_facts(facts, links))


@pytest.mark.parametrize(
    ("x", "y", "same"),
    [
        ("Qassim Suleimani", "Qassem Soleimani", True),
        ("SAP-Arena", "SAP Arena", True),
        ("Esther Williams Dies", "Esther Williams", True),
        ("A.J. Smith", "A.J. Butler", False),
    ],
)
def test_same_name_tolerates_spellings(x: str, y: str, same: bool) -> None:
    assert same_name(x, y) is same


def test_independent_sources_come_from_the_outlet_layer(tmp_path: Path) -> None:
    """Issue 16 item 3 in the claims engine: a paper carrying a Reuters story with the
    agency's credit counts as Reuters, one outlet's two articles are one source, and
    articles naming no outlet stay apart."""
    from newsprism import Workspace
    from newsprism.corroborate.facts import load_story

    body = "Floods closed the river road on Monday after two days of heavy rain in the valley."
    rows = [
        {"id": "wire", "source": "Reuters", "text": body},
        {
            "id": "carried",
            "source": "Daily Planet",
            "text": "LONDON (Reuters) - Two days of rain flooded the valley and shut its road.",
        },
        {"id": "own-1", "source": "Fox News", "text": "Officials said the road reopened late."},
        {
            "id": "own-2",
            "source": "foxnews.com",
            "text": "Crews cleared mud from the road all day.",
        },
        {"id": "bare-1", "text": "A resident said the water rose faster than ever before."},
        {"id": "bare-2", "text": "The county opened a shelter at the school for the night."},
    ]
    path = tmp_path / "a.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with Workspace(tmp_path / "c.db") as ws:
        ws.ingest([str(path)])
        keys = [k for (k,) in ws.db.conn.execute("SELECT key FROM articles ORDER BY seq")]
        unit = {a.id: a.independent for a in load_story(ws.db.conn, keys)}
    assert unit["wire"] == unit["carried"]
    assert unit["own-1"] == unit["own-2"]
    assert len({unit["wire"], unit["own-1"], unit["bare-1"], unit["bare-2"]}) == 4
