"""Clustering at scale: 10k and 100k synthetic articles through `cluster_new`.

    python bench/cluster_scale.py [--sizes 10000,100000] [--batch N]

No models: each size gets a fresh temporary database whose tables are filled directly
with articles that look like news to the clusterer. Events belong to topics; an event's
articles share its vector direction (topic + event + per-article noise), a handful of
its own words on top of its topic's vocabulary and a Zipfian background, 1-4 of its own
entities plus Zipf-drawn common ones ("Washington", "Reuters"), some of its event's
figures and event frames plus a Zipf-drawn common one of each, and a publication day
within a few days of the event. Event sizes are heavy-tailed (most events are one
article, a few have dozens), articles arrive in time order at a constant daily volume
(300 a day: 10k articles span 33 days, 100k 333), and 2% are near-duplicates of an
earlier report of their event. Each size is filled, then clustered, in its own process, so the
figures are that size's alone: wall and CPU time of `cluster_new` and peak RSS of the
clustering process. The check: CPU time grows at most 12x for 10x the articles (CPU time,
because wall time on a shared 2-core machine mostly measures the neighbours).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np

DIM = 384
WORDS = [f"w{i}" for i in range(30_000)]
PER_DAY = 300  # a stream keeps its daily volume: 10k articles span 33 days, 100k 333
START = date(2024, 1, 1).toordinal()


def _zipf(rng: np.random.Generator, n: int, size: int, a: float = 1.2) -> np.ndarray:
    ranks = np.arange(1, n + 1, dtype=np.float64)
    p = ranks**-a
    return rng.choice(n, size=size, p=p / p.sum())


def _events(rng: np.random.Generator, n_articles: int) -> list[dict]:  # type: ignore[type-arg]
    days = max(30, n_articles // PER_DAY)
    topics = rng.normal(size=(60, DIM)).astype(np.float32)
    topic_words = [rng.choice(len(WORDS), 40, replace=False) for _ in topics]
    events, total = [], 0
    while total < n_articles:
        size = int(min(1 + rng.zipf(2.0) - 1 + (rng.random() < 0.5), 80))
        t = int(rng.integers(len(topics)))
        events.append(
            {
                "id": len(events),
                "topic": t,
                "vec": topics[t] + 1.2 * rng.normal(size=DIM).astype(np.float32),
                "words": rng.choice(len(WORDS), 8, replace=False),
                "entities": [f"Entity {int(e)}" for e in rng.integers(0, 200_000, 1 + size % 4)],
                "figures": [(f"w{int(u)}", float(v)) for u, v in rng.integers(0, 30_000, (2, 2))],
                "frames": [
                    ("subject" if rng.random() < 0.5 else "object", f"w{int(a)}", f"w{int(b)}")
                    for a, b in rng.integers(0, 30_000, (3, 2))
                ],
                "day": int(rng.integers(0, days)),
                "size": size,
            }
        )
        total += size
    return [{**e, "topic_words": topic_words[e["topic"]]} for e in events]


def _article(rng: np.random.Generator, ev: dict, common: list[str]) -> tuple:  # type: ignore[type-arg]
    vec = ev["vec"] + 0.9 * rng.normal(size=DIM).astype(np.float32)
    vec /= np.linalg.norm(vec)
    words = np.concatenate(
        [
            rng.choice(ev["words"], 25),
            rng.choice(ev["topic_words"], 25),
            _zipf(rng, len(WORDS), 70),
        ]
    )
    rng.shuffle(words)
    text = " ".join(WORDS[i] for i in words) + "."
    title = " ".join(WORDS[i] for i in rng.choice(ev["words"], 6))
    ents = list(ev["entities"]) + [common[i] for i in _zipf(rng, len(common), 2)]
    figures = [ev["figures"][i] for i in rng.choice(2, int(rng.integers(0, 3)), replace=False)]
    figures.append((f"w{int(_zipf(rng, 500, 1)[0])}", 1.0))  # "1 person", "2 days": common
    frames = [ev["frames"][i] for i in rng.choice(3, int(rng.integers(0, 4)), replace=False)]
    frames.append(("subject", "w1", f"w{int(_zipf(rng, 500, 1)[0])}"))
    day = ev["day"] + int(rng.integers(0, 3))
    return vec, title, text, (ents, figures, frames), day, ev["id"]


def fill(path: str, n: int, seed: int = 7) -> None:
    """A database of `n` synthetic analysed articles (see the module docstring)."""
    from newsprism.store.database import Database, utcnow

    rng = np.random.default_rng(seed)
    common = [f"Common {i}" for i in range(2000)]
    rows = []
    for ev in _events(rng, n):
        for _ in range(ev["size"]):
            rows.append(_article(rng, ev, common))
    rows = sorted(rows[:n], key=lambda r: r[4])
    db = Database(path)
    now = utcnow()
    with db.write() as conn:
        last_of: dict[int, str] = {}  # a near-duplicate reprints an earlier report of its event
        for seq, (vec, title, text, ents, day, event) in enumerate(rows, 1):
            dup = last_of.get(event) if rng.random() < 0.02 else None
            key = hashlib.sha1(f"{seq}".encode()).hexdigest()[:20]
            last_of[event] = key
            published = date.fromordinal(START + day).isoformat()
            meta = json.dumps({"event": event})
            _insert(conn, key, seq, title, text, published, dup, vec, ents, now, meta)
    db.close()


def _insert(conn, key, seq, title, text, published, dup, vec, evidence, now, meta) -> None:  # type: ignore[no-untyped-def]
    ents, figures, frames = evidence
    conn.execute(
        "INSERT INTO articles (key, id, title, text, source, published, words, duplicate_of,"
        " meta, ingested_at, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (key, f"a{seq}", title, text, f"src{seq % 50}", published, 120, dup, meta, now, seq),
    )
    conn.execute(
        "INSERT INTO analyses (article_key, lang, analysed_at) VALUES (?, 'en', ?)", (key, now)
    )
    conn.execute("INSERT INTO article_vectors VALUES (?, ?)", (key, vec.tobytes()))
    for name in ents:
        conn.execute("INSERT OR IGNORE INTO entities (name, type) VALUES (?, 'ORG')", (name,))
        conn.execute(
            'INSERT INTO mentions (article_key, start, "end", text, type, entity_id)'
            " SELECT ?, 0, 1, ?, 'ORG', id FROM entities WHERE name = ? AND type = 'ORG'",
            (key, name, name),
        )
    conn.executemany(
        'INSERT INTO quantities (article_key, start, "end", text, kind, value, unit)'
        " VALUES (?, 0, 1, 'n', 'count', ?, ?)",
        [(key, value, unit) for unit, value in figures],
    )
    conn.executemany(
        "INSERT INTO frames (article_key, kind, verb, arg, source) VALUES (?, ?, ?, ?, 'lead')",
        [(key, *frame) for frame in frames],
    )


def cluster(path: str, batch: int | None) -> dict:  # type: ignore[type-arg]
    from newsprism.cluster.metrics import bcubed
    from newsprism.cluster.stories import cluster_new
    from newsprism.settings import Settings
    from newsprism.store.database import Database

    db = Database(path)
    settings = Settings({"cluster_batch_size": batch} if batch else {})
    started, cpu0 = time.perf_counter(), time.process_time()
    report = cluster_new(db, settings)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = db.conn.execute(
        "SELECT s.story_id, a.meta FROM story_articles s JOIN articles a ON a.key = s.article_key"
    ).fetchall()
    db.close()
    f1 = bcubed([r[0] for r in rows], [json.loads(r[1])["event"] for r in rows]).f1
    return {
        "seconds": seconds,
        "cpu": cpu,
        "peak_mb": peak_mb,
        "stories": len({r[0] for r in rows}),
        "batches": report.batches,
        "bcubed_f1": f1,
    }


def _child(args: argparse.Namespace) -> None:
    if args.fill:
        fill(args.db, args.fill)
    else:
        print(json.dumps(cluster(args.db, args.batch)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--batch", type=int, default=None, help="cluster_batch_size")
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--fill", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.db:
        return _child(args)
    results = {}
    for n in [int(s) for s in args.sizes.split(",")]:
        with tempfile.TemporaryDirectory() as tmp:
            db = str(Path(tmp) / "scale.db")
            t0 = time.perf_counter()
            subprocess.run([sys.executable, __file__, "--db", db, "--fill", str(n)], check=True)
            fill_s = time.perf_counter() - t0
            cmd = [sys.executable, __file__, "--db", db] + (
                ["--batch", str(args.batch)] if args.batch else []
            )
            out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
            results[n] = json.loads(out.strip().splitlines()[-1])
            r = results[n]
            print(
                f"{n:>7} articles: cluster {r['seconds']:7.1f} s wall, {r['cpu']:7.1f} s CPU  "
                f"({n / r['seconds']:6.0f} articles/s)  peak RSS {r['peak_mb']:6.0f} MB  "
                f"{r['stories']} stories, {r['batches']} batches, B3 F1 {r['bcubed_f1']:.3f} "
                f"(fill {fill_s:.0f} s)",
                flush=True,
            )
    sizes = sorted(results)
    for a, b in itertools.pairwise(sizes):
        wall = results[b]["seconds"] / results[a]["seconds"]
        cpu = results[b]["cpu"] / results[a]["cpu"]
        verdict = "ok" if cpu <= 1.2 * b / a else "TOO SLOW"
        print(
            f"x{b / a:.0f} articles: CPU time x{cpu:.1f} ({verdict}, limit x{1.2 * b / a:.0f}),"
            f" wall time x{wall:.1f} (wall time depends on what else the machine runs)"
        )


if __name__ == "__main__":
    main()
