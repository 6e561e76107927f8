"""The grammar of a source's `schedule`: a cron expression or an interval.

An interval is ``every <n><unit>``: a positive whole number and one of ``s``
(seconds), ``m`` (minutes), ``h`` (hours) or ``d`` (days), lower case, as in
``every 30s``, ``every 15m``, ``every 2h``, ``every 1d``; at most a year (365d).
Its fire times are the multiples of the interval counted from the Unix epoch
(1970-01-01 00:00 UTC), whatever the time zone: every process names the same
tick, and ``every 1d`` fires at 00:00 UTC (a cron expression fixes a local time).

Anything that does not start with ``every`` is read as cron (croniter), and must
fire at least once from now on.
"""

from __future__ import annotations

import re

INTERVAL_PREFIX = "every"
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
LONGEST = 365 * 86400
_INTERVAL = re.compile(r"every[ \t]+(\d{1,9})([smhd])")
_HOW = "write every <n><unit>, the unit s, m, h or d: every 30s, every 15m, every 2h, every 1d"


def is_interval(value: str) -> bool:
    """Whether `value` is meant as an interval (it starts with ``every``)."""
    return value.strip().lower().startswith(INTERVAL_PREFIX)


def parse_interval(value: str) -> int | None:
    """The interval's length in seconds; None if `value` is not an interval (cron).

    `ValueError` (saying what is wrong) for an interval that is malformed, zero or
    longer than a year.
    """
    if not is_interval(value):
        return None
    match = _INTERVAL.fullmatch(value.strip())
    if match is None:
        raise ValueError(f"not a valid interval: {value!r} ({_HOW})")
    seconds = int(match.group(1)) * UNITS[match.group(2)]
    if seconds == 0:
        raise ValueError(f"{value!r} is a zero interval: it must be at least 1s")
    if seconds > LONGEST:
        raise ValueError(f"{value!r} is longer than a year (365d): use a cron expression")
    return seconds


def check_schedule(value: str) -> str:
    """`value` if it is a valid interval or a cron expression that fires; otherwise
    `ValueError` saying why."""
    if parse_interval(value) is not None:
        return value
    from datetime import UTC, datetime

    from croniter import CroniterError, croniter

    if not croniter.is_valid(value):
        raise ValueError(
            f"not a valid cron expression: {value!r} (or an interval: every 15m, every 2h)"
        )
    try:
        croniter(value, datetime.now(UTC)).get_next(datetime)
    except (CroniterError, ValueError, OverflowError):
        raise ValueError(f"{value!r} never fires (no such date from now on)") from None
    return value
