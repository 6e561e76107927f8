"""`bulletins status` and what is due, on runs written by hand; time is fixed."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine

from bulletins.cli import main
from bulletins.config import parse_config
from scheduler.status import due_sources, source_statuses
from storage import repository, runs
from storage.db import Database
from storage.models import Source

NOW = datetime(2025, 3, 1, 4, 10, tzinfo=UTC)  # 12:10 in Shanghai


def config_data(url: str) -> dict[str, Any]:
    def source(sid: str, schedule: str, **extra: Any) -> dict[str, Any]:
        return {
            "id": sid,
            "name": f"Source {sid}",
            "schedule": schedule,
            "start_urls": [f"http://127.0.0.1:9/{sid}/"],
            "list": {"item": "li"},
            **extra,
        }

    return {
        "database": url,
        "builtin_sources": False,
        "sources": [
            source("hourly", "0 * * * *"),
            source("daily", "0 8 * * *"),
            source("fresh", "*/30 * * * *"),
            source("off", "0 * * * *", enabled=False),
        ],
    }


def add_run(db: Database, sid: str, status: str, started: datetime, **values: Any) -> None:
    with db.session() as session, session.begin():
        repository.upsert_source(session, {"id": sid, "name": f"Source {sid}"})
        run = runs.open_run(session, sid, pid=1)
        run.started_at = started
        session.flush()
        runs.finish_run(
            session,
            run.id,
            status=status,
            finished_at=started + timedelta(minutes=1),
            reason=None if status == "ok" else "HTTP 503",
            **values,
        )


@pytest.fixture
def history(db: Database) -> Database:
    add_run(db, "hourly", "ok", NOW - timedelta(hours=3), new_documents=2)
    add_run(db, "hourly", "failed", NOW - timedelta(hours=2))
    add_run(db, "hourly", "failed", NOW - timedelta(minutes=30))  # after 11:00, before 12:00
    add_run(db, "daily", "ok", NOW - timedelta(hours=1))  # 11:10, after today's 08:00
    with db.session() as session, session.begin():
        row = session.get(Source, "hourly")
        assert row is not None
        row.healthy, row.health_reason, row.health_changed_at = False, "it broke", NOW
    return db


def test_due_sources(history: Database) -> None:
    config = parse_config(config_data(history.url))
    with history.session() as session:
        due = due_sources(session, config.enabled_sources(), config.timezone, NOW)
    # hourly: fired at 12:00 since its last run (11:40); daily: not since 11:10;
    # fresh: never ran. A failed run waits for the next fire time like any other.
    assert [s.id for s in due] == ["hourly", "fresh"]
    with history.session() as session:
        later = due_sources(session, config.enabled_sources(), config.timezone, NOW.replace(day=2))
    assert [s.id for s in later] == ["hourly", "daily", "fresh"]


def test_source_statuses(history: Database) -> None:
    config = parse_config(config_data(history.url))
    with history.session() as session:
        rows = {r.source: r for r in source_statuses(session, config.sources, config.timezone, NOW)}
    hourly = rows["hourly"]
    assert hourly.result == "failed" and hourly.consecutive_failures == 2
    assert hourly.last_success == NOW - timedelta(hours=3) + timedelta(minutes=1)
    assert not hourly.healthy and hourly.health_reason == "it broke"
    assert hourly.next_run == datetime(2025, 3, 1, 5, tzinfo=UTC)  # 13:00 in Shanghai
    assert hourly.overdue
    assert rows["daily"].consecutive_failures == 0 and not rows["daily"].overdue
    assert rows["fresh"].last_run is None and rows["fresh"].overdue and rows["fresh"].healthy
    assert rows["off"].next_run is None and not rows["off"].overdue


def test_status_command(
    history: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import yaml

    path = tmp_path / "bulletins.yaml"
    path.write_text(yaml.safe_dump(config_data(history.url)), encoding="utf-8")
    with time_machine.travel(NOW, tick=False):
        assert main(["--config", str(path), "status", "--json"]) == 0
        rows = json.loads(capsys.readouterr().out)
        assert [r["source"] for r in rows] == ["hourly", "daily", "fresh"]
        assert rows[0]["consecutive_failures"] == 2 and rows[0]["healthy"] is False
        assert rows[0]["next_run"] == "2025-03-01T13:00:00+08:00"
        assert rows[0]["last_run"]["status"] == "failed"

        assert main(["--config", str(path), "status", "--all"]) == 0
        text = capsys.readouterr().out
    assert "UNHEALTHY" in text and "it broke" in text and "off" in text and "disabled" in text
    assert "2025-03-01 13:00 (overdue)" in text


def test_an_interval_schedule_is_read_alike_by_status_and_run_due(db: Database) -> None:
    config = parse_config(
        {
            "database": db.url,
            "builtin_sources": False,
            "sources": [
                {"id": sid, "name": sid, "schedule": schedule, "list": {"item": "li"},
                 "start_urls": [f"http://127.0.0.1:9/{sid}/"]}
                for sid, schedule in (("quarter", "every 15m"), ("daily", "every 1d"))
            ],
        }
    )
    add_run(db, "quarter", "ok", NOW - timedelta(minutes=12))  # 03:58 UTC, before 04:00
    add_run(db, "daily", "ok", NOW - timedelta(hours=3))  # after today's 00:00 UTC
    with db.session() as session:
        due = due_sources(session, config.enabled_sources(), config.timezone, NOW)
        rows = {r.source: r for r in source_statuses(session, config.sources, config.timezone,
                                                     NOW)}
    assert [s.id for s in due] == ["quarter"]
    assert rows["quarter"].overdue and rows["quarter"].schedule == "every 15m"
    assert rows["quarter"].next_run == datetime(2025, 3, 1, 4, 15, tzinfo=UTC)
    assert not rows["daily"].overdue
    # The next 00:00 UTC, shown in the config's zone (08:00 in Shanghai).
    next_daily = rows["daily"].next_run
    assert next_daily is not None and next_daily.isoformat() == "2025-03-02T08:00:00+08:00"
