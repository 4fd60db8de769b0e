"""The pair score and its per-story sums: what each signal adds, and that scoring a
story through its summed members equals scoring its members one by one."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsprism.cluster.features import (
    Features,
    content_terms,
    entity_term,
    frame_term,
    quantity_term,
)
from newsprism.cluster.similarity import Scorer, Weights
from newsprism.cluster.vocab import Vocabulary

TERMS = [f"w{i}" for i in range(12)]
ENTITIES = ["Qeshm", "Iran", "Putin", "Helsinki"]
FIGURES = [("count", "pirate", 23.0), ("count", "pirate", 26.0), ("money", "usd", 9.84e11)]
FRAMES = [
    ("subject", "bans", "twitter"),
    ("subject", "bans", "facebook"),
    ("object", "bans", "jones"),
]
Figure = tuple[str, str, float]
Frame = tuple[str, str, str]


def _article(
    vocab: Vocabulary,
    node: int,
    words: list[str],
    entities: list[str],
    figures: list[Figure],
    day: int | None,
    seed: int,
    frames: Sequence[Frame] = (),
) -> Features:
    counts = content_terms(None, " ".join(words))
    term_ids = vocab.lookup(counts)
    tf = np.array([counts[t] for t in sorted(counts, key=vocab.ids.__getitem__)], np.float32)
    entity_ids = vocab.lookup({entity_term(e) for e in entities})
    quantity_ids = vocab.lookup({quantity_term(*f) for f in figures})
    frame_ids = vocab.lookup({t for f in frames if (t := frame_term(*f)) is not None})
    vocab.add_document(term_ids, entity_ids, quantity_ids, frame_ids)
    vector = np.random.default_rng(seed).normal(size=8).astype(np.float32)
    vector /= np.linalg.norm(vector)
    return Features(
        node, f"k{node}", vector, term_ids, tf, entity_ids, day,
        quantity_ids=quantity_ids, frame_ids=frame_ids,
    )  # fmt: skip


def _fresh() -> Vocabulary:
    return Vocabulary({}, np.zeros(0, np.int64), 0)


def test_a_shared_figure_adds_its_weight_and_a_different_one_does_not() -> None:
    vocab = _fresh()
    words = ["navy", "pirates", "gulf", "aden", "captured"]
    base = _article(vocab, 1, words, ["Iran"], [FIGURES[1]], 700_000, 1)
    same = _article(vocab, 2, words, ["Iran"], [FIGURES[1]], 700_000, 1)
    other = _article(vocab, 3, words, ["Iran"], [FIGURES[0]], 700_000, 1)
    with_figures = Scorer(vocab, Weights(quantities=0.06)).matrix([base], [same, other])
    without = Scorer(vocab, Weights(quantities=0.0)).matrix([base], [same, other])
    assert with_figures[0, 0] - without[0, 0] == pytest.approx(0.06, abs=1e-6)
    assert with_figures[0, 1] == without[0, 1]


def test_a_shared_event_frame_adds_its_weight() -> None:
    vocab = _fresh()
    words = ["bans", "alex", "jones", "platform", "abuse"]
    twitter = _article(vocab, 1, words, [], [], None, 1, [FRAMES[0], FRAMES[2]])
    again = _article(vocab, 2, words, [], [], None, 1, [("subject", "banned", "Twitter")])
    facebook = _article(vocab, 3, words, [], [], None, 1, [FRAMES[1]])
    scores = Scorer(vocab, Weights(frames=0.1)).matrix([twitter], [again, facebook])
    without = Scorer(vocab, Weights(frames=0.0)).matrix([twitter], [again, facebook])
    assert scores[0, 0] - without[0, 0] == pytest.approx(0.1, abs=1e-6)
    assert scores[0, 1] == without[0, 1]


def test_figures_key_what_is_measured_and_its_value() -> None:
    assert quantity_term("count", "pirate", 26.0) == "q:count:pirate:26"
    assert quantity_term("count", "pirate", 26.0) != quantity_term("count", "pirate", 23.0)
    assert quantity_term("count", "pirate", 26.0) != quantity_term("age", "year", 26.0)
    assert quantity_term("percent", None, 3.5) == "q:percent::3.5"


_ARTICLE = st.tuples(
    st.lists(st.sampled_from(TERMS), min_size=1, max_size=8),
    st.lists(st.sampled_from(ENTITIES), max_size=3),
    st.lists(st.sampled_from(FIGURES), max_size=2),
    st.one_of(st.none(), st.integers(700_000, 700_030)),
    st.lists(st.sampled_from(FRAMES), max_size=2),
)
Article = tuple[list[str], list[str], list[Figure], int | None, list[Frame]]


@settings(max_examples=40, deadline=None)
@given(
    new=st.lists(_ARTICLE, min_size=1, max_size=4),
    stories=st.lists(st.lists(_ARTICLE, min_size=1, max_size=4), min_size=1, max_size=3),
)
def test_story_sums_equal_the_sum_of_member_scores(
    new: list[Article], stories: list[list[Article]]
) -> None:
    vocab = _fresh()
    node = iter(range(1, 1000))

    def make(a: Article, seed: int) -> Features:
        words, entities, figures, day, frames = a
        return _article(vocab, next(node), words, entities, figures, day, seed, frames)

    members = [[make(a, i) for i, a in enumerate(s)] for s in stories]
    feats = [make(a, i) for i, a in enumerate(new)]
    scorer = Scorer(vocab, Weights())
    pairs = [(a, c) for a in range(len(feats)) for c in range(len(members))]
    rows = np.array([a for a, _ in pairs], np.int64)
    cols = np.array([c for _, c in pairs], np.int64)
    sums = scorer.story_sums(feats, members, (rows, cols))
    for (a, c), got in zip(pairs, sums, strict=True):
        expected = scorer.matrix([feats[a]], members[c]).sum()
        assert abs(got - expected) < 1e-4
