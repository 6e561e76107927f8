"""Queue mode: the jobs of workers that stopped answering, put back (or failed if superseded).

Every worker runs `recover_stalled` every minute, or more often for sources due
every few seconds (`scheduler.queue.QueueTimings`); it is idempotent, so it is not
a locked job of its own (procrastinate issue #1408).
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from scheduler.queue import CRAWL_TASK
from storage import runs
from storage.db import Database

if TYPE_CHECKING:
    import procrastinate

log = logging.getLogger("scheduler.queue")


async def recover_stalled(
    app: procrastinate.App, db: Database, stalled_after: float
) -> tuple[list[int], list[int]]:
    """Put the jobs of workers silent for `stalled_after` seconds back in the queue:
    (retried job ids, failed job ids). The crawl runs they left open are closed first,
    while the job still holds its source's lock (no new run of the source can start)."""
    from procrastinate import exceptions, jobs
    from procrastinate.manager import QUEUEING_LOCK_CONSTRAINT

    retried: list[int] = []
    failed: list[int] = []
    for job in await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=stalled_after):
        assert job.id is not None
        source_id = job.task_kwargs.get("source_id") if job.task_name == CRAWL_TASK else None
        if isinstance(source_id, str):
            closed = await asyncio.to_thread(close_abandoned_runs, db, source_id, job.id)
            log.warning("job %d of a silent worker: %d run(s) closed", job.id, closed,
                        extra={"source": source_id})
        try:
            await app.job_manager.retry_job(job)
            retried.append(job.id)
        except exceptions.UniqueViolation as exc:
            if exc.constraint_name != QUEUEING_LOCK_CONSTRAINT:
                raise
            # A newer job of this source waits already (procrastinate issue #1543).
            await app.job_manager.finish_job_by_id_async(
                job.id, status=jobs.Status.FAILED, delete_job=False
            )
            failed.append(job.id)
    return retried, failed


def close_abandoned_runs(db: Database, source_id: str, job_id: int) -> int:
    """Close the source's runs left ``running`` by a worker that stopped answering."""
    reason = f"abandoned: its queue worker stopped answering (job {job_id} put back)"
    with db.session() as session, session.begin():
        return runs.abandon_runs(session, source_id, lambda _pid: False, reason)
