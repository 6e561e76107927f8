"""Web benchmark (issue 15): latency of the API and the metric explorer over a large
database, through `bulletins serve` on 127.0.0.1 (a real uvicorn process).

    .venv/bin/python bench/bench_web.py [--documents 100000] [--figures 1000000]
        [--requests 40] [--db URL]

The data (bench/webdata.py) is generated once and kept under
/tmp/bulletins-bench-web/, or at --db when that database holds no release yet (a
PostgreSQL URL works too: give an empty schema, e.g.
`postgresql://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dbw_bench_pg`
after `CREATE SCHEMA bw_bench_pg`).

Each endpoint is asked `--requests` times, cycling through realistic parameters,
one request at a time; it prints p50, p95 and max per endpoint and per
parameter, against the targets: p95 < 200 ms for /api/documents?q=…,
/api/figures?metric=… and /api/series, < 500 ms for the page /figures?metric=….

Wall time is what a user waits; on a machine shared with other work it grows
with the load (printed). The server's own CPU time per request (all its
threads) is printed beside it: what a request costs on an idle core.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import psutil
from sqlalchemy import create_engine, inspect, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.webdata import METRICS, generate  # noqa: E402
from storage.db import normalize_url  # noqa: E402

CACHE = Path("/tmp/bulletins-bench-web")
QUERIES = (
    "诈骗",  # two characters, in about half the releases
    "电信网络诈骗",  # in about 30 %
    "跨境赌博",
    "毒品",
    "养老诈骗 青川",  # two terms
    "专项行动第31415号",  # one release
    "fraud",  # none
)
SERIES_REGIONS: tuple[tuple[str, ...], ...] = (
    (),
    ("Guangdong",),
    ("Zhejiang", "Jiangsu", "Fujian"),
)
TARGETS = {"documents?q": 200, "figures?metric": 200, "series": 200, "page /figures": 500}


def endpoints() -> dict[str, list[tuple[str, dict[str, Any]]]]:
    metrics = METRICS[:4] + METRICS[-2:]
    return {
        "documents?q": [("/api/documents", {"q": q}) for q in QUERIES],
        "figures?metric": [("/api/figures", {"metric": m}) for m in metrics]
        + [("/api/figures", {"metric": METRICS[0], "region": "Guangdong"})],
        "series": [
            ("/api/series", {"metric": m, "region": list(r), "interval": i})
            for m, r, i in (
                (METRICS[0], (), "month"),
                (METRICS[0], SERIES_REGIONS[1], "quarter"),
                (METRICS[1], SERIES_REGIONS[2], "month"),
                (METRICS[2], (), "year"),
                (METRICS[-1], (), "month"),
            )
        ],
        "page /figures": [("/figures", {"metric": m}) for m in metrics[:3]]
        + [("/figures", {"metric": METRICS[0], "region": list(SERIES_REGIONS[2])})],
    }


def _holds_releases(url: str) -> bool:
    engine = create_engine(normalize_url(url))
    try:
        if not inspect(engine).has_table("documents"):
            return False
        with engine.connect() as conn:
            return conn.execute(text("SELECT 1 FROM documents LIMIT 1")).first() is not None
    finally:
        engine.dispose()


def database(args: argparse.Namespace) -> str:
    if args.db:
        url = str(args.db)
        if not _holds_releases(url):  # an empty database (schema): fill it first
            print(f"generating {args.documents:,} releases and {args.figures:,} figures …")
            started = time.monotonic()
            counts = generate(url, args.documents, args.figures)
            print(f"  {counts} in {time.monotonic() - started:.0f} s")
        return url
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"web-{args.documents}-{args.figures}.db"
    done = path.with_suffix(".done")
    if not done.exists():
        for leftover in CACHE.glob(path.name + "*"):
            leftover.unlink()
        print(f"generating {args.documents:,} releases and {args.figures:,} figures in {path} …")
        started = time.monotonic()
        counts = generate(f"sqlite:///{path}", args.documents, args.figures)
        print(f"  {counts} in {time.monotonic() - started:.0f} s")
        done.write_text("ok")
    return f"sqlite:///{path}"


def start_server(url: str) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "-m", "bulletins.cli", "--db", url, "serve", "--port", "0"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if "http://" not in line:
        proc.kill()
        raise SystemExit(f"serve did not start: {line!r}")
    return proc, line.split("http://", 1)[1].split()[0].rstrip("/")


Timings = dict[str, dict[str, list[tuple[float, float]]]]


def cpu_seconds(server: psutil.Process) -> float:
    times = server.cpu_times()
    return float(times.user + times.system)


def measure(client: httpx.Client, server: psutil.Process, requests: int) -> Timings:
    """(wall ms, server CPU ms) per request, by endpoint and parameters."""
    timings: Timings = {}
    for name, calls in endpoints().items():
        per_call: dict[str, list[tuple[float, float]]] = {}
        for i in range(requests):
            path, params = calls[i % len(calls)]
            cpu = cpu_seconds(server)
            started = time.perf_counter()
            response = client.get(path, params=params)
            elapsed = (time.perf_counter() - started) * 1000
            used = (cpu_seconds(server) - cpu) * 1000
            if response.status_code != 200:
                raise SystemExit(f"{path} {params}: {response.status_code} {response.text[:300]}")
            key = str({k: v for k, v in params.items() if v})
            per_call.setdefault(key, []).append((elapsed, used))
        timings[name] = per_call
    return timings


def p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def report(timings: Timings) -> bool:
    ok = True
    print(f"load average (1, 5, 15 min) on {os.cpu_count()} cores: {os.getloadavg()}")
    print(
        f"\n{'endpoint':<16} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}"
        f" {'CPU p50':>8} {'CPU p95':>8}  target (wall p95)"
    )
    for name, per_call in timings.items():
        walls = [w for pairs in per_call.values() for w, _ in pairs]
        cpus = [c for pairs in per_call.values() for _, c in pairs]
        target = TARGETS[name]
        passed = p95(walls) < target
        ok &= passed
        print(
            f"{name:<16} {len(walls):>4} {statistics.median(walls):>8.1f} {p95(walls):>8.1f} "
            f"{max(walls):>8.1f} {statistics.median(cpus):>8.1f} {p95(cpus):>8.1f}"
            f"  < {target} ms: {'yes' if passed else 'NO'}"
        )
        for key, pairs in per_call.items():
            wall = [w for w, _ in pairs]
            cpu = [c for _, c in pairs]
            print(
                f"    {key[:56]:<56} median {statistics.median(wall):7.1f}"
                f"  max {max(wall):7.1f}  CPU median {statistics.median(cpu):7.1f}"
            )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--figures", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=40, help="per endpoint")
    parser.add_argument("--db", help="database URL (default: a generated SQLite file)")
    args = parser.parse_args()
    url = database(args)
    proc, base = start_server(url)
    try:
        with httpx.Client(base_url=f"http://{base}", timeout=60) as client:
            started = time.perf_counter()
            client.get("/figures", params={"metric": METRICS[0]}).raise_for_status()
            print(f"first request (cold caches): {(time.perf_counter() - started) * 1000:.0f} ms")
            for path, params in (calls[0] for calls in endpoints().values()):
                client.get(path, params=params).raise_for_status()  # warm the page cache
            ok = report(measure(client, psutil.Process(proc.pid), args.requests))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print("\nall targets met" if ok else "\nsome targets missed")
    return 0 if ok else 1


if __name__ == "__main__":
    # SIGTERM as an exit, so the finally blocks stop the daemons and servers we started
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.exit(main())
