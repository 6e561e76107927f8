"""When a source is due: its cron schedule, read the same way everywhere.

The daemon (through `ScheduleTrigger`), `run-due` and `status` all use croniter,
so the three agree, and weekdays count as in cron (0 and 7 are Sunday; the
numbering of APScheduler 3.x's own `CronTrigger` differs). Times are computed in
the config's time zone (Asia/Shanghai by default).

Daylight saving time, as cron does it: when clocks go back, the wall-clock hour
that repeats is not run again by a schedule with a fixed minute and hour (``30 1
* * *`` fires once), while one with ``*`` in its minute or hour runs by the new
time (``30 * * * *`` fires in both passes). Skipped times when clocks go forward
fire at the first valid time after them (croniter's behaviour, as cron's).

A schedule may stop firing (a year field that is past): `next_after` is then
None, the source is never due again and has no next run.

Test-only clock switch: with the environment variable
``BULLETINS_TEST_SCHEDULE_SECONDS=N`` every source's schedule becomes "every N
seconds" (jitter capped to a tenth of that). Tests and `bench/bench_daemon.py`
use it to make hours pass in seconds; it has no use in production.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from croniter import CroniterError, croniter

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

    def next_after(self, moment: datetime) -> datetime | None:
        """The first fire time strictly after `moment` (an aware datetime), or None if
        the schedule never fires again."""
        if self.every is not None:
            return moment + timedelta(seconds=self.every)
        try:
            times = croniter(self.expr, moment.astimezone(self.tz))
            nxt: datetime = times.get_next(datetime)
            while self._fixed_time and _second_pass(nxt, self.tz):
                nxt = times.get_next(datetime)  # the repeated hour: fired in the first pass
        except (CroniterError, ValueError, OverflowError):
            return None
        return nxt

    def previous(self, moment: datetime) -> datetime | None:
        """The latest fire time at or before `moment` (an aware datetime), or None.

        Every process computes the same tick for the same schedule (the test clock's
        ticks are multiples of its interval since the epoch), so queue-mode enqueuers
        on several machines name a tick alike (`scheduler.queue`).
        """
        if self.every is not None:
            tick = math.floor(moment.timestamp() / self.every) * self.every
            return datetime.fromtimestamp(tick, moment.tzinfo)
        try:
            times = croniter(self.expr, (moment + timedelta(microseconds=1)).astimezone(self.tz))
            prev: datetime = times.get_prev(datetime)
            while self._fixed_time and _second_pass(prev, self.tz):
                prev = times.get_prev(datetime)  # the repeated hour fired in its first pass
        except (CroniterError, ValueError, OverflowError):
            return None
        return prev

    @property
    def _fixed_time(self) -> bool:
        """A fixed minute and hour (cron runs such a job once in a repeated hour)."""
        fields = self.expr.split()
        if len(fields) == 1:  # @daily and the like: all fixed but @hourly
            return fields[0].lower() not in ("@hourly",)
        return len(fields) >= 2 and "*" not in fields[0] and "*" not in fields[1]

    def fired_since(self, since: datetime | None, now: datetime) -> bool:
        """Whether the schedule fired after `since` and up to `now` (always, if never run)."""
        if since is None:
            return True
        nxt = self.next_after(since)
        return nxt is not None and nxt <= now

    def typical_gap(self, now: datetime) -> timedelta | None:
        """The gap between two fire times after `now` (an hour for "0 * * * *"), or None
        if it does not fire twice more."""
        first = self.next_after(now)
        second = self.next_after(first) if first is not None else None
        return second - first if first is not None and second is not None else None

    def describe(self) -> str:
        return f"every {self.every:g}s (test clock)" if self.every is not None else self.expr


def _second_pass(moment: datetime, tz: ZoneInfo) -> bool:
    """Whether `moment` is the second time its wall-clock time occurs (clocks went back)."""
    local = moment.astimezone(tz)
    wall = local.replace(tzinfo=None)
    first = wall.replace(tzinfo=tz, fold=0).utcoffset()
    second = wall.replace(tzinfo=tz, fold=1).utcoffset()
    return first != second and local.utcoffset() == second


class ScheduleTrigger(BaseTrigger):
    """An APScheduler 3.x trigger firing on a `Schedule`, with up to `jitter` seconds added.

    The jitter is capped to a tenth of the schedule's gap, so a short schedule is
    not blurred into a longer one.
    """

    __slots__ = ("jitter", "schedule")

    def __init__(self, schedule: Schedule, jitter: float = 0.0) -> None:
        self.schedule = schedule
        gap = schedule.typical_gap(datetime.now(schedule.tz))
        limit = gap.total_seconds() / 10 if gap is not None else jitter
        self.jitter = max(0.0, min(jitter, limit))

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        base = previous_fire_time if previous_fire_time is not None else now
        nxt = self.schedule.next_after(base)
        if nxt is None:
            return None  # never fires again: APScheduler drops the job
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
