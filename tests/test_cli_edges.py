"""The rough edges a new user hits (issue 14): missing and read-only databases, option
order, setting ranges, progress output."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsprism import Workspace
from newsprism.errors import ConfigError, StoreError
from newsprism.progress import progress_bar
from newsprism.settings import SETTINGS, Bounds, Settings, load_settings
from newsprism.store import database

ARTICLES = Path(__file__).parent / "data" / "concurrency" / "articles.jsonl"
READ_COMMANDS = [
    ["articles"],
    ["articles", "--json"],
    ["article", "x"],
    ["stories"],
    ["story", "s-x"],
    ["brief", "s-x"],
    ["serve", "--port", "1"],
]


def newsprism(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsprism", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda c: " ".join(c))
def test_read_commands_refuse_a_missing_database(tmp_path: Path, command: list[str]) -> None:
    done = newsprism("--db", "typo/news.db", *command, cwd=tmp_path)
    assert done.returncode == 2
    assert "no database at typo/news.db" in done.stderr
    assert not (tmp_path / "typo").exists()  # neither the file nor its folder was made


def test_workspace_create_false_never_creates(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no database at"):
        Workspace(tmp_path / "a" / "b.db", create=False)
    assert not (tmp_path / "a").exists()


def test_unwritable_database_is_opened_read_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tests run as root, who may write anything: `can_write` is what says no here."""
    path = tmp_path / "ro.db"
    with Workspace(path) as ws:
        ws.ingest([ARTICLES])
    before = path.read_bytes()
    monkeypatch.setattr(database, "can_write", lambda _p: False)
    with Workspace(path, create=False) as ws:
        assert ws.db.readonly
        assert len(ws.articles()) == 80
        with pytest.raises(StoreError, match="read-only"):
            ws.ingest([ARTICLES])
        with pytest.raises(sqlite3.OperationalError, match="readonly"):  # SQLite agrees
            ws.db.conn.execute("DELETE FROM articles")
    assert path.read_bytes() == before


def test_global_options_after_the_command(tmp_path: Path) -> None:
    done = newsprism("ingest", str(ARTICLES), "--db", "late.db", "--quiet", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "late.db").is_file() and not (tmp_path / "newsprism.db").exists()
    listed = newsprism("articles", "--json", "--db", "late.db", cwd=tmp_path)
    assert listed.returncode == 0 and '"conc-079"' in listed.stdout
    bad = newsprism("articles", "--db", "late.db", "--set", "brief_sentences=0", cwd=tmp_path)
    assert bad.returncode == 2 and "brief_sentences" in bad.stderr


def test_out_of_range_setting_is_refused_with_its_range(tmp_path: Path) -> None:
    done = newsprism("--set", "min_article_chars=-5", "settings", cwd=tmp_path)
    assert done.returncode == 2
    assert "'min_article_chars' = -5 is out of range: allowed >= 0" in done.stderr
    env = newsprism("settings", cwd=tmp_path, env={"NEWSPRISM_NEAR_DUP_THRESHOLD": "1.5"})
    assert env.returncode == 2 and "near_dup_threshold" in env.stderr and "0 to 1" in env.stderr
    (tmp_path / "bad.toml").write_text("[newsprism]\nanalyse_batch_size = 0\n")
    with pytest.raises(ConfigError, match=r"analyse_batch_size.* >= 1"):
        load_settings(config=tmp_path / "bad.toml", environ={})
    with pytest.raises(ConfigError, match=r"embedding_precision.*one of int8, float32"):
        Settings({"embedding_precision": "fp8"})


BOUNDED = [s for s in SETTINGS if isinstance(s.allowed, Bounds)]


@given(st.sampled_from(BOUNDED), st.floats(-1e6, 1e6, allow_nan=False))
def test_a_value_is_accepted_exactly_when_in_range(setting, value: float) -> None:  # type: ignore[no-untyped-def]
    value = int(value) if isinstance(setting.default, int) else value
    assert isinstance(setting.allowed, Bounds)
    try:
        Settings({setting.name: value})
    except ConfigError as exc:
        assert not setting.allowed.admits(value)
        assert setting.name in str(exc) and str(setting.allowed) in str(exc)
    else:
        assert setting.allowed.admits(value)


def test_every_default_is_in_its_range() -> None:
    Settings({s.name: s.default for s in SETTINGS})


def test_progress_lines_when_not_a_terminal() -> None:
    out = io.StringIO()
    with progress_bar(5, "analyse", "article", None, every=2, stream=out) as bar:
        for _ in range(5):
            bar.update()
    lines = out.getvalue().splitlines()
    assert [line.split(",")[0] for line in lines] == [
        "analyse: 2/5 articles (40%)",
        "analyse: 4/5 articles (80%)",
    ]
    quiet = io.StringIO()
    with progress_bar(5, "analyse", "article", False, every=1, stream=quiet) as bar:
        bar.update(5)
    assert quiet.getvalue() == ""


def test_cli_progress_lines_and_quiet(tmp_path: Path) -> None:
    (tmp_path / "copy.jsonl").write_bytes(ARTICLES.read_bytes())
    loud = newsprism(
        "--set", "progress_every=1", "ingest", str(ARTICLES), "copy.jsonl", cwd=tmp_path
    )
    assert "ingest: 1/2 files (50%)" in loud.stderr
    quiet = newsprism(
        "--set", "progress_every=1", "ingest", str(ARTICLES), "-q", "--db", "q.db", cwd=tmp_path
    )
    assert quiet.returncode == 0 and "files" not in quiet.stderr


def test_recent_order_puts_undated_stories_by_their_last_update() -> None:
    """Issue 14: the biggest undated story sorted after every dated one (page 2)."""
    from newsprism.cluster.listing import recency

    stories = [
        {"id": "old", "last_published": "2024-01-02", "updated_at": "2026-01-01T00:00:00+00:00"},
        {"id": "undated", "last_published": None, "updated_at": "2026-05-01T10:00:00+00:00"},
        {"id": "new", "last_published": "2026-06-01", "updated_at": "2026-06-01T00:00:00+00:00"},
        {"id": "never", "last_published": None, "updated_at": None},
    ]
    order = [s["id"] for s in sorted(stories, key=recency, reverse=True)]
    assert order == ["new", "undated", "old", "never"]


@pytest.mark.slow
def test_exported_index_names_stories_and_articles_by_title(tmp_path: Path) -> None:
    import html

    from newsprism.report.exporters import export_all

    sample = tmp_path / "sample.jsonl"
    sample.write_text("\n".join(ARTICLES.read_text().splitlines()[:6]) + "\n")
    with Workspace(tmp_path / "e.db", {"analyse_processes": 1}) as ws:
        ws.ingest([sample])
        ws.analyse()
        ws.cluster()
        export_all(ws, tmp_path / "out")
        stories = ws.stories()
        titles = [a["title"] for a in ws.articles()]
    index = (tmp_path / "out" / "index.html").read_text()
    for title in titles:
        assert html.escape(title) in index
    for story in stories:
        assert html.escape(story["title"]) in index
    assert ">conc-000<" not in index and "<li>conc-" not in index
