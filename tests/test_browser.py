"""End-to-end in headless Chromium (issue 6): a real uvicorn server, a real browser.

Debian's `chromium` is driven through the `playwright` package (GUIDE.md §4;
`playwright install` cannot download here). Without chromium the tests skip — except
in CI (`CI` set), where a missing browser is a failure, not a silent pass.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from conftest import CHROMIUM, EXAMPLES, SEED_000, SEED_002
from newsprism import Workspace
from newsprism.serve import create_app

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
HOSTILE = {
    "id": "hostile-1",
    "title": "<script>alert(1)</script><img src=x onerror=alert(1)>",
    "text": "Officials said <img src=x onerror=alert(1)> nothing. <script>alert(2)</script> "
    'See <a href="javascript:alert(3)">this</a>. A ferry strike closed the port of Bergen.',
    "source": "<b onmouseover=alert(1)>Evil Wire</b><script>alert(4)</script>",
    "url": "javascript:alert(1)",
}

pytestmark = pytest.mark.slow

if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI needs Debian's chromium for the browser tests (scripts/test.sh)")
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


@contextmanager
def serving(db: Path) -> Iterator[str]:
    """The web app on `db`, served by a real uvicorn on a free loopback port."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))  # held from bind to serve: no race for the port
    config = uvicorn.Config(create_app(db), log_level="warning", ws="none", lifespan="on")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The seeds plus a hostile article, fully processed, served on a free loopback port."""
    folder = tmp_path_factory.mktemp("browser")
    db, feed = folder / "e2e.db", folder / "hostile.jsonl"
    feed.write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    with Workspace(db) as ws:
        ws.ingest([EXAMPLES / f"{SEED_000}.txt", EXAMPLES / f"{SEED_002}.txt", feed])
        ws.analyse()
        ws.cluster()
    with serving(db) as url:
        yield url


def _seed_story(page: Any, base: str) -> dict[str, Any]:
    page.goto(f"{base}/stories.json")
    rows = json.loads(page.inner_text("body"))
    (sid,) = [r["id"] for r in rows if {a["id"] for a in r["articles"]} >= {SEED_000, SEED_002}]
    page.goto(f"{base}/stories/{sid}.json")
    brief: dict[str, Any] = json.loads(page.inner_text("body"))
    return brief


def test_citation_highlights_its_source_sentence(page: Any, server: str) -> None:
    brief = _seed_story(page, server)
    page.goto(f"{server}/stories/{brief['story']['id']}")
    sync_api.expect(page.locator("h1")).to_have_text(brief["story"]["title"])
    cited = brief["briefing"][0]["citations"][-1]
    link = page.locator("#briefing a.cite").nth(len(brief["briefing"][0]["citations"]) - 1)
    before = page.url
    link.click()
    marked = page.locator("#compare .hl")
    sync_api.expect(marked.first).to_be_visible()
    sync_api.expect(marked.first).to_be_in_viewport()
    assert "".join(marked.all_text_contents()) == cited["text"]
    column = marked.first.locator("xpath=ancestor::section[@data-article]")
    assert column.get_attribute("data-article") == cited["article"]
    assert page.url == before  # handled in the page, no navigation
    sync_api.expect(link).to_have_class("cite active")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "story.png"))


def test_citation_link_works_without_the_panel(page: Any, server: str) -> None:
    brief = _seed_story(page, server)
    cite = brief["briefing"][0]["citations"][0]
    page.goto(f"{server}/articles/{cite['article']}?hl={cite['start']}-{cite['end']}#hl")
    assert "".join(page.locator(".text .hl").all_text_contents()) == cite["text"]


def _assert_inert(page: Any) -> None:
    scripts = page.eval_on_selector_all("script", "els => els.map(e => e.getAttribute('src'))")
    assert set(scripts) <= {"/static/app.js", "/static/changes.js"}  # changes.js: issue 15
    assert page.locator("img").count() == 0
    assert page.locator("b[onmouseover], [onerror], a[href^='javascript']").count() == 0


def test_hostile_article_renders_as_text(page: Any, server: str) -> None:
    page.goto(f"{server}/articles/{HOSTILE['id']}")
    sync_api.expect(page.locator("h1")).to_have_text(HOSTILE["title"])
    assert HOSTILE["source"] in page.locator(".kicker").inner_text()
    assert "<img src=x onerror=alert(1)>" in page.locator(".reader .text").inner_text()
    assert page.get_by_text("javascript:alert(1)").count() >= 1
    _assert_inert(page)
    page.goto(f"{server}/stories.json")
    rows = json.loads(page.inner_text("body"))
    (sid,) = [r["id"] for r in rows if HOSTILE["id"] in {a["id"] for a in r["articles"]}]
    for path in (f"/stories/{sid}", f"/?q={HOSTILE['title']}", "/"):
        page.goto(server + path)
        _assert_inert(page)
    page.goto(f"{server}/stories/{sid}")
    labels = page.locator("#compare .col-source").all_text_contents()
    assert HOSTILE["source"][:40] in labels  # column labels are cut at 40 characters
    assert HOSTILE["text"] in page.locator("#compare").text_content()


def test_what_changed_follows_the_readers_last_visit(page: Any, server: str) -> None:
    """Issue 15: the story page hides changes before the last visit (localStorage) and
    marks the new items; the story list marks stories changed since then."""
    sid = _seed_story(page, server)["story"]["id"]
    story = f"{server}/stories/{sid}"
    page.goto(story)  # first visit: everything shown, nothing to compare with
    sync_api.expect(page.locator(".changes-status")).to_have_text("Showing every change.")
    visit = f"newsprism.visit.{sid}"
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [visit, "2099-01-01T00:00:00Z"])
    page.reload()
    sync_api.expect(page.locator(".changes-status")).to_contain_text("Nothing changed since")
    assert page.locator("li.change:visible").count() == 0
    assert page.locator(".is-new").count() == 0
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [visit, "2000-01-01T00:00:00Z"])
    page.reload()
    sync_api.expect(page.locator("li.change").first).to_be_visible()
    assert page.locator("#matrix tr.is-new").count() >= 1
    assert page.locator("#briefing li.is-new").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "story-changes.png"))
    page.evaluate("k => localStorage.removeItem(k)", visit)
    page.evaluate("() => localStorage.setItem('newsprism.visit.list', '2000-01-01T00:00:00Z')")
    page.goto(f"{server}/")
    card = page.locator(f'li.story-card[data-story="{sid}"]')
    sync_api.expect(card).to_have_class("story-card is-changed")
    sync_api.expect(card.locator(".badge.changed")).to_have_text("changed since your last visit")
