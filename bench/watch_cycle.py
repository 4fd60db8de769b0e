"""What one watch cycle's pipeline costs with N new articles (issue 15, latency).

    python bench/watch_cycle.py [--base 300] [--new 1 5 20] [--embed-threads 1]

Builds a store of `--base` analysed and clustered ECB+ articles
(../shared/eval/ecbplus), then for each N: a copy of it, opened in one Workspace that
is first warmed by a cycle of one article (models loaded, entity registry kept), then
a cycle of N new energy-chain articles (../shared/eval/news_story_chains_energy) —
`analyse` then `cluster` (which logs the story changes), as `Watcher._pipeline` runs
them. Prints wall and CPU seconds of each stage and how many stored articles the entity
registry replayed during the measured cycle (0 when it is kept warm; the whole store
when every analyse replays it). `--embed-threads 0` gives the embedder torch's default
thread count, the behaviour before the setting existed. Exits 0 with a message when
the eval data is absent.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

EVAL_CANDIDATES = [ROOT.parent / "shared" / "eval", ROOT.parents[1] / "shared" / "eval"]
BASE = "ecbplus/clustering.jsonl"
NEW = "news_story_chains_energy/clustering.jsonl"


def eval_dir() -> Path | None:
    return next((p for p in EVAL_CANDIDATES if (p / BASE).is_file() and (p / NEW).is_file()), None)


def rows(path: Path) -> list[str]:
    lines = [line for line in path.open(encoding="utf-8") if line.strip()]
    return sorted(lines, key=lambda line: (json.loads(line).get("date") or "", line))


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(lines), encoding="utf-8")
    return path


def timed(stage: Callable[[], Any]) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    out = stage()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def build_base(work: Path, lines: list[str], settings: dict[str, Any]) -> Path:
    from newsprism import Workspace

    db = work / "base.db"
    with Workspace(db, settings) as ws:
        ws.ingest([write(work / "base.jsonl", lines)])
        ws.analyse()
        ws.cluster()
    return db


def copy_store(base: Path, dest: Path) -> Path:
    """The database and its vector index file (the Workspace is closed: no WAL left)."""
    shutil.copy(base, dest)
    index = Path(str(base) + ".usearch")
    if index.exists():
        shutil.copy(index, Path(str(dest) + ".usearch"))
    return dest


def one_cycle(db: Path, prime: Path, new: Path, settings: dict[str, Any]) -> list[Any]:
    from newsprism import Workspace
    from newsprism.analyse import store_rows
    from newsprism.watch.loop import warm_models

    replayed = [0]
    real = store_rows.resolve_entities

    def counting(registry: Any, an: Any) -> None:  # each call replays one stored article
        replayed[0] += 1
        real(registry, an)

    store_rows.resolve_entities = counting
    try:
        with Workspace(db, settings) as ws:
            warm_models(ws)
            ws.ingest([prime])
            ws.analyse()
            ws.cluster()
            ws.ingest([new])
            before = replayed[0]
            report, a_wall, a_cpu = timed(ws.analyse)
            _, c_wall, c_cpu = timed(ws.cluster)
            return [report.analysed, a_wall, a_cpu, c_wall, c_cpu, replayed[0] - before]
    finally:
        store_rows.resolve_entities = real


def main() -> int:
    args = parse_args()
    folder = eval_dir()
    if folder is None:
        print(f"no eval data ({BASE}, {NEW}) under ../shared/eval: nothing to measure")
        return 0
    settings = {"embed_threads": args.embed_threads}
    fresh = rows(folder / NEW)
    work = Path(tempfile.mkdtemp(prefix="bench-watch-cycle-"))
    base = build_base(work, rows(folder / BASE)[: args.base], settings)
    prime = write(work / "prime.jsonl", fresh[-1:])
    print(f"store: {args.base} ECB+ articles; embed_threads {args.embed_threads}")
    print()
    print("| new | analyse wall / CPU s | cluster + changes wall / CPU s | registry replays |")
    print("|---|---|---|---|")
    for n in args.new:
        new = write(work / f"new{n}.jsonl", fresh[:n])
        db = copy_store(base, work / f"cycle{n}.db")
        got, a_wall, a_cpu, c_wall, c_cpu, replays = one_cycle(db, prime, new, settings)
        print(f"| {got} | {a_wall:.1f} / {a_cpu:.1f} | {c_wall:.1f} / {c_cpu:.1f} | {replays} |")
    shutil.rmtree(work, ignore_errors=True)
    return 0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", type=int, default=300, help="ECB+ articles in the store")
    parser.add_argument("--new", type=int, nargs="+", default=[1, 5, 20])
    parser.add_argument("--embed-threads", type=int, default=1)
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(main())
