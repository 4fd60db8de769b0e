"""Replay a day of news through local feeds and `newsprism watch` (issue 15).

    python bench/watch.py [--limit 100] [--slots 144] [--slot-seconds 3] [--feeds 20]

The energy story chains set (../shared/eval/news_story_chains_energy, 100 dated articles
from ~20 outlets) is released in date order over `--slots` simulated ten-minute slots (a
day is 144), each slot lasting `--slot-seconds` real seconds. Articles go to `--feeds`
RSS feeds on a loopback server (tests/feedserver.py: ETag / Last-Modified, 304, gzip),
one outlet per feed, each feed showing its latest `--window` entries as real feeds do.
The watcher polls every feed once per slot (the poll interval is one simulated ten
minutes) and runs ingest → analyse → cluster → change log on what is new.

Prints: entries missed (released but never stored; target 0), duplicates stored
(target 0), requests per poll and how many were conditional / answered 304 in two
extra polls with nothing new, the time from a feed update to the story's change entry
(the moment the story page shows it; target < interval + 10 s), CPU seconds and peak
memory. Exits 0 with a message when the eval folder is absent.

All feeds are on one host here (127.0.0.1), so `watch_host_delay` is set to 0.02 s: the
default 1 s between requests to one host would, with 20 feeds on it, take 20 s a poll.
`watch_idle_factor` is 1 so that a feed quiet for a few slots is still polled every
slot; the back-off of quiet feeds trades this latency for fewer requests.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import threading
import time
import zlib
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))  # the loopback feed server of the tests

from feedserver import FeedServer, Route, rss  # noqa: E402

EVAL_CANDIDATES = [ROOT.parent / "shared" / "eval", ROOT.parents[1] / "shared" / "eval"]
DATASET = "news_story_chains_energy/clustering.jsonl"


def eval_dir() -> Path | None:
    return next((p for p in EVAL_CANDIDATES if (p / DATASET).is_file()), None)


def load(path: Path, limit: int) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    rows.sort(key=lambda r: (r.get("date") or "", r["id"]))
    return rows[:limit]


def plan(rows: list[dict[str, Any]], slots: int, feeds: int) -> dict[int, list[tuple[int, Any]]]:
    """Slot -> [(feed, article)]: date order spread evenly over the day, one outlet a feed."""
    out: dict[int, list[tuple[int, Any]]] = defaultdict(list)
    for rank, row in enumerate(rows):
        slot = rank * slots // len(rows)
        feed = zlib.crc32((row.get("source") or row["id"]).encode()) % feeds
        out[slot].append((feed, row))
    return out


def entry(row: dict[str, Any]) -> dict[str, Any]:
    published = (row.get("date") or "2021-06-01") + "T12:00:00Z"
    return {"key": row["id"], "title": row["title"], "text": row["text"], "published": published}


class Release(threading.Thread):
    """Publishes each slot's articles on their feeds at the slot's real time."""

    def __init__(self, server: FeedServer, schedule: dict, args: argparse.Namespace) -> None:
        super().__init__(daemon=True)
        self.server, self.schedule, self.args = server, schedule, args
        self.released: dict[str, float] = {}  # article id -> real time it went live
        self.feed_items: dict[int, list[dict[str, Any]]] = defaultdict(list)
        self.done = threading.Event()
        for feed in range(args.feeds):
            self._publish(feed)

    def _publish(self, feed: int) -> None:
        items = self.feed_items[feed][-self.args.window :][::-1]  # newest first
        body = rss(f"Feed {feed}", items) if items else rss(f"Feed {feed}", [])
        self.server.set(f"/feed{feed}.xml", Route(body))

    def run(self) -> None:
        start = time.time()
        for slot in range(self.args.slots):
            time.sleep(max(0.0, start + slot * self.args.slot_seconds - time.time()))
            touched = set()
            for feed, row in self.schedule.get(slot, []):
                self.feed_items[feed].append(entry(row))
                touched.add(feed)
            now = time.time()
            for feed in touched:
                self._publish(feed)
            for _feed, row in self.schedule.get(slot, []):
                self.released[row["id"]] = now
        self.done.set()


def main() -> int:
    args = parse_args()
    folder = eval_dir()
    if folder is None:
        print(f"no eval data ({DATASET}) under ../shared/eval: nothing to measure")
        return 0
    from newsprism import Workspace
    from newsprism.watch import FeedSource, Watcher

    rows = load(folder / DATASET, args.limit)
    schedule = plan(rows, args.slots, args.feeds)
    settings = {"watch_host_delay": 0.02, "watch_idle_factor": 1.0, "fetch_timeout": 10.0}
    work = Path(tempfile.mkdtemp(prefix="bench-watch-"))
    with FeedServer() as server, Workspace(work / "watch.db", settings) as ws:
        feeds = [FeedSource(server.url(f"/feed{i}.xml"), f"Feed {i}") for i in range(args.feeds)]
        release = Release(server, schedule, args)
        watcher = Watcher(ws, feeds, interval=args.slot_seconds)
        latency: dict[str, float] = {}
        cycles: list[Any] = []

        def on_cycle(report: Any) -> None:
            cycles.append(report)
            now = time.time()
            for change in report.changes:
                for joined in change.articles:
                    base = joined.id.split("~")[0]
                    if base in release.released and base not in latency:
                        latency[base] = now - release.released[base]
            if release.done.is_set() and len(latency) >= len(release.released):
                watcher.stop.set()

        from newsprism.watch.loop import warm_models

        warm_models(ws)  # as `watch` does before polling when it runs until stopped
        started = time.time()
        release.start()
        watcher.run(None, on_cycle=on_cycle)
        replay = time.time() - started
        quiet = quiet_polls(server, watcher, args.feeds)
        report(ws, rows, release, latency, cycles, quiet, replay, args)
        watcher.close()
    return 0


def quiet_polls(server: FeedServer, watcher: Any, feeds: int) -> list[tuple[int, int, int]]:
    """Two more polls with nothing new: (requests, conditional, 304) for each."""
    out = []
    for _ in range(2):
        before = len(server.hits)
        watcher.stop.clear()
        watcher.run(1)
        hits = server.hits[before:]
        out.append(
            (len(hits), sum(h.conditional for h in hits), sum(h.status == 304 for h in hits))
        )
    return out


def report(
    ws: Any,
    rows: list[dict[str, Any]],
    release: Release,
    latency: dict[str, float],
    cycles: list[Any],
    quiet: list[tuple[int, int, int]],
    replay: float,
    args: argparse.Namespace,
) -> None:
    stored = [r[0] for r in ws.db.conn.execute("SELECT id FROM articles")]
    sightings = ws.db.conn.execute("SELECT COUNT(*) FROM sightings").fetchone()[0]
    base_ids = [s.split("~")[0] for s in stored]
    missed = sorted(set(release.released) - set(base_ids))
    duplicates = len(base_ids) - len(set(base_ids))
    waits = sorted(latency.values())
    usage = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime + children.ru_utime + children.ru_stime
    busy = [c for c in cycles if c.analysed]
    print(f"replayed {len(rows)} articles over {args.slots} slots of {args.slot_seconds:g} s")
    print(f"({args.feeds} feeds, window {args.window}) in {replay:.0f} s; {len(cycles)} cycles")
    print()
    print("| measure | value | target |")
    print("|---|---|---|")
    print(f"| entries released | {len(release.released)} | |")
    print(f"| entries missed | {len(missed)} | 0 |")
    print(f"| duplicates stored (same entry twice) | {duplicates} | 0 |")
    print(f"| sightings recorded / articles stored | {sightings} / {len(stored)} | equal |")
    for n, (requests, conditional, unchanged) in enumerate(quiet, start=1):
        print(
            f"| quiet poll {n}: requests / conditional / 304 | {requests} / {conditional} /"
            f" {unchanged} | {args.feeds} / {args.feeds} / {args.feeds} |"
        )
    if waits:
        p90 = waits[min(len(waits) - 1, int(0.9 * len(waits)))]
        print(
            f"| feed update → story change logged: median / p90 / max s |"
            f" {statistics.median(waits):.1f} / {p90:.1f} / {waits[-1]:.1f} |"
            f" < {args.slot_seconds + 10:g} |"
        )
    print(
        f"| stories changed, articles timed | {len(latency)} timed of {len(release.released)} | |"
    )
    for stage in ("analyse", "cluster+changes"):
        times = [c.stages.get(stage, 0.0) for c in busy]
        if times:
            print(f"| {stage} in a busy cycle: median / max s | {_spread(times)} | |")
    if busy:
        print(f"| busy cycle in all: median / max s | {_spread([c.seconds for c in busy])} | |")
    print(f"| CPU s (process + workers) | {cpu:.0f} | |")
    print(f"| peak memory MB | {usage.ru_maxrss / 1024:.0f} | |")
    if missed:
        print("missed:", ", ".join(missed[:20]))


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):.1f} / {max(values):.1f}"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=100, help="articles to replay")
    parser.add_argument("--slots", type=int, default=144, help="ten-minute slots (144 = a day)")
    parser.add_argument("--slot-seconds", type=float, default=3.0, help="real seconds a slot")
    parser.add_argument("--feeds", type=int, default=20)
    parser.add_argument("--window", type=int, default=20, help="entries a feed shows")
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(main())
