"""Take the README's screenshot of the metric explorer (docs/metric-explorer.png).

Crawls the replica bulletin sites into a temporary database (`bulletins crawl`
in a child process), serves it with `bulletins serve` and photographs
/figures in headless Chromium:

    .venv/bin/python scripts/screenshot.py [--out docs/metric-explorer.png]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawlers.browser import resolve_executable  # noqa: E402
from replica import ReplicaServer, sources_config  # noqa: E402

FAST = {"download_timeout": 3, "retry_times": 0, "download_delay": 0, "autothrottle": False}
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "metric-explorer.png")
    parser.add_argument("--metric", default="suspects_detained")
    args = parser.parse_args()
    cli = [sys.executable, "-m", "bulletins.cli"]
    with tempfile.TemporaryDirectory() as tmp, ReplicaServer() as replica:
        config = Path(tmp) / "bulletins.yaml"
        settings = {
            "database": f"sqlite:///{tmp}/bulletins.db",
            "builtin_sources": False,
            "crawl": FAST,
            "sources": sources_config(replica.url),
        }
        config.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
        subprocess.run([*cli, "--config", str(config), "crawl"], check=False, cwd=ROOT)
        server = subprocess.Popen(
            [*cli, "--config", str(config), "serve", "--port", "0"],
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        try:
            assert server.stdout is not None
            base = server.stdout.readline().split()[3].rstrip("/")
            httpx.get(base + "/api/metrics", timeout=60).raise_for_status()
            shoot(f"{base}/figures?metric={args.metric}&interval=month&limit=8", args.out)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"wrote {args.out}")
    return 0


def shoot(url: str, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=resolve_executable(), args=FLAGS)
        page = browser.new_page(viewport={"width": 1100, "height": 900}, device_scale_factor=1)
        page.goto(url)
        page.wait_for_selector("#chart[data-state=drawn]", timeout=60_000)
        page.wait_for_load_state("networkidle")
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out), full_page=True)
        browser.close()


if __name__ == "__main__":
    sys.exit(main())
