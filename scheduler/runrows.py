"""The pool's writes to ``crawl_runs``, in one place: where a run ran, and closing
the runs a crawl could not close itself (its worker killed, stuck or gone).

(To be folded into the crawl-run lifecycle module, ``storage/runs.py``.)
"""

from __future__ import annotations

import logging
import socket
from datetime import datetime, timedelta

import psutil
from sqlalchemy import select

from crawlers.sources.schema import SourceConfig
from storage import repository
from storage.db import Database
from storage.models import CrawlRun, utcnow

log = logging.getLogger("scheduler.pool")

ABANDONED_STATUS = "killed"
ABANDONED_REASON = "its crawl worker ended without finishing it"


def worker_name(pid: int | None) -> str:
    """``host:pid``: where a run ran."""
    return f"{socket.gethostname()}:{pid}"


def close_run(
    db: Database,
    source: SourceConfig,
    pid: int | None,
    started: datetime,
    status: str,
    reason: str,
    run_id: int | None = None,
) -> int | None:
    """Close the run the worker opened for this crawl (`run_id`, else its open rows
    since `started`), or add a closed one if the crawl never opened its row."""
    since = started - timedelta(seconds=5)
    try:
        with db.session() as session, session.begin():
            if run_id is not None:
                found = session.get(CrawlRun, run_id)
                runs = [found] if found is not None else []
            else:
                runs = list(session.scalars(select(CrawlRun).where(
                    CrawlRun.source_id == source.id,
                    CrawlRun.pid == pid,
                    CrawlRun.started_at >= since,
                    CrawlRun.status == "running",
                )))
            for run in runs:
                run.status, run.reason = status, reason
                run.finished_at = run.finished_at or utcnow()
            if runs:
                return max(r.id for r in runs)
            repository.upsert_source(session, source.model_dump(mode="json"))
            run = repository.start_run(session, source.id, pid=pid)
            run.worker = worker_name(pid)
            run.started_at, run.status, run.reason = started, status, reason
            run.finished_at = utcnow()
            session.flush()
            return run.id
    except Exception:
        log.exception("could not record the end of the crawl", extra={"source": source.id})
        return None


def abandon_dead_runs(db: Database) -> int:
    """At pool start: close the ``running`` rows of this host whose worker is gone."""
    host = socket.gethostname()
    try:
        with db.session() as session, session.begin():
            rows = session.scalars(select(CrawlRun).where(
                CrawlRun.status == "running", CrawlRun.worker.like(f"{host}:%")
            ))
            count = 0
            for run in rows:
                pid = _pid_of(run.worker or "")
                if pid is None or not psutil.pid_exists(pid):
                    run.status, run.reason = ABANDONED_STATUS, ABANDONED_REASON
                    run.finished_at = run.finished_at or utcnow()
                    count += 1
            if count:
                log.warning("closed %d run(s) left running by crawl workers that are gone", count)
            return count
    except Exception:
        log.exception("could not close the runs of dead crawl workers")
        return 0


def _pid_of(worker: str) -> int | None:
    try:
        return int(worker.rsplit(":", 1)[1])
    except (IndexError, ValueError):
        return None
