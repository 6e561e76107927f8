"""Daemon benchmark (issue 5): the scheduler's own footprint.

Runs `bulletins daemon` against a tiny site on 127.0.0.1 with every source due
every second (`schedule: every 1s`) and prints the daemon's resident memory
after warm-up and after N short scheduled crawls (target: grows < 20 MB), then,
in a second daemon with nothing due (the sources now on a yearly schedule), its
CPU while idle (target < 1 % of a core). The crawls themselves run in child
processes and are not counted.

    python bench/bench_daemon.py [--crawls 1000] [--sources 4] [--idle-seconds 60]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import psutil
import yaml
from sqlalchemy import create_engine, text

WARMUP_CRAWLS = 20
ARTICLE = (
    "<html><body><h1>Release {n}</h1><div class='body'><p>公安机关依法侦破电信网络诈骗案件"
    "{n}00余起，抓获犯罪嫌疑人{n}20名，冻结涉案资金约{n}亿元。</p></div></body></html>"
)


class _Site(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        name, _, leaf = self.path.strip("/").partition("/")
        if leaf == "index.html":
            items = "".join(
                f'<li><a href="/{name}/{n}.html">Release {n}</a><span>2025-01-0{n}</span></li>'
                for n in (1, 2, 3)
            )
            page = f"<html><body><ul class='list'>{items}</ul></body></html>"
        elif leaf in ("1.html", "2.html", "3.html"):
            page = ARTICLE.format(n=leaf[0])
        else:
            self.send_error(404)
            return
        body = page.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", "Wed, 01 Jan 2025 00:00:00 GMT")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Hook(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve(handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def write_config(
    path: Path, db_url: str, site: str, hook: str, sources: int, schedule: str
) -> None:
    data = {
        "database": db_url,
        "builtin_sources": False,
        "crawl": {
            "download_delay": 0,
            "obey_robots": False,
            "autothrottle": False,
            "retry_times": 0,
            "download_timeout": 10,
        },
        "daemon": {"jitter": 0, "grace_period": 10, "crawl_time_limit": 60},
        "webhooks": [
            {
                "id": "bench",
                "url": hook,
                "secret": "whsec_YmVuY2gtZGFlbW9uLXNlY3JldA==",
                "allow_private_network": True,
            }
        ],
        "sources": [
            {
                "id": f"bench-{i}",
                "name": f"Bench source {i}",
                "schedule": schedule,
                "start_urls": [f"{site}/s{i}/index.html"],
                "list": {
                    "item": "ul.list li",
                    "title": "a::text",
                    "date": "span::text",
                    "min_pages": 1,
                    "max_pages": 1,
                },
                "article": {"body": "div.body"},
                "render": "never",
            }
            for i in range(sources)
        ],
    }
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def start_daemon(config: Path, workdir: Path, log: Path) -> Any:
    env = dict(os.environ)
    env.pop("BULLETINS_DATABASE_URL", None)
    return subprocess.Popen(
        [sys.executable, "-m", "bulletins.cli", "--config", str(config), "daemon"],
        cwd=workdir,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def finished_runs(engine: Any) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(text("select count(*) from crawl_runs where status != 'running'")))


def stop(proc: Any) -> float:
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    proc.wait(120)
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--crawls", type=int, default=1000, help="scheduled crawls to run")
    parser.add_argument("--sources", type=int, default=4)
    parser.add_argument("--idle-seconds", type=float, default=60.0)
    args = parser.parse_args()

    site, hook = serve(_Site), serve(_Hook)
    site_url = f"http://127.0.0.1:{site.server_address[1]}"
    hook_url = f"http://127.0.0.1:{hook.server_address[1]}/hook"
    with tempfile.TemporaryDirectory(prefix="bench-daemon-") as tmp:
        workdir = Path(tmp)
        db_url = f"sqlite:///{workdir / 'bench.db'}"
        config = workdir / "bench.yaml"
        log = workdir / "daemon.log"
        write_config(config, db_url, site_url, hook_url, args.sources, "every 1s")
        engine = create_engine(db_url)

        # --- N scheduled crawls -----------------------------------------------------
        proc = start_daemon(config, workdir, log)
        daemon = psutil.Process(proc.pid)
        try:
            time.sleep(3)
            rss_start = daemon.memory_info().rss
            while finished_runs(engine) < WARMUP_CRAWLS:
                time.sleep(0.5)
            rss_warm = daemon.memory_info().rss
            warm_count = finished_runs(engine)
            warm_at = time.monotonic()
            last_report = warm_at
            while (done := finished_runs(engine)) < args.crawls:
                if proc.poll() is not None:
                    raise SystemExit(f"the daemon exited:\n{log.read_text()[-3000:]}")
                if time.monotonic() - last_report > 60:
                    rss = daemon.memory_info().rss / 2**20
                    print(f"  ... {done} crawls, daemon RSS {rss:.1f} MB", flush=True)
                    last_report = time.monotonic()
                time.sleep(1)
            rss_end = daemon.memory_info().rss
            cpu = daemon.cpu_times()
            crawl_seconds = time.monotonic() - warm_at
        finally:
            stop_seconds = stop(proc)
        with engine.connect() as conn:
            by_status: dict[str, int] = dict(
                conn.execute(text("select status, count(*) from crawl_runs group by status")).all()
            )
            reasons = conn.execute(
                text(
                    "select reason, count(*) from crawl_runs where status != 'ok'"
                    " group by reason order by count(*) desc limit 3"
                )
            ).all()

        # --- idle: nothing due (yearly schedule, every source crawled just now) --------
        write_config(config, db_url, site_url, hook_url, args.sources, "0 0 1 1 *")
        idle = start_daemon(config, workdir, log)
        try:
            time.sleep(5)  # start-up (imports, schema check) is not idling
            watched = psutil.Process(idle.pid)
            before = watched.cpu_times()
            t0 = time.monotonic()
            time.sleep(args.idle_seconds)
            after = watched.cpu_times()
            idle_wall = time.monotonic() - t0
            idle_rss = watched.memory_info().rss
        finally:
            stop(idle)
        engine.dispose()
    site.shutdown()
    hook.shutdown()

    idle_cpu = max(0.0, (after.user + after.system - before.user - before.system) / idle_wall * 100)
    growth = (rss_end - rss_warm) / 2**20
    print(f"scheduled crawls:             {done} ({by_status}), {args.sources} sources")
    for reason, n in reasons:
        print(f"    {n} x {reason}")
    print(
        f"crawl phase:                  {crawl_seconds:.0f}s after warm-up"
        f" ({(done - warm_count) / crawl_seconds:.2f} crawls/s)"
    )
    print(f"daemon RSS at start:          {rss_start / 2**20:.1f} MB")
    print(f"daemon RSS after {warm_count:>4} crawls: {rss_warm / 2**20:.1f} MB (warm)")
    print(f"daemon RSS after {done:>4} crawls: {rss_end / 2**20:.1f} MB")
    print(f"RSS growth after warm-up:     {growth:+.1f} MB  (target < 20 MB)")
    print(f"daemon CPU, crawl phase:      {cpu.user + cpu.system:.1f}s for {done} crawls")
    print(f"daemon stop (SIGTERM):        {stop_seconds:.1f}s")
    print(
        f"idle daemon CPU:              {idle_cpu:.2f} % of a core over {idle_wall:.0f}s"
        f" (target < 1 %); RSS {idle_rss / 2**20:.1f} MB"
    )


if __name__ == "__main__":
    # SIGTERM as an exit, so the finally blocks stop the daemons and servers we started
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    main()
