"""Start the replica as a separate process (`python -m replica`), for
benchmarks that must not share a core's interpreter with the server."""

from __future__ import annotations

import re
import subprocess
import sys


def start_replica_process(bench_articles: int = 0) -> tuple[subprocess.Popen[str], str]:
    """The running process and its URL, read from its `REPLICA_URL=` line."""
    command = [sys.executable, "-m", "replica"]
    if bench_articles:
        command += ["--bench-articles", str(bench_articles)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    match = re.match(r"REPLICA_URL=(\S+)", line)
    if not match:
        proc.kill()
        raise SystemExit(f"the replica did not start: {line!r}")
    return proc, match.group(1)
