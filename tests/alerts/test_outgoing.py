from __future__ import annotations

import pytest

from alerts.outgoing import response_error
from tests.alerts.conftest import hook

URL = "https://hooks.example.org/x"


@pytest.mark.parametrize(
    ("fmt", "status", "body", "ok"),
    [
        ("standard", 200, "", True),
        ("standard", 204, "", True),
        ("standard", 301, "", False),
        ("standard", 404, "not found", False),
        ("standard", 500, "boom", False),
        ("slack", 200, "ok", True),
        ("slack", 400, "invalid_blocks", False),
        ("dingtalk", 200, '{"errcode":0,"errmsg":"ok"}', True),
        ("dingtalk", 200, '{"errcode":310000,"errmsg":"sign not match"}', False),
        ("wecom", 200, '{"errcode":93000,"errmsg":"invalid webhook url"}', False),
        ("wecom", 200, '{"errcode":0,"errmsg":"ok"}', True),
        ("feishu", 200, '{"code":0,"msg":"success","data":{}}', True),
        ("feishu", 200, '{"StatusCode":0,"StatusMessage":"success"}', True),
        (
            "feishu",
            200,
            '{"code":19021,"msg":"sign match fail or timestamp is not within one hour"}',
            False,
        ),
        ("feishu", 200, "not json", True),
    ],
)
def test_response_error(fmt: str, status: int, body: str, ok: bool) -> None:
    webhook = hook(URL, format=fmt, secret=None)
    error = response_error(webhook, status, body)
    assert (error is None) is ok
    if not ok:
        assert error
