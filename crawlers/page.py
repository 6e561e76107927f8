"""Reading an article page: its main text, title and publication date."""

from __future__ import annotations

import re
from datetime import datetime

from scrapy.http import TextResponse

from crawlers.dates import parse_date
from crawlers.selectors import first_text, select
from crawlers.text import longest_text, main_text_auto

TITLE_META = (
    "meta[name=ArticleTitle]::attr(content)",
    "meta[property='og:title']::attr(content)",
)
DATE_META = (
    "meta[name=PubDate]::attr(content)",
    "meta[name=pubdate]::attr(content)",
    "meta[property='article:published_time']::attr(content)",
    "meta[name=firstpublishedtime]::attr(content)",
    "meta[name=publishdate]::attr(content)",
    "meta[itemprop=datePublished]::attr(content)",
    "time::attr(datetime)",
    "publishtime::text",
)
DATE_LABEL = re.compile(
    r"(?:发布时间|发布日期|发文日期|时间|日期|Updated|Published|Date)\s*[:：]?\s*(.{6,40})",
    re.IGNORECASE,
)


def main_text(response: TextResponse, body_selector: str | None) -> str:
    if body_selector:
        # Text straight from the parsed tree: no re-serializing and re-parsing.
        return longest_text(sel.root for sel in select(response, body_selector))
    return main_text_auto(response.text, response.url)


def article_title(response: TextResponse, selector: str | None, listing_title: str | None) -> str:
    for expression in (selector, *TITLE_META, "h1"):
        value = first_text(response, expression)
        if value:
            return value
    if listing_title:
        return listing_title
    title = first_text(response, "title") or ""
    return re.split(r"\s+[-_|]\s+", title)[0].strip()


def article_date(response: TextResponse, selector: str | None, tz: str) -> datetime | None:
    for expression in (selector, *DATE_META):
        value = parse_date(first_text(response, expression), tz)
        if value is not None:
            return value
    # A labelled date near the top of the page (发布时间：…, Updated: …).
    head = " ".join(response.xpath("//body//text()[normalize-space()]").getall()[:200])
    for match in DATE_LABEL.finditer(head):
        value = parse_date(match.group(1), tz)
        if value is not None:
            return value
    return None
