"""Work claims between processes (`store/leases.py`, `analyse/work.py`; issue 14)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsprism import Workspace
from newsprism.analyse.pipeline import AnalyseReport, _store_batch
from newsprism.analyse.store_rows import load_registry
from newsprism.analyse.work import KIND, claim_batch
from newsprism.models import Analysis
from newsprism.store.leases import LEASE_SECONDS, Claimant, Owner, drop_stale, process_alive

ARTICLES = Path(__file__).parent / "data" / "concurrency" / "articles.jsonl"


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    w = Workspace(tmp_path / "c.db")
    w.ingest([ARTICLES])
    yield w
    w.close()


def test_two_claimants_take_disjoint_batches(ws: Workspace) -> None:
    first, second = Claimant(ws.db), Claimant(ws.db)
    a = claim_batch(ws.db, first, 30)
    b = claim_batch(ws.db, second, 100)
    assert len(a) == 30 and len(b) == 50
    assert not {x.key for x in a} & {x.key for x in b}
    assert claim_batch(ws.db, first, 10) == []  # all claimed: nothing to wait for


def _dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_claims_of_a_dead_process_are_taken_over(ws: Workspace) -> None:
    dead = Claimant(ws.db)
    dead.owner = Owner("ghost", dead.owner.host, _dead_pid())
    assert len(claim_batch(ws.db, dead, 80)) == 80
    assert len(claim_batch(ws.db, Claimant(ws.db), 80)) == 80


def test_lapsed_claims_expire_live_ones_do_not(ws: Workspace) -> None:
    elsewhere = Claimant(ws.db)
    elsewhere.owner = Owner("far", "another-host", 1)  # cannot be probed: only time tells
    claim_batch(ws.db, elsewhere, 80)
    with ws.db.write() as conn:
        assert drop_stale(conn, KIND) == 0
        assert drop_stale(conn, KIND, now=time.time() + LEASE_SECONDS + 1) == 1
    assert len(claim_batch(ws.db, Claimant(ws.db), 80)) == 80


def test_an_article_written_meanwhile_is_not_written_twice(ws: Workspace) -> None:
    """A lapsed claim taken over: the late writer skips, instead of crashing."""
    mine = Claimant(ws.db)
    batch = claim_batch(ws.db, mine, 2)
    results = [(art, Analysis("en", skipped="test: skipped"), None) for art in batch]
    report = AnalyseReport()
    registry = load_registry(ws.db.conn)
    _store_batch(ws.db, mine, registry, results, "m", report)
    _store_batch(ws.db, mine, registry, results, "m", report)  # used to raise IntegrityError
    assert len(report.skipped) == 2
    assert ws.db.conn.execute("SELECT COUNT(*) FROM work_leases").fetchone()[0] == 0


def test_exclusive_stage_waits_for_a_live_holder_only(ws: Workspace) -> None:
    holder = Claimant(ws.db)
    assert holder._try_exclusive("cluster")
    assert not Claimant(ws.db)._try_exclusive("cluster")
    with ws.db.write() as conn:  # the holder dies
        conn.execute("UPDATE work_leases SET pid = ?, owner = 'gone'", (_dead_pid(),))
    with Claimant(ws.db).exclusive("cluster"):
        pass
    assert ws.db.conn.execute("SELECT COUNT(*) FROM work_leases").fetchone()[0] == 0


def test_process_alive() -> None:
    import os

    assert process_alive(os.getpid())
    assert not process_alive(_dead_pid())


def test_heartbeat_renews_the_owners_claims(ws: Workspace) -> None:
    from newsprism.store.leases import Heartbeat

    mine = Claimant(ws.db)
    claim_batch(ws.db, mine, 3)
    with ws.db.write() as conn:
        conn.execute("UPDATE work_leases SET expires_at = 0")  # as if about to lapse
    with Heartbeat(ws.db.path, mine.owner, every=0.05):
        deadline = time.time() + 10
        while time.time() < deadline:
            low = ws.db.conn.execute("SELECT MIN(expires_at) FROM work_leases").fetchone()[0]
            if low > time.time():
                break
            time.sleep(0.05)
    assert ws.db.conn.execute("SELECT MIN(expires_at) FROM work_leases").fetchone()[0] > time.time()
