"""The Python API: a `Workspace` is one database and the stages that fill it.

The CLI and the web app are thin layers over this class, so anything a command can do
a script can do too::

    from newsprism import Workspace
    with Workspace("news.db") as ws:
        ws.ingest(["feeds/", "articles.jsonl"])
        ws.analyse()
        ws.cluster()
        for story in ws.stories():
            print(story["title"])
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .ingest.pipeline import IngestReport
from .ingest.pipeline import ingest as _ingest
from .models import Rejected
from .settings import Settings, load_settings
from .store import queries
from .store.database import Database


class Workspace:
    """One newsprism database with its settings."""

    def __init__(
        self,
        db: str | Path = "newsprism.db",
        settings: Settings | Mapping[str, Any] | None = None,
    ) -> None:
        self.settings = settings if isinstance(settings, Settings) else load_settings(settings)
        self.db = Database(db)

    # -- stages ---------------------------------------------------------------
    def ingest(
        self,
        paths: Sequence[str | Path],
        *,
        fetch: bool = False,
        progress: bool | None = False,
        on_reject: Callable[[Rejected], None] | None = None,
    ) -> IngestReport:
        """Read files, folders, globs or URLs into the store (bad inputs are reported)."""
        return _ingest(self.db, [str(p) for p in paths], self.settings, fetch, progress, on_reject)

    def analyse(self, *, progress: bool | None = False) -> Any:
        """Analyse every article not analysed yet; returns an `AnalyseReport`."""
        from .analyse.pipeline import analyse

        return analyse(self.db, self.settings, progress=progress)

    def cluster(self) -> Any:
        """Assign every analysed, unclustered article to a story."""
        from .cluster.stories import cluster_new

        return cluster_new(self.db, self.settings)

    # -- reads ----------------------------------------------------------------
    def articles(self) -> list[dict[str, Any]]:
        """Stored articles (the `articles --json` contract)."""
        return queries.list_articles(self.db.conn)

    def article(self, article_id: str) -> dict[str, Any] | None:
        """One article with its analysis (the `article ID --json` contract), or None."""
        from .analyse.store_rows import read_analysis

        row = queries.article_row(self.db.conn, article_id)
        if row is None:
            return None
        an = read_analysis(self.db.conn, row["key"], row["text"])
        out: dict[str, Any] = {
            "id": row["id"],
            "title": row["title"],
            "text": row["text"],
            "source": row["source"],
            "url": row["url"],
            "published": row["published"],
            "author": row["author"],
            "words": row["words"],
            "lang": (an.lang if an else None) or row["lang"],
            "duplicate_of": queries.article_id_of(self.db.conn, row["duplicate_of"]),
            "duplicate_score": row["duplicate_score"],
            "meta": json.loads(row["meta"] or "{}"),
            "sightings": queries.sightings(self.db.conn, row["key"]),
            "analysed": an is not None,
            "skipped": an.skipped if an else None,
        }
        out.update(_analysis_dict(an))
        return out

    def stories(self) -> list[dict[str, Any]]:
        """Stories (the `stories --json` contract)."""
        from .cluster.stories import list_stories

        return list_stories(self.db)

    def story(self, story_id: str) -> dict[str, Any] | None:
        from .cluster.stories import story_detail

        return story_detail(self.db, story_id)

    # -- lifetime -------------------------------------------------------------
    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _analysis_dict(an: Any) -> dict[str, Any]:
    if an is None:
        return {k: [] for k in ("sentences", "entities", "quotes", "quantities", "dates")}
    return {
        "sentences": [asdict(s) for s in an.sentences],
        "entities": [
            {
                "text": m.text,
                "start": m.start,
                "end": m.end,
                "type": m.type,
                "canonical": m.canonical,
                "role": m.role,
            }
            for m in an.mentions
        ],
        "quotes": [
            {"text": q.text, "start": q.start, "end": q.end, "speaker": q.speaker, "cue": q.cue}
            for q in an.quotes
        ],
        "quantities": [asdict(q) for q in an.quantities],
        "dates": [asdict(d) for d in an.dates],
    }
