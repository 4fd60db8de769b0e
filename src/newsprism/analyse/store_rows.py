"""Reading and writing the analysis tables (one article's rows at a time).

Kept apart from the pipeline so the write is one small, obvious function that the
caller wraps in the batch transaction, and so the Ray engine can load the same records.
"""

from __future__ import annotations

import sqlite3
from itertools import groupby
from typing import Any

import numpy as np

from ..models import Analysis, DateMention, Frame, Mention, Quantity, Quote, Sentence
from .entities import EntityRegistry
from .registry import resolve_entities

UNBOUNDED_ROWID = 2**63 - 1  # SQLite's largest rowid: "no upper bound"


def load_registry(conn: sqlite3.Connection) -> EntityRegistry:
    """The entity registry as one continuous run would have left it: the cross-article
    merge replayed on every stored article in the order it was analysed.

    The registry remembers more than the entities (which names each person appeared
    with, which surname a full name already joined), so priming it from the entity
    rows alone made an analyse split across restarts resolve ambiguous surnames
    differently. A long-running process keeps one warm instead (`kept_registry.py`).
    """
    registry = EntityRegistry()
    replay(conn, registry)
    return registry


def replay(
    conn: sqlite3.Connection, registry: EntityRegistry, after: int = 0, upto: int | None = None
) -> int:
    """Advance `registry` by the stored articles analysed after analyses rowid `after`
    (up to `upto`, inclusive), in the order they were analysed; returns how many.

    Mentions stored before migration m020 have no in-article name; their stored name
    stands in. Rows are streamed one article at a time.
    """
    rows = conn.execute(
        'SELECT m.article_key, m.start, m."end", m.text, m.role,'
        " COALESCE(m.local_type, m.type) AS type, COALESCE(m.local_name, e.name) AS name"
        " FROM analyses a JOIN mentions m ON m.article_key = a.article_key"
        " JOIN entities e ON e.id = m.entity_id WHERE a.rowid > ? AND a.rowid <= ?"
        " ORDER BY a.rowid, m.rowid",
        (after, upto if upto is not None else UNBOUNDED_ROWID),
    )
    articles = 0
    for _key, group in groupby(rows, key=lambda r: r["article_key"]):
        mentions = [Mention(r["start"], r["end"], r["text"], r["type"], r["name"], r["role"])
                    for r in group]  # fmt: skip
        resolve_entities(registry, Analysis(lang="", mentions=mentions))
        articles += 1
    return articles


def _entity_id(conn: sqlite3.Connection, name: str, type_: str) -> int:
    """The entity row of a canonical name, its type set to the latest evidence.

    One name is one entity (the registry keys entities by name): a type change from
    more mentions updates the row rather than starting a second entity. A row of the
    same name and type left by an older analysis keeps the update from clashing.
    """
    row = conn.execute(
        "SELECT id, type FROM entities WHERE name = ? ORDER BY id LIMIT 1", (name,)
    ).fetchone()
    if row is None:
        cursor = conn.execute("INSERT INTO entities (name, type) VALUES (?, ?)", (name, type_))
        assert cursor.lastrowid is not None  # an INSERT always sets it
        return cursor.lastrowid
    if row[1] != type_:
        conn.execute("UPDATE OR IGNORE entities SET type = ? WHERE id = ?", (type_, row[0]))
    return int(row[0])


def _mention_row(conn: sqlite3.Connection, key: str, an: Analysis, i: int) -> tuple[Any, ...]:
    """Mention `i` as a row, with its in-article name and type (NULL if never merged)."""
    m = an.mentions[i]
    local = an.local_mentions[i] if len(an.local_mentions) == len(an.mentions) else None
    return (
        key, m.start, m.end, m.text, m.type, _entity_id(conn, m.canonical, m.type), m.role,
        local and local.canonical, local and local.type,
    )  # fmt: skip


def write_analysis(
    conn: sqlite3.Connection,
    key: str,
    an: Analysis,
    vectors: Any,
    model: str,
    when: str,
) -> None:
    """Insert one article's analysis; the caller holds the write transaction."""
    conn.execute(
        "INSERT INTO analyses (article_key, lang, skipped, analysed_at, model)"
        " VALUES (?, ?, ?, ?, ?)",
        (key, an.lang, an.skipped, when, model),
    )
    conn.execute("UPDATE articles SET lang = COALESCE(lang, ?) WHERE key = ?", (an.lang, key))
    if vectors is None:
        return
    conn.executemany(
        'INSERT INTO sentences (article_key, idx, start, "end", embedding) VALUES (?, ?, ?, ?, ?)',
        [
            (key, i, s.start, s.end, np.asarray(vectors.sentences[i], np.float32).tobytes())
            for i, s in enumerate(an.sentences)
        ],
    )
    conn.execute(
        "INSERT INTO article_vectors (article_key, vector) VALUES (?, ?)",
        (key, np.asarray(vectors.article, np.float32).tobytes()),
    )
    conn.executemany(
        'INSERT INTO mentions (article_key, start, "end", text, type, entity_id, role,'
        " local_name, local_type) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [_mention_row(conn, key, an, i) for i in range(len(an.mentions))],
    )
    ids = {m.canonical: _entity_id(conn, m.canonical, m.type) for m in reversed(an.mentions)}
    conn.executemany(
        'INSERT INTO quotes (article_key, start, "end", text, speaker, cue, speaker_entity,'
        " speaker_description, attribution, kind, confident) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        [
            (
                key,
                q.start,
                q.end,
                q.text,
                q.speaker,
                q.cue,
                ids.get(q.speaker or ""),
                q.speaker_description,
                q.attribution,
                q.kind,
                int(q.confident),
            )
            for q in an.quotes
        ],
    )
    conn.executemany(
        'INSERT INTO quantities (article_key, start, "end", text, kind, value, unit, qualifier)'
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (key, q.start, q.end, q.text, q.kind, q.value, q.unit, q.qualifier)
            for q in an.quantities
        ],
    )
    conn.executemany(
        'INSERT INTO dates (article_key, start, "end", text, value) VALUES (?, ?, ?, ?, ?)',
        [(key, d.start, d.end, d.text, d.value) for d in an.dates],
    )
    conn.executemany(
        "INSERT INTO frames (article_key, kind, verb, arg, source) VALUES (?, ?, ?, ?, ?)",
        [(key, f.kind, f.verb, f.arg, f.source) for f in an.frames],
    )


def read_analysis(conn: sqlite3.Connection, key: str, text: str) -> Analysis | None:
    """The stored analysis of one article (spans re-sliced from `text`), or None."""
    row = conn.execute(
        "SELECT lang, skipped FROM analyses WHERE article_key = ?", (key,)
    ).fetchone()
    if row is None:
        return None
    an = Analysis(lang=row["lang"] or "", skipped=row["skipped"])
    q = 'SELECT * FROM {} WHERE article_key = ? ORDER BY start, "end"'
    an.sentences = [
        Sentence(r["start"], r["end"], text[r["start"] : r["end"]])
        for r in conn.execute(q.format("sentences"), (key,))
    ]
    an.mentions = [
        Mention(r["start"], r["end"], r["text"], r["type"], r["name"], r["role"], r["entity_id"])
        for r in conn.execute(
            'SELECT m.start, m."end", m.text, m.type, m.role, m.entity_id, e.name FROM mentions m'
            " JOIN entities e ON e.id = m.entity_id WHERE m.article_key = ? ORDER BY m.start",
            (key,),
        )
    ]
    an.quotes = [_quote(r) for r in conn.execute(q.format("quotes"), (key,))]
    an.quantities = [
        Quantity(r["start"], r["end"], r["text"], r["kind"], r["value"], r["unit"], r["qualifier"])
        for r in conn.execute(q.format("quantities"), (key,))
    ]
    an.dates = [
        DateMention(r["start"], r["end"], r["text"], r["value"])
        for r in conn.execute(q.format("dates"), (key,))
    ]
    an.frames = [
        Frame(r["kind"], r["verb"], r["arg"], r["source"])
        for r in conn.execute("SELECT * FROM frames WHERE article_key = ? ORDER BY rowid", (key,))
    ]
    return an


def _quote(r: sqlite3.Row) -> Quote:
    """A stored quote; one analysed before migration m017 has no attribution (None)."""
    return Quote(
        r["start"], r["end"], r["text"], r["speaker"], r["cue"], r["speaker_entity"],
        r["speaker_description"], r["attribution"], r["kind"], bool(r["confident"]),
    )  # fmt: skip
