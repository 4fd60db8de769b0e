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
def m014_claims(conn: sqlite3.Connection) -> None:
    """Work claimed by a process among several sharing the database (issue 14,
    `store/claims.py`): an article being analysed, the cluster stage being run. A claim
    is dropped with its written work, or when its lease lapses or its owner dies."""
    run_script(
        conn,
        """
        CREATE TABLE claims (
            kind TEXT NOT NULL, item TEXT NOT NULL,
            owner TEXT NOT NULL, host TEXT NOT NULL, pid INTEGER NOT NULL,
            expires_at REAL NOT NULL,        -- unix time, renewed by the owner heartbeat
            PRIMARY KEY (kind, item)
        );
        CREATE INDEX claims_owner ON claims(owner)
        """,
    )
