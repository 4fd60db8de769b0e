"""Chaos (issue 14): `kill -9` across ingest/analyse/cluster, then integrity and convergence;
and concurrent writers (CLI ingest + the web app's POST /ingest) with zero errors.

    .venv/bin/python bench/chaos.py [--kills 20] [--seed 14] [--writers 2]

Part 1 runs the pipeline as separate `newsprism` processes on the committed fixture
(tests/data/concurrency/articles.jsonl, split into files), killing a random stage at a
random moment (seeded) until `--kills` kills have landed, then lets every stage finish.
It then checks the database (PRAGMA integrity_check, no half-written article or
analysis, no claim left) and compares its content with a clean run's: articles,
sightings as a set of (origin, article id), analyses, stories.

Part 2 starts `newsprism serve --token` on 127.0.0.1 and, at the same time, runs
`--writers` CLI `ingest` processes and as many POST /ingest uploads, then counts errors
(non-zero exits, non-200 answers, tracebacks) and the articles stored.

Uses no evaluation data. `tests/test_chaos.py` runs a smaller version (marked slow).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "data" / "concurrency" / "articles.jsonl"
STAGES = ("ingest", "analyse", "cluster")
# Small enough that analysis stays in one process (below analyse's worker threshold)
# and a full clean run takes seconds beyond the model load.
ARTICLES = 24
FILES = 4
# A kill lands at a random moment up to this long after a stage starts: the model load
# of `analyse` takes most of it on a loaded 2-core machine, the writes the rest.
MAX_DELAY = {"ingest": 3.0, "analyse": 25.0, "cluster": 6.0}
SETTINGS = ["--set", "analyse_batch_size=4", "--set", "analyse_processes=1", "-q"]


@dataclass
class ChaosReport:
    kills: int = 0
    runs: int = 0
    integrity_failures: list[str] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0


def split_fixture(folder: Path, articles: int = ARTICLES, files: int = FILES) -> list[Path]:
    """The first `articles` fixture records in `files` JSONL files."""
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()[:articles]
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(files):
        path = folder / f"part{i}.jsonl"
        path.write_text("\n".join(lines[i::files]) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def stage_args(stage: str, db: Path, inputs: list[Path]) -> list[str]:
    args = [sys.executable, "-m", "newsprism", "--db", str(db), *SETTINGS, stage]
    return args + [str(p) for p in inputs] if stage == "ingest" else args


def run_stage(stage: str, db: Path, inputs: list[Path]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(stage_args(stage, db, inputs), capture_output=True, text=True)


def clean_run(db: Path, inputs: list[Path], report: ChaosReport) -> None:
    for stage in STAGES:
        done = run_stage(stage, db, inputs)
        report.runs += 1
        if done.returncode != 0:
            report.errors.append(f"clean {stage}: exit {done.returncode}: {done.stderr[-500:]}")


def chaos_run(db: Path, inputs: list[Path], kills: int, seed: int, report: ChaosReport) -> None:
    """Start stages in pipeline order, killing one at a random moment, `kills` times;
    then run every stage to the end."""
    rng = random.Random(seed)
    stage_at = 0
    while report.kills < kills:
        stage = STAGES[stage_at % len(STAGES)]
        proc = subprocess.Popen(
            stage_args(stage, db, inputs),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        report.runs += 1
        time.sleep(rng.uniform(0.0, MAX_DELAY[stage]))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            report.kills += 1
        _out, err = proc.communicate()
        if proc.returncode not in (0, 1, -signal.SIGKILL) or "Traceback" in err:
            report.errors.append(f"{stage}: exit {proc.returncode}: {err[-500:]}")
        stage_at += rng.choice((0, 1))  # sometimes the same stage again, killed again
    for stage in STAGES:
        done = run_stage(stage, db, inputs)
        report.runs += 1
        if done.returncode != 0:
            report.errors.append(f"final {stage}: exit {done.returncode}: {done.stderr[-500:]}")


def integrity(db: Path) -> list[str]:
    """What is wrong with the database after the kills (empty when nothing is)."""
    problems = []
    with sqlite3.connect(db) as conn:
        checks = {
            "integrity_check": "PRAGMA integrity_check",
            "foreign keys": "PRAGMA foreign_key_check",
        }
        if conn.execute(checks["integrity_check"]).fetchone()[0] != "ok":
            problems.append("PRAGMA integrity_check failed")
        if conn.execute(checks["foreign keys"]).fetchall():
            problems.append("foreign key violations")
        half = {
            "article without its minhash": "SELECT COUNT(*) FROM articles a WHERE NOT EXISTS"
            " (SELECT 1 FROM minhashes m WHERE m.article_key = a.key)",
            "article without a sighting": "SELECT COUNT(*) FROM articles a WHERE NOT EXISTS"
            " (SELECT 1 FROM sightings s WHERE s.article_key = a.key)",
            "analysis without sentences": "SELECT COUNT(*) FROM analyses n WHERE n.skipped IS"
            " NULL AND NOT EXISTS (SELECT 1 FROM sentences s WHERE s.article_key = n.article_key)",
            "analysis without a vector": "SELECT COUNT(*) FROM analyses n WHERE n.skipped IS"
            " NULL AND NOT EXISTS (SELECT 1 FROM article_vectors v"
            " WHERE v.article_key = n.article_key)",
            "member of no story": "SELECT COUNT(*) FROM story_articles sa WHERE NOT EXISTS"
            " (SELECT 1 FROM stories s WHERE s.id = sa.story_id)",
            "claim left behind": "SELECT COUNT(*) FROM work_leases",
        }
        for name, sql in half.items():
            n = conn.execute(sql).fetchone()[0]
            if n:
                problems.append(f"{n} {name}")
    return problems


def content(db: Path) -> dict[str, object]:
    """What a run leaves, comparable across runs (sightings as (origin, article) pairs)."""
    with sqlite3.connect(db) as conn:
        arts = conn.execute("SELECT id, key, title, text FROM articles").fetchall()
        key_to_id = {key: id_ for id_, key, _, _ in arts}
        analyses = conn.execute(
            "SELECT a.id, n.skipped,"
            " (SELECT COUNT(*) FROM sentences s WHERE s.article_key = a.key),"
            " (SELECT COUNT(*) FROM mentions m WHERE m.article_key = a.key),"
            " (SELECT COUNT(*) FROM quotes q WHERE q.article_key = a.key)"
            " FROM analyses n JOIN articles a ON a.key = n.article_key"
        ).fetchall()
        members: dict[str, set[str]] = {}
        for story, key in conn.execute("SELECT story_id, article_key FROM story_articles"):
            members.setdefault(story, set()).add(key_to_id[key])
        return {
            "articles": sorted(
                (i, k, t, hashlib.sha256(x.encode()).hexdigest()) for i, k, t, x in arts
            ),
            "sightings": sorted(
                {
                    (origin, key_to_id[key])
                    for key, origin in conn.execute("SELECT article_key, origin FROM sightings")
                }
            ),
            "analyses": sorted(analyses),
            "stories": sorted(sorted(m) for m in members.values()),
        }


def compare(clean: dict[str, object], chaos: dict[str, object]) -> list[str]:
    return [f"{part} differ" for part in clean if clean[part] != chaos[part]]


def kill_chaos(workdir: Path, kills: int, seed: int) -> ChaosReport:
    started = time.perf_counter()
    report = ChaosReport()
    inputs = split_fixture(workdir / "inputs")
    clean_db, chaos_db = workdir / "clean.db", workdir / "chaos.db"
    clean_run(clean_db, inputs, report)
    chaos_run(chaos_db, inputs, kills, seed, report)
    report.integrity_failures = integrity(chaos_db)
    report.differences = compare(content(clean_db), content(chaos_db))
    report.seconds = time.perf_counter() - started
    return report


# -- part 2: concurrent writers ------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, seconds: float = 180.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"server at {url} did not answer in {seconds:.0f} s")


def post_ingest(url: str, token: str, body: bytes) -> tuple[int, str]:
    req = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/x-ndjson"},
    )
    try:
        with urllib.request.urlopen(req, timeout=600) as resp:
            return resp.status, resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")
    except OSError as exc:
        return 0, str(exc)


def writers_chaos(workdir: Path, writers: int) -> tuple[ChaosReport, int]:
    """`writers` CLI ingests and `writers` web uploads at once; (report, articles stored)."""
    report = ChaosReport()
    started = time.perf_counter()
    parts = split_fixture(workdir / "writers", articles=8 * writers * 2, files=2 * writers)
    db = workdir / "writers.db"
    subprocess.run(stage_args("ingest", db, parts[:1]), capture_output=True, check=False)
    port, token = free_port(), "chaos-token"
    log = (workdir / "serve.log").open("w+", encoding="utf-8")  # a pipe could fill and block it
    server = subprocess.Popen(
        [sys.executable, "-m", "newsprism", "--db", str(db), "serve", "--port", str(port)],
        env={**os.environ, "NEWSPRISM_TOKEN": token},
        stdout=subprocess.DEVNULL,
        stderr=log,
        text=True,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/stories.json")
        clis = [
            subprocess.Popen(
                [*stage_args("ingest", db, [p]), "--analyse"],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for p in parts[1:writers]
        ]
        answers: list[tuple[int, str]] = []
        threads = [
            threading.Thread(
                target=lambda p=p: answers.append(
                    post_ingest(f"http://127.0.0.1:{port}/ingest", token, p.read_bytes())
                )
            )
            for p in parts[writers:]
        ]
        for t in threads:
            t.start()
        for proc in clis:
            _out, err = proc.communicate(timeout=900)
            report.runs += 1
            if proc.returncode != 0 or "Traceback" in err:
                report.errors.append(f"cli ingest: exit {proc.returncode}: {err[-500:]}")
        for t in threads:
            t.join(timeout=900)
        for status, body in answers:
            report.runs += 1
            if status != 200:
                report.errors.append(f"POST /ingest: {status}: {body[:300]}")
        clustered = run_stage("cluster", db, [])
        if clustered.returncode != 0:
            report.errors.append(f"cluster: {clustered.stderr[-500:]}")
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.seek(0)
        err = log.read()
        log.close()
        if "Traceback" in err:
            report.errors.append(f"server: {err[-500:]}")
    report.integrity_failures = integrity(db)
    with sqlite3.connect(db) as conn:
        stored = int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    report.seconds = time.perf_counter() - started
    return report, stored


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--writers", type=int, default=2)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    with tempfile.TemporaryDirectory(prefix="chaos-") as tmp:
        kills = kill_chaos(Path(tmp), args.kills, args.seed)
        writers, stored = writers_chaos(Path(tmp), args.writers)
    print("| part | runs | kills | integrity failures | differences | errors | seconds |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, rep in (("kill -9 chaos", kills), ("concurrent writers", writers)):
        print(
            f"| {name} | {rep.runs} | {rep.kills} | {len(rep.integrity_failures)} |"
            f" {len(rep.differences)} | {len(rep.errors)} | {rep.seconds:.0f} |"
        )
    print(f"\nconcurrent writers stored {stored} articles (expected {8 * args.writers * 2})")
    for line in kills.integrity_failures + kills.differences + kills.errors + writers.errors:
        print("  -", line)
    print(json.dumps({"seed": args.seed, "kills": kills.kills}))


if __name__ == "__main__":
    main()
