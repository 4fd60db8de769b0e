"""The web app's routes through FastAPI's TestClient, over a generated store (no models).

The store comes from bench/gen_fixture_db.py (real schema, cached briefs in the GUIDE.md
§3 shape), plus hostile articles ingested through the real ingest stage.
"""

from __future__ import annotations

import importlib.util
import json
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsprism import Workspace
from newsprism.cluster.listing import recency
from newsprism.errors import StoreError
from newsprism.serve import create_app
from newsprism.serve.app import SECURITY_HEADERS

ROOT = Path(__file__).resolve().parents[1]
URL_ID = "https://example.org/news/a b?x=1&y=../2#frag"
HOSTILE = {
    "id": "evil<script>alert(3)</script>",
    "title": "<script>alert(1)</script> Breaking",
    "text": 'Officials said <img src=x onerror=alert(1)> nothing. Click <a href="javascript:'
    'alert(2)">here</a> for more. The port strike in Lyon continued for a third day.',
    "source": "<b onmouseover=alert(1)>Evil Wire</b>",
    "url": "javascript:alert(1)",
}


def load_generator() -> Any:
    """bench/gen_fixture_db.py as a module (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location(
        "gen_fixture_db", ROOT / "bench" / "gen_fixture_db.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("serve") / "fx.db"
    load_generator().build(db, articles=400, seed=3)
    feed = db.parent / "hostile.jsonl"
    urlish = {"id": URL_ID, "text": "A feed entry whose id is its link, slashes and all."}
    feed.write_text(json.dumps(HOSTILE) + "\n" + json.dumps(urlish) + "\n", encoding="utf-8")
    with Workspace(db) as ws:
        assert ws.ingest([feed]).new == 2
    return db


@pytest.fixture(scope="module")
def client(fixture_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(fixture_db)) as c:
        yield c


@pytest.fixture(scope="module")
def story(client: TestClient) -> dict[str, Any]:
    """A story with a conflicting fact and at least three articles."""
    for row in client.get("/stories.json", params={"per_page": 100}).json():
        brief = client.get(f"/stories/{row['id']}.json").json()
        statuses = {f["status"] for f in brief["facts"]}
        if "conflicting" in statuses and len(brief["articles"]) >= 3:
            return brief
    raise AssertionError("the generator made no conflicting story")


def test_story_list_page_and_json_twin(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Stories" in page.text and 'href="/stories.json"' in page.text
    rows = client.get("/stories.json").json()
    assert isinstance(rows, list) and len(rows) == 25
    assert set(rows[0]) >= {"id", "title", "articles", "article_count", "sources"}
    assert rows[0]["id"] in page.text


def test_story_list_pagination_headers_and_bounds(client: TestClient) -> None:
    first = client.get("/stories.json", params={"per_page": 10})
    total = int(first.headers["x-total-count"])
    assert total > 10 and 'rel="next"' in first.headers["link"]
    second = client.get("/stories.json", params={"per_page": 10, "page": 2}).json()
    assert not {r["id"] for r in second} & {r["id"] for r in first.json()}
    beyond = client.get("/stories.json", params={"page": 9999})
    assert beyond.status_code == 200 and beyond.json() == []
    for bad in ({"per_page": 101}, {"page": 0}, {"page": "x"}, {"sort": "nope"}):
        r = client.get("/stories.json", params=bad)
        assert r.status_code == 422
        assert set(r.json()["error"]) == {"status", "message"}


def test_sort_by_size_and_recency(client: TestClient) -> None:
    by_size = client.get("/stories.json", params={"sort": "size", "per_page": 50}).json()
    sizes = [r["article_count"] for r in by_size]
    assert sizes == sorted(sizes, reverse=True)
    recent = client.get("/stories.json", params={"sort": "recent", "per_page": 50}).json()
    keys = [recency(r) for r in recent]  # undated stories by their last update (issue 14)
    assert keys == sorted(keys, reverse=True)


def test_filter_by_source(client: TestClient, story: dict[str, Any]) -> None:
    source = story["articles"][0]["source"]
    rows = client.get("/stories.json", params={"source": source, "per_page": 100}).json()
    assert rows and all(source in r["sources"] for r in rows)
    page = client.get("/", params={"source": source})
    assert f"Stories from {source}" in page.text


def test_search_by_text_and_by_entity(client: TestClient, story: dict[str, Any]) -> None:
    words = story["facts"][1]["text"].split()
    place = words[-1].rstrip(".")  # "... reached <Place> within N hours." -> last fact word
    hits = client.get("/stories.json", params={"q": story["story"]["title"]}).json()
    assert story["story"]["id"] in [r["id"] for r in hits]
    person = " ".join(story["facts"][0]["text"].split()[:2])
    by_entity = client.get("/", params={"q": person})
    assert by_entity.status_code == 200 and "/entities/" in by_entity.text
    assert client.get("/stories.json", params={"q": place}).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "AND",
        "NEAR(",
        "a OR",
        "*",
        "title:x",
        "(((",
        "\\",
        "'; DROP TABLE articles;--",
        "\x00",
        "-",
        "^",
        'a"b',
        "   ",
        "ünïcødé 東京",
    ],
)
def test_bad_fts_queries_never_fail(client: TestClient, query: str) -> None:
    r = client.get("/stories.json", params={"q": query})
    assert r.status_code == 200 and isinstance(r.json(), list)
    assert client.get("/", params={"q": query}).status_code == 200


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_any_query_gives_a_list(client: TestClient, query: str) -> None:
    r = client.get("/stories.json", params={"q": query})
    assert r.status_code == 200 and isinstance(r.json(), list)


def test_overlong_query_is_rejected_with_the_error_body(client: TestClient) -> None:
    r = client.get("/stories.json", params={"q": "x" * 201})
    assert r.status_code == 422 and r.json()["error"]["status"] == 422


def test_story_page_renders_every_section(client: TestClient, story: dict[str, Any]) -> None:
    sid = story["story"]["id"]
    page = client.get(f"/stories/{sid}")
    assert page.status_code == 200
    for section in ("briefing", "contradictions", "matrix", "quotes", "timeline", "omissions"):
        assert f'id="{section}"' in page.text
    assert 'id="compare"' in page.text and 'class="cell contradicts"' in page.text
    assert page.text.count('class="col"') == min(len(story["articles"]), 12)
    cite = re.search(r'<a class="cite" href="([^"]+)" data-cite="(\d+)"', page.text)
    assert cite is not None
    assert f'data-c="{cite.group(2)}' in page.text or f' {cite.group(2)}"' in page.text


def test_story_json_is_the_brief_contract(client: TestClient, story: dict[str, Any]) -> None:
    assert set(story) >= {
        "story",
        "articles",
        "facts",
        "briefing",
        "quotes",
        "omissions",
        "timeline",
    }
    fact = story["facts"][0]
    assert set(fact) >= {"id", "status", "text", "reported_by", "evidence", "conflicts"}
    texts = client.get(f"/articles/{fact['evidence'][0]['article']}.json").json()["text"]
    ev = fact["evidence"][0]
    assert texts[ev["start"] : ev["end"]] == ev["text"]


def test_citation_link_without_javascript_highlights_the_span(
    client: TestClient, story: dict[str, Any]
) -> None:
    cite = story["briefing"][0]["citations"][0]
    article = client.get(f"/articles/{cite['article']}.json").json()
    page = client.get(
        f"/articles/{cite['article']}", params={"hl": f"{cite['start']}-{cite['end']}"}
    )
    body = page.text.split('<div class="text">', 1)[1]
    marked = re.findall(r'<span class="[^"]*\bhl\b[^"]*"[^>]*>([^<]*)</span>', body)
    assert 'id="hl"' in page.text
    assert "".join(marked) == article["text"][cite["start"] : cite["end"]]


def test_article_page_highlights_entities_quotes_quantities(
    client: TestClient, story: dict[str, Any]
) -> None:
    aid = story["articles"][0]["id"]
    data = client.get(f"/articles/{aid}.json").json()
    assert set(data) >= {
        "id",
        "title",
        "text",
        "source",
        "published",
        "sentences",
        "entities",
        "quotes",
        "quantities",
        "dates",
    }
    page = client.get(f"/articles/{aid}").text
    assert "ent ent-person" in page and "qty" in page
    assert f'href="/stories/{story["story"]["id"]}"' in page
    name = data["entities"][0]["canonical"]
    assert f"/entities/{name.replace(' ', '%20')}" in page


def test_entity_pages_by_id_and_by_name(client: TestClient, story: dict[str, Any]) -> None:
    aid = story["articles"][0]["id"]
    name = client.get(f"/articles/{aid}.json").json()["entities"][0]["canonical"]
    by_name = client.get(f"/entities/{name}.json").json()
    assert by_name["name"] == name and by_name["total"] >= 1
    assert story["story"]["id"] in {s["id"] for s in by_name["stories"]} or by_name["total"] > 25
    eid = by_name["entities"][0]["id"]
    assert client.get(f"/entities/{eid}.json").json()["entities"][0]["name"] == name
    page = client.get(f"/entities/{eid}")
    assert page.status_code == 200 and name in page.text


@pytest.mark.parametrize(
    "path",
    [
        "/stories/s-000000000000",
        "/stories/s-000000000000.json",
        "/articles/nope",
        "/articles/nope.json",
        "/entities/999999",
        "/entities/Nobody%20Here.json",
        "/no/such/page",
    ],
)
def test_unknown_ids_give_404_in_the_documented_shape(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404
    if path.endswith(".json"):
        body = r.json()
        assert body["error"]["status"] == 404 and body["error"]["message"]
    else:
        assert r.headers["content-type"].startswith("text/html") and "Not found" in r.text
    api = client.get(path, headers={"accept": "application/json"})
    assert api.json()["error"]["status"] == 404


def test_security_headers_on_every_response(client: TestClient) -> None:
    for path in ("/", "/stories.json", "/static/style.css", "/nope", "/docs", "/openapi.json"):
        r = client.get(path)
        for name, value in SECURITY_HEADERS.items():
            assert r.headers[name] == value, (path, name)


def test_hostile_article_is_rendered_as_text(client: TestClient) -> None:
    aid = HOSTILE["id"]
    data = client.get(f"/articles/{aid}.json").json()
    assert data["title"] == HOSTILE["title"] and data["source"] == HOSTILE["source"]
    page = client.get(f"/articles/{aid}").text
    for raw in ("<script>alert", "<img src=x", "<b onmouseover", 'href="javascript:'):
        assert raw not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Breaking" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "javascript:alert(1)" in page  # shown as text, not as a link
    assert page.count("<script") == 1  # ours: /static/app.js


def test_ids_with_slashes_and_query_characters(client: TestClient) -> None:
    encoded = quote(URL_ID, safe="")
    assert client.get(f"/articles/{encoded}.json").json()["id"] == URL_ID
    page = client.get(f"/articles/{encoded}")
    assert page.status_code == 200 and "slashes and all" in page.text


def test_docs_and_openapi(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in (
        "/",
        "/stories.json",
        "/stories/{story_id}.json",
        "/articles/{article_id}.json",
        "/entities/{ref}.json",
    ):
        assert path in spec["paths"], path
    assert "/ingest" not in spec["paths"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/stories/{story_id}.json" in docs.text
    assert "cdn" not in docs.text.lower()


def test_ingest_is_absent_without_a_token(client: TestClient) -> None:
    r = client.post("/ingest", content=b'{"text": "x"}\n')
    assert r.status_code == 404


def test_ingest_requires_the_token(fixture_db: Path) -> None:
    with TestClient(create_app(fixture_db, token="s3cret")) as c:
        assert c.post("/ingest", content=b"{}").status_code == 401
        wrong = c.post("/ingest", content=b"{}", headers={"authorization": "Bearer nope"})
        assert wrong.status_code == 401 and wrong.json()["error"]["status"] == 401
        assert wrong.headers["www-authenticate"].startswith("Bearer")
        ok = {"authorization": "Bearer s3cret"}
        assert c.post("/ingest", content=b"  \n", headers=ok).status_code == 400
        assert "/ingest" in c.get("/openapi.json").json()["paths"]


def test_request_bodies_are_bounded(fixture_db: Path) -> None:
    with TestClient(create_app(fixture_db, token="t", max_ingest_bytes=1000)) as c:
        ok = {"authorization": "Bearer t"}
        big = c.post("/ingest", content=b"x" * 1001, headers=ok)
        assert big.status_code == 413 and big.json()["error"]["status"] == 413

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted while read
            yield from (b"y" * 600, b"y" * 600)

        streamed = c.post("/ingest", content=chunks(), headers=ok)
        assert streamed.status_code == 413
        assert c.post("/stories.json", content=b"z" * 70_000).status_code == 413


def test_create_app_refuses_a_missing_database(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no database"):
        create_app(tmp_path / "missing.db")


def test_prewarm_renders_ahead(fixture_db: Path) -> None:
    app = create_app(fixture_db, prewarm=10)
    with TestClient(app) as c:
        cached = [k for k in app.state.views._lru if k[0] in ("html", "index")]
        assert len([k for k in cached if k[0] == "html"]) == 10
        first = c.get("/stories.json", params={"sort": "recent", "per_page": 10}).json()
        assert {("html", s["id"]) for s in first} == {k[:2] for k in cached if k[0] == "html"}


def test_run_serves_on_loopback(fixture_db: Path) -> None:
    """`run` (what `newsprism serve` calls) in its own process, as a user starts it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code = f"from newsprism.serve import run; run({str(fixture_db)!r}, port={port})"
    proc = subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/stories.json") as r:
                    assert r.status == 200 and json.loads(r.read())
                    assert (
                        r.headers["Content-Security-Policy"]
                        == SECURITY_HEADERS["Content-Security-Policy"]
                    )
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, "server died"
                time.sleep(0.2)
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert b"rendered" in err and f"127.0.0.1:{port}".encode() in err
