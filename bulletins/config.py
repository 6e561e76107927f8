"""Load and validate the YAML configuration.

Every error names the file, the line, the source or webhook id and the key, so a
user can fix it without guessing; a bad config raises `ConfigError` before
anything is written anywhere.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from alerts.config import WebhookConfig
from crawlers.sources.registry import builtin_sources, deep_merge, resolve_family
from crawlers.sources.schema import SourceConfig

DEFAULT_DATABASE = "sqlite:///bulletins.db"
TOP_LEVEL_KEYS = {
    "database",
    "timezone",
    "builtin_sources",
    "sources",
    "webhooks",
    "crawl",
    "daemon",
    "browser",
}


class ConfigError(Exception):
    """The configuration is unusable; `problems` lists each culprit, one line each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class CrawlSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    download_timeout: float = Field(default=30.0, gt=0)
    retry_times: int = Field(default=3, ge=0)
    concurrency_per_site: int = Field(default=2, ge=1)
    download_delay: float = Field(default=0.5, ge=0)
    autothrottle: bool = True
    obey_robots: bool = True
    user_agent: str | None = None


class BrowserSettings(BaseModel):
    """The Chromium for `render: auto | always` sources ($BULLETINS_CHROMIUM overrides
    `executable`; without either, Debian's /usr/bin/chromium, else Playwright's own)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    executable: str | None = None
    max_pages: int = Field(default=4, ge=1, le=64)
    timeout: float = Field(default=30.0, gt=0)


class DaemonSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    max_concurrent_crawls: int = Field(default=2, ge=1)
    crawl_time_limit: float = Field(default=1800.0, gt=0)
    grace_period: float = Field(default=30.0, ge=0)
    jitter: float = Field(default=30.0, ge=0)
    deliver_interval: float = Field(default=2.0, gt=0)


@dataclass(frozen=True)
class AppConfig:
    database: str = DEFAULT_DATABASE
    timezone: str = "Asia/Shanghai"
    sources: tuple[SourceConfig, ...] = ()
    webhooks: tuple[WebhookConfig, ...] = ()
    crawl: CrawlSettings = field(default_factory=CrawlSettings)
    daemon: DaemonSettings = field(default_factory=DaemonSettings)
    browser: BrowserSettings = field(default_factory=BrowserSettings)
    path: Path | None = None

    def source(self, source_id: str) -> SourceConfig:
        for source in self.sources:
            if source.id == source_id:
                return source
        raise KeyError(source_id)

    def enabled_sources(self) -> list[SourceConfig]:
        return [s for s in self.sources if s.enabled]

    def webhook(self, webhook_id: str) -> WebhookConfig:
        for hook in self.webhooks:
            if hook.id == webhook_id:
                return hook
        raise KeyError(webhook_id)


class _Lines:
    """Finds the line of a key path in a YAML document, for error messages."""

    def __init__(self, text: str) -> None:
        try:
            self.root = yaml.compose(text)
        except yaml.YAMLError:
            self.root = None

    def line(self, path: Iterable[str | int]) -> int | None:
        node = self.root
        best = node.start_mark.line + 1 if node is not None else None
        for part in path:
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if key_node.value == part:
                        best = key_node.start_mark.line + 1
                        node = value_node
                        break
                else:
                    return best
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                if part >= len(node.value):
                    return best
                node = node.value[part]
                best = node.start_mark.line + 1
            else:
                return best
        return best


def _where(path: Path | None, line: int | None) -> str:
    name = str(path) if path else "<config>"
    return f"{name}:{line}" if line else name


def _describe(exc: ValidationError) -> list[tuple[tuple[str | int, ...], str]]:
    return [(tuple(err["loc"]), err["msg"]) for err in exc.errors()]


def parse_config(data: Any, text: str = "", path: Path | None = None) -> AppConfig:
    """Validate a loaded YAML document (a mapping) into an `AppConfig`."""
    lines = _Lines(text)
    problems: list[str] = []

    def problem(loc: tuple[str | int, ...], who: str, key: str, message: str) -> None:
        prefix = _where(path, lines.line(loc))
        who_part = f" {who}:" if who else ""
        problems.append(f"{prefix}:{who_part} {key}: {message}")

    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise ConfigError([f"{_where(path, 1)}: the configuration must be a mapping of keys"])
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            problem((key,), "", str(key), f"unknown key (expected one of {sorted(TOP_LEVEL_KEYS)})")

    timezone = data.get("timezone", "Asia/Shanghai")
    try:
        ZoneInfo(str(timezone))
    except (ZoneInfoNotFoundError, ValueError):
        problem(("timezone",), "", "timezone", f"unknown time zone {timezone!r}")

    sources = _parse_sources(data, problem)
    webhooks = _parse_webhooks(data, problem)

    crawl = CrawlSettings()
    daemon = DaemonSettings()
    for key, model in (("crawl", CrawlSettings), ("daemon", DaemonSettings)):
        try:
            value = model.model_validate(data.get(key) or {})
        except ValidationError as exc:
            for loc, msg in _describe(exc):
                problem((key, *loc), "", ".".join(map(str, (key, *loc))), msg)
            continue
        if key == "crawl":
            crawl = value  # type: ignore[assignment]
        else:
            daemon = value  # type: ignore[assignment]

    browser = BrowserSettings()
    try:
        browser = BrowserSettings.model_validate(data.get("browser") or {})
    except ValidationError as exc:
        for loc, msg in _describe(exc):
            problem(("browser", *loc), "", ".".join(map(str, ("browser", *loc))), msg)

    if problems:
        raise ConfigError(problems)
    database = os.environ.get("BULLETINS_DATABASE_URL") or str(
        data.get("database") or DEFAULT_DATABASE
    )
    return AppConfig(
        database=database,
        timezone=str(timezone),
        sources=tuple(sources),
        webhooks=tuple(webhooks),
        crawl=crawl,
        daemon=daemon,
        browser=browser,
        path=path,
    )


def _parse_sources(data: Mapping[str, Any], problem: Any) -> list[SourceConfig]:
    raw = data.get("sources") or []
    if not isinstance(raw, list):
        problem(("sources",), "", "sources", "must be a list of sources")
        return []
    builtin = {s["id"]: s for s in builtin_sources()} if data.get("builtin_sources", True) else {}
    merged: dict[str, tuple[dict[str, Any], int | None]] = {
        sid: (entry, None) for sid, entry in builtin.items()
    }
    for index, entry in enumerate(raw):
        if not isinstance(entry, Mapping) or not isinstance(entry.get("id"), str):
            problem(("sources", index), f"source #{index + 1}", "id", "every source needs an id")
            continue
        sid = entry["id"]
        if sid in merged and merged[sid][1] is not None:
            problem(("sources", index, "id"), f"source {sid!r}", "id", "duplicate source id")
            continue
        base = merged[sid][0] if sid in merged else {}
        merged[sid] = (deep_merge(base, entry), index)

    sources: list[SourceConfig] = []
    for sid, (entry, position) in merged.items():
        try:
            sources.append(SourceConfig.model_validate(resolve_family(entry)))
        except (ValidationError, ValueError) as exc:
            errors = _describe(exc) if isinstance(exc, ValidationError) else [((), str(exc))]
            for loc, msg in errors:
                where: tuple[str | int, ...] = (
                    ("sources", position, *loc) if position is not None else ()
                )
                key = ".".join(map(str, loc)) or "family"
                origin = "" if position is not None else " (built-in)"
                problem(where, f"source {sid!r}{origin}", key, msg)
    return sources


def _parse_webhooks(data: Mapping[str, Any], problem: Any) -> list[WebhookConfig]:
    raw = data.get("webhooks") or []
    if not isinstance(raw, list):
        problem(("webhooks",), "", "webhooks", "must be a list of webhooks")
        return []
    hooks: list[WebhookConfig] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw):
        hid = entry.get("id") if isinstance(entry, Mapping) else None
        who = f"webhook {hid!r}" if hid else f"webhook #{index + 1}"
        try:
            hook = WebhookConfig.model_validate(entry)
        except ValidationError as exc:
            for loc, msg in _describe(exc):
                problem(("webhooks", index, *loc), who, ".".join(map(str, loc)), msg)
            continue
        if hook.id in seen:
            problem(("webhooks", index, "id"), who, "id", "duplicate webhook id")
            continue
        seen.add(hook.id)
        hooks.append(hook)
    return hooks


def load_config(path: str | os.PathLike[str] | None = None) -> AppConfig:
    """Load the config from `path`, else ``$BULLETINS_CONFIG``, else the defaults."""
    chosen = path or os.environ.get("BULLETINS_CONFIG")
    if not chosen:
        return parse_config({})
    file = Path(chosen)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError([f"{file}: cannot read the configuration: {exc.strerror}"]) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        # Where the broken construct starts is more useful than where parsing gave up.
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise ConfigError([f"{_where(file, line)}: not valid YAML: {exc}"]) from None
    return parse_config(data, text, file)
