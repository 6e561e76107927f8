"""``python -m replica`` as a process: prints its URL, stops cleanly on SIGTERM."""

from __future__ import annotations

import json
import selectors
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import fetch

ROOT = Path(__file__).resolve().parents[2]


def read_line(process: subprocess.Popen[str], timeout: float) -> str:
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            process.kill()
            pytest.fail(f"no output within {timeout} s")
    return process.stdout.readline()


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_module_prints_its_url_and_exits_0_on_signal(stop: signal.Signals) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "replica", "--port", "0", "--bench-articles", "25"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = read_line(process, timeout=10)
        assert line.startswith("REPLICA_URL=http://127.0.0.1:") and line.endswith("\n")
        url = line.strip().removeprefix("REPLICA_URL=")
        assert fetch(f"{url}/robots.txt").status == 200
        assert fetch(f"{url}/bench/index_1.html").status == 200
        sources = json.loads(fetch(f"{url}/_admin/sources").body)
        assert sources[-1]["id"] == "replica-bench"
        process.send_signal(stop)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    assert out == ""  # the URL line was the only output
