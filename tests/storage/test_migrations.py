"""The migrations after 0001 (issue 11: D11, D12), on SQLite and PostgreSQL.

Each test starts from an empty database (a new PostgreSQL schema), since these
go up and down the revisions.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, inspect, text

from storage.db import alembic_config, create_db_engine, head_revision
from storage.migrations import include_object_for
from storage.models import Base
from tests.conftest import PG_URL

T0 = datetime(2026, 11, 1, tzinfo=UTC)
T1 = datetime(2026, 11, 2, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: object) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = create_db_engine(f"sqlite:///{tmp_path}/migrations.db")
        yield engine
        engine.dispose()
        return
    request.getfixturevalue("pg_schema_url")  # skips where no PostgreSQL answers
    schema = f"bw_mig_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_db_engine(f"{PG_URL}?options=-csearch_path%3D{schema}")
    yield engine
    engine.dispose()
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def test_head_matches_the_models(engine: Engine) -> None:
    command.upgrade(alembic_config(engine), "head")
    with engine.connect() as conn:
        include = include_object_for(engine.dialect.name)
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": include}
        )
        assert compare_metadata(context, Base.metadata) == []
    inspector = inspect(engine)
    assert inspector.get_pk_constraint("listing_pages")["constrained_columns"] == [
        "source_id",
        "url",
    ]
    unique = {tuple(c["column_names"]) for c in inspector.get_unique_constraints("sightings")}
    assert unique == {("document_id", "source_id", "url")}
    assert inspector.get_pk_constraint("listed_urls")["constrained_columns"] == ["source_id", "url"]


def _seed_0001(engine: Engine) -> None:
    with engine.begin() as conn:
        for source in ("a", "b"):
            conn.execute(
                text(
                    "INSERT INTO sources (id, name, agency, level, region, language, config, "
                    "healthy, created_at, updated_at) VALUES (:id, :id, '', 'provincial', '', "
                    "'zh', '{}', true, :t, :t)"
                ),
                {"id": source, "t": T0},
            )
        conn.execute(
            text(
                "INSERT INTO listing_pages (url, source_id, etag, last_modified, next_url, "
                "items, parsed_at) VALUES ('http://x/list.html', 'a', '\"b-s-tag\"', NULL, "
                "NULL, 3, :t)"
            ),
            {"t": T0},
        )
        conn.execute(
            text(
                "INSERT INTO documents (id, content_hash, source_id, url, title, language, "
                "text, created_at) VALUES (1, 'h1', 'a', 'http://x/1.html', 't', 'zh', 'x', :t)"
            ),
            {"t": T0},
        )
        conn.execute(
            text(
                "INSERT INTO sightings (document_id, source_id, url, first_seen, last_seen, "
                "current) VALUES (1, 'a', 'http://x/1.html', :t, :t, true)"
            ),
            {"t": T0},
        )


def test_upgrade_keeps_the_rows_and_drops_validators_that_may_be_another_sources(
    engine: Engine,
) -> None:
    config = alembic_config(engine)
    command.upgrade(config, "0001")
    _seed_0001(engine)
    command.upgrade(config, "head")
    with engine.begin() as conn:
        row = conn.execute(text("SELECT source_id, etag, items FROM listing_pages")).one()
        assert tuple(row) == ("a", None, 3)
        # now each source has its own row for the URL, and its own sighting of a document
        conn.execute(
            text(
                "INSERT INTO listing_pages (url, source_id, etag, items, parsed_at) "
                "VALUES ('http://x/list.html', 'b', '\"b\"', 1, :t)"
            ),
            {"t": T1},
        )
        conn.execute(
            text(
                "INSERT INTO sightings (document_id, source_id, url, first_seen, last_seen, "
                "current) VALUES (1, 'b', 'http://x/1.html', :t, :t, true)"
            ),
            {"t": T1},
        )
        assert conn.execute(text("SELECT count(*) FROM sightings")).scalar() == 2

    command.downgrade(config, "0001")
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT source_id, etag FROM listing_pages")).all()
        assert [tuple(r) for r in rows] == [("b", '"b"')]  # the one parsed last
        sightings = conn.execute(text("SELECT source_id FROM sightings")).all()
        assert [tuple(r) for r in sightings] == [("a",)]  # the first source's
    assert "listed_urls" not in inspect(engine).get_table_names()
    command.upgrade(config, "head")
    with engine.connect() as conn:
        revision = MigrationContext.configure(conn).get_current_revision()
    assert revision == head_revision()


def test_figure_totals_are_filled_from_the_figures_stored_before(engine: Engine) -> None:
    config = alembic_config(engine)
    command.upgrade(config, "0008_run_worker")
    _seed_0001(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE documents SET published_at = :t"), {"t": T1})
        for start, metric, value in ((0, "m", 2.5), (10, "m", 4), (20, "n", 1)):
            conn.execute(
                text(
                    'INSERT INTO figures (document_id, source_id, text, start, "end", value, '
                    "unit, qualifier, metric, extractor_version, created_at) VALUES "
                    "(1, 'a', 'x', :s, :e, :v, 'person', 'exact', :m, 1, :t)"
                ),
                {"s": start, "e": start + 5, "v": value, "m": metric, "t": T0},
            )
    command.upgrade(config, "head")
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT metric, unit, source_id, published_at, total, figures FROM figure_totals "
                "WHERE document_id = 1 ORDER BY metric"
            )
        ).all()
    assert [(r[0], r[1], r[2], float(r[4]), r[5]) for r in rows] == [
        ("m", "person", "a", 6.5, 2),
        ("n", "person", "a", 1.0, 1),
    ]
    assert {str(r[3])[:10] for r in rows} == {"2026-11-02"}
    command.downgrade(config, "0008_run_worker")
    assert "figure_totals" not in inspect(engine).get_table_names()
    with engine.begin() as conn:  # and no trigger is left writing to it
        conn.execute(text("DELETE FROM figures WHERE metric = 'n'"))
        conn.execute(text("UPDATE documents SET published_at = :t"), {"t": T0})
