"""Near-duplicate detection with MinHash LSH (datasketch), persisted in the store.

Why MinHash: a wire story reprinted with a changed line or two shares most of its word
shingles with the original; LSH finds such candidates in time independent of the corpus
size, and the exact shingle Jaccard of the few candidates decides. The seed is fixed so
signatures stored by one run match those computed by the next.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

import numpy as np
from datasketch import MinHash, MinHashLSH

from .ids import words

SEED = 1
SCHEME = "affine32"  # stored signatures are only comparable within one scheme
LSH_THRESHOLD = 0.4  # recall-oriented candidate filter; the setting decides


def shingles(text: str, size: int) -> set[bytes]:
    """Word n-gram shingles of the normalised text (whole text when shorter)."""
    toks = words(text)
    if len(toks) < size:
        return {" ".join(toks).encode("utf-8")} if toks else set()
    return {" ".join(toks[i : i + size]).encode("utf-8") for i in range(len(toks) - size + 1)}


def jaccard(a: set[bytes], b: set[bytes]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


class NearDuplicateIndex:
    """An LSH index over stored articles' MinHash signatures.

    `candidates(mh)` returns the stored keys most likely to be near-duplicates, best
    first: LSH finds them, and the MinHash estimate ranks them so that at most
    `MAX_EXACT` get the exact (costly) comparison even in templated corpora where
    every article looks like every other.
    """

    MAX_EXACT = 5

    def __init__(self, threshold: float, num_perm: int, shingle_words: int) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"near_dup_threshold must be in (0, 1], got {threshold}")
        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle_words = shingle_words
        self._lsh = MinHashLSH(threshold=min(LSH_THRESHOLD, threshold), num_perm=num_perm)
        self._values: dict[str, np.ndarray] = {}

    def signature(self, shingle_set: set[bytes]) -> MinHash:
        mh = MinHash(num_perm=self.num_perm, seed=SEED, scheme=SCHEME)
        mh.update_batch(list(shingle_set))
        return mh

    def load(self, rows: Iterable[tuple[str, bytes]]) -> None:
        """Register stored signatures (key, uint64 bytes) from an earlier run."""
        with self._lsh.insertion_session() as session:
            for key, blob in rows:
                values = np.frombuffer(blob, dtype=np.uint64)
                if len(values) == self.num_perm:
                    mh = MinHash(self.num_perm, SEED, hashvalues=values, scheme=SCHEME)
                    session.insert(key, mh)
                    self._values[key] = values

    def candidates(self, mh: MinHash) -> list[str]:
        """Up to MAX_EXACT candidate keys whose estimated Jaccard is near the threshold."""
        keys = list(self._lsh.query(mh))
        if not keys:
            return []
        stacked = np.stack([self._values[k] for k in keys])
        estimate = (stacked == mh.hashvalues).mean(axis=1)
        order = np.argsort(-estimate)[: self.MAX_EXACT]
        slack = 0.15  # the estimate's error at 128 permutations is about ±0.09
        return [keys[i] for i in order if estimate[i] >= self.threshold - slack]

    def add(self, key: str, mh: MinHash) -> None:
        if key not in self._values:
            self._lsh.insert(key, mh)
            self._values[key] = mh.hashvalues.astype(np.uint64)


def best_match(
    conn: sqlite3.Connection,
    index: NearDuplicateIndex,
    shingle_set: set[bytes],
    mh: MinHash,
) -> tuple[str, float] | None:
    """The stored article most similar to these shingles, if above the threshold.

    Candidates come from LSH; the exact Jaccard over re-shingled stored text decides,
    so the score recorded is not an estimate. A match that is itself a near-duplicate
    is followed to its root, so every reprint points at one original.
    """
    best: tuple[str, float] | None = None
    for key in index.candidates(mh):
        row = conn.execute(
            "SELECT text, duplicate_of FROM articles WHERE key = ?", (key,)
        ).fetchone()
        if row is None:
            continue
        score = jaccard(shingle_set, shingles(row["text"], index.shingle_words))
        if score >= index.threshold and (best is None or score > best[1]):
            best = (row["duplicate_of"] or key, score)
    return best
