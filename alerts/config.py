"""The configuration schema of one webhook subscriber and its rules."""

from __future__ import annotations

import base64
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

WEBHOOK_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RetryConfig(Strict):
    """Exponential backoff: the delay before attempt k+1 is first_delay * 2**(k-1), jittered."""

    attempts: int = Field(default=8, ge=1, le=50)
    first_delay: float = Field(default=60.0, gt=0)


class RuleConfig(Strict):
    """A figure must pass every rule given; an absent rule lets everything through."""

    sources: list[str] | None = None
    metrics: list[str] | None = None
    topics: list[str] | None = None
    keywords: list[str] | None = None
    min_value: float | None = None


class WebhookConfig(Strict):
    id: str
    url: str
    secret: SecretStr | None = None
    format: Literal["standard", "slack", "dingtalk", "feishu", "wecom"] = "standard"
    allow_private_network: bool = False
    timeout: float = Field(default=10.0, gt=0)
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
        if not re.match(r"^https?://[^/\s]+", value):
            raise ValueError(f"not an http(s) URL: {value!r}")
        return value

    @field_validator("secret")
    @classmethod
    def _secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        raw = value.get_secret_value()
        if raw.startswith("whsec_"):
            try:
                base64.b64decode(raw.removeprefix("whsec_"), validate=True)
            except ValueError:
                raise ValueError("a whsec_ secret must be base64 after the prefix") from None
        return value
