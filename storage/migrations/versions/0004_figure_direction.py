"""figures.direction: up or down for a change against an earlier period

Revision ID: 0004_figure_direction
Revises: 0003_sightings_per_source
Create Date: 2026-12-01 20:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_figure_direction"
down_revision = "0003_sightings_per_source"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("figures", schema=None) as batch_op:
        batch_op.add_column(sa.Column("direction", sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("figures", schema=None) as batch_op:
        batch_op.drop_column("direction")
