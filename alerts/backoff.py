"""Retry delays: exponential backoff with equal jitter.

The nominal delay after the k-th failed attempt is ``first_delay * factor**(k-1)``
(60 s, 198 s, 653 s ... by default). Equal jitter draws the actual delay uniformly
from [nominal/2, nominal]: deliverers retrying after a common outage spread out,
yet every retry still waits at least half its nominal delay (full jitter could
retry at once). With the defaults (8 attempts, first delay 60 s, factor 3.3) the
seven waits sum to about 31 h nominal: the last attempt comes 15 to 31 hours
(about a day) after the first, as a subscriber down for a day would want.
A delay never exceeds `MAX_DELAY` (a week), whatever the factor and attempts.
"""

from __future__ import annotations

import random
from datetime import timedelta

from alerts.config import RetryConfig

_random = random.SystemRandom()
MAX_DELAY = 7 * 86400.0  # seconds


def nominal_delay(retry: RetryConfig, failed_attempts: int) -> float:
    """Seconds before the next attempt, after `failed_attempts` (>= 1) failures, unjittered."""
    exponent = min(max(failed_attempts - 1, 0), 1000)  # 10.0**1000 would overflow
    try:
        nominal = retry.first_delay * retry.factor**exponent
    except OverflowError:
        return MAX_DELAY
    return float(min(nominal, MAX_DELAY))


def retry_delay(
    retry: RetryConfig, failed_attempts: int, rng: random.Random | None = None
) -> timedelta:
    """The jittered delay before the next attempt (equal jitter)."""
    nominal = nominal_delay(retry, failed_attempts)
    half = nominal / 2
    return timedelta(seconds=half + (rng or _random).uniform(0, half))


def is_exhausted(retry: RetryConfig, attempts: int) -> bool:
    """True when `attempts` attempts used up the webhook's budget: the alert is dead."""
    return attempts >= retry.attempts
