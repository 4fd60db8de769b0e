"""Pairwise article similarity: lexical, embedding, entity, detail and time evidence.

    score = w_lex * cos(tf-idf) + w_emb * cos(vectors) + w_ent * cos(entity idf)
            + w_fig * [a figure in common] + w_frame * [an event frame in common]
            - time_penalty * ramp(|days apart| - window)

Lexical overlap carries most of the weight because it measured best on its own (a
TF-IDF + average-link baseline beats MiniLM alone on every evaluation set, issue 4):
it sees the numbers, names and places that tell two earthquakes apart, which a
sentence embedding blurs. The embedding catches paraphrase (snippets that share few
words), entities weighted by rarity reward a shared "Qeshm" far above a shared "Iran",
a figure in common ("26 pirates", the same "$984 billion") and an event frame in common
(the headline's or lead's "Twitter bans", "captures pirates") are the details that two
reports of one event repeat and two events of one kind do not, and time only ever
subtracts: two reports weeks apart need more textual evidence, but
reports on the same day get no bonus, because a busy day holds many stories.

Everything is computed a block at a time (sparse products), never pair by pair in
Python, so scoring a batch of articles against its candidates stays cheap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

from .features import Features
from .vocab import Vocabulary


@dataclass(frozen=True, slots=True)
class Weights:
    """The scoring knobs (settings `cluster_weight_*`, `cluster_time_*`)."""

    lexical: float = 0.6
    embedding: float = 0.25
    entities: float = 0.15
    entity_missing: float = 0.2
    quantities: float = 0.06
    frames: float = 0.1
    time_penalty: float = 0.1
    window_days: float = 7.0

    @classmethod
    def from_settings(cls, settings: Any) -> Weights:
        return cls(
            lexical=float(settings["cluster_weight_lexical"]),
            embedding=float(settings["cluster_weight_embedding"]),
            entities=float(settings["cluster_weight_entities"]),
            entity_missing=float(settings["cluster_entity_missing"]),
            quantities=float(settings["cluster_weight_quantities"]),
            frames=float(settings["cluster_weight_frames"]),
            time_penalty=float(settings["cluster_time_penalty"]),
            window_days=float(settings["cluster_time_window_days"]),
        )


class Scorer:
    """Scores blocks of articles against blocks of articles with the current IDF."""

    def __init__(self, vocab: Vocabulary, weights: Weights) -> None:
        self.vocab = vocab
        self.weights = weights

    def matrix(self, rows: Sequence[Features], cols: Sequence[Features]) -> np.ndarray:
        """Combined scores, shape (len(rows), len(cols)), float32."""
        w = self.weights
        out = np.zeros((len(rows), len(cols)), np.float32)
        if not rows or not cols:
            return out
        if w.lexical:
            lex = self._weighted(rows, "terms") @ self._weighted(cols, "terms").T
            out += w.lexical * lex.toarray()
        if w.embedding:
            out += w.embedding * (_vectors(rows) @ _vectors(cols).T)
        if w.entities:
            out += w.entities * self._entities(rows, cols)
        for weight, kind in self._details():
            if weight:
                shared = self._binary(rows, kind) @ self._binary(cols, kind).T
                out += weight * (shared.toarray() > 0)
        if w.time_penalty:
            out -= self._time(rows, cols)
        return out

    def story_sums(
        self,
        feats: Sequence[Features],
        stories: Sequence[Sequence[Features]],
        pairs: tuple[np.ndarray, np.ndarray],
    ) -> np.ndarray:
        """For each (article index, story index) pair, the *sum* of the article's scores
        with the story's members.

        Every part of the score except the shared details and time is linear in the
        member, so the sum over a story is one dot product with the story's summed
        vectors: the cost of a pair does not grow with the story. Members sharing a
        figure or a frame are counted with one sparse product each, and the time penalty
        is taken member by member.
        """
        w = self.weights
        rows, cols = pairs
        out = np.zeros(len(rows), np.float64)
        if len(rows) == 0:
            return out
        flat = [m for ms in stories for m in ms]
        sizes = np.array([len(ms) for ms in stories], np.int64)
        owner = sparse.csr_matrix(
            (
                np.ones(len(flat)),
                np.repeat(np.arange(len(stories)), sizes),
                np.arange(len(flat) + 1),
            ),
            shape=(len(flat), len(stories)),
        ).T.tocsr()  # stories x members, to sum member rows per story
        if w.lexical:
            summed = owner @ self._weighted(flat, "terms")
            out += w.lexical * _rowwise(self._weighted(feats, "terms")[rows], summed[cols])
        if w.embedding:
            vsum = owner @ _vectors(flat)
            out += w.embedding * np.einsum("ij,ij->i", _vectors(feats)[rows], vsum[cols])
        if w.entities:
            out += w.entities * self._entity_sums(feats, flat, owner, sizes, pairs)
        for weight, kind in self._details():
            if weight:
                shared = (self._binary(feats, kind) @ self._binary(flat, kind).T).tocsr()
                shared.data = (shared.data > 0).astype(np.float64)
                counts = (shared @ owner.T).tocsr()  # members sharing one, per story
                out += weight * np.asarray(counts[rows, cols], np.float64).ravel()
        if w.time_penalty:
            out -= self._time_sums(feats, flat, sizes, pairs)
        return out

    def _entity_sums(
        self,
        feats: Sequence[Features],
        flat: Sequence[Features],
        owner: sparse.csr_matrix,
        sizes: np.ndarray,
        pairs: tuple[np.ndarray, np.ndarray],
    ) -> np.ndarray:
        rows, cols = pairs
        summed = owner @ self._weighted(flat, "entities")
        with_ents = owner @ np.array([len(m.entity_ids) > 0 for m in flat], np.float64)
        has = np.array([len(f.entity_ids) > 0 for f in feats])[rows]
        dot = _rowwise(self._weighted(feats, "entities")[rows], summed[cols])
        missing = self.weights.entity_missing
        return np.where(has, dot + missing * (sizes[cols] - with_ents[cols]), missing * sizes[cols])

    def _time_sums(
        self,
        feats: Sequence[Features],
        flat: Sequence[Features],
        sizes: np.ndarray,
        pairs: tuple[np.ndarray, np.ndarray],
    ) -> np.ndarray:
        rows, cols = pairs
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        day_m = np.array([np.nan if m.day is None else m.day for m in flat], np.float64)
        day_f = np.array([np.nan if f.day is None else f.day for f in feats], np.float64)
        counts = sizes[cols]
        pair_of = np.repeat(np.arange(len(rows)), counts)
        offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        member = np.repeat(starts[cols], counts) + offsets
        gap = np.abs(day_f[rows][pair_of] - day_m[member])
        pen = self._ramp(gap)
        return np.bincount(pair_of, weights=pen, minlength=len(rows))

    def _weighted(self, feats: Sequence[Features], kind: str) -> sparse.csr_matrix:
        """Row-normalised sparse TF-IDF (terms) or binary IDF (entities) vectors."""
        if kind == "terms":
            parts = [(f.term_ids, 1.0 + np.log(np.maximum(f.term_tf, 1.0))) for f in feats]
        else:
            parts = [(f.entity_ids, np.ones(len(f.entity_ids), np.float32)) for f in feats]
        indptr = np.zeros(len(parts) + 1, np.int64)
        indptr[1:] = np.cumsum([len(ids) for ids, _ in parts])
        if indptr[-1] == 0:
            return sparse.csr_matrix((len(parts), max(len(self.vocab.ids), 1)), dtype=np.float32)
        ids = np.concatenate([ids for ids, _ in parts])
        data = np.concatenate([tf for _, tf in parts]) * self.vocab.idf(ids)
        norms = np.sqrt(np.add.reduceat(data**2, indptr[:-1][np.diff(indptr) > 0]))
        scale = np.zeros(len(parts))
        scale[np.diff(indptr) > 0] = 1.0 / np.maximum(norms, 1e-12)
        data = data * np.repeat(scale, np.diff(indptr))
        shape = (len(parts), max(len(self.vocab.ids), 1))
        return sparse.csr_matrix((data.astype(np.float32), ids, indptr), shape=shape)

    def _details(self) -> tuple[tuple[float, str], ...]:
        """The shared-detail signals: (weight, the `Features` field of their ids)."""
        return ((self.weights.quantities, "quantity_ids"), (self.weights.frames, "frame_ids"))

    def _binary(self, feats: Sequence[Features], kind: str) -> sparse.csr_matrix:
        """Binary rows of the articles' ids of one kind (`quantity_ids`, `frame_ids`)."""
        sets = [getattr(f, kind) for f in feats]
        indptr = np.zeros(len(feats) + 1, np.int64)
        indptr[1:] = np.cumsum([len(ids) for ids in sets])
        ids = np.concatenate(sets or [np.zeros(0, np.int32)])
        shape = (len(feats), max(len(self.vocab.ids), 1))
        return sparse.csr_matrix((np.ones(len(ids), np.float32), ids, indptr), shape=shape)

    def _entities(self, rows: Sequence[Features], cols: Sequence[Features]) -> np.ndarray:
        """Entity cosine; a pair where either side names no entity gets a neutral value,
        so a short snippet without names is neither rewarded nor punished."""
        sim = (self._weighted(rows, "entities") @ self._weighted(cols, "entities").T).toarray()
        has_r = np.array([len(f.entity_ids) > 0 for f in rows])
        has_c = np.array([len(f.entity_ids) > 0 for f in cols])
        both = has_r[:, None] & has_c[None, :]
        return np.where(both, sim, self.weights.entity_missing).astype(np.float32)

    def _time(self, rows: Sequence[Features], cols: Sequence[Features]) -> np.ndarray:
        """Penalty rising linearly from 0 at `window_days` apart to the full weight at
        twice that; unknown dates cost nothing."""
        d_r = np.array([np.nan if f.day is None else f.day for f in rows], np.float64)
        d_c = np.array([np.nan if f.day is None else f.day for f in cols], np.float64)
        return self._ramp(np.abs(d_r[:, None] - d_c[None, :])).astype(np.float32)

    def _ramp(self, gap: np.ndarray) -> np.ndarray:
        window = max(self.weights.window_days, 1e-9)
        ramp = np.clip((gap - window) / window, 0.0, 1.0)
        return self.weights.time_penalty * np.nan_to_num(ramp, nan=0.0)


def _vectors(feats: Sequence[Features]) -> np.ndarray:
    return np.stack([f.vector for f in feats]).astype(np.float32, copy=False)


def _rowwise(a: sparse.csr_matrix, b: sparse.csr_matrix) -> np.ndarray:
    """Row-by-row dot products of two sparse matrices of equal shape."""
    return np.asarray(a.multiply(b).sum(axis=1), np.float64).ravel()
