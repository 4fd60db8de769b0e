"""False-alarm classes on the probe's unperturbed stories (issue 12).

For every real multi-article event of ../shared/eval (66 ECB+ gold clusters, 158 NeuS
stories, nothing changed), the value clashes corroboration reads between outlets
(`Disputes.find`) are counted by the reason `corroborate.alarms.dismissal` gives for
dropping them (one row per class and slot kind), beside the clashes kept, which the
story page reports. Uses the analysed databases of bench/contradiction_probe.py
(`--cache`, the same folder), so run the probe once first.

    python bench/false_alarm_classes.py --cache /tmp/newsprism-probe [--show 3]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from contradiction_probe import (
    CACHE,
    EVAL,
    analysis_digest,
    corpus_db,
    load_events,
    story_keys,
)

from newsprism import Workspace
from newsprism.corroborate.alarms import dismissal
from newsprism.corroborate.align import key_weights, link_facts, similarities
from newsprism.corroborate.facts import load_story, story_facts
from newsprism.corroborate.slots import dateline_end, fact_slots
from newsprism.corroborate.story import Disputes
from newsprism.settings import load_settings

KEPT = "(kept: reported)"


def classify(db_path: Path, keys: list[str], settings: object) -> list[tuple[str, str, str]]:
    """(class, kind, "value / value") for every raw value clash of one story."""
    with Workspace(db_path, settings) as ws:  # type: ignore[arg-type]
        arts = load_story(ws.db.conn, keys, settings)  # type: ignore[arg-type]
    facts = story_facts(arts)
    links = link_facts(facts, similarities(facts), key_weights(facts))
    text = {a.id: a.text for a in arts}
    slots = [fact_slots(f, i, dateline_end(text[f.article])) for i, f in enumerate(facts)]
    out = []
    for c in Disputes.find(facts, links, slots, arts).clashes:
        why = dismissal(c, facts) or KEPT
        out.append((why, c.kind, f"{c.a.text} / {c.b.text}"))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cache", type=Path, default=CACHE)
    ap.add_argument("--corpora", default="ecbplus,neus")
    ap.add_argument("--show", type=int, default=0, help="examples per class")
    a = ap.parse_args(argv)
    if not EVAL.exists():
        print(f"no evaluation data at {EVAL}; nothing to measure")
        return 0
    settings = load_settings(None)
    events = load_events(a.corpora.split(","))
    folder = a.cache / f"db-{analysis_digest()}"
    counts: Counter[tuple[str, str]] = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    for corpus in dict.fromkeys(ev.corpus for ev in events):
        path = corpus_db(corpus, events, settings, folder)
        with Workspace(path, settings) as ws:
            keyed = [(ev, story_keys(ws.db, ev)) for ev in events if ev.corpus == corpus]
        for ev, keys in keyed:
            for why, kind, values in classify(path, keys, settings):
                counts[why, kind] += 1
                examples[why].append(f"{ev.id} [{kind}] {values}")
    print(f"Value clashes on {len(events)} unperturbed stories, by dismissal class\n")
    print("| class | kind | clashes |\n|---|---|---:|")
    for (why, kind), n in sorted(counts.items(), key=lambda x: (x[0][0] == KEPT, x[0])):
        print(f"| {why} | {kind} | {n} |")
    for why, rows in examples.items():
        for row in rows[: a.show]:
            print(f"- {why}: {row}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
