"""The Ray engine (issue 7): read and analyse on a Ray cluster, load into the store here.

Nothing is implemented twice. Workers call the local engine's own functions: the
readers (`read_input`, plus `from_object` for Parquet rows), `clean_stored_text` and
the ingest `check_text`, and `Analyser.analyse_batch`; the loader then calls `store_article`,
`resolve_entities` and `write_analysis` in ingestion order. Per-article analysis does
not depend on batching or placement, and the cross-article steps (dedup, entity
merging) run here, in order, so the store ends up as `ingest` + `analyse` would leave it.

    files ─► Ray: read (task per file) ─► repartition ─► analyse (actor per worker)
          ─► Parquet shards ─► here: store_article + resolve_entities + write_analysis

Ray is imported lazily: without the `ray` extra, the local engine and `load_analysed`
(which needs only pyarrow) keep working.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..analyse.entities import EntityRegistry
from ..analyse.nlp import embedding_id
from ..analyse.pipeline import Analyser, AnalyseReport, Pending, Vectors, resolve_entities
from ..analyse.store_rows import load_registry, write_analysis
from ..errors import ConfigError
from ..ingest.dedup import NearDuplicateIndex
from ..ingest.failures import describe
from ..ingest.parquet import is_parquet, read_parquet_articles
from ..ingest.pipeline import IngestReport, load_index, store_article
from ..ingest.sources import InputRef, checked_length, expand_inputs, read_input
from ..models import Analysis, Note, RawArticle, Rejected
from ..settings import Settings
from ..store.database import Database, utcnow
from . import RAY_HINT
from . import parquet as shards

if TYPE_CHECKING:
    import pyarrow as pa

MANIFEST = "_newsprism.json"
# Settings that change what the workers compute: shards made with other values would
# not match what the local engine stores, so the loader refuses them.
SHAPING = ("spacy_model", "embedding_model", "embedding_precision", "nlp_max_chars",
           "min_article_chars", "max_article_chars")  # fmt: skip
_READ_CHUNK = 256  # rows per table a read task yields
_ROWS_PER_FILE = 1024  # analysed rows per output shard (bounded memory in the loader)
_RETRIES = 3  # restarts of a dead actor, and retries of its batch
_REPORT_COLUMNS = ["file_index", "record_index", "status", "path", "record", "reason"]


@dataclass(slots=True)
class RayReport:
    """What the Ray stage produced: shards in `out_dir`, and the records it rejected."""

    out_dir: Path
    articles: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    workers: int = 0
    seconds: float = 0.0
    notes: list[Note] = field(default_factory=list)

    def summary(self) -> str:
        skipped = sum(n.kind == "skipped" for n in self.notes)
        warned = len(self.notes) - skipped
        extra = f", {skipped} records skipped" if skipped else ""
        extra += f", {warned} warnings" if warned else ""
        return (
            f"{self.articles} articles analysed on {self.workers} Ray workers in "
            f"{self.seconds:.1f}s, {len(self.rejected)} rejected{extra} (shards in {self.out_dir})"
        )


@dataclass(slots=True)
class LoadReport:
    """What loading did, as the local `ingest` and `analyse` would report it."""

    ingest: IngestReport = field(default_factory=IngestReport)
    analyse: AnalyseReport = field(default_factory=AnalyseReport)
    ray: RayReport | None = None

    def summary(self) -> str:
        return f"ingest: {self.ingest.summary()}; analyse: {self.analyse.summary()}"


# ----------------------------------------------------------------- the Ray stage


def analyse_on_ray(
    inputs: Sequence[str],
    out_dir: Path,
    settings: Settings,
    address: str | None = None,
    workers: int = 2,
    *,
    cpus_per_worker: float = 0.5,
) -> RayReport:
    """Read and analyse `inputs` (files, folders, globs) on Ray into Parquet shards.

    `address`: None starts a local Ray (bound to 127.0.0.1) unless one is running or
    RAY_ADDRESS is set; "auto" or "ray://HOST:10001" joins a cluster. `workers` model
    actors each load the models once. `cpus_per_worker` stays fractional by default:
    on two cores, whole-CPU actors starve Ray Data's read and write tasks (a silent hang).
    """
    if workers < 1:
        raise ConfigError(f"workers must be at least 1, got {workers}")
    _import_ray()  # fail before touching anything when the extra is missing
    out_dir = Path(out_dir)
    _prepare(out_dir)
    refs, missing = expand_inputs([str(p) for p in inputs])
    start = time.perf_counter()
    if refs:
        with _ray_session(address):
            _run(refs, out_dir, settings, workers, cpus_per_worker)
    report = RayReport(out_dir, workers=workers, rejected=list(missing))
    report.seconds = time.perf_counter() - start
    for row in shards.rows_in_order(out_dir, _REPORT_COLUMNS):
        note = shards.note_of(row)
        if note is not None:
            report.notes.append(note)
        elif row["status"] == "ok":
            report.articles += 1
        else:
            report.rejected.append(shards.rejected_of(row))
    manifest = {
        "version": shards.SHARD_VERSION,
        "inputs": [str(p) for p in inputs],
        "files": [ref.path for ref in refs],
        "rejected": [[r.path, r.record, r.reason] for r in missing],
        "settings": {name: settings[name] for name in SHAPING},
        "articles": report.articles,
        "workers": workers,
        "seconds": round(report.seconds, 3),
    }
    # Written last: its presence is what marks the folder as a finished run.
    (out_dir / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return report


def _prepare(out_dir: Path) -> None:
    """An output folder of our own: appending to old shards would mix two runs."""
    if out_dir.exists() and (shards.shard_files(out_dir) or (out_dir / MANIFEST).exists()):
        raise ConfigError(f"{out_dir} already holds analysed shards: choose an empty folder")
    out_dir.mkdir(parents=True, exist_ok=True)


def _import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise ConfigError(RAY_HINT) from None
    return ray


def _quiet_ray_data(ray: Any) -> None:
    """Keep Ray's own INFO lines and progress bars off stderr (issue 14).

    A run printed dozens of lines per dataset ("Registered dataset logger", execution
    plans, per-operator bars) around newsprism's own output. Workers' logs stay in
    Ray's session folder (`log_to_driver=False`); errors still reach us as exceptions.
    """
    os.environ.setdefault("RAY_DEDUP_LOGS", "0")
    for name in ("ray", "ray.data", "ray.serve", "ray.train"):
        logging.getLogger(name).setLevel(logging.WARNING)
    try:
        import ray.data

        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        context.print_on_execution_start = False
    except (ImportError, AttributeError):
        return


@contextmanager
def _ray_session(address: str | None) -> Iterator[None]:
    """Use the running Ray, else start or join one and shut it down afterwards."""
    ray = _import_ray()
    if ray.is_initialized():
        yield
        return
    quiet = {"logging_level": logging.WARNING, "log_to_driver": False}
    _quiet_ray_data(ray)
    if address is None and not os.environ.get("RAY_ADDRESS"):
        ray.init(include_dashboard=False, _node_ip_address="127.0.0.1", **quiet)
    else:
        ray.init(address=address, **quiet)
    try:
        yield
    finally:
        ray.shutdown()


def _run(
    refs: list[InputRef], out_dir: Path, settings: Settings, workers: int, cpus: float
) -> None:
    """Build and execute the dataset: one read task per file, one actor per worker."""
    ray = _import_ray()
    from ray.data import ActorPoolStrategy, DataContext

    values, batch = dict(settings), int(settings.analyse_batch_size)
    context = DataContext.get_current()
    keep_order = context.execution_options.preserve_order
    context.execution_options.preserve_order = True  # shards in order: one read each
    try:
        files = [{"file_index": i, "path": r.path, "kind": r.kind} for i, r in enumerate(refs)]
        ds = ray.data.from_items(files, override_num_blocks=len(files))
        ds = ds.map_batches(read_files, batch_size=1, batch_format="pyarrow",
                            fn_kwargs={"settings": values}, num_cpus=cpus)  # fmt: skip
        # A single big file is one read task: cut its output so every actor gets work.
        ds = ds.repartition(target_num_rows_per_block=batch)
        with warnings.catch_warnings():
            # Ray 2.60 has no named parameter for actor restarts; the kwargs still work.
            warnings.filterwarnings("ignore", "`ray_remote_args` is deprecated", Warning)
            ds = ds.map_batches(
                AnalyseWorker, batch_size=batch, batch_format="pyarrow",
                fn_constructor_kwargs={"settings": values},
                compute=ActorPoolStrategy(size=workers), num_cpus=cpus,
                max_restarts=_RETRIES, max_task_retries=_RETRIES,
            )  # fmt: skip
        ds.write_parquet(str(out_dir), min_rows_per_file=_ROWS_PER_FILE,
                         ray_remote_args={"num_cpus": cpus})  # fmt: skip
    finally:
        context.execution_options.preserve_order = keep_order


def read_files(batch: pa.Table, settings: dict[str, Any]) -> Iterator[pa.Table]:
    """Ray read stage: the records of each input file as shard rows (read, cleaned, checked)."""
    resolved = Settings(settings)
    columns = zip(batch["file_index"].to_pylist(), batch["path"].to_pylist(),
                  batch["kind"].to_pylist(), strict=True)  # fmt: skip
    for file_index, path, kind in columns:
        rows: list[dict[str, Any]] = []
        for number, item in enumerate(_records(InputRef(path, kind), resolved)):
            if isinstance(item, Note):
                rows.append(shards.note_row(file_index, number, item))
            else:
                rows.append(shards.read_row(file_index, number, path, item, resolved))
            if len(rows) >= _READ_CHUNK:
                yield shards.to_table(rows)
                rows = []
        if rows:
            yield shards.to_table(rows)


def _records(ref: InputRef, settings: Settings) -> Iterator[RawArticle | Rejected | Note]:
    """The input's articles, rejections and reader notes, in the order they were read."""
    notes: list[Note] = []
    for item in _read(ref, settings, notes.append):
        yield from notes
        notes.clear()
        yield item
    yield from notes


def _read(
    ref: InputRef, settings: Settings, on_note: Callable[[Note], None]
) -> Iterator[RawArticle | Rejected]:
    """`read_input` for every format it knows, the Parquet reader for Parquet shards."""
    if ref.kind != "file" or not is_parquet(ref.path):
        yield from read_input(ref, settings, on_note=on_note)
        return
    try:
        for item in read_parquet_articles(ref.path):
            yield checked_length(item, ref.path, settings) if isinstance(item, RawArticle) else item
    except Exception as exc:  # as read_input: a reader bug is a rejection, not a failed job
        yield Rejected(ref.path, None, f"unexpected error: {describe(exc)}")


Outcome = tuple[Analysis, Vectors | None] | str


class AnalyseWorker:
    """Ray analyse stage: one actor per worker, models loaded once in `__init__`."""

    def __init__(self, settings: dict[str, Any]) -> None:
        self.analyser = Analyser(Settings(settings))

    def __call__(self, batch: pa.Table) -> pa.Table:
        rows = batch.to_pylist()
        todo = [(row, shards.pending_of(row)) for row in rows if row["status"] == "ok"]
        outcomes = self.analyse([art for _, art in todo])
        for (row, art), outcome in zip(todo, outcomes, strict=True):
            if isinstance(outcome, str):
                row.update(status="rejected", path=row["origin"], record=None, reason=outcome)
            else:
                row.update(shards.analysis_columns(art, *outcome))
        return shards.to_table(rows)

    def analyse(self, batch: list[Pending]) -> list[Outcome]:
        """Each article's analysis in input order; a failing article becomes a reason.

        The batch is analysed whole; if that raises, it is split down to the article
        that fails, so one bad record never fails the job (issue 7).
        """
        if not batch:
            return []
        try:
            results = self.analyser.analyse_batch(batch)
        except Exception as exc:
            if len(batch) == 1:
                return [f"analysis failed: {type(exc).__name__}: {exc}"]
            half = len(batch) // 2
            return self.analyse(batch[:half]) + self.analyse(batch[half:])
        # analyse_batch lists skipped articles first: put results back in input order.
        by_article = {id(art): (an, vec) for art, an, vec in results}
        return [by_article[id(art)] for art in batch]


# ------------------------------------------------------------------- the loader


def load_analysed(db: Database, out_dir: Path, settings: Settings) -> LoadReport:
    """Store the analysed shards of `out_dir` as `ingest` + `analyse` would have.

    Rows go in ingestion order through `store_article` (same keys, sightings and
    near-duplicate links); a newly stored article gets its entities resolved against
    the store's registry and its analysis written in the same transaction.
    """
    out_dir = Path(out_dir)
    manifest = _manifest(out_dir, settings)
    report = LoadReport()
    report.ingest.rejected.extend(Rejected(*item) for item in manifest["rejected"])
    index = load_index(db, settings)
    registry = load_registry(db.conn)
    for row in shards.rows_in_order(out_dir):
        note = shards.note_of(row)
        if note is not None:
            report.ingest.note(note)
        elif row["status"] == "ok":
            _load_row(db, row, index, registry, settings, report)
        else:
            report.ingest.rejected.append(shards.rejected_of(row))
    return report


def _manifest(out_dir: Path, settings: Settings) -> dict[str, Any]:
    """The run's manifest, checked against the settings the store will record."""
    try:
        manifest: dict[str, Any] = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ConfigError(
            f"{out_dir} is not a finished Ray analysis (no readable {MANIFEST}); run it again"
        ) from None
    if manifest.get("version") not in shards.READABLE_VERSIONS:
        raise ConfigError(f"{out_dir}: shard version {manifest.get('version')} is not supported")
    differ = [k for k in SHAPING if manifest["settings"].get(k) != settings[k]]
    if differ:
        names = ", ".join(f"{k}={manifest['settings'].get(k)!r}" for k in differ)
        raise ConfigError(f"{out_dir} was analysed with {names}: load it with those settings")
    return manifest


def _load_row(
    db: Database,
    row: dict[str, Any],
    index: NearDuplicateIndex,
    registry: EntityRegistry,
    settings: Settings,
    report: LoadReport,
) -> None:
    an, vectors = shards.analysis_of(row)
    model = embedding_id(settings.embedding_model, settings.embedding_precision)

    def write(conn: Any, key: str) -> None:
        resolve_entities(registry, an)
        write_analysis(conn, key, an, vectors, model, utcnow())
        if an.skipped:
            stored_id = conn.execute("SELECT id FROM articles WHERE key = ?", (key,)).fetchone()
            report.analyse.skipped[stored_id[0]] = an.skipped

    outcome, value = store_article(db, shards.raw_of(row), index, settings, on_stored=write)
    report.ingest.count(outcome, value)
    if outcome in {"new", "near"}:
        report.analyse.analysed += an.skipped is None


def analyse_and_load(
    db: Database,
    inputs: Sequence[str],
    settings: Settings,
    out_dir: Path | None = None,
    address: str | None = None,
    workers: int = 2,
) -> LoadReport:
    """Both steps; the shards go to a temporary folder unless `out_dir` is given."""
    if out_dir is not None:
        ray_report = analyse_on_ray(inputs, Path(out_dir), settings, address, workers)
        report = load_analysed(db, Path(out_dir), settings)
    else:
        with tempfile.TemporaryDirectory(prefix="newsprism-ray-") as tmp:
            ray_report = analyse_on_ray(inputs, Path(tmp), settings, address, workers)
            report = load_analysed(db, Path(tmp), settings)
    report.ray = ray_report
    return report
