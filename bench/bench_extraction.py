"""Throughput of extract_figures on ~5 KB bulletins (the seeds, repeated), one process.

    .venv/bin/python bench/bench_extraction.py [--seconds 3]

Prints documents per second and figures per second, by CPU time and by wall time;
the target is >= 500 docs/s.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extraction import extract_figures  # noqa: E402

SEEDS = ROOT / "tests" / "fixtures" / "eval"
TARGET_BYTES = 5000


def documents() -> list[str]:
    """Each seed repeated (paragraph by paragraph) until it is about 5 KB."""
    docs = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        doc = text
        while len(doc.encode("utf-8")) < TARGET_BYTES:
            doc += "\n\n" + text
        docs.append(doc)
    return docs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0, help="how long to run")
    args = parser.parse_args()
    docs = documents()
    sizes = [len(d.encode("utf-8")) for d in docs]
    for doc in docs:  # warm up: compile patterns, fill caches
        extract_figures(doc)
    count = figures = 0
    wall, cpu = time.perf_counter(), time.process_time()
    deadline = wall + args.seconds
    while time.perf_counter() < deadline:
        for doc in docs:
            figures += len(extract_figures(doc))
            count += 1
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"documents: {len(docs)} seeds repeated to {min(sizes)}-{max(sizes)} bytes each, "
          f"{figures / count:.1f} figures each")
    # CPU time is what the extractor costs; wall time also counts other processes
    # sharing the machine.
    for name, elapsed in (("cpu", cpu), ("wall", wall)):
        print(f"{name:>4}: {count / elapsed:,.0f} docs/s, {figures / elapsed:,.0f} figures/s "
              f"({elapsed * 1000 / count:.2f} ms per document)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
