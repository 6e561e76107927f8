"""Unusable webhook URLs (D3): refused at load, and one bad send never sinks the batch.

httpx refuses URLs that a loose ``^https?://`` check lets through (a port that
is not a number, an unclosed IPv6 bracket, octal or full-width IPv4 digits ...).
Such a URL must be a configuration error (exit 2, naming the file, line, webhook
and key, never the URL's token), and if anything still raises while one alert is
sent, that is this alert's failed attempt: the others are sent and recorded once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from sqlalchemy import select

from alerts.config import WebhookConfig
from alerts.delivery import deliver_pending, send_test
from alerts.outgoing import Outgoing
from alerts.sender import Sender
from bulletins.config import ConfigError, load_config
from replica.receiver import WebhookReceiver
from storage.db import Database
from storage.models import Alert, AlertAttempt
from tests.alerts.conftest import FIGURE, SECRET, hook, store_document

TOKEN = "tok3nS3CRET"

BAD_URLS = [
    f"http://127.0.0.1:abc/ok?access_token={TOKEN}",
    f"http://[::1/x/{TOKEN}",
    f"http://0177.0.0.1:9911/{TOKEN}",
    f"http://１２７.０.０.１:9911/{TOKEN}",
    f"http://[::1]:abc/{TOKEN}",
    f"http://256.1.1.1/{TOKEN}",
    f"http://127.0.0.1:99999/{TOKEN}",
    f"http://127.0.0.1:0/{TOKEN}",
    f"http://:8080/{TOKEN}",
    f"https://user@/{TOKEN}",
    f"http://exa%20mple.org/{TOKEN}",
    f"http://hooks.example.org\\{TOKEN}",
    f"http://ex\u00a0ample.org/{TOKEN}",
    f"http://\u200bhooks.example.org/{TOKEN}",
    f"http://hooks.example.org:8o80/{TOKEN}",
    f"http://hooks\x7f.example.org/{TOKEN}",
]


def _url_line(path: Path) -> int:
    """The line of the poison webhook's `url` key (the last `url:` in the file)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return max(n for n, line in enumerate(lines, 1) if line.strip().startswith("url:"))


def _config(path: Path, url: str) -> Path:
    data = {
        "builtin_sources": False,
        "webhooks": [
            {"id": "good", "url": "https://hooks.example.org/ok"},
            {"id": "poison", "url": url, "secret": SECRET},
        ],
    }
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("url", BAD_URLS)
def test_an_unusable_url_is_a_config_error(tmp_path: Path, url: str) -> None:
    path = _config(tmp_path / "hooks.yaml", url)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = str(err.value)
    assert f"hooks.yaml:{_url_line(path)}:" in message
    assert "webhook 'poison'" in message and "url" in message
    assert TOKEN not in message


@pytest.mark.parametrize("url", BAD_URLS[:4])
def test_the_cli_exits_2_on_an_unusable_url(
    tmp_path: Path, url: str, cli: Callable[..., tuple[int, str, str]]
) -> None:
    path = _config(tmp_path / "hooks.yaml", url)
    code, out, err = cli("--config", str(path), "--db", f"sqlite:///{tmp_path}/x.db", "status")
    assert code == 2
    assert f"hooks.yaml:{_url_line(path)}:" in err and "webhook 'poison'" in err and "url" in err
    assert "Traceback" not in err and TOKEN not in out + err
    assert not (tmp_path / "x.db").exists()  # nothing was written anywhere


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.example.org/services/T0/B0/x",
        "http://127.0.0.1:8080/hook?x=1",
        "http://[::1]:9/x",
        "http://[2001:db8::1]/x",
        "https://bücher.example/hook",
        "http://hooks.example.org.:443/x",
        "http://2130706433:80/x",
        "http://0x7f000001/x",
        "https://u:p@hooks.example.org/x",
    ],
)
def test_usable_urls_still_load(url: str) -> None:
    from alerts.target import parse_target

    target = parse_target(WebhookConfig.model_validate({"id": "h", "url": url}).url)
    assert target.host and 1 <= target.port <= 65535


@given(
    st.lists(
        st.sampled_from(
            [*"ab09:/[]@%.?#-_\\ ", "１", "０", "\u200b", "\x00", "\x7f", "é", "xn--", "::1"]
        ),
        max_size=30,
    ).map("".join),
    st.sampled_from(["http://", "https://", "HTTP://", "http:/", "ftp://"]),
)
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_every_url_either_fails_validation_or_parses(rest: str, scheme: str) -> None:
    """What the config lets through is exactly what the sender can parse."""
    from alerts.target import parse_target

    try:
        webhook = WebhookConfig.model_validate({"id": "h", "url": scheme + rest})
    except ValidationError:
        return
    target = parse_target(webhook.url)
    assert target.host and 1 <= target.port <= 65535
    assert webhook.display_url.startswith(("http://", "https://"))


# --- one bad send among good ones ------------------------------------------------


def _slipped(url: str, **values: Any) -> WebhookConfig:
    """A webhook whose URL validation let through something the sender cannot use."""
    return hook("https://placeholder.example/", **values).model_copy(update={"url": url})


def test_an_unusable_webhook_fails_alone_and_the_others_are_recorded(
    db: Database, receivers: Callable[..., WebhookReceiver]
) -> None:
    good = receivers()
    other = receivers()
    hooks = [
        hook(good.url, id="good"),
        _slipped(f"http://127.0.0.1:abc/ok?access_token={TOKEN}", id="bad"),
        hook(other.url, id="other"),
        _slipped(f"http://[::1/x/{TOKEN}", id="bad2"),
    ]
    for _ in range(3):
        store_document(db, [FIGURE], webhooks=hooks)
    reports = [deliver_pending(db, hooks, workers=2) for _ in range(3)]
    first = reports[0]
    assert (first.attempted, first.delivered, first.retrying) == (12, 6, 6)
    assert all(r.delivered == 0 for r in reports[1:])  # nothing re-sent
    assert sorted(good.ack_counts().values()) == [1, 1, 1]
    assert sorted(other.ack_counts().values()) == [1, 1, 1]
    with db.session() as session:
        alerts = list(session.scalars(select(Alert)))
        attempts = list(session.scalars(select(AlertAttempt)))
    assert len(attempts) == 12
    for alert in alerts:
        if alert.webhook_id in ("good", "other"):
            assert alert.status == "delivered" and alert.attempts == 1
        else:
            assert alert.status == "pending" and alert.attempts == 1
            assert f"webhook {alert.webhook_id!r}" in (alert.last_error or "")
            assert TOKEN not in (alert.last_error or "")
    assert all(TOKEN not in line for r in reports for line in r.errors)


def test_an_exception_inside_the_sender_is_that_alerts_failed_attempt(
    db: Database, receivers: Callable[..., WebhookReceiver], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever raises (here a bug simulated in the sender) stays with its alert."""
    good = receivers()
    hooks = [hook(good.url, id="good"), hook(good.url.replace("/hook", "/boom"), id="boom")]
    real_send = Sender.send

    def send(self: Sender, webhook: WebhookConfig, outgoing: Outgoing) -> Any:
        if webhook.id == "boom":
            raise RuntimeError(f"unexpected failure near {outgoing.url}")
        return real_send(self, webhook, outgoing)

    monkeypatch.setattr(Sender, "send", send)
    store_document(db, [FIGURE], webhooks=hooks)
    report = deliver_pending(db, hooks)
    assert (report.delivered, report.retrying) == (1, 1)
    (line,) = report.errors
    assert "webhook 'boom'" in line and "RuntimeError" in line and "/boom" not in line


def test_sender_and_alerts_test_never_raise_on_an_unusable_url() -> None:
    webhook = _slipped(f"http://0177.0.0.1:9/{TOKEN}")
    outgoing = Outgoing(url=webhook.url, headers={}, body=b"{}")
    with Sender() as sender:
        result = sender.send(webhook, outgoing)
    assert not result.ok and "webhook 'analysts'" in (result.error or "")
    assert TOKEN not in (result.error or "")
    _id, tested = send_test(webhook)
    assert not tested.ok and TOKEN not in (tested.error or "")
