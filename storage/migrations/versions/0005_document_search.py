"""full-text search over documents' titles and texts, for Chinese as for English

SQLite: an FTS5 table with the trigram tokenizer (any substring of three or more
characters is found through the index; shorter ones through the index's
vocabulary, see web/query/search.py), contentless, kept in step with
`documents` by triggers. Each column is indexed with two trailing spaces, so
that every occurrence of a one- or two-character word starts some trigram.
PostgreSQL: pg_trgm GIN indexes on title and text, used by ILIKE.

Both are filled for the documents already stored (the backfill).

On SQLite a later migration that rebuilds `documents` in batch mode (copy and
move) drops these triggers with the old table: it must create them again.

Revision ID: 0005_document_search
Revises: 0004_figure_direction
"""
from __future__ import annotations

import sqlite3

from alembic import op
from sqlalchemy import text

revision = '0005_document_search'
down_revision = '0004_figure_direction'
branch_labels = None
depends_on = None

FTS = "documents_fts"
PAD = "'  '"  # two spaces; web/query/search.py relies on it (SEARCH_PAD)
# A constant key for pg_advisory_xact_lock: two schemas upgraded at once must
# not race to create the one pg_trgm extension of the database.
PG_LOCK_KEY = 7_150_002


def _sqlite_upgrade() -> None:
    if sqlite3.sqlite_version_info < (3, 34, 0):
        raise RuntimeError(
            f"document search needs SQLite 3.34 or newer (FTS5 trigram tokenizer); "
            f"this Python has SQLite {sqlite3.sqlite_version}"
        )
    new = f"new.title || {PAD}, new.text || {PAD}"
    old = f"old.title || {PAD}, old.text || {PAD}"
    op.execute(
        f"CREATE VIRTUAL TABLE {FTS} USING fts5("
        "title, text, content='', tokenize='trigram')"
    )
    op.execute(f"CREATE VIRTUAL TABLE {FTS}_vocab USING fts5vocab({FTS}, 'row')")
    op.execute(
        f"CREATE TRIGGER {FTS}_insert AFTER INSERT ON documents BEGIN "
        f"INSERT INTO {FTS}(rowid, title, text) VALUES (new.id, {new}); END"
    )
    op.execute(
        f"CREATE TRIGGER {FTS}_delete AFTER DELETE ON documents BEGIN "
        f"INSERT INTO {FTS}({FTS}, rowid, title, text) VALUES ('delete', old.id, {old}); END"
    )
    op.execute(
        f"CREATE TRIGGER {FTS}_update AFTER UPDATE OF title, text ON documents BEGIN "
        f"INSERT INTO {FTS}({FTS}, rowid, title, text) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {FTS}(rowid, title, text) VALUES (new.id, {new}); END"
    )
    op.execute(
        f"INSERT INTO {FTS}(rowid, title, text) "
        f"SELECT id, title || {PAD}, text || {PAD} FROM documents"
    )


def _trgm_schema() -> str | None:
    bind = op.get_bind()
    return bind.execute(
        text(
            "SELECT n.nspname FROM pg_extension e "
            "JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'"
        )
    ).scalar()


def _postgresql_upgrade() -> None:
    bind = op.get_bind()
    bind.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_LOCK_KEY})
    schema = _trgm_schema()
    if schema is None:
        # In `public` when there is one: an extension lives in one schema per
        # database, and a schema that is dropped later would take it along.
        has_public = bind.execute(
            text("SELECT 1 FROM pg_namespace WHERE nspname = 'public'")
        ).scalar()
        where = " SCHEMA public" if has_public else ""
        try:
            with bind.begin_nested():
                bind.execute(text(f"CREATE EXTENSION IF NOT EXISTS pg_trgm{where}"))
        except Exception as exc:
            raise RuntimeError(
                "document search needs the PostgreSQL extension pg_trgm, which this "
                "database user may not create: run `CREATE EXTENSION pg_trgm;` in the "
                f"database as its owner or a superuser, then upgrade again ({exc})"
            ) from exc
        schema = _trgm_schema()
    opclass = f'"{schema}".gin_trgm_ops'
    op.execute(f"CREATE INDEX ix_documents_title_trgm ON documents USING gin (title {opclass})")
    op.execute(f"CREATE INDEX ix_documents_text_trgm ON documents USING gin (text {opclass})")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _sqlite_upgrade()
    elif dialect == "postgresql":
        _postgresql_upgrade()
    else:
        raise RuntimeError(f"document search: unsupported database {dialect!r}")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {FTS}_{trigger}")
        op.execute(f"DROP TABLE IF EXISTS {FTS}_vocab")
        op.execute(f"DROP TABLE IF EXISTS {FTS}")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_documents_text_trgm")
        op.execute("DROP INDEX IF EXISTS ix_documents_title_trgm")
