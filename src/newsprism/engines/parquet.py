"""Parquet for the Ray engine: input shards in, analysed shards out, and back again.

Two formats meet here. *Input* shards follow the JSONL contract (GUIDE.md §3) column
for column (`text` required; `id`, `title`, `url`, `source`, `published`/`date`,
`author`, `lang`; other columns kept as metadata), and each row goes through the JSONL
reader's own `from_object`, so a Parquet row and a JSONL line make the same article.
*Analysed* shards hold one row per input record: the article as ingest would store it,
or the record's rejection, plus the analysis and embeddings the workers computed.
`file_index`/`record_index` give each row its place in ingestion order, which Ray's
parallel output does not keep but the loader needs (entity merging depends on it).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ConfigError
from . import RAY_HINT

try:
    import pyarrow as pa
    import pyarrow.parquet as pq
except ImportError:  # pyarrow comes with the `ray` extra; say so, not "no module named"
    raise ConfigError(RAY_HINT) from None

from ..analyse.pipeline import Pending, Vectors
from ..ingest.ids import clean_stored_text, content_key
from ..ingest.pipeline import check_text
from ..models import (
    Analysis,
    DateMention,
    Frame,
    Mention,
    Note,
    Quantity,
    Quote,
    RawArticle,
    Rejected,
    Sentence,
)
from ..settings import Settings

SHARD_VERSION = 4  # 2: event frames; 3: quote attribution (issue 13); 4: reader notes
# Versions this loader reads: 4 only adds rows of new statuses, so 3 loads unchanged.
READABLE_VERSIONS = (3, 4)
_INT, _STR, _FLOAT = pa.int64(), pa.string(), pa.float64()


def _spans(**fields: pa.DataType) -> pa.DataType:
    """A list of span structs: start and end first, as in the models."""
    return pa.list_(pa.struct({"start": _INT, "end": _INT, "text": _STR, **fields}))


# One row per input record, in the order: place, outcome, article, analysis, vectors.
ARTICLE_FIELDS = ("origin", "input_id", "title", "url", "source", "published", "author", "lang")
SHARD_SCHEMA = pa.schema(
    [
        ("file_index", pa.int32()),
        ("record_index", _INT),
        ("status", _STR),  # "ok", "rejected", or a reader note: "skipped" / "warning"
        ("path", _STR),
        ("record", _STR),
        ("reason", _STR),
        *[(name, _STR) for name in ARTICLE_FIELDS],
        ("meta", _STR),  # JSON, exactly as ingest stores it
        ("text", _STR),  # the text as stored (clean_stored_text)
        ("key", _STR),
        ("an_lang", _STR),
        ("skipped", _STR),
        ("sentences", _spans()),
        ("mentions", _spans(type=_STR, canonical=_STR, role=_STR)),
        (
            "quotes",
            _spans(
                speaker=_STR,
                cue=_STR,
                speaker_entity=_INT,
                speaker_description=_STR,
                attribution=_STR,
                kind=_STR,
                confident=pa.bool_(),
            ),
        ),
        ("quantities", _spans(kind=_STR, value=_FLOAT, unit=_STR, qualifier=_STR)),
        ("dates", _spans(value=_STR)),
        ("frames", pa.list_(pa.struct({"kind": _STR, "verb": _STR, "arg": _STR, "source": _STR}))),
        ("dim", pa.int32()),
        ("sentence_vectors", pa.binary()),  # float32, row-major, n sentences x dim
        ("article_vector", pa.binary()),  # float32; null when the article was skipped
    ]
)
NOTE_KINDS = ("skipped", "warning")
READ_COLUMNS = SHARD_SCHEMA.names[: SHARD_SCHEMA.get_field_index("key")]
_RECORDS = {
    "sentences": Sentence,
    "mentions": Mention,
    "quotes": Quote,
    "quantities": Quantity,
    "dates": DateMention,
    "frames": Frame,
}


# --------------------------------------------------------------- analysed shards


def read_row(
    file_index: int, record_index: int, path: str, item: RawArticle | Rejected, settings: Settings
) -> dict[str, Any]:
    """The shard row of one reader output, checked as `store_article` will check it."""
    place = {"file_index": file_index, "record_index": record_index}
    if isinstance(item, RawArticle):
        text = clean_stored_text(item.text)
        problem = check_text(item, text, settings)
        if problem is None:
            article = {name: getattr(item, name) for name in ARTICLE_FIELDS}
            meta = json.dumps(item.meta, ensure_ascii=False, default=str)
            return {**place, "status": "ok", "path": path, **article, "meta": meta, "text": text}
        item = problem
    return {**place, "status": "rejected", "path": item.path, "record": item.record,
            "reason": item.reason}  # fmt: skip


def note_row(file_index: int, record_index: int, note: Note) -> dict[str, Any]:
    """A reader's note (a record skipped on purpose, a library warning) as a shard row.

    The local ingest counts these in its summary (issue 14); carried in the shards, the
    Ray engine's summary says the same about the same input.
    """
    return {"file_index": file_index, "record_index": record_index, "status": note.kind,
            "path": note.path, "record": note.record, "reason": note.reason}  # fmt: skip


def note_of(row: dict[str, Any]) -> Note | None:
    """The reader note a shard row holds, or None for an article or a rejection."""
    if row["status"] in NOTE_KINDS:
        return Note(row["path"], row["record"], row["status"], row["reason"])
    return None


def to_table(rows: list[dict[str, Any]]) -> pa.Table:
    """Rows as a table of the one shard schema (missing columns are null)."""
    return pa.Table.from_pylist(rows, schema=SHARD_SCHEMA)


def pending_of(row: dict[str, Any]) -> Pending:
    """The article as the local analyse stage would read it back from the store."""
    key = content_key(row["text"])
    return Pending(key, row["input_id"] or key, row["title"], row["text"], row["published"],
                   row["lang"])  # fmt: skip


def analysis_columns(art: Pending, an: Analysis, vec: Vectors | None) -> dict[str, Any]:
    """The analysis and vectors of one article as shard columns."""
    out: dict[str, Any] = {"key": art.key, "an_lang": an.lang, "skipped": an.skipped}
    for name in _RECORDS:
        out[name] = [dataclasses.asdict(item) for item in getattr(an, name)]
    if vec is not None:
        sentences = np.asarray(vec.sentences, dtype=np.float32)
        out["dim"] = int(sentences.shape[1]) if sentences.ndim == 2 else 0
        out["sentence_vectors"] = sentences.tobytes()
        out["article_vector"] = np.asarray(vec.article, dtype=np.float32).tobytes()
    return out


def raw_of(row: dict[str, Any]) -> RawArticle:
    """The article back as a reader output, for `store_article`."""
    fields = {name: row[name] for name in ARTICLE_FIELDS}
    return RawArticle(text=row["text"], meta=json.loads(row["meta"] or "{}"), **fields)


def analysis_of(row: dict[str, Any]) -> tuple[Analysis, Vectors | None]:
    """The analysis and vectors of a shard row, as `Analyser.analyse_batch` returned them."""
    an = Analysis(lang=row["an_lang"], skipped=row["skipped"])
    for name, cls in _RECORDS.items():
        setattr(an, name, [cls(**item) for item in row[name] or []])
    if row["article_vector"] is None:
        return an, None
    dim = int(row["dim"])
    sentences = np.frombuffer(row["sentence_vectors"], dtype=np.float32).reshape(-1, dim)
    return an, Vectors(np.frombuffer(row["article_vector"], dtype=np.float32), sentences)


def rejected_of(row: dict[str, Any]) -> Rejected:
    return Rejected(row["path"], row["record"], row["reason"])


def shard_files(out_dir: Path) -> list[Path]:
    """The analysed shards of a Ray run, sorted by name."""
    return sorted(p for p in out_dir.glob("*.parquet") if p.is_file())


def rows_in_order(out_dir: Path, columns: list[str] | None = None) -> Iterator[dict[str, Any]]:
    """Every shard row in ingestion order (file, then record), whatever shard holds it.

    Only the two order columns of all shards are read up front; rows are then fetched
    from one shard at a time. Ray keeps blocks in order (`preserve_order`), so each
    shard is normally read once; out-of-order shards cost re-reads, not wrong results.
    """
    files = shard_files(out_dir)
    places: list[tuple[int, int, int, int]] = []
    for number, path in enumerate(files):
        table = pq.read_table(path, columns=["file_index", "record_index"])
        order = zip(table["file_index"].to_pylist(), table["record_index"].to_pylist(),
                    strict=True)  # fmt: skip
        places.extend((f, r, number, i) for i, (f, r) in enumerate(order))
    places.sort()
    current, rows = -1, []
    for _f, _r, number, i in places:
        if number != current:
            current, rows = number, pq.read_table(files[number], columns=columns).to_pylist()
        yield rows[i]
