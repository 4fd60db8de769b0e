"""Synthetic hostile inputs for bench/hostile.py, written into a folder of your choice.

The library test suites (feedparser, chardet, trafilatura...) cover malformed feeds and
odd encodings; these add the attacks and edge cases of issue 14 that they lack: large
non-Latin pages, BOM-less UTF-16/32 and ISO-2022, entity-expansion and external-entity
feeds, JSON Feeds, XML that is no feed, HTML fragments, WARCs of redirects and broken
lengths, a gzip bomb, deep JSON, a FIFO.

    .venv/bin/python bench/hostile_inputs.py DIR
"""

from __future__ import annotations

import gzip
import io
import json
import os
import random
import sys
from pathlib import Path

ZH = "国务院今天发布公告，宣布新的经济政策将于明年一月起实施。专家表示这一政策影响深远。"
RU = "Правительство объявило сегодня о новых мерах поддержки экономики и малого бизнеса. "
KO = "대한민국 정부는 오늘 새로운 경제 정책을 발표했습니다. "
JA = "日本政府は本日、新しい経済政策を発表しました。"
EN = "The council voted on Thursday to build a new bridge across the river, officials said. "
HEAD = "<html><head><meta charset='utf-8'><title>经济</title></head>"
ATOM = "http://www.w3.org/2005/Atom"
LAT1 = '<!ENTITY % lat1 PUBLIC "-//W3C//ENTITIES Latin 1//EN" "http://www.w3.org/x.ent"> %lat1;'
ITEM = "<item><title>T</title><guid>g</guid><description>{}</description></item>"


def rss(subset: str, body: str) -> str:
    doctype = f"<!DOCTYPE rss [\n{subset}\n]>\n" if subset else ""
    channel = f"<channel><title>C</title>{body}</channel>"
    return f'<?xml version="1.0"?>\n{doctype}<rss version="2.0">{channel}</rss>'


def texts() -> dict[str, bytes]:
    page = "".join(f"<p>{ZH}{i}</p>" for i in range(800))
    laughs = '<!ENTITY l0 "lol">' + "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
    )
    entries = "".join(
        f"<entry><id>{i}</id><title>{RU[:20]}</title><content>{RU * 3}</content></entry>"
        for i in range(300)
    )
    return {
        "zh_page_110k.html": (HEAD + f"<body><article>{page}</article></body></html>").encode(),
        "ru_120k.txt": (RU * 1000).encode(),
        "ru_feed.atom": f'<feed xmlns="{ATOM}"><title>Лента</title>{entries}</feed>'.encode(),
        "utf16le_nobom.txt": (ZH * 40).encode("utf_16_le"),
        "utf32be_nobom.txt": (EN * 40).encode("utf_32_be"),
        "iso2022jp.txt": (JA * 40).encode("iso2022_jp"),
        "iso2022kr.txt": (KO * 40).encode("iso2022_kr"),
        "johab.txt": (KO * 40 + "끝").encode("johab"),
        "drupal.rss": rss(
            LAT1 + '\n<!ENTITY site "Gazette">',
            ITEM.format(f"&site;&nbsp;{EN}"),
        ).encode(),
        "billion_laughs.rss": rss(laughs, ITEM.format("&l9;")).encode(),
        "quadratic.rss": rss(
            f'<!ENTITY a "{"x" * 200_000}">', ITEM.format("&a;" * 50_000)
        ).encode(),
        "xxe_file.rss": rss(
            '<!ENTITY x SYSTEM "file:///etc/passwd">', ITEM.format(f"&x;{EN}")
        ).encode(),
        "xxe_param.rss": rss(
            '<!ENTITY % p SYSTEM "http://127.0.0.1:9/evil.dtd"> %p;', ITEM.format(EN)
        ).encode(),
        "jsonfeed.json": json.dumps(
            {
                "version": "https://jsonfeed.org/version/1.1",
                "title": "J",
                "items": [{"id": "1", "content_html": f"<p>{EN}</p>"}],
            },
            indent=2,
        ).encode(),
        "jsonfeed_broken.json": b'{\n "version": "https://jsonfeed.org/version/1.1",\n'
        b' "items": [\n {"id": 1,,}\n ]\n}\n',
        "deep.json": b"[" * 100_000 + b"]" * 100_000,
        "sitemap.xml": b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/s/0.9">'
        b"<url><loc>https://a.example/</loc></url></urlset>",
        "fragment.txt": f"<p>{EN}</p><p>{EN}<b>bold</b></p>".encode(),
        "random.bin": random.Random(14).randbytes(200_000),
        "truncated.gz": gzip.compress((EN * 500).encode())[:-40],
        "bomb.txt.gz": gzip.compress(b"\0" * 80_000_000, compresslevel=9),
        "long_line.jsonl": b'{"text": "'
        + b"a" * 60_000_000
        + b'"}\n{"text": "'
        + EN.encode()
        + b'"}\n',
    }


def warcs() -> dict[str, bytes]:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    def write(records: list[tuple[str, str, bytes, str]]) -> bytes:
        out = io.BytesIO()
        writer = WARCWriter(out, gzip=False)
        for uri, status, body, ctype in records:
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            rec = writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body), http_headers=headers
            )
            writer.write_record(rec)
            rec.raw_stream.close()
        return out.getvalue()

    page = f"<html><body><article><p>{EN * 3}</p></article></body></html>".encode()
    odd = write(
        [
            ("https://a.example/", "301 Moved", b"", "text/html"),
            ("https://a.example/x", "302 Found", b"", "text/html"),
            ("https://a.example/i.png", "200 OK", b"\x89PNG", "image/png"),
        ]
    )
    good = write([("https://a.example/1", "200 OK", page, "text/html")] * 2)
    cut = good.index(b"WARC/1.0", 10) - 4
    return {"warc_redirects.warc": odd, "warc_bad_length.warc": good[:cut] + b"junk" + good[cut:]}


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__)
        return 0
    folder = Path(sys.argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in {**texts(), **warcs()}.items():
        (folder / name).write_bytes(data)
    fifo = folder / "named_pipe.txt"
    if hasattr(os, "mkfifo") and not fifo.exists():
        os.mkfifo(fifo)
    print(f"wrote {len(list(folder.iterdir()))} files to {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
