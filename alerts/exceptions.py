"""Exceptions of the alerts package.

    AlertError                  base class; messages never carry a secret or a URL path
    ├── AddressRefused          the guard refused the address a webhook resolves to
    └── ResolutionFailed        the webhook's host name did not resolve

Both carry the webhook id and the host they belong to.
"""

from __future__ import annotations


class AlertError(Exception):
    """Base class of the alerts package's errors."""


class AddressRefused(AlertError):
    """The webhook's host resolves to a loopback, private or otherwise non-global address."""

    def __init__(self, webhook_id: str, host: str, address: str, reason: str) -> None:
        self.webhook_id = webhook_id
        self.host = host
        self.address = address
        self.reason = reason
        via = "" if host == address else f" (resolved from {host})"
        super().__init__(
            f"webhook {webhook_id!r}: refused to connect to {address}{via}: {reason} address; "
            "set allow_private_network: true on this webhook to allow it"
        )


class ResolutionFailed(AlertError):
    """The webhook's host name could not be resolved."""

    def __init__(self, webhook_id: str, host: str, detail: str) -> None:
        self.webhook_id = webhook_id
        self.host = host
        super().__init__(f"webhook {webhook_id!r}: cannot resolve {host}: {detail}")
