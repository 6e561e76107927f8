"""Queue mode (``execution: queue``): crawls as procrastinate jobs on the configured PostgreSQL.

The recipe is the one the phase-1 spike proved (docs/design-warm-workers.md §6):

- procrastinate's tables, types and functions live in a schema of their own,
  ``procrastinate`` (its SQL is unqualified: its connections put that schema on the
  search path), created by ``bulletins db upgrade`` (`apply_queue_schema`);
- one ``crawl(source_id, timestamp)`` job per due source and tick, deferred with
  ``queueing_lock=source_id`` (at most one waiting: missed ticks coalesce) and
  ``lock=source_id`` (at most one running);
- every process that enqueues (each ``bulletins worker``, a queue-mode daemon)
  defers a source's tick through ``defer_periodic_job``: its row in
  ``procrastinate_periodic_defers`` (unique per task, source, tick) keeps N
  enqueuers from deferring one tick twice. Ticks are computed with our own
  `Schedule` (the config's time zone, DST as cron), not procrastinate's UTC crons;
- jobs of a worker that stopped answering (SIGKILL, a lost machine) are found by
  their heartbeat and put back (`recover_stalled`); one whose source already has a
  job waiting collides with the queueing lock (procrastinate issue #1543) and is
  failed instead. Before either, the crawl runs the dead worker left ``running``
  are closed (status ``killed``), so no run stays open;
- webhook deliveries are ``deliver`` jobs (``queueing_lock="deliver"``), deferred
  after a crawl that found something and every ``daemon.deliver_interval``; the
  outbox's leases keep each delivery single.

`QueueDispatcher` is the daemon's side (it only enqueues); `scheduler.queue_worker`
runs the jobs; `scheduler.queue_recovery` handles stalled ones. They import
procrastinate only when called: local mode never loads it.
"""

from __future__ import annotations

import asyncio
import logging
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote

from sqlalchemy.engine import make_url

from crawlers.sources.schema import SourceConfig
from scheduler.daemon_config import DaemonConfig
from scheduler.schedule import Schedule
from scheduler.workers import WorkersSettings
from storage.db import Database, DatabaseUnavailable, redact_url, unavailable_message

if TYPE_CHECKING:
    import procrastinate

    from scheduler.outcome import CrawlOutcome

log = logging.getLogger("scheduler.queue")

QUEUE_SCHEMA = "procrastinate"
CRAWL_QUEUE = "crawls"
DELIVER_QUEUE = "deliver"
CRAWL_TASK = "crawl"
DELIVER_TASK = "deliver"
DELIVER_LOCK = "deliver"
DRIVER_HINT = "pip install 'bulletin-watch[postgresql]'"


class QueueConfig(DaemonConfig, Protocol):
    """What queue mode reads of the app's configuration (`bulletins.config.QueueConfig`)."""

    @property
    def execution(self) -> str: ...
    @property
    def crawl(self) -> Any: ...
    @property
    def browser(self) -> Any: ...
    @property
    def workers(self) -> WorkersSettings: ...


class QueueUnavailable(Exception):
    """Queue mode cannot run here (its PostgreSQL driver does not load); the message
    says why and how to fix it."""


@dataclass(frozen=True)
class QueueTimings:
    """Seconds between heartbeats, before a silent worker's jobs count as stalled, between
    two stalled-job recoveries and two enqueue passes; how often an idle worker polls.

    They follow the shortest schedule among the enabled sources (`for_period`): the
    defaults for any source due every minute or less often, shorter ones for a source
    due every few seconds, so that its ticks are each enqueued and a dead worker's job
    comes back within about one and a half of its periods.
    """

    heartbeat: float = 10.0
    stalled_after: float = 30.0
    recover_every: float = 60.0
    enqueue_every: float = 5.0
    fetch_poll: float = 5.0

    @classmethod
    def for_period(cls, period: float | None) -> QueueTimings:
        """The timings for sources due at most every `period` seconds (None: no source):
        stalled after half the period (8 to 30 s; heartbeats three times as often),
        recovery once a period (2 to 60 s), an enqueue pass and an idle poll every
        twelfth of it (0.5 or 1 to 5 s)."""
        if period is None:
            return cls()
        stalled = _clamp(period / 2, 8.0, cls.stalled_after)
        return cls(
            heartbeat=stalled / 3,
            stalled_after=stalled,
            recover_every=_clamp(period, 2.0, cls.recover_every),
            enqueue_every=_clamp(period / 12, 0.5, cls.enqueue_every),
            fetch_poll=_clamp(period / 12, 1.0, cls.fetch_poll),
        )

    @classmethod
    def of(cls, config: QueueConfig, now: datetime | None = None) -> QueueTimings:
        """The timings for the config's enabled sources (`for_period`)."""
        return cls.for_period(shortest_period(config, now or datetime.now(UTC)))


def shortest_period(config: QueueConfig, now: datetime) -> float | None:
    """The shortest period in seconds among the enabled sources' schedules, or None."""
    periods = [
        gap.total_seconds()
        for source in config.enabled_sources()
        if (gap := Schedule.of(source.schedule, config.timezone).period(now)) is not None
    ]
    return min(periods, default=None)


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(value, high))


def queue_conninfo(database_url: str, application_name: str) -> str:
    """A libpq URL for procrastinate: the database's, its schema on the search path."""
    url = make_url(database_url)
    query: dict[str, str] = {}
    for key, value in url.query.items():
        query[key] = " ".join(value) if isinstance(value, tuple) else value
    options = [o for o in query.get("options", "").split() if "search_path" not in o]
    query["options"] = " ".join([*options, f"-csearch_path={QUEUE_SCHEMA}"])
    query["application_name"] = application_name
    base = url.set(drivername="postgresql", query={}).render_as_string(hide_password=False)
    # libpq decodes %XX but not "+": quote every value ourselves.
    return base + "?" + "&".join(f"{k}={quote(v, safe='')}" for k, v in query.items())


def _import_procrastinate() -> Any:
    try:
        import procrastinate
    except ImportError as exc:  # psycopg without a libpq
        raise QueueUnavailable(
            f"execution: queue needs the PostgreSQL driver, which cannot load ({exc}): "
            f"{DRIVER_HINT}"
        ) from None
    return procrastinate


class CrawlRunner:
    """What a worker's jobs run on: the config (replaced on SIGHUP), a warm pool, the DB."""

    def __init__(self, config: QueueConfig, crawl: Callable[[SourceConfig, float], CrawlOutcome],
                 db: Database) -> None:
        self.config = config
        self.crawl = crawl
        self.db = db

    def source(self, source_id: str) -> SourceConfig | None:
        return next((s for s in self.config.enabled_sources() if s.id == source_id), None)

    def webhooks(self) -> list[Any]:
        return [w for w in self.config.webhooks if w.enabled]


def make_app(database_url: str, name: str, runner: CrawlRunner | None = None,
             pool_size: int = 4) -> procrastinate.App:
    """The procrastinate app with the ``crawl`` and ``deliver`` tasks. Without a
    `runner` the app only enqueues (the daemon's side)."""
    library = _import_procrastinate()
    connector = library.PsycopgConnector(
        conninfo=queue_conninfo(database_url, name), min_size=1, max_size=pool_size, timeout=5
    )
    app: procrastinate.App = library.App(connector=connector)

    @app.task(name=CRAWL_TASK, queue=CRAWL_QUEUE, pass_context=True)
    async def crawl(context: procrastinate.JobContext, source_id: str, timestamp: int) -> None:
        if runner is None:
            raise RuntimeError("this process only enqueues crawls")
        source = runner.source(source_id)
        if source is None:
            log.info("not crawled: no longer an enabled source", extra={"source": source_id})
            return
        limit = runner.config.daemon.crawl_time_limit
        outcome = await asyncio.to_thread(runner.crawl, source, limit)
        if outcome.new_documents and runner.webhooks():
            await defer_delivery(context.app, None)

    @app.task(name=DELIVER_TASK, queue=DELIVER_QUEUE)
    async def deliver(timestamp: int | None = None) -> None:
        if runner is None:
            raise RuntimeError("this process only enqueues deliveries")
        webhooks = runner.webhooks()
        if not webhooks:
            return
        from alerts.delivery import deliver_pending

        report = await asyncio.to_thread(deliver_pending, runner.db, webhooks, batch=50)
        if getattr(report, "attempted", None) or getattr(report, "delivered", None):
            log.info("alerts: %s", report)

    return app


def apply_queue_schema(database_url: str) -> bool:
    """Create the ``procrastinate`` schema and procrastinate's objects in it, unless
    they are there already; whether it did."""
    library = _import_procrastinate()
    import psycopg

    conninfo = queue_conninfo(database_url, "bulletins-db-upgrade")
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{QUEUE_SCHEMA}"')
        if _schema_present(conn):
            return False
        with conn.transaction():
            conn.execute(library.schema.SchemaManager.get_schema())
    return True


def check_queue_schema(database_url: str) -> None:
    """`DatabaseUnavailable` (one line) unless the database answers and holds the queue."""
    _import_procrastinate()
    import psycopg

    try:
        with psycopg.connect(queue_conninfo(database_url, "bulletins-check"),
                             connect_timeout=10) as conn:
            present = _schema_present(conn)
    except psycopg.Error as exc:
        raise DatabaseUnavailable(unavailable_message(database_url, exc)) from exc
    if not present:
        raise DatabaseUnavailable(
            f"the queue's schema {QUEUE_SCHEMA!r} is missing in {redact_url(database_url)}: "
            "run `bulletins db upgrade` (with execution: queue)"
        )


def _schema_present(conn: Any) -> bool:
    found = conn.execute("SELECT to_regclass(%s)", (f"{QUEUE_SCHEMA}.procrastinate_jobs",))
    row = found.fetchone()
    return bool(row and row[0] is not None)


# --- enqueueing ---------------------------------------------------------------------


async def defer_crawl(app: procrastinate.App, source_id: str, tick: int) -> int | None:
    """Enqueue the crawl of `source_id` for the tick `tick` (epoch seconds); None if
    this tick was deferred already (by any process) or a crawl of it is waiting."""
    from procrastinate import exceptions

    deferrer = app.tasks[CRAWL_TASK].configure(
        queueing_lock=source_id,
        lock=source_id,
        task_kwargs={"source_id": source_id, "timestamp": tick},
    )
    try:
        job_id: int | None = await app.job_manager.defer_periodic_job(
            deferrer.job, periodic_id=source_id, defer_timestamp=tick
        )
        return job_id
    except exceptions.AlreadyEnqueued:
        return None


async def defer_delivery(app: procrastinate.App, tick: int | None) -> int | None:
    """Enqueue a delivery: for the interval `tick` (once across all processes), or now."""
    from procrastinate import exceptions

    task = app.tasks[DELIVER_TASK]
    try:
        if tick is None:
            job_id: int | None = await task.configure(queueing_lock=DELIVER_LOCK).defer_async()
            return job_id
        deferrer = task.configure(queueing_lock=DELIVER_LOCK, task_kwargs={"timestamp": tick})
        return await app.job_manager.defer_periodic_job(
            deferrer.job, periodic_id=DELIVER_TASK, defer_timestamp=tick
        )
    except exceptions.AlreadyEnqueued:
        return None


def due_tick(source: SourceConfig, timezone: str, now: datetime) -> int | None:
    """The source's latest fire time at or before `now`, as epoch seconds."""
    tick = Schedule.of(source.schedule, timezone).previous(now)
    return int(tick.timestamp()) if tick is not None else None


class Enqueuer:
    """Defers each enabled source's crawl once per tick, from as many processes as run."""

    def __init__(self, app: procrastinate.App) -> None:
        self.app = app
        # (source id, schedule) -> (the last tick this process handled, the next fire time):
        # a pass computes nothing for a source whose next fire time has not come.
        self._done: dict[tuple[str, str], tuple[int, float]] = {}
        self._delivery_tick: int | None = None

    async def run_once(self, config: QueueConfig, now: datetime | None = None) -> list[str]:
        """One pass; the sources it deferred a crawl for."""
        now = now or datetime.now(UTC)
        deferred = []
        for source in config.enabled_sources():
            key = (source.id, source.schedule)
            done = self._done.get(key)
            if done is not None and now.timestamp() < done[1]:
                continue
            schedule = Schedule.of(source.schedule, config.timezone)
            previous = schedule.previous(now)
            if previous is None:
                continue
            tick = int(previous.timestamp())
            following = schedule.next_after(previous)
            next_at = following.timestamp() if following is not None else math.inf
            fresh = done is None or done[0] != tick
            if fresh and await defer_crawl(self.app, source.id, tick) is not None:
                deferred.append(source.id)
                log.info("crawl enqueued for %s", previous.isoformat(),
                         extra={"source": source.id})
            self._done[key] = (tick, next_at)
        if any(w.enabled for w in config.webhooks):
            interval = config.daemon.deliver_interval
            tick = int(math.floor(now.timestamp() / interval) * interval)
            if tick != self._delivery_tick:
                await defer_delivery(self.app, tick)
                self._delivery_tick = tick
        return deferred


# --- the daemon's side ----------------------------------------------------------------


class QueueDispatcher:
    """A `scheduler.dispatch.Dispatcher` that enqueues: `crawl` defers the source's job
    for its due tick and returns None at once (the workers run it)."""

    def __init__(self, config: QueueConfig, name: str = "bulletins-daemon") -> None:
        self.config = config
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="queue-dispatcher",
                                        daemon=True)
        self._thread.start()
        self.app = make_app(config.database, name)
        self._call(self._open())
        self.closed = False

    async def _open(self) -> None:
        await self.app.open_async()

    def _call(self, coro: Any, timeout: float = 60.0) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    def crawl(self, source: SourceConfig, time_limit: float) -> None:
        from scheduler.outcome import LauncherClosed

        if self.closed:
            raise LauncherClosed(source.id)
        tick = due_tick(source, self.config.timezone, datetime.now(UTC))
        if tick is None:
            return None
        job_id = self._call(defer_crawl(self.app, source.id, tick))
        log.info("crawl %s", "enqueued" if job_id is not None else "already enqueued",
                 extra={"source": source.id})
        return None

    def running(self) -> list[tuple[str, int]]:
        return []  # nothing runs in this process

    def close(self, grace: float = 0.0) -> None:
        if self.closed:
            return
        self.closed = True
        try:
            self._call(self.app.close_async(), timeout=max(grace, 10.0))
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
            self._loop.close()
