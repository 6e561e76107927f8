"""No webhook credential in any log line, at any level (D2).

A chat webhook's URL is a credential (DingTalk ``access_token``, Slack and WeCom
path or query tokens, a Standard Webhooks URL with a token in its path), and so
are the signing secret and DingTalk's per-request ``sign``. The commands run at
DEBUG against real receivers on loopback; the whole captured output (log, stdout)
must mention none of them, in plain or URL-encoded form.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, quote_plus

import pytest
import yaml

from replica.receiver import WebhookReceiver
from storage.db import Database
from tests.alerts.conftest import FIGURE, SECRET, store_document
from tests.conftest import ROOT

TOKENS: set[str] = set()


def _token(kind: str) -> str:
    token = f"{kind}{secrets.token_hex(12)}"
    TOKENS.add(token)
    return token


def _webhooks(receiver: WebhookReceiver) -> list[dict[str, Any]]:
    base = f"http://127.0.0.1:{receiver.port}"
    return [
        {
            "id": "ding",
            "format": "dingtalk",
            "url": f"{base}/robot/send?access_token={_token('dingtok')}",
            "secret": _token("SECding"),
        },
        {"id": "slack", "format": "slack", "url": f"{base}/services/T0/B0/{_token('slacktok')}"},
        {
            "id": "wecom",
            "format": "wecom",
            "url": f"{base}/cgi-bin/webhook/send?key={_token('wecomkey')}",
        },
        {
            "id": "feishu",
            "format": "feishu",
            "url": f"{base}/open-apis/bot/v2/hook/{_token('feishutok')}",
            "secret": _token("feishusec"),
        },
        {"id": "std", "url": f"{base}/hooks/{_token('stdpath')}?auth={_token('stdq')}"},
        {"id": "user", "url": f"http://u:{_token('pw')}@127.0.0.1:{receiver.port}/x"},
    ]


def _secrets(hooks: list[dict[str, Any]], receiver: WebhookReceiver) -> set[str]:
    found: set[str] = {SECRET, SECRET.removeprefix("whsec_")}
    for hook in hooks:
        url = hook["url"]
        found.add(url)
        path_and_query = url.split("://", 1)[1].split("/", 1)[1]
        if len(path_and_query) > 8:
            found.add(path_and_query)
        found.update(token for token in TOKENS if token in url or token == hook.get("secret"))
    for request in receiver.snapshot():
        for key, values in parse_qs(request.query).items():
            if key in ("sign", "access_token", "key", "auth"):
                found.update(values)
        body = json.loads(request.body or b"{}")
        if isinstance(body, dict) and "sign" in body:
            found.add(body["sign"])
    return found | {quote(s, safe="") for s in found} | {quote_plus(s) for s in found}


def _assert_clean(text: str, hooks: list[dict[str, Any]], receiver: WebhookReceiver) -> None:
    assert "DEBUG" in text or '"level": "debug"' in text, "the log was not at DEBUG"
    leaked = sorted(s for s in _secrets(hooks, receiver) if s and s in text)
    assert not leaked, f"secrets in the log: {leaked}"


def _config(path: Path, database_url: str, hooks: list[dict[str, Any]]) -> Path:
    for hook in hooks:
        hook.setdefault("allow_private_network", True)
    data = {"database": database_url, "builtin_sources": False, "webhooks": hooks}
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_alerts_test_at_debug_logs_no_credential(
    sqlite_url: str,
    tmp_path: Path,
    receivers: Callable[..., WebhookReceiver],
    cli: Callable[..., tuple[int, str, str]],
) -> None:
    receiver = receivers(secret=None, body=b'{"errcode": 0, "code": 0}')
    hooks = _webhooks(receiver)
    config = str(_config(tmp_path / "c.yaml", sqlite_url, hooks))
    captured = []
    for hook in hooks:
        argv = ("--config", config, "--log-level", "DEBUG", "alerts", "test", hook["id"])
        code, out, err = cli(*argv)
        assert code == 0, err
        captured.append(out + err)
    assert len(receiver.snapshot()) == len(hooks)
    assert any("sign=" in r.query for r in receiver.snapshot())  # DingTalk's sign was sent
    _assert_clean("\n".join(captured), hooks, receiver)


def test_alerts_deliver_at_debug_logs_no_credential(
    db: Database,
    database_url: str,
    tmp_path: Path,
    receivers: Callable[..., WebhookReceiver],
    cli: Callable[..., tuple[int, str, str]],
) -> None:
    from alerts.config import WebhookConfig

    good = receivers(secret=None, body=b'{"errcode": 0}')
    failing = receivers(secret=None, responder=lambda r, nth: (500, 0.0), body=b"no")
    hooks = _webhooks(good)
    broken = {"id": "broken", "url": f"http://127.0.0.1:{failing.port}/p/{_token('stdpath')}"}
    hooks.append(broken)
    configs = [WebhookConfig.model_validate({**h, "allow_private_network": True}) for h in hooks]
    store_document(db, [FIGURE], webhooks=configs)
    config = str(_config(tmp_path / "c.yaml", database_url, hooks))
    code, out, err = cli("--config", config, "--log-level", "DEBUG", "alerts", "deliver")
    assert code == 1 and "6 delivered" in out and "HTTP 500" in err
    _assert_clean(out + err, hooks, good)
    _assert_clean(out + err, [broken], failing)


def test_a_real_process_at_debug_in_json_logs_no_credential(
    db: Database, database_url: str, tmp_path: Path, receivers: Callable[..., WebhookReceiver]
) -> None:
    from alerts.config import WebhookConfig

    receiver = receivers(secret=None, body=b'{"errcode": 0}')
    hooks = _webhooks(receiver)
    configs = [WebhookConfig.model_validate({**h, "allow_private_network": True}) for h in hooks]
    store_document(db, [FIGURE], webhooks=configs)
    config = _config(tmp_path / "c.yaml", database_url, hooks)
    env = {k: v for k, v in os.environ.items() if not k.startswith("BULLETINS_")}
    argv = ["--config", str(config), "--log-level", "DEBUG", "--log-format", "json"]
    done = subprocess.run(
        [sys.executable, "-m", "bulletins.cli", *argv, "alerts", "deliver"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert len(receiver.snapshot()) == len(hooks)
    _assert_clean(done.stdout + done.stderr, hooks, receiver)


@pytest.mark.parametrize("level", ["INFO", "DEBUG"])
def test_our_own_failure_lines_name_no_credential(
    level: str,
    sqlite_url: str,
    tmp_path: Path,
    receivers: Callable[..., WebhookReceiver],
    cli: Callable[..., tuple[int, str, str]],
) -> None:
    """A failing send's error (stored, printed, logged) shows the id and host, not the token."""
    receiver = receivers(secret=None, responder=lambda r, nth: (403, 0.0), body=b"denied")
    hooks = _webhooks(receiver)
    config = str(_config(tmp_path / "c.yaml", sqlite_url, hooks))
    for hook in hooks:
        code, out, err = cli("--config", config, "--log-level", level, "alerts", "test", hook["id"])
        assert code == 1 and "HTTP 403" in out + err
        text = out + err
        leaked = sorted(s for s in _secrets(hooks, receiver) if s and s in text)
        assert not leaked, f"secrets in the output: {leaked}"
