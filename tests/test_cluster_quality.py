"""Quality gate on our own fixture through the real pipeline (ingest, analyse, cluster).

tests/data/cluster/events.jsonl holds 20 short reports of seven events, chosen to be hard
in the ways issue 4 names: two meetings of Putin and Trump (Anchorage 2025, Helsinki
2018), two earthquakes a week apart (Qeshm, Iran; Van, Turkey) that share every word but
the places and numbers, an unrelated rate decision, a lightly edited reprint, and two
platforms banning the same man in the same week (a case we still merge: see its test).
events_more.jsonl adds two later reports for the incremental run.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from newsprism import Workspace
from newsprism.cluster.metrics import bcubed

DATA = Path(__file__).parent / "data" / "cluster"
FLOOR = 0.9  # B-cubed F1 measured 0.947 here (1.0 without the two bans); room for model noise


def gold(*names: str) -> dict[str, str]:
    lines = [line for name in names for line in (DATA / name).read_text().splitlines()]
    rows = [json.loads(line) for line in lines if line.strip()]
    return {r["id"]: r["event"] for r in rows}


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first file ingested and analysed once; tests cluster copies of it."""
    db = tmp_path_factory.mktemp("cluster") / "base.db"
    with Workspace(db) as ws:
        ws.ingest([DATA / "events.jsonl"])
        ws.analyse()
    return db


def copy(src: Path, dest: Path) -> Path:
    shutil.copy(src, dest)
    return dest


def story_of(ws: Workspace) -> dict[str, str]:
    return {a["id"]: s["id"] for s in ws.stories() for a in s["articles"]}


def test_quality_floor_on_fixture(analysed: Path, tmp_path: Path) -> None:
    with Workspace(copy(analysed, tmp_path / "q.db")) as ws:
        ws.cluster()
        pred = story_of(ws)
    truth = gold("events.jsonl")
    ids = sorted(truth)
    score = bcubed([pred[i] for i in ids], [truth[i] for i in ids])
    assert score.f1 >= FLOOR, score


def test_same_leaders_other_meeting_and_other_quake_are_other_stories(
    analysed: Path, tmp_path: Path
) -> None:
    with Workspace(copy(analysed, tmp_path / "s.db")) as ws:
        ws.cluster()
        got = story_of(ws)
    assert got["anchorage-1"] == got["anchorage-2"] == got["anchorage-3"]
    assert got["helsinki-1"] != got["anchorage-1"]
    assert got["qeshm-1"] == got["qeshm-2"] and got["van-1"] == got["van-2"]
    assert got["qeshm-1"] != got["van-1"]


def test_reprint_joins_original_and_counts_once(analysed: Path, tmp_path: Path) -> None:
    with Workspace(copy(analysed, tmp_path / "d.db")) as ws:
        ws.cluster()
        got = story_of(ws)
        story = next(s for s in ws.stories() if s["id"] == got["anchorage-1"])
    assert got["anchorage-1-reprint"] == got["anchorage-1"]
    reprint = next(a for a in story["articles"] if a["id"] == "anchorage-1-reprint")
    assert reprint["duplicate_of"] == "anchorage-1"
    assert story["independent_sources"] == len(story["sources"]) - 1


def test_second_run_keeps_ids_and_places_new_reports(analysed: Path, tmp_path: Path) -> None:
    with Workspace(copy(analysed, tmp_path / "i.db")) as ws:
        ws.cluster()
        first = story_of(ws)
        ws.ingest([DATA / "events_more.jsonl"])
        ws.analyse()
        report = ws.cluster()
        again = story_of(ws)
    assert {k: again[k] for k in first} == first
    assert again["qeshm-4"] == first["qeshm-1"]
    assert again["helsinki-4"] == first["helsinki-1"]
    assert report.new_stories == 0 and report.joined_existing == 2


@pytest.mark.xfail(
    strict=True,
    reason="known limit (bench/README.md): two pairs of reports of two bans of the same man"
    " in the same week share nearly all their words; their cross score (0.40) clears the"
    " relative bar of a 20-article corpus although each pair is far tighter (0.63-0.76)",
)
def test_two_platforms_banning_the_same_man_are_two_stories(analysed: Path, tmp_path: Path) -> None:
    with Workspace(copy(analysed, tmp_path / "b.db")) as ws:
        ws.cluster()
        got = story_of(ws)
    assert got["twitter-1"] == got["twitter-2"] and got["facebook-1"] == got["facebook-2"]
    assert got["twitter-1"] != got["facebook-1"]
