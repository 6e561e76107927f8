"""`bulletins run-due`: one tick of system cron.

Crawls every enabled source whose schedule fired since its last run (croniter,
in the config's time zone), in a warm crawl pool of its own (the local
dispatcher: its workers live as long as the tick) with the daemon's time limit
and at most `max_concurrent_crawls` at once, then delivers pending alerts.

A lock (a file beside the SQLite database, an advisory lock on PostgreSQL) makes a
tick that overlaps a running one, or a running daemon, return at once: cron then
simply tries again at the next tick.
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from types import FrameType
from typing import Any

from scheduler.daemon_config import DaemonConfig
from scheduler.dispatch import CrawlOutcome, Dispatcher, LauncherClosed, LocalDispatcher
from scheduler.locks import try_lock
from scheduler.status import due_sources
from storage.db import Database
from storage.models import utcnow

log = logging.getLogger("scheduler")

TERMINATE_WAIT = 5.0


@dataclass
class TickReport:
    skipped: str | None = None  # why nothing was done: another tick, or the daemon
    due: list[str] = field(default_factory=list)
    outcomes: list[CrawlOutcome] = field(default_factory=list)
    delivered: Any = None

    @property
    def failed(self) -> bool:
        return any(o.failed for o in self.outcomes)


def run_due(
    config: DaemonConfig,
    make_dispatcher: Callable[[], LocalDispatcher],
    db: Database,
    *,
    now: datetime | None = None,
    deliver: bool = True,
) -> TickReport:
    with try_lock(db, "run-due") as taken:
        if not taken:
            return TickReport(skipped="another run-due is still running")
        with try_lock(db, "daemon") as free:
            if not free:
                return TickReport(skipped="the daemon is running on this database")
        webhooks = [w for w in config.webhooks if w.enabled]
        with db.session() as session:
            due = due_sources(session, config.enabled_sources(), config.timezone, now or utcnow())
        report = TickReport(due=[s.id for s in due])
        if due:
            dispatcher = make_dispatcher()
            limit = config.daemon.crawl_time_limit
            workers = config.daemon.max_concurrent_crawls
            try:
                with ThreadPoolExecutor(max_workers=workers) as pool, _ended_crawls(dispatcher):
                    futures = [pool.submit(_crawl, dispatcher, source, limit) for source in due]
                    report.outcomes = [o for f in futures if (o := f.result()) is not None]
            finally:
                dispatcher.close(config.daemon.grace_period)
        if deliver and webhooks:
            from alerts.delivery import deliver_pending

            report.delivered = deliver_pending(db, webhooks)
        return report


def _crawl(dispatcher: Dispatcher, source: Any, limit: float) -> CrawlOutcome | None:
    try:
        return dispatcher.crawl(source, limit)
    except LauncherClosed:
        return None


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@contextmanager
def _ended_crawls(dispatcher: Dispatcher) -> Iterator[None]:
    """On SIGTERM or Ctrl-C, end the running crawls before leaving."""
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    except KeyboardInterrupt:
        log.warning("interrupted: ending the running crawls")
        dispatcher.close(TERMINATE_WAIT)
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)
