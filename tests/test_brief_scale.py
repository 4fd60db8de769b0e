"""A story of 60 articles is briefed in under a second once analysed (issue 5).

The articles are synthetic and their analysis is hand-built (toy vectors, regex
quantities and dates) and written with the analysis stage's own `write_analysis`, so
the test needs no model and measures only the brief.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from newsprism import Workspace
from newsprism.analyse.dates import extract_dates
from newsprism.analyse.quantities import extract_quantities
from newsprism.analyse.store_rows import write_analysis
from newsprism.models import Analysis, Sentence
from newsprism.report.brief import build_brief
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


def _article(i: int, rng: random.Random) -> str:
    lines = [t.format(n=3, city="Anchorage") for t in TEMPLATES if rng.random() < 0.8]
    lines += [rng.choice(FILLER).format(i=i) for _ in range(18)]
    rng.shuffle(lines)
    return "\n".join(lines)


@pytest.fixture(scope="module")
def big_story(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder: Path = tmp_path_factory.mktemp("scale")
    rng = random.Random(7)
    rows = [{"id": f"a{i}", "text": _article(i, rng), "source": f"Outlet {i}"} for i in range(60)]
    (folder / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    ws = Workspace(folder / "big.db")
    ws.ingest([folder / "in.jsonl"])
    with ws.db.write() as conn:
        for key, text in conn.execute("SELECT key, text FROM articles").fetchall():
            _write_toy_analysis(conn, key, text)
    yield ws
    ws.close()


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


def test_sixty_articles_are_briefed_in_under_a_second(big_story: Workspace) -> None:
    keys = [r[0] for r in big_story.db.conn.execute("SELECT key FROM articles")]
    assert len(keys) >= 50
    build_brief(big_story.db, keys[:3], big_story.settings)  # warm imports and caches
    best = float("inf")
    for _ in range(2):
        t0 = time.perf_counter()
        brief = build_brief(big_story.db, keys, big_story.settings)
        best = min(best, time.perf_counter() - t0)
    assert best < 1.0, f"brief of {len(keys)} articles took {best:.2f} s"
    top = brief["facts"][0]
    assert top["status"] == "corroborated" and len(top["reported_by"]) > 10
    assert len(brief["briefing"]) <= 8
