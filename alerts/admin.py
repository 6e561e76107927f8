"""Inspecting and re-queuing alerts (the `bulletins alerts list | retry` commands)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from alerts.payloads import iso
from storage.models import Alert, utcnow

Status = Literal["pending", "delivered", "dead"]
STATUSES: tuple[Status, ...] = ("pending", "delivered", "dead")


def list_alerts(
    session: Session,
    *,
    status: str | None = None,
    webhook: str | None = None,
    limit: int | None = None,
) -> list[Alert]:
    """Alerts, newest first, optionally of one status and one webhook."""
    query = select(Alert).order_by(Alert.created_at.desc(), Alert.id)
    if status:
        query = query.where(Alert.status == status)
    if webhook:
        query = query.where(Alert.webhook_id == webhook)
    if limit:
        query = query.limit(limit)
    return list(session.scalars(query))


def alert_dict(alert: Alert) -> dict[str, Any]:
    """An alert as `alerts list --json` prints it (never the payload's signature or secret)."""
    return {
        "id": alert.id,
        "webhook": alert.webhook_id,
        "status": alert.status,
        "attempts": alert.attempts,
        "next_attempt": iso(alert.next_attempt_at) if alert.status == "pending" else None,
        "event_type": alert.event_type,
        "event_key": alert.event_key,
        "document_id": alert.document_id,
        "source": alert.source_id,
        "last_status": alert.last_status,
        "last_error": alert.last_error,
        "created_at": iso(alert.created_at),
        "delivered_at": iso(alert.delivered_at),
    }


class RetryRefused(Exception):
    """`retry ID` on an alert that does not exist or was already delivered."""


def _requeue_values(now: datetime) -> dict[str, Any]:
    return {"status": "pending", "attempts": 0, "next_attempt_at": now, "last_error": None}


def retry_alerts(session: Session, ids: Sequence[str], *, now: datetime | None = None) -> int:
    """Put the dead or pending alerts `ids` back in the queue: attempts reset, due now."""
    now = now or utcnow()
    alerts = {a.id: a for a in session.scalars(select(Alert).where(Alert.id.in_(list(ids))))}
    for alert_id in ids:
        alert = alerts.get(alert_id)
        if alert is None:
            raise RetryRefused(f"no alert {alert_id!r}")
        if alert.status == "delivered":
            raise RetryRefused(f"alert {alert_id!r} was delivered already")
    result = session.execute(
        update(Alert)
        .where(Alert.id.in_(list(ids)), Alert.status.in_(("pending", "dead")))
        .values(**_requeue_values(now))
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def retry_dead(session: Session, *, now: datetime | None = None) -> int:
    """Put every dead alert back in the queue; the number re-queued."""
    result = session.execute(
        update(Alert)
        .where(Alert.status == "dead")
        .values(**_requeue_values(now or utcnow()), lease_until=None)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
