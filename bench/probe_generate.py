"""Name cases and the balanced, seeded case set of the contradiction probe (issue 12).

`generate` parses every article once with spaCy, finds the values each event's
articles share (probe_cases), builds at most one case per (event, value), and samples
the same number of cases per kind, one event at a time in a seeded order, so the set
spreads over many events and is identical on every run with the same seed.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from probe_cases import (
    KINDS,
    MIN_NEAR_WORDS,
    Case,
    Corpus,
    Edit,
    Event,
    Found,
    Mention,
    Parsed,
    _ent_labels,
    _inside_longer,
    corpus_names,
    find_event,
    make_case,
    value_case,
)
from probe_places import listed
from probe_values import followed_by_name, occurrences

NAME_KINDS = ("person", "place")
DIRECTIONS = frozenset({"North", "South", "East", "West", "New"})


def _name_map(f: Found, m: Mention, corpus: Corpus, words: set[str]) -> list[tuple[str, str]]:
    """Old -> new names, longest first: "Lindsay Lohan" -> "Ann Curry", "Lohan" -> "Curry"."""
    name = m.text
    pool = corpus.persons if m.kind == "person" else sorted(listed(m.info))
    pool = [n for n in pool if n != name and not set(re.findall(r"\w+", n)) & words]
    if not pool:
        return []
    new = f.rng.choice(pool)
    pairs = [(name, new)]
    old_w, new_w = name.split(), new.split()
    if m.kind == "person" and len(old_w) == 2 and len(new_w) == 2:
        pairs += [(old_w[1], new_w[1]), (old_w[0], new_w[0])]
    return pairs


def _name_edits(f: Found, m: Mention, pairs: list[tuple[str, str]]) -> list[Edit] | None:
    """Every mention of the name in the article's text and headline; None if one of
    them is part of a longer name or shared with another person of the article."""
    p = f.parsed[m.article]
    art = p.art
    others = [n for n, c in _ent_labels(p).items() if "PERSON" in c and n != m.text and " " in n]
    edits: list[Edit] = []
    for field_name, text in (("text", art.text), ("title", art.title or "")):
        taken: list[tuple[int, int]] = []
        for k, (old, new) in enumerate(pairs):
            for s, e in occurrences(text, old):
                if any(a < e and s < b for a, b in taken):
                    continue
                if k > 0 and any(old in o.split() for o in others):
                    return None  # "Clinton" could be Bill or Hillary
                if field_name == "text" and (_inside_longer(p, s, e) or followed_by_name(text, e)):
                    return None
                if m.kind == "place" and _split_name(text, s, old):
                    return None
                taken.append((s, e))
                edits.append(Edit(field_name, s, e, old, new))
    return edits if any(e.field == "text" for e in edits) else None


def _split_name(text: str, start: int, name: str) -> bool:
    """ "North and South Korea": the name's head word belongs to both."""
    head = name.split()[0]
    joined = re.search(r"\b(and|or|&)\s+$", text[max(0, start - 6) : start]) is not None
    return head in DIRECTIONS and joined


def _place_pairs(f: Found, m: Mention, ws: list[Mention]) -> bool:
    """A place is changed only where another article names it in the same context:
    "a Wisconsin health centre said an employee" / "a Wisconsin-based hospital ...
    an employee", not "well liked in Hollywood" / "Hollywood's highest honour"."""
    pa = f.parsed[m.article]
    mine = [pa.near_words(s, e) for s, e in occurrences(pa.art.text, m.text) if pa.long_sentence(s)]
    for w in ws:
        pw = f.parsed[w.article]
        for s, e in occurrences(pw.art.text, m.text):
            if not pw.long_sentence(s):
                continue  # a dateline ("Mumbai, Nov 11 -") states no place of the event
            near = pw.near_words(s, e)
            if any(len(x & near) >= MIN_NEAR_WORDS for x in mine):
                return True
    return False


def name_case(f: Found, key: tuple[Any, ...], corpus: Corpus, words: set[str]) -> Case | None:
    """Another person or place, everywhere in one article, where others name the original."""
    ms = f.by_key[key]
    options = [(m, [w for w in ms if f.independent(m.article, w.article)]) for m in ms]
    real = corpus.person if key[0] == "person" else corpus.place
    if not real(key[1]):
        return None
    options = [
        (m, ws)
        for m, ws in options
        if ws and not _mislabelled(f, m) and _stated(f, m) and any(_stated(f, w) for w in ws)
    ]
    if key[0] == "place":
        options = [(m, ws) for m, ws in options if _place_pairs(f, m, ws)]
    if not options:
        return None
    m, ws = f.rng.choice(options)
    pairs = _name_map(f, m, corpus, words)
    edits = _name_edits(f, m, pairs) if pairs else None
    if not edits:
        return None
    witnesses = []
    for k, art in enumerate(f.event.articles):
        if f.independent(m.article, k):
            olds = pairs[:2]  # the full name and the surname, never a bare first name
            for old, _ in olds:
                witnesses += [f.span(k, s, e) for s, e in occurrences(art.text, old)]
    return make_case(f, m, f.sentence(ws[0]), edits, witnesses, m.text, pairs[0][1])


def _stated(f: Found, m: Mention) -> bool:
    """Whether an article names the person or place in a sentence, not only in a byline."""
    p = f.parsed[m.article]
    return any(p.long_sentence(s) for s, _ in occurrences(p.art.text, m.text))


def _mislabelled(f: Found, m: Mention) -> bool:
    """A name the event tags as an organisation, facility... more often than as itself."""
    want = {"person": {"PERSON"}, "place": {"GPE", "LOC"}}[m.kind]
    good = bad = 0
    for p in f.parsed:
        for label, n in _ent_labels(p).get(m.text, {}).items():
            good += n if label in want else 0
            bad += 0 if label in want else n
    return bad >= good


def event_words(event: Event) -> set[str]:
    return {w for a in event.articles for w in re.findall(r"\w+", f"{a.title}\n{a.text}")}


def _rank(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def sample(cands: dict[str, list[Case]], per_kind: int, seed: int) -> list[Case]:
    """`per_kind` cases of each kind, one event at a time in a seeded order.

    The order is a seeded hash of each event and case, not a shuffle, so adding or
    dropping one candidate leaves every other pick as it was.
    """
    out = []
    for kind in KINDS:
        by_event: dict[str, list[Case]] = defaultdict(list)
        for c in cands.get(kind, []):
            by_event[c.event].append(c)
        order = sorted(by_event, key=lambda e: _rank(seed, kind, e))
        for queue in by_event.values():
            queue.sort(key=lambda c: _rank(seed, c.article, c.old, c.new), reverse=True)
        picked: list[Case] = []
        while len(picked) < per_kind and any(by_event[e] for e in order):
            for e in order:
                if by_event[e] and len(picked) < per_kind:
                    picked.append(by_event[e].pop())
        for n, c in enumerate(picked, 1):
            c.id = f"{kind}-{n:03d}"
        out += picked
    return out


def generate(events: Sequence[Event], nlp: Any, seed: int, per_kind: int) -> list[Case]:
    """The probe's case set: parse, find shared values, build, sample."""
    texts = [a.text for ev in events for a in ev.articles]
    docs = iter(nlp.pipe(texts, batch_size=32))
    parsed = {ev.id: [Parsed(a, next(docs)) for a in ev.articles] for ev in events}
    corpora = {
        c: corpus_names(parsed[ev.id] for ev in events if ev.corpus == c)
        for c in {ev.corpus for ev in events}
    }
    cands: dict[str, list[Case]] = defaultdict(list)
    for ev in events:
        f = find_event(ev, parsed[ev.id], seed)
        words = event_words(ev)
        for key in sorted(f.by_key, key=repr):
            # one generator per value: a change to one kind never reshuffles another
            f.rng = random.Random(f"{seed}:{ev.id}:{key!r}")
            if key[0] in NAME_KINDS:
                case = name_case(f, key, corpora[ev.corpus], words)
            else:
                case = value_case(f, key)
            if case is not None:
                cands[case.kind].append(case)
    return sample(cands, per_kind, seed)
