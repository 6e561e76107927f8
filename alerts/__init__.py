"""Webhook alerts: rules, the outbox, formats, signing, the network guard, delivery.

The public surface::

    enqueue_document_alerts(session, document, figures, webhooks, *, previous_figures=None)
    enqueue_event(session, webhooks, event_type, event_key, data)
    deliver_pending(db, webhooks, *, now=None, batch=100, workers=16) -> DeliveryReport
    send_test(webhook) -> (msg_id, SendResult)

Modules: `config` (the webhook schema), `rules`, `changes` (what a revision
changed), `payloads` (the standard payload), `formats` (Slack, DingTalk, Feishu,
WeCom), `signing`, `outgoing` (one signed request), `guard` (no private
networks), `sender` (HTTP through the guard), `backoff`, `outbox`, `delivery`,
`admin` (list and retry), `exceptions`.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Any

# httpx imports its command-line client (click, rich, pygments: about 6 MB of
# resident memory) whenever click is installed, and uvicorn installs it
# (encode/httpx#3547). This service never runs that client, and the daemon, which
# parses webhook URLs with httpx, lives for months; a None entry makes httpx fall
# back to the stub it keeps for when the client's dependencies are missing. The
# `httpx` command itself runs in its own process and is unaffected.
if "httpx" not in sys.modules:
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

if TYPE_CHECKING:
    from alerts.config import RetryConfig, RuleConfig, WebhookConfig
    from alerts.delivery import DeliveryReport, deliver_pending, send_test
    from alerts.exceptions import AddressRefused, AlertError, ResolutionFailed
    from alerts.outbox import enqueue_document_alerts, enqueue_event
    from alerts.sender import SendResult

# Imported on first use: `bulletins/config.py` needs only `alerts.config`, and
# a command that sends nothing should not pay for httpx and the database layer.
_EXPORTS = {
    "AddressRefused": "alerts.exceptions",
    "AlertError": "alerts.exceptions",
    "DeliveryReport": "alerts.delivery",
    "ResolutionFailed": "alerts.exceptions",
    "RetryConfig": "alerts.config",
    "RuleConfig": "alerts.config",
    "SendResult": "alerts.sender",
    "WebhookConfig": "alerts.config",
    "deliver_pending": "alerts.delivery",
    "enqueue_document_alerts": "alerts.outbox",
    "enqueue_event": "alerts.outbox",
    "send_test": "alerts.delivery",
}
__all__ = [
    "AddressRefused",
    "AlertError",
    "DeliveryReport",
    "ResolutionFailed",
    "RetryConfig",
    "RuleConfig",
    "SendResult",
    "WebhookConfig",
    "deliver_pending",
    "enqueue_document_alerts",
    "enqueue_event",
    "send_test",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'alerts' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
