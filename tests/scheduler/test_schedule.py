"""Schedules: cron read as cron, in the config's time zone; intervals on multiples of
themselves since the epoch."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

from crawlers.sources.schedules import parse_interval
from scheduler.schedule import Schedule, ScheduleTrigger

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


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("every 30s", 30),
        ("every 10m", 600),
        ("every 2h", 7200),
        ("every 1d", 86400),
        ("every 90m", 5400),
        ("  every   5m ", 300),
        ("every 365d", 365 * 86400),
        ("0 */6 * * *", None),  # cron
        ("@hourly", None),
    ],
)
def test_the_interval_grammar(text: str, seconds: int | None) -> None:
    assert parse_interval(text) == seconds


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("every 0s", "zero interval"),
        ("every 0d", "zero interval"),
        ("every 000m", "zero interval"),
        ("every day", "not a valid interval"),
        ("every 5", "not a valid interval"),
        ("every 5 m", "not a valid interval"),
        ("every 1.5h", "not a valid interval"),
        ("every -5m", "not a valid interval"),
        ("every 5M", "not a valid interval"),
        ("Every 5m", "not a valid interval"),
        ("every 5min", "not a valid interval"),
        ("every 5m and 3s", "not a valid interval"),
        ("every 366d", "longer than a year"),
        ("every 9000h", "longer than a year"),
    ],
)
def test_a_bad_interval_says_what_is_wrong(text: str, why: str) -> None:
    with pytest.raises(ValueError, match=why) as caught:
        parse_interval(text)
    assert repr(text) in str(caught.value)
    with pytest.raises(ValueError):
        Schedule.of(text, "Asia/Shanghai")


def test_an_interval_fires_on_its_multiples_since_the_epoch_in_any_zone() -> None:
    moment = datetime(2026, 1, 1, 10, 7, 3, tzinfo=UTC)
    for zone in ("Asia/Shanghai", "UTC", "America/New_York"):
        quarter = Schedule.of("every 15m", zone)
        assert quarter.every == 900 and quarter.describe() == "every 15m"
        assert quarter.previous(moment) == datetime(2026, 1, 1, 10, 0, tzinfo=UTC)
        assert quarter.next_after(moment) == datetime(2026, 1, 1, 10, 15, tzinfo=UTC)
        on_tick = datetime(2026, 1, 1, 10, 15, tzinfo=UTC)
        assert quarter.previous(on_tick) == on_tick  # at or before
        assert quarter.next_after(on_tick) == datetime(2026, 1, 1, 10, 30, tzinfo=UTC)  # after
        assert quarter.period(moment) == quarter.typical_gap(moment) == timedelta(minutes=15)
    # A day counts from 00:00 UTC: 08:00 in Shanghai (cron fixes a local time instead).
    daily = Schedule.of("every 1d", "Asia/Shanghai")
    nxt = daily.next_after(moment)
    assert nxt == at(2026, 1, 2, 8) and nxt is not None and nxt.tzinfo == UTC
    # Not a divisor of an hour: still multiples of 7 minutes since the epoch.
    seven = Schedule.of("every 7m", "UTC").next_after(moment)
    assert seven is not None and seven.timestamp() % 420 == 0 and seven > moment
    assert seven - moment <= timedelta(minutes=7)


def test_an_interval_counts_real_time_through_a_dst_change() -> None:
    hourly = Schedule.of("every 1h", "Europe/Berlin")
    # 2026-10-25 03:00 CEST -> 02:00 CET: the interval fires every hour all the same.
    moment = datetime(2026, 10, 24, 23, 30, tzinfo=UTC)
    fires = []
    for _ in range(4):
        nxt = hourly.next_after(moment)
        assert nxt is not None
        fires.append(nxt)
        moment = nxt
    assert [f.astimezone(UTC).hour for f in fires] == [0, 1, 2, 3]
    berlin = ZoneInfo("Europe/Berlin")
    assert [f.astimezone(berlin).strftime("%H:%M%z") for f in fires] == [
        "02:00+0200", "02:00+0100", "03:00+0100", "04:00+0100"
    ]
    # Run at 02:30 CEST; at 02:10 CET (the second pass, later) the 02:00 CET tick is due.
    last = datetime(2026, 10, 25, 2, 30, tzinfo=berlin)
    second_pass = datetime(2026, 10, 25, 2, 10, tzinfo=berlin, fold=1)
    assert hourly.fired_since(last, second_pass)
    assert not hourly.fired_since(last, datetime(2026, 10, 25, 2, 50, tzinfo=berlin))


def test_an_interval_is_due_once_a_tick_has_passed_since_the_last_run() -> None:
    schedule = Schedule.of("every 10m", "Asia/Shanghai")
    last = datetime(2026, 1, 1, 10, 1, tzinfo=UTC)
    assert schedule.fired_since(None, last)
    assert not schedule.fired_since(last, datetime(2026, 1, 1, 10, 9, 59, tzinfo=UTC))
    assert schedule.fired_since(last, datetime(2026, 1, 1, 10, 10, tzinfo=UTC))


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
    assert ScheduleTrigger(Schedule.of("every 30s", "Asia/Shanghai"), jitter=30).jitter == 3
    assert ScheduleTrigger(Schedule.of("every 2h", "Asia/Shanghai"), jitter=30).jitter == 30
    quick = ScheduleTrigger(Schedule.of("every 20s", "UTC"), jitter=30)
    for _ in range(20):
        fire = quick.get_next_fire_time(None, datetime(2026, 1, 1, 10, 0, 5, tzinfo=UTC))
        assert fire is not None
        assert datetime(2026, 1, 1, 10, 0, 20, tzinfo=UTC) <= fire
        assert fire <= datetime(2026, 1, 1, 10, 0, 22, tzinfo=UTC)
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


def test_previous_is_the_latest_fire_time_at_or_before_a_moment() -> None:
    shanghai = Schedule.of("*/5 * * * *", "Asia/Shanghai")
    at = datetime(2026, 1, 1, 10, 7, 3, tzinfo=UTC)
    assert shanghai.previous(at) == datetime(2026, 1, 1, 10, 5, tzinfo=UTC)
    on_tick = datetime(2026, 1, 1, 10, 5, tzinfo=UTC)
    assert shanghai.previous(on_tick) == on_tick
    daily = Schedule.of("30 8 * * *", "Asia/Shanghai")  # 00:30 UTC
    assert daily.previous(at) == datetime(2026, 1, 1, 0, 30, tzinfo=UTC)
    clock = Schedule.of("every 15s", "Asia/Shanghai")
    # An interval's ticks are multiples of it since the epoch: every process agrees.
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
