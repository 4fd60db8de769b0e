"""Feeds with a DOCTYPE internal subset (issue 14, defect 4): read as feeds, safely."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsprism.ingest.doctype import UnsafeEntities, resolve_doctype
from newsprism.ingest.sniff import sniff
from newsprism.ingest.sources import InputRef, read_input
from newsprism.models import RawArticle, Rejected
from newsprism.settings import Settings

DATA = Path(__file__).parent / "data" / "ingest"
ITEM = (
    "<item><title>Bridge</title><guid>b1</guid>"
    "<description>The council voted to build a bridge, &site; reported on Thursday.</description>"
    "</item>"
)


def feed(subset: str, item: str = ITEM) -> bytes:
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n{subset}\n]>\n'
        f"<rss version='2.0'><channel><title>T</title>{item}</channel></rss>"
    ).encode()


def read(path: Path) -> list[RawArticle | Rejected]:
    return list(read_input(InputRef(str(path)), Settings()))


def test_drupal_style_feed_is_read_as_a_feed() -> None:
    data = (DATA / "drupal_doctype.rss").read_bytes()
    assert sniff(data, "drupal_doctype.rss") == "feed"
    items = read(DATA / "drupal_doctype.rss")
    assert [type(i) for i in items] == [RawArticle, RawArticle]
    first = items[0]
    assert isinstance(first, RawArticle)
    # Nested internal entities expanded; HTMLlat1's &nbsp; and &ndash; as characters.
    assert "the city council of Riverside Gazette voted 7–2" in first.text
    assert first.source == "Riverside Gazette news" and first.input_id == "gazette-101"


def test_doctype_feed_saved_as_txt_is_not_stored_as_text(tmp_path: Path) -> None:
    path = tmp_path / "feed.txt"
    path.write_bytes(feed('<!ENTITY site "Gazette">'))
    (item,) = read(path)
    assert isinstance(item, RawArticle) and "<rss" not in item.text
    assert item.text == "The council voted to build a bridge, Gazette reported on Thursday."


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    lols = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    path = tmp_path / "laughs.rss"
    path.write_bytes(feed("\n".join(lols), ITEM.replace("&site;", "&lol9;")))
    tracemalloc.start()
    start = time.perf_counter()
    (item,) = read(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert isinstance(item, Rejected) and "entit" in item.reason
    assert time.perf_counter() - start < 5 and peak < 50_000_000


def test_quadratic_blowup_is_refused(tmp_path: Path) -> None:
    big = "x" * 100_000
    path = tmp_path / "quadratic.rss"
    path.write_bytes(feed(f'<!ENTITY big "{big}">', ITEM.replace("&site;", "&big;" * 20_000)))
    (item,) = read(path)
    assert isinstance(item, Rejected) and "over max_file_bytes" in item.reason


def test_external_entities_are_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    subset = (
        f'<!ENTITY site SYSTEM "file://{secret}">\n'
        '<!ENTITY % remote SYSTEM "http://127.0.0.1:9/x.dtd"> %remote;'
    )
    path = tmp_path / "xxe.rss"
    path.write_bytes(feed(subset))
    (item,) = read(path)
    assert isinstance(item, RawArticle)
    assert "TOP-SECRET" not in item.text and "council voted" in item.text


@pytest.mark.parametrize("subset", ['<!ENTITY a "&a;">', '<!ENTITY a "&b;">\n<!ENTITY b "x&a;">'])
def test_recursive_entities_are_refused(subset: str) -> None:
    with pytest.raises(UnsafeEntities, match="refers to itself"):
        resolve_doctype(feed(subset, ITEM.replace("&site;", "&a;")), 10_000_000)


def test_cdata_is_left_alone() -> None:
    item = ITEM.replace("&site;", "<![CDATA[&site;]]> and &site;")
    out = resolve_doctype(feed('<!ENTITY site "G">', item), 10_000_000)
    assert b"<![CDATA[&site;]]> and G" in out and b"DOCTYPE" not in out


@given(st.binary(max_size=300))
def test_input_without_internal_subset_is_unchanged(data: bytes) -> None:
    if b"[" not in data:
        assert resolve_doctype(data, 1_000) == data
