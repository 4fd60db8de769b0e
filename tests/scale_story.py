"""A large synthetic story with hand-built analysis, for the brief's scale test and bench.

The articles share a few templated statements among filler lines; their analysis (toy
vectors, regex quantities and dates, a fixed name list) is written with the analysis
stage's own `write_analysis`, so no model is loaded and only the brief is exercised.
Used by tests/test_brief_scale.py and bench/brief_scale.py (which times it).
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import numpy as np

from newsprism import Workspace
from newsprism.analyse.dates import extract_dates
from newsprism.analyse.quantities import extract_quantities
from newsprism.analyse.store_rows import write_analysis
from newsprism.models import Analysis, Sentence
from test_corroborate import mentions_in, toy_vector

TEMPLATES = [
    "Putin and Trump met in Anchorage on Friday for talks about the war.",
    "The talks lasted {n} hours and ended without a formal agreement.",
    "Putin invited Trump to Moscow for the next round of talks.",
    "Trump said the discussions were productive and that progress had been made.",
    "European leaders welcomed the meeting as a step toward reducing tensions.",
    "Analysts said the summit revived momentum for dialogue in {city}.",
    "Officials in Washington declined to comment on the details of the meeting.",
    "The markets reacted calmly as investors waited for more news about sanctions.",
]
FILLER = [
    "Reporter {i} noted that the weather in Alaska was mild for the season.",
    "Local residents gathered near the venue to watch the motorcades pass.",
    "Security was tight around the base where the leaders arrived by plane.",
    "Some commentators questioned whether the meeting would change anything.",
]
FILLER_LINES = 18  # per article: a story of long articles, most lines not shared


def _article(i: int, rng: random.Random) -> str:
    lines = [t.format(n=3, city="Anchorage") for t in TEMPLATES if rng.random() < 0.8]
    lines += [rng.choice(FILLER).format(i=i) for _ in range(FILLER_LINES)]
    rng.shuffle(lines)
    return "\n".join(lines)


def build_story(folder: Path, articles: int, seed: int = 7) -> Workspace:
    """A workspace in `folder` holding one story of `articles` analysed articles."""
    rng = random.Random(seed)
    rows = [
        {"id": f"a{i}", "text": _article(i, rng), "source": f"Outlet {i}"} for i in range(articles)
    ]
    (folder / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    ws = Workspace(folder / "big.db")
    ws.ingest([folder / "in.jsonl"])
    with ws.db.write() as conn:
        for key, text in conn.execute("SELECT key, text FROM articles").fetchall():
            _write_toy_analysis(conn, key, text)
    return ws


def _write_toy_analysis(conn: Any, key: str, text: str) -> None:
    sentences, pos = [], 0
    for line in text.split("\n"):
        sentences.append(Sentence(pos, pos + len(line), line))
        pos += len(line) + 1
    an = Analysis("en", sentences, mentions_in(text), [], extract_quantities(text),
                  extract_dates(text, None))  # fmt: skip
    vecs = np.stack([toy_vector(s.text, 384) for s in sentences])

    class Vectors:
        sentences = vecs
        article = vecs.mean(axis=0) / np.linalg.norm(vecs.mean(axis=0))

    write_analysis(conn, key, an, Vectors, "toy", "2025-01-01T00:00:00+00:00")
