"""crawl runs record where they ran: the worker (host:pid) and the queue job

`crawl_runs.worker` is ``host:pid`` of the process that ran the crawl (a warm
crawl worker, or a `bulletins crawl` process): a run is abandoned when its
worker is gone, which a pid alone cannot tell across machines. `crawl_runs.job_id`
is the queue job that asked for the crawl (queue mode), null otherwise.

Revision ID: 0008_run_worker
Revises: 0007_failure_codes
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_run_worker"
down_revision = "0007_failure_codes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("crawl_runs") as batch:
        batch.add_column(sa.Column("worker", sa.String(200), nullable=True))
        batch.add_column(sa.Column("job_id", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("crawl_runs") as batch:
        batch.drop_column("job_id")
        batch.drop_column("worker")
