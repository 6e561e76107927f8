"""Signatures against independent computations (the standardwebhooks package, the
platforms' documented recipes written out again here)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.parse

import pytest
from pydantic import SecretStr, ValidationError
from standardwebhooks.webhooks import Webhook

from alerts.config import WebhookConfig
from alerts.outgoing import prepare
from alerts.payloads import sample_payload
from alerts.signing import dingtalk_query, dingtalk_sign, feishu_sign, standard_headers
from storage.models import utcnow
from tests.alerts.conftest import SECRET


def test_standard_signature_verifies_with_standardwebhooks() -> None:
    body = json.dumps({"type": "bulletin.test", "data": {"x": "跨境赌博"}}, ensure_ascii=False)
    ts = int(time.time())
    headers = standard_headers("msg_abc", ts, body.encode(), SecretStr(SECRET))
    assert headers["webhook-id"] == "msg_abc"
    assert headers["webhook-timestamp"] == str(ts)
    assert headers["webhook-signature"].startswith("v1,")
    assert Webhook(SECRET).verify(body.encode(), headers) == json.loads(body)


def test_prepared_standard_request_verifies() -> None:
    webhook = WebhookConfig(id="a", url="https://hooks.example.org/x", secret=SecretStr(SECRET))
    out = prepare(webhook, "msg_1", sample_payload("a", utcnow()))
    verified = Webhook(SECRET).verify(out.body, out.headers)
    assert verified["type"] == "bulletin.test"
    assert out.headers["webhook-id"] == "msg_1"


def test_standard_without_secret_sends_no_signature() -> None:
    webhook = WebhookConfig(id="a", url="https://hooks.example.org/x")
    out = prepare(webhook, "msg_1", sample_payload("a", utcnow()))
    assert "webhook-signature" not in out.headers and out.headers["webhook-id"] == "msg_1"


def test_standard_secret_must_be_base64() -> None:
    with pytest.raises(ValidationError, match="whsec_"):
        WebhookConfig(id="a", url="https://h.example/x", secret=SecretStr("whsec_***not base64"))
    with pytest.raises(ValidationError, match="whsec_"):
        WebhookConfig(id="a", url="https://h.example/x", secret=SecretStr("plain words!"))
    # chat formats take the platform's own secret as it is
    WebhookConfig(id="a", url="https://h.example/x", format="dingtalk", secret=SecretStr("SECabc!"))


DING_SECRET = "SEC2b8f1c3e9a7d4b5c6e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2"


def test_dingtalk_sign_matches_the_documented_recipe() -> None:
    timestamp = 1718000000123
    string_to_sign = f"{timestamp}\n{DING_SECRET}"
    digest = hmac.new(
        DING_SECRET.encode("utf-8"), string_to_sign.encode("utf-8"), digestmod=hashlib.sha256
    ).digest()
    expected = urllib.parse.quote_plus(base64.b64encode(digest))
    assert urllib.parse.quote_plus(dingtalk_sign(SecretStr(DING_SECRET), timestamp)) == expected
    assert dingtalk_query(SecretStr(DING_SECRET), timestamp) == (
        f"timestamp={timestamp}&sign={expected}"
    )


def test_dingtalk_request_carries_timestamp_and_sign_in_the_query() -> None:
    url = "https://oapi.dingtalk.com/robot/send?access_token=tok123"
    webhook = WebhookConfig(id="d", url=url, format="dingtalk", secret=SecretStr(DING_SECRET))
    out = prepare(webhook, "msg_1", sample_payload("d", utcnow()), clock=lambda: 1718000000.123)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(out.url).query)
    assert query["access_token"] == ["tok123"]
    assert query["timestamp"] == ["1718000000123"]
    digest = hmac.new(
        DING_SECRET.encode(), f"1718000000123\n{DING_SECRET}".encode(), hashlib.sha256
    ).digest()
    assert query["sign"] == [base64.b64encode(digest).decode()]
    assert "webhook-signature" not in out.headers


FEISHU_SECRET = "demo-feishu-secret-8Qk2"


def test_feishu_sign_matches_the_documented_recipe() -> None:
    timestamp = 1718000000
    string_to_sign = f"{timestamp}\n{FEISHU_SECRET}"
    digest = hmac.new(string_to_sign.encode("utf-8"), digestmod=hashlib.sha256).digest()
    assert feishu_sign(SecretStr(FEISHU_SECRET), timestamp) == base64.b64encode(digest).decode()


def test_feishu_request_carries_timestamp_and_sign_in_the_body() -> None:
    webhook = WebhookConfig(
        id="f",
        url="https://open.feishu.cn/open-apis/bot/v2/hook/abc",
        format="feishu",
        secret=SecretStr(FEISHU_SECRET),
    )
    out = prepare(webhook, "msg_1", sample_payload("f", utcnow()), clock=lambda: 1718000000.9)
    body = json.loads(out.body)
    assert body["timestamp"] == "1718000000"
    digest = hmac.new(f"1718000000\n{FEISHU_SECRET}".encode(), b"", hashlib.sha256).digest()
    assert body["sign"] == base64.b64encode(digest).decode()
    assert body["msg_type"] == "interactive"
    assert out.url == webhook.url


def test_secrets_stay_out_of_reprs() -> None:
    url = "https://oapi.dingtalk.com/robot/send?access_token=tok-very-secret"
    webhook = WebhookConfig(id="d", url=url, format="dingtalk", secret=SecretStr(DING_SECRET))
    for text in (repr(webhook), str(webhook), webhook.display_url):
        assert DING_SECRET not in text and "tok-very-secret" not in text
    out = prepare(webhook, "msg_1", sample_payload("d", utcnow()))
    assert "tok-very-secret" not in repr(out)
