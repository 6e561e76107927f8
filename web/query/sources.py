"""Each source at a glance: its last run, the result and its cause, its health,
its next run.

The web app does not import the scheduler. What only the scheduler knows (the
configured sources, their schedules, the next run) comes from a provider that
`bulletins serve` hands in (it wraps `scheduler.status.source_statuses`); the
rest, and every source the provider does not know, is read from storage.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import CrawlRun, Sighting, Source
from storage.runs import codes_of
from storage.status import RunStatus

#: session -> one mapping per configured source, as `SourceStatus.to_dict()` gives it.
SourceStatusProvider = Callable[[Session], Sequence[Mapping[str, Any]]]

FAILED_RESULTS = (RunStatus.FAILED, RunStatus.KILLED)


@dataclass(frozen=True)
class SourceHealth:
    id: str
    name: str
    region: str | None
    level: str | None
    language: str | None
    configured: bool
    enabled: bool | None
    schedule: str | None
    last_run: dict[str, Any] | None
    result: str | None
    cause: str | None
    healthy: bool
    health_reason: str | None
    health_changed_at: datetime | None
    next_run: datetime | None
    overdue: bool
    documents: int

    @property
    def failing(self) -> bool:
        return not self.healthy or self.result in FAILED_RESULTS


def _when(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def _run_dict(run: CrawlRun) -> dict[str, Any]:
    return {
        "id": run.id,
        "status": run.status,
        "reason": run.reason,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "new_documents": run.new_documents,
        "requests": run.requests,
        "failed_pages": dict(codes_of(run)),
        "listing_detected": run.listing_detected,
        "warnings": list(run.warnings or []),
    }


def _cause(healthy: bool, health_reason: str | None, last_run: Mapping[str, Any] | None) -> Any:
    if not healthy and health_reason:
        return health_reason
    if last_run and last_run.get("status") in (*FAILED_RESULTS, RunStatus.PARTIAL):
        return last_run.get("reason")
    return None


def source_health(session: Session, provider: SourceStatusProvider | None) -> list[SourceHealth]:
    rows = {row.id: row for row in session.scalars(select(Source))}
    documents = dict(
        session.execute(
            select(Sighting.source_id, func.count(func.distinct(Sighting.document_id))).group_by(
                Sighting.source_id
            )
        ).all()
    )
    latest_ids = select(func.max(CrawlRun.id)).group_by(CrawlRun.source_id).scalar_subquery()
    latest = {
        run.source_id: run
        for run in session.scalars(select(CrawlRun).where(CrawlRun.id.in_(latest_ids)))
    }
    statuses = {s["source"]: s for s in provider(session)} if provider else {}
    ids = list(statuses) + sorted(i for i in rows if i not in statuses)
    result = []
    for source_id in ids:
        row = rows.get(source_id)
        status = statuses.get(source_id)
        if status is not None:
            last_run = dict(status["last_run"]) if status.get("last_run") else None
            if last_run:
                last_run["started_at"] = _when(last_run.get("started_at"))
                last_run["finished_at"] = _when(last_run.get("finished_at"))
            healthy = bool(status.get("healthy", True))
            reason = status.get("health_reason")
        else:
            run = latest.get(source_id)
            last_run = _run_dict(run) if run is not None else None
            healthy = row.healthy is not False if row is not None else True
            reason = row.health_reason if row is not None else None
        result.append(
            SourceHealth(
                id=source_id,
                name=(status or {}).get("name") or (row.name if row else source_id),
                region=row.region if row is not None else None,
                level=row.level if row is not None else None,
                language=row.language if row is not None else None,
                configured=status is not None,
                enabled=status.get("enabled") if status is not None else None,
                schedule=status.get("schedule") if status is not None else None,
                last_run=last_run,
                result=last_run["status"] if last_run else None,
                cause=_cause(healthy, reason, last_run),
                healthy=healthy,
                health_reason=reason,
                health_changed_at=_when((status or {}).get("health_changed_at"))
                if status is not None
                else (row.health_changed_at if row is not None else None),
                next_run=_when(status.get("next_run")) if status is not None else None,
                overdue=bool(status.get("overdue")) if status is not None else False,
                documents=int(documents.get(source_id, 0)),
            )
        )
    return result
