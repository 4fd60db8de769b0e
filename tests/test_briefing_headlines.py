"""Headline folding in the briefing (issue 12), on hand-built stories (no models).

A briefing of a 12-article obituary was eight variants of its headline. Two causes are
tested here: a headline line the title did not name (a kicker or date taken as the
title pushes the headline to the second line), and a body sentence that only retells
a headline whose claim another briefing item already tells.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from newsprism.corroborate.facts import StoryArticle
from newsprism.corroborate.story import StoryClaims, _headline_line, claims_of
from newsprism.corroborate.words import content_keys
from newsprism.report.briefing import Candidate, _folded_variants, _mmr, briefing
from newsprism.report.headline_variants import states, story_headlines, variant_of
from test_corroborate import article

CENTROID = np.zeros(256, np.float32)


def titled(id_: str, title: str, text: str) -> StoryArticle:
    """A one-sentence-a-line article from its own outlet, whose text opens with `title`."""
    art = article(id_, f"{title}\n{text}", source=id_.upper())
    art.title = title
    return art


def story(*arts: StoryArticle) -> StoryClaims:
    return claims_of(list(arts), CENTROID)


def test_a_headline_line_below_a_date_title_is_a_headline() -> None:
    art = titled(
        "a",
        "WEDNESDAY, JULY 29, 2009",
        "Surgeon General Nominee Dr. Regina Benjamin\n"
        "President Obama nominated Regina Benjamin, a rural doctor, as surgeon general.",
    )
    sc = story(art)
    flags = {f.text: h for f, h in zip(sc.facts, sc.headline, strict=True)}
    assert flags["Surgeon General Nominee Dr. Regina Benjamin"] is True
    assert (
        flags["President Obama nominated Regina Benjamin, a rural doctor, as surgeon general."]
        is False
    )


OBITUARY = [
    titled(
        "a",
        "Fred LaRue, Watergate Figure, Dies at 75",
        "Fred LaRue, the Nixon campaign aide who delivered cash to the Watergate burglars, "
        "died on Saturday in a Biloxi hotel room at the age of 75.\n"
        "He was found by a housekeeper, the county coroner said on Monday evening.",
    ),
    titled(
        "b",
        "Nixon Aide Fred LaRue Dies at 75",
        "Nixon aide Fred LaRue dies at 75 in Mississippi.\n"
        "LaRue later pleaded guilty to obstruction and served four and a half months in prison.",
    ),
    titled(
        "c",
        "Watergate figure Fred LaRue dead at 75",
        "Watergate figure Fred LaRue is dead at 75.\n"
        "His son said he had suffered from heart disease for several years before his death.",
    ),
]


def test_a_body_sentence_retelling_a_told_headline_is_not_briefed() -> None:
    sc = story(*OBITUARY)
    items = [item["text"] for item in briefing(sc, 8)]
    heads = story_headlines(sc.articles)
    variants = [t for t in items if variant_of(content_keys(t), heads)]
    assert len(variants) <= 1, items
    # the headline's claim is told once, and what only one sentence says stays
    assert any("LaRue" in t for t in items)
    assert any("pleaded guilty" in t for t in items)


HEADLINE = "Lindsay Lohan checks into rehab facility"
LEAD = (
    "Lindsay Lohan's attorney said Thursday the actress checked into a rehab facility "
    "that a state official said is unlicensed."
)
OTHER = "Lohan has spent time at the Betty Ford Center before."


def candidate(n: int, text: str, score: float) -> Candidate:
    """A briefing candidate stating its own claim, orthogonal in meaning to the others:
    only the headline rule can tell that two of them retell one headline."""
    vector = np.zeros(8, np.float32)
    vector[n] = 1.0
    return Candidate(str(n), 0, len(text), [n], [n], score, False, vector, content_keys(text))


def test_a_variant_of_a_headline_a_picked_item_tells_is_skipped() -> None:
    """Issue 12 (T1_ecbplus): the headline told again as its own item, after the lead
    that tells it — the aligner had not joined them, so claims alone let both in."""
    lead, variant, other = (
        candidate(0, LEAD, 2.0),
        candidate(1, HEADLINE, 1.5),
        candidate(2, OTHER, 1.0),
    )
    heads = [content_keys(HEADLINE)]
    assert _mmr([lead, variant, other], 8, heads, set()) == [0, 2]


def test_a_variant_picked_before_the_item_telling_its_headline_folds_into_it() -> None:
    variant, lead, other = (
        candidate(0, HEADLINE, 2.0),
        candidate(1, LEAD, 1.5),
        candidate(2, OTHER, 1.0),
    )
    heads = [content_keys(HEADLINE)]
    assert _folded_variants([variant, lead, other], heads) == [0]
    assert _folded_variants([lead, other], heads) == []


def test_a_variant_whose_headline_no_item_tells_stays() -> None:
    variant, other = candidate(0, HEADLINE, 2.0), candidate(1, OTHER, 1.0)
    heads = [content_keys(HEADLINE)]
    assert _mmr([variant, other], 8, heads, set()) == [0, 1]


NEWS_WORDS = ["talks", "collapse", "senate", "vote", "budget", "delay", "storm", "hits", "coast"]


@given(st.lists(st.sampled_from(NEWS_WORDS), min_size=3, max_size=8, unique=True))
def test_a_headline_is_its_own_variant_and_states_itself(words: list[str]) -> None:
    keys = content_keys(" ".join(words))
    assert variant_of(keys, [keys]) == [0]
    assert states(keys, keys)


@given(st.text(alphabet="abc XYZ,", min_size=1, max_size=40))
def test_a_line_ending_like_a_sentence_is_never_a_headline(body: str) -> None:
    text = f"Intro line here.\n{body.strip()}.\nNext."
    start = text.index("\n") + 1
    end = text.index("\n", start)
    assert not _headline_line(text, start, end)
