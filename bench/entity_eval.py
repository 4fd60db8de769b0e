"""Cross-document entity merging on ECB+ gold chains (issue 13), beside two baselines.

    python bench/entity_eval.py [--split train,dev] [--work DIR] [--limit N] [--errors N]

Gold: the mentions of named human participants, non-human participants and locations in
the fully annotated sentences whose chain is a cross-document instance (not an
`INTRA_`/`SINGLETON_` chain). "Named" means that after leading function words ("in",
"the") every word is capitalised or a function word: "in New Orleans" and "Bank of
America" are names, "a bank in Athens" and "herself" are not. Its *head word* is the
last word of its first run of capitalised words ("the Indianapolis Colts" -> "Colts",
"President of the United States" -> "President").

Scope: each topic is scored on its own (the usual gold-topic setting of ECB+
coreference), gold and predicted clusters alike: ECB+ annotates most entities anew in
each topic, so a correct corpus-wide "Obama" would otherwise count as a wrong merge of
two chains. newsprism itself still merges over the whole corpus.

Text: each ECB+ sentence is its tokens joined by spaces, sentences one a line (the URL
line of ecbplus documents dropped), so token offsets map exactly to character offsets.
Documents go in file order, which is ingestion order for the merge.

Predicted: the canonical entity (its name, which finds its `entities` row) of the newsprism
mention covering the gold head word, after the cross-article merge run exactly as
`analyse` runs it (`extract_mentions` per article, then `resolve_entities` in order).
A gold mention that no newsprism mention covers is a miss: its own singleton cluster.
The spaCy parses are cached as a DocBin in `--work` (parsing the 772 visible articles
takes minutes; the merge seconds), keyed by the model and its components.

`--reverse` merges the articles in the opposite order (the parses are the same): the
difference is what ingestion order costs the merge.

Baselines, same gold mentions: exact string match (the mention text as written), and
the last capitalised word of the mention.

Measures: detection recall; B-cubed, pairwise and CoNLL F1 (mean of MUC, B-cubed,
CEAF-e). "all" scores the mentions as they are; "cross-doc" scores document-level
units, one per (document, gold chain, predicted entity), so agreeing within a document
earns nothing and only the links between documents count (a split inside a document
still costs).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsprism.cluster.metrics import PRF, bcubed, pairwise  # noqa: E402

# ../shared/eval from the repository (a worktree in wt/ looks one level further up).
EVAL = next(
    (p / "shared" / "eval" / "ecbplus" for p in ROOT.parents[:2] if (p / "shared").is_dir()),
    ROOT.parent / "shared" / "eval" / "ecbplus",
)


def wordset(words: str) -> frozenset[str]:
    """A lexicon written as one string, so the tables stay readable."""
    return frozenset(words.split())


GOLD_CATEGORIES = frozenset({"human_participant", "non_human_participant", "location"})
# Capitalised words that do not make a mention a name.
NOT_NAMES = wordset(
    "i he she it we they you his her its our their my your him them us me the a an this "
    "that these those who which what"
)
HEADLINE_SHARE = 0.6  # more than this share of words capitalised: a headline-case line
POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")  # the head of "Lohan's" is "Lohan"
IN_NAME_PUNCT = frozenset({".", "-", "&"})  # punctuation inside one name
# Lower-case words a name may hold ("Bank of America") or be introduced by ("in Paris").
FUNCTION_WORDS = wordset("in at on from near to of the a an and 's ' - , . by for de")


@dataclass(slots=True)
class Doc:
    id: str
    split: str
    text: str
    line_start: dict[int, int]  # corpus sentence number -> character offset of its line
    tokens: dict[int, list[str]]


@dataclass(slots=True)
class Gold:
    doc: str
    topic: str
    chain: str
    text: str
    head_start: int  # character span of the head word in the document text
    head_end: int


def load_docs(splits: set[str], limit: int | None) -> list[Doc]:
    docs = []
    with (EVAL / "documents.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["split"] not in splits:
                continue
            lines, starts, toks, pos = [], {}, {}, 0
            for sid, sent in zip(row["sentence_ids"], row["sentences"], strict=True):
                if row["url"] and sid == 0:  # ecbplus: sentence 0 is the URL
                    continue
                starts[sid], toks[sid] = pos, sent
                lines.append(" ".join(sent))
                pos += len(lines[-1]) + 1
            docs.append(Doc(row["doc_id"], row["split"], "\n".join(lines), starts, toks))
            if limit and len(docs) >= limit:
                break
    return docs


def _headline(tokens: list[str]) -> bool:
    """A line in headline case: most of its words capitalised."""
    words = [t for t in tokens if t[:1].isalpha()]
    return sum(t[:1].isupper() for t in words) > HEADLINE_SHARE * len(words)


def case_counts(docs: list[Doc]) -> Counter[tuple[str, bool]]:
    """How often each word is written capitalised or not where case is free to speak:
    neither first in its sentence nor in a headline-case line."""
    counts: Counter[tuple[str, bool]] = Counter()
    for doc in docs:
        for toks in doc.tokens.values():
            if _headline(toks):
                continue
            for t in toks[1:]:
                if t[:1].isalpha():
                    counts[t.lower(), t[:1].isupper()] += 1
    return counts


def _name_word(tokens: list[str], i: int, headline: bool, case: Counter[tuple[str, bool]]) -> bool:
    """A capitalised word that is a name, not a common word capitalised by position:
    "Police said" and "Police Arrest Man" capitalise "police", which the corpus writes
    in lower case elsewhere (truecasing by majority)."""
    tok = tokens[i]
    if not tok[:1].isupper() or tok.lower() in NOT_NAMES:
        return False
    first = all(not t[:1].isalnum() for t in tokens[:i])
    if not (first or headline):
        return True
    low = tok.lower()
    return case[low, False] <= case[low, True]


def _head(tokens: list[str], start: int, end: int, headline: bool, case: Counter) -> int | None:
    """Index of the head word of a named mention, or None if it is not a name.

    A name: after leading function words, every word a name word or a function word
    ("in New Orleans", "Bank of America"), not a description ("a bank in Athens"). The
    head: the last word of its first run of name words.
    """
    i = start
    while i < end and tokens[i] in FUNCTION_WORDS:
        i += 1
    if i == end:
        return None
    head, run_open = None, True
    for j in range(i, end):
        tok = tokens[j]
        if _name_word(tokens, j, headline, case):
            if run_open:
                head = j
        elif tok in FUNCTION_WORDS or not tok[:1].isalpha():
            run_open = head is None or (run_open and tok in IN_NAME_PUNCT)  # "Dr . Regina"
        else:
            return None
    return head


def load_gold(docs: list[Doc]) -> list[Gold]:
    by_id = {d.id: d for d in docs}
    case = case_counts(docs)
    out = []
    with (EVAL / "mentions.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            m = json.loads(line)
            doc = by_id.get(m["doc_id"])
            if doc is None or m["category"] not in GOLD_CATEGORIES:
                continue
            if not m["in_coref_sentences"] or m["chain_id"].startswith(("INTRA_", "SINGLETON_")):
                continue
            if m["sentence"] not in doc.line_start:
                continue
            toks = doc.tokens[m["sentence"]]
            i = _head(toks, m["tok_start"], m["tok_end"], _headline(toks), case)
            if i is None:
                continue
            start = doc.line_start[m["sentence"]] + sum(len(t) + 1 for t in toks[:i])
            end = start + len(POSSESSIVE.sub("", toks[i]) or toks[i])
            out.append(Gold(doc.id, m["topic"], m["chain_id"], m["text"], start, end))
    return out


def parsed_docs(docs: list[Doc], work: Path) -> Iterator[Any]:
    """spaCy docs of the texts, parsed as `analyse` parses them, cached in `work`."""
    from spacy.tokens import DocBin

    from newsprism.analyse.nlp import load_spacy
    from newsprism.analyse.sentences import add_line_rule
    from newsprism.settings import Settings

    nlp = add_line_rule(load_spacy(Settings().spacy_model))
    tag = f"{nlp.meta['name']}-{nlp.meta['version']}-{'-'.join(nlp.pipe_names)}"
    cache = work / f"ecbplus-{tag}-{len(docs)}-{docs[0].id}-{docs[-1].id}.spacy"
    if cache.exists():
        yield from DocBin().from_disk(cache).get_docs(nlp.vocab)
        return
    started = time.perf_counter()
    out = list(nlp.pipe((d.text for d in docs), batch_size=16))
    print(f"parsed {len(docs)} articles in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    work.mkdir(parents=True, exist_ok=True)
    DocBin(store_user_data=True, docs=out).to_disk(cache)
    yield from out


def newsprism_entities(
    docs: list[Doc], work: Path, reverse: bool = False
) -> dict[str, list[tuple[int, int, str]]]:
    """Per document, (start, end, entity) of each mention after the corpus merge; an
    entity is its canonical name, as `entities` rows are found by name. `reverse`
    merges the articles in the opposite order, to measure what ingestion order costs."""
    from newsprism.analyse.entities import EntityRegistry, extract_mentions
    from newsprism.analyse.pipeline import resolve_entities
    from newsprism.models import Analysis

    registry = EntityRegistry()
    out = {}
    local = []
    started = time.perf_counter()
    pairs = list(zip(docs, parsed_docs(docs, work), strict=True))
    for doc, parsed in reversed(pairs) if reverse else pairs:
        assert parsed.text == doc.text
        an = Analysis(lang="en", mentions=extract_mentions(parsed))
        resolve_entities(registry, an)
        out[doc.id] = [(m.start, m.end, m.canonical) for m in an.mentions]
        local.append(an.local_mentions)
    print(f"extract + merge: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    # what `load_registry` does at start-up: the merge replayed on the in-article names
    started, replayed = time.perf_counter(), EntityRegistry()
    for mentions in local:
        resolve_entities(replayed, Analysis(lang="", mentions=list(mentions)))
    took = time.perf_counter() - started
    count = sum(map(len, local))
    print(f"replay of the merge ({count} mentions): {took:.1f} s", file=sys.stderr)
    return out


def predict_newsprism(gold: list[Gold], found: dict[str, list[tuple[int, int, str]]]) -> list[str]:
    pred = []
    for i, g in enumerate(gold):
        keys = [k for s, e, k in found[g.doc] if s <= g.head_start and g.head_end <= e]
        pred.append(keys[0] if keys else f"<miss {i}>")
    return pred


def predict_exact(gold: list[Gold]) -> list[str]:
    return [g.text for g in gold]


def predict_last_capitalised(gold: list[Gold]) -> list[str]:
    out = []
    for i, g in enumerate(gold):
        caps = [w for w in g.text.split() if w[:1].isupper() and w.lower() not in NOT_NAMES]
        out.append(caps[-1] if caps else f"<none {i}>")
    return out


def _clusters(labels: Sequence[Hashable]) -> list[set[int]]:
    groups: dict[Hashable, set[int]] = defaultdict(set)
    for i, label in enumerate(labels):
        groups[label].add(i)
    return list(groups.values())


def muc(pred: Sequence[Hashable], gold: Sequence[Hashable]) -> PRF:
    """MUC (Vilain et al. 1995): links needed to rebuild one side from the other."""

    def score(keys: list[set[int]], other: Sequence[Hashable]) -> float:
        num = sum(len(k) - len({other[i] for i in k}) for k in keys)
        den = sum(len(k) - 1 for k in keys)
        return num / den if den else 1.0

    r, p = score(_clusters(gold), pred), score(_clusters(pred), gold)
    return PRF(p, r, 2 * p * r / (p + r) if p + r else 0.0)


def ceaf_e(pred: Sequence[Hashable], gold: Sequence[Hashable]) -> PRF:
    """Entity-based CEAF (Luo 2005): best one-to-one alignment of clusters by phi4."""
    from scipy.optimize import linear_sum_assignment

    keys, responses = _clusters(gold), _clusters(pred)
    sim = np.zeros((len(keys), len(responses)))
    index = {i: j for j, r in enumerate(responses) for i in r}
    for a, k in enumerate(keys):
        for i in k:
            b = index[i]
            if sim[a, b] == 0:
                sim[a, b] = 2 * len(k & responses[b]) / (len(k) + len(responses[b]))
    rows, cols = linear_sum_assignment(-sim)
    total = sim[rows, cols].sum()
    p, r = total / len(responses), total / len(keys)
    return PRF(p, r, 2 * p * r / (p + r) if p + r else 0.0)


@dataclass(slots=True)
class Scores:
    detected: float
    b3: PRF
    pair: PRF
    muc: PRF
    ceaf: PRF

    @property
    def conll(self) -> float:
        return (self.muc.f1 + self.b3.f1 + self.ceaf.f1) / 3


def score(pred: Sequence[str], gold: list[Gold], cross_doc: bool) -> Scores:
    detected = sum(not p.startswith("<") for p in pred) / len(gold)
    golds: Sequence[Hashable] = [(g.topic, g.chain) for g in gold]
    preds: Sequence[Hashable] = [(g.topic, p) for g, p in zip(gold, pred, strict=True)]
    if cross_doc:
        units = sorted({(g.doc, c, p) for g, c, p in zip(gold, golds, preds, strict=True)})
        golds, preds = [u[1] for u in units], [u[2] for u in units]
    return Scores(
        detected,
        bcubed(preds, golds),
        pairwise(preds, golds),
        muc(preds, golds),
        ceaf_e(preds, golds),
    )


COLUMNS = (
    "method", "scope", "detected", "B3 P", "B3 R", "B3 F1", "pair F1", "MUC F1", "CEAF-e F1",
    "CoNLL F1",
)  # fmt: skip


def table(results: dict[str, dict[str, Scores]]) -> str:
    columns = COLUMNS
    head = "| " + " | ".join(columns) + " |"
    lines = [head, "|" + "---|" * len(columns)]
    for method, scopes in results.items():
        for scope, s in scopes.items():
            lines.append(
                f"| {method} | {scope} | {s.detected:.3f} | {s.b3.precision:.3f} | "
                f"{s.b3.recall:.3f} | {s.b3.f1:.3f} | {s.pair.f1:.3f} | {s.muc.f1:.3f} | "
                f"{s.ceaf.f1:.3f} | {s.conll:.3f} |"
            )
    return "\n".join(lines)


def show_errors(pred: list[str], gold: list[Gold], n: int) -> None:
    """The largest wrong merges and splits, to read what goes wrong."""
    by_pred: dict[str, Counter[str]] = defaultdict(Counter)
    by_gold: dict[str, Counter[str]] = defaultdict(Counter)
    text_of: dict[str, Counter[str]] = defaultdict(Counter)
    for g, p in zip(gold, pred, strict=True):
        by_pred[p][g.chain] += 1
        by_gold[g.chain][p] += 1
        text_of[g.chain][g.text] += 1
    merges = sorted(
        ((p, c) for p, c in by_pred.items() if len(c) > 1),
        key=lambda pc: -(sum(pc[1].values()) - max(pc[1].values())),
    )
    print("\nwrong merges (predicted entity: gold chains by their commonest text)")
    for p, c in merges[:n]:
        parts = [f"{text_of[ch].most_common(1)[0][0]!r}x{k}" for ch, k in c.most_common(4)]
        print(f"  {p}: {', '.join(parts)}")

    def recall_lost(counts: Counter[str]) -> float:
        """B-cubed recall mass the chain loses: sum over its mentions of 1 - share."""
        size = sum(counts.values())
        return sum(n * (1 - n / size) for n in counts.values())

    splits = sorted(by_gold.items(), key=lambda gc: -recall_lost(gc[1]))
    print("\nsplits, by B-cubed recall lost (gold chain: predicted entities)")
    for ch, c in splits[:n]:
        parts = [f"{p}x{k}" for p, k in c.most_common(5)]
        print(f"  {text_of[ch].most_common(1)[0][0]!r}: {', '.join(parts)}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="train,dev", help="comma-separated ECB+ splits")
    ap.add_argument("--work", type=Path, default=Path("/tmp/newsprism-entity-eval"))
    ap.add_argument("--limit", type=int, default=None, help="first N documents only")
    ap.add_argument("--errors", type=int, default=0, help="show the N largest errors")
    ap.add_argument(
        "--reverse", action="store_true", help="merge in reverse order (order sensitivity)"
    )
    args = ap.parse_args(argv)
    if not (EVAL / "mentions.jsonl").exists():
        print(f"ECB+ not found at {EVAL}; nothing to measure.")
        return 0
    docs = load_docs(set(args.split.split(",")), args.limit)
    if not docs:
        print(f"no ECB+ documents of split {args.split!r} in {EVAL}; nothing to measure.")
        return 0
    gold = load_gold(docs)
    found = newsprism_entities(docs, args.work, args.reverse)
    methods = {
        "newsprism": predict_newsprism(gold, found),
        "exact string": predict_exact(gold),
        "last capitalised word": predict_last_capitalised(gold),
    }
    chains = len({g.chain for g in gold})
    print(f"ECB+ {args.split}: {len(docs)} articles, {len(gold)} gold mentions, {chains} chains\n")
    results = {
        name: {scope: score(pred, gold, scope == "cross-doc") for scope in ("all", "cross-doc")}
        for name, pred in methods.items()
    }
    print(table(results))
    if args.errors:
        show_errors(methods["newsprism"], gold, args.errors)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
