"""What detection (`crawlers.detect`) finds on a source's listing page, next to what the
source's selectors found, and the column a home-page source should start from.

A configured ``list.item`` that finds fewer than half of what detection finds gets a
warning (the same rule a crawl records on its run, `crawlers.detect.crawl`). On a home
page (several lists) the check suggests the column page: the link whose text is one
of `COLUMN_NAMES` (the source's own ``list.heading`` first), when the page is not
that column itself.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from scrapy.http import Response, TextResponse

from crawlers.detect import DetectedList, Detection, detect_listing
from crawlers.detect.page import parse_page
from crawlers.spiders.bulletin import BulletinSpider
from crawlers.spiders.support import is_json

__all__ = ["COLUMN_NAMES", "ListingDetection", "compare_with_detection", "suggest_column"]

#: The columns of a public-security home page that hold its releases, in order of preference.
COLUMN_NAMES = ("警务资讯", "公安要闻", "新闻发布", "工作动态", "警情通报")


@dataclass
class ListingDetection:
    """Detection beside the selectors on one listing page."""

    selector_items: int | None  # None: the source has no list selector
    detected_items: int
    heading: str | None  # the list detection's items come from (None: several, or unnamed)
    home: bool  # the page holds several lists (a home page)
    lists: list[dict[str, Any]] = field(default_factory=list)  # {"heading", "count"}
    warning: str | None = None
    column_url: str | None = None  # suggested start URL for a home-page source
    column_heading: str | None = None

    def line(self) -> str:
        """``selectors: 12 items; detection: 25 items in 新闻发布`` and the like."""
        selectors = (
            "selectors: none configured"
            if self.selector_items is None
            else f"selectors: {self.selector_items} item(s)"
        )
        where = f" in {self.heading}" if self.heading else ""
        if self.home and not self.heading:
            where = f" in {len(self.lists)} list(s)"
        return f"{selectors}; detection: {self.detected_items} item(s){where}"


def _key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _inside(page_url: str, column_url: str) -> bool:
    """Whether the page is the column page or lies in its directory (a breadcrumb)."""
    directory = column_url.split("?", 1)[0].rsplit("/", 1)[0] + "/"
    return page_url.split("?", 1)[0].startswith(directory)


def suggest_column(detection: Detection, preferred: list[str]) -> tuple[str, str] | None:
    """(heading, URL) of the column page to start from, for a page that is not that
    column: the link whose whole text is a wanted heading (the source's own, then
    `COLUMN_NAMES`), else a detected list's "more" link under that heading."""
    page = detection.page
    if page is None:
        return None
    wanted = [*preferred, *(n for n in COLUMN_NAMES if n not in preferred)]
    links: dict[str, str] = {}
    for anchor in page.root.iter("a"):
        href = anchor.get("href")
        if not href:
            continue
        text = _key("".join(anchor.itertext()) or anchor.get("title") or "")
        url = page.resolve(href)
        if text and url and text not in links:
            links[text] = url
    for name in wanted:
        listed = detection.pick(name)
        for url in (links.get(_key(name)), listed.column_url if listed else None):
            if url and not _inside(page.url, url):
                return name, url
    return None


def _source_list(detection: Detection, headings: list[str]) -> DetectedList | None:
    for heading in headings:
        picked = detection.pick(heading)
        if picked is not None:
            return picked
    mains = [lst for lst in detection.lists if lst.main]
    return mains[0] if len(mains) == 1 else None


def compare_with_detection(spider: BulletinSpider, response: Response) -> ListingDetection | None:
    """Detection next to the selectors on `response`, a decoded listing page; None where
    the family reads its list from somewhere other than the page (an API, records)."""
    if not isinstance(response, TextResponse) or is_json(response):
        return None
    if not getattr(spider, "compare_lists", True):
        return None
    spec = spider.source.list
    selected = len(spider.listing_entries(response)) if spec.item else None
    page = parse_page(response.text, response.url, response.selector.root)
    detection = detect_listing(page, response.url)
    chosen = _source_list(detection, spec.headings)
    detected = len(chosen.items) if chosen is not None else len(detection.items)
    found = ListingDetection(
        selector_items=selected,
        detected_items=detected,
        heading=chosen.heading if chosen is not None else None,
        home=detection.home,
        lists=[lst.to_json() for lst in detection.lists],
    )
    if selected is not None and selected < detected / 2:
        item = spec.item or ""
        selector = item if len(item) <= 60 else item[:57] + "..."
        found.warning = (
            f"the list selector {selector!r} found {selected} item(s), fewer than half of "
            f"detection's {detected}: check it with `bulletins sources probe {response.url}`"
        )
    column = suggest_column(detection, spec.headings)
    if column is not None:
        found.column_heading, found.column_url = column
    return found
