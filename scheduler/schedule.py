"""When a source is due: its schedule (cron or an interval), read the same way everywhere.

The daemon (through `ScheduleTrigger`), `run-due`, `status` and queue mode all
read a schedule through `Schedule`, so they agree. A schedule is one of:

- a cron expression, read with croniter: weekdays count as in cron (0 and 7 are
  Sunday; the numbering of APScheduler 3.x's own `CronTrigger` differs) and times
  are computed in the config's time zone (Asia/Shanghai by default);
- an interval, ``every 30s``, ``every 15m``, ``every 2h``, ``every 1d`` (the grammar
  is `crawlers.sources.schedules`): it fires at the multiples of its length since
  the Unix epoch, so every process names the same tick (queue mode needs that),
  whatever the time zone; its fire times are given in UTC.

Daylight saving time, as cron does it: when clocks go back, the wall-clock hour
that repeats is not run again by a schedule with a fixed minute and hour (``30 1
* * *`` fires once), while one with ``*`` in its minute or hour runs by the new
time (``30 * * * *`` fires in both passes). Skipped times when clocks go forward
fire at the first valid time after them (croniter's behaviour, as cron's). An
interval counts real seconds: DST does not move it.

A cron schedule may stop firing (a year field that is past): `next_after` is then
None, the source is never due again and has no next run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from croniter import CroniterError, croniter

from crawlers.sources.schedules import parse_interval

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Schedule:
    """A source's schedule in a time zone: a cron expression, or an interval of `every`
    seconds (`expr` as written, ``every 15m``)."""

    expr: str
    tz: ZoneInfo
    every: int | None = None

    @classmethod
    def of(cls, expr: str, timezone: str) -> Schedule:
        """The schedule `expr` (`ValueError` for a malformed interval; the config has
        refused one already)."""
        return cls(expr=expr, tz=ZoneInfo(timezone), every=parse_interval(expr))

    def next_after(self, moment: datetime) -> datetime | None:
        """The first fire time strictly after `moment` (an aware datetime), or None if
        the schedule never fires again."""
        if self.every is not None:
            return self._tick(moment, ahead=1)
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

        Every process computes the same tick for the same schedule (an interval's
        ticks are multiples of it since the epoch), so queue-mode enqueuers on
        several machines name a tick alike (`scheduler.queue`).
        """
        if self.every is not None:
            return self._tick(moment, ahead=0)
        try:
            times = croniter(self.expr, (moment + timedelta(microseconds=1)).astimezone(self.tz))
            prev: datetime = times.get_prev(datetime)
            while self._fixed_time and _second_pass(prev, self.tz):
                prev = times.get_prev(datetime)  # the repeated hour fired in its first pass
        except (CroniterError, ValueError, OverflowError):
            return None
        return prev

    def _tick(self, moment: datetime, ahead: int) -> datetime:
        """The interval's latest multiple since the epoch at or before `moment`, plus
        `ahead` intervals, in UTC: local times would be ambiguous in the hour that
        repeats when clocks go back (wall-clock arithmetic and comparisons in one zone
        ignore which pass a time is in, PEP 495)."""
        assert self.every is not None
        step = timedelta(seconds=self.every)
        return EPOCH + ((moment - EPOCH) // step + ahead) * step

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

    def period(self, now: datetime) -> timedelta | None:
        """How often it fires: an interval's length, a cron schedule's gap after `now`
        (`typical_gap`); None if it does not fire twice more."""
        if self.every is not None:
            return timedelta(seconds=self.every)
        return self.typical_gap(now)

    def describe(self) -> str:
        return self.expr


def _second_pass(moment: datetime, tz: ZoneInfo) -> bool:
    """Whether `moment` is the second time its wall-clock time occurs (clocks went back)."""
    local = moment.astimezone(tz)
    wall = local.replace(tzinfo=None)
    first = wall.replace(tzinfo=tz, fold=0).utcoffset()
    second = wall.replace(tzinfo=tz, fold=1).utcoffset()
    return first != second and local.utcoffset() == second


class ScheduleTrigger(BaseTrigger):
    """An APScheduler 3.x trigger firing on a `Schedule`, with up to `jitter` seconds added.

    The jitter is capped to a tenth of the schedule's period (an interval's length, a
    cron schedule's gap), so a short schedule is not blurred into a longer one.
    """

    __slots__ = ("jitter", "schedule")

    def __init__(self, schedule: Schedule, jitter: float = 0.0) -> None:
        self.schedule = schedule
        gap = schedule.period(datetime.now(schedule.tz))
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
