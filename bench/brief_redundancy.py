"""Briefing redundancy (issue 12): does a briefing say each thing once?

On every ECB+ event (gold cluster) with at least MIN_ARTICLES articles, the event is
briefed as one story (the probe's cached analysed database and its `brief_story`, so
both measures brief the same way) and its briefing items are compared pairwise:

- a pair RESTATES when the MiniLM cosine of the two items is >= COSINE (newsprism's own
  embedding setting and model loader) or their content-word Jaccard is >= JACCARD;
- an item is a HEADLINE VARIANT when it is an article's title, or nearly (content-word
  Jaccard >= HEADLINE_JACCARD with one, or one contains the other), counting only the
  titles that are headlines (`is_headline`: ECB+'s ecb articles carry their lead sentence
  as title); a briefing with two or more is the issue's "eight variants of its headline".

Targets (issue 12): <= 5% restating pairs, no briefing with two headline variants.

    python bench/brief_redundancy.py [--min-articles 5] [--limit N] [--show 5] [--cache DIR]
        [--event T23_ecb ...]
"""

from __future__ import annotations

import argparse
import itertools
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
from contradiction_probe import (
    CACHE,
    EVAL,
    analysis_digest,
    brief_story,
    corpus_db,
    load_events,
    story_keys,
)
from spacy.lang.en.stop_words import STOP_WORDS

from newsprism import Workspace
from newsprism.analyse.embeddings import encode, torch_threads
from newsprism.analyse.nlp import load_embedder
from newsprism.settings import Settings, load_settings

MIN_ARTICLES = 5
COSINE = 0.8  # the restatement threshold for MiniLM
JACCARD = 0.6  # ... and for content words
HEADLINE_JACCARD = 0.7  # a title with a word or two changed is still that title
CONTAIN_RATIO = 0.6  # "X dies at 75" inside a 10-word sentence is the headline told again
# ECB+'s converter gives every article the first line of its text as `title`: the
# headline for most ecbplus articles, the lead sentence for ecb ones. A title that ends
# like a sentence and is this long is a lead, not a headline, and briefing a lead is no
# repetition of a headline.
LEAD_WORDS = 12


def content_words(text: str) -> set[str]:
    """Lower-cased words that are not stop words or numbers' punctuation.

    >>> sorted(content_words("Nixon Aide Fred LaRue Dies at 75"))
    ['75', 'aide', 'dies', 'fred', 'larue', 'nixon']
    """
    return {w for w in re.findall(r"\w+", text.lower()) if w not in STOP_WORDS}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def is_headline(title: str) -> bool:
    """A headline, not a lead sentence standing in for one (see LEAD_WORDS).

    >>> is_headline("Fred LaRue, Watergate Figure, Dies at 75")
    True
    >>> is_headline("A Mafia boss in Palermo hanged himself in jail hours after he was arrested.")
    False
    """
    sentence = re.search(r"[.!?][\"”’']?\s*$", title) is not None
    return not (sentence and len(title.split()) >= LEAD_WORDS)


def headline_variant(item: str, titles: Sequence[str]) -> bool:
    """An item that is a title, nearly: most of its words, or one inside the other."""
    words, norm = content_words(item), _norm(item)
    for t in titles:
        tn = _norm(t)
        if not tn:
            continue
        if jaccard(words, content_words(t)) >= HEADLINE_JACCARD:
            return True
        short, long_ = sorted((tn, norm), key=len)
        if short and short in long_ and len(short) >= CONTAIN_RATIO * len(long_):
            return True
    return False


@dataclass(slots=True)
class Briefed:
    """One event's briefing, measured."""

    event: str
    articles: int
    items: list[str]
    restating: list[tuple[int, int, float, float]] = field(default_factory=list)
    headlines: list[int] = field(default_factory=list)

    @property
    def pairs(self) -> int:
        return len(self.items) * (len(self.items) - 1) // 2


def measure(event: str, brief: dict[str, Any], model: Any) -> Briefed:
    items = [str(b["text"]) for b in brief.get("briefing", [])]
    titles = [str(a.get("title") or "") for a in brief.get("articles", [])]
    titles = [t for t in titles if is_headline(t)]
    out = Briefed(event, len(brief.get("articles", [])), items)
    vecs = encode(model, items, 16) if items else np.zeros((0, 384))
    words = [content_words(t) for t in items]
    for i, j in itertools.combinations(range(len(items)), 2):
        cos, jac = float(vecs[i] @ vecs[j]), jaccard(words[i], words[j])
        if cos >= COSINE or jac >= JACCARD:
            out.restating.append((i, j, cos, jac))
    out.headlines = [i for i, t in enumerate(items) if headline_variant(t, titles)]
    return out


def report(rows: Sequence[Briefed], took: float) -> str:
    pairs = sum(r.pairs for r in rows)
    restating = sum(len(r.restating) for r in rows)
    share = restating / pairs if pairs else 0.0
    two = sum(len(r.headlines) >= 2 for r in rows)
    items = sum(len(r.items) for r in rows)
    variants = sum(len(r.headlines) for r in rows)
    head = (
        "| ECB+ events (>= 5 articles) | briefing items | item pairs | restating pairs | share"
        " | headline-variant items | briefings with >= 2 headline variants |"
    )
    return "\n".join([
        head,
        "|---:|---:|---:|---:|---:|---:|---:|",
        f"| {len(rows)} | {items} | {pairs} | {restating} | {share:.1%} | {variants} | {two} |",
        f"\n({took:.0f} s; restating = MiniLM cosine >= {COSINE}"
        f" or content-word Jaccard >= {JACCARD})",
    ])  # fmt: skip


def show(rows: Sequence[Briefed], n: int) -> None:
    worst = sorted(rows, key=lambda r: (-len(r.headlines), -len(r.restating)))[:n]
    for r in worst:
        print(f"\n## {r.event}: {len(r.items)} items, {len(r.restating)} restating pairs, "
              f"{len(r.headlines)} headline variants")  # fmt: skip
        for i, t in enumerate(r.items):
            mark = "H" if i in r.headlines else " "
            print(f"  {mark} [{i}] {t[:140]}")
        for i, j, cos, jac in r.restating:
            print(f"    restate [{i}]~[{j}] cosine {cos:.2f} jaccard {jac:.2f}")


def run(
    settings: Settings, min_articles: int, limit: int, cache: Path, only: Sequence[str] = ()
) -> list[Briefed]:
    every = load_events(["ecbplus"])
    events = [e for e in every if len(e.articles) >= min_articles]
    events = [e for e in events if e.id in only] if only else events
    events = events[:limit] if limit else events
    model = load_embedder(settings.embedding_model, settings.embedding_precision)
    folder = cache / f"db-{analysis_digest()}"
    rows = []
    # one torch thread: eight items an event are too few to share, and on a busy
    # machine more threads only wait for each other (10 s an event instead of < 1 s)
    db = corpus_db("ecbplus", every, settings, folder)
    with Workspace(db, settings) as ws, torch_threads(1):
        for ev in events:
            brief = brief_story(ws.db, story_keys(ws.db, ev), settings)
            rows.append(measure(ev.id, brief, model))
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--min-articles", type=int, default=MIN_ARTICLES)
    ap.add_argument("--limit", type=int, default=0, help="first N events only")
    ap.add_argument("--show", type=int, default=0, help="print the N worst briefings")
    ap.add_argument("--cache", type=Path, default=CACHE)
    ap.add_argument("--event", action="append", default=[], help="only this event (repeatable)")
    a = ap.parse_args(argv)
    if not EVAL.exists():
        print(f"no evaluation data at {EVAL}; nothing to measure")
        return 0
    t0 = time.perf_counter()
    rows = run(load_settings(None), a.min_articles, a.limit, a.cache, a.event)
    print("Briefing redundancy (issue 12)\n")
    print(report(rows, time.perf_counter() - t0))
    show(rows, a.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
