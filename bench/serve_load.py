"""Load test of the web app (issue 6): p50/p99 latency and errors at 50 concurrent clients.

Builds (or reuses) a generated store of 10k articles in ~1.6k stories
(bench/gen_fixture_db.py: real schema and migrations, briefs cached in the store),
serves it with `newsprism.serve.run` (what `newsprism serve` runs) in a separate
process on 127.0.0.1, and runs `--clients` concurrent clients (keep-alive HTTP/1.1 on
asyncio streams), each sending its next request as soon as the last one is answered (a
closed loop with no think time: the worst case for latency) until `--requests` have
been sent per route. Routes: the story list (random page of the first 20, random sort,
a quarter of them with a search) and a story page (a random story of all of them).

Pass 1 starts as soon as the server answers, while it is still rendering the most
recent stories ahead in the background; later passes run with every page cached.

    .venv/bin/python bench/serve_load.py [--articles 10000] [--clients 50] [--requests 2000]
        [--outlets]

`--outlets` (issue 16) first imports an outlet file giving each generated outlet a
lean, an owner and a kind, then adds outlet pages to the routes and a coverage filter
(`covered=lean:left,right`) to a quarter of the list requests.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_fixture_db import build

WORDS = ["flood", "strike", "Bergen", "summit", "court ruling", "Ana Novak", "fire", "xyzzy"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: Path, port: int) -> subprocess.Popen[bytes]:
    code = f"from newsprism.serve import run; run({str(db)!r}, port={port}, access_log=False)"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/stories.json?per_page=1"):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not start")


def list_url(rng: random.Random, outlets: bool = False) -> str:
    params = {"page": rng.randint(1, 20), "sort": rng.choice(["recent", "size"])}
    if rng.random() < 0.25:
        params["q"] = rng.choice(WORDS)
    if outlets and rng.random() < 0.25:
        params["covered"] = "lean:left,right"
        params["page"] = rng.randint(1, 5)
    return "/?" + urllib.parse.urlencode(params)


def import_outlets(db: Path) -> list[str]:
    """Give every generated outlet a lean, owner and kind; returns the outlet ids."""
    from gen_fixture_db import SOURCES

    from newsprism import Workspace
    from newsprism.outlets.identity import slug

    path = db.with_suffix(".outlets.csv")
    leans = ["left", "center", "right"]
    rows = ["name,domains,owner,kind,lean"]
    for i, name in enumerate(SOURCES):
        wire = "Wire" in name
        rows.append(
            f"{name},{slug(name)}.com,Group {i % 7},{'wire' if wire else 'newspaper'},"
            f"{leans[i % 3]}"
        )
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with Workspace(db) as ws:
        print(f"outlets: {ws.import_outlets(path).summary()}")
    return [slug(name) for name in SOURCES]


class Connection:
    """One keep-alive HTTP/1.1 connection on raw asyncio streams.

    A Python HTTP client costs more CPU per request than the server does (httpx's async
    pool capped this test near 100 req/s on 2 cores, while `wrk` measured the server at
    ~2000 req/s); this minimal client keeps the measurement about the server.
    """

    def __init__(self, port: int) -> None:
        self.port = port
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def get(self, path: str) -> int:
        if self.streams is None:
            self.streams = await asyncio.open_connection("127.0.0.1", self.port)
        reader, writer = self.streams
        writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        fields = dict(line.lower().split(": ", 1) for line in lines[1:] if ": " in line)
        await reader.readexactly(int(fields["content-length"]))
        return int(lines[0].split(" ", 2)[1])

    async def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


async def client(
    port: int,
    jobs: asyncio.Queue[tuple[str, str]],
    times: dict[str, list[float]],
    errors: dict[str, int],
) -> None:
    conn = Connection(port)
    while not jobs.empty():
        route, url = jobs.get_nowait()
        t0 = time.perf_counter()
        try:
            ok = await asyncio.wait_for(conn.get(url), timeout=30) == 200
        except (TimeoutError, OSError, asyncio.IncompleteReadError, KeyError, ValueError):
            ok = False
            await conn.close()
        times[route].append((time.perf_counter() - t0) * 1000)
        errors[route] += not ok
    await conn.close()


async def one_pass(
    port: int, stories: list[str], n: int, clients: int, seed: int, outlets: list[str]
) -> dict:
    rng = random.Random(seed)
    jobs: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
    order = [("list", list_url(rng, bool(outlets))) for _ in range(n)]
    order += [("story", f"/stories/{sid}") for sid in rng.choices(stories, k=n)]
    if outlets:
        order += [("outlet", f"/outlets/{oid}") for oid in rng.choices(outlets, k=n)]
    rng.shuffle(order)
    for job in order:
        jobs.put_nowait(job)
    routes = ["list", "story"] + (["outlet"] if outlets else [])
    times: dict[str, list[float]] = {r: [] for r in routes}
    errors = dict.fromkeys(routes, 0)
    t0 = time.perf_counter()
    await asyncio.gather(*(client(port, jobs, times, errors) for _ in range(clients)))
    return {"times": times, "errors": errors, "seconds": time.perf_counter() - t0}


def cpu_seconds(pid: int) -> float:
    """User + system CPU the process has used (Linux /proc; 0 elsewhere).

    Latency on a shared 2-core machine moves with whatever else runs; the server's CPU
    per request does not, so the report gives both."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def report(label: str, result: dict) -> None:
    total = sum(len(v) for v in result["times"].values())
    cpu = result.get("server_cpu", 0.0) * 1000 / total
    print(
        f"{label}: {total} requests in {result['seconds']:.1f} s "
        f"({total / result['seconds']:.0f} req/s); server CPU {cpu:.2f} ms/request; "
        f"machine load average {os.getloadavg()[0]:.1f}"
    )
    for route, ms in result["times"].items():
        q = statistics.quantiles(ms, n=100, method="inclusive")
        print(
            f"  {route:<6} n={len(ms):<5} p50={q[49]:6.1f} ms  p99={q[98]:6.1f} ms  "
            f"max={max(ms):6.1f} ms  errors={result['errors'][route]}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2000, help="per route and pass")
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--db", type=Path, help="reuse/keep the generated store here")
    parser.add_argument("--outlets", action="store_true", help="outlet registry + pages")
    args = parser.parse_args()
    db = args.db or Path(tempfile.mkdtemp(prefix="serve_load_")) / "load.db"
    if not db.exists():
        t0 = time.perf_counter()
        made = build(db, args.articles)
        print(
            f"built {made['articles']} articles / {made['stories']} stories "
            f"in {time.perf_counter() - t0:.1f} s -> {db}"
        )
    with sqlite3.connect(db) as conn:
        stories = [r[0] for r in conn.execute("SELECT id FROM stories")]
    outlets = import_outlets(db) if args.outlets else []
    port = free_port()
    server = start_server(db, port)
    try:
        for i in range(args.passes):
            before = cpu_seconds(server.pid)
            result = asyncio.run(
                one_pass(port, stories, args.requests, args.clients, seed=i, outlets=outlets)
            )
            result["server_cpu"] = cpu_seconds(server.pid) - before
            report(f"pass {i + 1} ({'just started' if i == 0 else 'warm'})", result)
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
