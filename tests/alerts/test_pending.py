"""What `bulletins crawl` says is left after its delivery pass (`alerts.pending`)."""

from __future__ import annotations

import socket
from collections.abc import Callable

from alerts.delivery import deliver_pending
from alerts.pending import pending_alerts
from replica.receiver import WebhookReceiver
from storage.db import Database
from tests.alerts.conftest import FIGURE, hook, store_document
from tests.alerts.test_delivery import alerts_of


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # nothing listens there once it is closed


def test_refused_alerts_are_counted_with_their_next_retry(db: Database) -> None:
    hooks = [hook(f"http://127.0.0.1:{_closed_port()}/hook")]
    for _ in range(3):
        store_document(db, [FIGURE], webhooks=hooks)
    report = deliver_pending(db, hooks)
    assert report.retrying == 3
    pending = pending_alerts(db, hooks)
    assert pending.count == 3
    assert pending.next_attempt_at == min(a.next_attempt_at for a in alerts_of(db))
    text = str(pending)
    assert text.startswith("3 still pending, next retry at ")
    assert pending.next_attempt_at.strftime("%H:%M:%S") in text
    assert pending.as_dict()["count"] == 3


def test_nothing_pending_once_delivered(
    db: Database, receivers: Callable[..., WebhookReceiver]
) -> None:
    receiver = receivers()
    hooks = [hook(receiver.url)]
    store_document(db, [FIGURE], webhooks=hooks)
    assert deliver_pending(db, hooks).delivered == 1
    pending = pending_alerts(db, hooks)
    assert (pending.count, pending.next_attempt_at, str(pending)) == (0, None, "none pending")
    # Alerts of disabled webhooks are not the crawl's to deliver: not counted.
    store_document(db, [FIGURE], webhooks=hooks)
    assert pending_alerts(db, [hook(receiver.url, enabled=False)]).count == 0
