"""The entity registry kept warm between analyse runs (issue 15, the latency of watch).

A watch cycle used to replay the entity merge over the whole stored corpus before
analysing its few new articles. The kept registry replays the store once and then
advances only by what is new, and it must stay exactly what a fresh replay of the
store gives, whoever wrote the store meanwhile.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsprism import Workspace
from newsprism.analyse import pipeline, store_rows
from newsprism.analyse.entities import EntityRegistry
from newsprism.analyse.kept_registry import KeptRegistry
from newsprism.analyse.pipeline import AnalyseReport, Vectors, _store_batch
from newsprism.analyse.registry import Entity
from newsprism.analyse.store_rows import load_registry
from newsprism.analyse.work import claim_batch
from newsprism.models import Analysis, Mention
from newsprism.store.leases import Claimant
from test_registry_restart import EXPECTED as RESTART_EXPECTED
from test_registry_restart import STORY as RESTART_STORY
from test_registry_restart import _stored

ARTICLES = Path(__file__).parent / "data" / "concurrency" / "articles.jsonl"

# The ambiguous story of test_registry_restart (its first eight articles, before the
# cases added for later rules): each answer depends on what the registry learnt from the
# earlier articles beyond the entity rows.
STORY = RESTART_STORY[:8]
EXPECTED = RESTART_EXPECTED[:8]


def _entity(e: Entity) -> tuple[Any, ...]:
    return (e.display, sorted(e.votes.items()), sorted(e.context.items()))


def state(registry: EntityRegistry) -> tuple[Any, ...]:
    """Everything a registry remembers, as plain values (entities by their contents)."""
    r: Any = registry
    lists = (r._surnames, r._acronyms, r._short)
    return (
        {k: _entity(e) for k, e in r._by_key.items()},
        *({k: [_entity(e) for e in v] for k, v in d.items() if v} for d in lists),
        sorted(r._claimed),
    )


def _analysis(names: list[tuple[str, str]]) -> Analysis:
    mentions = [Mention(i, i + 1, name, type_, name) for i, (name, type_) in enumerate(names)]
    return Analysis("en", mentions=mentions)


def _cycle(ws: Workspace, kept: KeptRegistry | None, story: list[list[tuple[str, str]]]) -> None:
    """Analyse the next `len(story)` articles as `analyse` does, with `kept` (or a
    fresh replay when None: another process)."""
    claimant = Claimant(ws.db)
    batch = claim_batch(ws.db, claimant, len(story))
    vectors = Vectors(np.zeros(4), np.zeros((0, 4)))
    results = [(art, _analysis(names), vectors) for art, names in zip(batch, story, strict=True)]
    registry = kept.current(ws.db.conn) if kept is not None else load_registry(ws.db.conn)
    _store_batch(ws.db, claimant, registry, results, "m", AnalyseReport(), kept)


def _fresh(folder: Path) -> Path:
    path = folder / "k.db"
    with Workspace(path) as ws:
        ws.ingest([ARTICLES])
    return path


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    return _fresh(tmp_path)


def test_cycles_on_a_kept_registry_match_a_fresh_replay_after_each(fresh: Path) -> None:
    kept = KeptRegistry()
    with Workspace(fresh) as ws:
        for names in STORY:
            _cycle(ws, kept, [names])
            assert state(kept.current(ws.db.conn)) == state(load_registry(ws.db.conn))
    assert _stored(fresh) == EXPECTED
    assert kept.replayed == 0  # all its articles were resolved as they were written


def test_articles_another_process_wrote_are_replayed_and_only_they(fresh: Path) -> None:
    kept = KeptRegistry()
    with Workspace(fresh) as mine, Workspace(fresh) as other:
        _cycle(mine, kept, STORY[:2])
        _cycle(other, None, STORY[2:5])
        _cycle(mine, kept, STORY[5:])
        assert kept.replayed == 3
        assert state(kept.current(mine.db.conn)) == state(load_registry(mine.db.conn))
    assert _stored(fresh) == EXPECTED


def test_a_batch_written_out_of_order_drops_the_registry(fresh: Path) -> None:
    """Another process's article stored between the mark and this batch: the order in
    the store is not the order resolved here, so the next use replays the store."""
    kept = KeptRegistry()
    with Workspace(fresh) as mine, Workspace(fresh) as other:
        _cycle(mine, kept, STORY[:2])
        claimant = Claimant(mine.db)
        batch = claim_batch(mine.db, claimant, 2)
        registry = kept.current(mine.db.conn)
        _cycle(other, None, STORY[4:5])  # takes the article after the claimed two
        vectors = Vectors(np.zeros(4), np.zeros((0, 4)))
        results = [(a, _analysis(n), vectors) for a, n in zip(batch, STORY[2:4], strict=True)]
        _store_batch(mine.db, claimant, registry, results, "m", AnalyseReport(), kept)
        assert state(kept.current(mine.db.conn)) == state(load_registry(mine.db.conn))
        assert kept.replayed == 5  # the whole store, once


def test_a_deleted_analysis_drops_the_registry(fresh: Path) -> None:
    kept = KeptRegistry()
    with Workspace(fresh) as ws:
        _cycle(ws, kept, STORY[:4])
        with ws.db.write() as conn:
            conn.execute("DELETE FROM analyses WHERE rowid = (SELECT MIN(rowid) FROM analyses)")
        assert state(kept.current(ws.db.conn)) == state(load_registry(ws.db.conn))
        assert kept.replayed == 3


ANALYSIS_TABLES = ("analyses", "sentences", "article_vectors", "mentions", "quotes",
                   "quantities", "dates", "frames")  # fmt: skip


def test_an_article_analysed_again_at_the_same_rowid_drops_the_registry(fresh: Path) -> None:
    """The last analysis seen deleted and the article analysed again with other names
    by another process: same rowid, same article, other mentions."""
    kept = KeptRegistry()
    with Workspace(fresh) as ws, Workspace(fresh) as other:
        _cycle(ws, kept, STORY[:4])
        with ws.db.write() as conn:
            (key,) = conn.execute(
                "SELECT article_key FROM analyses ORDER BY rowid DESC LIMIT 1"
            ).fetchone()
            for table in ANALYSIS_TABLES:
                conn.execute(f"DELETE FROM {table} WHERE article_key = ?", (key,))
        _cycle(other, None, STORY[6:7])
        assert state(kept.current(ws.db.conn)) == state(load_registry(ws.db.conn))
        assert kept.replayed == 4


def test_a_batch_that_fails_to_be_written_drops_the_registry(
    fresh: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Resolved into the registry, never stored: kept, it would resolve later articles
    against names the store does not hold."""
    kept = KeptRegistry()
    with Workspace(fresh) as ws:
        _cycle(ws, kept, STORY[:2])

        def broken(*_args: Any) -> None:
            raise sqlite3.OperationalError("disk I/O error")

        monkeypatch.setattr(pipeline, "write_analysis", broken)
        with pytest.raises(sqlite3.OperationalError):
            _cycle(ws, kept, STORY[2:4])
        monkeypatch.undo()
        assert state(kept.current(ws.db.conn)) == state(load_registry(ws.db.conn))
        _cycle(ws, kept, STORY[2:])
    assert _stored(fresh) == EXPECTED


@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 3), st.booleans()), min_size=1, max_size=8))
def test_any_interleaving_of_cycles_matches_a_fresh_replay(
    steps: list[tuple[int, bool]],
) -> None:
    """Cycles of 1-3 articles, each by the watch (kept) or by another process."""
    with tempfile.TemporaryDirectory() as folder:
        path = _fresh(Path(folder))
        kept = KeptRegistry()
        done = 0
        with Workspace(path) as mine, Workspace(path) as other:
            for size, by_me in steps:
                part = STORY[done : done + size]
                if not part:
                    break
                _cycle(mine if by_me else other, kept if by_me else None, part)
                done += len(part)
                assert state(kept.current(mine.db.conn)) == state(load_registry(mine.db.conn))
        assert _stored(path) == EXPECTED[:done]


def _jsonl(folder: Path, name: str, lines: list[str]) -> Path:
    path = folder / name
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_a_workspace_analyse_does_not_replay_the_corpus_each_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression (issue 15): every `analyse` replayed the entity merge over the whole
    store, so a watch cycle's fixed cost grew with the corpus. Two cycles on one
    Workspace replay the store as it was when the first began, and nothing more."""
    lines = ARTICLES.read_text(encoding="utf-8").splitlines(keepends=True)[:10]
    assert all(json.loads(line)["text"] for line in lines)
    db = tmp_path / "w.db"
    with Workspace(db) as before:
        before.ingest([_jsonl(tmp_path, "a.jsonl", lines[:6])])
        before.analyse()
    replayed: list[str] = []
    real = store_rows.resolve_entities

    def counting(registry: EntityRegistry, an: Analysis) -> None:
        replayed.append("article")
        real(registry, an)

    monkeypatch.setattr(store_rows, "resolve_entities", counting)
    corpus = len(_stored(db))
    with Workspace(db) as ws:
        for n, part in enumerate((lines[6:8], lines[8:10])):
            ws.ingest([_jsonl(tmp_path, f"b{n}.jsonl", part)])
            assert ws.analyse().analysed == len(part)
    assert 0 < corpus == len(replayed)


def test_warm_replays_the_store_so_the_first_cycle_does_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`watch` warms its Workspace before polling: the first new article's analyse then
    waits for neither the models nor the replay of the store."""
    lines = ARTICLES.read_text(encoding="utf-8").splitlines(keepends=True)[:5]
    db = tmp_path / "w.db"
    with Workspace(db) as before:
        before.ingest([_jsonl(tmp_path, "a.jsonl", lines[:4])])
        before.analyse()
    replayed: list[int] = []
    real = store_rows.resolve_entities
    monkeypatch.setattr(
        store_rows, "resolve_entities", lambda r, an: (replayed.append(1), real(r, an))[1]
    )
    with Workspace(db) as ws:
        ws.warm()
        assert len(replayed) == 4
        ws.ingest([_jsonl(tmp_path, "b.jsonl", lines[4:5])])
        assert ws.analyse().analysed == 1
    assert len(replayed) == 4
