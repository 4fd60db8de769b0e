"""Shared fixtures. Models are loaded once per session (they take seconds)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SEED_000 = "000_07bab803748c35fd"
SEED_002 = "002_76f9d42ec5e3e2f7"


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    """A private copy of the bundled example articles."""
    dest = tmp_path / "examples"
    shutil.copytree(EXAMPLES, dest)
    return dest


def seed_text(name: str) -> str:
    return (EXAMPLES / f"{name}.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def analysed_seeds(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A workspace with both seeds ingested and analysed (shared, read-only)."""
    from newsprism import Workspace

    db = tmp_path_factory.mktemp("seeds") / "seeds.db"
    ws = Workspace(db)
    ws.ingest([str(EXAMPLES / f"{SEED_000}.txt"), str(EXAMPLES / f"{SEED_002}.txt")])
    ws.analyse()
    yield ws
    ws.close()
