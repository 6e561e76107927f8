"""Web benchmark (issue 15): latency of the API and the metric explorer over a large
database, through `bulletins serve` on 127.0.0.1 (a real uvicorn process).

    .venv/bin/python bench/bench_web.py [--documents 100000] [--figures 1000000]
        [--requests 40] [--db URL]

The data (bench/webdata.py) is generated once and kept under
/tmp/bulletins-bench-web/ (or at --db; a PostgreSQL URL works too: give an empty
schema). Each endpoint is asked `--requests` times, cycling through realistic
parameters, one request at a time; it prints p50, p95 and max per endpoint and
per parameter, against the targets: p95 < 200 ms for /api/documents?q=…,
/api/figures?metric=… and /api/series, < 500 ms for the page /figures?metric=….
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.webdata import METRICS, generate  # noqa: E402

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


def database(args: argparse.Namespace) -> str:
    if args.db:
        return str(args.db)
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


def measure(client: httpx.Client, requests: int) -> dict[str, dict[str, list[float]]]:
    timings: dict[str, dict[str, list[float]]] = {}
    for name, calls in endpoints().items():
        per_call: dict[str, list[float]] = {}
        for i in range(requests):
            path, params = calls[i % len(calls)]
            started = time.perf_counter()
            response = client.get(path, params=params)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise SystemExit(f"{path} {params}: {response.status_code} {response.text[:300]}")
            key = str({k: v for k, v in params.items() if v})
            per_call.setdefault(key, []).append(elapsed)
        timings[name] = per_call
    return timings


def p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def report(timings: dict[str, dict[str, list[float]]]) -> bool:
    ok = True
    print(f"\n{'endpoint':<16} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  target")
    for name, per_call in timings.items():
        values = [v for vs in per_call.values() for v in vs]
        target = TARGETS[name]
        passed = p95(values) < target
        ok &= passed
        print(
            f"{name:<16} {len(values):>4} {statistics.median(values):>8.1f} {p95(values):>8.1f} "
            f"{max(values):>8.1f}  p95 < {target} ms: {'yes' if passed else 'NO'}"
        )
        for key, vs in per_call.items():
            print(f"    {key[:60]:<60} median {statistics.median(vs):7.1f}  max {max(vs):7.1f}")
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
            ok = report(measure(client, args.requests))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print("\nall targets met" if ok else "\nsome targets missed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
