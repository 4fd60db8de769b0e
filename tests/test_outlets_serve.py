"""Outlet pages, coverage bars, list filters and blindspots in the web app (issue 16)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsprism import Workspace
from newsprism.api import brief_digest
from newsprism.serve import create_app
from test_outlets import DATA, make_stories

# A stored brief in the GUIDE.md §3 shape (the brief builder needs analysed articles;
# the record only reads what is stored). a2 copies AP (a1), so it never corroborates it.
BRIEF = {
    "story": {"id": "s-a", "title": "Flood barrier holds in river town"},
    "articles": [
        {"id": i, "source": None, "title": None, "published": None}
        for i in ("a1", "a2", "a3", "a4")
    ],
    "facts": [
        {
            "id": "f1",
            "status": "corroborated",
            "text": "The barrier held for nine hours.",
            "reported_by": ["a1", "a2", "a4"],
            "evidence": [{"article": "a4", "start": 0, "end": 10, "text": "The mayor"}],
            "conflicts": [],
        },
        {
            "id": "f2",
            "status": "single_source",
            "text": "Shops reopen on Thursday.",
            "reported_by": ["a2"],
            "evidence": [],
            "conflicts": [],
        },
        {
            "id": "f3",
            "status": "conflicting",
            "text": "Water rose for ten hours.",
            "reported_by": ["a1", "a4"],
            "evidence": [],
            "conflicts": [
                {
                    "kind": "duration",
                    "explanation": "a1 gives “nine hours”, a4 gives “ten hours”",
                    "values": [
                        {"article": "a1", "value": "nine hours"},
                        {"article": "a4", "value": "ten hours"},
                    ],
                }
            ],
        },
    ],
    "briefing": [],
    "quotes": [],
    "omissions": {},
    "timeline": [],
}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "web.db"
    with Workspace(path) as ws:
        ws.ingest([str(DATA / "articles.jsonl")])
        make_stories(ws)
        ws.import_outlets(DATA / "outlets.csv")
        keys = [
            r[0]
            for r in ws.db.conn.execute(
                "SELECT article_key FROM story_articles WHERE story_id = 's-a' ORDER BY node"
            )
        ]
        with ws.db.write() as w:
            w.execute(
                "INSERT INTO briefs (story_id, digest, brief, created_at) VALUES (?, ?, ?, ?)",
                ("s-a", brief_digest(keys, ws.settings), json.dumps(BRIEF), "t"),
            )
    return path


@pytest.fixture
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db)) as c:
        yield c


def test_story_list_shows_coverage_bars_and_filters(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert page.text.count('class="coverage"') == 3
    assert 'data-value="left" data-n="1"' in page.text
    assert 'value="lean:left,right"' in page.text  # the preset filter
    both = client.get("/stories.json", params={"covered": "lean:left,right"}).json()
    assert [s["id"] for s in both] == ["s-a"]
    wire = client.get("/stories.json", params={"only": "lean:left"}).json()
    assert [s["id"] for s in wire] == ["s-b"]
    assert all("coverage" in s and "outlets" in s for s in client.get("/stories.json").json())


def test_outlet_page_record_links_evidence(client: TestClient) -> None:
    data = client.get("/outlets/fox-news.json").json()
    assert data["outlet"]["labels"] == {"lean": "right"}
    counts = data["record"]["counts"]
    assert counts == {"corroborated": 1, "alone": 0, "stands_alone": 1}
    page = client.get("/outlets/fox-news")
    assert page.status_code == 200
    assert "/articles/a4?hl=0-10" in page.text
    assert "not a judgement" in page.text
    planet = client.get("/outlets/Daily Planet.json").json()["record"]["counts"]
    # its AP copy counts as AP, but Fox News corroborates f1 independently of both
    assert planet == {"corroborated": 1, "alone": 1, "stands_alone": 0}
    assert client.get("/outlets/nobody.json").status_code == 404


def test_story_json_names_outlets_in_explanations(client: TestClient) -> None:
    brief = client.get("/stories/s-a.json").json()
    f3 = next(f for f in brief["facts"] if f["id"] == "f3")
    expected = "Associated Press gives “nine hours”, Fox News gives “ten hours”"
    assert f3["conflicts"][0]["explanation"] == expected
    assert brief["coverage"]["lean"] == {"center": 1, "left": 1, "right": 1}


def test_blindspots_page_and_twin(client: TestClient) -> None:
    rows = client.get("/blindspots.json", params={"by": "lean"}).json()
    assert {r["id"]: r["blindspot"]["covered"] for r in rows} == {
        "s-b": ["left"],
        "s-c": ["right"],
    }
    assert "covered by <b>left</b>" in client.get("/blindspots?by=lean").text
    assert client.get("/blindspots.json", params={"by": "nope"}).status_code == 404
    assert client.get("/outlets").status_code == 200
