"""Decoding whole inputs (issue 14, defect 1): non-Latin text over 64 KiB, BOM-less
UTF-16/32, ISO-2022, Johab; binary stays rejected."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsprism.ingest.decode import codec_of, decode_text
from newsprism.ingest.sniff import HEAD_BYTES, sniff
from newsprism.ingest.sources import InputRef, read_input
from newsprism.models import RawArticle, Rejected
from newsprism.settings import Settings

ZH = (
    "中华人民共和国国务院今天发布公告，宣布新的经济政策将于明年一月起实施。"
    "专家表示，这一政策将对全国的中小企业产生深远影响。\n"
)
RU = (
    "Правительство объявило сегодня о новых мерах поддержки экономики. "
    "Эксперты считают, что они помогут малому бизнесу.\n"
)
KO = (
    "대한민국 정부는 오늘 새로운 경제 정책을 발표했습니다. "
    "전문가들은 이 정책이 중소기업에 큰 영향을 미칠 것이라고 말했습니다.\n"
)
JA = (
    "日本政府は本日、新しい経済政策を発表しました。"
    "専門家は、この政策が中小企業に大きな影響を与えると述べています。\n"
)
EN = "The council voted on Thursday to build a new bridge across the river, officials said.\n"


def read_one(path: Path) -> RawArticle | Rejected:
    items = list(read_input(InputRef(str(path)), Settings()))
    assert len(items) == 1, items
    return items[0]


def zh_page(paragraphs: int) -> bytes:
    body = "".join(f"<p>{ZH.strip()}（{i}）</p>" for i in range(paragraphs))
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>经济政策</title></head>'
        f"<body><article><h1>经济政策</h1>{body}</article></body></html>"
    ).encode()


@pytest.mark.parametrize("offset", [0, 1, 2])
def test_chinese_page_over_64k_is_stored(tmp_path: Path, offset: int) -> None:
    # Shift the page so the 64 KiB head ends at each byte of a 3-byte character.
    data = b" " * offset + zh_page(700)
    assert len(data) > HEAD_BYTES + 30_000
    path = tmp_path / "page.html"
    path.write_bytes(data)
    item = read_one(path)
    assert isinstance(item, RawArticle), item
    assert item.title == "经济政策" and ZH.strip()[:20] in item.text


@pytest.mark.parametrize("offset", [0, 1])
def test_russian_text_and_atom_over_64k(tmp_path: Path, offset: int) -> None:
    (tmp_path / "ru.txt").write_text(" " * offset + RU * 700, encoding="utf-8")
    entries = "".join(
        f"<entry><id>e{i}</id><title>Новости {i}</title><content>{RU.strip()}</content></entry>"
        for i in range(400)
    )
    (tmp_path / "ru.atom").write_text(
        " " * offset
        + f'<feed xmlns="http://www.w3.org/2005/Atom"><title>Лента</title>{entries}</feed>',
        encoding="utf-8",
    )
    text = read_one(tmp_path / "ru.txt")
    assert isinstance(text, RawArticle) and text.text.startswith(RU[:40])
    items = list(read_input(InputRef(str(tmp_path / "ru.atom")), Settings()))
    assert len(items) == 400 and all(isinstance(i, RawArticle) for i in items)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (ZH * 20, "utf_16_le"),
        (ZH * 20, "utf_16_be"),
        (EN * 20, "utf_16_le"),
        (RU * 20, "utf_32_le"),
        (EN * 20, "utf_32_be"),
        (KO * 20, "iso2022_kr"),
        (KO * 20, "johab"),
        (JA * 20, "iso2022_jp"),
        (ZH * 20, "gb18030"),
        (JA * 20, "shift_jis"),
    ],
)
def test_encodings_come_out_as_the_right_text(tmp_path: Path, text: str, encoding: str) -> None:
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    item = read_one(path)
    assert isinstance(item, RawArticle), item
    assert item.text == text.strip()


def test_declared_euc_tw_is_refused_by_name() -> None:
    # Python ships no EUC-TW codec, so such a file cannot be decoded; say so.
    data = b'<html><head><meta charset="EUC-TW"></head><body>\xa4\xa4\xa4\xe5</body></html>'
    with pytest.raises(ValueError, match=r"EUC-TW.*no decoder"):
        decode_text(data, "EUC-TW")


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 400,  # over the head: the whole input is looked at
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 300,
        b"\x7fELF\x02\x01\x01" + b"\x00" * 70_000 + b"\x01\x02\x03",
    ],
)
def test_binary_stays_rejected(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "blob.txt"
    path.write_bytes(data)
    item = read_one(path)
    assert isinstance(item, Rejected) and "binary" in item.reason


@given(st.text(alphabet=ZH + RU + KO + "abc \n", min_size=1, max_size=300), st.integers(0, 3))
def test_sniff_long_utf8_text_at_any_cut(text: str, pad: int) -> None:
    data = b"x" * pad + (text * (HEAD_BYTES // max(1, len(text.encode())) + 2)).encode()
    assert sniff(data, "a.txt", complete=False) in {"text", "empty"}


@given(st.text(min_size=1, max_size=200), st.sampled_from(["utf-8-sig", "utf-16", "utf-32"]))
def test_decode_round_trips_with_a_byte_order_mark(text: str, encoding: str) -> None:
    try:
        decoded = decode_text(text.encode(encoding))
    except ValueError:
        return  # control characters galore: refused as binary, never mangled
    assert decoded == text.replace("\r\n", "\n").replace("\r", "\n")


def test_iso2022_detected_only_with_its_escapes() -> None:
    assert decode_text((JA * 3).encode("iso2022_jp")) == JA * 3
    plain = "An ESC \x1b alone in ASCII is not ISO-2022 text, just a stray byte. " * 5
    assert decode_text(plain.encode()) == plain
    assert codecs.lookup("iso2022_kr").name == "iso2022_kr"


def test_a_stray_bad_byte_after_a_bom_is_replaced_not_binary() -> None:
    data = codecs.BOM_UTF8 + b"<rss><channel><title>Espa" + b"\xf1a</title></channel></rss>"
    assert decode_text(data) == "<rss><channel><title>Espa\ufffda</title></channel></rss>"
    with pytest.raises(ValueError, match="byte-order mark"):
        decode_text(codecs.BOM_UTF8 + b"\xff\xfe\xf1" * 50)


@pytest.mark.parametrize("offset", [0, 1])
def test_declared_legacy_cjk_over_64k_with_the_head_cut_mid_character(
    tmp_path: Path, offset: int
) -> None:
    body = "".join(f"<p>{KO.strip()} {i}</p>" for i in range(1200))
    page = (
        f'<html><head><meta charset="euc-kr"><title>경제</title></head><body>{body}</body></html>'
    )
    data = b" " * offset + page.encode("euc_kr")
    assert len(data) > HEAD_BYTES
    path = tmp_path / "ko.html"
    path.write_bytes(data)
    item = read_one(path)
    assert isinstance(item, RawArticle) and KO.strip() in item.text


@pytest.mark.parametrize(
    ("label", "codec"),
    [("x-sjis", "cp932"), ("Shift_JIS", "cp932"), ("x-mac-cyrillic", "mac-cyrillic"),
     ("EUC-KR", "cp949"), ("gb2312", "gb18030"), ("no-such", None)],
)  # fmt: skip
def test_charset_labels_pages_use(label: str, codec: str | None) -> None:
    assert codec_of(label) == codec
