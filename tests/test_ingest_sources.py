"""What ingest says about odd inputs (issue 14, defects 4 and 7): special files, WARC
records that are not articles, warcio's warnings, XML that is no feed, HTML fragments,
and unexpected reader errors."""

from __future__ import annotations

import io
import os
import threading
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsprism import Workspace
from newsprism.ingest import sources
from newsprism.ingest.failures import describe
from newsprism.ingest.sources import InputRef, expand_inputs, read_input
from newsprism.models import Note, RawArticle, Rejected
from newsprism.settings import Settings
from test_ingest_readers import BODY, _response, write_warc


def read(path: Path | str, notes: list[Note] | None = None) -> list[RawArticle | Rejected]:
    sink = notes.append if notes is not None else None
    return list(read_input(InputRef(str(path)), Settings(), on_note=sink))


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_dev_zero_is_not_a_regular_file() -> None:
    refs, rejected = expand_inputs(["/dev/zero"])
    assert refs == [] and [r.reason for r in rejected] == ["not a regular file: a character device"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "pipe.txt")
    (folder / "story.txt").write_text(BODY)
    done: list[object] = []
    worker = threading.Thread(
        target=lambda: done.append(_ingest_both(tmp_path, folder)), daemon=True
    )
    worker.start()
    worker.join(timeout=20)
    assert not worker.is_alive(), "reading a FIFO blocked"
    direct, in_folder = done[0]  # type: ignore[misc]
    assert direct == in_folder == "not a regular file: a FIFO (named pipe)"


def _ingest_both(tmp_path: Path, folder: Path) -> tuple[str, str]:
    _, rejected = expand_inputs([str(folder / "pipe.txt")])
    with Workspace(tmp_path / "f.db") as ws:
        report = ws.ingest([folder])
    assert report.new == 1
    return rejected[0].reason, report.rejected[0].reason


def test_fifo_swapped_in_after_the_check_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "late.txt"
    os.mkfifo(path)  # as if it replaced a regular file between expand and read
    items: list[RawArticle | Rejected] = []
    worker = threading.Thread(target=lambda: items.extend(read(path)), daemon=True)
    worker.start()
    worker.join(timeout=20)
    assert not worker.is_alive(), "opening a FIFO blocked"
    (item,) = items
    assert isinstance(item, Rejected) and "FIFO" in item.reason


def write_odd_warc(path: Path) -> Path:
    """Only records that are not articles: a request, a redirect, an image, a 404."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=False)
        headers = StatusAndHeaders("GET / HTTP/1.1", [("Host", "x.example")], is_http_request=True)
        request = writer.create_warc_record(
            "https://x.example/", "request", payload=io.BytesIO(b""), http_headers=headers
        )
        writer.write_record(request)
        request.raw_stream.close()  # warcio buffers it in a temporary file
        for uri, status in [
            ("https://x.example/", "301 Moved"),
            ("https://x.example/b", "302 Found"),
        ]:
            _response(writer, uri, b"", status, "text/html")
        _response(writer, "https://x.example/a.png", b"\x89PNG", "200 OK", "image/png; x=1")
        _response(writer, "https://x.example/gone", b"<p>gone</p>", "404 Not Found", "text/html")
    return path


def test_warc_without_pages_says_what_it_skipped(tmp_path: Path) -> None:
    path = write_odd_warc(tmp_path / "odd.warc")
    with Workspace(tmp_path / "w.db") as ws:
        report = ws.ingest([path])
    assert report.new == 0 and report.rejected == []
    assert report.skipped == {
        "WARC request record, not a response": 1,
        "HTTP 3xx response (redirect)": 2,
        "not an HTML page (image/png)": 1,
        "HTTP 4xx response (client error)": 1,
    }
    summary = report.summary()
    assert "skipped 5 records that are not articles" in summary
    assert "2 HTTP 3xx response (redirect)" in summary


def test_warcio_warnings_name_the_file(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    data = write_warc(tmp_path / "a.warc", gz=False).read_bytes()
    end = data.index(b"WARC/1", data.index(b"news1.example")) - 4  # end of record 3's block
    bad = tmp_path / "bad.warc"
    bad.write_bytes(data[:end] + b"junk" + data[end:])
    notes: list[Note] = []
    items = read(bad, notes)
    assert sum(isinstance(i, RawArticle) for i in items) == 3
    (warning,) = [n for n in notes if n.kind == "warning"]
    assert warning.path == str(bad) and warning.record == "record 4"
    assert "Content-Length is invalid" in warning.reason
    assert "Content-Length" not in capfd.readouterr().err  # not printed bare by warcio


@pytest.mark.parametrize(
    ("data", "root"),
    [
        (b'<?xml version="1.0"?><urlset xmlns="s"><url><loc>/a</loc></url></urlset>', "urlset"),
        (b"<!DOCTYPE svgish [" + b"<!-- x -->" * 8000 + b"]><svgish/>", "svgish"),
        (b"<kml:Document><kml:name>Places</kml:name></kml:Document>", "kml:Document"),
    ],
)  # fmt: skip
def test_xml_that_is_no_feed_is_refused_with_its_root(
    tmp_path: Path, data: bytes, root: str
) -> None:
    path = tmp_path / "doc.xml"
    path.write_bytes(data)
    (item,) = read(path)
    assert isinstance(item, Rejected)
    assert item.reason == f"XML with root element <{root}> is neither a feed nor a page"


def test_html_fragment_is_extracted_not_stored_raw(tmp_path: Path) -> None:
    path = tmp_path / "fragment.txt"
    path.write_text(f"<p>{BODY}</p>\n<p>A <b>second</b> paragraph, with more words.</p>")
    (item,) = read(path)
    assert isinstance(item, RawArticle)
    assert item.text == f"{BODY.strip()}\nA second paragraph, with more words."


def test_unexpected_error_names_type_detail_and_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> None:
        raise AssertionError  # a bare assert deep in a library (pytest rewrites `assert`)

    monkeypatch.setattr(sources, "read_text", broken)
    path = tmp_path / "story.txt"
    path.write_text(BODY)
    (item,) = read(path)
    assert isinstance(item, Rejected)
    assert item.reason.startswith("unexpected error: AssertionError (no message) (raised at ")
    assert "test_ingest_sources.py:" in item.reason and "in broken" in item.reason


def test_describe_keeps_the_message() -> None:
    try:
        raise ValueError("bad\n  value")
    except ValueError as exc:
        assert describe(exc).startswith("ValueError: bad value (raised at ")


def test_cli_ingest_reports_skips_warnings_and_special_files(tmp_path: Path) -> None:
    from test_cli import newsprism

    data = write_warc(tmp_path / "a.warc", gz=False).read_bytes()
    end = data.index(b"WARC/1", data.index(b"news1.example")) - 4
    (tmp_path / "bad.warc").write_bytes(data[:end] + b"junk" + data[end:])
    write_odd_warc(tmp_path / "odd.warc")
    os.mkfifo(tmp_path / "pipe")
    done = newsprism(
        "--db", "c.db", "ingest", "bad.warc", "odd.warc", "pipe", "/dev/zero", cwd=tmp_path
    )
    assert done.returncode == 1, done.stderr
    assert "rejected: pipe: not a regular file: a FIFO (named pipe)" in done.stderr
    assert "rejected: /dev/zero: not a regular file: a character device" in done.stderr
    assert "warning: bad.warc:record 4: warcio: Record not followed by newline" in done.stderr
    assert "Traceback" not in done.stderr
    summary = done.stdout.strip().splitlines()[-1]
    assert summary.startswith("ingest: 3 new, 0 exact duplicates, 2 near-duplicates, 2 rejected")
    assert "1 warnings" in summary and "skipped 8 records that are not articles" in summary
    assert "2 HTTP 3xx response (redirect)" in summary
