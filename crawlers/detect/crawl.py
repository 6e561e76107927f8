"""How a crawl uses detection on its listing pages.

A source without ``list.item``, or whose ``list.item`` matched nothing on a page,
takes the page's items from detection (``list.heading`` picks one list of a page
with several). A configured selector that finds fewer than half of what detection
finds, or finds entries nested inside other entries, is kept but reported: a
warning with both counts. What happened is left on the spider for the run's
record: stats ``bulletins/listing_detected`` (pages read by detection) and
``bulletins/listing_warnings``, and ``spider.listing_warnings`` (one dict per
warning: url, warning, selector_count, detected_count).
"""

from __future__ import annotations

from typing import Any

from scrapy.http import Response, TextResponse

from crawlers.detect import Detection, ListingItem, detect_listing
from crawlers.detect.page import parse_page
from crawlers.items import ListingEntry
from crawlers.selectors import select


def _nested(nodes: list[Any]) -> int:
    """How many of `nodes` lie inside another of them."""
    members = {id(n) for n in nodes}
    count = 0
    for node in nodes:
        parent = node.getparent()
        while parent is not None:
            if id(parent) in members:
                count += 1
                break
            parent = parent.getparent()
    return count


def _chosen(detection: Detection, headings: list[str]) -> tuple[list[ListingItem], str | None]:
    """The items to follow and, when a heading was asked for and not found, why."""
    if not headings:
        return detection.items, None
    for heading in headings:
        picked = detection.pick(heading)
        if picked is not None:
            return picked.items, None
    names = ", ".join(detection.headings()) or "none"
    wanted = " / ".join(headings)
    return detection.items, f"no list headed {wanted} on the page (its lists: {names}); read all"


def warn(spider: Any, url: str, message: str, selected: int | None, detected: int) -> None:
    spider.logger.warning("listing %s: %s", url, message)
    spider.crawler.stats.inc_value("bulletins/listing_warnings")
    record = {"url": url, "warning": message, "selector_count": selected,
              "detected_count": detected}
    if not hasattr(spider, "listing_warnings"):
        spider.listing_warnings = []
    spider.listing_warnings.append(record)


def reconcile(spider: Any, response: Response, entries: list[Any]) -> list[Any]:
    """The listing entries a crawl should follow on this page (see the module doc)."""
    from crawlers.spiders.support import is_json

    if not isinstance(response, TextResponse) or is_json(response):
        return entries
    spec = spider.source.list
    if spec.item and entries and not spec.headings and not getattr(spider, "compare_lists", True):
        return entries
    detection = detect_listing(parse_page(response.text, response.url, response.selector.root),
                               response.url)
    items, missing = _chosen(detection, spec.headings)
    detected = [ListingEntry(i.url, i.title, i.date) for i in items]
    if detection.next_page and not detection.home:
        spider.detected_next_pages = getattr(spider, "detected_next_pages", {})
        spider.detected_next_pages[response.url] = detection.next_page
    if not spec.item or not entries:
        if missing and detected:
            warn(spider, response.url, missing, None, len(detected))
        if spec.item and detected:
            warn(spider, response.url,
                 f"the list selector {spec.item!r} matched nothing; "
                 f"detection found {len(detected)} item(s), which are followed instead",
                 0, len(detected))
        if detected:
            spider.crawler.stats.inc_value("bulletins/listing_detected")
        return detected
    if getattr(spider, "compare_lists", True):
        nested = _nested([n.root for n in select(response, spec.item)])
        if nested or len(entries) < len(detected) / 2:
            why = (f"{nested} of its entries lie inside other entries" if nested
                   else "that is fewer than half")
            warn(spider, response.url,
                 f"the list selector {spec.item!r} found {len(entries)} item(s) and detection "
                 f"{len(detected)}: {why}; check the selector (`bulletins sources probe`)",
                 len(entries), len(detected))
    return entries
