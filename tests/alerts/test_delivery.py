"""Delivery to a real receiver on 127.0.0.1 (on SQLite and PostgreSQL)."""

from __future__ import annotations

import itertools
import json
import logging
import socket
import threading
import time
from collections.abc import Callable, Sequence
from datetime import timedelta

import pytest
from sqlalchemy import select

from alerts.config import RetryConfig, WebhookConfig
from alerts.delivery import DeliveryReport, deliver_pending
from replica.receiver import WebhookReceiver
from storage.db import Database
from storage.models import Alert, AlertAttempt, utcnow
from tests.alerts.conftest import ARRESTS, FIGURE, hook, store_document


def enqueue(db: Database, hooks: Sequence[WebhookConfig], n: int) -> None:
    for i in range(n):
        store_document(db, [FIGURE, ARRESTS] if i % 2 else [FIGURE], webhooks=hooks)


def alerts_of(db: Database) -> list[Alert]:
    with db.session() as session:
        return list(session.scalars(select(Alert).order_by(Alert.id)))


def attempts_of(db: Database, alert_id: str) -> list[AlertAttempt]:
    with db.session() as session:
        return list(
            session.scalars(
                select(AlertAttempt)
                .where(AlertAttempt.alert_id == alert_id)
                .order_by(AlertAttempt.id)
            )
        )


def deliver_until_done(
    db: Database, hooks: Sequence[WebhookConfig], *, timeout: float = 120.0, pause: float = 0.01
) -> list[DeliveryReport]:
    reports = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        reports.append(deliver_pending(db, hooks))
        if all(a.status != "pending" for a in alerts_of(db)):
            return reports
        time.sleep(pause)
    raise AssertionError("alerts still pending after the timeout")


def assert_each_alert_acked_once(db: Database, receiver: WebhookReceiver) -> None:
    ids = {a.id for a in alerts_of(db)}
    counts = receiver.ack_counts()
    assert set(counts) == ids
    assert all(count == 1 for count in counts.values()), counts
    assert all(r.verified for r in receiver.snapshot())


def test_delivers_signed_alerts(db: Database, receiver: WebhookReceiver) -> None:
    hooks = [hook(receiver.url)]
    enqueue(db, hooks, 5)
    store_document(db, [], webhooks=hooks)  # no figures: no alert
    report = deliver_pending(db, hooks)
    assert (report.attempted, report.delivered, report.failed) == (5, 5, 0) and report.ok
    assert_each_alert_acked_once(db, receiver)
    stored = {a.id: a for a in alerts_of(db)}
    for request in receiver.snapshot():
        alert = stored[request.msg_id]
        assert json.loads(request.body) == alert.payload
        assert request.headers["content-type"].startswith("application/json")
        assert request.headers["host"] == f"127.0.0.1:{receiver.port}"
        assert abs(int(request.headers["webhook-timestamp"]) - time.time()) < 30
        assert alert.status == "delivered" and alert.attempts == 1 and alert.last_status == 200
        assert alert.delivered_at is not None and alert.lease_until is None
        (attempt,) = attempts_of(db, alert.id)
        assert attempt.status_code == 200 and attempt.error is None
    assert deliver_pending(db, hooks).attempted == 0  # nothing due any more


def test_500_then_recovery_follows_the_backoff(
    db: Database, receivers: Callable[..., WebhookReceiver]
) -> None:
    receiver = receivers(responder=lambda r, nth: (500, 0.0) if nth < 3 else (200, 0.0))
    first = 0.1
    hooks = [hook(receiver.url, retry={"attempts": 8, "first_delay": first, "factor": 2})]
    enqueue(db, hooks, 6)
    deliver_until_done(db, hooks)
    assert_each_alert_acked_once(db, receiver)
    for msg_id, requests in receiver.attempts_by_id().items():
        assert [r.status for r in requests] == [500, 500, 500, 200]
        gaps = [b.at - a.at for a, b in itertools.pairwise(requests)]
        for k, gap in enumerate(gaps, start=1):
            nominal = first * 2 ** (k - 1)
            # The backoff is a lower bound; the jitter's upper bound is checked on a
            # controlled clock (a wall-clock upper bound would fail on a loaded machine).
            assert nominal / 2 - 0.01 <= gap, (k, gap)
        attempts = attempts_of(db, msg_id)
        assert [a.status_code for a in attempts] == [500, 500, 500, 200]
        assert "HTTP 500" in (attempts[0].error or "")
    assert all(a.attempts == 4 for a in alerts_of(db))


def test_timeouts_then_recovery(db: Database, receivers: Callable[..., WebhookReceiver]) -> None:
    # The first answers come far past the deadline, the retries at once: a deadline of
    # 2 s separates them however loaded the machine.
    receiver = receivers(responder=lambda r, nth: (503, 30.0) if nth == 0 else (200, 0.0))
    hooks = [hook(receiver.url, timeout=2.0, retry={"first_delay": 0.05})]
    enqueue(db, hooks, 4)
    report = deliver_pending(db, hooks)
    assert report.retrying == 4 and not report.ok
    assert all(
        "timed out: no complete answer within 2s (ReadTimeout" in (a.last_error or "")
        for a in alerts_of(db)
    )
    deliver_until_done(db, hooks)
    assert_each_alert_acked_once(db, receiver)
    assert all(len(rs) == 2 for rs in receiver.attempts_by_id().values())


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_receiver_down_for_a_while_loses_nothing(
    db: Database, receivers: Callable[..., WebhookReceiver]
) -> None:
    port = _free_port()
    hooks = [hook(f"http://127.0.0.1:{port}/hook", retry={"attempts": 20, "first_delay": 0.05})]
    enqueue(db, hooks, 8)
    deadline = time.monotonic() + 120
    while not all(a.attempts >= 2 for a in alerts_of(db)):  # each refused twice at least
        assert time.monotonic() < deadline, "no second attempt within 120 s"
        deliver_pending(db, hooks)
        time.sleep(0.02)  # the retry's backoff (first_delay 0.05 s)
    alerts = alerts_of(db)
    assert all(a.status == "pending" and a.attempts >= 2 for a in alerts)
    assert "cannot connect to 127.0.0.1" in (alerts[0].last_error or "")
    receiver = receivers(port=port)
    deliver_until_done(db, hooks)
    assert_each_alert_acked_once(db, receiver)


def test_backoff_with_a_controlled_clock(
    db: Database, receivers: Callable[..., WebhookReceiver]
) -> None:
    receiver = receivers(responder=lambda r, nth: (500, 0.0))
    hooks = [hook(receiver.url, retry={"attempts": 4, "first_delay": 60})]
    enqueue(db, hooks, 1)
    now = utcnow()
    assert deliver_pending(db, hooks, now=now).retrying == 1
    for failed in (1, 2, 3):
        (alert,) = alerts_of(db)
        assert alert.status == "pending" and alert.attempts == failed
        wait = (alert.next_attempt_at - now).total_seconds()
        nominal = 60 * RetryConfig().factor ** (failed - 1)
        assert nominal / 2 <= wait <= nominal  # equal jitter
        assert deliver_pending(db, hooks, now=now + timedelta(seconds=wait - 1)).attempted == 0
        now = alert.next_attempt_at
        assert deliver_pending(db, hooks, now=now).attempted == 1
    (alert,) = alerts_of(db)
    assert alert.status == "dead" and alert.attempts == 4
    assert len(receiver.snapshot()) == 4
    far = now + timedelta(days=30)
    assert deliver_pending(db, hooks, now=far).attempted == 0  # dead alerts are kept, not retried


def test_dead_alerts_are_kept_and_can_be_retried(
    db: Database, receivers: Callable[..., WebhookReceiver]
) -> None:
    from alerts.admin import list_alerts, retry_dead

    broken = {"on": True}
    receiver = receivers(responder=lambda r, nth: (500, 0.0) if broken["on"] else (204, 0.0))
    hooks = [hook(receiver.url, retry={"attempts": 2, "first_delay": 0.02})]
    enqueue(db, hooks, 3)
    deliver_until_done(db, hooks)
    with db.session() as session:
        dead = list_alerts(session, status="dead")
    assert len(dead) == 3 and all(a.attempts == 2 for a in dead)
    broken["on"] = False
    with db.session() as session, session.begin():
        assert retry_dead(session) == 3
    assert all(a.status == "pending" and a.attempts == 0 for a in alerts_of(db))
    reports = deliver_until_done(db, hooks)
    assert sum(r.delivered for r in reports) == 3
    assert all(a.status == "delivered" for a in alerts_of(db))
    assert set(receiver.acked()) == {a.id for a in alerts_of(db)}


def test_redirects_are_not_followed(
    db: Database, receivers: Callable[..., WebhookReceiver]
) -> None:
    receiver = receivers(responder=lambda r, nth: (302, 0.0))
    hooks = [hook(receiver.url)]
    enqueue(db, hooks, 1)
    report = deliver_pending(db, hooks)
    assert report.retrying == 1
    assert [r.path for r in receiver.snapshot()] == ["/hook"]
    assert "redirects are not followed" in (alerts_of(db)[0].last_error or "")


def test_unconfigured_webhook_leaves_its_alerts_pending(
    db: Database, receiver: WebhookReceiver
) -> None:
    gone = hook(receiver.url, id="gone")
    enqueue(db, [gone], 2)
    off = hook(receiver.url, id="gone", enabled=False)
    report = deliver_pending(db, [hook(receiver.url, id="other")])
    assert report.attempted == 0 and report.unconfigured == 2
    for alert in alerts_of(db):
        assert alert.status == "pending" and alert.attempts == 0
        assert "webhook 'gone' is not in the configuration" in (alert.last_error or "")
    assert deliver_pending(db, [off]).unconfigured == 2
    assert "webhook 'gone' is disabled" in (alerts_of(db)[0].last_error or "")
    assert receiver.snapshot() == []
    assert deliver_pending(db, [gone]).delivered == 2


def test_concurrent_deliverers_never_send_the_same_alert(
    db: Database, receivers: Callable[..., WebhookReceiver]
) -> None:
    receiver = receivers(responder=lambda r, nth: (200, 0.01))
    hooks = [hook(receiver.url)]
    enqueue(db, hooks, 60)
    reports: list[DeliveryReport] = []

    def run() -> None:
        reports.append(deliver_pending(db, hooks, batch=7, workers=3))

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    deliver_until_done(db, hooks)
    assert len(receiver.snapshot()) == 60  # each alert sent exactly once
    assert_each_alert_acked_once(db, receiver)
    assert sum(r.delivered for r in reports) == 60


def test_chat_format_delivery_checks_the_platform_answer(
    db: Database, receivers: Callable[..., WebhookReceiver]
) -> None:
    ok = receivers(secret=None, body=b'{"errcode":0,"errmsg":"ok"}')
    bad = receivers(secret=None, body=b'{"errcode":310000,"errmsg":"sign not match"}')
    token_url = "/robot/send?access_token=tok-SECRET-123"
    hooks = [
        hook(ok.url + token_url, id="ding", format="dingtalk", secret="SECdingsecret"),
        hook(bad.url + token_url, id="ding-bad", format="dingtalk", secret="SECdingsecret"),
    ]
    enqueue(db, hooks, 1)
    report = deliver_pending(db, hooks)
    assert report.delivered == 1 and report.retrying == 1
    (request,) = ok.snapshot()
    body = json.loads(request.body)
    assert body["msgtype"] == "markdown" and "27" in body["markdown"]["text"]
    assert "access_token=tok-SECRET-123" in request.query
    assert "timestamp=" in request.query and "sign=" in request.query
    failed = next(a for a in alerts_of(db) if a.webhook_id == "ding-bad")
    assert "errcode 310000: sign not match" in (failed.last_error or "")
    assert "tok-SECRET-123" not in (failed.last_error or "")


def test_failures_never_log_secrets_or_url_tokens(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    port = _free_port()
    secret = "SECsupersecretvalue"
    hooks = [
        hook(
            f"http://127.0.0.1:{port}/robot/send?access_token=tok-XYZ",
            id="ding",
            format="dingtalk",
            secret=secret,
        ),
        hook(f"http://127.0.0.1:{port}/hook?token=tok-XYZ", id="std"),
    ]
    enqueue(db, hooks, 1)
    with caplog.at_level(logging.DEBUG):
        report = deliver_pending(db, hooks)
    assert report.retrying == 2
    texts = [caplog.text, str(report), *report.errors, *(a.last_error or "" for a in alerts_of(db))]
    for text in texts:
        assert secret not in text and "tok-XYZ" not in text and "whsec_" not in text
