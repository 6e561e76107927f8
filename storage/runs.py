"""The life of a crawl run's row: opened when a crawl starts, finished once with its
figures and verdict, abandoned when its process died without finishing it.

Every write of a ``crawl_runs`` row goes through here: the crawl process opens and
finishes its own run, recording where it ran (`worker_name`); the warm pool ends
the run a crawl could not end itself (its worker killed, stuck or gone) and, at its
start, the runs of this host's workers that are gone; a new crawl of a source
abandons the runs of that source whose process is gone; the queue's recovery those
of a worker that stopped answering. Each function takes a `session`; the caller
owns the transaction.

`verdict` decides a finished run's status and reason from what the crawl did.
"""

from __future__ import annotations

import socket
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.models import CrawlRun, utcnow
from storage.status import RunStatus, error_code

ABANDONED_REASON = "the crawl process ended without finishing"
WORKER_GONE_REASON = "its crawl worker ended without finishing it"
#: A launcher finds the run its process opened among the runs started this long before it.
CLOCK_SLACK = timedelta(seconds=5)


def worker_name(pid: int | None) -> str:
    """``host:pid``: where a run ran (a pid alone does not say on which machine)."""
    return f"{socket.gethostname()}:{pid}"


def open_run(
    session: Session, source_id: str, pid: int | None = None, worker: str | None = None
) -> CrawlRun:
    """A new run of `source_id`, status running, for the process `pid` on `worker`."""
    run = CrawlRun(
        source_id=source_id,
        pid=pid,
        worker=worker,
        status=RunStatus.RUNNING,
        started_at=utcnow(),
    )
    session.add(run)
    session.flush()
    return run


def finish_run(
    session: Session,
    run_id: int,
    status: RunStatus | str,
    reason: str | None = None,
    **figures: Any,
) -> None:
    """Close a run with its verdict and figures (the columns of `CrawlRun`)."""
    figures.setdefault("finished_at", utcnow())
    session.execute(
        update(CrawlRun)
        .where(CrawlRun.id == run_id)
        .values(status=RunStatus(status), reason=reason, **figures)
    )


def record_browser_use(session: Session, run_id: int, used_browser: str) -> None:
    """Whether and why the run went through the browser (known only as the crawl closes)."""
    session.execute(update(CrawlRun).where(CrawlRun.id == run_id).values(used_browser=used_browser))


def abandon_runs(
    session: Session,
    source_id: str,
    is_alive: Callable[[int], bool],
    reason: str = ABANDONED_REASON,
) -> int:
    """Runs of the source still running whose process is gone: killed, with `reason`.
    How many. (``is_alive=lambda pid: False`` closes every running run of the source.)"""
    rows = session.scalars(
        select(CrawlRun).where(
            CrawlRun.source_id == source_id, CrawlRun.status == RunStatus.RUNNING
        )
    )
    count = 0
    for run in rows:
        if run.pid is None or not is_alive(run.pid):
            run.status, run.reason = RunStatus.KILLED, reason
            run.finished_at = run.finished_at or utcnow()
            count += 1
    return count


def abandon_dead_workers(
    session: Session, host: str, is_alive: Callable[[int], bool], reason: str = WORKER_GONE_REASON
) -> int:
    """Runs still running on `host` (`worker_name`) whose worker process is gone: killed,
    with `reason`. How many."""
    rows = session.scalars(
        select(CrawlRun).where(
            CrawlRun.status == RunStatus.RUNNING, CrawlRun.worker.like(f"{host}:%")
        )
    )
    count = 0
    for run in rows:
        pid = _pid_of(run.worker or "")
        if pid is None or not is_alive(pid):
            run.status, run.reason = RunStatus.KILLED, reason
            run.finished_at = run.finished_at or utcnow()
            count += 1
    return count


def _pid_of(worker: str) -> int | None:
    try:
        return int(worker.rsplit(":", 1)[1])
    except (IndexError, ValueError):
        return None


def end_process_runs(
    session: Session,
    source_id: str,
    pid: int | None,
    started: datetime,
    status: RunStatus,
    reason: str | None,
    *,
    run_id: int | None = None,
    overrule: bool = False,
) -> int | None:
    """The launcher's record of a crawl that ended without reporting: the run `run_id`,
    else the runs `pid` opened for the source since `started`, left running, get
    `status` and `reason` (with `overrule`, also the ones already finished: a time limit
    or a shutdown ended the crawl, whatever it wrote). Returns the newest such run's id,
    or None when there is none (the caller then adds one with `add_ended_run`)."""
    if run_id is not None:
        found = session.get(CrawlRun, run_id)
        runs = [found] if found is not None else []
    else:
        runs = list(
            session.scalars(
                select(CrawlRun).where(
                    CrawlRun.source_id == source_id,
                    CrawlRun.pid == pid,
                    CrawlRun.started_at >= started - CLOCK_SLACK,
                )
            )
        )
    for run in runs:
        if run.status == RunStatus.RUNNING or overrule:
            run.status, run.reason = status, reason
            run.finished_at = run.finished_at or utcnow()
    return max((r.id for r in runs), default=None)


def add_ended_run(
    session: Session,
    source_id: str,
    pid: int | None,
    started: datetime,
    status: RunStatus,
    reason: str | None,
    worker: str | None = None,
) -> int:
    """A run for a crawl that ended before it opened one (the source row exists)."""
    run = CrawlRun(
        source_id=source_id,
        pid=pid,
        worker=worker,
        started_at=started,
        finished_at=utcnow(),
        status=status,
        reason=reason,
    )
    session.add(run)
    session.flush()
    return run.id


# --- the verdict ----------------------------------------------------------------------


@dataclass(frozen=True)
class CrawlResult:
    """What a crawl did, as its run records it."""

    errors: Sequence[Mapping[str, Any]] = ()  # storage.status.page_error entries
    listing_ok: int = 0  # listing pages read (or unchanged)
    stored: int = 0  # articles stored: new, revised or already known
    stopped: str | None = None  # why the crawl ended early, if it did
    store_failure: str | None = None  # why the writer could not store, if it could not


def verdict(result: CrawlResult) -> tuple[RunStatus, str | None]:
    """A finished run's status and reason.

    Failed: the crawl stopped early, storing failed, no listing page could be read,
    or the listing named articles and each of them failed. Partial: some pages
    failed. The reason names the failures' codes, most frequent first, with the
    first message of the most frequent.
    """
    listing = [e for e in result.errors if e.get("kind") == "listing"]
    articles = [e for e in result.errors if e.get("kind") != "listing"]
    if result.store_failure:
        return RunStatus.FAILED, f"storing failed: {result.store_failure}"
    if result.stopped:
        return RunStatus.FAILED, f"the crawl stopped early: {result.stopped}"
    if result.listing_ok == 0:
        if listing:
            return RunStatus.FAILED, f"no listing page could be read: {summary(listing, at=True)}"
        return RunStatus.FAILED, "no listing page could be read"
    if articles and result.stored == 0:
        return RunStatus.FAILED, f"every article failed: {summary(articles)}"
    if result.errors:
        return RunStatus.PARTIAL, f"{len(result.errors)} page(s) failed: {summary(result.errors)}"
    return RunStatus.OK, None


def summary(errors: Sequence[Mapping[str, Any]], *, at: bool = False) -> str:
    """``dependency_missing (No module named lxml.html.clean)``, ``, http_404 ×2`` …;
    with `at`, the URL of the first page of the most frequent code too."""
    codes = Counter(error_code(e) for e in errors)
    if not codes:
        return "no failed page"
    (top, top_count), *others = codes.most_common()
    first = next(e for e in errors if error_code(e) == top)
    where = f" at {first['url']}" if at and first.get("url") else ""
    text = f"{top}{where} ({first.get('error')})"
    if top_count > 1:
        text = f"{top} ×{top_count}{where} ({first.get('error')})"
    for code, count in others:
        text += f", {code}" + (f" ×{count}" if count > 1 else "")
    return text


def codes_of(run: CrawlRun) -> Counter[str]:
    """How many of the run's failed pages carry each code."""
    return Counter(error_code(e) for e in run.errors or [])
