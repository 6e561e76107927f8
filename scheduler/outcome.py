"""What a crawl handed to a dispatcher ended as (`CrawlOutcome`), and the reasons
the scheduler side gives when it ended a crawl itself."""

from __future__ import annotations

from dataclasses import dataclass

from storage.status import RunStatus

TIME_LIMIT_REASON = "time limit"
SHUTDOWN_REASON = "stopped by the scheduler's shutdown"


class LauncherClosed(Exception):
    """The dispatcher is shutting down: no new crawl starts."""


@dataclass(frozen=True)
class CrawlOutcome:
    source_id: str
    pid: int  # the process that ran the crawl (a warm worker)
    returncode: int | None
    status: str
    reason: str | None
    run_id: int | None
    new_documents: int
    seconds: float
    ended_by: str | None = None  # "time limit" or "shutdown" when the scheduler ended it

    @property
    def failed(self) -> bool:
        return RunStatus(self.status).failed
