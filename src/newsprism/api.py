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

import hashlib
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
from .store.database import Database, utcnow


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

    def analyse_ray(
        self,
        inputs: Sequence[str | Path],
        out_dir: str | Path | None = None,
        address: str | None = None,
        workers: int = 2,
    ) -> Any:
        """Read and analyse `inputs` on Ray, then load them here (issue 7).

        The store ends up as `ingest(inputs)` + `analyse()` would leave it; returns a
        `LoadReport` (`.ingest`, `.analyse`, `.ray`). Shards go to a temporary folder
        unless `out_dir` is given; `address` is None (local Ray), "auto" or
        "ray://HOST:10001". Needs the `ray` extra.
        """
        from .engines.ray_engine import analyse_and_load

        out = Path(out_dir) if out_dir is not None else None
        paths = [str(p) for p in inputs]
        return analyse_and_load(self.db, paths, self.settings, out, address, workers)

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

    def brief(self, story_id: str, *, refresh: bool = False) -> dict[str, Any] | None:
        """The story's brief (GUIDE.md §3 contract), or None for an unknown story.

        Cached in the store until the story's membership or the settings that shape
        a brief change; `refresh=True` recomputes it.
        """
        from .report.brief import build_brief

        conn = self.db.conn
        if conn.execute("SELECT 1 FROM stories WHERE id = ?", (story_id,)).fetchone() is None:
            return None
        keys = [
            r[0]
            for r in conn.execute(
                "SELECT article_key FROM story_articles WHERE story_id = ? ORDER BY node",
                (story_id,),
            )
        ]
        digest = brief_digest(keys, self.settings)
        if not refresh:
            row = conn.execute(
                "SELECT brief FROM briefs WHERE story_id = ? AND digest = ?", (story_id, digest)
            ).fetchone()
            if row is not None:
                return dict(json.loads(row[0]))
        detail = self.story(story_id) or {}
        brief = build_brief(
            self.db, keys, self.settings, story_id=story_id, title=detail.get("title")
        )
        with self.db.write() as w:
            w.execute(
                "INSERT OR REPLACE INTO briefs (story_id, digest, brief, created_at)"
                " VALUES (?, ?, ?, ?)",
                (story_id, digest, json.dumps(brief, ensure_ascii=False), utcnow()),
            )
        return brief

    # -- lifetime -------------------------------------------------------------
    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


BRIEF_VERSION = "2"  # bump when the brief's algorithm changes, to drop cached briefs


def brief_digest(keys: Sequence[str], settings: Settings) -> str:
    """The cache key of a story's brief: its members, the settings that shape it, the version."""
    shaping = {k: settings[k] for k in settings if k.startswith(("brief_", "align_"))}
    payload = json.dumps([BRIEF_VERSION, list(keys), shaping], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:24]


def _analysis_dict(an: Any) -> dict[str, Any]:
    if an is None:
        return {k: [] for k in ("sentences", "entities", "quotes", "quantities", "dates", "frames")}
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
        "frames": [asdict(f) for f in an.frames],
    }
