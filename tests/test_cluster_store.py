"""Incremental clustering on a hand-filled store (no models): ids, links, persistence."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from newsprism.cluster import cluster_new, list_stories, story_detail
from newsprism.settings import Settings
from newsprism.store.database import Database, utcnow

EVENTS = {
    "quake": ("Magnitude 6 quake hits Qeshm island in Iran", "Qeshm quake kills 7 on the island "
              "in Hormozgan; Red Crescent tents for villagers", ["Qeshm", "Hormozgan"]),
    "vote": ("Parliament passes budget after all-night vote", "Lawmakers approved the 2025 "
             "budget bill by 212 votes to 190 after a marathon session", ["Parliament"]),
    "merger": ("Equinor sells Danish refinery to Klesch", "Equinor agreed to sell its Kalundborg "
               "refinery to Klesch Group for an undisclosed sum", ["Equinor", "Klesch"]),
}  # fmt: skip


def _vector(event: str, i: int) -> np.ndarray:
    rng = np.random.default_rng(int(hashlib.sha1(event.encode()).hexdigest()[:8], 16))
    base = rng.normal(size=32)
    noise = np.random.default_rng(i).normal(size=32) * 0.3
    v = (base + noise).astype(np.float32)
    return v / np.linalg.norm(v)


def add(db: Database, aid: str, event: str, *, dup_of: str | None = None,
        skipped: str | None = None, source: str = "wire") -> str:  # fmt: skip
    """Store one analysed article of `event` (text varied by its id)."""
    title, text, ents = EVENTS[event]
    key = hashlib.sha1(aid.encode()).hexdigest()[:20]
    seq = db.conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM articles").fetchone()[0]
    with db.write() as conn:
        conn.execute(
            "INSERT INTO articles (key, id, title, text, source, published, words, duplicate_of,"
            " ingested_at, seq) VALUES (?, ?, ?, ?, ?, '2025-03-03', 20, ?, ?, ?)",
            (key, aid, title, f"{text}. Report {aid}.", source, dup_of, utcnow(), seq),
        )
        conn.execute(
            "INSERT INTO analyses (article_key, lang, skipped, analysed_at) VALUES (?, 'en', ?, ?)",
            (key, skipped, utcnow()),
        )
        if skipped:
            return key
        conn.execute(
            "INSERT INTO article_vectors VALUES (?, ?)", (key, _vector(event, seq).tobytes())
        )
        for name in ents:
            conn.execute("INSERT OR IGNORE INTO entities (name, type) VALUES (?, 'GPE')", (name,))
            conn.execute(
                'INSERT INTO mentions (article_key, start, "end", text, type, entity_id)'
                " SELECT ?, 0, 1, name, 'GPE', id FROM entities WHERE name = ?",
                (key, name),
            )
    return key


def story_of(db: Database) -> dict[str, str]:
    return {a["id"]: s["id"] for s in list_stories(db) for a in s["articles"]}


@pytest.fixture
def db(tmp_path: Path) -> Database:
    database = Database(tmp_path / "c.db")
    yield database  # type: ignore[misc]
    database.close()


def test_events_form_separate_stories(db: Database) -> None:
    for i in range(3):
        for event in EVENTS:
            add(db, f"{event}-{i}", event)
    report = cluster_new(db, Settings())
    assert report.assigned == 9 and report.new_stories == 3
    got = story_of(db)
    for event in EVENTS:
        assert len({got[f"{event}-{i}"] for i in range(3)}) == 1
    assert len(set(got.values())) == 3


def test_second_run_keeps_ids_and_joins_new_articles(tmp_path: Path) -> None:
    db = Database(tmp_path / "c.db")
    for event in EVENTS:
        add(db, f"{event}-0", event)
        add(db, f"{event}-1", event)
    cluster_new(db, Settings())
    first = story_of(db)
    db.close()
    db = Database(tmp_path / "c.db")  # a later process: index from its file, DF from the store
    add(db, "quake-2", "quake")
    add(db, "vote-2", "vote")
    report = cluster_new(db, Settings())
    again = story_of(db)
    assert {k: again[k] for k in first} == first
    assert again["quake-2"] == first["quake-0"]
    assert again["vote-2"] == first["vote-0"]
    assert report.joined_existing == 2 and report.new_stories == 0
    db.close()


def test_story_id_is_stable_prefix_of_first_article(db: Database) -> None:
    key = add(db, "quake-0", "quake")
    add(db, "quake-1", "quake")
    cluster_new(db, Settings())
    assert story_of(db)["quake-0"] == "s-" + key[:12]


def test_near_duplicate_joins_its_original_even_across_runs(db: Database) -> None:
    original = add(db, "vote-0", "vote")
    cluster_new(db, Settings())
    # a reprint whose text reads like another event still follows its duplicate link
    add(db, "reprint", "merger", dup_of=original, source="other")
    report = cluster_new(db, Settings())
    assert story_of(db)["reprint"] == story_of(db)["vote-0"]
    assert report.duplicates == 1
    story = next(s for s in list_stories(db) if s["article_count"] == 2)
    assert story["independent_sources"] == 1
    assert {a["duplicate_of"] for a in story["articles"]} == {None, "vote-0"}


def test_unanalysable_article_stands_alone_unless_duplicate(db: Database) -> None:
    original = add(db, "quake-0", "quake")
    add(db, "foreign", "quake", skipped="language: de")
    add(db, "foreign-copy", "quake", skipped="language: de", dup_of=original)
    report = cluster_new(db, Settings())
    got = story_of(db)
    assert got["foreign"] not in {got["quake-0"]}
    assert got["foreign-copy"] == got["quake-0"]
    assert report.unanalysable == 2


def test_lost_index_file_is_rebuilt(tmp_path: Path) -> None:
    db = Database(tmp_path / "c.db")
    add(db, "merger-0", "merger")
    cluster_new(db, Settings())
    db.close()
    Path(str(tmp_path / "c.db") + ".usearch").unlink()
    db = Database(tmp_path / "c.db")
    add(db, "merger-1", "merger")
    cluster_new(db, Settings())
    assert story_of(db)["merger-1"] == story_of(db)["merger-0"]
    db.close()


def test_small_batches_give_the_same_stories_here(db: Database) -> None:
    for i in range(3):
        for event in EVENTS:
            add(db, f"{event}-{i}", event)
    report = cluster_new(db, Settings({"cluster_batch_size": 2}))
    assert report.batches == 5
    assert len(set(story_of(db).values())) == 3


def test_listing_contract_and_detail(db: Database) -> None:
    add(db, "quake-0", "quake", source="A")
    add(db, "quake-1", "quake", source="B")
    cluster_new(db, Settings())
    [story] = list_stories(db)
    assert set(story) >= {"id", "title", "articles", "first_published", "last_published",
                          "sources", "article_count", "independent_sources"}  # fmt: skip
    assert story["title"] == EVENTS["quake"][0]
    assert story["sources"] == ["A", "B"] and story["independent_sources"] == 2
    assert story["first_published"] == story["last_published"] == "2025-03-03"
    detail = story_detail(db, story["id"])
    assert detail is not None
    assert [a["how"] for a in detail["articles"]] == ["seed", "linked"]
    assert story_detail(db, "s-nope") is None


def test_nothing_to_do_is_cheap_and_harmless(db: Database) -> None:
    report = cluster_new(db, Settings())
    assert report.assigned == 0 and list_stories(db) == []
