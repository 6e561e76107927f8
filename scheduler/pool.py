"""The warm pool: crawls run in long-lived worker processes instead of one process each.

`WarmPool.crawl(source, time_limit)` blocks the calling (job) thread until the
crawl ended and returns a `CrawlOutcome`; a crawl that could not report its end
is recorded in ``crawl_runs`` here (through `storage.runs`), with the cause. The
daemon uses it through `scheduler.dispatch.LocalDispatcher`.

Settings
    A worker gets everything it crawls with from the pool, as data on its pipe: the
    database URL, the time zone, the config's `crawl:` and `browser:` sections and
    the webhooks (`PoolSettings`), then each source's config with its crawl order.
    It never reads the config file, so a crawl runs with the configuration the
    scheduler holds (a broken file on SIGHUP changes nothing).

Isolation
    A crawl runs in a worker, never in the scheduler. At its time limit the worker
    closes it (recorded failed, "time limit"). A worker that has not answered
    `stop_grace` seconds later is stuck (a blocked reactor): its whole process group
    is killed, every crawl it held is recorded as failed with the reason, and a new
    worker takes its place. Workers are recycled (drained, then replaced) after
    `crawls_per_worker` crawls or once their memory passes `max_worker_rss_mb`; a
    worker whose writer died asks to be replaced. Workers die with the pool process
    (``PR_SET_PDEATHSIG``), and their writers with them.

One crawl at a time per source stays the caller's rule (the daemon's `_running`
set, a queue's lock); the pool refuses a second crawl of a source it is running.
"""

from __future__ import annotations

import itertools
import logging
import signal
import socket
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import psutil

from crawlers.sources.schema import SourceConfig
from crawlers.warm import protocol
from scheduler.outcome import SHUTDOWN_REASON, TIME_LIMIT_REASON, CrawlOutcome, LauncherClosed
from scheduler.pool_worker import Order, WorkerProcess
from scheduler.workers import WorkersSettings
from storage import repository, runs
from storage.db import Database
from storage.models import utcnow
from storage.status import SUCCESSFUL, RunStatus

log = logging.getLogger("scheduler.pool")


@dataclass(frozen=True)
class PoolSettings:
    database_url: str
    timezone: str = "Asia/Shanghai"
    overrides: dict[str, Any] = field(default_factory=dict)  # Scrapy settings, over `crawl`
    webhooks: list[Any] = field(default_factory=list)  # WebhookConfig
    crawl: dict[str, Any] = field(default_factory=dict)  # the config's `crawl:` section
    browser: dict[str, Any] | None = None  # the config's `browser:` section
    workers: int = 1
    max_concurrent_per_worker: int = 16
    crawls_per_worker: int = 2000  # a new worker costs ~4 CPU-s: 0.002 per crawl
    max_worker_rss_mb: float = 250.0
    stop_grace: float = 45.0  # > DOWNLOAD_TIMEOUT: closing a crawl waits for its downloads
    log_level: str = "WARNING"
    python: str = field(default_factory=lambda: sys.executable)

    @classmethod
    def of(
        cls,
        *,
        database_url: str,
        timezone: str,
        crawl: Any,
        browser: Any,
        webhooks: Sequence[Any],
        workers: WorkersSettings,
        log_level: str = "WARNING",
    ) -> PoolSettings:
        """The pool for a configuration: its `crawl:`, `browser:` and `workers:` sections
        (models or mappings) and its enabled webhooks."""
        return cls(
            database_url=database_url,
            timezone=timezone,
            crawl=_as_dict(crawl),
            browser=_as_dict(browser) if browser is not None else None,
            webhooks=[w for w in webhooks if getattr(w, "enabled", True)],
            workers=workers.processes,
            max_concurrent_per_worker=workers.concurrency,
            crawls_per_worker=workers.crawls_per_worker,
            max_worker_rss_mb=workers.max_rss_mb,
            stop_grace=workers.stop_grace,
            log_level=log_level,
        )

    def worker_settings(self) -> protocol.WorkerSettings:
        return protocol.WorkerSettings(
            database_url=self.database_url,
            timezone=self.timezone,
            overrides=dict(self.overrides),
            crawl=dict(self.crawl),
            browser=dict(self.browser) if self.browser is not None else None,
            webhooks=[_webhook_message(w) for w in self.webhooks],
            log_level=self.log_level,
            max_concurrent=self.max_concurrent_per_worker,
        )


class WarmPool:
    def __init__(self, settings: PoolSettings, db: Database | None = None) -> None:
        self.settings = settings
        self.db = db or Database(settings.database_url)
        self._own_db = db is None
        self._cond = threading.Condition()
        self._workers: list[WorkerProcess] = []
        self._retired: list[WorkerProcess] = []
        self._names = itertools.count(1)
        self._ids = itertools.count(1)
        self._running: dict[str, WorkerProcess] = {}  # source id -> its worker
        self.closed = False
        self.recycled = 0
        self._started = False
        self._shutdown = False  # close() had to signal the workers

    # --- lifecycle ------------------------------------------------------------------

    def start(self) -> WarmPool:
        with self._cond:
            while len(self._workers) < self.settings.workers:
                self._spawn()
        return self

    def _spawn(self) -> WorkerProcess:
        if not self._started:
            self._started = True
            abandon_dead_runs(self.db)
        worker = WorkerProcess(
            f"w{next(self._names)}", self.settings.worker_settings(), self.settings.python
        ).start()
        self._workers.append(worker)
        return worker

    def reconfigure(self, settings: PoolSettings) -> None:
        """New settings for new workers; the current ones finish their crawls and go."""
        with self._cond:
            if settings == self.settings:
                return
            self.settings = settings
            for worker in self._workers:
                worker.drain()
            self._retired += self._workers
            self._workers = []
            self._cond.notify_all()

    def close(self, grace: float = 30.0) -> None:
        """Take no more crawls; let running ones end within `grace` (most of it to finish,
        then SIGTERM: the worker closes its crawls; then SIGKILL to the process groups).

        Called again (a second stop signal), it ends what is left at once."""
        with self._cond:
            self.closed = True
            workers = self._workers + self._retired
            self._cond.notify_all()
        for worker in workers:
            worker.drain()
        deadline = time.monotonic() + grace
        steps = (
            (deadline - min(5.0, grace / 2), signal.SIGTERM),
            (deadline - min(1.0, grace / 10), signal.SIGKILL),
            (time.monotonic() + grace + 10, None),
        )
        for until, sig in steps:
            for worker in workers:
                worker.exited.wait(max(0.0, until - time.monotonic()))
            left = [w for w in workers if not w.exited.is_set()]
            if not left or sig is None:
                break
            self._shutdown = True
            for worker in left:
                worker.kill(SHUTDOWN_REASON, sig)
        if self._own_db:
            self.db.dispose()

    def running(self) -> list[tuple[str, int]]:
        with self._cond:
            return [(s, w.pid or 0) for s, w in self._running.items()]

    def workers(self) -> list[WorkerProcess]:
        with self._cond:
            return list(self._workers)

    # --- one crawl ------------------------------------------------------------------

    def crawl(self, source: SourceConfig, time_limit: float) -> CrawlOutcome:
        started, clock = utcnow(), time.monotonic()
        worker = self._acquire(source.id)
        try:
            order = worker.submit(f"{worker.name}-{next(self._ids)}", source, time_limit)
            log.info("crawl started (pid %s)", worker.pid, extra={"source": source.id})
            ended_by = None
            if not order.done.wait(time_limit + self.settings.stop_grace):
                ended_by = TIME_LIMIT_REASON
                worker.kill(
                    f"its worker was killed: the crawl of {source.id} did not end within "
                    f"{self.settings.stop_grace:g}s after its time limit"
                )
                order.done.wait(60)
        finally:
            self._release(source.id, worker)
        return self._outcome(source, worker, order, started, time.monotonic() - clock, ended_by)

    def _acquire(self, source_id: str) -> WorkerProcess:
        limit = self.settings.max_concurrent_per_worker
        with self._cond:
            while True:
                if self.closed:
                    raise LauncherClosed(source_id)
                if source_id in self._running:
                    raise RuntimeError(f"source {source_id} is already being crawled")
                self._workers = [w for w in self._workers if w.alive and not w.draining]
                while len(self._workers) < self.settings.workers:
                    self._spawn()
                free = [w for w in self._workers if w.load() < limit]
                if free:
                    worker = min(free, key=lambda w: w.load())
                    self._running[source_id] = worker
                    return worker
                self._cond.wait(0.5)

    def _release(self, source_id: str, worker: WorkerProcess) -> None:
        with self._cond:
            self._running.pop(source_id, None)
            if worker.alive and not worker.draining:
                reason = None
                if worker.crawls >= self.settings.crawls_per_worker:
                    reason = f"{worker.crawls} crawls"
                elif worker.rss > self.settings.max_worker_rss_mb * 2**20:
                    reason = f"{worker.rss / 2**20:.0f} MB resident"
                if reason:
                    log.info("recycling crawl worker %s after %s", worker.name, reason)
                    worker.drain()
                    self.recycled += 1
            if worker.draining and worker in self._workers:
                self._workers.remove(worker)
                self._retired.append(worker)
            self._retired = [w for w in self._retired if not w.exited.is_set()]
            self._cond.notify_all()

    def _outcome(
        self,
        source: SourceConfig,
        worker: WorkerProcess,
        order: Order,
        started: datetime,
        seconds: float,
        ended_by: str | None,
    ) -> CrawlOutcome:
        summary = order.summary or {}
        run_id = summary.get("run_id")
        reason: str | None
        status = RunStatus(str(summary.get("status") or RunStatus.FAILED))
        if self._shutdown and not ended_by and status not in SUCCESSFUL:
            # Cut short by the shutdown (the worker's own SIGTERM close, or its kill).
            ended_by, status, reason = "shutdown", RunStatus.KILLED, SHUTDOWN_REASON
            run_id = self._close_runs(source, worker.pid, started, status, reason, run_id)
        elif order.summary is None:  # the worker died or was killed with the crawl open
            reason = TIME_LIMIT_REASON if ended_by else (order.failure or "no answer")
            status = RunStatus.FAILED
            run_id = self._close_runs(source, worker.pid, started, status, reason)
        else:
            reason = summary.get("reason")
        outcome = CrawlOutcome(
            source_id=source.id,
            pid=worker.pid or 0,
            returncode=None,
            status=status,
            reason=reason,
            run_id=run_id,
            new_documents=int(summary.get("new_documents") or 0),
            seconds=round(seconds, 3),
            ended_by=ended_by,
        )
        level = logging.WARNING if outcome.failed else logging.INFO
        log.log(level, "crawl %s in %.1fs on %s: %d new%s", status, seconds, worker.name,
                outcome.new_documents, f" ({reason})" if reason else "",
                extra={"source": source.id, "run_id": run_id})
        return outcome

    def _close_runs(
        self,
        source: SourceConfig,
        pid: int | None,
        started: datetime,
        status: RunStatus,
        reason: str,
        run_id: int | None = None,
    ) -> int | None:
        """Close the run the worker opened for this crawl (`run_id`, else its open rows
        since `started`; a shutdown overrules what the run says), or add a closed one if
        the crawl never opened its row."""
        overrule = status == RunStatus.KILLED
        try:
            with self.db.session() as session, session.begin():
                closed = runs.end_process_runs(
                    session, source.id, pid, started, status, reason,
                    run_id=run_id, overrule=overrule,
                )
                if closed is not None:
                    return closed
                repository.upsert_source(session, source.model_dump(mode="json"))
                return runs.add_ended_run(
                    session, source.id, pid, started, status, reason, runs.worker_name(pid)
                )
        except Exception:
            log.exception("could not record the end of the crawl", extra={"source": source.id})
            return None


def abandon_dead_runs(db: Database) -> int:
    """At pool start: close the ``running`` rows of this host whose worker is gone."""
    try:
        with db.session() as session, session.begin():
            count = runs.abandon_dead_workers(session, socket.gethostname(), psutil.pid_exists)
    except Exception:
        log.exception("could not close the runs of dead crawl workers")
        return 0
    if count:
        log.warning("closed %d run(s) left running by crawl workers that are gone", count)
    return count


def _webhook_message(webhook: Any) -> dict[str, Any]:
    """A WebhookConfig as JSON for the worker's pipe, its secret in clear (pipe only)."""
    if isinstance(webhook, dict):
        return webhook
    data: dict[str, Any] = webhook.model_dump(mode="json")
    secret = getattr(webhook, "secret", None)
    data["secret"] = secret.get_secret_value() if secret is not None else None
    return data


def _as_dict(section: Any) -> dict[str, Any]:
    if hasattr(section, "model_dump"):
        return dict(section.model_dump(mode="json"))
    return dict(section) if isinstance(section, Mapping) else {}
