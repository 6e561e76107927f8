"""The guard on real sends: a listener on 127.0.0.2 receives nothing unless allowed."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from alerts.delivery import deliver_pending, send_test
from replica.receiver import WebhookReceiver
from storage.db import Database
from storage.models import Alert, AlertAttempt
from tests.alerts.conftest import FIGURE, hook, store_document

HOSTNAME = "hooks.bulletins.test"


@pytest.fixture
def listener(receivers: Callable[..., WebhookReceiver]) -> WebhookReceiver:
    return receivers(host="127.0.0.2")


@pytest.fixture
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    """HOSTNAME resolves to 127.0.0.2 in this process; everything else as usual."""
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host == HOSTNAME:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.2", int(port)))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def urls(listener: WebhookReceiver) -> list[str]:
    return [
        f"http://127.0.0.2:{listener.port}/hook",
        f"http://2130706434:{listener.port}/hook",
        f"http://0x7f000002:{listener.port}/hook",
        f"http://{HOSTNAME}:{listener.port}/hook",
    ]


@pytest.mark.usefixtures("fake_dns")
def test_private_listener_is_refused_by_every_spelling(
    db: Database, listener: WebhookReceiver
) -> None:
    hooks = [
        hook(url, id=f"h{i}", allow_private_network=False) for i, url in enumerate(urls(listener))
    ]
    store_document(db, [FIGURE], webhooks=hooks)
    report = deliver_pending(db, hooks)
    assert report.attempted == 4 and report.refused == 4 and report.dead == 4
    assert listener.snapshot() == []
    with db.session() as session:
        alerts = list(session.scalars(select(Alert).order_by(Alert.webhook_id)))
        attempts = list(session.scalars(select(AlertAttempt)))
    assert len(attempts) == 4 and all(a.status_code is None for a in attempts)
    for alert in alerts:
        assert alert.status == "dead"  # refused: parked at once, `alerts retry` re-queues
        message = alert.last_error or ""
        assert f"webhook {alert.webhook_id!r}" in message
        assert "refused to connect to 127.0.0.2" in message
        assert "loopback" in message and "allow_private_network" in message
    assert "resolved from hooks.bulletins.test" in (alerts[3].last_error or "")
    assert "resolved from 2130706434" in (alerts[1].last_error or "")


@pytest.mark.usefixtures("fake_dns")
def test_allow_private_network_lets_it_through(db: Database, listener: WebhookReceiver) -> None:
    hooks = [
        hook(url, id=f"h{i}", allow_private_network=True) for i, url in enumerate(urls(listener))
    ]
    store_document(db, [FIGURE], webhooks=hooks)
    report = deliver_pending(db, hooks)
    assert report.delivered == 4
    received = listener.snapshot()
    assert len(received) == 4 and all(r.verified for r in received)
    hosts = sorted(r.headers["host"] for r in received)
    assert f"{HOSTNAME}:{listener.port}" in hosts  # the name is kept in the Host header
    assert f"2130706434:{listener.port}" in hosts


def test_alerts_test_is_refused_too(listener: WebhookReceiver) -> None:
    _id, result = send_test(hook(f"http://127.0.0.2:{listener.port}/", allow_private_network=False))
    assert not result.ok and result.refused and result.status_code is None
    assert "webhook 'analysts': refused to connect to 127.0.0.2" in (result.error or "")
    assert listener.snapshot() == []


def test_connection_goes_to_the_checked_address(
    listener: WebhookReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A resolver answering differently the second time cannot redirect the connection."""
    real = socket.getaddrinfo
    answers = iter(["127.0.0.2", "127.0.0.3"])  # the second answer would go elsewhere
    calls: list[str] = []

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(str(host))
        if host == HOSTNAME:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), int(port)))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    webhook = hook(f"http://{HOSTNAME}:{listener.port}/hook", allow_private_network=True)
    _id, result = send_test(webhook)
    assert result.ok and result.address == "127.0.0.2"
    assert calls.count(HOSTNAME) == 1  # resolved once; httpx was handed the IP
    assert len(listener.snapshot()) == 1
