"""F2, TRS WCM columns: ``index.html``, then ``index_1.html``, ``index_2.html`` ...

The pager is written by script, ``createPageHTML(countPage, currentPage, "index",
"html")``, often fed by ``var countPage = 12``. The page count is read from there so
paging stops at the last page instead of asking for one that does not exist (a
404 every run on a one-page column). The page URLs themselves come from the
source's ``pages`` template (``index_{n}.html``, ``index_{n}.shtml`` ...). An entry
nested inside another entry (the 相关解读 pop-up list of each NDRC entry) is not an
entry of the column.
"""

from __future__ import annotations

import re

from scrapy.http import TextResponse

from crawlers.selectors import select
from crawlers.spiders.bulletin import BulletinSpider, ListingEntry
from crawlers.spiders.support import entries_from

PAGE_COUNT = (
    re.compile(r"createPageHTML\s*\(\s*['\"]?(\d+)"),
    re.compile(r"\bcountPage\s*=\s*['\"]?(\d+)"),
    re.compile(r"\bpageCount\s*[=:]\s*['\"]?(\d+)"),
)


def trs_page_count(html: str) -> int | None:
    """The column's page count as the TRS pager script states it, if it does."""
    for pattern in PAGE_COUNT:
        match = pattern.search(html)
        if match:
            return int(match.group(1))
    return None


class TrsSpider(BulletinSpider):
    """The generic spider, stopping at the last page the TRS pager announces."""

    name = "bulletin-trs"

    def listing_entries(self, response: TextResponse) -> list[ListingEntry]:
        """Entries of the configured selector, less those nested in other entries
        (TRS columns put a 相关解读 pop-up list inside each entry)."""
        spec = self.source.list
        if not spec.item:
            return []  # found by detection (crawlers.detect.crawl)
        return entries_from(select(response, spec.item), spec, response.urljoin)

    def next_listing_url(self, response: TextResponse, page: int, start_url: str) -> str | None:
        count = trs_page_count(response.text)
        if count is not None and page >= count:
            return None
        return super().next_listing_url(response, page, start_url)
