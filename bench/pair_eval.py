"""The clustering pair score against human judgments it was never tuned on.

    python bench/pair_eval.py [PAIRS.jsonl] [--work DIR]

SemEval-2022 Task 8 (../shared/eval/semeval2022_task8_en) rates English news article
pairs from 1 (very similar) to 4 (very dissimilar) overall; `same_story` there is
overall <= 2. No newsprism setting was chosen on it, so it checks that the signals the
clustering weighs (lexical, embedding, entities, shared figures and event frames, time)
say "same story" the way people do, beyond the three clustering sets.

Both articles of every pair go through the real pipeline (ingest, analyse); the pair
score is `cluster.similarity.Scorer` with the default weights, with document
frequencies over all the articles. Prints, per signal and for the whole score, Spearman
rho against the overall rating (sign flipped: higher score, more similar) and ROC AUC
for `same_story`.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402
from scipy.stats import spearmanr  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval" / "semeval2022_task8_en" / "pairs_en.jsonl"


def load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def analysed_db(pairs: list[dict[str, Any]], work: Path) -> tuple[Path, float]:
    """A database in `work` holding every article of the pairs, analysed (kept there,
    so a second run only scores)."""
    from newsprism.api import Workspace

    db = work / "semeval2022-pairs.db"
    if db.exists():
        return db, 0.0
    articles = {}
    for pair in pairs:
        for side in ("article1", "article2"):
            a = pair[side]
            articles[a["id"]] = {"id": a["id"], "title": a.get("title"), "text": a["text"]}
    work.mkdir(parents=True, exist_ok=True)
    src = work / "semeval2022-articles.jsonl"
    src.write_text("\n".join(json.dumps(a) for a in articles.values()), encoding="utf-8")
    started = time.perf_counter()
    with Workspace(db) as ws:
        ws.ingest([src])
        ws.analyse()
    return db, time.perf_counter() - started


def pair_scores(db: Path, pairs: list[dict[str, Any]]) -> tuple[dict[str, np.ndarray], list[int]]:
    """Per signal, the score of each pair that both sides of survived analysis."""
    from newsprism.cluster.batch import featurise, pending
    from newsprism.cluster.similarity import Scorer, Weights
    from newsprism.cluster.vocab import Vocabulary

    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    items = pending(conn, 1_000_000)
    vocab = Vocabulary({}, np.zeros(0, np.int64), 0)
    feats = {f.key: f for f in featurise(items, vocab, 1)}
    key_of = dict(conn.execute("SELECT id, key FROM articles").fetchall())
    kept, left, right = [], [], []
    for i, pair in enumerate(pairs):
        a, b = (key_of.get(pair[s]["id"]) for s in ("article1", "article2"))
        if a in feats and b in feats and a != b:
            kept.append(i)
            left.append(feats[a])
            right.append(feats[b])
    full = Weights()
    zero = replace(full, lexical=0.0, embedding=0.0, entities=0.0, quantities=0.0, frames=0.0)
    variants = {
        "lexical": replace(zero, lexical=1.0),
        "embedding": replace(zero, embedding=1.0),
        "entities": replace(zero, entities=1.0),
        "shared figure": replace(zero, quantities=1.0),
        "shared event frame": replace(zero, frames=1.0),
        "score without figures": replace(full, quantities=0.0),
        "score without frames": replace(full, frames=0.0),
        "score without either": replace(full, quantities=0.0, frames=0.0),
        "score (defaults)": full,
    }
    out = {}
    for name, weights in variants.items():
        scorer = Scorer(vocab, weights)
        pairs_of = zip(left, right, strict=True)
        out[name] = np.array([scorer.matrix([x], [y])[0, 0] for x, y in pairs_of])
    conn.close()
    return out, kept


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pairs", nargs="?", type=Path, default=EVAL)
    parser.add_argument("--work", type=Path, help="keep the analysed database here")
    args = parser.parse_args()
    if not args.pairs.exists():
        print(f"skipped: {args.pairs} not found; the sets live in ../shared/eval")
        return 0
    pairs = load(args.pairs)
    tmp = None if args.work else tempfile.mkdtemp(prefix="pair-eval-")
    try:
        db, prep = analysed_db(pairs, args.work or Path(str(tmp)))
        scores, kept = pair_scores(db, pairs)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    overall = np.array([pairs[i]["overall"] for i in kept], np.float64)
    same = np.array([bool(pairs[i]["same_story"]) for i in kept])
    note = f"ingest + analysis {prep:.0f} s" if prep else "analysed db from --work"
    print(f"{len(kept)} of {len(pairs)} pairs scored ({same.sum()} same story; {note})")
    print(f"{'signal':<24} {'Spearman rho':>12} {'AUC same':>9}")
    for name, values in scores.items():
        rho = spearmanr(values, -overall).statistic
        print(f"{name:<24} {rho:>12.3f} {roc_auc_score(same, values):>9.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
