"""What a pool and its crawl worker say to each other: one JSON object per line.

Pool -> worker (the worker's stdin)
    ``{"op": "settings", ...WorkerSettings}``   first line, once
    ``{"op": "crawl", "crawl": ID, "source": {...}, "time_limit": S}``
    ``{"op": "stop", "crawl": ID, "reason": TEXT}``   end one crawl early
    ``{"op": "drain"}``   take nothing new, finish the running crawls, exit 0

Worker -> pool (the worker's stdout; everything else it prints goes to stderr)
    ``{"op": "ready", "pid": PID}``
    ``{"op": "started", "crawl": ID, "run_id": N}``   its run row is open
    ``{"op": "done", "crawl": ID, "summary": {...RunSummary}, "rss": BYTES, "crawls": N}``
    ``{"op": "recycle", "reason": TEXT}``   the worker asks to be replaced

Secrets (a webhook's secret, a database password) travel only on the pipe, never
in the process list.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import IO, Any

SETTINGS = "settings"
CRAWL = "crawl"
STOP = "stop"
DRAIN = "drain"
READY = "ready"
STARTED = "started"
DONE = "done"
RECYCLE = "recycle"


class ProtocolError(ValueError):
    """A line that is not a message of this protocol."""


@dataclass(frozen=True)
class WorkerSettings:
    """Everything a worker needs to crawl, the same for all its crawls."""

    database_url: str
    timezone: str = "Asia/Shanghai"
    overrides: dict[str, Any] = field(default_factory=dict)  # Scrapy settings, last word
    crawl: dict[str, Any] = field(default_factory=dict)  # the config's `crawl:` section
    browser: dict[str, Any] | None = None  # the config's `browser:` section
    webhooks: list[dict[str, Any]] = field(default_factory=list)  # WebhookConfig, secrets shown
    log_level: str = "WARNING"
    max_concurrent: int = 16  # crawls at once in this worker

    def message(self) -> dict[str, Any]:
        return {"op": SETTINGS, **asdict(self)}

    @classmethod
    def from_message(cls, message: dict[str, Any]) -> WorkerSettings:
        if message.get("op") != SETTINGS:
            raise ProtocolError(f"expected the settings first, got {message.get('op')!r}")
        fields = {k: v for k, v in message.items() if k != "op"}
        return cls(**fields)


def encode(message: dict[str, Any]) -> bytes:
    return json.dumps(message, ensure_ascii=False, default=str).encode() + b"\n"


def decode(line: bytes | str) -> dict[str, Any]:
    try:
        message = json.loads(line)
    except ValueError as exc:
        raise ProtocolError(f"not JSON: {line[:200]!r}") from exc
    if not isinstance(message, dict) or not isinstance(message.get("op"), str):
        raise ProtocolError(f"not a message: {line[:200]!r}")
    return message


def send(stream: IO[bytes], message: dict[str, Any]) -> None:
    stream.write(encode(message))
    stream.flush()
