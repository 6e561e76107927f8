"""Speed of list detection (crawlers.detect) on a 100 KB listing page, one process.

    .venv/bin/python bench/bench_detect.py [--seconds 3]

The page is a TRS-style column as provincial sites serve them: header, a navigation
bar with drop-down menus, breadcrumb, a 40-entry list whose entries carry a
"related" pop-up, a pager, a sidebar with a hot list and a column of section links,
and a footer of some 200 other sites' links, padded with inline CSS to 100 KB.
Prints milliseconds per page for detection on the parsed tree (what a crawl adds: the
spider has parsed the page already) and for parse + detection (`sources probe`);
the target is under 20 ms. Also times the real MPS home page (69 KB, 10 lists).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from parsel import Selector  # noqa: E402

from crawlers.detect import detect_listing  # noqa: E402
from crawlers.detect.page import parse_page  # noqa: E402
from tests.detect.cms_pages import SPECS, column_case, footer  # noqa: E402

TARGET_MS = 20.0
SIZE = 100_000


def listing_page() -> tuple[str, str]:
    spec = next(s for s in SPECS if s[0] == "ndrc_related_popups")
    case = column_case((spec[0], spec[1], spec[2], spec[3], spec[4], spec[5], 40))
    links = "".join(
        f'<li><a href="http://www{i}.example.gov.cn/" target="_blank">示例单位{i}网站</a></li>'
        for i in range(200)
    )
    more = f'<div class="footer-links"><ul>{links}</ul></div>'
    html = case.html.replace(footer(), more + footer())
    style = "<style>" + "".join(
        f".c{i} {{ margin: {i % 7}px; padding: {i % 5}px; color: #{i:06x}; }}\n"
        for i in range(5000)
    )
    pad = SIZE - len(html.encode("utf-8")) - len("</style>")
    html = html.replace("</head>", style[: max(pad, 0)] + "</style></head>", 1)
    return html, case.url


def per_page_ms(work: object, seconds: float) -> float:
    run = work  # a callable
    run()  # type: ignore[operator]
    count, start = 0, time.process_time()
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        run()  # type: ignore[operator]
        count += 1
    return (time.process_time() - start) * 1000 / count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0, help="how long to run each")
    args = parser.parse_args()
    html, url = listing_page()
    tree = Selector(text=html).root
    found = detect_listing(parse_page(html, url, tree), url)
    print(f"page: {len(html.encode('utf-8')):,} bytes, {sum(1 for _ in tree.iter('a'))} links; "
          f"found {len(found.items)} items, next page {found.next_page}")
    detect_ms = per_page_ms(lambda: detect_listing(parse_page(html, url, tree), url), args.seconds)
    full_ms = per_page_ms(lambda: detect_listing(html, url), args.seconds)
    mps = (ROOT / "tests/fixtures/realpages/www.mps.gov.cn/index_home_2026-09.html").read_text()
    mps_ms = per_page_ms(lambda: detect_listing(mps, "https://www.mps.gov.cn/index.html"),
                         args.seconds)
    print(f"detection on the parsed page: {detect_ms:.1f} ms CPU per page (target < {TARGET_MS:g})")
    print(f"parse + detection:            {full_ms:.1f} ms CPU per page")
    print(f"real MPS home page, 69 KB:    {mps_ms:.1f} ms CPU per page (parse + detection)")
    verdict = "met" if detect_ms < TARGET_MS else "NOT met"
    print(f"target {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
