"""Sending and delivering through an `httpx.MockTransport`: what goes on the wire and
how each answer is recorded, without sockets (the receiver tests cover the network)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable

import httpx
from pydantic import SecretStr
from sqlalchemy import select

from alerts.delivery import deliver_pending
from alerts.outgoing import prepare
from alerts.sender import Sender
from alerts.signing import standard_signature
from storage.db import Database
from storage.models import Alert
from tests.alerts.conftest import SECRET, hook, store_document

URL = "http://127.0.0.1:9/hook"


def recording(
    answer: Callable[[httpx.Request, int], httpx.Response],
) -> tuple[httpx.MockTransport, list[httpx.Request]]:
    seen: list[httpx.Request] = []
    lock = threading.Lock()

    def handler(request: httpx.Request) -> httpx.Response:
        with lock:
            seen.append(request)
            nth = len(seen)
        request.read()
        return answer(request, nth)

    return httpx.MockTransport(handler), seen


def test_a_send_carries_the_signed_body_to_the_resolved_address() -> None:
    transport, seen = recording(lambda request, nth: httpx.Response(200, text="ok"))
    webhook = hook(URL)
    outgoing = prepare(
        webhook, "msg_1", {"type": "bulletin.test", "data": {}}, clock=lambda: 1700.0
    )
    with Sender(transport=transport) as sender:
        result = sender.send(webhook, outgoing)
    assert result.ok and result.status_code == 200 and result.address == "127.0.0.1"
    [request] = seen
    assert request.method == "POST" and request.url.path == "/hook"
    assert request.headers["host"] == "127.0.0.1:9"
    assert request.content == outgoing.body
    assert request.headers["webhook-id"] == "msg_1"
    assert request.headers["webhook-timestamp"] == "1700"
    secret = SecretStr(SECRET)
    assert request.headers["webhook-signature"] == standard_signature(
        secret, "msg_1", 1700, outgoing.body
    )


def test_a_failing_answer_is_a_failed_result_with_the_status() -> None:
    transport, _seen = recording(lambda request, nth: httpx.Response(503, text="busy"))
    webhook = hook(URL)
    with Sender(transport=transport) as sender:
        result = sender.send(webhook, prepare(webhook, "msg_2", {"type": "t", "data": {}}))
    assert not result.ok and result.status_code == 503
    assert result.error is not None and "503" in result.error


def test_delivery_records_each_alert_once_through_the_given_sender(db: Database) -> None:
    hooks = [hook(URL, retry={"attempts": 3, "first_delay": 60, "factor": 2})]
    for _ in range(3):
        store_document(db, webhooks=hooks)
    transport, seen = recording(
        lambda request, nth: httpx.Response(500 if nth == 1 else 200, text="x")
    )
    with Sender(transport=transport) as sender:
        report = deliver_pending(db, hooks, sender=sender, workers=1)
    assert (report.attempted, report.delivered, report.failed) == (3, 2, 1)
    with db.session() as session:
        alerts = {a.id: a for a in session.scalars(select(Alert))}
    assert sorted(r.headers["webhook-id"] for r in seen) == sorted(alerts)  # each once
    for request in seen:
        assert json.loads(request.content) == alerts[request.headers["webhook-id"]].payload
    statuses = sorted(a.status for a in alerts.values())
    assert statuses == ["delivered", "delivered", "pending"]
    failed = alerts[seen[0].headers["webhook-id"]]
    assert failed.status == "pending" and failed.last_status == 500
