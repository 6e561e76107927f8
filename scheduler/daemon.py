"""`bulletins daemon`: the APScheduler 3.x scheduler of crawls and deliveries.

Processes and threads
    The main thread only waits for signals. APScheduler's thread fires jobs: one
    per enabled source (id ``crawl:<source>``, on the source's cron schedule in the
    config's time zone, with a little jitter; ``coalesce=True``, ``max_instances=1``,
    no misfire limit, so missed runs become one) and ``deliver`` (every
    `deliver_interval` seconds, `alerts.delivery.deliver_pending` in-process).
    A crawl job waits for one of `max_concurrent_crawls` slots, then hands the
    source to the dispatcher (`scheduler.dispatch`: by default this machine's warm
    crawl pool) and waits for the crawl, which ends at its time limit.

At start, a source whose last successful crawl is older than its schedule
(the schedule fired since) runs at once, once. On SIGHUP the config is read
again (the `reload` callable the app gives): sources added, removed or changed
are (re)scheduled, running crawls are left alone, and a bad config is logged and
the old one kept — crawls go on with it, since the crawl workers get their
settings from the daemon, never from the file. On SIGTERM or SIGINT no new crawl
starts; `dispatcher.close(grace_period)` gives the running ones the grace period,
then ends them. The daemon then exits 0 with no crawl process left.

The scheduler imports nothing of the app: the app passes the config (anything
shaped like `DaemonConfig`), the dispatcher, and how to reload.

A second daemon on the same database refuses to start (a lock, see
`scheduler.locks`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import signal
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers import SchedulerNotRunningError
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from crawlers.sources.schema import SourceConfig
from scheduler.daemon_config import DaemonConfig, InvalidConfig
from scheduler.dispatch import Dispatcher, LauncherClosed
from scheduler.locks import try_lock
from scheduler.schedule import Schedule, ScheduleTrigger
from scheduler.status import SUCCESS, last_started
from storage.db import Database
from storage.models import utcnow

log = logging.getLogger("scheduler")

CRAWL_PREFIX = "crawl:"
DELIVER_JOB = "deliver"
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
DELIVER_BATCH = 50


class Daemon:
    def __init__(
        self,
        config: DaemonConfig,
        dispatcher: Dispatcher,
        *,
        reload: Callable[[], DaemonConfig] | None = None,
        on_reload: Callable[[DaemonConfig], None] | None = None,
        deliver: bool = True,
        exclusive: bool = True,
    ) -> None:
        """`reload` reads the configuration again (raising `InvalidConfig`, or anything,
        when it cannot); `on_reload` is told of a new configuration once accepted (the app
        reconfigures its dispatcher there). `deliver`: whether this daemon delivers alerts
        (in queue mode the workers do). `exclusive`: one daemon per database (in queue
        mode several may run: they only enqueue, and the queue keeps one job per tick)."""
        self.config = config
        self.deliver = deliver
        self.exclusive = exclusive
        self.dispatcher = dispatcher
        self._reload = reload
        self._on_reload = on_reload
        self.db = Database(config.database)
        if logging.getLogger().getEffectiveLevel() > logging.DEBUG:
            # APScheduler logs every job start and end at INFO: the deliveries alone
            # would fill the log. Our own lines say what matters.
            logging.getLogger("apscheduler").setLevel(logging.WARNING)
        self.scheduler = BackgroundScheduler(
            timezone=config.timezone,
            executors={
                "crawls": ThreadPoolExecutor(64),
                "default": ThreadPoolExecutor(1),
            },
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )
        self.stopping = False
        self._hurry = False
        self._slots = threading.Condition()
        self._running: set[str] = set()
        self._jobs = 0
        self._delivering = threading.Event()
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)

    # --- signals ----------------------------------------------------------------

    def request_reload(self) -> None:
        self._wake_w.send(bytes([signal.SIGHUP]))

    def request_stop(self) -> None:
        self._wake_w.send(bytes([signal.SIGTERM]))

    def _install_signals(self) -> dict[int, Any]:
        previous: dict[int, Any] = {}
        for sig in (signal.SIGHUP, *STOP_SIGNALS):
            previous[sig] = signal.signal(sig, lambda signum, frame: None)
        signal.set_wakeup_fd(self._wake_w.fileno(), warn_on_full_buffer=False)
        return previous

    def _wait_signal(self, timeout: float | None = None) -> list[int]:
        readable, _, _ = select.select([self._wake_r], [], [], timeout)
        if not readable:
            return []
        try:
            return list(self._wake_r.recv(64))
        except BlockingIOError:
            return []

    # --- run ----------------------------------------------------------------------

    def run(self) -> int:
        with try_lock(self.db, "daemon") as taken:
            if not taken and self.exclusive:
                log.error("another daemon is running on this database")
                return 1
            previous = self._install_signals()
            try:
                self.scheduler.start()
                self._sync_jobs(catch_up=True)
                self._schedule_delivery()
                log.info("daemon started: %d source(s) scheduled", len(self._crawl_jobs()))
                while True:
                    signals = self._wait_signal()
                    if any(s in STOP_SIGNALS for s in signals):
                        log.info("stopping on %s", signal.Signals(signals[-1]).name)
                        break
                    if signal.SIGHUP in signals:
                        self.reload()
                code = self.stop()
                if self._delivering.is_set():
                    # An HTTP post outlived the grace period: leave it. Its alerts stay
                    # leased, then pending, and are delivered later (at least once).
                    log.warning("leaving an alert delivery unfinished; it is retried later")
                    logging.shutdown()
                    os._exit(code)
                return code
            finally:
                signal.set_wakeup_fd(-1)
                for sig, handler in previous.items():
                    signal.signal(sig, handler)
                self.db.dispose()

    def stop(self) -> int:
        """Start nothing new; give running crawls the grace period; end the rest."""
        grace = self.config.daemon.grace_period
        deadline = time.monotonic() + grace
        with self._slots:
            self.stopping = True
            self._slots.notify_all()
        self.scheduler.shutdown(wait=False)
        running = self.dispatcher.running()
        if running:
            log.info(
                "waiting up to %gs for %d running crawl(s): %s",
                grace,
                len(running),
                ", ".join(s for s, _ in running),
            )
        closing = threading.Thread(
            target=self.dispatcher.close, args=(grace,), name="dispatcher-close", daemon=True
        )
        closing.start()
        self._wait_closed(closing)
        self._wait_jobs(time.monotonic() + 10)
        if self._delivering.is_set():
            log.info("waiting for the alert delivery in progress")
            while self._delivering.is_set() and time.monotonic() < deadline:
                time.sleep(0.05)
        log.info("daemon stopped")
        return 0

    def _wait_closed(self, closing: threading.Thread) -> None:
        """Wait for the dispatcher to close; a second SIGTERM or SIGINT ends the crawls now."""
        while closing.is_alive():
            signals = self._wait_signal(0.05)
            if any(s in STOP_SIGNALS for s in signals) and not self._hurry:
                log.warning("stop signal again: ending the running crawls now")
                self._hurry = True
                self.dispatcher.close(0)
        closing.join()

    def _wait_jobs(self, until: float) -> None:
        with self._slots:
            while self._jobs and time.monotonic() < until:
                self._slots.wait(0.05)

    # --- configuration --------------------------------------------------------------

    def reload(self) -> bool:
        """Read the config file again and reschedule; keep the old config if it is bad."""
        if self._reload is None:
            log.warning("SIGHUP: no config file to read again (started without --config)")
            return False
        try:
            config = self._reload()
            for source in config.enabled_sources():  # every schedule must make a trigger
                ScheduleTrigger(Schedule.of(source.schedule, config.timezone), config.daemon.jitter)
        except InvalidConfig as exc:
            log.error("SIGHUP: the new configuration is not valid; keeping the old one:\n%s", exc)
            return False
        except Exception:  # whatever a broken file does, the daemon keeps running
            log.exception("SIGHUP: the configuration could not be read; keeping the old one")
            return False
        if config.database != self.config.database:
            log.error("SIGHUP: changing the database needs a restart; keeping the current one")
            config = replace(config, database=self.config.database)  # type: ignore[type-var]
        self.config = config
        if self._on_reload is not None:
            self._on_reload(config)
        with self._slots:
            self._slots.notify_all()  # the cap may have grown
        self._sync_jobs(catch_up=True)
        self._schedule_delivery()
        log.info("configuration reloaded: %d source(s) scheduled", len(self._crawl_jobs()))
        return True

    def _webhooks(self) -> list[Any]:
        return [w for w in self.config.webhooks if w.enabled]

    def _crawl_jobs(self) -> dict[str, Any]:
        return {
            job.id.removeprefix(CRAWL_PREFIX): job
            for job in self.scheduler.get_jobs()
            if job.id.startswith(CRAWL_PREFIX)
        }

    def _sync_jobs(self, *, catch_up: bool) -> None:
        wanted = {s.id: s for s in self.config.enabled_sources()}
        jobs = self._crawl_jobs()
        for source_id in jobs.keys() - wanted.keys():
            self.scheduler.remove_job(CRAWL_PREFIX + source_id)
            log.info("unscheduled", extra={"source": source_id})
        fresh = [s for s in wanted.values() if s.id not in jobs]
        overdue = self._overdue(fresh) if catch_up else set()
        for source in wanted.values():
            job = jobs.get(source.id)
            trigger = ScheduleTrigger(
                Schedule.of(source.schedule, self.config.timezone), self.config.daemon.jitter
            )
            if job is not None and job.trigger == trigger:
                continue
            options: dict[str, Any] = {}
            if source.id in overdue:
                options["next_run_time"] = datetime.now(trigger.schedule.tz)
            self.scheduler.add_job(
                self._crawl_job,
                trigger,
                args=[source.id],
                id=CRAWL_PREFIX + source.id,
                name=f"crawl {source.id}",
                executor="crawls",
                replace_existing=True,
                **options,
            )
            log.info(
                "scheduled %s%s",
                trigger.schedule.describe(),
                " (overdue: crawling now)" if source.id in overdue else "",
                extra={"source": source.id},
            )

    def _overdue(self, sources: list[SourceConfig]) -> set[str]:
        now = utcnow()
        with self.db.session() as session:
            success = last_started(session, (s.id for s in sources), SUCCESS)
        return {
            s.id
            for s in sources
            if Schedule.of(s.schedule, self.config.timezone).fired_since(success.get(s.id), now)
        }

    def _schedule_delivery(self) -> None:
        if not self.deliver:
            return
        interval = self.config.daemon.deliver_interval
        job = self.scheduler.get_job(DELIVER_JOB)
        if job is not None and job.trigger.interval.total_seconds() == interval:
            return
        self.scheduler.add_job(
            self._deliver_job,
            IntervalTrigger(seconds=interval),
            id=DELIVER_JOB,
            name="deliver alerts",
            executor="default",
            replace_existing=True,
            next_run_time=datetime.now(self.scheduler.timezone),
        )

    # --- jobs -------------------------------------------------------------------------

    def _take_slot(self, source_id: str) -> bool:
        with self._slots:
            while (
                not self.stopping and len(self._running) >= self.config.daemon.max_concurrent_crawls
            ):
                self._slots.wait()
            if self.stopping or source_id in self._running:
                return False
            self._running.add(source_id)
            return True

    def _crawl_job(self, source_id: str) -> None:
        with self._slots:
            self._jobs += 1
        try:
            if not self._take_slot(source_id):
                return
            try:
                source = next((s for s in self.config.enabled_sources() if s.id == source_id), None)
                if source is None:
                    return  # removed or disabled by a reload since the job fired
                self.dispatcher.crawl(source, self.config.daemon.crawl_time_limit)
                self._deliver_soon()
            except LauncherClosed:
                pass
            except Exception:
                log.exception("crawl job failed", extra={"source": source_id})
            finally:
                with self._slots:
                    self._running.discard(source_id)
                    self._slots.notify_all()
        finally:
            with self._slots:
                self._jobs -= 1
                self._slots.notify_all()

    def _deliver_soon(self) -> None:
        """A crawl may have enqueued alerts: deliver now rather than at the next interval."""
        if self.stopping or not self._webhooks():
            return
        with contextlib.suppress(JobLookupError, SchedulerNotRunningError):
            self.scheduler.modify_job(DELIVER_JOB, next_run_time=datetime.now(UTC))

    def _deliver_job(self) -> None:
        webhooks = self._webhooks()
        if not webhooks or self.stopping:
            return
        self._delivering.set()
        try:
            from alerts.delivery import deliver_pending

            report = deliver_pending(self.db, webhooks, batch=DELIVER_BATCH)
            if getattr(report, "attempted", None) or getattr(report, "delivered", None):
                log.info("alerts: %s", report)
        except Exception:
            log.exception("alert delivery failed")
        finally:
            self._delivering.clear()
