"""`bulletins worker`: takes crawl and delivery jobs from the PostgreSQL queue.

One asyncio loop runs procrastinate's worker (up to `concurrency` jobs at once),
the enqueuer (every source's due tick, deferred once across all workers) and the
stalled-job recovery (every minute, more often for sources due every few seconds:
`scheduler.queue.QueueTimings`; idempotent, so every worker runs it rather than a
locked job: procrastinate issue #1408). A crawl job runs on this process's
warm pool (`scheduler.pool.WarmPool`) in a thread.

Signals: SIGHUP reads the config again (sources, schedules, time limit, webhook
deliveries; the database, the `crawl:`/`browser:` settings and the webhooks the
crawl workers match new documents against are the pool's and need a restart);
SIGTERM or SIGINT stops taking jobs and gives running crawls
`daemon.grace_period` seconds before the pool kills its workers. After a
database error (PostgreSQL restarting) the worker reopens its connections and
goes on, with a backoff from 0.5 to 30 seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import os
import signal
import socket
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from scheduler.daemon_config import InvalidConfig
from scheduler.pool import PoolSettings, WarmPool
from scheduler.queue import (
    CRAWL_QUEUE,
    DELIVER_QUEUE,
    CrawlRunner,
    Enqueuer,
    QueueConfig,
    QueueTimings,
    check_queue_schema,
    make_app,
)
from scheduler.queue_recovery import recover_stalled
from storage.db import Database

log = logging.getLogger("scheduler.worker")

MAX_PER_CRAWL_WORKER = 16  # crawls one warm worker process runs at once


def pool_settings(config: QueueConfig, concurrency: int, log_level: str) -> PoolSettings:
    """The worker's warm pool: `--concurrency` crawls at once, over as many crawl worker
    processes as that needs (at most MAX_PER_CRAWL_WORKER crawls each)."""
    workers = config.workers.model_copy(update={
        "processes": max(1, math.ceil(concurrency / MAX_PER_CRAWL_WORKER)),
        "concurrency": min(concurrency, MAX_PER_CRAWL_WORKER),
    })
    return PoolSettings.of(
        database_url=config.database,
        timezone=config.timezone,
        crawl=config.crawl,
        browser=config.browser,
        webhooks=config.webhooks,
        workers=workers,
        log_level=log_level,
    )


class QueueWorker:
    def __init__(
        self,
        config: QueueConfig,
        *,
        concurrency: int,
        reload: Callable[[], QueueConfig] | None = None,
        log_level: str = "WARNING",
        crawl_log_level: str = "WARNING",
    ) -> None:
        """`reload` reads the configuration again on SIGHUP (raising `InvalidConfig`, or
        anything, when it cannot)."""
        self.config = config
        self.concurrency = concurrency
        self._reload = reload
        self.log_level = log_level
        self.name = f"{socket.gethostname()}:{os.getpid()}"
        self.timings = QueueTimings.of(config)
        self.db = Database(config.database)
        self.pool = WarmPool(pool_settings(config, concurrency, crawl_log_level), self.db)
        self.runner = CrawlRunner(config, self.pool.crawl, self.db)
        self.restarts = 0
        self._stop: asyncio.Event | None = None

    def run(self) -> int:
        check_queue_schema(self.config.database)  # a clear error now, not retries forever
        return asyncio.run(self._main())

    async def _main(self) -> int:
        loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self._stop.set)
        loop.add_signal_handler(signal.SIGHUP, self.reload)
        await asyncio.to_thread(self.pool.start)
        log.info("queue worker %s started: concurrency %d, %d source(s)", self.name,
                 self.concurrency, len(self.config.enabled_sources()))
        try:
            await self._run_forever(self._stop)
        finally:
            await asyncio.to_thread(self.pool.close, 10.0)
            self.db.dispose()
        log.info("queue worker %s stopped", self.name)
        return 0

    def reload(self) -> bool:
        if self._reload is None:
            log.warning("SIGHUP: no config file to read again (started without --config)")
            return False
        try:
            config = self._reload()
        except InvalidConfig as exc:
            log.error("SIGHUP: the new configuration is not valid; keeping the old one:\n%s", exc)
            return False
        except Exception:
            log.exception("SIGHUP: the configuration could not be read; keeping the old one")
            return False
        if config.database != self.config.database:
            log.error("SIGHUP: changing the database needs a restart; keeping the old "
                      "configuration")
            return False
        self.config = self.runner.config = config
        # The enqueue and recovery passes follow the new schedules at once; the heartbeat
        # and the stall time are the running procrastinate worker's (and must agree
        # across workers): they follow at the next start.
        follow = QueueTimings.of(config)
        self.timings = replace(self.timings, enqueue_every=follow.enqueue_every,
                               recover_every=follow.recover_every)
        log.info("configuration reloaded: %d source(s)", len(config.enabled_sources()))
        return True

    async def _run_forever(self, stop: asyncio.Event) -> None:
        delay = 0.5
        while not stop.is_set():
            opened = time.monotonic()
            app = make_app(self.config.database, f"bulletins-worker {self.name}", self.runner,
                           pool_size=max(4, self.concurrency // 2 + 3))
            try:
                async with app.open_async():
                    await self._serve(app, stop)
                    return
            except Exception as exc:  # the database went away: open again, go on
                self.restarts += 1
                if time.monotonic() - opened > 60:
                    delay = 0.5  # it had been running fine: a new outage
                log.warning("queue worker stopped (%r); starting again in %.1fs", exc, delay)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), delay)
                delay = min(delay * 2, 30.0)

    async def _serve(self, app: Any, stop: asyncio.Event) -> None:
        grace = self.config.daemon.grace_period
        worker = asyncio.create_task(app.run_worker_async(
            queues=[CRAWL_QUEUE, DELIVER_QUEUE],
            name=self.name,
            concurrency=self.concurrency,
            install_signal_handlers=False,
            listen_notify=True,
            update_heartbeat_interval=self.timings.heartbeat,
            stalled_worker_timeout=self.timings.stalled_after,
            fetch_job_polling_interval=self.timings.fetch_poll,
            shutdown_graceful_timeout=grace + 15,
            delete_jobs="successful",
        ))
        enqueuer = Enqueuer(app)
        side = [
            asyncio.create_task(self._every(
                lambda: self.timings.enqueue_every, lambda: enqueuer.run_once(self.config))),
            asyncio.create_task(self._every(
                lambda: self.timings.recover_every, lambda: self._recover(app))),
        ]
        stopper = asyncio.create_task(stop.wait())
        try:
            await asyncio.wait({worker, stopper}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (*side, stopper):
                task.cancel()
        if worker.done():
            worker.result()  # raises the error that stopped it
            if not stop.is_set():
                raise RuntimeError("the queue worker stopped on its own")
            return
        log.info("stopping: no new jobs; running crawls have %gs", grace)
        worker.cancel()  # procrastinate waits for running jobs (graceful timeout)
        closing = asyncio.create_task(asyncio.to_thread(self.pool.close, grace))
        await asyncio.gather(worker, closing, return_exceptions=True)

    async def _every(self, seconds: Callable[[], float], step: Any) -> None:
        """Await `step()` every `seconds()`; an error is logged and the next step runs."""
        while True:
            try:
                await step()
            except Exception:
                log.exception("queue side task failed; trying again")
            await asyncio.sleep(seconds())

    async def _recover(self, app: Any) -> None:
        retried, failed = await recover_stalled(app, self.db, self.timings.stalled_after)
        if retried or failed:
            log.warning("stalled jobs: %d put back, %d failed (superseded)",
                        len(retried), len(failed))
