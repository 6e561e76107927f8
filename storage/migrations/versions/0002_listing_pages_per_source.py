"""listing page validators per source (D11)

Two sources on one listing URL shared one row of validators: one source's crawl
overwrote the other's ETag, so the other got a 304 and missed a new release. The
key becomes (source_id, url). Validators saved before may be another source's, so
they are dropped: each listing page is fetched once in full, then conditionally again.

Revision ID: 0002_listing_pages_per_source
Revises: 0001
Create Date: 2026-12-02 10:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002_listing_pages_per_source'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('listing_pages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_listing_pages_source_id'))
        batch_op.drop_constraint(batch_op.f('pk_listing_pages'), type_='primary')
        batch_op.create_primary_key(batch_op.f('pk_listing_pages'), ['source_id', 'url'])
    op.execute(sa.text("UPDATE listing_pages SET etag = NULL, last_modified = NULL"))


def downgrade() -> None:
    # One row per URL again: keep the one parsed last.
    op.execute(
        sa.text(
            "DELETE FROM listing_pages WHERE EXISTS (SELECT 1 FROM listing_pages AS newer "
            "WHERE newer.url = listing_pages.url AND (newer.parsed_at > listing_pages.parsed_at "
            "OR (newer.parsed_at = listing_pages.parsed_at "
            "AND newer.source_id > listing_pages.source_id)))"
        )
    )
    with op.batch_alter_table('listing_pages', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('pk_listing_pages'), type_='primary')
        batch_op.create_primary_key(batch_op.f('pk_listing_pages'), ['url'])
        batch_op.create_index(batch_op.f('ix_listing_pages_source_id'), ['source_id'], unique=False)
