"""Format sniffing and text decoding: content decides, the extension only breaks ties."""

from __future__ import annotations

import codecs
import json

import pytest

from newsprism.ingest.decode import declared_charset, decode_text
from newsprism.ingest.sniff import FORMATS, HEAD_BYTES, sniff

RSS = b'<rss version="2.0"><channel><title>t</title></channel></rss>'


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"", "a.txt", "empty"),
        (b"  \n\t\n", "a.jsonl", "empty"),
        (b"WARC/1.0\r\nWARC-Type: warcinfo\r\n", "x.bin", "warc"),
        (RSS, "feed.txt", "feed"),
        (b'<?xml version="1.0"?>\n<!-- a comment -->\n' + RSS, "f", "feed"),
        (codecs.BOM_UTF8 + b'<?xml version="1.0"?><feed xmlns="x"></feed>', "f", "feed"),
        (b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="r"></rdf:RDF>', "f.html", "feed"),
        (b"<!DOCTYPE html><html><body><p>x</p></body></html>", "page.txt", "html"),
        (b"<HTML><BODY>hi</BODY></HTML>", "page", "html"),
        (b"Intro text <p>a</p><p>b</p><div>c</div><span>d</span><br>", "x.txt", "html"),
        (b'{"text": "a"}\n{"text": "b"}\n', "data.txt", "jsonl"),
        (b'{"text": "a"}', "one.json", "jsonl"),
        (b'{"text": "a" BROKEN\n{"text": "b"}\n{"text": "c"}\n', "d", "jsonl"),
        (b"{not json at all}\n", "notes.jsonl", "jsonl"),
        (b"{not json at all}\n", "notes.txt", "text"),
        (b"Just a plain sentence about the news.\n", "story.html", "text"),
        (b"<custom>markup</custom>", "page.html", "html"),
        (b"\x00\x01\x02\x03binary\x00\x00", "x.txt", "binary"),
        (bytes(range(256)) * 4, "x.txt", "binary"),
    ],
)
def test_sniff(data: bytes, name: str, expected: str) -> None:
    assert sniff(data, name) == expected


def test_sniff_content_beats_extension() -> None:
    assert sniff(RSS, "looks_like.jsonl") == "feed"
    assert sniff(b"Plain words only, nothing else.", "x.rss") == "text"


def test_sniff_head_cut_inside_a_character_is_still_text() -> None:
    data = ("é" * 40_000).encode("utf-8")  # the 64 KiB head ends mid-character
    assert sniff(data, "x.txt") == "text"


def test_sniff_long_jsonl_with_cut_last_line() -> None:
    line = json.dumps({"text": "word " * 200}).encode() + b"\n"
    data = line * 200  # longer than the head: its last line is cut
    assert sniff(data, "x") == "jsonl"


def test_formats_are_the_documented_ones() -> None:
    assert set(FORMATS) == {
        *("warc", "parquet", "jsonl", "json", "jsonfeed", "feed", "html", "xml", "text"),
        *("binary", "empty"),
    }


# --- decode_text -------------------------------------------------------------------

WESTERN = "Le café de Zürich a rouvert “hier” – c’est très bien.\nUne autre ligne."


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_decode_western_single_byte(encoding: str) -> None:
    text = "The café in Zürich reopened, officials said.\nAll is well in Genève."
    assert decode_text(text.encode(encoding)) == text


def test_decode_cp1252_curly_quotes_and_dashes() -> None:
    assert decode_text(WESTERN.encode("cp1252")) == WESTERN


def test_decode_short_cp1252_word() -> None:
    assert decode_text("café".encode("cp1252")) == "café"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-32"])
def test_decode_byte_order_marks(encoding: str) -> None:
    assert decode_text(WESTERN.encode(encoding)) == WESTERN


def test_decode_other_encodings_via_charset_normalizer() -> None:
    text = "Привет, как дела? Это тестовый текст на русском языке о новостях дня."
    assert decode_text(text.encode("cp1251")) == text


def test_decode_normalises_newlines() -> None:
    assert decode_text(b"one\r\ntwo\rthree\n") == "one\ntwo\nthree\n"


def test_decode_uses_declared_charset() -> None:
    data = '<meta charset="windows-1252"><p>Zürich “quoted”</p>'.encode("cp1252")
    assert declared_charset(data) == "windows-1252"
    assert "Zürich “quoted”" in decode_text(data, declared_charset(data))


@pytest.mark.parametrize("data", [b"\x00\x01\x02\xff\xfe\x00abc", bytes(range(32)) * 10])
def test_decode_rejects_binary(data: bytes) -> None:
    with pytest.raises(ValueError, match=r"binary|control|NUL"):
        decode_text(data)


def test_parquet_is_sniffed_by_magic() -> None:
    assert sniff(b"PAR1\x15\x04\x15\x00", "shard.bin") == "parquet"


def test_jsonl_whose_first_line_outruns_the_head_is_still_jsonl() -> None:
    data = b'{"text": "' + b"a" * (HEAD_BYTES * 2) + b'"}\n{"text": "b"}\n'
    assert sniff(data, "big.jsonl", complete=False) == "jsonl"


@pytest.mark.parametrize("data", [b"[" * 5000 + b"]" * 5000, b'{"text": "cut short', b"[1, 2]"])
def test_single_line_json_documents_are_json_not_text(data: bytes) -> None:
    assert sniff(data, "doc") == "json"
