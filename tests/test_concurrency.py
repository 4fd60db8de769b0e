"""Processes sharing one database (issue 14, defects 2 and 3), run as a user runs them.

Only `Workspace` and SQLite are used here, so these tests also run against a build
without the fixes (they must fail there: a crashed `analyse`, orphaned workers).
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsprism import Workspace

DATA = Path(__file__).parent / "data" / "concurrency"
ARTICLES = DATA / "articles.jsonl"  # 80 short articles: enough for analyse's worker pool
N_ARTICLES = 80


def start(*args: str, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "newsprism", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(procs: list[subprocess.Popen[str]]) -> list[tuple[int, str, str]]:
    """(exit code, stdout, stderr) of each process, once all have ended."""
    outs = [p.communicate(timeout=600) for p in procs]
    return [(p.returncode, out, err) for p, (out, err) in zip(procs, outs, strict=True)]


@pytest.fixture
def ingested(tmp_path: Path) -> Path:
    """A database with the 80 fixture articles stored, none analysed."""
    db = tmp_path / "c.db"
    with Workspace(db) as ws:
        assert ws.ingest([ARTICLES]).new == N_ARTICLES
    return db


def _count(db: Path, sql: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(sql).fetchone()[0])


@pytest.mark.slow
def test_concurrent_analyse_analyses_each_article_once(ingested: Path) -> None:
    """Three `analyse` at once: no crash, and their counts add up to the corpus."""
    small = ["--set", "analyse_batch_size=2", "--set", "analyse_processes=1"]
    procs = [start("--db", str(ingested), *small, "analyse", cwd=ingested.parent) for _ in range(3)]
    results = finish(procs)
    for code, _out, err in results:
        assert code == 0, err
        assert "Traceback" not in err
    counted = sum(int(re.search(r"(\d+) analysed", out).group(1)) for _, out, _ in results)  # type: ignore[union-attr]
    assert counted == N_ARTICLES
    assert _count(ingested, "SELECT COUNT(*) FROM analyses") == N_ARTICLES


@pytest.mark.slow
def test_concurrent_cluster_matches_a_single_run(ingested: Path, tmp_path: Path) -> None:
    """Three `cluster` at once end where one `cluster` ends, without errors."""
    with Workspace(ingested, {"analyse_processes": 1}) as ws:
        ws.analyse()
    single = tmp_path / "single.db"
    with sqlite3.connect(ingested) as src, sqlite3.connect(single) as dst:
        src.backup(dst)
    with Workspace(single) as ws:
        ws.cluster()
        expected = _stories(ws)
    procs = [start("--db", str(ingested), "cluster", cwd=tmp_path) for _ in range(3)]
    for code, _out, err in finish(procs):
        assert code == 0, err
    with Workspace(ingested) as ws:
        assert _stories(ws) == expected
    assert _count(ingested, "SELECT COUNT(*) FROM story_articles") == N_ARTICLES


def _stories(ws: Workspace) -> set[frozenset[str]]:
    return {frozenset(a["id"] for a in s["articles"]) for s in ws.stories()}


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    """Running (a zombie, which holds no memory and waits to be reaped, is not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_killed_analyse_leaves_no_worker_behind(ingested: Path) -> None:
    """`kill -9` of `analyse`: its worker processes are gone within seconds."""
    proc = start(
        "--db", str(ingested), "--set", "analyse_processes=2", "analyse", cwd=ingested.parent
    )
    deadline = time.monotonic() + 300
    workers: list[int] = []
    while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
        workers = _children(proc.pid)
    assert len(workers) >= 2, "analyse did not start its workers"
    time.sleep(1.0)  # let them reach their initialiser
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    gone_by = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < gone_by:
        time.sleep(0.2)
    survivors = [w for w in workers if _alive(w)]
    for w in survivors:  # do not leave them to the next test either
        os.kill(w, signal.SIGKILL)
    assert not survivors, f"workers {survivors} outlived their killed parent"


def test_fixture_is_what_the_tests_say() -> None:
    rows = [json.loads(line) for line in ARTICLES.read_text().splitlines()]
    assert len(rows) == N_ARTICLES and len({r["id"] for r in rows}) == N_ARTICLES
