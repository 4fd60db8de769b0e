"""The analysis stage: every stored article not analysed yet, in batches.

Worker processes (forked, so the models loaded here are shared, not loaded again) each
take a share of a batch, balanced by length, and do all of its heavy work: the spaCy
`nlp.pipe` parse, the extractors and the sentence embeddings, one torch thread each.
Meanwhile this process detects languages, finds quantities, merges entities and writes
the previous batch in one transaction. With few articles, everything runs here. A crash
loses at most the batches in flight; a re-run picks up there.
"""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
from collections import deque
from collections.abc import Callable, Generator, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import AbstractContextManager, closing, nullcontext
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from spacy.language import Language

from ..lifeline import die_with_parent
from ..models import Analysis, DateMention, Frame, Mention, Quote, Sentence
from ..progress import progress_bar
from ..settings import Settings
from ..store.database import Database, utcnow
from ..store.leases import Claimant, release
from .dates import extract_dates
from .embeddings import article_vector, encode, torch_threads
from .entities import EntityRegistry, extract_mentions
from .frames import TITLE_CHARS, lead_frames, title_end, title_frames
from .kept_registry import KeptRegistry
from .language import detect_language, skip_reason
from .nlp import embedding_id, load_embedder, load_spacy
from .quantities import extract_quantities
from .quotes import extract_quotes
from .registry import resolve_entities
from .sentences import add_line_rule, sentence_spans
from .store_rows import write_analysis


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
# Below this many articles, starting worker processes costs more than they save.
PARALLEL_FROM = 64
LOOKAHEAD = 2  # batches in the workers' hands ahead of the one being written


@dataclass(slots=True)
class Parsed:
    """What the parse gives for one piece of text, offsets relative to the piece."""

    sentences: list[Sentence]
    mentions: list[Mention]
    quotes: list[Quote]
    dates: list[DateMention]
    frames: list[Frame] = field(default_factory=list)  # the piece's lead, and its title
    vectors: np.ndarray | None = None  # row i embeds sentences[i]
    title_vector: np.ndarray | None = None  # on an article's first piece, when it has a title


@dataclass(slots=True)
class _Prepared:
    """A batch after language detection: skipped articles, the rest, and their pieces."""

    batch: list[Pending]
    done: list[Result]
    todo: list[tuple[Pending, Analysis]]
    jobs: list[tuple[int, int, str]]  # (index in todo, offset, piece of text)

    def inputs(self) -> list[Job]:
        """What a worker needs for each piece: its text, the publication date, and the
        title on the article's first piece (embedded with its sentences)."""
        out = []
        for i, off, piece in self.jobs:
            art = self.todo[i][0]
            out.append((piece, art.published, art.title if off == 0 else None))
        return out


Job = tuple[str, str | None, str | None]  # (piece of text, published, title or None)


def parse_pieces(nlp: Language, inputs: list[Job]) -> list[Parsed]:
    """Parse pieces of text (and the titles riding on them) and extract sentences,
    mentions, quotes, dates and event frames from each."""
    out = []
    docs = nlp.pipe((piece for piece, _, _ in inputs), batch_size=16)
    opens = [title_end(piece, title) if title else 0 for piece, _, title in inputs]
    apart = (t[:TITLE_CHARS] for (_, _, t), end in zip(inputs, opens, strict=True) if t and not end)
    titles = iter(nlp.pipe(apart, batch_size=64))  # only headlines the text does not open with
    for (piece, published, title), doc, end in zip(inputs, docs, opens, strict=True):
        local = extract_mentions(doc)
        frames = lead_frames(doc, end) + (title_frames(next(titles)) if title and not end else [])
        out.append(
            Parsed(
                sentence_spans(doc, piece),
                local,
                extract_quotes(doc, local),
                extract_dates(piece, published, doc),
                frames,
            )
        )
    return out


def embed_pieces(embedder: Any, batch_size: int, inputs: list[Job], parsed: list[Parsed]) -> None:
    """Embed every parsed sentence (and title) in one call; identical texts once.

    Reprints and boilerplate repeat sentences verbatim, so each distinct text is
    encoded once and its vector shared.
    """
    texts: list[str] = []
    for (_, _, title), part in zip(inputs, parsed, strict=True):
        texts.extend(s.text for s in part.sentences)
        if title:
            texts.append(title)
    unique = list(dict.fromkeys(texts))
    found = encode(embedder, unique, batch_size)
    row = {text: i for i, text in enumerate(unique)}
    vecs = found[[row[text] for text in texts]] if texts else found
    cursor = 0
    for (_, _, title), part in zip(inputs, parsed, strict=True):
        n = len(part.sentences)
        part.vectors = vecs[cursor : cursor + n]
        part.title_vector = vecs[cursor + n] if title else None
        cursor += n + (1 if title else 0)


def parse_and_embed(
    nlp: Language, embedder: Any, batch_size: int, inputs: list[Job]
) -> list[Parsed]:
    """All the model work on some pieces, wherever it runs (a worker or this process)."""
    parsed = parse_pieces(nlp, inputs)
    embed_pieces(embedder, batch_size, inputs, parsed)
    return parsed


@dataclass(slots=True)
class _Worker:
    """The models of a worker process, set once by `_start_worker`."""

    nlp: Language
    embedder: Any
    batch_size: int


_worker: _Worker | None = None


def _start_worker(settings: Settings, parent_pid: int) -> None:
    """Worker initialiser: the models, already in memory when the worker is forked.

    First the worker ties its life to its parent's (`lifeline`), so a killed `analyse`
    leaves no worker behind. One torch thread per worker: two workers fill two cores,
    and a forked process must not use the OpenMP pool its parent started (PyTorch's
    DataLoader workers do the same).
    """
    import torch

    global _worker
    die_with_parent(parent_pid)
    torch.set_num_threads(1)
    nlp = add_line_rule(load_spacy(settings.spacy_model))
    embedder = load_embedder(settings.embedding_model, settings.embedding_precision)
    _worker = _Worker(nlp, embedder, settings.embed_batch_size)


def _work(inputs: list[Job]) -> list[Parsed]:
    assert _worker is not None, "worker started without _start_worker"
    return parse_and_embed(_worker.nlp, _worker.embedder, _worker.batch_size, inputs)


def _chunks(items: list[Job], n: int) -> list[list[Job]]:
    """`items` cut into at most `n` contiguous chunks of nearly equal text (order kept).

    Work grows with the length of the text, not the number of pieces: one long
    article must not leave the other worker idle.
    """
    total = sum(len(piece) for piece, _, _ in items)
    out: list[list[Job]] = [[]]
    done = 0
    for item in items:
        if out[-1] and done >= total * len(out) / n and len(out) < n:
            out.append([])
        out[-1].append(item)
        done += len(item[0])
    return [chunk for chunk in out if chunk]


class Analyser:
    """Holds the loaded models; analyses articles independently of each other.

    Per-article results depend only on the article, so any engine (this process, its
    worker processes, or Ray workers) computes the same thing; the cross-article
    entity merge happens afterwards, in ingestion order, in `resolve_entities`.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.nlp = add_line_rule(load_spacy(settings.spacy_model))
        self.embedder = load_embedder(settings.embedding_model, settings.embedding_precision)

    def analyse_batch(self, batch: list[Pending]) -> list[Result]:
        """Analyse one batch in this process; (article, analysis, vectors or None if skipped)."""
        prepared = self._prepare(batch)
        batch_size = self.settings.embed_batch_size
        parsed = parse_and_embed(self.nlp, self.embedder, batch_size, prepared.inputs())
        return self._finish(prepared, parsed)

    def analyse_stream(
        self, batches: Iterable[list[Pending]], processes: int = 1
    ) -> Generator[list[Result], None, None]:
        """Each batch's results in turn.

        With `processes` > 1, worker processes parse, extract and embed the next batches
        (each batch split between them by length) while the caller writes the current
        one: the heavy work is shared evenly by the cores. Only the extracted records
        and vectors cross between processes.
        """
        if processes <= 1:
            yield from (self.analyse_safely(batch) for batch in batches)
            return
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        pool = ProcessPoolExecutor(
            processes, context, initializer=_start_worker, initargs=(self.settings, os.getpid())
        )
        inflight: deque[tuple[_Prepared, list[Future[list[Parsed]]]]] = deque()
        try:
            for batch in batches:
                prepared = self._prepare(batch)
                chunks = _chunks(prepared.inputs(), processes)
                try:
                    futures = [pool.submit(_work, c) for c in chunks]
                except BrokenProcessPool:  # a worker died: _collect parses here instead
                    futures = []
                inflight.append((prepared, futures))
                if len(inflight) > LOOKAHEAD:
                    yield self._collect(*inflight.popleft())
            while inflight:
                yield self._collect(*inflight.popleft())
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def analyse_safely(self, batch: list[Pending]) -> list[Result]:
        """`analyse_batch`, except that an article that makes it fail is skipped, with why.

        A failing batch is split down to the article at fault, so one pathological
        text costs its own analysis, never the batch's or the run's.
        """
        try:
            return self.analyse_batch(batch)
        except Exception as exc:
            if len(batch) <= 1:
                reason = f"analysis failed: {type(exc).__name__}: {exc}"
                return [(art, Analysis(art.lang or "und", skipped=reason), None) for art in batch]
            half = len(batch) // 2
            return self.analyse_safely(batch[:half]) + self.analyse_safely(batch[half:])

    def _collect(self, prepared: _Prepared, futures: list[Future[list[Parsed]]]) -> list[Result]:
        """The batch's results from its workers, or on any failure redone here.

        Redone by `analyse_safely`, article by article if need be: a crashed worker or
        a text that breaks an extractor costs no other article.
        """
        try:
            parsed = [p for f in futures for p in f.result()]
            return self._finish(prepared, parsed)  # raises if pieces are missing
        except Exception:
            return self.analyse_safely(prepared.batch)

    def _prepare(self, batch: list[Pending]) -> _Prepared:
        prepared = _Prepared(batch, [], [], [])
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

    def _finish(self, prepared: _Prepared, parsed: list[Parsed]) -> list[Result]:
        """Place each piece's records and vectors at its article, add quantities."""
        parts: list[list[Parsed]] = [[] for _ in prepared.todo]
        for (i, off, _piece), part in zip(prepared.jobs, parsed, strict=True):
            an = prepared.todo[i][1]
            an.sentences.extend(_shift(x, off) for x in part.sentences)
            an.mentions.extend(_shift(x, off) for x in part.mentions)
            an.quotes.extend(_shift(x, off) for x in part.quotes)
            an.dates.extend(_shift(x, off) for x in part.dates)
            if off == 0:  # a later piece's first sentences are not the lead
                an.frames.extend(part.frames)
            parts[i].append(part)
        for art, an in prepared.todo:
            an.quantities = extract_quantities(art.text)
        return prepared.done + [
            (art, an, _vectors(ps)) for (art, an), ps in zip(prepared.todo, parts, strict=True)
        ]


def _vectors(parts: list[Parsed]) -> Vectors:
    """An article's vectors from its pieces' (the title rides on the first piece)."""
    rows = [p.vectors for p in parts if p.vectors is not None]
    if len(rows) != len(parts):
        raise ValueError("a piece came back without its vectors")
    sentences = np.concatenate(rows)
    return Vectors(article_vector(parts[0].title_vector, sentences), sentences)


def _shift(item: Any, by: int) -> Any:
    """A copy of a span record moved by `by` characters (pieces of long articles)."""
    return item if by == 0 else replace(item, start=item.start + by, end=item.end + by)


def analyse(
    db: Database,
    settings: Settings,
    progress: bool | None = None,
    on_batch: Callable[[int], None] | None = None,
    kept: KeptRegistry | None = None,
) -> AnalyseReport:
    """Analyse every stored article that has not been analysed yet.

    Articles are claimed batch by batch (`work.py`), so other processes analysing the
    same database at the same time take other articles: none is analysed twice. `kept`
    is the entity registry a long-lived caller keeps warm between runs (a new one,
    replaying the whole store, when None).
    """
    from .work import KIND, claimed_batches, unanalysed_count

    report = AnalyseReport()
    total = unanalysed_count(db)
    if total == 0:
        return report
    analyser = Analyser(settings)
    kept = kept if kept is not None else KeptRegistry()
    registry = kept.current(db.conn)
    model = embedding_id(settings.embedding_model, settings.embedding_precision)
    processes = settings.analyse_processes if total >= PARALLEL_FROM else 1
    bar = progress_bar(total, "analyse", "article", progress, settings.progress_every)
    claimant = Claimant(db)
    with claimant.holding(KIND):
        batches = claimed_batches(db, claimant, settings.analyse_batch_size)
        stream = analyser.analyse_stream(batches, processes)
        threads = _embed_threads(settings, processes)
        # closing: an error stops the spaCy workers now, not at garbage collection
        with closing(stream), threads, bar:
            for results in stream:
                _store_batch(db, claimant, registry, results, model, report, kept)
                bar.update(len(results))
                if on_batch is not None:
                    on_batch(len(results))
    return report


def _store_batch(
    db: Database,
    claimant: Claimant,
    registry: EntityRegistry,
    results: list[Result],
    model: str,
    report: AnalyseReport,
    kept: KeptRegistry | None = None,
) -> None:
    """Merge a batch's entities into the corpus and write it in one transaction.

    An article analysed meanwhile by another process (its claim had lapsed: that
    process looked dead) keeps the first analysis; this one is dropped, not a crash.
    `kept` (holding `registry`) learns what was written, to stay a replay of the store;
    on any failure it forgets its registry, which may hold articles never stored.
    """
    try:
        for _art, an, _vec in results:
            resolve_entities(registry, an)
        with db.write() as conn:
            written = _write_batch(conn, results, model, report)
            release(conn, claimant.owner, "analyse", [art.key for art, _, _ in results])
            if kept is not None:
                kept.written(conn, [art.key for art, _, _ in results], written)
    except BaseException:
        if kept is not None:
            kept.drop()
        raise


def _write_batch(
    conn: sqlite3.Connection, results: list[Result], model: str, report: AnalyseReport
) -> list[str]:
    """Write each result not stored yet; returns the keys written, in order."""
    written = []
    for art, an, vec in results:
        if conn.execute("SELECT 1 FROM analyses WHERE article_key = ?", (art.key,)).fetchone():
            continue
        write_analysis(conn, art.key, an, vec, model, utcnow())
        written.append(art.key)
        report.analysed += an.skipped is None
        if an.skipped:
            report.skipped[art.id] = an.skipped
    return written


def _embed_threads(settings: Settings, processes: int) -> AbstractContextManager[None]:
    """The torch threads of this process while it analyses: one beside worker
    processes (they fill the cores), else the setting `embed_threads` (0: torch's own
    choice, a thread per core). See the setting's help for why one is the default."""
    threads = 1 if processes > 1 else int(settings.embed_threads)
    return torch_threads(threads) if threads > 0 else nullcontext()
