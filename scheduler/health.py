"""The health watch: after each crawl, compare a source with its own history.

A source turns unhealthy, once, when its latest finished run shows one of

- ``articles_failed``: the listing named new articles and each of them failed
  (the run is ``failed``), for any cause but an empty body: raised on the first
  such run, with the failures' codes (``every article failed:
  dependency_missing (No module named …)``);
- ``dependency_missing``: a page failed because an import failed (an incomplete
  install), also where other pages were stored;
- ``listing_empty``: listing pages were read but yielded no items, where earlier
  runs found some (the list selector no longer matches the site's layout);
- ``article_empty``: since an article last had a body, at least
  `min_empty_bodies` distinct articles were fetched without one (code
  ``empty_body``: the article selector, or the text finder, matches nothing);
- ``failing``: the last `failures_in_row` runs all failed;
- ``stale``: no new release for far longer than the source's usual gap between
  releases (`stale_factor` times the median gap, at least `stale_min`).

The change is written to the source row (`healthy`, `health_reason`,
`health_changed_at`) and a ``source.health`` event is enqueued to the webhooks in
the same transaction; while the source stays unhealthy only its reason is kept
up to date. When none of the problems remains, one ``source.recovered`` event
follows. Runs ended as ``killed`` (the daemon's shutdown, a crashed process)
neither count as failures nor break a streak. Failures are told apart by their
codes (`storage.status`), never by their messages.
"""

from __future__ import annotations

import itertools
import logging
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.db import Database
from storage.models import CrawlRun, Document, Sighting, Source, utcnow
from storage.runs import summary
from storage.status import DECISIVE, EMPTY_CODES, ErrorCode, RunStatus, error_code

log = logging.getLogger("scheduler.health")
HEALTH_EVENT = "source.health"
RECOVERED_EVENT = "source.recovered"


@dataclass(frozen=True)
class HealthPolicy:
    failures_in_row: int = 3
    min_empty_bodies: int = 2
    stale_factor: float = 4.0
    stale_min: timedelta = timedelta(days=3)
    stale_min_documents: int = 5
    history: int = 20


@dataclass(frozen=True)
class Problem:
    kind: str
    message: str


@dataclass(frozen=True)
class HealthChange:
    """A source that turned unhealthy (``healthy=False``) or recovered."""

    source_id: str
    healthy: bool
    reason: str | None
    run_id: int | None
    alerts: int


def _first_error(run: CrawlRun, kind: str) -> str | None:
    for err in run.errors or []:
        if isinstance(err, dict) and err.get("kind") == kind:
            return str(err.get("error"))
    return None


def empty_articles(runs: Sequence[CrawlRun]) -> list[str]:
    """The empty-body errors of distinct articles since an article last had a body.

    Runs that fetched no article say nothing either way; a broken page is counted
    once however often it is fetched again, so one odd page never adds up.
    """
    found: dict[str, str] = {}
    for run in runs:
        if run.articles_fetched > run.empty_bodies:
            break
        for err in run.errors or []:
            if (
                isinstance(err, dict)
                and err.get("kind") == "article"
                and error_code(err) == ErrorCode.EMPTY_BODY
            ):
                found.setdefault(str(err.get("url")), str(err.get("error")))
    return list(found.values())


def article_errors(run: CrawlRun) -> list[dict[str, Any]]:
    return [e for e in run.errors or [] if isinstance(e, dict) and e.get("kind") == "article"]


def failed_articles(run: CrawlRun) -> Problem | None:
    """The run's listing named new articles and none was stored: each failed.

    Failures that are all empty bodies are left to ``article_empty``, which waits for
    two distinct pages (one odd page is not a layout change).
    """
    errors = article_errors(run)
    stored = run.new_documents + run.new_versions + run.duplicates
    if run.status != RunStatus.FAILED or not errors or stored:
        return None
    if all(error_code(e) in EMPTY_CODES for e in errors):
        return None
    return Problem("articles_failed", f"every article failed: {summary(errors)}")


def missing_dependency(run: CrawlRun) -> Problem | None:
    """A page failed on a failed import: the install is incomplete, whatever else worked."""
    missing = [e for e in run.errors or [] if error_code(e) == ErrorCode.DEPENDENCY_MISSING]
    if not missing:
        return None
    return Problem(
        "dependency_missing",
        f"{len(missing)} page(s) failed on a missing dependency: {summary(missing)}",
    )


def run_problems(session: Session, runs: Sequence[CrawlRun], policy: HealthPolicy) -> list[Problem]:
    """Problems of the latest decisive run, judged against the source's history."""
    if not runs:
        return []
    latest = runs[0]
    problems: list[Problem] = []
    articles = failed_articles(latest)
    if articles is not None:
        problems.append(articles)
    elif (missing := missing_dependency(latest)) is not None:
        problems.append(missing)
    if latest.status == RunStatus.FAILED and latest.listing_pages > 0 and latest.listing_items == 0:
        used_to = session.scalar(
            select(func.max(CrawlRun.listing_items)).where(
                CrawlRun.source_id == latest.source_id, CrawlRun.id < latest.id
            )
        )
        if used_to:
            detail = _first_error(latest, "listing") or "no items"
            problems.append(
                Problem(
                    "listing_empty",
                    f"the listing yields no items (earlier runs found up to {used_to}): {detail}",
                )
            )
    empty = empty_articles(runs)
    if len(empty) >= policy.min_empty_bodies:
        problems.append(
            Problem(
                "article_empty",
                f"none of the last {len(empty)} articles fetched had a body: {empty[0]}",
            )
        )
    streak = 0
    for run in runs:
        if run.status != RunStatus.FAILED:
            break
        streak += 1
    if streak >= policy.failures_in_row:
        problems.append(
            Problem("failing", f"{streak} failed runs in a row (last: {latest.reason or 'failed'})")
        )
    return problems


def stale_problem(
    session: Session, source_id: str, policy: HealthPolicy, now: datetime
) -> Problem | None:
    """No new release for far longer than usual: the usual gap from release dates."""
    dates = [
        d
        for (d,) in session.execute(
            select(Document.published_at)
            .join(Sighting, Sighting.document_id == Document.id)
            .where(Sighting.source_id == source_id, Document.published_at.is_not(None))
            .group_by(Document.published_at)
            .order_by(Document.published_at.desc())
            .limit(policy.history + 1)
        )
        if d is not None and d <= now
    ]
    if len(dates) < policy.stale_min_documents:
        return None
    gaps = [(a - b).total_seconds() for a, b in itertools.pairwise(dates)]
    usual = timedelta(seconds=statistics.median(gaps))
    limit = max(usual * policy.stale_factor, policy.stale_min)
    # Silence counts from the newest release or from when the watch began,
    # whichever is later: a column first crawled today, whose newest release is
    # a year old, has not been silent *to us* for a year.
    watched_since = session.scalar(
        select(func.min(Sighting.first_seen)).where(Sighting.source_id == source_id)
    )
    silent = now - max(dates[0], watched_since or dates[0])
    if silent <= limit:
        return None
    return Problem(
        "stale",
        f"no new release for {_days(silent)} (usually one every {_days(usual)})",
    )


def _days(delta: timedelta) -> str:
    days = delta.total_seconds() / 86400
    return f"{days:.1f} days" if days < 10 else f"{days:.0f} days"


def assess(
    session: Session, source_id: str, policy: HealthPolicy, now: datetime
) -> tuple[list[Problem], CrawlRun | None]:
    runs = list(
        session.scalars(
            select(CrawlRun)
            .where(CrawlRun.source_id == source_id, CrawlRun.status.in_(DECISIVE))
            .order_by(CrawlRun.id.desc())
            .limit(policy.history)
        )
    )
    problems = run_problems(session, runs, policy)
    stale = stale_problem(session, source_id, policy, now)
    if stale is not None:
        problems.append(stale)
    return problems, (runs[0] if runs else None)


def check_source(
    session: Session,
    source_id: str,
    webhooks: Sequence[Any],
    *,
    policy: HealthPolicy | None = None,
    now: datetime | None = None,
) -> HealthChange | None:
    """Update one source's health in the caller's transaction; the change, if any."""
    policy = policy or HealthPolicy()
    now = now or utcnow()
    dialect = session.get_bind().dialect.name
    source = session.get(Source, source_id, with_for_update=dialect == "postgresql")
    if source is None:
        return None
    problems, latest = assess(session, source_id, policy, now)
    run_id = latest.id if latest is not None else None
    reason = "; ".join(p.message for p in problems) or None
    if problems and source.healthy is not False:
        since = now
        event_type, key = HEALTH_EVENT, f"{HEALTH_EVENT}:{source_id}:{run_id}"
        data: dict[str, Any] = {
            "source": source_id,
            "name": source.name,
            "healthy": False,
            "reason": reason,
            "problems": [{"kind": p.kind, "message": p.message} for p in problems],
            "run_id": run_id,
            "since": since.isoformat(),
        }
        source.healthy, source.health_reason, source.health_changed_at = False, reason, now
    elif not problems and source.healthy is False:
        was = source.health_reason
        event_type, key = RECOVERED_EVENT, f"{RECOVERED_EVENT}:{source_id}:{run_id}"
        data = {
            "source": source_id,
            "name": source.name,
            "healthy": True,
            "previous_reason": was,
            "unhealthy_since": source.health_changed_at.isoformat()
            if source.health_changed_at
            else None,
            "run_id": run_id,
        }
        source.healthy, source.health_reason, source.health_changed_at = True, None, now
    else:
        if problems and source.health_reason != reason:
            source.health_reason = reason  # still unhealthy: keep the reason current
        return None
    alerts = 0
    if webhooks:
        from alerts.outbox import enqueue_event

        alerts = len(enqueue_event(session, webhooks, event_type, key, data))
    extra = {"source": source_id, "run_id": run_id, "event": event_type}
    if event_type == HEALTH_EVENT:
        log.warning("source unhealthy: %s", reason, extra=extra)
    else:
        log.warning("source recovered", extra=extra)
    return HealthChange(source_id, event_type == RECOVERED_EVENT, reason, run_id, alerts)


def check_sources(
    db: Database,
    webhooks: Sequence[Any],
    source_ids: Iterable[str],
    *,
    policy: HealthPolicy | None = None,
    now: datetime | None = None,
) -> list[HealthChange]:
    """Check each source in a transaction of its own; a failing check is logged, not raised."""
    changes: list[HealthChange] = []
    enabled = [w for w in webhooks if getattr(w, "enabled", True)]
    for source_id in dict.fromkeys(source_ids):
        try:
            with db.session() as session, session.begin():
                change = check_source(session, source_id, enabled, policy=policy, now=now)
        except Exception:
            log.exception("health check failed", extra={"source": source_id})
            continue
        if change is not None:
            changes.append(change)
    return changes
