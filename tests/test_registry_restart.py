"""The cross-article merge does not depend on restarts (issue 13).

The registry remembers more than the stored entities: which names each person appeared
with (telling two Petersons apart) and which surname a full name already joined. A
run split across Workspace openings must give every mention the entity one
continuous run gives it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from newsprism import Workspace
from newsprism.analyse.pipeline import AnalyseReport, Vectors, _store_batch
from newsprism.analyse.store_rows import load_registry
from newsprism.analyse.work import claim_batch
from newsprism.models import Analysis, Mention
from newsprism.store.leases import Claimant

ARTICLES = Path(__file__).parent / "data" / "concurrency" / "articles.jsonl"

# (name, type) per article, in ingestion order: each later article's answer depends on
# what the registry learnt from the earlier ones beyond the entity rows.
STORY: list[list[tuple[str, str]]] = [
    [("Gupta", "PERSON"), ("CNN", "ORG")],
    [("Sanjay Gupta", "PERSON"), ("CNN", "ORG")],  # joins the bare "Gupta"
    [("Scott Peterson", "PERSON"), ("Modesto", "GPE")],
    [("Drew Peterson", "PERSON"), ("Bolingbrook", "GPE")],
    [("Sanjay Gupta", "PERSON"), ("Atlanta", "GPE")],  # the joined full name
    [("Peterson", "PERSON"), ("Modesto", "GPE")],  # Scott, by the shared name
    [("Gita Gupta", "PERSON"), ("CNN", "ORG")],  # "Gupta" was already claimed
    [("Peterson", "PERSON"), ("Bolingbrook", "GPE")],  # Drew
    [("Duncan Rait", "PERSON"), ("Mount Cook", "LOC")],
    [("Duncan Raite", "PERSON"), ("Mount Cook", "LOC")],  # a typo, in the same story
    [("Obama", "PERSON")],
    [("Barack Obama", "PERSON"), ("Mount Cook", "LOC")],
    [("Obama", "GPE")],  # the person, tagged as a place
]
EXPECTED = [
    ["Gupta", "CNN"],
    ["Gupta", "CNN"],
    ["Scott Peterson", "Modesto"],
    ["Drew Peterson", "Bolingbrook"],
    ["Gupta", "Atlanta"],
    ["Scott Peterson", "Modesto"],
    ["Gita Gupta", "CNN"],
    ["Drew Peterson", "Bolingbrook"],
    ["Duncan Rait", "Mount Cook"],
    ["Duncan Rait", "Mount Cook"],
    ["Obama"],
    ["Barack Obama", "Mount Cook"],
    ["Barack Obama"],
]


def _analysis(names: list[tuple[str, str]]) -> Analysis:
    """An analysed article with these in-article names (spans are placeholders)."""
    mentions = [Mention(i, i + 1, name, type_, name) for i, (name, type_) in enumerate(names)]
    return Analysis("en", mentions=mentions)


def _analyse(path: Path, story: list[list[tuple[str, str]]]) -> None:
    """Analyse the next `len(story)` articles in one Workspace opening."""
    ws = Workspace(path)
    try:
        claimant = Claimant(ws.db)
        batch = claim_batch(ws.db, claimant, len(story))
        vectors = Vectors(np.zeros(4), np.zeros((0, 4)))  # stored only with vectors
        results = [
            (art, _analysis(names), vectors) for art, names in zip(batch, story, strict=True)
        ]
        _store_batch(ws.db, claimant, load_registry(ws.db.conn), results, "m", AnalyseReport())
    finally:
        ws.close()


def _stored(path: Path) -> list[list[str]]:
    """The entity name of every stored mention, per article in ingestion order."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT a.seq, e.name FROM mentions m JOIN articles a ON a.key = m.article_key"
            " JOIN entities e ON e.id = m.entity_id ORDER BY a.seq, m.start"
        ).fetchall()
    finally:
        conn.close()
    out: dict[int, list[str]] = {}
    for seq, name in rows:
        out.setdefault(seq, []).append(name)
    return list(out.values())


def _type_of(path: Path, name: str) -> str:
    """The stored type of one entity row (its type is the registry's vote)."""
    conn = sqlite3.connect(path)
    try:
        row = conn.execute("SELECT type FROM entities WHERE name = ?", (name,)).fetchone()
    finally:
        conn.close()
    return str(row[0])


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    path = tmp_path / "r.db"
    ws = Workspace(path)
    ws.ingest([ARTICLES])
    ws.close()
    return path


def test_one_continuous_run(fresh: Path) -> None:
    _analyse(fresh, STORY)
    assert _stored(fresh) == EXPECTED
    assert _type_of(fresh, "Barack Obama") == "PERSON"


@pytest.mark.parametrize("split", range(1, len(STORY)))
def test_a_run_split_by_a_restart_gives_the_same_entities(fresh: Path, split: int) -> None:
    _analyse(fresh, STORY[:split])
    _analyse(fresh, STORY[split:])
    assert _stored(fresh) == EXPECTED
    assert _type_of(fresh, "Barack Obama") == "PERSON"


def test_a_restart_after_every_article(fresh: Path) -> None:
    for names in STORY:
        _analyse(fresh, [names])
    assert _stored(fresh) == EXPECTED


def test_mentions_stored_before_m020_replay_with_their_stored_names(fresh: Path) -> None:
    """Rows without an in-article name (analysed before migration m020) still prime the
    registry, the stored entity name standing in: the names a person appeared with are
    rebuilt (Scott Peterson), though not which full name joined a bare surname (the
    stored "Gupta" no longer says "Sanjay Gupta" joined it)."""
    _analyse(fresh, STORY[:4])
    conn = sqlite3.connect(fresh)
    with conn:
        conn.execute("UPDATE mentions SET local_name = NULL, local_type = NULL")
    conn.close()
    _analyse(fresh, STORY[4:6])
    stored = _stored(fresh)
    assert stored[:4] == EXPECTED[:4] and stored[5] == EXPECTED[5]
