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
from typing import TYPE_CHECKING, Any

from .ingest.pipeline import IngestReport
from .ingest.pipeline import ingest as _ingest
from .models import Note, Rejected
from .settings import Settings, load_settings
from .store import queries
from .store.database import Database, utcnow

if TYPE_CHECKING:
    from .analyse.kept_registry import KeptRegistry


class Workspace:
    """One newsprism database with its settings."""

    def __init__(
        self,
        db: str | Path = "newsprism.db",
        settings: Settings | Mapping[str, Any] | None = None,
        *,
        create: bool = True,
    ) -> None:
        """`create=False` opens an existing database only (read commands): a missing one
        raises `StoreError` ("no database at PATH") instead of being created empty."""
        self.settings = settings if isinstance(settings, Settings) else load_settings(settings)
        self.db = Database(db, create=create)
        self._entities: KeptRegistry | None = None  # made by the first analyse

    # -- stages ---------------------------------------------------------------
    def ingest(
        self,
        paths: Sequence[str | Path],
        *,
        fetch: bool = False,
        progress: bool | None = False,
        on_reject: Callable[[Rejected], None] | None = None,
        on_warning: Callable[[Note], None] | None = None,
    ) -> IngestReport:
        """Read files, folders, globs or URLs into the store (bad inputs are reported)."""
        names = [str(p) for p in paths]
        return _ingest(self.db, names, self.settings, fetch, progress, on_reject, on_warning)

    def analyse(self, *, progress: bool | None = False) -> Any:
        """Analyse every article not analysed yet; returns an `AnalyseReport`.

        The corpus entity registry stays warm in this Workspace between runs (issue 15):
        a long-lived caller (`watch`, the web app) replays the store's entity merge once,
        then each run only advances it by what is new.
        """
        from .analyse.pipeline import analyse

        return analyse(self.db, self.settings, progress=progress, kept=self._kept())

    def warm(self) -> None:
        """Load the analysis models and replay the store's entity merge now, so that a
        long-lived caller's first new article does not wait for either (issue 15)."""
        from .analyse.pipeline import Analyser

        Analyser(self.settings)
        self._kept().current(self.db.conn)

    def _kept(self) -> KeptRegistry:
        from .analyse.kept_registry import KeptRegistry

        if self._entities is None:
            self._entities = KeptRegistry()
        return self._entities

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

    def cluster(self, *, progress: bool | None = False) -> Any:
        """Assign every analysed, unclustered article to a story.

        With `track_changes` on, each story that gained articles gets a change entry
        (issue 15): its brief is rebuilt and diffed against the last snapshot.
        """
        from .cluster.stories import cluster_new
        from .store import changes

        before = changes.max_node(self.db.conn)
        report = cluster_new(self.db, self.settings, progress)
        if self.settings["track_changes"]:
            self.record_changes(changes.touched_since(self.db.conn, before), born_after=before)
        return report

    def record_changes(self, story_ids: Sequence[str], *, born_after: int = -1) -> list[Any]:
        """Snapshot each story's brief and log what changed since its last snapshot.

        A story without a snapshot whose first member's node is above `born_after` was
        created by the last cluster run (entry kind `created`); one with older members
        predates the change log (`tracked`). Returns the non-empty `StoryChange` entries
        written (one transaction each).
        """
        from .corroborate.changes import diff, snapshot
        from .store import changes

        written = []
        for story_id in story_ids:
            brief = self.brief(story_id)
            if brief is None:
                continue
            conn = self.db.conn
            old = changes.load_snapshot(conn, story_id)
            kind = "updated" if old is not None else self._first_kind(story_id, born_after)
            new = snapshot(brief)
            change = diff(old, new, story_id, utcnow(), kind)
            with self.db.write() as w:
                changes.save(w, new, change)
            if not change.empty():
                written.append(change)
        return written

    def _first_kind(self, story_id: str, born_after: int) -> str:
        row = self.db.conn.execute(
            "SELECT MIN(node) FROM story_articles WHERE story_id = ?", (story_id,)
        ).fetchone()
        return "created" if row is not None and (row[0] or 0) > born_after else "tracked"

    def changes(self, story_id: str, since: str | None = None) -> list[Any]:
        """A story's change entries (`StoryChange`) at or after `since`, newest first."""
        from .store import changes

        return changes.story_changes(self.db.conn, story_id, since)

    def changes_after(self, entry_id: int) -> list[Any]:
        """Change entries numbered above `entry_id` (a watch cycle's), oldest first."""
        from .store import changes

        return changes.changes_after(self.db.conn, entry_id)

    def recent_changes(self, since: str | None = None, limit: int = 200) -> list[Any]:
        """Every story's change entries at or after `since`, newest first."""
        from .store import changes

        return changes.recent_changes(self.db.conn, since, limit)

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
        from .outlets.service import annotate_stories

        rows = list_stories(self.db)
        annotate_stories(self.db.conn, rows, self.settings)  # outlets, coverage (issue 16)
        return rows

    def story(self, story_id: str) -> dict[str, Any] | None:
        from .cluster.stories import story_detail
        from .outlets.service import all_story_outlets, annotate_story

        detail = story_detail(self.db, story_id)
        found = all_story_outlets(self.db.conn, self.settings, story_id).get(story_id)
        if detail is not None and found is not None:
            annotate_story(detail, found)
        return detail

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
                return self._named(dict(json.loads(row[0])))
        detail = self.story(story_id) or {}
        brief = build_brief(
            self.db, keys, self.settings, story_id=story_id, title=detail.get("title")
        )
        if self.db.readonly:  # computed, but nowhere to cache it
            return brief
        with self.db.write() as w:
            w.execute(
                "INSERT OR REPLACE INTO briefs (story_id, digest, brief, created_at)"
                " VALUES (?, ?, ?, ?)",
                (story_id, digest, json.dumps(brief, ensure_ascii=False), utcnow()),
            )
        return self._named(brief)

    def _named(self, brief: dict[str, Any]) -> dict[str, Any]:
        """Outlets named wherever the brief names articles, at read time: the registry
        can change after the brief was stored (issue 16)."""
        from .outlets.service import name_brief

        return name_brief(self.db.conn, brief, self.settings)

    # -- outlets (issue 16) -----------------------------------------------------
    def import_outlets(self, path: str | Path) -> Any:
        """Import an outlet file (.csv or .toml); returns an `ImportReport`."""
        from .outlets.service import import_file

        return import_file(self.db, Path(path))

    def outlet_index(self) -> Any:
        """Every registered or seen outlet, its stories and its record (`OutletIndex`)."""
        from .outlets.service import outlet_index

        return outlet_index(self.db.conn, self.settings, self.stories())

    def outlets(self) -> list[dict[str, Any]]:
        """The `outlets --json` rows."""
        from .outlets.service import outlet_rows

        return outlet_rows(self.outlet_index())

    def outlet(self, ref: str) -> dict[str, Any] | None:
        """One outlet (by id, name, alias or domain) with its stories and record."""
        from .outlets.service import outlet_detail, outlet_index

        stories = self.stories()
        index = outlet_index(self.db.conn, self.settings, stories)
        return outlet_detail(index, ref, {s["id"]: s for s in stories})

    def blindspots(self, attribute: str) -> list[dict[str, Any]]:
        """Stories covered only by outlets of one value of `attribute`."""
        from .outlets.coverage import attributes_of
        from .outlets.service import blindspot_rows, resolver_for

        known = attributes_of(resolver_for(self.db.conn, self.settings).outlets)
        if attribute not in known:
            from .errors import ConfigError

            raise ConfigError(
                f"no outlet has the attribute {attribute!r}; known: {', '.join(sorted(known))}"
            )
        return blindspot_rows(self.stories(), attribute, known)

    # -- lifetime -------------------------------------------------------------
    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


BRIEF_VERSION = "3"  # bump when the brief's algorithm changes, to drop cached briefs


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
                "entity_id": m.entity_id,
                "role": m.role,
            }
            for m in an.mentions
        ],
        "quotes": [
            {
                "text": q.text,
                "start": q.start,
                "end": q.end,
                "speaker": q.speaker,
                "speaker_entity": q.speaker_entity,
                "speaker_description": q.speaker_description,
                "attribution": q.attribution,
                "kind": q.kind,
                "confident": q.confident,
                "cue": q.cue,
            }
            for q in an.quotes
        ],
        "quantities": [asdict(q) for q in an.quantities],
        "dates": [asdict(d) for d in an.dates],
        "frames": [asdict(f) for f in an.frames],
    }
