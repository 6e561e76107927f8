"""What loading the alerts costs a long-lived process (issue 12: the daemon's memory)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_parsing_and_sending_webhooks_leaves_out_the_httpx_command_line_client() -> None:
    """httpx imports its command-line client (click, rich, pygments: some 6 MB) when
    click is installed, as uvicorn installs it; the alerts keep it out, and sending
    through httpx still works."""
    probe = (
        "import sys\n"
        "from alerts.target import parse_target\n"
        "from alerts.sender import Sender\n"
        "import httpx\n"
        "assert parse_target('http://127.0.0.1:8080/hook').port == 8080\n"
        "assert httpx.Client is not None\n"
        "print(*(name in sys.modules for name in ('click', 'rich', 'pygments')))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, env=env
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "False"]
    clicked = subprocess.run(
        [sys.executable, "-c", "import click, httpx, sys; print('rich' in sys.modules)"],
        capture_output=True, text=True, timeout=120, env=env,
    )
    # The guard is what keeps them out: plain httpx, with click installed, loads them.
    assert clicked.stdout.split() == ["True"], clicked.stderr
