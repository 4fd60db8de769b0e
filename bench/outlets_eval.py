"""Outlets (issue 16): outlet resolution on the eval sets, and coverage / blindspots on NeuS.

1. Resolution. Every distinct raw outlet string of ../shared/eval — NeuS outlet names,
   ECB+ URLs, the energy set's source hosts and URLs — resolved with the shipped
   registry: how many strings, how many outlets, every group of strings that became one
   outlet (where a wrong merge would show), and a seeded sample of 50 mappings to check
   by hand (bench/README.md lists them with the verdicts).
2. Coverage. The NeuS stories whose three articles carry AllSides `stance` labels: an
   outlet CSV built from those labels (one lean per outlet; its domain from the URLs) is
   imported, the gold stories are stored as stories (this measures outlets, not
   clustering), and each story's `coverage.lean` must be exactly one left, one center and
   one right. Then one side's article is removed from a third of the stories (left from
   some, right from others) and `blindspots --by lean` must list exactly those stories,
   each missing exactly the removed side.

    .venv/bin/python bench/outlets_eval.py [--sample 50] [--dump FILE]
    (NEWSPRISM_EVAL=/path/to/shared/eval when the repository is not beside it)
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
# ../shared/eval beside the repository; NEWSPRISM_EVAL for a worktree that lives elsewhere
EVAL = Path(os.environ.get("NEWSPRISM_EVAL") or ROOT.parent / "shared" / "eval")


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def raw_strings() -> dict[str, set[str]]:
    """Dataset -> distinct raw outlet strings (names, hosts or URLs)."""
    out: dict[str, set[str]] = defaultdict(set)
    for story in read_jsonl(EVAL / "neus_allsides" / "summarization.jsonl"):
        for a in story["articles"]:
            out["neus"].update(x for x in (a.get("source"), a.get("url")) if x)
    for row in read_jsonl(EVAL / "ecbplus" / "clustering.jsonl"):
        out["ecbplus"].update(x for x in (row.get("source"), row.get("url")) if x)
    for row in read_jsonl(EVAL / "news_story_chains_energy" / "clustering.jsonl"):
        out["energy"].update(x for x in (row.get("source"), row.get("url")) if x)
    return out


def resolution(sample: int, dump: Path | None) -> None:
    from newsprism.outlets.identity import looks_like_host
    from newsprism.outlets.registry import default_outlets
    from newsprism.outlets.resolve import Resolver, Signals

    resolver = Resolver(default_outlets())
    sets = raw_strings()
    mapping: dict[str, tuple[str, str, bool]] = {}
    print("| set | raw strings | outlets | registered outlets |\n|---|---:|---:|---:|")
    for name, raws in sorted(sets.items()):
        outs = set()
        for raw in raws:
            sig = Signals(url=raw) if looks_like_host(raw) else Signals(source=raw)
            o = resolver.outlet_of(sig)
            mapping[raw] = (o.id, o.name, o.registered)
            outs.add((o.id, o.registered))
        print(f"| {name} | {len(raws)} | {len(outs)} | {sum(r for _, r in outs)} |")
    every = set(mapping.values())
    print(
        f"| all | {len(mapping)} | {len({i for i, _, _ in every})} | "
        f"{len({i for i, _, r in every if r})} |"
    )
    groups: dict[str, list[str]] = defaultdict(list)
    for raw, (oid, _, _) in mapping.items():
        groups[oid].append(raw)
    print("\nNames and hosts that became one outlet (URLs of one host not shown):")
    for oid, raws in sorted(groups.items()):
        names = sorted({r for r in raws if not r.startswith("http")})
        if len(names) > 1 or (names and len(raws) > len(names) and not looks_like_host(names[0])):
            urls = len(raws) - len(names)
            print(f"  {oid}: {' | '.join(names)}" + (f" (+{urls} URLs)" if urls else ""))
    rng = random.Random(16)
    print(f"\nSample of {sample} mappings (seed 16) to check by hand:")
    for raw in rng.sample(sorted(mapping), min(sample, len(mapping))):
        oid, name, registered = mapping[raw]
        print(f"  {raw[:70]:<70} -> {name} [{oid}{'' if registered else ', unregistered'}]")
    if dump:
        dump.write_text(json.dumps(mapping, indent=1, sort_keys=True), encoding="utf-8")


def labelled_stories() -> list[dict]:
    stories = read_jsonl(EVAL / "neus_allsides" / "summarization.jsonl")
    return [s for s in stories if all(a.get("stance") for a in s["articles"])]


def outlet_csv(stories: list[dict], path: Path) -> dict[str, str]:
    """One row per outlet name with its lean; fails loudly if AllSides gave one outlet two."""
    from newsprism.outlets.identity import registered_domain

    lean: dict[str, str] = {}
    domains: dict[str, set[str]] = defaultdict(set)
    for story in stories:
        for a in story["articles"]:
            if lean.setdefault(a["source"], a["stance"]) != a["stance"]:
                raise SystemExit(f"{a['source']} has two stances: cannot build one file")
            if a.get("url") and (d := registered_domain(a["url"])):
                domains[a["source"]].add(d)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["name", "domains", "lean"])
        for name in sorted(lean):
            w.writerow([name, " ".join(sorted(domains[name])), lean[name]])
    return lean


def store_gold(ws, stories: list[dict]) -> dict[str, dict[str, str]]:
    """Ingest the labelled articles and store each NeuS story as a story; returns
    story id -> stance -> article id."""
    tmp = Path(tempfile.mkdtemp(prefix="outlets_eval_")) / "neus.jsonl"
    sides: dict[str, dict[str, str]] = {}
    with tmp.open("w", encoding="utf-8") as f:
        for s in stories:
            for i, a in enumerate(s["articles"]):
                aid = f"{s['id']}_a{i}"
                sides.setdefault(s["id"], {})[a["stance"]] = aid
                row = {
                    "id": aid,
                    "title": a["title"],
                    "text": a["text"] or a["title"],
                    "source": a["source"],
                    "url": a["url"],
                }
                f.write(json.dumps(row) + "\n")
    report = ws.ingest([str(tmp)])
    assert not report.rejected, report.rejected
    keys = dict(ws.db.conn.execute("SELECT id, key FROM articles"))
    with ws.db.write() as w:
        node = 0
        for sid, by_side in sides.items():
            first = keys[next(iter(by_side.values()))]
            w.execute(
                "INSERT INTO stories (id, seed_key, title_key, article_count, created_at,"
                " updated_at) VALUES (?, ?, ?, ?, 't', 't')",
                (sid, first, first, 3),
            )
            for aid in by_side.values():
                w.execute(
                    "INSERT INTO story_articles (node, article_key, story_id, how,"
                    " assigned_at) VALUES (?, ?, ?, 'seed', 't')",
                    (node, keys[aid], sid),
                )
                node += 1
    return sides


def coverage_check() -> None:
    from newsprism import Workspace

    stories = labelled_stories()
    work = Path(tempfile.mkdtemp(prefix="outlets_eval_"))
    lean = outlet_csv(stories, work / "allsides.csv")
    with Workspace(work / "neus.db") as ws:
        sides = store_gold(ws, stories)
        imported = ws.import_outlets(work / "allsides.csv")
        print(
            f"\nNeuS stories with stance labels: {len(sides)}; outlets in the file: {len(lean)}"
            f" ({imported.summary()})"
        )
        got = {s["id"]: s["coverage"].get("lean") for s in ws.stories()}
        exact = sum(got[sid] == {"left": 1, "center": 1, "right": 1} for sid in sides)
        print(
            f"coverage bars equal to the labels (one left, one center, one right): "
            f"{exact}/{len(sides)}"
        )
        for sid in sides:
            if got[sid] != {"left": 1, "center": 1, "right": 1}:
                print(f"  {sid}: {got[sid]}")
        before = ws.blindspots("lean")
        removed = {
            sid: ("left" if i % 6 == 0 else "right")
            for i, sid in enumerate(sorted(sides))
            if i % 3 == 0
        }
        with ws.db.write() as w:
            for sid, side in removed.items():
                w.execute(
                    "DELETE FROM story_articles WHERE article_key ="
                    " (SELECT key FROM articles WHERE id = ?)",
                    (sides[sid][side],),
                )
                w.execute("UPDATE stories SET article_count = 2 WHERE id = ?", (sid,))
        after = {r["id"]: r["blindspot"]["missing"] for r in ws.blindspots("lean")}
        expected = {sid: [side] for sid, side in removed.items()}
        print(
            f"blindspots before removal: {len(before)}; after removing one side from "
            f"{len(removed)} stories: {len(after)}; exactly those, each missing the removed "
            f"side: {after == expected}"
        )
        if after != expected:
            print(f"  expected {expected}\n  got {after}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sample", type=int, default=50)
    parser.add_argument("--dump", type=Path, help="write every raw -> outlet mapping here")
    args = parser.parse_args()
    if not (EVAL / "neus_allsides").is_dir():
        print(f"no evaluation data at {EVAL.resolve()}: nothing to measure")
        return
    resolution(args.sample, args.dump)
    coverage_check()


if __name__ == "__main__":
    sys.exit(main())
