"""Signatures: Standard Webhooks, DingTalk and Feishu.

- Standard Webhooks: ``webhook-signature: v1,<base64 HMAC-SHA256>`` of
  ``"{webhook-id}.{webhook-timestamp}.{body}"``, keyed with the base64-decoded
  secret after ``whsec_``.
- DingTalk custom robot ("加签"): HMAC-SHA256 keyed with the secret over
  ``"{timestamp_ms}\\n{secret}"``, base64, URL-encoded, sent as the `timestamp`
  and `sign` query parameters.
- Feishu custom bot ("签名校验"): HMAC-SHA256 keyed with ``"{timestamp_s}\\n{secret}"``
  over an empty message, base64, sent as the `timestamp` and `sign` body fields.

Secrets arrive as `SecretStr` and are unwrapped only here, at the HMAC call.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import quote_plus

from pydantic import SecretStr

from alerts.config import standard_secret_key


def _b64_hmac(key: bytes, message: bytes) -> str:
    return base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode("ascii")


def standard_signature(secret: SecretStr, msg_id: str, timestamp: int, body: bytes) -> str:
    """The value of the ``webhook-signature`` header: ``v1,<base64>``."""
    key = standard_secret_key(secret.get_secret_value())
    signed = f"{msg_id}.{timestamp}.".encode() + body
    return f"v1,{_b64_hmac(key, signed)}"


def standard_headers(
    msg_id: str, timestamp: int, body: bytes, secret: SecretStr | None
) -> dict[str, str]:
    """The Standard Webhooks headers (no signature header without a secret)."""
    headers = {"webhook-id": msg_id, "webhook-timestamp": str(timestamp)}
    if secret is not None:
        headers["webhook-signature"] = standard_signature(secret, msg_id, timestamp, body)
    return headers


def dingtalk_sign(secret: SecretStr, timestamp_ms: int) -> str:
    """DingTalk's `sign` before URL encoding (base64 of the HMAC)."""
    raw = secret.get_secret_value()
    return _b64_hmac(raw.encode(), f"{timestamp_ms}\n{raw}".encode())


def dingtalk_query(secret: SecretStr, timestamp_ms: int) -> str:
    """The ``timestamp=…&sign=…`` query string to append to a DingTalk robot URL."""
    return f"timestamp={timestamp_ms}&sign={quote_plus(dingtalk_sign(secret, timestamp_ms))}"


def feishu_sign(secret: SecretStr, timestamp_s: int) -> str:
    """Feishu's `sign` body field: the string to sign is the HMAC key, the message empty."""
    key = f"{timestamp_s}\n{secret.get_secret_value()}".encode()
    return _b64_hmac(key, b"")
