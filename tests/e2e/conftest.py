"""End-to-end fixtures: the replica sites on 127.0.0.1 and the `bulletins` command.

Whole crawls run in a child process (`python -m bulletins.cli`), never in the
test process: a Twisted reactor starts once per process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from replica import ReplicaServer, sources_config

FAST_CRAWL = {
    # What times out is the replica's hanging page (held 30 s): 10 s leaves a real page
    # on a loaded machine ample time, where 3 s once timed some out at random.
    "download_timeout": 10,
    "retry_times": 0,
    "download_delay": 0,
    "autothrottle": False,
    "concurrency_per_site": 8,
}


@pytest.fixture
def replica() -> Iterator[ReplicaServer]:
    with ReplicaServer(hang_seconds=30) as server:
        yield server


def write_config(
    path: Path,
    *,
    database: str,
    sources: list[dict[str, Any]],
    webhooks: list[dict[str, Any]] | None = None,
    crawl: dict[str, Any] | None = None,
    **extra: Any,
) -> Path:
    config = {
        "database": database,
        "builtin_sources": False,
        "crawl": {**FAST_CRAWL, **(crawl or {})},
        "sources": sources,
        "webhooks": webhooks or [],
        **extra,
    }
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
    return path


@pytest.fixture
def replica_config(
    tmp_path: Path, replica: ReplicaServer, database_url: str
) -> Callable[..., Path]:
    def make(**kwargs: Any) -> Path:
        kwargs.setdefault("sources", sources_config(replica.url))
        return write_config(tmp_path / "bulletins.yaml", database=database_url, **kwargs)

    return make


def run_cli(
    config: Path | None, *args: str, timeout: float = 120, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "bulletins.cli"]
    if config is not None:
        command += ["--config", str(config)]
    return subprocess.run(
        [*command, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def crawl_json(config: Path, *args: str) -> dict[str, Any]:
    result = run_cli(config, "crawl", "--json", *args)
    assert result.returncode in (0, 1), result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    data["exit"] = result.returncode
    data["stderr"] = result.stderr
    return data
