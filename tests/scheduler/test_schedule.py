"""Schedules: cron read as cron, in the config's time zone; the test-only clock switch."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

from scheduler.schedule import TEST_SCHEDULE_ENV, Schedule, ScheduleTrigger, schedule_override

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0, us: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, us, tzinfo=SHANGHAI)


def test_weekdays_count_as_in_cron() -> None:
    # 2025-01-05 is a Sunday: cron's day 0 (APScheduler 3's own CronTrigger says Monday).
    schedule = Schedule.of("0 9 * * 0", "Asia/Shanghai")
    assert schedule.next_after(at(2025, 1, 1, 0, 0)) == at(2025, 1, 5, 9, 0)
    assert Schedule.of("0 9 * * 7", "Asia/Shanghai").next_after(at(2025, 1, 1)) == at(2025, 1, 5, 9)


def test_times_are_in_the_configured_zone() -> None:
    schedule = Schedule.of("0 8 * * *", "Asia/Shanghai")
    nxt = schedule.next_after(datetime(2025, 1, 1, 0, 30, tzinfo=UTC))  # 08:30 in Shanghai
    assert nxt == datetime(2025, 1, 2, 0, 0, tzinfo=UTC)


def test_fired_since() -> None:
    schedule = Schedule.of("0 */6 * * *", "Asia/Shanghai")
    assert schedule.fired_since(None, at(2025, 1, 1, 1))
    assert not schedule.fired_since(at(2025, 1, 1, 6, 0, 5), at(2025, 1, 1, 11, 59))
    assert schedule.fired_since(at(2025, 1, 1, 6, 0, 5), at(2025, 1, 1, 12, 0))
    assert schedule.typical_gap(at(2025, 1, 1, 1)) == timedelta(hours=6)


def test_the_test_clock_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    assert schedule_override() is None
    monkeypatch.setenv(TEST_SCHEDULE_ENV, "2.5")
    schedule = Schedule.of("0 3 * * *", "Asia/Shanghai")
    assert schedule.every == 2.5
    assert schedule.next_after(at(2025, 1, 1)) == at(2025, 1, 1, 0, 0, 2, 500000)
    assert schedule.describe() == "every 2.5s (test clock)"
    monkeypatch.setenv(TEST_SCHEDULE_ENV, "0")
    with pytest.raises(ValueError):
        schedule_override()


def test_trigger_jitter_is_small_and_capped() -> None:
    hourly = ScheduleTrigger(Schedule.of("0 * * * *", "Asia/Shanghai"), jitter=30)
    assert hourly.jitter == 30
    now = at(2025, 1, 1, 10, 15)
    for _ in range(20):
        fire = hourly.get_next_fire_time(None, now)
        assert fire is not None
        assert at(2025, 1, 1, 11) <= fire <= at(2025, 1, 1, 11, 0, 30)
    every_minute = ScheduleTrigger(Schedule.of("* * * * *", "Asia/Shanghai"), jitter=30)
    assert every_minute.jitter == 6  # a tenth of the gap
    assert hourly == ScheduleTrigger(Schedule.of("0 * * * *", "Asia/Shanghai"), jitter=30)


def test_missed_runs_are_coalesced_into_one() -> None:
    """Three hours of an hourly schedule missed (the host slept): one run, then on time."""
    ran: list[datetime] = []
    done = threading.Event()

    def job() -> None:
        ran.append(datetime.now(SHANGHAI))
        done.set()

    scheduler = BackgroundScheduler(
        timezone="Asia/Shanghai",
        executors={"default": ThreadPoolExecutor(1)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
    )
    trigger = ScheduleTrigger(Schedule.of("0 * * * *", "Asia/Shanghai"))
    with time_machine.travel(at(2025, 1, 1, 12, 30), tick=True):
        scheduler.start(paused=True)
        job_ = scheduler.add_job(job, trigger, id="crawl:x", next_run_time=at(2025, 1, 1, 9))
        scheduler.resume()
        assert done.wait(10)
        scheduler.shutdown(wait=True)
    assert len(ran) == 1
    assert job_.next_run_time == at(2025, 1, 1, 13)


def test_previous_is_the_latest_fire_time_at_or_before_a_moment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shanghai = Schedule.of("*/5 * * * *", "Asia/Shanghai")
    at = datetime(2026, 1, 1, 10, 7, 3, tzinfo=UTC)
    assert shanghai.previous(at) == datetime(2026, 1, 1, 10, 5, tzinfo=UTC)
    on_tick = datetime(2026, 1, 1, 10, 5, tzinfo=UTC)
    assert shanghai.previous(on_tick) == on_tick
    daily = Schedule.of("30 8 * * *", "Asia/Shanghai")  # 00:30 UTC
    assert daily.previous(at) == datetime(2026, 1, 1, 0, 30, tzinfo=UTC)
    monkeypatch.setenv(TEST_SCHEDULE_ENV, "15")
    clock = Schedule.of("* * * * *", "UTC")
    # The test clock's ticks are multiples of its interval: every process agrees.
    assert clock.previous(at) == datetime(2026, 1, 1, 10, 7, 0, tzinfo=UTC)
    assert clock.previous(at + timedelta(seconds=12)) == datetime(2026, 1, 1, 10, 7, 15, tzinfo=UTC)


def test_previous_fires_a_fixed_time_once_when_clocks_go_back() -> None:
    berlin = Schedule.of("30 2 * * *", "Europe/Berlin")
    # 2026-10-25: 02:30 happens twice in Berlin (03:00 CEST -> 02:00 CET); cron fires
    # in the first pass (00:30 UTC), so an hour after the second pass is still that one.
    # (An ambiguous time never equals one in another zone: PEP 495. Compare instants.)
    first_pass = datetime(2026, 10, 25, 0, 30, tzinfo=UTC).timestamp()
    for hour in (1, 2, 3):  # during the second pass, after it
        moment = datetime(2026, 10, 25, hour, 0, tzinfo=UTC)
        previous = berlin.previous(moment)
        assert previous is not None and previous.timestamp() == first_pass
