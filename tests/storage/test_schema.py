from __future__ import annotations

from sqlalchemy import inspect

from storage.db import Database, current_revision, head_revision


def test_first_use_creates_the_schema_at_head(db: Database) -> None:
    tables = set(inspect(db.engine).get_table_names())
    assert {"sources", "documents", "sightings", "raw_pages", "crawl_runs", "figures"} <= tables
    assert current_revision(db.engine) == head_revision()


def test_upgrade_twice_is_a_no_op(database_url: str) -> None:
    Database(database_url).dispose()
    again = Database(database_url)
    assert current_revision(again.engine) == head_revision()
    again.dispose()
