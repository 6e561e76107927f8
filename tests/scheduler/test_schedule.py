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
