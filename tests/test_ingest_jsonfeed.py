"""JSON Feed 1.0/1.1 and multi-line JSON documents (issue 14, defect 6)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsprism.ingest.jsonfeed import feed_items
from newsprism.ingest.sniff import sniff
from newsprism.ingest.sources import InputRef, read_input
from newsprism.models import RawArticle, Rejected
from newsprism.settings import Settings

DATA = Path(__file__).parent / "data" / "ingest"
BODY = "The harbour authority said on Friday that container volumes rose four percent."


def read(path: Path) -> list[RawArticle | Rejected]:
    return list(read_input(InputRef(str(path)), Settings()))


def test_json_feed_1_1() -> None:
    assert sniff((DATA / "jsonfeed_1_1.json").read_bytes(), "feed.json") == "jsonfeed"
    first, second, third = read(DATA / "jsonfeed_1_1.json")
    assert isinstance(first, RawArticle) and isinstance(second, RawArticle)
    assert first.input_id == "ht-2025-0815-ferry" and first.title.startswith("Ferry")
    assert first.text.startswith("The ferry service") and "alert" not in first.text
    assert first.published == "2025-08-15T06:30:00+00:00"
    assert first.author == "Lena Berg, Tom Ade" and first.source == "Harbour Times"
    assert first.url == "https://harbour.example/2025/08/15/ferry" and first.lang == "en"
    assert second.text.startswith("Container volumes") and second.author == "Harbour Times desk"
    assert isinstance(third, Rejected) and third.record == "entry 3"


def test_json_feed_1_0_numeric_id_and_author() -> None:
    (item,) = read(DATA / "jsonfeed_1_0.json")
    assert isinstance(item, RawArticle)
    assert (item.input_id, item.author) == ("4021", "Courier staff")
    assert item.published == "2025-08-16T17:00:00+00:00"


def test_invalid_json_feed_is_one_reject(tmp_path: Path) -> None:
    broken = (DATA / "jsonfeed_1_1.json").read_text().replace('"title": "Port', '"title" "Port')
    path = tmp_path / "feed.json"
    path.write_text(broken)
    (item,) = read(path)
    assert isinstance(item, Rejected) and item.reason.startswith("invalid JSON Feed")
    path.write_text(json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": 3}))
    (item,) = read(path)
    assert isinstance(item, Rejected) and "'items'" in item.reason


def test_pretty_printed_article_and_array(tmp_path: Path) -> None:
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"id": "a1", "text": BODY}, indent=2))
    (item,) = read(one)
    assert isinstance(item, RawArticle) and item.input_id == "a1"
    many = tmp_path / "many.json"
    many.write_text(json.dumps([{"id": "a2", "text": BODY}, 7], indent=2))
    good, bad = read(many)
    assert isinstance(good, RawArticle) and good.origin.endswith(":item 1")
    assert isinstance(bad, Rejected) and bad.record == "item 2"


def test_pretty_printed_bad_json_is_one_reject(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{\n  "text": "x",\n  "id": \n}\n' + "\n" * 50)
    (item,) = read(path)
    assert isinstance(item, Rejected) and "line 4" in item.reason


@pytest.mark.parametrize("text", ["[Reuters] The council met.\nIt voted.", "{not json}\n"])
def test_bracketed_prose_stays_text(text: str) -> None:
    assert sniff(text.encode(), "note.txt") == "text"


def _json_values(children: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    return st.lists(children, max_size=4) | st.dictionaries(
        st.text(max_size=8), children, max_size=4
    )


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20), _json_values)


@given(JSON)
def test_feed_items_never_raise(items: object) -> None:
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "T", "items": items}
    for item in feed_items(feed, "f.json"):
        assert isinstance(item, RawArticle | Rejected)


def test_minified_feed_with_escaped_slashes(tmp_path: Path) -> None:
    # As NPR serves it: one line, `\/` in every URL (trafilatura's test resources).
    feed = {
        "version": "https://jsonfeed.org/version/1",
        "title": "Technology",
        "items": [{"id": "n1", "url": "https://n.example/1", "content_html": f"<p>{BODY}</p>"}],
    }
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(feed).replace("/", "\\/"))
    (item,) = read(path)
    assert isinstance(item, RawArticle) and item.text == BODY and item.source == "Technology"
