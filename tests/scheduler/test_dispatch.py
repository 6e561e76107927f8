"""The dispatch seam's plumbing: the scheduler apart from the app, the `workers:`
settings, where runs ran and runs left by dead workers (real databases)."""

from __future__ import annotations

import ast
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from bulletins.commands.scheduling import pool_settings
from bulletins.config import ConfigError, parse_config
from scheduler.dispatch import Dispatcher, LocalDispatcher
from scheduler.pool import abandon_dead_runs
from storage import repository, runs
from storage.db import Database
from storage.models import CrawlRun

ROOT = Path(__file__).resolve().parents[2]


def test_the_scheduler_imports_nothing_of_the_app() -> None:
    offenders = []
    for path in sorted((ROOT / "scheduler").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "bulletins"]
    assert offenders == []


def test_the_local_dispatcher_is_a_dispatcher() -> None:
    dispatcher: Dispatcher = LocalDispatcher(pool_settings(parse_config({}), "INFO"))
    assert dispatcher.running() == []
    dispatcher.close(0)  # never started a worker: nothing to wait for


def test_workers_settings_are_validated_and_reach_the_pool() -> None:
    config = parse_config({"workers": {"processes": 3, "crawls_per_worker": 500,
                                       "max_rss_mb": 400}, "crawl": {"download_timeout": 7}})
    settings = pool_settings(config, "INFO")
    assert (settings.workers, settings.crawls_per_worker, settings.max_worker_rss_mb) == (
        3, 500, 400
    )
    assert settings.crawl["download_timeout"] == 7  # the section goes to the workers as data
    assert settings.log_level == "WARNING"  # Scrapy's INFO stays out of the daemon's log
    with pytest.raises(ConfigError, match=r"workers\.processes"):
        parse_config({"workers": {"processes": 0}})
    with pytest.raises(ConfigError, match=r"workers\.threads"):
        parse_config({"workers": {"threads": 2}})
    with pytest.raises(ConfigError, match="workers"):
        parse_config({"workers": [1]})


def _open_run(db: Database, source_id: str, worker: str | None) -> int:
    with db.session() as session, session.begin():
        repository.upsert_source(session, {"id": source_id, "name": source_id})
        return runs.open_run(session, source_id, worker=worker).id


def test_at_pool_start_runs_of_dead_workers_on_this_host_are_closed(db: Database) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    host = socket.gethostname()
    gone = _open_run(db, "gone", f"{host}:{dead.pid}")
    alive = _open_run(db, "alive", f"{host}:{os.getpid()}")
    elsewhere = _open_run(db, "elsewhere", f"another-{host}:{dead.pid}")
    assert abandon_dead_runs(db) == 1
    with db.session() as session:
        status = dict(session.execute(select(CrawlRun.id, CrawlRun.status)).all())
        reason = session.get(CrawlRun, gone)
    assert status == {gone: "killed", alive: "running", elsewhere: "running"}
    assert reason is not None and reason.reason == runs.WORKER_GONE_REASON
