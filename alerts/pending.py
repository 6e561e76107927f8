"""What a delivery left behind: alerts still pending and when the next is due.

`bulletins crawl` prints this after delivering, so that a crawl which returned
with alerts still waiting for a retry (a refused connection, a timeout) says so,
with the time the daemon or `bulletins alerts deliver` will try them again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from alerts.config import WebhookConfig
from storage.db import Database
from storage.models import Alert


@dataclass(frozen=True)
class PendingAlerts:
    count: int  # pending alerts for enabled webhooks
    next_attempt_at: datetime | None  # the earliest retry among them (UTC)

    def __str__(self) -> str:
        if not self.count:
            return "none pending"
        at = self.next_attempt_at
        when = at.strftime("%Y-%m-%d %H:%M:%S UTC") if at is not None else "?"
        return (
            f"{self.count} still pending, next retry at {when} "
            "(by the daemon or `bulletins alerts deliver`)"
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "count": self.count,
            "next_attempt_at": self.next_attempt_at.isoformat() if self.next_attempt_at else None,
        }


def pending_alerts(db: Database, webhooks: Sequence[WebhookConfig]) -> PendingAlerts:
    enabled = [h.id for h in webhooks if h.enabled]
    if not enabled:
        return PendingAlerts(0, None)
    with db.session() as session:
        count, earliest = session.execute(
            select(func.count(), func.min(Alert.next_attempt_at)).where(
                Alert.status == "pending", Alert.webhook_id.in_(enabled)
            )
        ).one()
    return PendingAlerts(int(count or 0), earliest)
