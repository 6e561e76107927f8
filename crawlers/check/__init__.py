"""`bulletins sources check`: try a source now, the way a crawl would read it.

For each source: fetch its first listing page, run the source's own spider on it
(the same `listing_request` / `parse_listing` / `parse_article` code a crawl runs,
so check and crawl agree), follow the column page to its list API where the
family works that way, fetch the first article and read it. Report what was
found and one verdict:

    ok           the listing gave article links and the first article a title and a body
    no_match     "selectors found nothing": a page came back but the list or the
                 article selectors found nothing on it
    blocked      an anti-bot challenge (HTTP 412/521 answered with a script, the
                 ``$_ts`` or ``__jsl_clearance`` markers, a page that is only script)
                 or a refusal (HTTP 401/403/429)
    unreachable  no answer: DNS, connection, TLS, HTTP errors such as 404 or 5xx,
                 or the time limit

Each source has a hard time limit (DNS included): it runs in a daemon thread that
is abandoned, and reported unreachable, when the limit passes. Sources are checked
concurrently.

The browser: sources with ``render: always`` are fetched through it; a ``render:
auto`` source is fetched over plain HTTP first and, when a page answers with a
challenge, that page goes through the browser, whose cookies are then tried for
plain HTTP (the way a crawl hands them over). The result says whether the source
needed the browser and why (`needs_browser`, `browser_reason`). The caller passes
the browser in as a `BrowserFetch` (the `browser` argument of `check_sources`; the
CLI passes `crawlers.browser.sync.CheckBrowser.fetch` where a Chromium can be
launched): given the source, a request and the seconds left, it returns the
rendered page as a Scrapy response. Without a browser, ``render: always`` sources
are fetched over plain HTTP all the same and marked ``needs_browser``.

Detection: on each listing page the check also reads the page without selectors
(`crawlers.detect`) and reports both counts (``selectors: 12 item(s); detection: 25
item(s) in 新闻发布``), with a warning when the selectors find fewer than half, and
for a home page the column URL to start from (`detection`).

Modules: `results` (what a check found), `fetch` (plain HTTP or the browser),
`offline` (the spider without a crawl), `detection`, `source` (one source, many
sources), `summary` (the human form).
"""

from crawlers.check.detection import COLUMN_NAMES, ListingDetection, suggest_column
from crawlers.check.fetch import BrowserFetch
from crawlers.check.offline import offline_spider
from crawlers.check.results import LABELS, PageCheck, SourceCheck
from crawlers.check.source import check_source, check_sources, needs_browser
from crawlers.check.summary import summary_lines
from crawlers.responses import to_response

__all__ = [
    "COLUMN_NAMES",
    "LABELS",
    "BrowserFetch",
    "ListingDetection",
    "PageCheck",
    "SourceCheck",
    "check_source",
    "check_sources",
    "needs_browser",
    "offline_spider",
    "suggest_column",
    "summary_lines",
    "to_response",
]
