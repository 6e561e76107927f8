"""Throughput of extract_figures on ~5 KB bulletins (the seeds, repeated), one process,
and the time for 1 MB run-on texts (no full stop in the whole text: probe D8).

    .venv/bin/python bench/bench_extraction.py [--seconds 3]

Prints documents per second and figures per second, by CPU time and by wall time
(target: >= 1,000 docs/s by CPU time), then each run-on text at 1/4 MB and 1 MB with
its time and figures (target: under 2 s for 1 MB, and four times the text taking
about four times as long: linear, where the old extractor took sixteen).
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
MEGABYTE = 1_000_000
# The probe's run-on texts: one sentence, a figure every few words.
RUN_ONS = {
    "English, commas": "police arrested 27 suspects, ",
    "English, no punctuation": "police arrested 27 suspects and seized 3 guns and ",
    "Chinese, commas": "冻结涉案资金约27亿元，",
    "Chinese, no punctuation": "抓获犯罪嫌疑人18名打掉团伙3个",
}


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


def run_on(unit: str, size: int) -> str:
    return unit * (size // len(unit.encode("utf-8")))


def time_run_ons() -> None:
    print("run-on texts (one sentence each), CPU seconds:")
    for name, unit in RUN_ONS.items():
        timings = []
        for size in (MEGABYTE // 4, MEGABYTE):
            text = run_on(unit, size)
            cpu = time.process_time()
            found = len(extract_figures(text))
            timings.append(time.process_time() - cpu)
        print(f"  {name:<24} 1/4 MB {timings[0]:.2f} s, 1 MB {timings[1]:.2f} s "
              f"({found:,} figures; x{timings[1] / timings[0]:.1f} for x4 the text)")


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
    time_run_ons()
    return 0


if __name__ == "__main__":
    sys.exit(main())
