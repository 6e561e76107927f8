"""Load and validate the YAML configuration, and compose the packages' settings.

Each package owns the model of its section: `crawlers.settings_model` the `crawl:`
and `browser:` sections, `crawlers.sources.schema` a source, `alerts.config` a
webhook; this module reads the file, validates each section with its model and
composes them into an `AppConfig`.

Every error names the file, the line, the source or webhook id and the key, so a
user can fix it without guessing; a bad config raises `ConfigError` before
anything is written anywhere. Whatever the file holds (another encoding than
UTF-8, YAML nested thousands deep, values of any type), loading either returns
an `AppConfig` or raises `ConfigError`: a section given as the wrong type is an
error even when it is falsy (``webhooks: {}``); an empty key (YAML null) means
the default.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from alerts.config import WebhookConfig
from bulletins.config_file import ConfigError, read_yaml_file
from bulletins.config_file import where as _where
from crawlers.settings_model import BrowserSettings, CrawlSettings
from crawlers.sources.registry import builtin_sources, deep_merge, resolve_family
from crawlers.sources.schema import SourceConfig
from scheduler.workers import WorkersSettings
from storage.db import DatabaseUrlError, check_url, is_sqlite

DEFAULT_DATABASE = "sqlite:///bulletins.db"
DEFAULT_TIMEZONE = "Asia/Shanghai"
DATABASE_ENV = "BULLETINS_DATABASE_URL"
QUEUE_NEEDS_POSTGRESQL = "queue needs PostgreSQL (the database is SQLite)"
__all__ = ["AppConfig", "ConfigError", "load_config", "parse_config", "with_database"]

TOP_LEVEL_KEYS = {
    "database",
    "timezone",
    "builtin_sources",
    "sources",
    "webhooks",
    "crawl",
    "daemon",
    "browser",
    "execution",
    "workers",
}
EXECUTION_MODES = ("local", "queue")


class DaemonSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    max_concurrent_crawls: int = Field(default=2, ge=1)
    crawl_time_limit: float = Field(default=1800.0, gt=0)
    grace_period: float = Field(default=30.0, ge=0)
    jitter: float = Field(default=30.0, ge=0)
    deliver_interval: float = Field(default=2.0, gt=0)


@dataclass(frozen=True)
class AppConfig:
    database: str = DEFAULT_DATABASE
    timezone: str = DEFAULT_TIMEZONE
    sources: tuple[SourceConfig, ...] = ()
    webhooks: tuple[WebhookConfig, ...] = ()
    crawl: CrawlSettings = field(default_factory=CrawlSettings)
    daemon: DaemonSettings = field(default_factory=DaemonSettings)
    browser: BrowserSettings = field(default_factory=BrowserSettings)
    execution: str = "local"  # where crawls run: this machine's pool, or a PostgreSQL queue
    workers: WorkersSettings = field(default_factory=WorkersSettings)
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


def _describe(exc: ValidationError) -> list[tuple[tuple[str | int, ...], str]]:
    return [(tuple(err["loc"]), err["msg"]) for err in exc.errors()]


def parse_config(
    data: Any, text: str = "", path: Path | None = None, database: str | None = None
) -> AppConfig:
    """Validate a loaded YAML document (a mapping) into an `AppConfig`; `database`
    (from ``--db``) replaces the database it names."""
    lines = _Lines(text)
    problems: list[str] = []

    def problem(loc: tuple[str | int, ...], who: str, key: str, message: str) -> None:
        prefix = _where(path, lines.line(loc))
        who_part = f" {who}:" if who else ""
        problems.append(_one_line(f"{prefix}:{who_part} {key}: {message}"))

    database_override = database
    if database_override is not None:
        try:
            check_url(database_override)
        except DatabaseUrlError as exc:
            raise ConfigError([f"--db: {exc}"]) from None
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise ConfigError([f"{_where(path, 1)}: the configuration must be a mapping of keys"])
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            problem((key,), "", str(key), f"unknown key (expected one of {sorted(TOP_LEVEL_KEYS)})")

    def section(key: str, kind: type, default: Any, what: str) -> Any:
        """The value of a top-level key: its default if absent or null, else of type `kind`."""
        value = data.get(key)
        if value is None:
            return default
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            problem((key,), "", key, f"must be {what}, not {_kind(value)}")
            return default
        return value

    timezone = section("timezone", str, DEFAULT_TIMEZONE, "a time zone name like Asia/Shanghai")
    if _timezone_problem(timezone):
        problem(("timezone",), "", "timezone", f"unknown time zone {timezone!r}")
        timezone = DEFAULT_TIMEZONE
    builtin = section("builtin_sources", bool, True, "true or false")
    database = _parse_database(data, problem, problems.append)
    if database_override is not None:
        database = database_override
    execution = section("execution", str, "local", "local or queue")
    if execution not in EXECUTION_MODES:
        problem(("execution",), "", "execution", f"must be local or queue, not {execution!r}")
        execution = "local"
    elif execution == "queue" and _sqlite_url(database):
        problem(("execution",), "", "execution", QUEUE_NEEDS_POSTGRESQL)

    sources = _parse_sources(builtin, section("sources", list, [], "a list of sources"), problem)
    webhooks = _parse_webhooks(section("webhooks", list, [], "a list of webhooks"), problem)

    models: dict[str, Any] = {}
    for key, model in (
        ("crawl", CrawlSettings),
        ("daemon", DaemonSettings),
        ("browser", BrowserSettings),
        ("workers", WorkersSettings),
    ):
        raw = section(key, Mapping, {}, f"a mapping of {key} settings")
        try:
            models[key] = model.model_validate(raw)
        except ValidationError as exc:
            for loc, msg in _describe(exc):
                problem((key, *loc), "", ".".join(map(str, (key, *loc))), msg)
            models[key] = model()

    if problems:
        raise ConfigError(problems)
    return AppConfig(
        database=database,
        timezone=timezone,
        sources=tuple(sources),
        webhooks=tuple(webhooks),
        crawl=models["crawl"],
        daemon=models["daemon"],
        browser=models["browser"],
        execution=execution,
        workers=models["workers"],
        path=path,
    )


def _sqlite_url(url: str) -> bool:
    try:
        return is_sqlite(url)
    except (ValueError, TypeError):  # a bad URL: reported as such
        return False


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, Mapping):
        return "a mapping" if value else "an empty mapping"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    if isinstance(value, str):
        return "a string" if value else "an empty string"
    name = {"int": "number", "float": "number"}.get(type(value).__name__, type(value).__name__)
    return f"a {name}"


def _timezone_problem(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a directory, a long name
        return True
    return False


def _parse_database(data: Mapping[str, Any], problem: Any, env_problem: Any) -> str:
    """The database URL: $BULLETINS_DATABASE_URL, else the file's, else the default."""
    from_env = os.environ.get(DATABASE_ENV)
    if from_env:
        try:
            check_url(from_env)
        except DatabaseUrlError as exc:
            env_problem(f"${DATABASE_ENV}: {exc}")
        return from_env
    value = data.get("database")
    if value is None:
        return DEFAULT_DATABASE
    if not isinstance(value, str):
        problem(("database",), "", "database", f"must be a database URL, not {_kind(value)}")
        return DEFAULT_DATABASE
    try:
        check_url(value)
    except DatabaseUrlError as exc:
        problem(("database",), "", "database", str(exc))
    return value


def with_database(config: AppConfig, url: str, origin: str = "--db") -> AppConfig:
    """`config` using the database `url` (from the command line); `ConfigError` if unusable."""
    try:
        check_url(url)
    except DatabaseUrlError as exc:
        raise ConfigError([f"{origin}: {exc}"]) from None
    if config.execution == "queue" and _sqlite_url(url):
        name = _where(config.path, None)
        raise ConfigError([f"{name}: execution: {QUEUE_NEEDS_POSTGRESQL} ({origin})"])
    return replace(config, database=url)


def _parse_sources(with_builtin: bool, raw: list[Any], problem: Any) -> list[SourceConfig]:
    builtin = {s["id"]: s for s in builtin_sources()} if with_builtin else {}
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
        family = entry.get("family")
        if family is not None and not isinstance(family, str):
            at = ("sources", position, "family") if position is not None else ()
            problem(at, f"source {sid!r}", "family", f"must be a family name, not {_kind(family)}")
            continue
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


def _parse_webhooks(raw: list[Any], problem: Any) -> list[WebhookConfig]:
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


def load_config(
    path: str | os.PathLike[str] | None = None, database: str | None = None
) -> AppConfig:
    """Load the config from `path`, else ``$BULLETINS_CONFIG``, else the defaults;
    `database` (``--db``) replaces the database URL."""
    chosen = path or os.environ.get("BULLETINS_CONFIG")
    if not chosen:
        return parse_config({}, database=database)
    file = Path(chosen)
    data, text = read_yaml_file(file)
    try:
        return parse_config(data, text, file, database)
    except RecursionError:
        raise ConfigError([f"{file}: the configuration is nested too deeply"]) from None


def _one_line(problem: str) -> str:
    """A problem as one printable line: keys and values from the file may hold
    line breaks or control characters, shown escaped so every problem stays a line."""
    if problem.isprintable():
        return problem
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in problem)


def require_queue_mode(config: AppConfig, command: str) -> None:
    """`ConfigError` naming the key unless `config` is in queue mode on PostgreSQL."""
    where = str(config.path) if config.path else "<config>"
    if config.execution != "queue":
        raise ConfigError(
            [f"{where}: execution: `bulletins {command}` needs execution: queue "
             f"(it is {config.execution})"]
        )
    if is_sqlite(config.database):
        raise ConfigError([f"{where}: execution: queue needs PostgreSQL (the database is SQLite)"])
