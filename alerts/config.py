"""The configuration schema of one webhook subscriber and its rules."""

from __future__ import annotations

import base64
import binascii
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

from alerts.target import parse_target

WEBHOOK_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")

Format = Literal["standard", "slack", "dingtalk", "feishu", "wecom"]


MAX_TIMEOUT = 300.0


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class RetryConfig(Strict):
    """Exponential backoff with equal jitter (see `alerts.backoff`).

    The nominal delay after failed attempt k (k = 1, 2, ...) is
    ``first_delay * factor**(k-1)``; the actual delay is drawn uniformly from
    [nominal/2, nominal]. After `attempts` failed attempts the alert is dead.
    """

    attempts: int = Field(default=8, ge=1, le=50)
    first_delay: float = Field(default=60.0, gt=0, le=7 * 86400)
    factor: float = Field(default=3.3, ge=1.0, le=10.0)


class RuleConfig(Strict):
    """A figure must pass every rule given; an absent rule lets everything through."""

    sources: list[str] | None = None
    metrics: list[str] | None = None
    topics: list[str] | None = None
    keywords: list[str] | None = None
    min_value: float | None = None


def standard_secret_key(secret: str) -> bytes:
    """The HMAC key of a Standard Webhooks secret: base64 after an optional ``whsec_``."""
    raw = secret.removeprefix("whsec_")
    try:
        key = base64.b64decode(raw + "=" * (-len(raw) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("a standard webhook secret must be whsec_<base64>") from None
    if not key:
        raise ValueError("a standard webhook secret must not be empty")
    return key


class WebhookConfig(Strict):
    id: str
    # A chat webhook's URL is itself a credential (Slack, DingTalk access_token ...):
    # it is kept out of reprs, and messages show `display_url` instead.
    url: str = Field(repr=False)
    secret: SecretStr | None = None
    format: Format = "standard"
    allow_private_network: bool = False
    # The whole send (connect, request, answer) must be over within `timeout` seconds.
    timeout: float = Field(default=10.0, gt=0, le=MAX_TIMEOUT)
    retry: RetryConfig = RetryConfig()
    rules: RuleConfig = RuleConfig()
    enabled: bool = True

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not WEBHOOK_ID.match(value):
            raise ValueError("must be a lowercase slug: letters, digits, '-' or '_'")
        return value

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        parse_target(value)  # what loads is what the sender can use (ValueError if not)
        return value

    @field_validator("secret")
    @classmethod
    def _secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        raw = value.get_secret_value()
        if raw.startswith("whsec_"):
            standard_secret_key(raw)
        return value

    @model_validator(mode="after")
    def _standard_secret(self) -> WebhookConfig:
        if self.format == "standard" and self.secret is not None:
            standard_secret_key(self.secret.get_secret_value())
        return self

    @property
    def display_url(self) -> str:
        """The URL without user info, path or query (which may carry a token), safe to print."""
        try:
            return parse_target(self.url).display()
        except ValueError:
            return "(an unusable URL)"
