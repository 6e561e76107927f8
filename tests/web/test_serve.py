"""`bulletins serve` as a user runs it: a child process on loopback."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from bulletins.commands.serve import _is_loopback
from tests.web.conftest import seed

ROOT = Path(__file__).resolve().parents[2]


def serve(url: str, *args: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "bulletins.cli", "--db", url, "serve", *args]
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT
    )


def test_serves_on_loopback_and_stops_on_sigterm(sqlite_url: str) -> None:
    seed(sqlite_url)
    server = serve(sqlite_url, "--port", "0")
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert line.startswith("Bulletin Watch on http://127.0.0.1:"), line
        base = line.split()[3].rstrip("/")
        documents = httpx.get(f"{base}/api/documents", params={"limit": 100}, timeout=30).json()
        assert len(documents["documents"]) == 9
        spec = httpx.get(f"{base}/openapi.json", timeout=30).json()
        assert {"/api/documents", "/api/figures"} <= set(spec["paths"])
        assert httpx.get(f"{base}/docs", timeout=30).status_code == 404  # they would load a CDN
        page = httpx.get(f"{base}/figures?metric=suspects_detained", timeout=30)
        assert page.status_code == 200 and "vega-embed.min.js" in page.text
        static = httpx.get(f"{base}/static/vendor/vega-embed.min.js", timeout=30)
        assert static.status_code == 200 and "vegaEmbed" in static.text
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0


def test_a_port_in_use_is_a_usage_error(sqlite_url: str) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = serve(sqlite_url, "--port", str(port))
        _, err = server.communicate(timeout=60)
    assert server.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in err


def test_a_bad_port_is_a_usage_error(sqlite_url: str) -> None:
    server = serve(sqlite_url, "--port", "70000")
    _, err = server.communicate(timeout=60)
    assert server.returncode == 2 and "70000" in err


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("localhost", True),
     ("0.0.0.0", False), ("192.0.2.10", False), ("example.org", False)],
)  # fmt: skip
def test_only_loopback_goes_without_a_warning(host: str, loopback: bool) -> None:
    assert _is_loopback(host) is loopback


@pytest.mark.e2e
def test_demo_ends_with_the_url_to_open(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "bulletins.cli", "demo", "--dir", str(tmp_path / "demo")]
    demo = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert demo.returncode == 0, demo.stderr
    last = demo.stdout.strip().splitlines()[-1]
    assert "serve" in last and last.endswith("http://127.0.0.1:8000/"), last


def test_the_web_app_reads_storage_only() -> None:
    """web/ imports neither the crawlers nor the scheduler (the serve command hands
    it what the scheduler knows)."""
    script = (
        "import sys, web.app, web.api, web.pages, web.charts; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('crawlers', 'scheduler')); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stdout + result.stderr
