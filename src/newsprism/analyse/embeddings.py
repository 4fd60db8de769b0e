"""Sentence and article embeddings, batched across articles.

One `encode` call per analysis batch (sentence-transformers sorts by length inside it,
so padding stays small); vectors are L2-normalised float32 so a dot product is a cosine.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

DIM_FALLBACK = 384


def encode(model: Any, texts: Sequence[str], batch_size: int) -> np.ndarray:
    """Normalised float32 embeddings of `texts` (shape n × d; n may be 0)."""
    if not texts:
        # sentence-transformers renamed the method; the old name now warns
        dimension = getattr(model, "get_embedding_dimension", None)
        dim = (dimension or model.get_sentence_embedding_dimension)() or DIM_FALLBACK
        return np.zeros((0, dim), dtype=np.float32)
    vecs = model.encode(
        list(texts),
        batch_size=batch_size,
        normalize_embeddings=True,
        convert_to_numpy=True,
        show_progress_bar=False,
    )
    return np.asarray(vecs, dtype=np.float32)


@contextmanager
def torch_threads(n: int) -> Iterator[None]:
    """Run the embedder on `n` intra-op threads, then restore the previous number.

    While spaCy workers keep the other cores busy, one thread is the fastest choice:
    a second one mostly spins waiting for its partner (a third more CPU per sentence).
    """
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def _unit(vec: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vec))
    return vec / norm if norm > 0 else vec


def article_vector(title: np.ndarray | None, sentences: np.ndarray, lead: int = 3) -> np.ndarray:
    """One vector per article: the mean of its title, lead and centroid directions.

    The title and lead carry the event (who, what, where); the centroid keeps the
    rest of the article from being ignored. Each part is normalised first so a long
    article does not drown its headline.
    """
    parts = []
    if title is not None:
        parts.append(_unit(title))
    if len(sentences):
        parts.append(_unit(sentences[:lead].mean(axis=0)))
        parts.append(_unit(sentences.mean(axis=0)))
    if not parts:
        return np.zeros(sentences.shape[1] if sentences.ndim == 2 else DIM_FALLBACK, np.float32)
    return _unit(np.mean(parts, axis=0)).astype(np.float32)
