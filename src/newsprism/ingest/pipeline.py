"""Ingest: readers → ids → duplicate checks → one transaction per article.

A reader yields `RawArticle` or `Rejected` values; this module turns each article into
at most one stored row. An exact duplicate (same content key) becomes a *sighting* of
the stored article; a near-duplicate is stored and linked (`duplicate_of`, Jaccard).
Each article, its sighting and its MinHash signature are written in one transaction,
so a killed run leaves only whole articles and a re-run completes the rest.

A sighting is (origin, article), recorded once (a unique index, migration m013): the
same file read again is "already ingested", not a second sighting, so an interrupted
run completed later ends where one clean run ends (issue 14).
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..models import Note, RawArticle, Rejected
from ..progress import progress_bar
from ..settings import Settings
from ..store.database import Database, utcnow
from .dedup import NearDuplicateIndex, best_match, shingles
from .ids import clean_stored_text, content_key, words
from .sources import expand_inputs, read_input


@dataclass(slots=True)
class IngestReport:
    """What one ingest run did; `keys` lists the newly stored articles in order.

    `already_seen` counts articles read again from the origin that first gave them;
    `skipped` counts records passed over on purpose, by reason; `warnings` are what
    the readers' libraries reported, each naming its file.
    """

    new: int = 0
    exact_duplicates: int = 0
    near_duplicates: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    already_seen: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    warnings: list[Note] = field(default_factory=list)

    def count(self, outcome: str, value: str | Rejected) -> None:
        """Count one `store_article` result."""
        if isinstance(value, Rejected):
            self.rejected.append(value)
        elif outcome == "exact":
            self.exact_duplicates += 1
        elif outcome == "seen":
            self.already_seen += 1
        else:
            self.new += 1
            self.near_duplicates += outcome == "near"
            self.keys.append(value)

    def note(self, note: Note) -> None:
        if note.kind == "skipped":
            self.skipped[note.reason] += 1
        else:
            self.warnings.append(note)

    def summary(self) -> str:
        text = (
            f"{self.new} new, {self.exact_duplicates} exact duplicates, "
            f"{self.near_duplicates} near-duplicates, {len(self.rejected)} rejected"
        )
        if self.already_seen:
            text += f"; {self.already_seen} already ingested from the same place"
        if self.warnings:
            text += f"; {len(self.warnings)} warnings"
        if self.skipped:
            text += f"; skipped {_skipped(self.skipped)}"
        return text


_MAX_REASONS = 6  # an archive of odd content types must not make the summary a page long


def _skipped(counts: Counter[str]) -> str:
    """ "12 records not articles: 8 WARC request record, not a response, 4 HTTP 3xx ..."."""
    common = counts.most_common(_MAX_REASONS)
    parts = [f"{n} {reason}" for reason, n in common]
    rest = counts.total() - sum(n for _, n in common)
    if rest:
        parts.append(f"{rest} for other reasons")
    return f"{counts.total()} records that are not articles ({'; '.join(parts)})"


def load_index(db: Database, settings: Settings) -> NearDuplicateIndex:
    index = NearDuplicateIndex(
        settings.near_dup_threshold, settings.minhash_perm, settings.shingle_words
    )
    index.load(
        (r[0], r[1]) for r in db.conn.execute("SELECT article_key, signature FROM minhashes")
    )
    return index


def _unique_id(conn: sqlite3.Connection, wanted: str, key: str) -> str:
    """The input's id, made unique when another article already holds it."""
    if conn.execute("SELECT 1 FROM articles WHERE id = ?", (wanted,)).fetchone() is None:
        return wanted
    return f"{wanted}~{key[:8]}"


def _record_sighting(conn: sqlite3.Connection, key: str, raw: RawArticle) -> bool:
    """Record that `raw.origin` gave article `key`; False when it was already recorded."""
    cursor = conn.execute(
        "INSERT OR IGNORE INTO sightings"
        " (article_key, origin, input_id, source, url, published, seen_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (key, raw.origin, raw.input_id, raw.source, raw.url, raw.published, utcnow()),
    )
    return cursor.rowcount > 0


def check_text(raw: RawArticle, text: str, settings: Settings) -> Rejected | None:
    # `origin` already names the file and the record within it.
    if len(text) < settings.min_article_chars:
        return Rejected(raw.origin, None, "empty or too short to be an article")
    if len(text) > settings.max_article_chars:
        return Rejected(
            raw.origin,
            None,
            f"text is {len(text)} characters, over max_article_chars={settings.max_article_chars}",
        )
    return None


def store_article(
    db: Database,
    raw: RawArticle,
    index: NearDuplicateIndex,
    settings: Settings,
    on_stored: Callable[[sqlite3.Connection, str], None] | None = None,
) -> tuple[str, str | Rejected]:
    """Store one article; returns (outcome, key or Rejected).

    Outcomes: "new", "near" (stored and linked), "exact" (a new sighting), "seen" (this
    origin already gave this article: nothing written), "rejected".
    `on_stored(conn, key)` runs inside the same transaction after a new article's rows,
    so the Ray engine's loader writes the article and its analysis as one unit.
    """
    text = clean_stored_text(raw.text)
    problem = check_text(raw, text, settings)
    if problem is not None:
        return "rejected", problem
    key = content_key(text)
    shingle_set = shingles(text, settings.shingle_words)
    mh = index.signature(shingle_set)
    with db.write() as conn:
        if conn.execute("SELECT 1 FROM articles WHERE key = ?", (key,)).fetchone():
            return ("exact" if _record_sighting(conn, key, raw) else "seen"), key
        match = best_match(conn, index, shingle_set, mh)
        seq = conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM articles").fetchone()[0]
        conn.execute(
            "INSERT INTO articles (key, id, title, text, source, url, published, author, lang,"
            " words, duplicate_of, duplicate_score, meta, ingested_at, seq)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                key,
                _unique_id(conn, raw.input_id or key, key),
                raw.title,
                text,
                raw.source,
                raw.url,
                raw.published,
                raw.author,
                raw.lang,
                len(words(text)),
                match[0] if match else None,
                round(match[1], 4) if match else None,
                json.dumps(raw.meta, ensure_ascii=False, default=str),
                utcnow(),
                seq,
            ),
        )
        _record_sighting(conn, key, raw)
        conn.execute(
            "INSERT INTO minhashes (article_key, signature) VALUES (?, ?)",
            (key, mh.hashvalues.astype("uint64").tobytes()),
        )
        if on_stored is not None:
            on_stored(conn, key)
    index.add(key, mh)
    return ("near" if match else "new"), key


def ingest(
    db: Database,
    args: Sequence[str],
    settings: Settings,
    fetch: bool = False,
    progress: bool | None = None,
    on_reject: Callable[[Rejected], None] | None = None,
    on_warning: Callable[[Note], None] | None = None,
) -> IngestReport:
    """Ingest files, folders, globs and URLs; bad inputs are reported, not raised.

    `on_reject` and `on_warning` see each rejection and reader warning as it happens.
    """
    report = IngestReport()

    def note(item: Note) -> None:
        report.note(item)
        if item.kind == "warning" and on_warning is not None:
            on_warning(item)

    refs, missing = expand_inputs(args)
    for rej in missing:
        _reject(report, rej, on_reject)
    index = load_index(db, settings)
    bar = progress_bar(len(refs), "ingest", "file", progress, settings.progress_every)
    for ref in refs:
        for item in read_input(ref, settings, fetch=fetch, on_note=note):
            if isinstance(item, Rejected):
                _reject(report, item, on_reject)
                continue
            outcome, value = store_article(db, item, index, settings)
            if isinstance(value, Rejected):
                _reject(report, value, on_reject)
            else:
                report.count(outcome, value)
        bar.update(1)
    bar.close()
    return report


def _reject(
    report: IngestReport, rej: Rejected, on_reject: Callable[[Rejected], None] | None
) -> None:
    report.rejected.append(rej)
    if on_reject is not None:
        on_reject(rej)
