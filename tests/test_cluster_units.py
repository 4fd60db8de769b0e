"""Small pieces of clustering: tokens, dates, packing, vocabulary, average link."""

from __future__ import annotations

import numpy as np
import pytest

from newsprism.cluster.agglomerate import average_link
from newsprism.cluster.features import (
    content_terms,
    day_of,
    entity_term,
    pack_terms,
    stem,
    tokens,
    unpack_terms,
)
from newsprism.cluster.grouping import densities
from newsprism.cluster.vocab import Vocabulary
from newsprism.store.database import Database


def test_tokens_keep_numbers_whole_and_drop_function_words() -> None:
    got = tokens("The 6.1-magnitude quake killed 128,000 people in Qeshm, Iran's island.")
    assert got == ["6.1", "magnitud", "quak", "kill", "128,000", "peopl", "qeshm", "iran",
                   "island"]  # fmt: skip


@pytest.mark.parametrize(
    "forms",
    [("quake", "quakes"), ("hire", "hired", "hiring", "hires"), ("fire", "fired"),
     ("city", "cities"), ("tax", "taxes"), ("stop", "stopped"), ("meet", "meeting")],
)  # fmt: skip
def test_stem_brings_forms_together(forms: tuple[str, ...]) -> None:
    assert len({stem(f) for f in forms}) == 1


def test_stem_leaves_short_and_latinate_words() -> None:
    assert [stem(w) for w in ("bus", "press", "analysis", "red")] == [
        "bus", "press", "analysis", "red"]  # fmt: skip


def test_title_terms_weigh_more() -> None:
    counts = content_terms("Quake hits Van", "A quake hit Van province.")
    assert counts["quak"] == 3
    assert counts[stem("province")] == 1


def test_entity_terms_ignore_case_and_spacing() -> None:
    assert entity_term("Vladimir  Putin") == entity_term("vladimir putin") == "e:vladimir putin"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2025-08-15", 739478), ("2025-08-15T10:00:00+00:00", 739478), ("2025-08", None),
     ("--08-15", None), (None, None), ("2025-02-30", None)],
)  # fmt: skip
def test_day_of(value: str | None, expected: int | None) -> None:
    assert day_of(value) == expected


def test_pack_roundtrip() -> None:
    ids, tf = np.array([3, 9, 12], np.int32), np.array([1, 2, 5], np.float32)
    got_ids, got_tf = unpack_terms(pack_terms(ids, tf))
    assert got_ids.tolist() == [3, 9, 12]
    assert got_tf.tolist() == [1.0, 2.0, 5.0]


def test_vocabulary_counts_documents_and_persists(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = Database(tmp_path / "v.db")
    vocab = Vocabulary.load(db.conn)
    a = vocab.lookup(["quake", "iran"])
    vocab.add_document(a)
    vocab.add_document(vocab.lookup(["quake"]))
    with db.write() as conn:
        vocab.save(conn)
    again = Vocabulary.load(db.conn)
    assert again.docs == 2
    assert again.df[again.ids["quake"]] == 2
    assert again.df[again.ids["iran"]] == 1
    rare, common = again.idf(np.array([again.ids["iran"], again.ids["quake"]]))
    assert rare > common
    db.close()


def test_average_link_merges_above_threshold_only() -> None:
    # 0-1 close, 2 far: average link joins 0 and 1, leaves 2 alone
    labels = average_link([1, 1, 1], [False] * 3, [(0, 1, 0.9), (1, 2, 0.1)], 0.5)
    assert labels[0] == labels[1] != labels[2]


def test_average_link_uses_the_average_not_the_best_pair() -> None:
    # 2 is close to 0 but not to 1: average over {0,1} is (0.8 + 0.0) / 2 = 0.4 < 0.5
    labels = average_link([1, 1, 1], [False] * 3, [(0, 1, 0.9), (0, 2, 0.8)], 0.5)
    assert labels[0] == labels[1]
    assert labels[2] != labels[0]


def test_locked_nodes_never_merge_with_each_other() -> None:
    # two old stories (locked) both close to new article 0: it joins the closer one only
    edges = [(0, 1, 0.9), (0, 2, 0.8), (1, 2, 5.0)]
    labels = average_link([1, 1, 1], [False, True, True], edges, 0.5)
    assert labels[0] == labels[1] == 1
    assert labels[2] == 2


def test_story_sizes_scale_the_average() -> None:
    # a story of 4 sampled members: an edge sum of 1.6 averages 0.4, under 0.5
    assert average_link([1, 4], [False, True], [(0, 1, 1.6)], 0.5).tolist() == [0, 1]
    assert average_link([1, 4], [False, True], [(0, 1, 2.4)], 0.5).tolist() == [1, 1]


def test_density_is_the_mean_of_the_best_k_scores() -> None:
    within = np.array([[1.0, 0.6, 0.2], [0.6, 1.0, 0.1], [0.2, 0.1, 1.0]])
    # article 2 also retrieved a story of 4 members summing to 2.0 (0.5 each)
    got = densities(within, {(2, 0): 2.0}, [4.0], k=2)
    assert got == pytest.approx([0.4, 0.35, 0.5])


def test_relative_bar_asks_more_in_a_crowded_neighbourhood() -> None:
    # both articles have a density of 0.7; at half weight the bar is 0.05 + 0.35 = 0.4
    dens = [0.5 * 0.7, 0.5 * 0.7]
    merged = average_link([1, 1], [False] * 2, [(0, 1, 0.45)], 0.2, dens, 0.05)
    apart = average_link([1, 1], [False] * 2, [(0, 1, 0.35)], 0.2, dens, 0.05)
    assert merged[0] == merged[1] and apart[0] != apart[1]
    # a sparse neighbourhood falls back to the absolute bar
    lone = average_link([1, 1], [False] * 2, [(0, 1, 0.25)], 0.2, [0.1, 0.1], 0.05)
    assert lone[0] == lone[1]
