"""The transactional outbox: alerts are rows written in the caller's transaction.

The ingestion pipeline calls `enqueue_document_alerts` inside the transaction
that stores a document and its figures, so an alert exists if and only if its
document does. Each row is unique per (webhook_id, event_key) and inserted with
ON CONFLICT DO NOTHING: enqueuing twice (a retried transaction, two crawlers
racing) leaves one alert. Delivery (`alerts.delivery`) reads the rows later.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from alerts.changes import FigureChange, diff_figures
from alerts.config import WebhookConfig
from alerts.payloads import FIGURES_EVENT, document_payload, dumps, envelope, previous_dict
from alerts.rules import FigureRules, source_passes
from storage.inserts import insert_ignore
from storage.models import Alert, Document, Figure, utcnow


def new_alert_id() -> str:
    """A Standard Webhooks message id: stable for the alert across all its attempts."""
    return f"msg_{uuid.uuid4().hex}"


def document_event_key(document_id: int) -> str:
    return f"document:{document_id}"


def _insert_alert(
    session: Session,
    *,
    webhook_id: str,
    event_type: str,
    event_key: str,
    payload: dict[str, Any],
    now: datetime,
    document_id: int | None = None,
    source_id: str | None = None,
) -> Alert | None:
    alert_id = new_alert_id()
    inserted = insert_ignore(
        session,
        Alert.__table__,  # type: ignore[arg-type]
        {
            "id": alert_id,
            "webhook_id": webhook_id,
            "event_type": event_type,
            "event_key": event_key,
            "document_id": document_id,
            "source_id": source_id,
            "payload": json.loads(dumps(payload)),  # JSON-safe, exactly as it will be sent
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        },
        ["webhook_id", "event_key"],
    )
    return session.get(Alert, alert_id) if inserted else None


class _PreviousFigures:
    """Per metric, the last earlier figure of that metric from the document's source."""

    def __init__(self, session: Session, document: Document, exclude: set[int]) -> None:
        self.session = session
        self.document = document
        self.exclude = exclude | {document.id}
        self.cache: dict[str, dict[str, Any] | None] = {}

    def get(self, metric: str) -> dict[str, Any] | None:
        if metric not in self.cache:
            self.cache[metric] = self._query(metric)
        return self.cache[metric]

    def _query(self, metric: str) -> dict[str, Any] | None:
        doc = self.document
        query = (
            select(Figure, Document)
            .join(Document, Figure.document_id == Document.id)
            .where(
                Document.source_id == doc.source_id,
                Figure.source_id == doc.source_id,
                Figure.metric == metric,
                Document.id.not_in(self.exclude),
            )
            .limit(1)
        )
        if doc.published_at is not None:
            # Earlier by publication date (ties: stored before); the index on
            # published_at lets the database stop at the first match.
            query = query.where(
                or_(
                    Document.published_at < doc.published_at,
                    and_(Document.published_at == doc.published_at, Document.id < doc.id),
                )
            ).order_by(Document.published_at.desc(), Document.id.desc(), Figure.start)
        else:
            # Undated: the last one stored before it.
            query = query.where(Document.id < doc.id).order_by(Document.id.desc(), Figure.start)
        row = self.session.execute(query).first()
        return previous_dict(row[0], row[1]) if row else None


def enqueue_document_alerts(
    session: Session,
    document: Document,
    figures: Sequence[Figure],
    webhooks: Sequence[WebhookConfig],
    *,
    previous_figures: Sequence[Figure] | None = None,
) -> list[Alert]:
    """Enqueue one alert per enabled webhook whose rules some figure passes.

    `previous_figures` (the figures of the version this document replaces) makes
    the alert about what changed: figures added, removed or changed, each with old
    and new value; nothing changed (or nothing that passes the rules) means no
    alert. A new document without figures brings no alert. Returns the alerts
    inserted now (none for an alert enqueued before).
    """
    changes: list[FigureChange] | None = None
    if previous_figures is None:
        if not figures:
            return []
    else:
        changes = diff_figures(previous_figures, figures)
        if not changes:
            return []
    now = utcnow()
    exclude = {f.document_id for f in previous_figures or ()}
    if document.previous_id is not None:
        exclude.add(document.previous_id)
    previous = _PreviousFigures(session, document, exclude)
    alerts: list[Alert] = []
    for hook in webhooks:
        if not hook.enabled:
            continue
        rules = FigureRules(hook.rules, document)
        passing = [f for f in figures if rules.passes(f)]
        chosen: list[FigureChange] | None = None
        if changes is None:
            if not passing:
                continue
        else:
            chosen = [
                c
                for c in changes
                if (c.new is not None and rules.passes(c.new))
                or (c.old is not None and rules.passes(c.old))
            ]
            if not chosen:
                continue
        metrics = list(dict.fromkeys(f.metric for f in passing))
        earlier = [p for p in (previous.get(m) for m in metrics) if p is not None]
        payload = document_payload(document, passing, earlier, timestamp=now, changes=chosen)
        alert = _insert_alert(
            session,
            webhook_id=hook.id,
            event_type=FIGURES_EVENT,
            event_key=document_event_key(document.id),
            payload=payload,
            now=now,
            document_id=document.id,
            source_id=document.source_id,
        )
        if alert is not None:
            alerts.append(alert)
    return alerts


def enqueue_event(
    session: Session,
    webhooks: Sequence[WebhookConfig],
    event_type: str,
    event_key: str,
    data: Mapping[str, Any],
) -> list[Alert]:
    """Enqueue an event that is not about figures (``source.health``, ``source.recovered`` ...).

    Sent to every enabled webhook whose `sources` rule (if any) lists the event's
    source (``data["source"]`` or ``data["source_id"]``; an event about no single
    source goes to all). `event_key` identifies the event: enqueuing the same key
    twice for a webhook leaves one alert.
    """
    source = data.get("source") or data.get("source_id")
    source_id = str(source) if source is not None else None
    document_id = data.get("document_id")
    now = utcnow()
    payload = envelope(event_type, data, now)
    alerts: list[Alert] = []
    for hook in webhooks:
        if not hook.enabled or not source_passes(hook.rules, source_id):
            continue
        alert = _insert_alert(
            session,
            webhook_id=hook.id,
            event_type=event_type,
            event_key=event_key,
            payload=payload,
            now=now,
            document_id=document_id if isinstance(document_id, int) else None,
            source_id=source_id,
        )
        if alert is not None:
            alerts.append(alert)
    return alerts
