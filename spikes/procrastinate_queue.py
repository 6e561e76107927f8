"""Spike (issue 16, phase 1): the procrastinate mechanics queue mode needs, on PostgreSQL.

Scratch code, not wired into the app: `tests/spikes/test_procrastinate_queue.py`
runs it against the local server, in a schema of its own. The recipe it proves
(written up in docs/design-warm-workers.md):

- one task ``crawl(source_id, timestamp)`` on queue ``crawls``; each job deferred
  with ``queueing_lock=source_id`` (at most one waiting per source) and
  ``lock=source_id`` (at most one running per source);
- enqueueing from every worker through procrastinate's periodic deferrer (one
  periodic id per source: ``periodic_registry.register_task``), whose
  ``procrastinate_periodic_defers`` row per (task, periodic id, timestamp) keeps N
  workers from deferring one tick twice;
- stalled jobs (their worker's heartbeat older than the stall time) put back with
  ``retry_job``; one whose source already has a job waiting collides with the
  queueing lock (procrastinate issue #1543) and is failed instead;
- the worker loop restarted after a database error: procrastinate's worker stops
  on the first failed heartbeat or fetch, so `run_worker_forever` reopens and
  runs it again, with a capped backoff.

The crawl itself is simulated here: it records its start and end in
``spike_crawls`` (the warm pool's real crawls are proven in tests/scheduler/test_pool.py).
A source id starting with ``hang`` never finishes (for the SIGKILL test).

    python -m spikes.procrastinate_queue worker CONNINFO NAME   # a worker process
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections.abc import Iterable
from typing import Any

import procrastinate
import psycopg
from procrastinate import exceptions, jobs
from procrastinate.manager import QUEUEING_LOCK_CONSTRAINT

log = logging.getLogger("spike.queue")
QUEUE = "crawls"
CRAWL_SECONDS = 0.3
HEARTBEAT = 1.0  # seconds between a worker's heartbeats (procrastinate default 10)
STALLED_AFTER = 3.0  # a worker silent this long is dead (default 30)


def conninfo(base: str, schema: str, application_name: str) -> str:
    """A libpq URL that lands in `schema` and names its connections (to find them)."""
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}&application_name={application_name}"


def make_app(dsn: str) -> procrastinate.App:
    connector = procrastinate.PsycopgConnector(conninfo=dsn, min_size=1, max_size=4, timeout=5)
    app = procrastinate.App(connector=connector)

    @app.task(name="crawl", queue=QUEUE, pass_context=True)
    async def crawl(context: procrastinate.JobContext, source_id: str, timestamp: int) -> None:
        job = context.job
        async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as conn:
            row = await conn.execute(
                "INSERT INTO spike_crawls (source_id, job_id, worker, started_at)"
                " VALUES (%s, %s, %s, clock_timestamp()) RETURNING id",
                (source_id, job.id, context.worker_name),
            )
            (crawl_id,) = await row.fetchone() or (None,)
            if source_id.startswith("hang"):
                await asyncio.sleep(3600)
            await asyncio.sleep(CRAWL_SECONDS)
            await conn.execute(
                "UPDATE spike_crawls SET finished_at = clock_timestamp() WHERE id = %s",
                (crawl_id,),
            )

    return app


async def install(app: procrastinate.App) -> None:
    await app.schema_manager.apply_schema_async()
    await app.connector.execute_query_async(
        "CREATE TABLE spike_crawls (id serial PRIMARY KEY, source_id text NOT NULL,"
        " job_id bigint, worker text, started_at timestamptz NOT NULL, finished_at timestamptz)"
    )


def crawl_options(source_id: str) -> dict[str, Any]:
    return {"queueing_lock": source_id, "lock": source_id}


async def defer_crawl(app: procrastinate.App, source_id: str, timestamp: int) -> int | None:
    """Enqueue one crawl now; None when one is already waiting for this source."""
    try:
        return await app.tasks["crawl"].configure(**crawl_options(source_id)).defer_async(
            source_id=source_id, timestamp=timestamp
        )
    except exceptions.AlreadyEnqueued:
        return None


def register_schedules(app: procrastinate.App, schedules: Iterable[tuple[str, str]]) -> None:
    """One periodic entry per source: (source id, cron). Cron is read in UTC."""
    for source_id, cron in schedules:
        app.periodic_registry.register_task(
            task=app.tasks["crawl"],
            cron=cron,
            periodic_id=source_id,
            configure_kwargs={**crawl_options(source_id), "task_kwargs": {"source_id": source_id}},
        )


async def retry_stalled(
    app: procrastinate.App, stalled_after: float
) -> tuple[list[int], list[int]]:
    """Put the jobs of dead workers back in the queue: (retried ids, failed ids).

    A stalled job whose source already has a job waiting cannot go back to 'todo'
    (the queueing lock's unique index): the waiting job supersedes it, so it is
    failed, which also frees the source's `lock`.
    """
    retried, failed = [], []
    for job in await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=stalled_after):
        assert job.id is not None
        try:
            await app.job_manager.retry_job(job)
            retried.append(job.id)
        except exceptions.UniqueViolation as exc:
            if exc.constraint_name != QUEUEING_LOCK_CONSTRAINT:
                raise
            await app.job_manager.finish_job_by_id_async(
                job.id, status=jobs.Status.FAILED, delete_job=False
            )
            failed.append(job.id)
    return retried, failed


async def run_worker_forever(
    app: procrastinate.App, name: str, stop: asyncio.Event, restarts: list[str] | None = None
) -> None:
    """Run a procrastinate worker; after a database error, open again and go on."""
    delay = 0.5
    while not stop.is_set():
        try:
            async with app.open_async():
                worker = asyncio.create_task(
                    app.run_worker_async(
                        queues=[QUEUE],
                        name=name,
                        concurrency=4,
                        install_signal_handlers=False,
                        update_heartbeat_interval=HEARTBEAT,
                        stalled_worker_timeout=STALLED_AFTER,
                        fetch_job_polling_interval=1.0,
                        shutdown_graceful_timeout=5,
                    )
                )
                stopper = asyncio.create_task(stop.wait())
                await asyncio.wait({worker, stopper}, return_when=asyncio.FIRST_COMPLETED)
                stopper.cancel()
                if not worker.done():
                    worker.cancel()
                    await asyncio.gather(worker, return_exceptions=True)
                    return
                worker.result()  # raises the error that stopped it
                if stop.is_set():
                    return
                raise RuntimeError("the worker stopped on its own (a side task failed)")
        except (exceptions.ConnectorException, psycopg.Error, OSError, RuntimeError) as exc:
            if restarts is not None:
                restarts.append(repr(exc))
            log.warning("queue worker %s stopped (%r); starting again in %.1fs", name, exc, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 30.0)


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.WARNING)
    _, dsn, name = argv
    app = make_app(dsn)
    print(f"worker {name} pid {os.getpid()}", flush=True)
    asyncio.run(run_worker_forever(app, name, asyncio.Event()))
    return 0


if __name__ == "__main__" and len(sys.argv) == 4 and sys.argv[1] == "worker":
    sys.exit(main(sys.argv[1:]))
