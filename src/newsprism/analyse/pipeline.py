"""The analysis stage: every stored article not analysed yet, in batches.

One spaCy `nlp.pipe` stream runs over all the batches (in worker processes when there
are enough articles, so parsing overlaps embedding); the embedder takes each batch's
sentences in one call; each batch is written in one transaction. Models are loaded once
per process. A crash loses at most the batch in flight; a re-run picks up there.
"""

from __future__ import annotations

import itertools
import sqlite3
import sys
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from spacy.tokens import Doc

from ..models import Analysis
from ..settings import Settings
from ..store.database import Database, utcnow
from .dates import extract_dates
from .embeddings import article_vector, encode
from .entities import EntityRegistry, extract_mentions
from .language import detect_language, skip_reason
from .nlp import embedding_id, load_embedder, load_spacy
from .quantities import extract_quantities
from .quotes import extract_quotes
from .sentences import add_line_rule, sentence_spans
from .store_rows import load_registry, write_analysis


@dataclass(slots=True)
class AnalyseReport:
    analysed: int = 0
    skipped: dict[str, str] = field(default_factory=dict)  # article id -> reason

    def summary(self) -> str:
        return f"{self.analysed} analysed, {len(self.skipped)} skipped"


@dataclass(slots=True)
class Vectors:
    """An article's vector and its sentences' vectors (row i = sentence i)."""

    article: np.ndarray
    sentences: np.ndarray


@dataclass(slots=True)
class Pending:
    key: str
    id: str
    title: str | None
    text: str
    published: str | None
    lang: str | None


def pieces(text: str, limit: int) -> list[tuple[int, str]]:
    """Split a long text into (offset, piece) chunks of at most `limit` characters.

    Cuts fall on a paragraph break, else a sentence end, else white space, so no
    sentence or name is cut in two unless a single run of text exceeds the limit.
    """
    out: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = max(window.rfind("\n"), window.rfind(". ") + 1, 0)
        if cut < limit // 4:
            cut = window.rfind(" ")
        if cut <= 0:
            cut = limit
        out.append((start, text[start : start + cut]))
        start += cut
    out.append((start, text[start:]))
    return out


Result = tuple[Pending, Analysis, "Vectors | None"]
# Below this many articles, starting spaCy worker processes costs more than they save.
PARALLEL_FROM = 64
END_OF_BATCH = ""  # an empty text closes each batch in the parse stream


@dataclass(slots=True)
class _Prepared:
    """A batch after language detection: skipped articles, the rest, and their pieces."""

    done: list[Result]
    todo: list[tuple[Pending, Analysis]]
    jobs: list[tuple[int, int, str]]  # (index in todo, offset, piece of text)


class Analyser:
    """Holds the loaded models; analyses articles independently of each other.

    Per-article results depend only on the article, so any engine (this process, or
    Ray workers) computes the same thing; the cross-article entity merge happens
    afterwards, in ingestion order, in `resolve_entities`.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.nlp = add_line_rule(load_spacy(settings.spacy_model))
        self.embedder = load_embedder(settings.embedding_model, settings.embedding_precision)

    def analyse_batch(self, batch: list[Pending]) -> list[Result]:
        """Analyse one batch in this process; (article, analysis, vectors or None if skipped)."""
        return next(self.analyse_stream([batch], processes=1))

    def analyse_stream(
        self, batches: Iterable[list[Pending]], processes: int = 1
    ) -> Generator[list[Result], None, None]:
        """Each batch's results in turn, from one spaCy stream over all the batches.

        With `processes` > 1, spaCy worker processes parse the next batches while this
        process extracts, embeds and (in the caller) writes the current one, so on two
        cores the parse and the embedder no longer wait for each other. An empty text
        closes every batch in the stream, so a batch whose articles were all skipped
        still comes out, in its place.
        """
        queue: deque[_Prepared] = deque()

        def texts() -> Iterator[str]:
            for batch in batches:
                prepared = self._prepare(batch)
                queue.append(prepared)
                yield from (piece for _, _, piece in prepared.jobs)
                yield END_OF_BATCH

        docs = iter(self.nlp.pipe(texts(), batch_size=16, n_process=max(1, processes)))
        for first in docs:
            prepared = queue.popleft()
            parsed = [first, *itertools.islice(docs, len(prepared.jobs))]
            self._extract(prepared, parsed[:-1])
            vectors = self._embed(prepared.todo)
            yield prepared.done + [
                (art, an, vec) for (art, an), vec in zip(prepared.todo, vectors, strict=True)
            ]

    def _prepare(self, batch: list[Pending]) -> _Prepared:
        prepared = _Prepared([], [], [])
        for art in batch:
            lang = detect_language(art.text, art.lang)
            analysis = Analysis(lang=lang, skipped=skip_reason(lang))
            if analysis.skipped:
                prepared.done.append((art, analysis, None))
            else:
                prepared.todo.append((art, analysis))
        prepared.jobs = [
            (i, off, piece)
            for i, (art, _) in enumerate(prepared.todo)
            for off, piece in pieces(art.text, self.settings.nlp_max_chars)
        ]
        return prepared

    def _extract(self, prepared: _Prepared, docs: list[Doc]) -> None:
        """Sentences, entities, quotes and dates from the parses; quantities from the text."""
        for (i, off, piece), doc in zip(prepared.jobs, docs, strict=True):
            art, an = prepared.todo[i]
            an.sentences.extend(sentence_spans(doc, art.text, off))
            local = extract_mentions(doc)
            an.mentions.extend(_shift(m, off) for m in local)
            an.quotes.extend(_shift(q, off) for q in extract_quotes(doc, local))
            an.dates.extend(_shift(d, off) for d in extract_dates(piece, art.published, doc))
        for art, an in prepared.todo:
            an.quantities = extract_quantities(art.text)

    def _embed(self, todo: list[tuple[Pending, Analysis]]) -> list[Vectors]:
        """Embed every sentence (and title) of the batch in one call."""
        texts: list[str] = []
        for art, an in todo:
            texts.extend(s.text for s in an.sentences)
            if art.title:
                texts.append(art.title)
        vecs = encode(self.embedder, texts, self.settings.embed_batch_size)
        out, cursor = [], 0
        for art, an in todo:
            n = len(an.sentences)
            sent_vecs = vecs[cursor : cursor + n]
            title_vec = vecs[cursor + n] if art.title else None
            cursor += n + (1 if art.title else 0)
            out.append(Vectors(article_vector(title_vec, sent_vecs), sent_vecs))
        return out


def resolve_entities(registry: EntityRegistry, an: Analysis) -> None:
    """Map an article's entities (and quote speakers) onto the corpus's entities.

    A surname-only "Trump" becomes the "Donald Trump" seen in earlier articles; the
    registry then learns this article's entities. Called in ingestion order so the
    result does not depend on how articles were batched or distributed.
    """
    renamed: dict[str, str] = {}
    resolved = []
    for mention in an.mentions:
        new = registry.resolve(mention)
        renamed.setdefault(mention.canonical, new.canonical)
        resolved.append(new)
    an.mentions = resolved
    for quote in an.quotes:
        if quote.speaker is not None:
            quote.speaker = renamed.get(quote.speaker, quote.speaker)
    for mention in resolved:
        registry.add(mention.canonical, mention.type)


def _shift(item: Any, by: int) -> Any:
    """A copy of a span record moved by `by` characters (pieces of long articles)."""
    if by == 0:
        return item
    clone = type(item)(**{f: getattr(item, f) for f in item.__slots__})
    clone.start += by
    clone.end += by
    return clone


def pending(conn: sqlite3.Connection, limit: int) -> Iterator[list[Pending]]:
    """Batches of stored articles that have no analysis row yet, in ingestion order."""
    last = 0
    while True:
        rows = conn.execute(
            "SELECT a.key, a.id, a.title, a.text, a.published, a.lang, a.seq FROM articles a"
            " LEFT JOIN analyses n ON n.article_key = a.key"
            " WHERE n.article_key IS NULL AND a.seq > ? ORDER BY a.seq LIMIT ?",
            (last, limit),
        ).fetchall()
        if not rows:
            return
        last = rows[-1]["seq"]
        yield [
            Pending(r["key"], r["id"], r["title"], r["text"], r["published"], r["lang"])
            for r in rows
        ]


def analyse(
    db: Database,
    settings: Settings,
    progress: bool | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> AnalyseReport:
    """Analyse every stored article that has not been analysed yet."""
    report = AnalyseReport()
    total = db.conn.execute(
        "SELECT COUNT(*) FROM articles a LEFT JOIN analyses n ON n.article_key = a.key"
        " WHERE n.article_key IS NULL"
    ).fetchone()[0]
    if total == 0:
        return report
    analyser = Analyser(settings)
    registry = load_registry(db.conn)
    model = embedding_id(settings.embedding_model, settings.embedding_precision)
    processes = settings.analyse_processes if total >= PARALLEL_FROM else 1
    bar = _bar(total, sys.stderr.isatty() if progress is None else progress)
    stream = analyser.analyse_stream(pending(db.conn, settings.analyse_batch_size), processes)
    with closing(stream):  # an error stops the spaCy workers now, not at garbage collection
        for results in stream:
            _store_batch(db, registry, results, model, report)
            if bar is not None:
                bar.update(len(results))
            if on_batch is not None:
                on_batch(len(results))
    if bar is not None:
        bar.close()
    return report


def _store_batch(
    db: Database, registry: EntityRegistry, results: list[Result], model: str, report: AnalyseReport
) -> None:
    """Merge a batch's entities into the corpus and write it in one transaction."""
    for _art, an, _vec in results:
        resolve_entities(registry, an)
    with db.write() as conn:
        for art, an, vec in results:
            write_analysis(conn, art.key, an, vec, model, utcnow())
    for art, an, _ in results:
        report.analysed += an.skipped is None
        if an.skipped:
            report.skipped[art.id] = an.skipped


def _bar(total: int, show: bool):  # type: ignore[no-untyped-def]
    if not show:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="article", desc="analyse", file=sys.stderr, leave=False)
