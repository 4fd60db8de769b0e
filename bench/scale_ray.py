"""Scaling evidence for issue 7: the local engine vs the Ray engine, same N articles.

The corpus is ../shared/eval/ecbplus/clustering.jsonl (772 articles) repeated up to
`--n` articles: copy k of an article gets the id `<id>~r<k>` and one extra closing
line, so no two are exact duplicates (they are near-duplicates: stored, linked and
analysed like any other article). It is written as ONE JSONL file, so the Ray runs
also exercise the repartitioning of a single input across workers.

Each mode runs in its own child process, from an empty database to analysed articles:

- local: `Workspace.ingest()` + `Workspace.analyse()` in one process;
- ray1 / ray2: `Workspace.analyse_ray(workers=1 | 2)`: a local Ray started by the
  child (or `--address`), read + analyse on Ray, then the load into SQLite.

Times include model loading (once per process or actor) and, for Ray, starting Ray.
Memory is sampled every 0.5 s over the child's whole process tree (Ray's raylet, GCS
and workers are descendants of the driver when Ray is started locally) as PSS, which
splits shared pages instead of counting them once per process; "workers" is the part
held by the `ray::` worker processes.

    .venv/bin/python bench/scale_ray.py [--n 2000] [--modes local,ray1,ray2] [--address auto]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

SOURCE = (
    Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "ecbplus" / "clustering.jsonl"
)
MODES = {"local": 0, "ray1": 1, "ray2": 2}


def make_corpus(n: int, path: Path) -> int:
    """Write `n` articles (ECB+ repeated with varied ids and endings) as one JSONL file."""
    rows = [json.loads(line) for line in SOURCE.read_text(encoding="utf-8").splitlines()]
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            row = dict(rows[i % len(rows)])
            copy = i // len(rows)
            if copy:
                row["id"] = f"{row['id']}~r{copy}"
                row["text"] = f"{row['text']}\nReprinted as edition {copy}."
            out.write(json.dumps(row) + "\n")
    return n


def run_child(mode: str, src: Path, work: Path, address: str | None) -> dict[str, Any]:
    """One mode, in this process; prints its figures as JSON."""
    from newsprism import Workspace

    start = time.perf_counter()
    with Workspace(work / f"{mode}.db") as ws:
        if mode == "local":
            ingested = ws.ingest([src])
            analysed = ws.analyse()
            stored, done, ray_secs = ingested.new, analysed.analysed, None
        else:
            report = ws.analyse_ray([src], address=address, workers=MODES[mode])
            stored, done = report.ingest.new, report.analyse.analysed
            ray_secs = report.ray.seconds
    total = time.perf_counter() - start
    return {"mode": mode, "stored": stored, "analysed": done, "seconds": total,
            "ray_seconds": ray_secs}  # fmt: skip


# ------------------------------------------------------------- memory sampling


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def _pss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return 0.0


def _is_ray_worker(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().startswith(b"ray::")
    except OSError:
        return False


class TreeSampler(threading.Thread):
    """Peak PSS of a process and all its descendants, and of the Ray workers among them."""

    def __init__(self, pid: int, every: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.peak_mb = self.workers_mb = 0.0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            tree, todo, pids = _children(), [self.pid], []
            while todo:
                pid = todo.pop()
                pids.append(pid)
                todo.extend(tree.get(pid, []))
            sizes = {pid: _pss_mb(pid) for pid in pids}
            self.peak_mb = max(self.peak_mb, sum(sizes.values()))
            workers = sum(mb for pid, mb in sizes.items() if _is_ray_worker(pid))
            self.workers_mb = max(self.workers_mb, workers)
            self.done.wait(self.every)


def measure(mode: str, src: Path, work: Path, address: str | None) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", mode, "--src", str(src), "--work", str(work)]
    if address:
        cmd += ["--address", address]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    sampler = TreeSampler(proc.pid)
    sampler.start()
    out, _ = proc.communicate()
    sampler.done.set()
    sampler.join()
    if proc.returncode:
        raise SystemExit(f"{mode} failed (exit {proc.returncode})")
    result = json.loads(out.strip().splitlines()[-1])
    result.update(peak_mb=sampler.peak_mb, workers_mb=sampler.workers_mb)
    return result


def table(results: list[dict[str, Any]]) -> str:
    lines = [
        "| mode | articles | seconds | articles/s | Ray stage s | load s | peak MB (tree) "
        "| peak MB (Ray workers) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        ray = r["ray_seconds"]
        load = r["seconds"] - ray if ray is not None else None
        cells = [r["mode"], str(r["analysed"]), f"{r['seconds']:.1f}",
                 f"{r['analysed'] / r['seconds']:.2f}", f"{ray:.1f}" if ray else "-",
                 f"{load:.1f}" if load is not None else "-", f"{r['peak_mb']:.0f}",
                 f"{r['workers_mb']:.0f}" if ray else "-"]  # fmt: skip
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="articles (default 2000)")
    parser.add_argument("--modes", default="local,ray1,ray2")
    parser.add_argument("--address", default=None, help="Ray address (default: local Ray)")
    parser.add_argument("--child", choices=sorted(MODES), help=argparse.SUPPRESS)
    parser.add_argument("--src", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_child(args.child, args.src, args.work, args.address)))
        return 0
    with tempfile.TemporaryDirectory(prefix="scale-ray-") as tmp:
        src = Path(tmp) / "articles.jsonl"
        make_corpus(args.n, src)
        results = []
        for mode in args.modes.split(","):
            results.append(measure(mode, src, Path(tmp), args.address))
            print(json.dumps(results[-1]), file=sys.stderr, flush=True)
    print(f"{args.n} articles, {os.cpu_count()} CPUs\n")
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
