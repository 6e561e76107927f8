"""What the scheduler knows of each source: its runs, its health, its next run."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crawlers.sources.schema import SourceConfig
from scheduler.schedule import Schedule
from storage.models import CrawlRun, Document, Source
from storage.runs import codes_of
from storage.status import DECISIVE, SUCCESSFUL, RunStatus

SUCCESS = SUCCESSFUL
RECENT = timedelta(days=7)


def last_started(
    session: Session, source_ids: Iterable[str], statuses: Sequence[str] | None = None
) -> dict[str, datetime]:
    """Per source, when its latest run (of one of `statuses`, if given) started."""
    ids = list(source_ids)
    if not ids:
        return {}
    query = (
        select(CrawlRun.source_id, func.max(CrawlRun.started_at))
        .where(CrawlRun.source_id.in_(ids))
        .group_by(CrawlRun.source_id)
    )
    if statuses is not None:
        query = query.where(CrawlRun.status.in_(statuses))
    rows = session.execute(query).all()
    return {sid: CrawlRun.started_at.type.process_result_value(when, None) for sid, when in rows}


def due_sources(
    session: Session, sources: Sequence[SourceConfig], timezone: str, now: datetime
) -> list[SourceConfig]:
    """Sources whose schedule fired since their last run (of any result), in config order."""
    since = last_started(session, (s.id for s in sources))
    return [
        s for s in sources if Schedule.of(s.schedule, timezone).fired_since(since.get(s.id), now)
    ]


@dataclass(frozen=True)
class SourceStatus:
    source: str
    name: str
    enabled: bool
    schedule: str
    last_run: dict[str, Any] | None
    last_success: datetime | None
    result: str | None
    new_documents_7d: int
    consecutive_failures: int
    healthy: bool
    health_reason: str | None
    health_changed_at: datetime | None
    next_run: datetime | None
    overdue: bool

    def to_dict(self) -> dict[str, Any]:
        def iso(value: datetime | None) -> str | None:
            return value.isoformat() if value is not None else None

        last = dict(self.last_run) if self.last_run else None
        if last is not None:
            last["started_at"] = iso(last["started_at"])
            last["finished_at"] = iso(last["finished_at"])
        return {
            "source": self.source,
            "name": self.name,
            "enabled": self.enabled,
            "schedule": self.schedule,
            "last_run": last,
            "last_success": iso(self.last_success),
            "result": self.result,
            "new_documents_7d": self.new_documents_7d,
            "consecutive_failures": self.consecutive_failures,
            "healthy": self.healthy,
            "health_reason": self.health_reason,
            "health_changed_at": iso(self.health_changed_at),
            "next_run": iso(self.next_run),
            "overdue": self.overdue,
        }


def _failure_streak(session: Session, source_id: str, limit: int = 50) -> int:
    statuses = session.scalars(
        select(CrawlRun.status)
        .where(CrawlRun.source_id == source_id, CrawlRun.status.in_(DECISIVE))
        .order_by(CrawlRun.id.desc())
        .limit(limit)
    )
    streak = 0
    for status in statuses:
        if status != RunStatus.FAILED:
            break
        streak += 1
    return streak


def source_statuses(
    session: Session, sources: Sequence[SourceConfig], timezone: str, now: datetime
) -> list[SourceStatus]:
    ids = [s.id for s in sources]
    if not ids:
        return []
    latest_ids = select(func.max(CrawlRun.id)).where(CrawlRun.source_id.in_(ids))
    latest = {
        run.source_id: run
        for run in session.scalars(
            select(CrawlRun).where(
                CrawlRun.id.in_(latest_ids.group_by(CrawlRun.source_id).scalar_subquery())
            )
        )
    }
    success = {
        sid: when
        for sid, when in session.execute(
            select(CrawlRun.source_id, func.max(CrawlRun.finished_at))
            .where(CrawlRun.source_id.in_(ids), CrawlRun.status.in_(SUCCESS))
            .group_by(CrawlRun.source_id)
        )
    }
    recent = dict(
        session.execute(
            select(Document.source_id, func.count(Document.id))
            .where(Document.source_id.in_(ids), Document.created_at >= now - RECENT)
            .group_by(Document.source_id)
        ).all()
    )
    rows = {row.id: row for row in session.scalars(select(Source).where(Source.id.in_(ids)))}
    convert = CrawlRun.finished_at.type.process_result_value
    statuses = []
    for source in sources:
        run = latest.get(source.id)
        row = rows.get(source.id)
        schedule = Schedule.of(source.schedule, timezone)
        since = run.started_at if run is not None else None
        upcoming = schedule.next_after(now) if source.enabled else None  # None: never again
        statuses.append(
            SourceStatus(
                source=source.id,
                name=source.name,
                enabled=source.enabled,
                schedule=schedule.describe(),
                last_run=None
                if run is None
                else {
                    "id": run.id,
                    "status": run.status,
                    "reason": run.reason,
                    "started_at": run.started_at,
                    "finished_at": run.finished_at,
                    "new_documents": run.new_documents,
                    "requests": run.requests,
                    "failed_pages": dict(codes_of(run)),  # code -> pages
                    "listing_detected": run.listing_detected,
                    "warnings": list(run.warnings or []),
                },
                last_success=convert(success.get(source.id), None),
                result=run.status if run is not None else None,
                new_documents_7d=int(recent.get(source.id, 0)),
                consecutive_failures=_failure_streak(session, source.id),
                healthy=row.healthy is not False if row is not None else True,
                health_reason=row.health_reason if row is not None else None,
                health_changed_at=row.health_changed_at if row is not None else None,
                next_run=upcoming.astimezone(schedule.tz) if upcoming is not None else None,
                overdue=source.enabled
                and (run is None or run.status != RunStatus.RUNNING)
                and schedule.fired_since(since, now),
            )
        )
    return statuses
