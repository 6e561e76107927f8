"""Retry delays stay finite and bounded whatever the retry settings allow."""

from __future__ import annotations

from datetime import timedelta

from alerts.backoff import MAX_DELAY, nominal_delay, retry_delay
from alerts.config import RetryConfig


def test_defaults_grow_exponentially() -> None:
    retry = RetryConfig()
    assert nominal_delay(retry, 1) == 60.0
    assert round(nominal_delay(retry, 2)) == 198
    half_to_full = retry_delay(retry, 3)
    assert timedelta(seconds=653 / 2 - 1) < half_to_full <= timedelta(seconds=654)


def test_the_largest_settings_give_a_delay_of_at_most_a_week() -> None:
    """attempts 50, factor 10: 10**49 s would overflow a timedelta and sink the batch."""
    retry = RetryConfig(attempts=50, factor=10.0, first_delay=7 * 86400)
    for failed in (1, 2, 30, 50, 5000):
        delay = retry_delay(retry, failed)
        assert timedelta(seconds=MAX_DELAY / 2) <= delay <= timedelta(seconds=MAX_DELAY)
