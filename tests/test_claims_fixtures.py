"""Claims through the real pipeline (ingest -> analyse -> brief) on stories written for
issue 12 (tests/data/corroborate/claims.jsonl): an earthquake whose outlets give
magnitudes 6.1 / 5.9 / 6.0 and five or seven injured, a council meeting on "Tuesday"
or "Wednesday" in undated articles, "three-hour" talks that lasted "more than three
hours", and a trial opening on "March 3" or "Tuesday, March 4"."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsprism import Workspace
from newsprism.report.brief import build_brief
from newsprism.report.markdown import brief_html, brief_markdown
from test_cli import newsprism

DATA = Path(__file__).parent / "data" / "corroborate" / "claims.jsonl"
ROWS = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]


@pytest.fixture(scope="module")
def briefs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """One brief per fixture story, briefed without clustering."""
    folder = tmp_path_factory.mktemp("claims")
    out = {}
    with Workspace(folder / "claims.db") as ws:
        ws.ingest([DATA])
        ws.analyse()
        for story in dict.fromkeys(r["story"] for r in ROWS):
            ids = [r["id"] for r in ROWS if r["story"] == story]
            keys = [
                ws.db.conn.execute("SELECT key FROM articles WHERE id = ?", (i,)).fetchone()[0]
                for i in ids
            ]
            out[story] = build_brief(ws.db, keys, ws.settings, story_id=story)
    return out


def _with(brief: dict[str, Any], words: str) -> list[dict[str, Any]]:
    return [f for f in brief["facts"] if any(words in e["text"] for e in f["evidence"])]


def test_quake_values_are_one_disputed_claim_never_corroborated(
    briefs: dict[str, dict[str, Any]],
) -> None:
    quake = briefs["quake"]
    (claim,) = _with(quake, "earthquake struck")
    assert claim["status"] == "conflicting"
    assert set(claim["reported_by"]) == {"q1", "q2", "q3", "q4"}
    tables = {t["slot"]: {v["value"]: v["outlets"] for v in t["values"]} for t in claim["values"]}
    assert tables["magnitude"] == {
        "6.1": ["Coast Herald"], "6.0": ["National Wire"], "5.9": ["Daily Ledger", "Morning Post"],
    }  # fmt: skip
    assert set(tables["count"]) == {"five people", "seven people"}
    for f in quake["facts"]:  # no variant with a disputed value is corroborated anywhere
        if any("magnitude" in e["text"] for e in f["evidence"]):
            assert f["status"] == "conflicting"
    first = quake["briefing"][0]
    assert first["status"] == "conflicting" and {d["slot"] for d in first["values"]} >= {
        "magnitude"
    }


def test_headlines_fold_into_the_claim_they_state(briefs: dict[str, dict[str, Any]]) -> None:
    quake = briefs["quake"]
    assert not [f for f in quake["facts"] if all(e["headline"] for e in f["evidence"])]
    texts = [i["text"] for i in quake["briefing"]]
    assert not any("quake injures seven" in t for t in texts)


def test_meeting_weekdays_conflict_without_publication_dates(
    briefs: dict[str, dict[str, Any]],
) -> None:
    (claim,) = _with(briefs["meeting"], "met on")
    assert claim["status"] == "conflicting" and claim["conflicts"][0]["kind"] == "date"
    (hours,) = _with(briefs["meeting"], "argued")
    assert hours["status"] == "corroborated"  # "more than two hours" fits "about three hours"


def test_qualified_durations_agree(briefs: dict[str, dict[str, Any]]) -> None:
    talks = briefs["talks"]
    (claim,) = _with(talks, "three-hour")
    assert claim["status"] == "corroborated" and not claim["conflicts"]


def test_a_month_day_without_year_is_comparable(briefs: dict[str, dict[str, Any]]) -> None:
    (claim,) = _with(briefs["dates"], "opened on")
    assert claim["status"] == "conflicting"
    assert {v["value"] for v in claim["conflicts"][0]["values"]} == {"March 3", "Tuesday, March 4"}


def test_disputed_values_render_inline(briefs: dict[str, dict[str, Any]]) -> None:
    text = brief_markdown(briefs["quake"])
    assert "number disputed: 6.1 [1] · 6.0 [3] · 5.9 [2][4]" in text
    assert "National Wire" in brief_html(briefs["quake"])


def test_brief_formats_end_to_end(tmp_path: Path) -> None:
    quake = [r for r in ROWS if r["story"] == "quake"]
    (tmp_path / "quake.jsonl").write_text("".join(json.dumps(r) + "\n" for r in quake))
    done = newsprism("--db", "q.db", "run", "quake.jsonl", "--out", "out", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    (story,) = json.loads(newsprism("--db", "q.db", "stories", "--json", cwd=tmp_path).stdout)
    as_json = newsprism("--db", "q.db", "brief", story["id"], "--format", "json", cwd=tmp_path)
    brief = json.loads(as_json.stdout)
    assert any(f["status"] == "conflicting" and f["values"] for f in brief["facts"])
    as_md = newsprism("--db", "q.db", "brief", story["id"], "--format", "md", cwd=tmp_path)
    assert "disputed: " in as_md.stdout and "5.9" in as_md.stdout
    as_html = newsprism("--db", "q.db", "brief", story["id"], "--format", "html", cwd=tmp_path)
    assert as_html.returncode == 0 and "Daily Ledger" in as_html.stdout
