"""`bulletins run-due` as system cron runs it: real processes, overlapping ticks."""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from storage.db import Database
from storage.models import CrawlRun
from tests.scheduler.helpers import (
    SiteServer,
    child_env,
    cli_command,
    iter_json_lines,
    source_entry,
    wait_until,
    write_config,
)

pytestmark = pytest.mark.e2e


def statuses(db: Database, source: str) -> list[str]:
    with db.session() as session:
        return list(
            session.scalars(
                select(CrawlRun.status).where(CrawlRun.source_id == source).order_by(CrawlRun.id)
            )
        )


def test_overlapping_ticks_one_crawls_the_other_exits_at_once(
    tmp_path: Path, database_url: str, site: SiteServer
) -> None:
    held = site.site.section("alpha").listing_gate = threading.Event()
    config = write_config(
        tmp_path / "bulletins.yaml",
        database_url,
        [source_entry(site.site, "alpha", schedule="every 7d"),
         source_entry(site.site, "beta", schedule="every 7d")],
        crawl={"download_timeout": 300},  # the held listing is waited for, not timed out
    )
    db = Database(database_url)
    env = child_env()
    first = subprocess.Popen(
        cli_command(config, "run-due", log_format="text"),
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        wait_until(lambda: "running" in statuses(db, "alpha"), 120, "the first tick crawling")
        # The first tick is held on alpha's listing for as long as the second one takes:
        # the second must give up on its own, not wait for the first.
        second = subprocess.run(
            cli_command(config, "run-due", log_format="text"),
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert second.returncode == 0, second.stderr
        assert "another run-due is still running" in second.stdout
        assert first.poll() is None  # the first one was indeed still at work
        assert statuses(db, "alpha") == ["running"]  # and the second started nothing
        held.set()
        out, err = first.communicate(timeout=120)
    finally:
        held.set()
        if first.poll() is None:
            first.kill()
            first.wait()
    assert first.returncode == 0, err
    text = out.decode()
    assert "alpha: ok" in text and "beta: ok" in text
    assert statuses(db, "alpha") == ["ok"]
    assert statuses(db, "beta") == ["ok"]

    # Nothing is due any more (weekly): the next tick is quiet.
    third = subprocess.run(
        cli_command(config, "run-due", "--json", log_format="json"),
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert third.returncode == 0, third.stderr
    assert '"due": []' in third.stdout
    assert statuses(db, "alpha") == ["ok"]
    assert all(e.get("level") != "error" for e in iter_json_lines(third.stderr))
    db.dispose()
