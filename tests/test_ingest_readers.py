"""The ingest readers, through `read_input` as the pipeline calls them, and per format."""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterator
from pathlib import Path

import feedparser
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsprism.ingest.feeds import read_feed
from newsprism.ingest.html import NO_TEXT, extract_html, html_to_text
from newsprism.ingest.jsonl import parse_line, read_jsonl
from newsprism.ingest.sources import InputRef, expand_inputs, read_input
from newsprism.ingest.text import is_headline, split_header
from newsprism.models import RawArticle, Rejected
from newsprism.settings import Settings

DATA = Path(__file__).parent / "data" / "ingest"
SETTINGS = Settings()
BODY = "The city council voted on Thursday to build a new bridge across the river. " * 3


def read(path: Path | str, settings: Settings = SETTINGS) -> list[RawArticle | Rejected]:
    return list(read_input(InputRef(str(path)), settings))


def split(items: list[RawArticle | Rejected]) -> tuple[list[RawArticle], list[Rejected]]:
    return (
        [i for i in items if isinstance(i, RawArticle)],
        [i for i in items if isinstance(i, Rejected)],
    )


# --- feeds ------------------------------------------------------------------------


def test_rss2_entries() -> None:
    articles, rejected = split(read(DATA / "rss2.xml"))
    assert rejected == []
    first, second = articles
    assert first.input_id == "gazette-1001"
    assert first.origin.endswith("rss2.xml#entry 1")
    assert first.title == "Harbour bridge to reopen next week"
    assert first.url == "https://gazette.example/news/bridge"
    assert first.source == "Harbour Gazette"
    assert first.author == "Ana Ruiz"
    assert first.published == "2025-08-16T10:30:00+00:00"
    # content:encoded wins over the description; tags and scripts are gone.
    assert first.text.startswith("The harbour bridge will reopen")
    assert "Engineers replaced twelve steel cables." in first.text
    assert "<" not in first.text and "track()" not in first.text
    assert second.input_id == "https://gazette.example/news/ferry"  # no guid: the link
    assert second.text.startswith("The ferry company")


def test_rss1_rdf_entry() -> None:
    [article] = read(DATA / "rss1.rdf")
    assert isinstance(article, RawArticle)
    assert article.source == "Valley Times"
    assert article.input_id == "https://valley.example/a/1"
    assert article.published == "2025-08-14T09:00:00+00:00"
    assert article.author == "Lee Park"


def test_atom_entries_and_an_empty_entry() -> None:
    articles, rejected = split(read(DATA / "atom.xml"))
    [article] = articles
    assert article.input_id == "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a"
    assert article.url == "https://courier.example/2025/08/16/wildfire"
    assert article.text == (
        "Firefighters said on Saturday that the wildfire near Ridgeton is fully contained.\n"
        "No homes were lost."
    )
    assert [(r.record, r.reason) for r in rejected] == [
        ("entry 2", "feed entry has no content or summary")
    ]


def test_bozo_feed_with_entries_is_read() -> None:
    data = (DATA / "rss2.xml").read_bytes().replace(b"</channel>", b"<broken & unclosed")
    articles, _ = split(list(read_feed(data, "broken.xml")))
    assert len(articles) == 2


def test_feed_without_entries_names_the_xml_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.xml"
    path.write_bytes(b'<?xml version="1.0"?><rss><channel><title>x & y</title></channel>')
    [rejected] = read(path)
    assert isinstance(rejected, Rejected)
    assert rejected.path == str(path) and rejected.record is None
    assert "not a readable feed" in rejected.reason and "well-formed" in rejected.reason


def test_feedparser_is_never_given_a_url(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("feedparser tried to fetch")

    monkeypatch.setattr(feedparser.http, "get", no_network)
    items = list(read_feed(b"https://feeds.example/rss.xml", "arg"))
    assert all(isinstance(i, Rejected) for i in items)


# --- HTML ---------------------------------------------------------------------------


def test_html_page() -> None:
    [article] = read(DATA / "news_page.html")
    assert isinstance(article, RawArticle)
    assert article.input_id == "news_page"
    assert article.title == "Council approves new library"
    assert article.source == "Riverside Herald"
    assert article.author == "Maria Keller"
    assert article.published == "2025-08-15"
    assert article.text.startswith("The Riverside city council voted on Thursday")
    assert "“This is a good day for readers of every age,”" in article.text
    assert "Sport" not in article.text and "rights reserved" not in article.text


def test_html_without_text_is_rejected() -> None:
    html = b"<html><head><title>T</title><script>x()</script></head><body> </body></html>"
    result = extract_html(html, "p", "p")
    assert result == Rejected("p", None, NO_TEXT)


def test_malformed_html_still_gives_text() -> None:
    html = f"<html><body><div><p>{BODY}<p>Unclosed <b>bold and <i>more words".encode()
    result = extract_html(html, "m.html", "m")
    assert isinstance(result, RawArticle)
    assert "build a new bridge" in result.text


def test_html_to_text_keeps_paragraphs() -> None:
    text = html_to_text("<p>One &amp; <b>two</b></p><ul><li>three</li><li>four</li></ul>x<br>y")
    assert text == "One & two\nthree\nfour\nx\ny"


# --- JSONL --------------------------------------------------------------------------


def test_jsonl_good_and_bad_lines() -> None:
    articles, rejected = split(read(DATA / "articles.jsonl"))
    assert [a.input_id for a in articles] == ["a1", "a2", "5"]
    first = articles[0]
    assert first.title == "Storm closes schools"
    assert first.published == "2025-01-13"  # from "date"
    assert first.url == "https://county.example/storm"
    assert first.meta == {"cluster": 7}
    assert first.origin.endswith("articles.jsonl:line 1")
    assert articles[1].text.startswith("The county")  # stripped
    assert articles[1].author == "J. Doe" and articles[1].lang == "en"
    reasons = {r.record: r.reason for r in rejected}
    assert set(reasons) == {"line 4", "line 5", "line 6", "line 8"}
    assert reasons["line 4"].startswith("invalid JSON")
    assert "'text'" in reasons["line 5"]
    assert "array" in reasons["line 6"]


def test_jsonl_streams_from_an_iterator() -> None:
    def lines() -> Iterator[bytes]:
        yield json.dumps({"id": "x", "text": BODY}).encode() + b"\n"
        raise AssertionError("read past the first article")

    first = next(read_jsonl(lines(), "stream"))
    assert isinstance(first, RawArticle) and first.input_id == "x"


def test_jsonl_large_file_is_fast(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    with path.open("w") as out:
        for i in range(2000):
            out.write(json.dumps({"id": f"n{i}", "text": BODY}) + "\n")
    articles, rejected = split(read(path))
    assert len(articles) == 2000 and rejected == []


# --- plain text ---------------------------------------------------------------------


def test_text_with_headline_source_and_date() -> None:
    [article] = read(DATA / "story.txt")
    assert isinstance(article, RawArticle)
    assert article.input_id == "story"
    assert article.title == "Harbour bridge to reopen next week"
    assert article.source == "Harbour Gazette"
    assert article.published == "2025-08-16"
    raw = (DATA / "story.txt").read_text()
    assert article.text == raw[raw.index("The harbour") :].strip()  # exact characters


def test_text_dateline_gives_source_and_no_title() -> None:
    [article] = read(DATA / "dateline.txt")
    assert isinstance(article, RawArticle)
    assert article.title is None and article.source == "Reuters"
    assert article.text.startswith("WASHINGTON (Reuters) - The U.S. Senate")


def test_text_cp1252_file() -> None:
    [article] = read(DATA / "latin1_cp1252.txt")
    assert isinstance(article, RawArticle)
    assert article.title == "Le café de Zürich rouvre ses portes"
    assert article.text.startswith("Le célèbre café de Zürich")
    assert "“Nous sommes très heureux”" in article.text and "—" in article.text
    assert "\r" not in article.text


def test_text_first_line_sentence_is_not_a_title(tmp_path: Path) -> None:
    path = tmp_path / "001_abc.txt"
    path.write_text(BODY + "\nSecond paragraph of the story.\n")
    [article] = read(path)
    assert isinstance(article, RawArticle)
    assert article.title is None and article.input_id == "001_abc"
    assert article.text == (BODY + "\nSecond paragraph of the story.").strip()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Harbour bridge to reopen next week", True),
        ("Is the bridge safe? Engineers disagree", True),
        ("The council said the bridge will reopen next week.", False),
        ("WASHINGTON (Reuters) - Lawmakers", False),
        ("2025-08-16", False),
        ("word " * 21, False),
        ("x" * 151, False),
        ("", False),
    ],
)
def test_is_headline(line: str, expected: bool) -> None:
    assert is_headline(line.strip()) is expected


def test_split_header_leading_iso_date_and_trailing_source() -> None:
    body, header = split_header("2025-08-16\n" + BODY + "\nSource: Wire")
    assert header.published == "2025-08-16" and header.source == "Wire"
    assert body == BODY.strip()


# --- whole files: empty, binary, sizes, gzip ----------------------------------------


def test_empty_and_binary_files() -> None:
    assert read(DATA / "empty.txt") == [Rejected(str(DATA / "empty.txt"), None, "empty file")]
    [binary] = read(DATA / "binary.bin")
    assert isinstance(binary, Rejected) and binary.reason.startswith("binary file")


def test_too_short_article_is_rejected() -> None:
    [rejected] = read(DATA / "tiny.txt")
    assert isinstance(rejected, Rejected) and "too short" in rejected.reason


def test_file_over_max_file_bytes_is_rejected_unread(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text(BODY * 10)
    [rejected] = read(path, SETTINGS.replace(max_file_bytes=100))
    assert isinstance(rejected, Rejected)
    assert str(path.stat().st_size) in rejected.reason and "max_file_bytes=100" in rejected.reason


def test_article_over_max_article_chars_is_rejected() -> None:
    items = read(DATA / "articles.jsonl", SETTINGS.replace(max_article_chars=75))
    too_long = [r for r in items if isinstance(r, Rejected) and "max_article_chars" in r.reason]
    assert [r.record for r in too_long] == ["line 1"]  # 78 characters


def test_gzipped_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "articles.jsonl.gz"
    path.write_bytes(gzip.compress((DATA / "articles.jsonl").read_bytes()))
    articles, _ = split(read(path))
    assert [a.input_id for a in articles] == ["a1", "a2", "5"]


def test_gzipped_text_keeps_the_stem_as_id(tmp_path: Path) -> None:
    path = tmp_path / "story.txt.gz"
    path.write_bytes(gzip.compress((DATA / "story.txt").read_bytes()))
    [article] = read(path)
    assert isinstance(article, RawArticle) and article.input_id == "story"


def test_truncated_gzip_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "cut.txt.gz"
    path.write_bytes(gzip.compress(BODY.encode() * 20)[:-30])
    [rejected] = read(path)
    assert rejected == Rejected(str(path), None, "truncated gzip: the compressed data ends early")


def test_gzip_bomb_is_bounded(tmp_path: Path) -> None:
    path = tmp_path / "bomb.gz"
    path.write_bytes(gzip.compress(b"a" * 5_000_000))
    [rejected] = read(path, SETTINGS.replace(max_file_bytes=100_000))
    assert isinstance(rejected, Rejected) and "max_file_bytes=100000" in rejected.reason


def _jsonl_lines(n: int) -> bytes:
    rows = [{"id": f"r{i}", "text": f"Report {i}. {BODY}"} for i in range(n)]
    return "".join(json.dumps(r) + "\n" for r in rows).encode()


@pytest.mark.parametrize("gz", [False, True])
def test_streamed_jsonl_is_not_limited_by_file_size(tmp_path: Path, gz: bool) -> None:
    """max_file_bytes bounds each line of a JSONL file, not the file (CC-News-sized)."""
    data = _jsonl_lines(40)
    path = tmp_path / ("big.jsonl.gz" if gz else "big.jsonl")
    path.write_bytes(gzip.compress(data) if gz else data)
    articles, rejected = split(read(path, SETTINGS.replace(max_file_bytes=1000)))
    assert len(data) > 5000 and rejected == [] and len(articles) == 40


def test_jsonl_line_over_the_bound_is_rejected_and_skipped(tmp_path: Path) -> None:
    long_row = json.dumps({"id": "long", "text": "word " * 2000}).encode() + b"\n"
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(_jsonl_lines(2) + long_row + _jsonl_lines(1))
    articles, rejected = split(read(path, SETTINGS.replace(max_file_bytes=1000)))
    assert [a.input_id for a in articles] == ["r0", "r1", "r0"]
    assert rejected == [Rejected(str(path), "line 3", "line is over max_file_bytes=1000 bytes")]


def test_truncated_gzipped_jsonl_keeps_the_lines_before(tmp_path: Path) -> None:
    packed = gzip.compress(_jsonl_lines(200))
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(packed[: len(packed) * 2 // 3])
    articles, rejected = split(read(path))
    assert 20 < len(articles) < 200
    assert rejected == [Rejected(str(path), None, "truncated gzip: the compressed data ends early")]


def test_streamed_warc_is_not_limited_by_file_size(tmp_path: Path) -> None:
    path = write_warc(tmp_path / "a.warc.gz", gz=True)
    limit = 2000  # each record fits, the file does not
    assert path.stat().st_size > limit or len(gzip.decompress(path.read_bytes())) > limit
    articles, rejected = split(read(path, SETTINGS.replace(max_file_bytes=limit)))
    assert rejected == [] and len(articles) == 3


# --- WARC ---------------------------------------------------------------------------

PAGE = (
    "<html><head><title>{t}</title>{meta}</head>"
    "<body><article><h1>{t}</h1><p>{b}</p></article></body></html>"
)


def _response(writer: WARCWriter, uri: str, html: bytes, status: str, ctype: str) -> None:
    headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        uri, "response", payload=io.BytesIO(html), http_headers=headers
    )
    writer.write_record(record)
    record.raw_stream.close()  # warcio buffers it in a temporary file


def write_warc(path: Path, gz: bool) -> Path:
    """A WARC with three HTML pages and records that are not articles."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gz)
        info = writer.create_warcinfo_record(path.name, {"software": "newsprism tests"})
        writer.write_record(info)
        for i in range(3):
            meta = f'<meta name="date" content="2025-08-1{i}">' if i else ""
            html = PAGE.format(t=f"Story {i}", meta=meta, b=f"Story {i}. {BODY}").encode()
            _response(writer, f"https://www.news{i}.example/s/{i}", html, "200 OK", "text/html")
        _response(writer, "https://x.example/logo.png", b"\x89PNG", "200 OK", "image/png")
        _response(writer, "https://x.example/gone", b"<p>gone</p>", "404 Not Found", "text/html")
    return path


@pytest.mark.parametrize("gz", [False, True])
def test_warc_html_responses(tmp_path: Path, gz: bool) -> None:
    path = write_warc(tmp_path / ("a.warc.gz" if gz else "a.warc"), gz)
    articles, rejected = split(read(path))
    assert rejected == []
    assert [a.input_id for a in articles] == [
        f"https://www.news{i}.example/s/{i}" for i in range(3)
    ]
    first, second, _ = articles
    assert first.url == first.input_id and first.source == "news0.example"
    assert first.origin == f"{path}#record 2"
    assert first.published is not None and first.published.endswith("Z")  # WARC-Date
    assert second.published == "2025-08-11"  # the page's own date wins
    assert first.title == "Story 0" and first.text.startswith("Story 0. The city council")


@pytest.mark.parametrize("gz", [False, True])
def test_truncated_warc_yields_what_came_before(tmp_path: Path, gz: bool) -> None:
    path = write_warc(tmp_path / "full.warc", gz)
    data = path.read_bytes()
    cut = tmp_path / "cut.warc"
    # Cut inside the third page record: the two pages before it still come through.
    for end in range(int(len(data) * 0.45), int(len(data) * 0.7), 97):
        cut.write_bytes(data[:end])
        articles, rejected = split(read(cut))
        assert len(rejected) == 1, end
        assert rejected[0].record is not None and rejected[0].record.startswith("record")
    cut.write_bytes(data[: int(len(data) * 0.62)])
    articles, rejected = split(read(cut))
    assert len(articles) == 2
    assert len(rejected) == 1 and rejected[0].record is not None
    assert rejected[0].record.startswith("record")


def test_broken_warc_record(tmp_path: Path) -> None:
    path = write_warc(tmp_path / "a.warc", gz=False)
    data = path.read_bytes()
    start = data.index(b"WARC/1", data.index(b"news1.example"))  # the record after page 1
    broken = tmp_path / "broken.warc"
    broken.write_bytes(data[:start] + b"GARBAGE NOT A RECORD\r\n" * 3 + data[start + 40 :])
    articles, rejected = split(read(broken))
    assert [a.input_id for a in articles][:2] == [
        "https://www.news0.example/s/0",
        "https://www.news1.example/s/1",
    ]
    assert rejected and rejected[0].record is not None


# --- expand_inputs ------------------------------------------------------------------


def test_expand_folders_globs_urls_and_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    for name in ("a.txt", "b/c.txt", "b/.hidden.txt", ".git/config", "z.jsonl"):
        (tmp_path / name).write_text("x")
    monkeypatch.chdir(tmp_path)
    refs, rejected = expand_inputs(
        [".", "**/*.txt", "missing.txt", "nope/*.txt", "https://e.example/a", "ftp://e/x",
         "file:///etc/passwd", "javascript:alert(1)", "a.txt"]
    )  # fmt: skip
    assert [r.path for r in refs] == [
        "./a.txt", "./b/c.txt", "./z.jsonl", "https://e.example/a"
    ]  # fmt: skip
    assert refs[-1].kind == "url"
    assert [(r.path, r.reason.split(":")[0]) for r in rejected] == [
        ("missing.txt", "no such file or folder"),
        ("nope/*.txt", "no file matches this pattern"),
        ("ftp://e/x", "unsupported URL scheme 'ftp'"),
        ("file:///etc/passwd", "unsupported URL scheme 'file'"),
        ("javascript:alert(1)", "unsupported URL scheme 'javascript'"),
    ]


# --- properties: nothing ever raises ------------------------------------------------

PROPERTY = hsettings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@PROPERTY
@given(data=st.binary(max_size=2000), name=st.sampled_from(["x.txt", "x.jsonl", "x.gz", "x.warc"]))
def test_random_bytes_never_raise(tmp_path: Path, data: bytes, name: str) -> None:
    path = tmp_path / name
    prefix = {"x.gz": b"\x1f\x8b", "x.warc": b"WARC/1.0\r\n"}.get(name, b"")
    path.write_bytes(prefix + data)
    for item in read_input(InputRef(str(path)), SETTINGS):
        assert isinstance(item, RawArticle | Rejected)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@PROPERTY
@given(value=JSON | st.dictionaries(st.sampled_from(["text", "id", "title", "date"]), JSON))
def test_random_json_values_never_raise(value: object) -> None:
    item = parse_line(json.dumps(value).encode(), "p", 1)
    assert isinstance(item, RawArticle | Rejected)
    assert isinstance(item, Rejected) or isinstance(value, dict)


@PROPERTY
@given(lines=st.lists(st.binary(max_size=200), max_size=8))
def test_random_jsonl_lines_never_raise(lines: list[bytes]) -> None:
    for item in read_jsonl(lines, "p"):
        assert isinstance(item, RawArticle | Rejected)
