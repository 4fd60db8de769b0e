"""Ingest end to end: ids, exact and near duplicates, rejects, crash safety."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import SEED_000, SEED_002, seed_text
from newsprism import Workspace


def _near_copy() -> str:
    """Seed 002 with two sentences rewritten, as a wire reprint would be."""
    text = seed_text(SEED_002)
    text = text.replace(
        "The meeting, held in a highly secure setting, stretched for more than three hours",
        "The closely guarded meeting lasted for more than three hours",
    )
    return text.replace(
        "The unexpected invitation appeared to catch Trump off guard.",
        "Observers said the offer seemed to surprise the American delegation.",
    )


def test_seeds_plus_near_copy(tmp_path: Path, examples: Path) -> None:
    (examples / "reprint_of_002.txt").write_text(_near_copy(), encoding="utf-8")
    with Workspace(tmp_path / "n.db") as ws:
        report = ws.ingest([examples])
        rows = {r["id"]: r for r in ws.articles()}
    assert report.new == 3 and report.near_duplicates == 1 and not report.rejected
    assert set(rows) == {SEED_000, SEED_002, "reprint_of_002"}
    assert rows["reprint_of_002"]["duplicate_of"] == SEED_002
    assert rows["reprint_of_002"]["duplicate_score"] > 0.7
    assert rows[SEED_000]["duplicate_of"] is None and rows[SEED_002]["duplicate_of"] is None


def test_exact_duplicate_is_a_sighting(tmp_path: Path, examples: Path) -> None:
    other = tmp_path / "mirror"
    other.mkdir()
    # Same article with CRLF line ends and curly quotes folded: still the same content.
    text = seed_text(SEED_000).replace("\n", "\r\n").replace("“", '"').replace("”", '"')
    (other / "copy.txt").write_text(text, encoding="utf-8")
    with Workspace(tmp_path / "n.db") as ws:
        first = ws.ingest([examples])
        second = ws.ingest([other, examples])
        assert first.new == 2
        # The copy is a new sighting; the files read again are not (issue 14).
        assert second.new == 0 and second.exact_duplicates == 1 and second.already_seen == 2
        art = ws.article(SEED_000)
    assert art is not None and len(art["sightings"]) == 2


def test_bad_inputs_reported_rest_stored(tmp_path: Path, examples: Path) -> None:
    (examples / "empty.txt").write_text("")
    (examples / "bad.jsonl").write_text(
        '{"id": "ok1", "text": "A perfectly fine article about a council vote on Tuesday."}\n'
        "{not json}\n"
        '{"id": "notext", "title": "no text"}\n'
    )
    seen = []
    with Workspace(tmp_path / "n.db") as ws:
        report = ws.ingest([examples, tmp_path / "missing.txt"], on_reject=seen.append)
        ids = {r["id"] for r in ws.articles()}
    assert {SEED_000, SEED_002, "ok1"} <= ids
    text = "\n".join(str(r) for r in report.rejected)
    assert "empty.txt" in text and "missing.txt" in text
    assert "bad.jsonl" in text and "line 2" in text and "line 3" in text
    assert len(seen) == len(report.rejected) == 4


def test_ecbplus_ids_kept_and_fast(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "id": f"doc{i}",
                "title": f"Story {i}",
                "text": f"Article number {i} reports event {i % 7} in town {i}. " * 5,
            }
        )
        for i in range(300)
    ]
    src = tmp_path / "many.jsonl"
    src.write_text("\n".join(lines))
    start = time.perf_counter()
    with Workspace(tmp_path / "n.db") as ws:
        report = ws.ingest([src])
        ids = [r["id"] for r in ws.articles()]
    assert report.new + report.exact_duplicates == 300
    assert ids[:3] == ["doc0", "doc1", "doc2"]
    assert time.perf_counter() - start < 20


_KILL_SCRIPT = """
import sys
from newsprism import Workspace
ws = Workspace(sys.argv[1])
print("started", flush=True)
ws.ingest([sys.argv[2]])
"""


def test_sigkill_mid_ingest_leaves_whole_articles(tmp_path: Path) -> None:
    src = tmp_path / "big.jsonl"
    with src.open("w") as fh:
        for i in range(4000):
            body = f"Report {i}: the committee met on day {i} and discussed item {i * 7}. "
            fh.write(json.dumps({"id": f"a{i}", "text": body * 8}) + "\n")
    db = tmp_path / "k.db"
    proc = subprocess.Popen(
        [sys.executable, "-c", _KILL_SCRIPT, str(db), str(src)],
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == b"started"
    time.sleep(1.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    import sqlite3

    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    whole = conn.execute(
        "SELECT COUNT(*) FROM articles a JOIN minhashes m ON m.article_key = a.key"
        " WHERE EXISTS (SELECT 1 FROM sightings s WHERE s.article_key = a.key)"
    ).fetchone()[0]
    conn.close()
    assert 0 < stored < 4000, "kill should land mid-run"
    assert whole == stored
    with Workspace(db) as ws:
        ws.ingest([src])
        assert len(ws.articles()) == 4000


def test_parquet_rows_are_articles(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    text = "A council in Springfield voted on Tuesday to close the old bridge for repairs."
    pq.write_table(pa.table({"id": ["p1", "p2"], "text": [text, None]}), tmp_path / "in.data")
    with Workspace(tmp_path / "p.db") as ws:
        report = ws.ingest([tmp_path / "in.data"])  # sniffed by content, not by name
        assert [a["id"] for a in ws.articles()] == ["p1"]
    assert [str(r) for r in report.rejected] == [
        f"{tmp_path / 'in.data'}:row 2: missing a non-empty string 'text' field"
    ]


def _content(db: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """What a run leaves, without timestamps: articles and sightings."""
    import sqlite3

    conn = sqlite3.connect(db)
    articles = conn.execute(
        "SELECT key, id, title, text, duplicate_of, seq FROM articles ORDER BY seq"
    ).fetchall()
    sightings = conn.execute(
        "SELECT article_key, origin, input_id FROM sightings ORDER BY origin, article_key"
    ).fetchall()
    conn.close()
    return articles, sightings


def test_interrupted_then_completed_equals_clean_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsprism.ingest import pipeline

    src = tmp_path / "feed.jsonl"
    lines = [
        {"id": f"a{i}", "text": f"Report {i}: the committee met and voted. " * 4} for i in range(12)
    ]
    lines += [{"id": "again", "text": lines[3]["text"]}]  # an exact duplicate in the file
    src.write_text("\n".join(json.dumps(line) for line in lines))
    with Workspace(tmp_path / "clean.db") as ws:
        ws.ingest([src])
    real = pipeline.store_article
    calls = {"n": 0}

    def dies_after_seven(*args: object, **kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] > 7:
            raise KeyboardInterrupt  # as a kill between two articles' transactions
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "store_article", dies_after_seven)
    with Workspace(tmp_path / "resumed.db") as ws, pytest.raises(KeyboardInterrupt):
        ws.ingest([src])
    monkeypatch.setattr(pipeline, "store_article", real)
    with Workspace(tmp_path / "resumed.db") as ws:
        resumed = ws.ingest([src])
        again = ws.ingest([src])
    assert (resumed.new, resumed.already_seen, resumed.exact_duplicates) == (5, 7, 1)
    assert (again.new, again.exact_duplicates, again.already_seen) == (0, 0, 13)
    assert _content(tmp_path / "resumed.db") == _content(tmp_path / "clean.db")
    assert len(_content(tmp_path / "clean.db")[1]) == 13
