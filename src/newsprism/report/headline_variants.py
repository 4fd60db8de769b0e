"""Headline variants: briefing items that only tell a headline again (issue 12).

A story's headlines all state its main claim, each in its own words: title case,
truncated, another verb ("Fred LaRue, Watergate Figure, Dies at 75" / "Nixon Aide Fred
LaRue Dies at 75"). The body sentence that restates a headline is a *variant* of that
headline's claim; once one briefing item states the headline, a second item that is
only the headline told again adds nothing, so the brief folds it into the item that
states it. Words are compared as content keys (`corroborate.words`: stop words out,
light stemming), so case, inflection and punctuation do not matter.

- a sentence is a VARIANT of a headline when it says little more than the headline
  (content-key Jaccard >= VARIANT_JACCARD), or nearly all of the headline and not much
  else (containment >= VARIANT_CONTAIN with at most VARIANT_LENGTH times its keys);
- an item STATES a headline when it carries most of the headline's content keys
  (>= STATES_SHARE).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..corroborate.facts import StoryArticle
from ..corroborate.words import content_keys

VARIANT_JACCARD = 0.5  # half the words shared both ways: the headline reworded
VARIANT_CONTAIN = 0.8  # the headline nearly whole inside the sentence ...
VARIANT_LENGTH = 1.5  # ... and the sentence at most half as long again: little news added
STATES_SHARE = 0.6  # an item carrying this share of a headline's words tells its claim
MIN_HEADLINE_KEYS = 3  # "THE WHITE HOUSE", a date or a kicker names no claim


def story_headlines(
    articles: Sequence[StoryArticle], headline_texts: Iterable[str] = ()
) -> list[frozenset[str]]:
    """Content keys of every distinct headline of a story: the articles' titles and
    the headline lines found in their texts (`headline_texts`)."""
    texts = [a.title or "" for a in articles] + list(headline_texts)
    out = {content_keys(t) for t in texts}
    return [k for k in out if len(k) >= MIN_HEADLINE_KEYS]


def variant_of(keys: frozenset[str], headlines: Sequence[frozenset[str]]) -> list[int]:
    """Indices of the headlines that a sentence with these content keys restates.

    >>> h = [content_keys("Fred LaRue, Watergate Figure, Dies at 75")]
    >>> variant_of(content_keys("Nixon Aide Fred LaRue Dies at 75"), h)
    [0]
    >>> variant_of(content_keys("LaRue died at a hospital in Biloxi, his son said."), h)
    []
    """
    out = []
    for n, h in enumerate(headlines):
        shared = len(keys & h)
        if not shared:
            continue
        if shared / len(keys | h) >= VARIANT_JACCARD or (
            shared / len(h) >= VARIANT_CONTAIN and len(keys) <= VARIANT_LENGTH * len(h)
        ):
            out.append(n)
    return out


def states(keys: frozenset[str], headline: frozenset[str]) -> bool:
    """Whether an item with these content keys tells the claim of this headline."""
    return len(keys & headline) >= STATES_SHARE * len(headline)
