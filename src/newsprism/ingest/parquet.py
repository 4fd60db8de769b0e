"""Parquet input shards: the JSONL contract, column for column.

`text` is required; `id`, `title`, `url`, `source`, `published`/`date`, `author`, `lang`
are optional and other columns are kept as metadata. Each row goes through the JSONL
reader's own `from_object`, so a Parquet row and a JSONL line make the same article.
pyarrow comes with the `ray` extra; without it a Parquet file is rejected with the
install hint instead of being misread.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from typing import Any

from ..models import RawArticle, Rejected
from .jsonl import from_object

PARQUET_MAGIC = b"PAR1"
NEEDS_PYARROW = "reading Parquet needs pyarrow: pip install 'newsprism[ray]'"


def is_parquet(path: str) -> bool:
    """True for a Parquet file, by its magic bytes (names lie, as sniff.py says)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(4) == PARQUET_MAGIC
    except OSError:
        return False


def read_parquet_articles(path: str, batch_rows: int = 1024) -> Iterator[RawArticle | Rejected]:
    """Yield an article or a Rejected for each row of a Parquet input shard.

    Rows are streamed by record batch, so a large shard never sits in memory whole.
    Records are labelled `row N` (1-based) where JSONL says `line N`.
    """
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        yield Rejected(path, None, NEEDS_PYARROW)
        return
    number = 0
    try:
        shard = pq.ParquetFile(path)
        if "text" not in shard.schema_arrow.names:
            yield Rejected(path, None, "Parquet shard has no 'text' column")
            return
        for batch in shard.iter_batches(batch_size=batch_rows):
            for row in batch.to_pylist():
                number += 1
                plain = {name: _plain(value) for name, value in row.items()}
                yield _as_row(from_object(plain, path, number), path, number)
    except (OSError, pa.ArrowException) as exc:
        yield Rejected(path, f"row {number + 1}" if number else None, f"cannot read Parquet: {exc}")


def _plain(value: Any) -> Any:
    """Dates and times as ISO text, as they would be spelled in JSONL."""
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def _as_row(item: RawArticle | Rejected, path: str, number: int) -> RawArticle | Rejected:
    if isinstance(item, Rejected):
        return dataclasses.replace(item, record=f"row {number}")
    item.origin = f"{path}:row {number}"
    return item
