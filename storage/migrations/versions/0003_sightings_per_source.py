"""sightings per source, and listed URLs that redirect (D12)

A sighting was unique per (document, url): a second source listing a URL whose
document another source stored first got no sighting of its own, so it fetched the
page again on every crawl. It becomes unique per (document, source, url).

`listed_urls` remembers a URL a listing links to that led, through a redirect, to a
document stored at another URL, so the listed URL is known and not fetched again.

Revision ID: 0003_sightings_per_source
Revises: 0002_listing_pages_per_source
Create Date: 2026-12-02 10:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.models

revision = '0003_sightings_per_source'
down_revision = '0002_listing_pages_per_source'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sightings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_sightings_document_id_url'), type_='unique')
        batch_op.create_unique_constraint(
            batch_op.f('uq_sightings_document_id_source_id_url'), ['document_id', 'source_id', 'url']
        )
    op.create_table('listed_urls',
    sa.Column('source_id', sa.String(length=64), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('final_url', sa.Text(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('first_seen', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_listed_urls_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_listed_urls_source_id_sources')),
    sa.PrimaryKeyConstraint('source_id', 'url', name=op.f('pk_listed_urls'))
    )
    with op.batch_alter_table('listed_urls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_listed_urls_document_id'), ['document_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('listed_urls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_listed_urls_document_id'))
    op.drop_table('listed_urls')
    # One sighting per (document, url) again: keep the first source's.
    op.execute(
        sa.text(
            "DELETE FROM sightings WHERE EXISTS (SELECT 1 FROM sightings AS earlier "
            "WHERE earlier.document_id = sightings.document_id "
            "AND earlier.url = sightings.url AND earlier.id < sightings.id)"
        )
    )
    with op.batch_alter_table('sightings', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('uq_sightings_document_id_source_id_url'), type_='unique'
        )
        batch_op.create_unique_constraint(
            batch_op.f('uq_sightings_document_id_url'), ['document_id', 'url']
        )
