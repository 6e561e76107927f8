"""SIGHUP with a broken config keeps the daemon alive on the old one (D6, D7).

The daemon is a real process. Each broken file (not UTF-8, nested thousands
deep, a cron expression that never fires, a bad database URL, an unusable
webhook URL) is written in turn and the daemon sent SIGHUP: it logs that it
keeps the old configuration and stays up; a good file afterwards is loaded.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.scheduler.helpers import (
    DaemonProcess,
    SiteServer,
    source_entry,
    wait_until,
    write_config,
)


@pytest.fixture
def site() -> Iterator[SiteServer]:
    server = SiteServer()
    yield server
    server.close()


def _broken_variants(good: str) -> dict[str, bytes]:
    data = yaml.safe_load(good)
    never = yaml.safe_load(good)
    never["sources"][0]["schedule"] = "0 0 31 4 *"
    zero = yaml.safe_load(good)
    zero["sources"][0]["schedule"] = "every 0m"
    bad_hook = yaml.safe_load(good)
    bad_hook["webhooks"] = [{"id": "w", "url": "http://0177.0.0.1:9/x", "secret": None}]
    bad_db = yaml.safe_load(good)
    bad_db["database"] = "notaurl"
    return {
        "gbk byte": good.encode() + "# 公安\n".encode("gbk"),
        "gbk file": good.replace("Test source", "测试来源").encode("gbk"),
        "deep": good.encode() + b"x: " + b"[" * 3000 + b"]" * 3000 + b"\n",
        "never fires": yaml.safe_dump(never, allow_unicode=True).encode(),
        "zero interval": yaml.safe_dump(zero, allow_unicode=True).encode(),
        "webhook url": yaml.safe_dump(bad_hook, allow_unicode=True).encode(),
        "database url": yaml.safe_dump(bad_db, allow_unicode=True).encode(),
        "wrong type": yaml.safe_dump({**data, "webhooks": {}}, allow_unicode=True).encode(),
    }


def test_sighup_with_a_broken_file_keeps_the_daemon_and_its_config(
    tmp_path: Path, sqlite_url: str, site: SiteServer
) -> None:
    alpha = source_entry(site.site, "alpha", schedule="0 3 * * *")
    config = write_config(tmp_path / "bulletins.yaml", sqlite_url, [alpha])
    good = config.read_text(encoding="utf-8")
    daemon = DaemonProcess(config, tmp_path)
    try:
        daemon.wait_log("daemon started")
        for what, data in _broken_variants(good).items():
            before = len(daemon.logged("keeping the old one"))
            config.write_bytes(data)
            daemon.send(signal.SIGHUP)
            wait_until(
                lambda n=before: (
                    not daemon.alive() or len(daemon.logged("keeping the old one")) > n
                ),
                30,
                what,
            )
            assert daemon.alive(), f"the daemon died on SIGHUP with: {what}"
        beta = source_entry(site.site, "beta", schedule="0 4 * * *")
        write_config(config, sqlite_url, [alpha, beta])
        daemon.send(signal.SIGHUP)
        daemon.wait_log("configuration reloaded: 2 source(s) scheduled")
        assert daemon.alive()
        code, _seconds = daemon.stop()
        assert code == 0
        assert "Traceback" not in daemon.output()
    finally:
        daemon.close()
