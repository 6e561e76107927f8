"""Schedules read as cron reads them, also at the edges (D6 at run time, D21).

D21: on a DST fall-back the hour 01:00-02:00 happens twice; cron runs a job with
a fixed hour and minute once in it, and a job with ``*`` in its minute or hour
by the new time (so an hourly job runs in both). D6: a schedule that stops
firing (its last year is past) must give "no next run", never a traceback in
status, run-due or the daemon. No sleeps: the clock is an argument.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from crawlers.sources.schema import SourceConfig
from scheduler.schedule import Schedule, ScheduleTrigger

NY = "America/New_York"


def fires(schedule: Schedule, start: datetime, count: int) -> list[datetime]:
    out = []
    moment = start
    for _ in range(count):
        nxt = schedule.next_after(moment)
        assert nxt is not None
        out.append(nxt)
        moment = nxt
    return out


@pytest.mark.parametrize(
    ("expr", "zone", "start", "expected"),
    [
        (
            "30 1 * * *",
            NY,
            datetime(2026, 10, 31, 12, 0),
            ["2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00"],
        ),
        (
            "0 1 * * 0",
            NY,
            datetime(2026, 10, 30, 12, 0),
            ["2026-11-01T01:00:00-04:00", "2026-11-08T01:00:00-05:00"],
        ),
        (
            "45 1 1 11 *",
            NY,
            datetime(2026, 1, 1, 0, 0),
            ["2026-11-01T01:45:00-04:00", "2027-11-01T01:45:00-04:00"],
        ),
        (
            "15,45 1 * * *",
            NY,
            datetime(2026, 10, 31, 12, 0),
            ["2026-11-01T01:15:00-04:00", "2026-11-01T01:45:00-04:00", "2026-11-02T01:15:00-05:00"],
        ),
        (
            "30 1 * * *",
            "Europe/London",
            datetime(2026, 10, 24, 12, 0),
            ["2026-10-25T01:30:00+01:00", "2026-10-26T01:30:00+00:00"],
        ),
        (
            "30 2 * * *",
            "Australia/Sydney",
            datetime(2026, 4, 4, 12, 0),
            ["2026-04-05T02:30:00+11:00", "2026-04-06T02:30:00+10:00"],
        ),
    ],
)
def test_a_fixed_time_fires_once_on_a_fall_back(
    expr: str, zone: str, start: datetime, expected: list[str]
) -> None:
    schedule = Schedule.of(expr, zone)
    got = fires(schedule, start.replace(tzinfo=ZoneInfo(zone)), len(expected))
    assert [d.isoformat() for d in got] == expected


def test_from_inside_the_repeated_hour_the_second_pass_is_skipped_too() -> None:
    schedule = Schedule.of("30 1 * * *", NY)
    first = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT, the first pass
    assert schedule.next_after(first) == datetime(2026, 11, 2, 6, 30, tzinfo=UTC)
    inside = datetime(2026, 11, 1, 6, 10, tzinfo=UTC)  # 01:10 EST, the second pass
    assert schedule.next_after(inside) == datetime(2026, 11, 2, 6, 30, tzinfo=UTC)
    # run once at 01:30 EDT: not due again at 01:45 EST
    assert not schedule.fired_since(first, datetime(2026, 11, 1, 6, 45, tzinfo=UTC))


def test_a_wildcard_hour_or_minute_runs_by_the_new_time() -> None:
    hourly = Schedule.of("30 * * * *", NY)
    got = fires(hourly, datetime(2026, 11, 1, 0, 0, tzinfo=ZoneInfo(NY)), 3)
    assert [d.isoformat() for d in got] == [
        "2026-11-01T00:30:00-04:00",
        "2026-11-01T01:30:00-04:00",
        "2026-11-01T01:30:00-05:00",
    ]
    every_half_hour = Schedule.of("*/30 1 * * *", NY)
    got = fires(every_half_hour, datetime(2026, 11, 1, 0, 0, tzinfo=ZoneInfo(NY)), 4)
    assert len({d.astimezone(UTC) for d in got}) == 4  # 01:00, 01:30 EDT and EST


def test_spring_forward_still_fires_once() -> None:
    schedule = Schedule.of("30 2 * * *", NY)
    got = fires(schedule, datetime(2026, 3, 7, 12, 0, tzinfo=ZoneInfo(NY)), 3)
    assert [d.date().isoformat() for d in got] == ["2026-03-08", "2026-03-09", "2026-03-10"]


def test_shanghai_has_no_dst_and_is_unchanged() -> None:
    schedule = Schedule.of("0 */6 * * *", "Asia/Shanghai")
    start = datetime(2026, 11, 1, 0, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    gaps = {b - a for a, b in zip(*(2 * [iter(fires(schedule, start, 8))]), strict=True)}
    assert gaps == {timedelta(hours=6)}


# --- a schedule that stops firing ---------------------------------------------------------

LAST_YEAR = "0 0 1 1 * 0 2027"  # fires once, on 2027-01-01, then never
LATER = datetime(2031, 6, 1, tzinfo=UTC)


def test_a_schedule_past_its_last_fire_has_no_next_run() -> None:
    schedule = Schedule.of(LAST_YEAR, "Asia/Shanghai")
    assert schedule.next_after(datetime(2026, 12, 1, tzinfo=UTC)) is not None
    assert schedule.next_after(LATER) is None
    assert not schedule.fired_since(LATER - timedelta(days=1), LATER)
    assert schedule.fired_since(None, LATER)  # never run: due once
    trigger = ScheduleTrigger(schedule, jitter=30)
    assert trigger.get_next_fire_time(None, LATER) is None


def test_status_and_run_due_survive_it(tmp_path: Path) -> None:
    from scheduler.status import due_sources, source_statuses
    from storage.db import Database
    from storage.models import CrawlRun

    source = SourceConfig.model_validate(
        {
            "id": "once",
            "name": "once",
            "schedule": LAST_YEAR,
            "start_urls": ["https://example.gov.cn/"],
            "list": {"item": "li"},
        }
    )
    db = Database(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        with db.session() as session, session.begin():
            from storage import repository

            repository.upsert_source(session, {"id": "once", "name": "once"})
            session.add(
                CrawlRun(source_id="once", status="ok", started_at=LATER, finished_at=LATER)
            )
        with db.session() as session:
            (row,) = source_statuses(session, [source], "Asia/Shanghai", LATER + timedelta(days=1))
            assert row.next_run is None and not row.overdue
            assert due_sources(session, [source], "Asia/Shanghai", LATER + timedelta(days=1)) == []
    finally:
        db.dispose()
