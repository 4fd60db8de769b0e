"""Ingest throughput: articles/s for JSONL, HTML and WARC inputs.

Input: ../shared/eval/ecbplus/clustering.jsonl (772 articles). The HTML and WARC inputs
are made from the same articles (one HTML page each; one WARC.gz of HTML responses), so
the three figures compare the readers on the same text. Each run uses a fresh database.

    .venv/bin/python bench/ingest.py [--limit N]
"""

from __future__ import annotations

import argparse
import html
import io
import json
import sys
import tempfile
import time
from pathlib import Path

from newsprism import Workspace

EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
SOURCE = EVAL / "ecbplus" / "clustering.jsonl"


def load(limit: int | None) -> list[dict]:
    rows = [json.loads(line) for line in SOURCE.read_text(encoding="utf-8").splitlines()]
    return rows[:limit] if limit else rows


def page(row: dict) -> str:
    paras = "".join(f"<p>{html.escape(p)}</p>" for p in row["text"].split("\n"))
    title = html.escape(row["title"] or "")
    return (
        f"<!doctype html><html><head><title>{title}</title>"
        f'<meta property="og:site_name" content="Bench News"></head><body>'
        f"<nav><a href='/'>Home</a> | <a href='/world'>World</a></nav>"
        f"<article><h1>{title}</h1>{paras}</article><footer>© Bench</footer></body></html>"
    )


def write_inputs(rows: list[dict], root: Path) -> dict[str, Path]:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    (root / "html").mkdir()
    for row in rows:
        (root / "html" / f"{row['id']}.html").write_text(page(row), encoding="utf-8")
    jsonl = root / "articles.jsonl"
    jsonl.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    warc = root / "crawl.warc.gz"
    with warc.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for row in rows:
            body = page(row).encode("utf-8")
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            rec = writer.create_warc_record(
                f"https://bench.example/{row['id']}",
                "response",
                payload=io.BytesIO(body),
                http_headers=headers,
            )
            writer.write_record(rec)
    return {"jsonl": jsonl, "html": root / "html", "warc": warc}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    if not SOURCE.exists():
        print(f"skipped: {SOURCE} not found (the eval data lives in ../shared/eval)")
        return 0
    rows = load(args.limit)
    with tempfile.TemporaryDirectory() as tmp:
        inputs = write_inputs(rows, Path(tmp))
        print(f"{'format':<6} {'articles':>8} {'seconds':>8} {'articles/s':>11}")
        for name, path in inputs.items():
            with Workspace(Path(tmp) / f"{name}.db") as ws:
                start = time.perf_counter()
                report = ws.ingest([path])
                secs = time.perf_counter() - start
            n = report.new + report.exact_duplicates
            print(f"{name:<6} {n:>8} {secs:>8.2f} {n / secs:>11.1f}   ({report.summary()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
