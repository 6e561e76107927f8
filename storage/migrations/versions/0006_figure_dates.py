"""figures carry their release's date, for series and listings by date

`figures.published_at` is a copy of `documents.published_at`, kept by triggers
(on inserting a figure, and on changing a document's date) and filled for the
figures already stored. With it, one index answers "this metric, newest first"
and "this metric per region and month" without reading a row of `documents`:
at a million figures the join was most of the time of both.

On SQLite a later migration that rebuilds `figures` or `documents` in batch mode
(copy and move) drops these triggers with the old table: it must create them again.

Revision ID: 0006_figure_dates
Revises: 0005_document_search
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0006_figure_dates"
down_revision = "0005_document_search"
branch_labels = None
depends_on = None

# Both cover what they serve, so no figure row is read: a metric's figures in
# date order (listings), and a metric's figures per unit and source in date order
# (series, summed per period by range scans).
METRIC_INDEX = ("metric", "published_at", "document_id", "source_id", "unit", "value")
SOURCE_INDEX = ("metric", "unit", "source_id", "published_at", "value", "document_id")
DATE_INDEX = ("published_at", "document_id")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    with op.batch_alter_table("figures") as batch:
        batch.add_column(
            sa.Column("published_at", storage.models.UTCDateTime(timezone=True), nullable=True)
        )
    op.execute(
        "UPDATE figures SET published_at = "
        "(SELECT published_at FROM documents WHERE documents.id = figures.document_id)"
    )
    if dialect == "sqlite":
        op.execute(
            "CREATE TRIGGER figures_published_insert AFTER INSERT ON figures BEGIN "
            "UPDATE figures SET published_at = "
            "(SELECT published_at FROM documents WHERE id = new.document_id) "
            "WHERE id = new.id; END"
        )
        op.execute(
            "CREATE TRIGGER documents_published_update AFTER UPDATE OF published_at "
            "ON documents BEGIN "
            "UPDATE figures SET published_at = new.published_at WHERE document_id = new.id; END"
        )
    elif dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION figures_published_insert() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN NEW.published_at := "
            "(SELECT published_at FROM documents WHERE id = NEW.document_id); RETURN NEW; END $$"
        )
        op.execute(
            "CREATE TRIGGER figures_published_insert BEFORE INSERT ON figures "
            "FOR EACH ROW EXECUTE FUNCTION figures_published_insert()"
        )
        op.execute(
            "CREATE FUNCTION documents_published_update() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN UPDATE figures SET published_at = NEW.published_at "
            "WHERE document_id = NEW.id; RETURN NULL; END $$"
        )
        op.execute(
            "CREATE TRIGGER documents_published_update AFTER UPDATE OF published_at "
            "ON documents FOR EACH ROW WHEN (OLD.published_at IS DISTINCT FROM NEW.published_at) "
            "EXECUTE FUNCTION documents_published_update()"
        )
    else:
        raise RuntimeError(f"figure dates: unsupported database {dialect!r}")
    op.create_index("ix_figures_metric_published", "figures", list(METRIC_INDEX))
    op.create_index("ix_figures_metric_unit_source", "figures", list(SOURCE_INDEX))
    op.create_index("ix_figures_published", "figures", list(DATE_INDEX))


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.drop_index("ix_figures_published", "figures")
    op.drop_index("ix_figures_metric_unit_source", "figures")
    op.drop_index("ix_figures_metric_published", "figures")
    op.execute(
        "DROP TRIGGER IF EXISTS figures_published_insert"
        + (" ON figures" if dialect == "postgresql" else "")
    )
    op.execute(
        "DROP TRIGGER IF EXISTS documents_published_update"
        + (" ON documents" if dialect == "postgresql" else "")
    )
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS figures_published_insert()")
        op.execute("DROP FUNCTION IF EXISTS documents_published_update()")
    with op.batch_alter_table("figures") as batch:
        batch.drop_column("published_at")
