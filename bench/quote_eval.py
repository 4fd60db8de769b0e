"""Quote detection and speaker attribution on PolNeAR (issue 13), beside a baseline.

Gold: ../shared/eval/polnear/<split>/ (see its README): every attribution whose content
holds a direct quotation (`quotes.jsonl`: source, cue, content, the spans inside the
quote marks) and every other attribution (`quotes_indirect.jsonl`).

Measures, per the issue:

- **direct-quote detection**: a gold quote is *found* when newsprism's direct or partial
  quotes cover >= 50% of the characters inside its marks (recall); a predicted direct
  quote is *right* when >= 50% of its characters lie inside some gold content span,
  direct or indirect (precision);
- **speaker accuracy** on found quotes whose gold source is a name: the speaker of the
  overlapping predicted quote with the most overlap that names one; correct when it
  shares a name token with the gold source (case-insensitive, >= 3 letters, title and
  party words ignored), else wrong; "none" when no overlapping quote names anyone;
- **pronoun and description sources**: how often a speaker, or a speaker or a kept
  description, is given;
- **indirect speech**: gold paraphrase contents covered >= 50% by predicted indirect
  quotes, and predicted indirect quotes inside some gold content;
- **baseline** (same run, same found quotes): the nearest PERSON mention (by characters)
  in the quote's sentence or the sentence before, outside the quote.

Two engines produce the predictions:

- `pipeline` (the figures to report): ingest + `analyse` into a database cached at
  `--db` (default under the system temp folder), read back through `Workspace.article`,
  i.e. what `article ID --json` prints;
- `parse` (for iterating): the same mention and quote extractors on spaCy parses cached
  as a DocBin, without the cross-article entity merge (speakers keep their in-article
  names, which the token match scores the same).

    .venv/bin/python bench/quote_eval.py [--split dev] [--offset N] [--limit N]
        [--engine pipeline|parse]
        [--fresh] [--details FILE.jsonl]

(`--offset 600 --limit 120` scores train[600:720]: error examples come from one slice of
train while others stay unseen, as a check on over-fitting.)

Exits 0 with a message when the evaluation data is absent.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

EVAL = Path(
    os.environ.get("NEWSPRISM_EVAL", Path(__file__).resolve().parents[1].parent / "shared" / "eval")
)
DIRECT_KINDS = frozenset({"direct", "partial"})
FOUND_SHARE = 0.5  # the rule: a quote is found when half its characters are covered
# Words a speaker and a gold source can share without naming the same person.
NOT_NAMES = frozenset(
    [
        "president",
        "senator",
        "sen",
        "rep",
        "gov",
        "governor",
        "secretary",
        "republican",
        "republicans",
        "democrat",
        "democrats",
        "democratic",
        "gop",
        "former",
        "candidate",
        "nominee",
        "presidential",
        "vice",
        "chairman",
        "chair",
        "spokesman",
        "spokeswoman",
        "the",
        "and",
        "campaign",
        "party",
        "house",
        "white",
        "state",
        "senate",
        "congress",
        "congressman",
        "congresswoman",
        "speaker",
        "leader",
        "rev",
        "general",
        "attorney",
        "said",
    ]
)


@dataclass(slots=True)
class Article:
    """One article as the scorer needs it (the `article ID --json` fields it reads)."""

    id: str
    text: str
    sentences: list[tuple[int, int]]
    persons: list[tuple[int, int, str]]
    quotes: list[dict[str, Any]]


@dataclass(slots=True)
class Tally:
    """Counts behind one column of the table."""

    counts: Counter[str] = field(default_factory=Counter)

    def rate(self, part: str, whole: str) -> str:
        n = self.counts[whole]
        return f"{self.counts[part] / n:.3f}" if n else "-"


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def name_tokens(text: str | None) -> set[str]:
    """Lower-cased name words of a speaker or source ("Sen. Ted Cruz" -> {ted, cruz})."""
    words = re.findall(r"[^\W\d_]{3,}", (text or "").lower())
    return {w for w in words if w not in NOT_NAMES}


def covered(spans: list[tuple[int, int]], cover: list[tuple[int, int]]) -> int:
    """Characters of `spans` inside the union of `cover`."""
    hit = set()
    for s, e in cover:
        hit.update(range(s, e))
    return sum(1 for s, e in spans for i in range(s, e) if i in hit)


# ----------------------------------------------------------------- predictions


def pipeline_articles(rows: list[dict[str, Any]], db: Path, fresh: bool) -> list[Article]:
    """Ingest and analyse (or reuse `db`), then read each article as the CLI shows it."""
    from newsprism import Workspace

    if fresh and db.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    with Workspace(db) as ws:
        if not ws.articles():
            src = db.with_suffix(".jsonl")
            src.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
            ws.ingest([src])
            ws.analyse()
        out = []
        for row in rows:
            got = ws.article(row["id"])
            if got is None:
                continue
            sents = [(s["start"], s["end"]) for s in got["sentences"]]
            persons = [
                (m["start"], m["end"], m["text"]) for m in got["entities"] if m["type"] == "PERSON"
            ]
            out.append(Article(row["id"], got["text"], sents, persons, got["quotes"]))
    return out


def parse_articles(rows: list[dict[str, Any]], cache: Path) -> list[Article]:
    """The extractors on cached spaCy parses (see the module docstring)."""
    from spacy.tokens import DocBin

    from newsprism.analyse.entities import extract_mentions
    from newsprism.analyse.nlp import load_spacy
    from newsprism.analyse.quotes import extract_quotes
    from newsprism.settings import load_settings

    nlp = load_spacy(load_settings(None).spacy_model)
    texts = [r["text"].strip() for r in rows]
    if cache.exists():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
    else:
        docs = list(nlp.pipe(texts, batch_size=16))
        DocBin(docs=docs).to_disk(cache)
    out = []
    for row, doc in zip(rows, docs, strict=True):
        mentions = extract_mentions(doc)
        quotes = [_quote_dict(q) for q in extract_quotes(doc, mentions)]
        sents = [(s.start_char, s.end_char) for s in doc.sents]
        persons = [(m.start, m.end, m.text) for m in mentions if m.type == "PERSON"]
        out.append(Article(row["id"], doc.text, sents, persons, quotes))
    return out


def _quote_dict(q: Any) -> dict[str, Any]:
    fields = getattr(q, "__slots__", ())
    return {name: getattr(q, name) for name in fields}


# ----------------------------------------------------------------- scoring


def _spans(gold: dict[str, Any]) -> list[tuple[int, int]]:
    return [(s, e) for s, e in gold["quote_spans"]]


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _predicted_speaker(gold: dict[str, Any], quotes: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The overlapping predicted quote with the most overlap that names a speaker, else
    the one with the most overlap (whose description may still be given)."""
    best: tuple[int, int, dict[str, Any]] | None = None
    for q in quotes:
        if q.get("kind", "direct") not in DIRECT_KINDS:
            continue
        ov = sum(_overlap((q["start"], q["end"]), s) for s in _spans(gold))
        if ov <= 0:
            continue
        key = (1 if q.get("speaker") else 0, ov)
        if best is None or key > best[:2]:
            best = (*key, q)
    return best[2] if best else None


def _baseline(gold: dict[str, Any], art: Article) -> str | None:
    """Nearest PERSON mention in the quote's sentence or the one before, outside it."""
    start, end = gold["quote_spans"][0][0], gold["quote_spans"][-1][1]
    idx = next((i for i, (s, e) in enumerate(art.sentences) if s <= start < e), None)
    if idx is None:
        return None
    lo = art.sentences[max(idx - 1, 0)][0]
    hi = art.sentences[idx][1]
    best: tuple[int, str] | None = None
    for s, e, text in art.persons:
        if s < lo or e > hi or any(_overlap((s, e), q) for q in _spans(gold)):
            continue
        dist = start - e if e <= start else max(0, s - end)
        if best is None or dist < best[0]:
            best = (dist, text)
    return best[1] if best else None


def score(
    arts: list[Article], direct: list[dict[str, Any]], indirect: list[dict[str, Any]], details: Any
) -> dict[str, Tally]:
    by_art = {a.id: a for a in arts}
    sysT, baseT = Tally(), Tally()
    contents: dict[str, list[tuple[int, int]]] = {}
    for g in direct + indirect:
        contents.setdefault(g["article"], []).extend(tuple(f) for f in g["content"]["fragments"])
    for art in arts:  # precision of direct quotes; indirect precision
        for q in art.quotes:
            kind = q.get("kind", "direct")
            span = (q["start"], q["end"])
            inside = covered([span], contents.get(art.id, []))
            tag = "pred" if kind in DIRECT_KINDS else "ipred"
            sysT.counts[tag] += 1
            if span[1] > span[0] and inside / (span[1] - span[0]) >= FOUND_SHARE:
                sysT.counts[tag + "_ok"] += 1
    for g in indirect:
        art = by_art.get(g["article"])
        if art is None:
            continue
        sysT.counts["igold"] += 1
        frags = [tuple(f) for f in g["content"]["fragments"]]
        cover = [(q["start"], q["end"]) for q in art.quotes if q.get("kind") == "indirect"]
        total = sum(e - s for s, e in frags)
        if total and covered(frags, cover) / total >= FOUND_SHARE:  # type: ignore[arg-type]
            sysT.counts["igold_found"] += 1
    for g in direct:
        art = by_art.get(g["article"])
        if art is None:
            continue
        _score_direct(g, art, sysT, baseT, details)
    return {"newsprism": sysT, "baseline": baseT}


def _score_direct(g: dict[str, Any], art: Article, sysT: Tally, baseT: Tally, details: Any) -> None:
    sysT.counts["gold"] += 1
    spans = _spans(g)
    cover = [(q["start"], q["end"]) for q in art.quotes if q.get("kind", "direct") in DIRECT_KINDS]
    total = sum(e - s for s, e in spans)
    if not total or covered(spans, cover) / total < FOUND_SHARE:
        if details:
            details.write(
                json.dumps({"gold": g["id"], "error": "missed", "quote": g["quote_text"][:80]})
                + "\n"
            )
        return
    sysT.counts["found"] += 1
    kind = g["source_kind"]
    gold_names = name_tokens((g.get("source") or {}).get("text"))
    pred = _predicted_speaker(g, art.quotes)
    speaker = pred.get("speaker") if pred else None
    described = pred.get("speaker_description") if pred else None
    for tally, who in ((sysT, speaker), (baseT, _baseline(g, art))):
        tally.counts[kind] += 1
        if who:
            tally.counts[kind + "_given"] += 1
        if who or (tally is sysT and described):
            tally.counts[kind + "_given_or_desc"] += 1
        if kind == "named":
            verdict = "none" if not who else ("right" if name_tokens(who) & gold_names else "wrong")
            tally.counts["named_" + verdict] += 1
            if tally is sysT and details and verdict != "right":
                _detail(details, g, art, verdict, speaker, pred)
            if tally is sysT and pred is not None:
                conf = "conf" if pred.get("confident") else "unconf"
                tally.counts[f"named_{conf}"] += 1
                tally.counts[f"named_{conf}_{verdict}"] += 1
        elif tally is sysT and details and kind == "description" and not (who or described):
            _detail(details, g, art, "desc-none", speaker, pred)


def _detail(out: Any, g: dict[str, Any], art: Article, error: str, speaker: Any, pred: Any) -> None:
    """One error line for reading: the gold source and cue, what was given, the context."""
    lo, hi = max(0, g["content"]["start"] - 150), g["content"]["end"] + 150
    row = {
        "gold": g["id"],
        "error": error,
        "source": g["source"]["text"],
        "cue": (g.get("cue") or {}).get("text"),
        "speaker": speaker,
        "attribution": pred.get("attribution") if pred else None,
        "context": art.text[lo:hi],
    }
    out.write(json.dumps(row) + "\n")


def print_table(t: dict[str, Tally], n_articles: int) -> None:
    s, b = t["newsprism"], t["baseline"]
    c = s.counts
    print(f"articles {n_articles}, gold direct quotes {c['gold']}, predicted direct {c['pred']}")

    def both(part: str, whole: str) -> tuple[str, str]:
        return s.rate(part, whole), b.rate(part, whole)

    rows = [
        ("direct detection recall", s.rate("found", "gold"), "-"),
        ("direct detection precision", s.rate("pred_ok", "pred"), "-"),
        (f"named sources (found: {c['named']}) right", *both("named_right", "named")),
        ("named: no speaker", *both("named_none", "named")),
        ("named: wrong speaker", *both("named_wrong", "named")),
        (f"confident ({c['named_conf']}): wrong", s.rate("named_conf_wrong", "named_conf"), "-"),
        (f"pronoun sources ({c['pronoun']}): speaker given", *both("pronoun_given", "pronoun")),
        (f"description sources ({c['description']}): speaker given",
         *both("description_given", "description")),
        ("description: speaker or description",
         s.rate("description_given_or_desc", "description"), "-"),
        (f"indirect recall (gold {c['igold']})", s.rate("igold_found", "igold"), "-"),
        (f"indirect precision (pred {c['ipred']})", s.rate("ipred_ok", "ipred"), "-"),
    ]  # fmt: skip
    width = max(len(r[0]) for r in rows)
    print(f"| {'measure':<{width}} | newsprism | nearest PERSON |")
    print(f"|{'-' * (width + 2)}|----------:|---------------:|")
    for name, sv, bv in rows:
        print(f"| {name:<{width}} | {sv:>9} | {bv:>14} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="dev", choices=["dev", "train"])
    parser.add_argument("--offset", type=int, default=0, help="skip the first N articles")
    parser.add_argument("--limit", type=int, default=None, help="then take N articles")
    parser.add_argument("--engine", default="pipeline", choices=["pipeline", "parse"])
    parser.add_argument("--db", type=Path, default=None, help="analysed database to (re)use")
    parser.add_argument("--fresh", action="store_true", help="re-analyse even if --db exists")
    parser.add_argument("--details", type=Path, default=None, help="write each error here")
    args = parser.parse_args()
    folder = EVAL / "polnear" / args.split
    if not (folder / "articles.jsonl").exists():
        print(f"skipped: {folder} not found (the eval data lives in ../shared/eval)")
        return 0
    everything = read_jsonl(folder / "articles.jsonl")
    end = None if args.limit is None else args.offset + args.limit
    rows = everything[args.offset : end]
    keep = {r["id"] for r in rows}
    direct = [g for g in read_jsonl(folder / "quotes.jsonl") if g["article"] in keep]
    indirect = [g for g in read_jsonl(folder / "quotes_indirect.jsonl") if g["article"] in keep]
    span = f"{args.offset}-{args.limit or 'all'}" if args.offset else f"{args.limit or 'all'}"
    stem = Path(tempfile.gettempdir()) / f"newsprism-quote-eval-{args.split}-{span}"
    if args.engine == "pipeline":
        arts = pipeline_articles(rows, args.db or stem.with_suffix(".db"), args.fresh)
    else:
        arts = parse_articles(rows, stem.with_suffix(".spacy"))
    details = args.details.open("w", encoding="utf-8") if args.details else None
    try:
        print_table(score(arts, direct, indirect, details), len(arts))
    finally:
        if details:
            details.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
