"""Schema migrations, registered in order and recorded in the `migrations` table.

Each migration is a function that receives the connection inside the write
transaction that records it, so a schema change and its record land together or not
at all. Add new ones at the end; never edit one that has shipped.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[tuple[str, Migration]] = []


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run statements one by one: `executescript` would COMMIT the open transaction."""
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def migration(func: Migration) -> Migration:
    """Register `func` as the next migration, named after the function."""
    MIGRATIONS.append((func.__name__, func))
    return func


@migration
def m001_articles(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE articles (
            key TEXT PRIMARY KEY,            -- content hash of the normalised text
            id TEXT NOT NULL UNIQUE,         -- the input's own id (GUIDE.md section 3)
            title TEXT, text TEXT NOT NULL, source TEXT, url TEXT, published TEXT,
            author TEXT, lang TEXT, words INTEGER NOT NULL,
            duplicate_of TEXT REFERENCES articles(key),
            duplicate_score REAL,
            meta TEXT NOT NULL DEFAULT '{}',
            ingested_at TEXT NOT NULL,
            seq INTEGER NOT NULL             -- ingestion order, for stable listings
        );
        CREATE INDEX articles_seq ON articles(seq);
        CREATE TABLE sightings (
            article_key TEXT NOT NULL REFERENCES articles(key) ON DELETE CASCADE,
            origin TEXT NOT NULL, input_id TEXT, source TEXT, url TEXT, published TEXT,
            seen_at TEXT NOT NULL
        );
        CREATE INDEX sightings_article ON sightings(article_key);
        CREATE TABLE minhashes (
            article_key TEXT PRIMARY KEY REFERENCES articles(key) ON DELETE CASCADE,
            signature BLOB NOT NULL
        );
        """,
    )


@migration
def m002_analysis(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE analyses (
            article_key TEXT PRIMARY KEY REFERENCES articles(key) ON DELETE CASCADE,
            lang TEXT, skipped TEXT, analysed_at TEXT NOT NULL, model TEXT
        );
        CREATE TABLE sentences (
            article_key TEXT NOT NULL REFERENCES articles(key) ON DELETE CASCADE,
            idx INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
            embedding BLOB,
            PRIMARY KEY (article_key, idx)
        );
        CREATE TABLE entities (
            id INTEGER PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL,
            UNIQUE (type, name)
        );
        CREATE TABLE mentions (
            article_key TEXT NOT NULL REFERENCES articles(key) ON DELETE CASCADE,
            start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL,
            type TEXT NOT NULL, entity_id INTEGER NOT NULL REFERENCES entities(id), role TEXT
        );
        CREATE INDEX mentions_article ON mentions(article_key);
        CREATE INDEX mentions_entity ON mentions(entity_id);
        CREATE TABLE quotes (
            article_key TEXT NOT NULL REFERENCES articles(key) ON DELETE CASCADE,
            start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL,
            speaker TEXT, cue TEXT
        );
        CREATE INDEX quotes_article ON quotes(article_key);
        CREATE TABLE quantities (
            article_key TEXT NOT NULL REFERENCES articles(key) ON DELETE CASCADE,
            start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL,
            kind TEXT NOT NULL, value REAL NOT NULL, unit TEXT, qualifier TEXT
        );
        CREATE INDEX quantities_article ON quantities(article_key);
        CREATE TABLE dates (
            article_key TEXT NOT NULL REFERENCES articles(key) ON DELETE CASCADE,
            start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL, value TEXT
        );
        CREATE INDEX dates_article ON dates(article_key);
        CREATE TABLE article_vectors (
            article_key TEXT PRIMARY KEY REFERENCES articles(key) ON DELETE CASCADE,
            vector BLOB NOT NULL             -- float32, L2-normalised (title, lead, centroid)
        );
        """,
    )


@migration
def m003_stories(conn: sqlite3.Connection) -> None:
    """Stories and what incremental clustering keeps between runs (issue 4).

    `story_articles.node` is a dense integer per clustered article: the key of the
    article in the vector index and the order members were added. `terms`/`entities`
    are the article's packed vocabulary ids (so members are never re-tokenised);
    `cluster_terms` holds the vocabulary with document frequencies, and
    `cluster_state` counters such as the number of documents behind those frequencies.
    """
    run_script(
        conn,
        """
        CREATE TABLE stories (
            id TEXT PRIMARY KEY,             -- 's-' + key[:12] of its first article
            seed_key TEXT NOT NULL REFERENCES articles(key),
            title_key TEXT REFERENCES articles(key),   -- the most central member
            title_score REAL,
            article_count INTEGER NOT NULL,
            vector_sum BLOB,                 -- float32 sum of member vectors (centroid * n)
            created_at TEXT NOT NULL, updated_at TEXT NOT NULL
        );
        CREATE TABLE story_articles (
            node INTEGER PRIMARY KEY,
            article_key TEXT NOT NULL UNIQUE REFERENCES articles(key) ON DELETE CASCADE,
            story_id TEXT NOT NULL REFERENCES stories(id),
            how TEXT NOT NULL,               -- seed | linked | duplicate | unanalysable
            score REAL,                      -- mean score to the rest of its group
            terms BLOB, entities BLOB, day INTEGER, density REAL,
            indexed INTEGER NOT NULL DEFAULT 0,
            assigned_at TEXT NOT NULL
        );
        CREATE INDEX story_articles_story ON story_articles(story_id, node);
        CREATE TABLE cluster_terms (
            id INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE, df INTEGER NOT NULL
        );
        CREATE TABLE cluster_state (name TEXT PRIMARY KEY, value TEXT NOT NULL)
        """,
    )


@migration
def m004_briefs(conn: sqlite3.Connection) -> None:
    """Computed briefs, keyed by story and a digest of its members and settings.

    A brief costs a parse of every sentence of the story; readers (CLI, web app,
    exports) ask for the same one many times, and it only changes when the story's
    membership or the briefing settings change — which changes the digest.
    """
    run_script(
        conn,
        """
        CREATE TABLE briefs (
            story_id TEXT PRIMARY KEY, digest TEXT NOT NULL, brief TEXT NOT NULL,
            created_at TEXT NOT NULL
        )
        """,
    )


@migration
def m010_search(conn: sqlite3.Connection) -> None:
    """Full-text search for the web app's story list (issue 6).

    External-content FTS5 tables (no second copy of the texts) over article titles and
    texts, keyed by `articles.seq` (a real column, so VACUUM cannot renumber it), and over
    entity names, keyed by `entities.id`. Triggers keep them in step with every write, so
    no stage has to know search exists. Statements run one by one: trigger bodies contain
    semicolons, which `run_script` would split.
    """
    tokenize = "tokenize = 'porter unicode61 remove_diacritics 2'"
    conn.execute(
        "CREATE VIRTUAL TABLE articles_fts USING fts5(title, text,"
        f" content='articles', content_rowid='seq', {tokenize})"
    )
    conn.execute(
        "CREATE VIRTUAL TABLE entities_fts USING fts5(name,"
        f" content='entities', content_rowid='id', {tokenize})"
    )
    for table, rowid, cols in (
        ("articles", "seq", ("title", "text")),
        ("entities", "id", ("name",)),
    ):
        names = ", ".join(cols)
        new = ", ".join(f"new.{c}" for c in cols)
        old = ", ".join(f"old.{c}" for c in cols)
        add = f"INSERT INTO {table}_fts (rowid, {names}) VALUES (new.{rowid}, {new});"
        drop = (
            f"INSERT INTO {table}_fts ({table}_fts, rowid, {names})"
            f" VALUES ('delete', old.{rowid}, {old});"
        )
        conn.execute(f"CREATE TRIGGER {table}_fts_ai AFTER INSERT ON {table} BEGIN {add} END")
        conn.execute(f"CREATE TRIGGER {table}_fts_ad AFTER DELETE ON {table} BEGIN {drop} END")
        conn.execute(
            f"CREATE TRIGGER {table}_fts_au AFTER UPDATE OF {names}, {rowid} ON {table}"
            f" BEGIN {drop} {add} END"
        )
        conn.execute(f"INSERT INTO {table}_fts ({table}_fts) VALUES ('rebuild')")
    # The web app checks MAX(updated_at) on each request to see whether stories changed.
    conn.execute("CREATE INDEX stories_updated ON stories(updated_at)")


@migration
def m011_cluster_quantities(conn: sqlite3.Connection) -> None:
    """Each clustered article's figures (`cluster.features.quantity_term` ids), kept
    like its terms and entities so that later articles are scored against them without
    re-reading the analysis. Articles clustered before this have none (NULL): they
    neither gain nor lose from the figures signal."""
    conn.execute("ALTER TABLE story_articles ADD COLUMN quantities BLOB")


@migration
def m012_frames(conn: sqlite3.Connection) -> None:
    """Event frames of each analysed article (`analyse.frames`), and each clustered
    article's frame ids beside its figures. Articles analysed before this have none:
    clustering scores them without that evidence until they are analysed again."""
    run_script(
        conn,
        """
        CREATE TABLE frames (
            article_key TEXT NOT NULL REFERENCES articles(key) ON DELETE CASCADE,
            kind TEXT NOT NULL, verb TEXT NOT NULL, arg TEXT NOT NULL, source TEXT NOT NULL
        );
        CREATE INDEX frames_article ON frames(article_key);
        ALTER TABLE story_articles ADD COLUMN frames BLOB
        """,
    )


@migration
def m013_unique_sightings(conn: sqlite3.Connection) -> None:
    """A sighting is (origin, article), recorded once (issue 14): re-reading a file used
    to add the same `file:line N` again, so a run interrupted then completed did not
    end where a clean run ends. The earliest of each duplicate group is kept."""
    run_script(
        conn,
        """
        DELETE FROM sightings WHERE rowid NOT IN (
            SELECT MIN(rowid) FROM sightings GROUP BY article_key, origin
        );
        CREATE UNIQUE INDEX sightings_origin_article ON sightings(origin, article_key)
        """,
    )


@migration
def m014_work_leases(conn: sqlite3.Connection) -> None:
    """Work claimed by a process among several sharing the database (issue 14,
    `store/leases.py`): an article being analysed, the cluster stage being run. A claim
    is dropped with its written work, or when its lease lapses or its owner dies."""
    run_script(
        conn,
        """
        CREATE TABLE work_leases (
            kind TEXT NOT NULL, item TEXT NOT NULL,
            owner TEXT NOT NULL, host TEXT NOT NULL, pid INTEGER NOT NULL,
            expires_at REAL NOT NULL,        -- unix time, renewed by the owner heartbeat
            PRIMARY KEY (kind, item)
        );
        CREATE INDEX work_leases_owner ON work_leases(owner)
        """,
    )


@migration
def m015_outlets(conn: sqlite3.Connection) -> None:
    """The outlet registry the user imports (issue 16): one row per outlet, its web
    domains and aliases (each pointing at one outlet, so a domain can never make two
    outlets one), and its labels (`lean=left`, any name the user's file chooses). The
    shipped default registry is package data, not rows: upgrading it needs no migration."""
    run_script(
        conn,
        """
        CREATE TABLE outlets (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, country TEXT, language TEXT,
            owner TEXT, kind TEXT, origin TEXT NOT NULL, updated_at TEXT NOT NULL
        );
        CREATE TABLE outlet_domains (
            domain TEXT PRIMARY KEY,
            outlet_id TEXT NOT NULL REFERENCES outlets(id) ON DELETE CASCADE
        );
        CREATE TABLE outlet_aliases (
            alias TEXT PRIMARY KEY,
            outlet_id TEXT NOT NULL REFERENCES outlets(id) ON DELETE CASCADE
        );
        CREATE TABLE outlet_labels (
            outlet_id TEXT NOT NULL REFERENCES outlets(id) ON DELETE CASCADE,
            name TEXT NOT NULL, value TEXT NOT NULL,
            PRIMARY KEY (outlet_id, name)
        )
        """,
    )


@migration
def m016_watch_and_changes(conn: sqlite3.Connection) -> None:
    """Feed polling state and the story change log (issue 15).

    `watch_feeds` keeps each feed's HTTP validators, schedule and failures, so a
    restarted `watch` sends conditional requests and keeps its back-off instead of
    fetching everything again. `watch_entries` remembers each entry (by its id or link)
    with a digest of its content: an entry served again unchanged is neither stored nor
    counted again, an updated one is. `story_snapshots` holds the last compact snapshot
    of each story's brief and `story_changes` the diffs between consecutive ones.
    """
    run_script(
        conn,
        """
        CREATE TABLE watch_feeds (
            url TEXT PRIMARY KEY, outlet TEXT,
            etag TEXT, last_modified TEXT,
            last_poll TEXT, next_poll REAL NOT NULL DEFAULT 0,   -- unix time
            failures INTEGER NOT NULL DEFAULT 0, unchanged INTEGER NOT NULL DEFAULT 0,
            last_status TEXT, last_error TEXT,
            polls INTEGER NOT NULL DEFAULT 0, entries INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE watch_entries (
            feed_url TEXT NOT NULL, entry_id TEXT NOT NULL, digest TEXT NOT NULL,
            seen_at TEXT NOT NULL,
            PRIMARY KEY (feed_url, entry_id)
        );
        CREATE TABLE story_snapshots (
            story_id TEXT PRIMARY KEY, snapshot TEXT NOT NULL, taken_at TEXT NOT NULL
        );
        CREATE TABLE story_changes (
            id INTEGER PRIMARY KEY, story_id TEXT NOT NULL, at TEXT NOT NULL,
            change TEXT NOT NULL
        );
        CREATE INDEX story_changes_story ON story_changes(story_id, at);
        CREATE INDEX story_changes_at ON story_changes(at)
        """,
    )


@migration
def m017_quote_attribution(conn: sqlite3.Connection) -> None:
    """How each quote's speaker was found (issue 13): the speaker's entity id, a kept
    description, the attribution kind, direct/partial/indirect speech and whether the
    attribution is confident. Quotes analysed before this keep a NULL attribution and
    are not confident: nothing says how their speaker was found, so speaker
    contradictions ignore them until the article is analysed again."""
    run_script(
        conn,
        """
        ALTER TABLE quotes ADD COLUMN speaker_entity INTEGER REFERENCES entities(id);
        ALTER TABLE quotes ADD COLUMN speaker_description TEXT;
        ALTER TABLE quotes ADD COLUMN attribution TEXT;
        ALTER TABLE quotes ADD COLUMN kind TEXT NOT NULL DEFAULT 'direct';
        ALTER TABLE quotes ADD COLUMN confident INTEGER NOT NULL DEFAULT 0
        """,
    )


@migration
def m019_entity_names(conn: sqlite3.Connection) -> None:
    """Entities are found by name (issue 13): one canonical name is one entity whatever
    type its mentions carry ("Colts" tagged PERSON in one article, ORG in the next), so
    `store_rows` looks rows up by name, which the (type, name) key cannot serve."""
    conn.execute("CREATE INDEX entities_name ON entities(name)")


@migration
def m020_mention_local_names(conn: sqlite3.Connection) -> None:
    """Each mention's in-article name and type, before the cross-article merge renamed
    it (issue 13). The merge's memory (which names a person appeared with, which
    surname a full name already joined) is rebuilt from them by replaying the merge in
    ingestion order, so a restarted analyse resolves the next article exactly as one
    continuous run would. NULL for mentions stored earlier (the stored name stands in)."""
    run_script(
        conn,
        """
        ALTER TABLE mentions ADD COLUMN local_name TEXT;
        ALTER TABLE mentions ADD COLUMN local_type TEXT
        """,
    )


@migration
def m021_analysis_epoch(conn: sqlite3.Connection) -> None:
    """A counter bumped whenever stored analyses or mentions are deleted or mentions
    changed (issue 15). A long-lived process keeps the entity registry warm by replaying
    only analyses added since it last looked (`analyse/kept_registry.py`); that is only
    a replay of the store while nothing it already replayed changed, which this says.
    Triggers, not code, so that any writer (another tool, a hand edit) is counted."""
    run_script(
        conn,
        """
        CREATE TABLE analysis_epoch (
            id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL
        );
        INSERT INTO analysis_epoch (id, value) VALUES (1, 0)
        """,
    )
    bump = "UPDATE analysis_epoch SET value = value + 1"
    for name, event in (
        ("analyses_deleted", "DELETE ON analyses"),
        ("mentions_deleted", "DELETE ON mentions"),
        ("mentions_updated", "UPDATE ON mentions"),
    ):  # one statement each: run_script would cut a trigger body at its ';'
        conn.execute(f"CREATE TRIGGER {name} AFTER {event} BEGIN {bump}; END")
