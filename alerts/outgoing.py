"""The HTTP request of one alert for one webhook, and how to read its response.

`prepare` renders the stored standard payload in the webhook's format, serializes
it once and signs exactly those bytes: Standard Webhooks headers for
``standard``, a signed query for DingTalk, signed body fields for Feishu.
`response_error` says whether a response acknowledges the message: a 2xx, and
for DingTalk, Feishu and WeCom also ``errcode``/``code`` 0 in the JSON body
(those platforms answer 200 to a bad signature).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from alerts.config import WebhookConfig
from alerts.formats import render
from alerts.payloads import dumps
from alerts.signing import dingtalk_query, feishu_sign, standard_headers

USER_AGENT = "BulletinWatch-Webhooks/0.1"


@dataclass(frozen=True)
class Outgoing:
    url: str = field(repr=False)
    headers: dict[str, str]
    body: bytes = field(repr=False)


def prepare(
    webhook: WebhookConfig,
    msg_id: str,
    payload: Mapping[str, Any],
    *,
    clock: Callable[[], float] = time.time,
) -> Outgoing:
    """The signed request that carries `payload` (a standard payload) to `webhook`."""
    now = clock()
    headers = {"content-type": "application/json; charset=utf-8", "user-agent": USER_AGENT}
    url = webhook.url
    body_obj = render(webhook.format, payload)
    if webhook.format == "feishu" and webhook.secret is not None:
        timestamp_s = int(now)
        body_obj = {
            "timestamp": str(timestamp_s),
            "sign": feishu_sign(webhook.secret, timestamp_s),
            **body_obj,
        }
    if webhook.format == "dingtalk" and webhook.secret is not None:
        sep = "&" if "?" in url else "?"
        url = f"{url}{sep}{dingtalk_query(webhook.secret, int(now * 1000))}"
    body = dumps(body_obj)
    if webhook.format == "standard":
        headers.update(standard_headers(msg_id, int(now), body, webhook.secret))
    return Outgoing(url=url, headers=headers, body=body)


def response_error(webhook: WebhookConfig, status: int, body: str) -> str | None:
    """None when the response acknowledges the message, else why it does not."""
    if 300 <= status < 400:
        return f"HTTP {status}: redirects are not followed"
    if not 200 <= status < 300:
        excerpt = " ".join(body.split())[:200]
        return f"HTTP {status}" + (f": {excerpt}" if excerpt else "")
    if webhook.format in ("dingtalk", "wecom", "feishu"):
        try:
            answer = json.loads(body) if body.strip() else {}
        except ValueError:
            return None
        if not isinstance(answer, dict):
            return None
        for key in ("errcode", "code", "StatusCode"):
            code = answer.get(key)
            if code not in (None, 0, "0"):
                message = answer.get("errmsg") or answer.get("msg") or answer.get("StatusMessage")
                return f"{webhook.format} rejected the message: {key} {code}: {message}"
    return None
