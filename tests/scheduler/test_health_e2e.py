"""The health watch end to end: a site changes its layout, then changes it back."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from replica.receiver import WebhookReceiver
from storage.db import Database
from storage.models import Alert, Source
from tests.scheduler.helpers import (
    SiteServer,
    child_env,
    cli_command,
    source_entry,
    write_config,
)

pytestmark = pytest.mark.e2e


def crawl(config: Path, workdir: Path) -> dict[str, Any]:
    done = subprocess.run(
        cli_command(config, "crawl", "alpha", "--no-deliver", "--json", log_format="json"),
        cwd=workdir,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode in (0, 1), done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def events(db: Database) -> list[tuple[str, str]]:
    with db.session() as session:
        rows = session.execute(
            select(Alert.event_type, Alert.event_key)
            .where(Alert.event_type.like("source.%"))
            .order_by(Alert.created_at)
        ).all()
    return [(t, k) for t, k in rows]


def test_a_layout_change_gives_one_health_event_and_one_recovery(
    tmp_path: Path, sqlite_url: str, site: SiteServer, receiver: WebhookReceiver
) -> None:
    config = write_config(
        tmp_path / "bulletins.yaml",
        sqlite_url,
        [source_entry(site.site, "alpha")],
        webhook_url=receiver.url,
    )
    db = Database(sqlite_url)
    first = crawl(config, tmp_path)
    assert first["runs"][0]["status"] == "ok" and first["health"] == []

    site.site.sections["alpha"].layout = "b"  # the list selector now finds nothing
    broken = [crawl(config, tmp_path) for _ in range(4)]
    assert [r["runs"][0]["status"] for r in broken] == ["failed"] * 4
    assert [len(r["health"]) for r in broken] == [1, 0, 0, 0]
    assert "listing yields no items" in broken[0]["health"][0]["reason"]
    assert [t for t, _ in events(db)] == ["source.health"]
    with db.session() as session:
        source = session.get(Source, "alpha")
        assert source is not None and source.healthy is False
        assert source.health_reason and "4 failed runs in a row" in source.health_reason

    site.site.sections["alpha"].layout = "a"
    fixed = [crawl(config, tmp_path) for _ in range(2)]
    assert [r["runs"][0]["status"] for r in fixed] == ["ok", "ok"]
    assert [len(r["health"]) for r in fixed] == [1, 0]
    assert [t for t, _ in events(db)] == ["source.health", "source.recovered"]
    with db.session() as session:
        source = session.get(Source, "alpha")
        assert source is not None and source.healthy is True and source.health_reason is None
    db.dispose()
