"""Fill a newsprism database with synthetic stories, fast and without any model (issue 6).

The web app's load test (bench/serve_load.py) and its tests need a store of realistic
shape — thousands of articles in stories of 1-15 members, with sentences, entities,
quotes, quantities, dates and a cached brief per story — in seconds, not the hours the
models would take. Rows go straight into the store tables (migrations included, so the
schema is the real one); each story's brief follows the GUIDE.md §3 contract and is
stored in the `briefs` cache under the digest `Workspace.brief` computes, so the server
reads it exactly as it would read a real one. Offsets are exact: every span's `text`
equals `article.text[start:end]`.

    .venv/bin/python bench/gen_fixture_db.py OUT.db [--articles 10000] [--seed 7]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from newsprism.api import brief_digest
from newsprism.settings import Settings
from newsprism.store.database import Database

SOURCES = [
    f"{a} {b}"
    for a in ("Daily", "Global", "Evening", "Metro", "Coastal")
    for b in ("Herald", "Times", "Post", "Wire", "Ledger", "Courier", "Signal", "Review")
]
FIRST = ["Ana", "Boris", "Chen", "Dana", "Emil", "Farah", "Goran", "Hana", "Ivo", "Jonas", "Kira"]
LAST = ["Novak", "Ortiz", "Petrov", "Quinn", "Rahman", "Sato", "Tamm", "Ulrich", "Varga", "Weiss"]
PLACES = [
    "Anchorage",
    "Bergen",
    "Cordoba",
    "Dakar",
    "Esbjerg",
    "Fresno",
    "Gdansk",
    "Hilo",
    "Izmir",
    "Jaffna",
    "Kazan",
    "Lyon",
    "Mombasa",
    "Nagoya",
    "Oulu",
    "Porto",
]
EVENTS = [
    "a port strike",
    "a bridge collapse",
    "a trade summit",
    "a flood",
    "a court ruling",
    "an election recount",
    "a factory fire",
    "a rail outage",
    "a vaccine rollout",
]
FILLER = [
    "Officials said more details would be released later in the week.",
    "Residents described a tense atmosphere in the hours that followed.",
    "The ministry did not respond to a request for comment.",
    "Analysts said the episode could shape the debate for months.",
    "Local media carried live coverage throughout the afternoon.",
]


@dataclass
class Span:
    start: int
    end: int
    text: str


@dataclass
class Doc:
    """One generated article: text plus the spans each table needs."""

    key: str
    id: str
    source: str
    title: str
    published: str
    parts: list[str] = field(default_factory=list)
    sentences: list[Span] = field(default_factory=list)
    facts: dict[int, tuple[Span, str]] = field(default_factory=dict)  # fact -> span, value
    mentions: list[tuple[Span, str]] = field(default_factory=list)  # span, canonical
    quotes: list[Span] = field(default_factory=list)
    numbers: list[tuple[Span, int]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(self.parts)

    def add(self, sentence: str) -> Span:
        start = len(self.text) + (1 if self.parts else 0)
        self.parts.append(sentence)
        span = Span(start, start + len(sentence), sentence)
        self.sentences.append(span)
        return span

    def sub(self, outer: Span, needle: str) -> Span:
        i = outer.text.index(needle)
        return Span(outer.start + i, outer.start + i + len(needle), needle)


def _story_plan(rng: random.Random, n: int) -> dict[str, Any]:
    person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    place, event = rng.choice(PLACES), rng.choice(EVENTS)
    day = date(2024, 1, 1) + timedelta(days=rng.randrange(600))
    count = rng.randrange(3, 400)
    facts = [
        f"{person} said {{n}} people were affected by {event} in {place}.",
        f"Emergency crews reached {place} within {{n}} hours.",
        f"{person} met regional leaders to discuss {event}.",
        f"The cost of {event} was put at {{n}} million euros.",
    ]
    return {
        "person": person,
        "place": place,
        "event": event,
        "day": day,
        "n": n,
        "facts": facts,
        "counts": [count, rng.randrange(2, 30), 0, rng.randrange(5, 90)],
        "quote": f"We will rebuild {place} together",
    }


def _article(rng: random.Random, plan: dict[str, Any], sid: str, i: int) -> Doc:
    """One member: a subset of the story's facts (some with a disputed number), fillers."""
    published = plan["day"] + timedelta(days=rng.randrange(3))
    title = f"{plan['event'].capitalize()} in {plan['place']}: {plan['person']} responds"
    key = hashlib.sha256(f"{sid}/{i}".encode()).hexdigest()
    doc = Doc(key, f"{sid}-{i}", rng.choice(SOURCES), title, published.isoformat())
    for f, template in enumerate(plan["facts"]):
        if rng.random() < 0.3 and f:
            continue
        n = plan["counts"][f] + (rng.choice((0, 0, 0, 7)) if f == 0 else 0)
        span = doc.add(template.format(n=n))
        doc.facts[f] = (span, str(n))
        if "{n}" in template:
            doc.numbers.append((doc.sub(span, str(n)), n))
        for name in (plan["person"], plan["place"]):
            if name in span.text:
                doc.mentions.append((doc.sub(span, name), name))
        if f == 0 and rng.random() < 0.6:
            q = doc.add(f"“{plan['quote']},” {plan['person']} told reporters.")
            doc.quotes.append(doc.sub(q, f"“{plan['quote']},”"))
        doc.add(rng.choice(FILLER))
    return doc


def _fact(f: int, holders: list[Doc]) -> dict[str, Any]:
    """Fact `f` as its holders state it: conflicting when their numbers differ."""
    values = {d.facts[f][1] for d in holders}
    sources = {d.source for d in holders}
    status = (
        "conflicting"
        if len(values) > 1
        else ("corroborated" if len(sources) > 1 else "single_source")
    )
    span = holders[0].facts[f][0]
    evidence = [
        {
            "article": d.id,
            "start": d.facts[f][0].start,
            "end": d.facts[f][0].end,
            "text": d.facts[f][0].text,
        }
        for d in holders
    ]
    conflicts = [
        {
            "kind": "number",
            "explanation": "the sources give different numbers",
            "values": [{"article": d.id, "value": d.facts[f][1]} for d in holders],
        }
    ]
    return {
        "id": f"f{f}",
        "status": status,
        "text": span.text,
        "reported_by": [d.id for d in holders],
        "evidence": evidence,
        "conflicts": conflicts if status == "conflicting" else [],
    }


def _brief(sid: str, title: str, docs: list[Doc], plan: dict[str, Any]) -> dict[str, Any]:
    """A GUIDE.md §3 brief built from what the generator knows each member says."""
    facts = []
    for f in range(len(plan["facts"])):
        holders = [d for d in docs if f in d.facts]
        if holders:
            facts.append(_fact(f, holders))
    briefing = [
        {
            "text": x["text"],
            "citations": [
                {k: e[k] for k in ("article", "start", "end")} for e in x["evidence"][:3]
            ],
        }
        for x in facts
    ]
    quoted = [d.id for d in docs if d.quotes]
    quote = {
        "text": plan["quote"],
        "speaker": plan["person"],
        "reported_by": quoted,
        "variants": [],
    }
    return {
        "story": {"id": sid, "title": title},
        "articles": [
            {"id": d.id, "source": d.source, "title": d.title, "published": d.published}
            for d in docs
        ],
        "facts": facts,
        "briefing": briefing,
        "quotes": [quote] if quoted else [],
        "omissions": {d.id: [x["id"] for x in facts if d.id not in x["reported_by"]] for d in docs},
        "timeline": [
            {
                "date": plan["day"].isoformat(),
                "text": briefing[0]["text"],
                "citations": briefing[0]["citations"],
            }
        ],
    }


def _insert_articles(conn: Any, docs: list[Doc], seq0: int) -> None:
    now = "2025-01-01T00:00:00+00:00"
    conn.executemany(
        "INSERT INTO articles (key, id, title, text, source, url, published, words, meta,"
        " ingested_at, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '{}', ?, ?)",
        [
            (
                d.key,
                d.id,
                d.title,
                d.text,
                d.source,
                f"https://example.org/{d.id}",
                d.published,
                len(d.text.split()),
                now,
                seq0 + i,
            )
            for i, d in enumerate(docs)
        ],
    )
    conn.executemany(
        "INSERT INTO analyses (article_key, lang, analysed_at, model) VALUES (?, 'en', ?, 'fx')",
        [(d.key, now) for d in docs],
    )
    conn.executemany(
        'INSERT INTO sentences (article_key, idx, start, "end") VALUES (?, ?, ?, ?)',
        [(d.key, i, s.start, s.end) for d in docs for i, s in enumerate(d.sentences)],
    )


def _insert_analysis(conn: Any, docs: list[Doc], entity_ids: dict[str, int]) -> None:
    for d in docs:
        for _, name in d.mentions:
            if name not in entity_ids:
                kind = "PERSON" if " " in name else "GPE"
                cur = conn.execute("INSERT INTO entities (name, type) VALUES (?, ?)", (name, kind))
                entity_ids[name] = int(cur.lastrowid)
    conn.executemany(
        'INSERT INTO mentions (article_key, start, "end", text, type, entity_id)'
        " VALUES (?, ?, ?, ?, ?, ?)",
        [
            (d.key, s.start, s.end, s.text, "PERSON" if " " in n else "GPE", entity_ids[n])
            for d in docs
            for s, n in d.mentions
        ],
    )
    conn.executemany(
        'INSERT INTO quotes (article_key, start, "end", text, speaker) VALUES (?, ?, ?, ?, ?)',
        [(d.key, q.start, q.end, q.text, None) for d in docs for q in d.quotes],
    )
    conn.executemany(
        'INSERT INTO quantities (article_key, start, "end", text, kind, value) VALUES'
        " (?, ?, ?, ?, 'count', ?)",
        [(d.key, s.start, s.end, s.text, float(n)) for d in docs for s, n in d.numbers],
    )


def _story_rows(conn: Any, sid: str, docs: list[Doc], node0: int, settings: Settings) -> None:
    now = "2025-01-01T00:00:00+00:00"
    conn.execute(
        "INSERT INTO stories (id, seed_key, title_key, article_count, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (sid, docs[0].key, docs[0].key, len(docs), now, now),
    )
    conn.executemany(
        "INSERT INTO story_articles (node, article_key, story_id, how, assigned_at)"
        " VALUES (?, ?, ?, ?, ?)",
        [(node0 + i, d.key, sid, "seed" if i == 0 else "linked", now) for i, d in enumerate(docs)],
    )


def build(path: str | Path, articles: int = 10_000, seed: int = 7) -> dict[str, int]:
    """Write `articles` synthetic articles in stories of 1-15 into a fresh database."""
    Path(path).unlink(missing_ok=True)
    rng, settings = random.Random(seed), Settings()
    db, made, stories, entity_ids = Database(path), 0, 0, {}
    with db.write() as conn:
        while made < articles:
            n = min(articles - made, max(1, min(15, int(rng.expovariate(1 / 6.5)) + 1)))
            sid = "s-" + hashlib.sha256(f"{seed}/{stories}".encode()).hexdigest()[:12]
            plan = _story_plan(rng, n)
            docs = [_article(rng, plan, sid, i) for i in range(n)]
            _insert_articles(conn, docs, made + 1)
            _insert_analysis(conn, docs, entity_ids)
            _story_rows(conn, sid, docs, made, settings)
            brief = _brief(sid, docs[0].title, docs, plan)
            conn.execute(
                "INSERT INTO briefs (story_id, digest, brief, created_at) VALUES (?, ?, ?, ?)",
                (sid, brief_digest([d.key for d in docs], settings), json.dumps(brief), "x"),
            )
            made, stories = made + n, stories + 1
    db.close()
    return {"articles": made, "stories": stories}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    t0 = time.perf_counter()
    made = build(args.out, args.articles, args.seed)
    took = time.perf_counter() - t0
    print(f"{made['articles']} articles in {made['stories']} stories -> {args.out} ({took:.1f} s)")


if __name__ == "__main__":
    main()
