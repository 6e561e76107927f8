"""newest first on PostgreSQL: indexes in the listings' own order, undated last

The listings read releases and figures newest first with undated ones last:
`ORDER BY published_at DESC NULLS LAST, id DESC` for releases (and for the
search within each of its tiers), `ORDER BY published_at DESC NULLS LAST,
document_id DESC, id` for a metric's figures. SQLite sorts NULL lowest, so its
ascending indexes read backwards give that order already. PostgreSQL sorts NULL
highest: read backwards, an ascending index gives `DESC NULLS FIRST`, which is
not the order asked for, so PostgreSQL read every figure of a metric (or every
figure, or every release for the search's window) and sorted them. These indexes hold the order
itself; a page, and a page after a keyset cursor (web/query/filters.py,
`after_published_parts`), is one range of them.

On SQLite this revision does nothing.

Revision ID: 0010_newest_first_indexes
Revises: 0009_figure_totals
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_newest_first_indexes"
down_revision = "0009_figure_totals"
branch_labels = None
depends_on = None

# The same as storage.models (postgresql_only), spelled out: a migration keeps
# the schema of its revision, whatever the models become.
INDEXES = (
    ("ix_documents_newest", "documents", ("published_at DESC NULLS LAST", "id DESC")),
    (
        "ix_figures_metric_newest",
        "figures",
        ("metric", "published_at DESC NULLS LAST", "document_id DESC", "id"),
    ),
    ("ix_figures_newest", "figures", ("published_at DESC NULLS LAST", "document_id DESC", "id")),
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, table, columns in INDEXES:
        op.create_index(name, table, [sa.text(c) for c in columns])


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, table, _ in INDEXES:
        op.drop_index(name, table_name=table)
