"""failure codes: page_failures.code; crawl_runs.listing_detected and warnings

Every failed page carries a stable code (storage.status.ErrorCode, or http_<status>)
next to its message. A run records how many listing pages detection read and the
warnings it raised about configured selectors.

Revision ID: 0007_failure_codes
Revises: 0006_figure_dates
Create Date: 2026-12-01 23:50:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_failure_codes"
down_revision = "0006_figure_dates"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("page_failures", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("code", sa.String(length=40), nullable=False, server_default="error")
        )
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("listing_detected", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("warnings", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )


def downgrade() -> None:
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.drop_column("warnings")
        batch_op.drop_column("listing_detected")
    with op.batch_alter_table("page_failures", schema=None) as batch_op:
        batch_op.drop_column("code")
