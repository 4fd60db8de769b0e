"""End-to-end tests of the `newsprism` command, run as a user would run it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SEED_000, SEED_002
from newsprism import Workspace


def newsprism(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsprism", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_ingest_and_articles_json(tmp_path: Path, examples: Path) -> None:
    (examples / "broken.jsonl").write_text('{"id": "x"}\n')
    done = newsprism("--db", "t.db", "ingest", str(examples), cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert "broken.jsonl:line 1" in done.stderr and "text" in done.stderr
    assert "2 new, 0 exact duplicates, 0 near-duplicates, 1 rejected" in done.stdout
    listed = newsprism("--db", "t.db", "articles", "--json", cwd=tmp_path)
    rows = json.loads(listed.stdout)
    assert [r["id"] for r in rows] == [SEED_000, SEED_002]
    assert set(rows[0]) >= {"id", "source", "title", "published", "words", "duplicate_of"}
    again = newsprism("--db", "t.db", "ingest", str(examples / f"{SEED_000}.txt"), cwd=tmp_path)
    assert again.returncode == 0 and "1 already ingested from the same place" in again.stdout
    table = newsprism("--db", "t.db", "articles", cwd=tmp_path)
    assert SEED_002 in table.stdout and "2 articles" in table.stdout


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert newsprism("ingest", cwd=tmp_path).returncode == 2
    bad = newsprism("--set", "nope=1", "articles", cwd=tmp_path)
    assert bad.returncode == 2 and "unknown setting 'nope'" in bad.stderr
    Workspace(tmp_path / "t.db").close()
    missing = newsprism("--db", "t.db", "article", "no-such-id", cwd=tmp_path)
    assert missing.returncode == 2 and "no article with id" in missing.stderr


def test_settings_lists_every_setting(tmp_path: Path) -> None:
    done = newsprism("--set", "brief_sentences=5", "settings", "--json", cwd=tmp_path)
    rows = {r["name"]: r for r in json.loads(done.stdout)}
    assert rows["brief_sentences"]["value"] == 5 and rows["brief_sentences"]["default"] == 8
    env_db = newsprism("settings", cwd=tmp_path)
    assert "near_dup_threshold" in env_db.stdout


def test_run_stories_brief_end_to_end(tmp_path: Path, examples: Path) -> None:
    done = newsprism("--db", "r.db", "run", str(examples), "--out", "out", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "2 analysed" in done.stdout and "1 new stories" in done.stdout
    stories = json.loads(newsprism("--db", "r.db", "stories", "--json", cwd=tmp_path).stdout)
    assert len(stories) == 1
    story = stories[0]
    assert {a["id"] for a in story["articles"]} == {SEED_000, SEED_002}
    assert story["independent_sources"] == 2 and story["title"]
    out = tmp_path / "out"
    assert json.loads((out / "stories.json").read_text()) == stories
    for suffix in (".html", ".md", ".json"):
        assert (out / "stories" / f"{story['id']}{suffix}").is_file()
    assert f"stories/{story['id']}.html" in (out / "index.html").read_text()
    brief = json.loads(
        newsprism("--db", "r.db", "brief", story["id"], "--format", "json", cwd=tmp_path).stdout
    )
    assert brief["story"]["id"] == story["id"]
    assert brief == json.loads((out / "stories" / f"{story['id']}.json").read_text())
    md = newsprism("--db", "r.db", "brief", story["id"], cwd=tmp_path)
    assert md.returncode == 0 and "## Briefing" in md.stdout
    shown = newsprism("--db", "r.db", "story", story["id"], cwd=tmp_path)
    assert SEED_000 in shown.stdout and SEED_002 in shown.stdout
    text = newsprism("--db", "r.db", "article", SEED_002, cwd=tmp_path)
    assert "“Next time in Moscow.” — Vladimir Putin" in text.stdout
    art = json.loads(newsprism("--db", "r.db", "article", SEED_002, "--json", cwd=tmp_path).stdout)
    putin = next(q for q in art["quotes"] if q["text"] == "Next time in Moscow.")
    assert putin["speaker"] == "Vladimir Putin" and isinstance(putin["speaker_entity"], int)
    assert (putin["attribution"], putin["kind"], putin["confident"]) == ("named", "direct", True)
    assert putin["speaker_description"] is None
    assert any(q["kind"] == "indirect" and q["speaker"] for q in art["quotes"])  # issue 13
    assert "Who did what" in text.stdout and "putin met" in text.stdout
    unknown = newsprism("--db", "r.db", "brief", "s-nope", cwd=tmp_path)
    assert unknown.returncode == 2 and "no story with id" in unknown.stderr


@pytest.mark.slow
def test_analyse_on_ray_end_to_end(tmp_path: Path, examples: Path) -> None:
    (examples / "bad.jsonl").write_text("{oops}\n")
    done = newsprism(
        "--db",
        "ray.db",
        "analyse",
        "--engine",
        "ray",
        "--workers",
        "1",
        str(examples),
        cwd=tmp_path,
    )
    assert done.returncode == 1, done.stderr[-3000:]
    assert "bad.jsonl:line 1" in done.stderr
    assert "2 analysed" in done.stdout and "ray: 2 articles analysed" in done.stdout
    chatter = [line for line in done.stderr.splitlines() if " INFO " in line or "Running" in line]
    assert not chatter, chatter[:5]  # issue 14: Ray's own logging stays off stderr
    shown = newsprism("--db", "ray.db", "article", SEED_002, "--json", cwd=tmp_path)
    art = json.loads(shown.stdout)
    assert any(q["speaker"] == "Vladimir Putin" for q in art["quotes"])
    assert {"kind": "subject", "verb": "met", "arg": "putin", "source": "lead"} in art["frames"]
    usage = newsprism("analyse", "--engine", "ray", cwd=tmp_path)
    assert usage.returncode == 2 and "needs INPUTS" in usage.stderr


def test_article_json_gives_each_mention_its_entity_id(tmp_path: Path) -> None:
    """Issue 13: "HP" and a bare "Hurd" in a later article are the entities of the first."""
    data = Path(__file__).parent / "data" / "entities"
    assert newsprism("--db", "e.db", "ingest", str(data), cwd=tmp_path).returncode == 0
    assert newsprism("--db", "e.db", "analyse", cwd=tmp_path).returncode == 0

    def entities(article: str) -> list[dict[str, object]]:
        shown = newsprism("--db", "e.db", "article", article, "--json", cwd=tmp_path)
        assert shown.returncode == 0, shown.stderr
        return list(json.loads(shown.stdout)["entities"])

    first, second = entities("hp-results"), entities("hp-shares")
    ids = {e["text"]: e["entity_id"] for e in first}
    assert all(isinstance(e["entity_id"], int) for e in first + second)
    later = {e["text"]: e for e in second}
    assert later["HP"]["entity_id"] == ids["Hewlett-Packard Co."]
    assert later["HP"]["canonical"] == "Hewlett-Packard Co."
    assert later["Hurd"]["entity_id"] == ids["Mark Hurd"]
    assert set(later["HP"]) >= {"text", "start", "end", "type", "canonical", "entity_id"}
