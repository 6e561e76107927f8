"""Retry delays: exponential backoff with equal jitter.

The nominal delay after the k-th failed attempt is ``first_delay * factor**(k-1)``
(60 s, 120 s, 240 s ... by default). Equal jitter draws the actual delay uniformly
from [nominal/2, nominal]: deliverers retrying after a common outage spread out,
yet every retry still waits at least half its nominal delay (full jitter could
retry at once). With the defaults (8 attempts, 60 s, doubling) the seven waits
sum to 7,620 s nominal: the last attempt comes 64 to 127 minutes after the first.
`factor: 3.2` stretches the same 8 attempts over about 26 hours.
"""

from __future__ import annotations

import random
from datetime import timedelta

from alerts.config import RetryConfig

_random = random.SystemRandom()


def nominal_delay(retry: RetryConfig, failed_attempts: int) -> float:
    """Seconds before the next attempt, after `failed_attempts` (>= 1) failures, unjittered."""
    return float(retry.first_delay * retry.factor ** max(failed_attempts - 1, 0))


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
