"""Chaos (issue 14): random `kill -9`s across the stages, then integrity and convergence
to a clean run; concurrent CLI and web writers with zero errors. The machinery is
`bench/chaos.py` (which runs the full 20-kill version); this is its smaller, seeded run."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import chaos

KILLS = 5  # each killed `analyse` costs a model load: keep the test near two minutes


@pytest.mark.slow
def test_kill_9_chaos_converges_to_the_clean_run(tmp_path: Path) -> None:
    report = chaos.kill_chaos(tmp_path, kills=KILLS, seed=14)
    assert report.kills == KILLS
    assert report.errors == []
    assert report.integrity_failures == []
    assert report.differences == []


@pytest.mark.slow
def test_concurrent_cli_and_web_writers_never_fail(tmp_path: Path) -> None:
    report, stored = chaos.writers_chaos(tmp_path, writers=2)
    assert report.errors == []
    assert report.integrity_failures == []
    assert stored == 32  # every article of every writer, once
