"""figure totals: per release, metric, unit and source, the sum and count of its figures

`figure_totals` holds one row per (document, metric, unit, source) that has
figures: their sum, how many they are, and the release's date. It is kept by
triggers in the transaction that writes the figures (on inserting, deleting or
changing a figure, and on changing a release's date), and filled here from the
figures already stored. A series sums these rows instead of the figures: a cell
of a series reads one row per release rather than one per figure, and counts
its releases with count(*) instead of count(DISTINCT document_id), which was
most of the time of a series over a million figures.

SQLite recomputes a row from the release's figures when one is deleted or
changed (its sums of REAL values are then the same as a fresh sum's, with no
drift); PostgreSQL adds and subtracts (NUMERIC is exact), so concurrent writers
of one release serialise on the row instead of recomputing from stale snapshots.
An `INSERT OR REPLACE` into figures would bypass the delete trigger on SQLite
(as it does for every trigger there); no writer uses one.

On SQLite a later migration that rebuilds `figures` or `documents` in batch mode
(copy and move) drops these triggers with the old table: it must create them again.

Revision ID: 0009_figure_totals
Revises: 0008_run_worker
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0009_figure_totals"
down_revision = "0008_run_worker"
branch_labels = None
depends_on = None

KEY = ("document_id", "metric", "unit", "source_id")
# Covers a series cell: one metric, unit and source over a date range.
CELL_INDEX = ("metric", "unit", "source_id", "published_at", "total", "figures")

_SQLITE_KEY = " AND ".join(f"{c} = {{row}}.{c}" for c in KEY)


def _sqlite_recompute(row: str) -> str:
    """Statements that make the totals row of `row` (new or old) what its figures say."""
    key = _SQLITE_KEY.format(row=row)
    return (
        f"DELETE FROM figure_totals WHERE {key}; "
        "INSERT INTO figure_totals (document_id, metric, unit, source_id, published_at, "
        f"total, figures) SELECT {row}.document_id, {row}.metric, {row}.unit, {row}.source_id, "
        f"(SELECT published_at FROM documents WHERE id = {row}.document_id), sum(value), count(*) "
        f"FROM figures WHERE {key} HAVING count(*) > 0;"
    )


SQLITE_TRIGGERS = (
    # A new figure adds to its row (in insertion order, as a recomputation would sum).
    "CREATE TRIGGER figure_totals_insert AFTER INSERT ON figures BEGIN "
    "INSERT INTO figure_totals (document_id, metric, unit, source_id, published_at, total, "
    "figures) VALUES (new.document_id, new.metric, new.unit, new.source_id, "
    "(SELECT published_at FROM documents WHERE id = new.document_id), new.value, 1) "
    "ON CONFLICT (document_id, metric, unit, source_id) DO UPDATE SET "
    "total = total + excluded.total, figures = figures + 1; END",
    "CREATE TRIGGER figure_totals_delete AFTER DELETE ON figures BEGIN "
    + _sqlite_recompute("old")
    + " END",
    "CREATE TRIGGER figure_totals_update AFTER UPDATE OF document_id, metric, unit, source_id, "
    "value ON figures BEGIN " + _sqlite_recompute("old") + " " + _sqlite_recompute("new") + " END",
    "CREATE TRIGGER figure_totals_published AFTER UPDATE OF published_at ON documents BEGIN "
    "UPDATE figure_totals SET published_at = new.published_at WHERE document_id = new.id; END",
)
SQLITE_TRIGGER_NAMES = (
    "figure_totals_insert",
    "figure_totals_delete",
    "figure_totals_update",
    "figure_totals_published",
)

_PG_OLD_KEY = " AND ".join(f"{c} = OLD.{c}" for c in KEY)
POSTGRESQL_FUNCTIONS = (
    "CREATE FUNCTION figure_totals_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP IN ('DELETE', 'UPDATE') THEN "
    f"UPDATE figure_totals SET total = total - OLD.value, figures = figures - 1 WHERE {_PG_OLD_KEY}; "
    f"DELETE FROM figure_totals WHERE {_PG_OLD_KEY} AND figures <= 0; "
    "END IF; "
    "IF TG_OP IN ('INSERT', 'UPDATE') THEN "
    "INSERT INTO figure_totals (document_id, metric, unit, source_id, published_at, total, "
    "figures) VALUES (NEW.document_id, NEW.metric, NEW.unit, NEW.source_id, "
    "(SELECT published_at FROM documents WHERE id = NEW.document_id), NEW.value, 1) "
    "ON CONFLICT (document_id, metric, unit, source_id) DO UPDATE SET "
    "total = figure_totals.total + EXCLUDED.total, figures = figure_totals.figures + 1; "
    "END IF; "
    "RETURN NULL; END $$",
    "CREATE FUNCTION figure_totals_published() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "UPDATE figure_totals SET published_at = NEW.published_at WHERE document_id = NEW.id; "
    "RETURN NULL; END $$",
)
POSTGRESQL_TRIGGERS = (
    "CREATE TRIGGER figure_totals_change AFTER INSERT OR DELETE OR UPDATE OF document_id, "
    "metric, unit, source_id, value ON figures FOR EACH ROW "
    "EXECUTE FUNCTION figure_totals_change()",
    "CREATE TRIGGER figure_totals_published AFTER UPDATE OF published_at ON documents "
    "FOR EACH ROW WHEN (OLD.published_at IS DISTINCT FROM NEW.published_at) "
    "EXECUTE FUNCTION figure_totals_published()",
)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect not in ("sqlite", "postgresql"):
        raise RuntimeError(f"figure totals: unsupported database {dialect!r}")
    op.create_table(
        "figure_totals",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(60), nullable=False),
        sa.Column("unit", sa.String(40), nullable=False),
        sa.Column("source_id", sa.String(64), nullable=False),
        sa.Column("published_at", storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("total", sa.Numeric(30, 6), nullable=False),
        sa.Column("figures", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(*KEY, name=op.f("pk_figure_totals")),
    )
    op.execute(
        "INSERT INTO figure_totals (document_id, metric, unit, source_id, published_at, total, "
        "figures) SELECT f.document_id, f.metric, f.unit, f.source_id, d.published_at, "
        "sum(f.value), count(*) FROM figures f JOIN documents d ON d.id = f.document_id "
        "GROUP BY f.document_id, f.metric, f.unit, f.source_id, d.published_at"
    )
    op.create_index("ix_figure_totals_cells", "figure_totals", list(CELL_INDEX))
    if dialect == "sqlite":
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)
    else:
        for statement in POSTGRESQL_FUNCTIONS + POSTGRESQL_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS figure_totals_change ON figures")
        op.execute("DROP TRIGGER IF EXISTS figure_totals_published ON documents")
        op.execute("DROP FUNCTION IF EXISTS figure_totals_change()")
        op.execute("DROP FUNCTION IF EXISTS figure_totals_published()")
    else:
        for name in SQLITE_TRIGGER_NAMES:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_index("ix_figure_totals_cells", "figure_totals")
    op.drop_table("figure_totals")
