"""Hostile inputs: ingest folders of odd files and count what became of each.

For each folder, every file is ingested on its own into one fresh database, in a child
process, so that a crash, a hang or a memory blow-up is pinned on the folder instead of
ending the benchmark. Per folder it prints: files, files that gave at least one article,
articles stored, rejected records by reason (numbers folded to N), records skipped on
purpose, warnings, crashed files (an exception escaping `Workspace.ingest`, or a file
over the time limit), and the child's peak resident memory.

The inputs are gathered from the test suites of the libraries newsprism builds on (see
bench/README.md, "Hostile inputs"); they are not committed.

    .venv/bin/python bench/hostile.py FOLDER... [--limit N] [--timeout S] [--reasons K]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import re
import resource
import signal
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from newsprism.models import Rejected

if TYPE_CHECKING:
    from newsprism.ingest.pipeline import IngestReport

_DIGITS = re.compile(r"\d+")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|<[^>]*>|\([^)]*\)")
_MAX_REASON = 64


@dataclass
class FolderResult:
    """What ingesting one folder, file by file, came to."""

    folder: str
    files: int = 0
    files_with_articles: int = 0
    articles: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    skipped: int = 0
    warnings: int = 0
    crashed: list[str] = field(default_factory=list)
    peak_mb: float = 0.0
    seconds: float = 0.0


class _Hung(Exception):
    pass


def _on_alarm(signum: int, frame: object) -> None:
    raise _Hung


def fold(reason: str) -> str:
    """A rejection reason with its particulars folded, so that like counts with like."""
    reason = _QUOTED.sub("…", _DIGITS.sub("N", reason))
    return reason[:_MAX_REASON]


def files_of(folder: Path, limit: int | None) -> list[Path]:
    # Special files (FIFOs) are kept: ingest must refuse them, not hang on them.
    found = sorted(p for p in folder.rglob("*") if not p.is_dir() and not p.is_symlink())
    return found[:limit] if limit else found


def ingest_folder(folder: str, limit: int | None, timeout: int, out: mp.Queue) -> None:  # type: ignore[type-arg]
    """Child process: ingest each file of `folder`, put a FolderResult (as a dict) on `out`.

    The pipeline's own steps (`read_input`, `store_article`) run file by file over one
    near-duplicate index, so an exception is pinned on its file and the index is not
    reloaded per file (`Workspace.ingest` per file would make the run quadratic).
    """
    from newsprism import Workspace
    from newsprism.ingest.pipeline import IngestReport, load_index, store_article
    from newsprism.ingest.sources import InputRef, read_input

    result = FolderResult(folder)
    signal.signal(signal.SIGALRM, _on_alarm)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, Workspace(Path(tmp) / "h.db") as ws:
        index = load_index(ws.db, ws.settings)
        for path in files_of(Path(folder), limit):
            result.files += 1
            report = IngestReport()
            signal.alarm(timeout)
            try:
                for item in read_input(InputRef(str(path)), ws.settings, on_note=report.note):
                    if isinstance(item, Rejected):
                        report.rejected.append(item)
                    else:
                        report.count(*store_article(ws.db, item, index, ws.settings))
            except _Hung:
                result.crashed.append(f"{path}: over {timeout}s")
                continue
            except Exception as exc:  # what the benchmark looks for
                result.crashed.append(f"{path}: {type(exc).__name__}: {exc}"[:300])
                continue
            finally:
                signal.alarm(0)
            _add(result, report)
    result.seconds = time.perf_counter() - start
    result.peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.put({**asdict(result), "rejected": dict(result.rejected)})  # asdict mangles Counter


def _add(result: FolderResult, report: IngestReport) -> None:
    stored = report.new + report.exact_duplicates + report.already_seen
    result.articles += report.new
    result.files_with_articles += stored > 0
    result.rejected.update(fold(r.reason) for r in report.rejected)
    result.skipped += report.skipped.total()
    result.warnings += len(report.warnings)


def run_folder(folder: Path, limit: int | None, timeout: int) -> FolderResult:
    """One folder in a child process; a dead child is one crash for the whole folder."""
    queue: mp.Queue = mp.get_context("spawn").Queue()  # type: ignore[type-arg]
    proc = mp.get_context("spawn").Process(
        target=ingest_folder, args=(str(folder), limit, timeout, queue)
    )
    proc.start()
    try:
        data = queue.get(timeout=timeout * max(1, len(files_of(folder, limit))) + 120)
    except Exception:
        data = None
    proc.join(timeout=30)
    if data is None:
        proc.kill()
        return FolderResult(str(folder), crashed=[f"child died (exit {proc.exitcode})"])
    data["rejected"] = Counter(data["rejected"])
    return FolderResult(**data)


def print_table(results: list[FolderResult], reasons: int) -> None:
    head = "| folder | files | files → articles | articles | rejected | skipped | warnings"
    print(head + " | crashed | peak MB | s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {Path(r.folder).name} | {r.files} | {r.files_with_articles} | {r.articles} "
            f"| {r.rejected.total()} | {r.skipped} | {r.warnings} | {len(r.crashed)} "
            f"| {r.peak_mb:.0f} | {r.seconds:.1f} |"
        )
    total = Counter[str]()
    for r in results:
        total.update(r.rejected)
    print(f"\nTop rejection reasons (all folders, {total.total()} records):\n")
    for reason, n in total.most_common(reasons):
        print(f"- {n:5d}  {reason}")
    for r in results:
        for crash in r.crashed:
            print(f"CRASH {Path(r.folder).name}: {crash}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--limit", type=int, default=None, help="files per folder")
    parser.add_argument("--timeout", type=int, default=60, help="seconds allowed per file")
    parser.add_argument("--reasons", type=int, default=15, help="rejection reasons listed")
    parser.add_argument("--json", type=Path, default=None, help="also write results here")
    args = parser.parse_args()
    folders = [f for f in args.folders if f.is_dir()]
    if not folders:
        print("no input folders given (or none exist); see bench/README.md, 'Hostile inputs'")
        return 0
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    results = [run_folder(f, args.limit, args.timeout) for f in folders]
    print_table(results, args.reasons)
    if args.json:
        rows = [{**asdict(r), "rejected": dict(r.rejected)} for r in results]
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
