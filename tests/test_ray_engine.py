"""The Ray engine gives what the local engine gives, on the same small corpus (issue 7).

One local Ray (2 CPUs, bound to 127.0.0.1) serves the module. The corpus mixes JSONL,
a gzipped WARC and a Parquet shard, with a bad record in each text format, an exact
duplicate, a near-duplicate, a French article (skipped) and surname-only mentions
that only cross-article entity merging resolves. The local engine reads the Parquet
rows from a JSONL twin (it has no Parquet reader), so only their origins differ.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import sqlite3
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

pytest.importorskip("ray", reason="the Ray engine needs the `ray` extra")

import pyarrow as pa
import pyarrow.parquet as pq
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsprism import ConfigError, Settings, Workspace
from newsprism.analyse.pipeline import Pending
from newsprism.engines import parquet as shards
from newsprism.engines.ray_engine import AnalyseWorker, LoadReport
from newsprism.ingest.parquet import is_parquet, read_parquet_articles
from newsprism.models import Analysis, RawArticle, Rejected

pytestmark = pytest.mark.slow

SUMMIT = (
    "Former U.S. President Donald Trump met Russian President Vladimir Putin in Anchorage"
    " on Friday. The meeting at the air base lasted more than three hours and ended without"
    ' a formal agreement on Ukraine. "It was extremely productive," Trump told reporters'
    " after the talks. Putin said the next meeting could take place in Moscow. About 200"
    " journalists waited outside the base, and the two leaders spoke for 12 minutes at a"
    " joint appearance on August 15. Officials from both delegations said more talks were"
    " planned before the end of the year."
)
REPRINT = SUMMIT.replace("ended without a formal agreement", "closed with no formal deal")
BRIDGE = (
    "The city council of Springfield voted 7 to 2 on Tuesday to build a new bridge across"
    ' the river. "This bridge will serve the city for fifty years," Mayor Jane Alvarez'
    " said after the vote. The project will cost $40 million and take about two years."
)
FOLLOW_UP = (
    'Putin and Trump will meet again next month, a Kremlin aide said on Sunday. "We are'
    ' ready," Putin told state television. Trump has not confirmed the date.'
)
FRENCH = (
    "Le conseil municipal a voté mardi la construction d'un nouveau pont sur la rivière."
    " Les travaux dureront environ deux ans et coûteront quarante millions d'euros."
)
PAGE = "<html><head><title>{t}</title></head><body><article><h1>{t}</h1>{b}</article></body></html>"


@dataclass
class Corpus:
    ray_inputs: list[str]
    local_inputs: list[str]


def _warc(path: Path) -> None:
    """Two HTML response records (a near-copy of the summit story, a French article), a request."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        pages = [("https://www.news.example/summit", "Summit in Alaska", REPRINT),
                 ("https://www.journal.example/pont", "Un nouveau pont", FRENCH)]  # fmt: skip
        for uri, title, text in pages:
            body = "".join(f"<p>{s}.</p>" for s in text.split(". "))
            html = PAGE.format(t=title, b=body).encode()
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], "HTTP/1.1")
            record = writer.create_warc_record(
                uri, "response", payload=io.BytesIO(html), http_headers=headers
            )
            writer.write_record(record)
            record.raw_stream.close()
        # A request record: not an article, counted as skipped by both engines.
        get = io.BytesIO(b"GET /summit HTTP/1.1\r\n\r\n")
        request = writer.create_warc_record(pages[0][0], "request", payload=get)
        writer.write_record(request)
        request.raw_stream.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    root = tmp_path_factory.mktemp("corpus")
    lines = [
        {"id": "wire-1", "title": "Trump and Putin meet", "text": SUMMIT, "source": "Wire",
         "published": "2025-08-16", "section": "world"},
        {"id": "daily-2", "text": BRIDGE, "source": "Daily", "date": "2025-08-12"},
    ]  # fmt: skip
    jsonl = [json.dumps(line) for line in lines]
    jsonl.insert(1, '{"id": "broken", "text": ')  # a bad record: invalid JSON
    (root / "a.jsonl").write_text("\n".join(jsonl) + "\n", encoding="utf-8")
    _warc(root / "b.warc.gz")
    when = "2025-08-17T09:00:00+00:00"
    rows = [
        {"id": "copy-2", "text": BRIDGE.replace(" ", "  "), "source": "Mirror"},  # exact dup
        {"id": "follow-3", "title": "Second meeting", "text": FOLLOW_UP, "published": when},
        {"id": "empty-4", "text": None},  # a bad record: no text
    ]
    table = pa.table(
        {
            "id": [r["id"] for r in rows],
            "title": [r.get("title") for r in rows],
            "text": [r["text"] for r in rows],
            "source": [r.get("source") for r in rows],
            "published": pa.array(
                [None, dt.datetime(2025, 8, 17, 9, tzinfo=dt.UTC), None], pa.timestamp("s", "UTC")
            ),
        }
    )
    pq.write_table(table, root / "c.parquet")
    twin = [{**r, "published": when if r.get("published") else None} for r in rows]
    (root / "c.jsonl").write_text("\n".join(json.dumps(r) for r in twin) + "\n", "utf-8")
    files = [str(root / name) for name in ("a.jsonl", "b.warc.gz")]
    return Corpus([*files, str(root / "c.parquet")], [*files, str(root / "c.jsonl")])


@pytest.fixture(scope="module")
def ray_cluster() -> Any:
    import ray

    ray.init(num_cpus=2, include_dashboard=False, _node_ip_address="127.0.0.1")
    yield ray
    ray.shutdown()


@dataclass
class Runs:
    local: Workspace
    ray: Workspace
    report: LoadReport
    local_rejected: list[Rejected]
    out_dir: Path


runs_skipped: Counter[str] = Counter()  # the local ingest's skip counts, by reason


@pytest.fixture(scope="module")
def runs(corpus: Corpus, ray_cluster: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    tmp = tmp_path_factory.mktemp("runs")
    local = Workspace(tmp / "local.db")
    ingested = local.ingest(corpus.local_inputs)
    local.analyse()
    runs_skipped.update(ingested.skipped)
    remote = Workspace(tmp / "ray.db")
    report = remote.analyse_ray(corpus.ray_inputs, out_dir=tmp / "shards", workers=2)
    yield Runs(local, remote, report, ingested.rejected, tmp / "shards")
    local.close()
    remote.close()


def _twin(origin: str | None) -> str | None:
    return origin.replace(".parquet:row", ".jsonl:line") if origin else origin


def _comparable(ws: Workspace, article_id: str) -> dict[str, Any]:
    art = ws.article(article_id)
    assert art is not None
    for sighting in art["sightings"]:
        sighting.pop("seen_at")
        sighting["origin"] = _twin(sighting["origin"])
    return art


def test_same_articles_and_analysis(runs: Runs) -> None:
    local_ids = [a["id"] for a in runs.local.articles()]
    assert [a["id"] for a in runs.ray.articles()] == local_ids
    assert {"wire-1", "daily-2", "follow-3"} <= set(local_ids)
    for article_id in local_ids:
        assert _comparable(runs.ray, article_id) == _comparable(runs.local, article_id)
    follow = runs.ray.article("follow-3")
    assert follow is not None
    people = {e["text"]: e["canonical"] for e in follow["entities"] if e["type"] == "PERSON"}
    assert people.get("Putin") == "Vladimir Putin"  # merged across articles, in order
    direct = [q for q in follow["quotes"] if q["kind"] != "indirect"]
    assert {q["speaker"] for q in direct} == {"Vladimir Putin"}
    assert {q["attribution"] for q in direct} <= {"named", "resolved"}


def test_same_dedup_and_skips(runs: Runs) -> None:
    rows = {a["id"]: a for a in runs.ray.articles()}
    assert rows["daily-2"]["sightings"] == 2  # the Parquet copy is an exact duplicate
    summit = [a for a in rows.values() if a["duplicate_of"] == "wire-1"]
    assert len(summit) == 1  # the WARC reprint is a near-duplicate
    report = runs.report
    assert (report.ingest.new, report.ingest.exact_duplicates) == (5, 1)
    assert report.ingest.near_duplicates == 1
    assert report.analyse.analysed == 4 and len(report.analyse.skipped) == 1
    assert report.ray is not None and report.ray.articles == 6


def _vectors(ws: Workspace) -> dict[str, np.ndarray]:
    conn: sqlite3.Connection = ws.db.conn
    out = {}
    for key, blob in conn.execute("SELECT article_key, vector FROM article_vectors"):
        out[f"{key}/article"] = np.frombuffer(blob, dtype=np.float32)
    for key, idx, blob in conn.execute("SELECT article_key, idx, embedding FROM sentences"):
        out[f"{key}/{idx}"] = np.frombuffer(blob, dtype=np.float32)
    return out


def test_same_embeddings(runs: Runs) -> None:
    """The same vectors, to the int8 embedder's rounding.

    The engines batch differently; float32 layers differ in the 7th digit across batch
    shapes, and int8 rounding lets that grow to about the quantisation noise (a cosine
    of 0.997 to float32 on ECB+), so a cosine of 0.99 is the bar, not equality.
    """
    local, remote = _vectors(runs.local), _vectors(runs.ray)
    assert set(remote) == set(local) and len(local) > 10
    cosines = {name: float(remote[name] @ vec) for name, vec in local.items()}
    worst = min(cosines, key=cosines.__getitem__)
    assert cosines[worst] > 0.99, worst


def test_bad_records_are_rejected_with_reasons(runs: Runs) -> None:
    rejected = runs.report.ingest.rejected
    assert [(Path(r.path).name, r.record) for r in rejected] == [
        ("a.jsonl", "line 2"),
        ("c.parquet", "row 3"),
    ]
    assert rejected[0] == runs.local_rejected[0]  # same reason as the local reader
    assert rejected[0].reason.startswith("invalid JSON")
    assert rejected[1].reason == "missing a non-empty string 'text' field"
    assert runs.report.ray is not None and runs.report.ray.rejected == rejected


def test_stories_after_load(runs: Runs) -> None:
    runs.local.cluster()
    runs.ray.cluster()
    shape = lambda ws: sorted(sorted(a["id"] for a in s["articles"]) for s in ws.stories())  # noqa: E731
    assert shape(runs.ray) == shape(runs.local) and shape(runs.ray)


def test_shards_hold_one_row_per_record(runs: Runs) -> None:
    rows = list(shards.rows_in_order(runs.out_dir))
    assert [(r["file_index"], r["record_index"]) for r in rows] == [
        (0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2), (2, 0), (2, 1), (2, 2)
    ]  # fmt: skip
    assert [r["status"] for r in rows if r["file_index"] == 1] == ["ok", "ok", "skipped"]
    ok = [r for r in rows if r["status"] == "ok"]
    summit = ok[0]
    assert summit["input_id"] == "wire-1" and json.loads(summit["meta"]) == {"section": "world"}
    assert summit["sentences"] and summit["mentions"] and summit["quotes"]
    quote = summit["quotes"][0]  # shard v3 carries how each quote was attributed
    assert quote["attribution"] in {"named", "resolved", "description", "none"}
    assert quote["kind"] in {"direct", "partial", "indirect"} and isinstance(
        quote["confident"], bool
    )
    assert summit["dim"] == 384 and len(summit["article_vector"]) == 384 * 4
    assert len(summit["sentence_vectors"]) == 384 * 4 * len(summit["sentences"])
    follow = ok[-1]
    assert (follow["input_id"], follow["published"]) == ("follow-3", "2025-08-17T09:00:00+00:00")
    assert [r["reason"] is not None for r in rows if r["status"] == "rejected"] == [True, True]


def test_skipped_records_are_counted_like_the_local_ingest(runs: Runs) -> None:
    """Regression: the Ray engine dropped the readers' notes, so its summary never said
    that a WARC's request records were passed over (the local ingest did)."""
    assert runs_skipped and runs.report.ingest.skipped == runs_skipped
    assert "records that are not articles" in runs.report.summary()
    assert runs.report.ray is not None and "1 records skipped" in runs.report.ray.summary()


def test_loading_again_adds_nothing(runs: Runs, tmp_path: Path) -> None:
    with Workspace(tmp_path / "again.db") as ws:
        from newsprism.engines import load_analysed

        load_analysed(ws.db, runs.out_dir, ws.settings)
        again = load_analysed(ws.db, runs.out_dir, ws.settings)
        assert again.ingest.new == 0 and again.ingest.already_seen == 6
        assert again.analyse.analysed == 0


def test_load_refuses_shards_of_other_settings(runs: Runs, tmp_path: Path) -> None:
    from newsprism.engines import load_analysed

    with Workspace(tmp_path / "x.db", {"nlp_max_chars": 5000}) as ws:
        with pytest.raises(ConfigError, match="nlp_max_chars"):
            load_analysed(ws.db, runs.out_dir, ws.settings)
        with pytest.raises(ConfigError, match="not a finished Ray analysis"):
            load_analysed(ws.db, tmp_path, ws.settings)


def test_out_dir_must_not_hold_shards(runs: Runs, corpus: Corpus) -> None:
    with pytest.raises(ConfigError, match="already holds analysed shards"):
        runs.ray.analyse_ray(corpus.ray_inputs, out_dir=runs.out_dir)


# --- no Ray needed ------------------------------------------------------------------


class _Flaky:
    """An analyser that fails on one text, to prove the worker isolates it."""

    def analyse_batch(self, batch: list[Pending]) -> list[tuple[Pending, Analysis, None]]:
        if any("poison" in art.text for art in batch):
            raise ValueError("cannot parse")
        # Skipped articles come first in the real one: the worker must reorder.
        return [(art, Analysis(lang="en", skipped=art.title), None) for art in reversed(batch)]


def test_worker_turns_a_failing_article_into_a_rejection() -> None:
    worker = object.__new__(AnalyseWorker)
    worker.analyser = _Flaky()  # type: ignore[assignment]
    settings = Settings()
    items = [RawArticle(f"Article number {i} is long enough to keep.", f"f.jsonl:line {i}",
                        f"id{i}", title=f"t{i}") for i in range(4)]  # fmt: skip
    items[2].text += " poison"
    rows = [shards.read_row(0, i, "f.jsonl", item, settings) for i, item in enumerate(items)]
    out = worker(shards.to_table(rows)).to_pylist()
    assert [r["status"] for r in out] == ["ok", "ok", "rejected", "ok"]
    assert out[2]["reason"] == "analysis failed: ValueError: cannot parse"
    assert out[2]["path"] == "f.jsonl:line 2"
    assert [r["skipped"] for r in out if r["status"] == "ok"] == ["t0", "t1", "t3"]


def test_parquet_reader_maps_rows_like_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "in.parquet"
    pq.write_table(pa.table({"text": ["  Some article text here.  ", ""], "id": [7, 8],
                             "extra": ["x", "y"]}), path)  # fmt: skip
    first, second = read_parquet_articles(str(path))
    assert isinstance(first, RawArticle) and isinstance(second, Rejected)
    assert (first.text, first.input_id, first.meta) == (
        "Some article text here.",
        "7",
        {"extra": "x"},
    )
    assert first.origin == f"{path}:row 1" and second.record == "row 2"
    assert is_parquet(str(path)) and not is_parquet(str(tmp_path / "none"))
    pq.write_table(pa.table({"body": ["x"]}), tmp_path / "no_text.parquet")
    (only,) = read_parquet_articles(str(tmp_path / "no_text.parquet"))
    assert isinstance(only, Rejected) and only.reason == "Parquet shard has no 'text' column"


class _DiesOnce(AnalyseWorker):
    """A worker whose process dies on its first batch (the marker makes it once only)."""

    marker = ""

    def __call__(self, batch: pa.Table) -> pa.Table:
        if not os.path.exists(self.marker):
            Path(self.marker).write_text("died", encoding="utf-8")
            os._exit(1)
        return super().__call__(batch)


def test_a_dead_worker_is_retried(
    ray_cluster: Any, corpus: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsprism.engines import ray_engine

    # The class travels by value: Ray workers cannot import this test module.
    ray_cluster.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    monkeypatch.setattr(_DiesOnce, "marker", str(tmp_path / "died"))
    monkeypatch.setattr(ray_engine, "AnalyseWorker", _DiesOnce)
    with Workspace(tmp_path / "d.db") as ws:
        report = ws.analyse_ray(corpus.ray_inputs[:1], workers=1)
        assert (tmp_path / "died").exists()
        assert report.ingest.new == 2 and report.analyse.analysed == 2
