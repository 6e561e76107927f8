"""What the scheduler reads of the app's configuration: protocols the app's
`bulletins.config.AppConfig` satisfies, so the scheduler imports nothing of the app."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from crawlers.sources.schema import SourceConfig


class DaemonSettingsLike(Protocol):
    @property
    def max_concurrent_crawls(self) -> int: ...
    @property
    def crawl_time_limit(self) -> float: ...
    @property
    def grace_period(self) -> float: ...
    @property
    def jitter(self) -> float: ...
    @property
    def deliver_interval(self) -> float: ...


class DaemonConfig(Protocol):
    """What the daemon reads of the app's configuration."""

    @property
    def database(self) -> str: ...
    @property
    def timezone(self) -> str: ...
    @property
    def daemon(self) -> DaemonSettingsLike: ...
    @property
    def webhooks(self) -> Sequence[Any]: ...
    def enabled_sources(self) -> list[SourceConfig]: ...


class InvalidConfig(Exception):
    """Raised by a `reload` callable: the new configuration is not valid (the message
    says why)."""
