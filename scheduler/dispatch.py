"""The seam between *when* (the daemon, `run-due`) and *where* a crawl runs.

The daemon decides when a source is crawled (its cron, catch-up, coalescing, one
crawl at a time per source) and hands the source to a `Dispatcher`, which decides
where: `LocalDispatcher` runs it in this machine's warm crawl pool
(`scheduler.pool.WarmPool`); a queue dispatcher hands it to workers elsewhere and
returns None.
"""

from __future__ import annotations

import logging
from typing import Protocol

from crawlers.sources.schema import SourceConfig
from scheduler.outcome import SHUTDOWN_REASON, TIME_LIMIT_REASON, CrawlOutcome, LauncherClosed
from scheduler.pool import PoolSettings, WarmPool
from storage.db import Database

__all__ = [
    "SHUTDOWN_REASON",
    "TIME_LIMIT_REASON",
    "CrawlOutcome",
    "Dispatcher",
    "LauncherClosed",
    "LocalDispatcher",
    "PoolSettings",
]

log = logging.getLogger("scheduler")


class Dispatcher(Protocol):
    def crawl(self, source: SourceConfig, time_limit: float) -> CrawlOutcome | None:
        """Crawl `source` within `time_limit` seconds; blocks the calling job thread.

        Returns how the crawl ended, or None when the work was handed off elsewhere.
        Raises `LauncherClosed` once `close` was called.
        """
        ...

    def running(self) -> list[tuple[str, int]]:
        """(source id, pid of the process crawling it) of each crawl in progress here."""
        ...

    def close(self, grace: float) -> None:
        """Take no new crawl; give the running ones `grace` seconds; end the rest."""
        ...


class LocalDispatcher(WarmPool):
    """The warm crawl pool of this machine, plus the health watch after every crawl.

    Workers start on the first crawl; at that start the ``running`` runs of this
    host whose worker is gone are closed as abandoned. `reconfigure` gives the
    workers new settings (a reloaded config): the current workers finish their
    crawls and are replaced.
    """

    def __init__(self, settings: PoolSettings, db: Database | None = None) -> None:
        super().__init__(settings, db)

    def crawl(self, source: SourceConfig, time_limit: float) -> CrawlOutcome:
        outcome = super().crawl(source, time_limit)
        if outcome.ended_by != "shutdown":
            self._check_health(source.id)
        return outcome

    def _check_health(self, source_id: str) -> None:
        from scheduler.health import check_sources

        try:
            check_sources(self.db, list(self.settings.webhooks), [source_id])
        except Exception:
            log.exception("the health watch failed", extra={"source": source_id})
