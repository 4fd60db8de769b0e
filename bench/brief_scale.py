"""Brief speed by story size: the time `build_brief` takes on 10 to 100 analysed articles.

Issue 5 sets the budget: a 50-article story is briefed in under a second once analysed.
The story is tests/scale_story.py's synthetic one (hand-built analysis, no model), so
only the brief is timed; each size is the best of --repeat runs after one warm-up,
since on a shared machine the best run is the one least disturbed by other jobs.

    .venv/bin/python bench/brief_scale.py [--sizes 10,25,50,100] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))  # the synthetic story of the scale test

from newsprism.report.brief import build_brief  # noqa: E402
from scale_story import build_story  # noqa: E402

BUDGET_S = 1.0  # issue 5: a 50-article story in under a second
BUDGET_SIZE = 50


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10,25,50,100")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    sizes = sorted(int(s) for s in a.sizes.split(","))
    with tempfile.TemporaryDirectory(prefix="brief-scale-") as tmp:
        ws = build_story(Path(tmp), max(sizes))
        keys = [r[0] for r in ws.db.conn.execute("SELECT key FROM articles ORDER BY id")]
        build_brief(ws.db, keys[:3], ws.settings)  # imports and caches
        print(f"load average {os.getloadavg()[0]:.1f}; best of {a.repeat} runs per size\n")
        print("| articles | brief s (best) | brief s (median) | claims | briefing items |")
        print("|---:|---:|---:|---:|---:|")
        failed = False
        for n in sizes:
            times, brief = [], {}
            for _ in range(a.repeat):
                t0 = time.perf_counter()
                brief = build_brief(ws.db, keys[:n], ws.settings)
                times.append(time.perf_counter() - t0)
            best, median = min(times), sorted(times)[len(times) // 2]
            print(f"| {n} | {best:.2f} | {median:.2f} | {len(brief['facts'])} |"
                  f" {len(brief['briefing'])} |")  # fmt: skip
            failed |= n == BUDGET_SIZE and best >= BUDGET_S
        ws.close()
    verdict = "NOT met" if failed else "met"
    print(f"\nbudget: {BUDGET_SIZE} articles in < {BUDGET_S:.0f} s: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
