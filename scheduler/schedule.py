"""When a source is due: its cron schedule, read the same way everywhere.

The daemon (through `ScheduleTrigger`), `run-due` and `status` all use croniter,
so the three agree, and weekdays count as in cron (0 and 7 are Sunday; the
numbering of APScheduler 3.x's own `CronTrigger` differs). Times are computed in
the config's time zone (Asia/Shanghai by default).

Test-only clock switch: with the environment variable
``BULLETINS_TEST_SCHEDULE_SECONDS=N`` every source's schedule becomes "every N
seconds" (jitter capped to a tenth of that). Tests and `bench/bench_daemon.py`
use it to make hours pass in seconds; it has no use in production.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from croniter import croniter

TEST_SCHEDULE_ENV = "BULLETINS_TEST_SCHEDULE_SECONDS"


def schedule_override() -> float | None:
    """The test-only schedule override in seconds, or None (see the module docstring)."""
    raw = os.environ.get(TEST_SCHEDULE_ENV, "").strip()
    if not raw:
        return None
    seconds = float(raw)
    if seconds <= 0:
        raise ValueError(f"{TEST_SCHEDULE_ENV} must be a positive number of seconds")
    return seconds


@dataclass(frozen=True)
class Schedule:
    """A source's cron expression in a time zone (or the test-only fixed interval)."""

    expr: str
    tz: ZoneInfo
    every: float | None = None

    @classmethod
    def of(cls, expr: str, timezone: str) -> Schedule:
        return cls(expr=expr, tz=ZoneInfo(timezone), every=schedule_override())

    def next_after(self, moment: datetime) -> datetime:
        """The first fire time strictly after `moment` (an aware datetime)."""
        if self.every is not None:
            return moment + timedelta(seconds=self.every)
        nxt: datetime = croniter(self.expr, moment.astimezone(self.tz)).get_next(datetime)
        return nxt

    def fired_since(self, since: datetime | None, now: datetime) -> bool:
        """Whether the schedule fired after `since` and up to `now` (always, if never run)."""
        return since is None or self.next_after(since) <= now

    def typical_gap(self, now: datetime) -> timedelta:
        """The gap between two fire times after `now` (an hour for "0 * * * *")."""
        first = self.next_after(now)
        return self.next_after(first) - first

    def describe(self) -> str:
        return f"every {self.every:g}s (test clock)" if self.every is not None else self.expr


class ScheduleTrigger(BaseTrigger):
    """An APScheduler 3.x trigger firing on a `Schedule`, with up to `jitter` seconds added.

    The jitter is capped to a tenth of the schedule's gap, so a short schedule is
    not blurred into a longer one.
    """

    __slots__ = ("jitter", "schedule")

    def __init__(self, schedule: Schedule, jitter: float = 0.0) -> None:
        self.schedule = schedule
        gap = schedule.typical_gap(datetime.now(schedule.tz)).total_seconds()
        self.jitter = max(0.0, min(jitter, gap / 10))

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        base = previous_fire_time if previous_fire_time is not None else now
        nxt = self.schedule.next_after(base)
        result: datetime | None = self._apply_jitter(nxt, self.jitter, now)
        return result

    def __eq__(self, other: Any) -> bool:
        return (
            isinstance(other, ScheduleTrigger)
            and other.schedule == self.schedule
            and other.jitter == self.jitter
        )

    def __hash__(self) -> int:
        return hash((self.schedule, self.jitter))

    def __str__(self) -> str:
        return f"schedule[{self.schedule.describe()}]"

    def __repr__(self) -> str:
        what = self.schedule.describe()
        return f"<ScheduleTrigger {what!r} tz={self.schedule.tz} jitter={self.jitter}>"
