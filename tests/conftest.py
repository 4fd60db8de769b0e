"""Shared fixtures. Models are loaded once per session (they take seconds)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium per test module (the browser suites share it)."""
    from playwright import sync_api

    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page that fails the test on any dialog (alert, confirm, prompt)."""
    dialogs: list[str] = []
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    tab = context.new_page()
    tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    yield tab
    context.close()
    assert not dialogs, f"a script ran: dialogs {dialogs}"
