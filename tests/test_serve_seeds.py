"""The web app over the real pipeline: the seeds ingested, analysed, clustered and briefed,
and articles added through the token-protected ingest endpoint."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from conftest import EXAMPLES, SEED_000, SEED_002
from newsprism import Workspace
from newsprism.serve import create_app

TOKEN = "correct horse battery staple"
AUTH = {"authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("serve_seeds") / "seeds.db"
    with Workspace(db) as ws:
        ws.ingest([EXAMPLES / f"{SEED_000}.txt", EXAMPLES / f"{SEED_002}.txt"])
        ws.analyse()
        ws.cluster()
    return db


@pytest.fixture(scope="module")
def client(seeds_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(seeds_db)) as c:
        yield c


@pytest.fixture(scope="module")
def seed_story(client: TestClient) -> dict[str, Any]:
    (row,) = [s for s in client.get("/stories.json").json() if s["article_count"] == 2]
    brief: dict[str, Any] = client.get(f"/stories/{row['id']}.json").json()
    return brief


def test_seed_story_json_is_the_workspace_brief(seeds_db: Path, seed_story: dict[str, Any]) -> None:
    with Workspace(seeds_db) as ws:
        assert ws.brief(seed_story["story"]["id"]) == seed_story
    assert {a["id"] for a in seed_story["articles"]} == {SEED_000, SEED_002}
    assert seed_story["briefing"] and seed_story["facts"]


def test_seed_story_page_cites_both_seeds(client: TestClient, seed_story: dict[str, Any]) -> None:
    page = client.get(f"/stories/{seed_story['story']['id']}").text
    for seed in (SEED_000, SEED_002):
        assert f'href="/articles/{seed}?hl=' in page
        assert f'data-article="{seed}"' in page
    first = seed_story["briefing"][0]["citations"][0]
    assert first["text"] in page


def test_seed_article_page_marks_entities(client: TestClient) -> None:
    page = client.get(f"/articles/{SEED_000}").text
    assert 'title="Vladimir Putin (PERSON)"' in page
    assert "/entities/Vladimir%20Putin" in page
    entity = client.get("/entities/Vladimir Putin.json").json()
    assert entity["total"] == 1 and entity["stories"][0]["article_count"] == 2


def test_search_finds_the_seed_story_by_entity_and_text(
    client: TestClient, seed_story: dict[str, Any]
) -> None:
    for q in ("Zelensky", "Anchorage summit", "orbán"):
        ids = [s["id"] for s in client.get("/stories.json", params={"q": q}).json()]
        assert ids == [seed_story["story"]["id"]], q
    assert client.get("/stories.json", params={"q": "zzzunknownzzz"}).json() == []


def test_ingest_endpoint_runs_every_stage(seeds_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.db"
    shutil.copy(seeds_db, db)
    record = {
        "id": "wire-1",
        "source": "Wire",
        "title": "Port strike in Lyon",
        "text": "Dock workers in Lyon walked out on Monday. The union said 400 members "
        "joined the strike, which closed the port for a day.",
    }
    bad = {"title": "no text"}
    body = (json.dumps(record) + "\n" + json.dumps(bad) + "\n").encode()
    with TestClient(create_app(db, token=TOKEN)) as c:
        done = c.post(
            "/ingest", content=body, headers=AUTH | {"content-type": "application/x-ndjson"}
        )
        assert done.status_code == 200, done.text
        result = done.json()
        assert result["ingested"] == 1 and result["analysed"] == 1
        assert len(result["rejected"]) == 1 and "text" in result["rejected"][0]["reason"]
        assert c.get("/articles/wire-1.json").json()["source"] == "Wire"
        hits = c.get("/stories.json", params={"q": "Lyon"}).json()
        assert [a["id"] for a in hits[0]["articles"]] == ["wire-1"]
        again = {**record, "id": "wire-2", "text": record["text"] + " Talks resume Friday."}
        files = {"file": ("more.jsonl", json.dumps(again).encode(), "application/x-ndjson")}
        upload = c.post("/ingest", files=files, headers=AUTH)
        assert upload.status_code == 200 and upload.json()["ingested"] == 1
        assert c.get("/articles/wire-2").status_code == 200
