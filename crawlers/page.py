"""Reading an article page: its main text, title and publication date.

A selector the source configures wins. Without one the page is read the way
`crawlers.detect` reads articles: the title from ``ArticleTitle``/``og:title``/
``h1``/``<title>`` less the site's name; the date from the visible 发布时间/日期
label first, ``meta PubDate`` only when it is not the page-generation stamp; the
main text from the known body containers, else trafilatura, without the title,
the date line and the page's controls. Where the listing gave a date for the
article and the article's own differs from it by more than a day, the listing's
date is kept.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from scrapy.http import TextResponse

from crawlers.dates import parse_date
from crawlers.detect.article import find_date, find_title
from crawlers.detect.body import main_text as detected_main_text
from crawlers.selectors import first_text, select
from crawlers.text import longest_text

LISTING_WINS_AFTER = timedelta(days=1)


def main_text(response: TextResponse, body_selector: str | None) -> str:
    if body_selector:
        # Text straight from the parsed tree: no re-serializing and re-parsing.
        return longest_text(sel.root for sel in select(response, body_selector))
    root = response.selector.root
    title, _how, _element = find_title(root)
    text, _css = detected_main_text(root, response.text, response.url, title)
    return text


def article_title(response: TextResponse, selector: str | None, listing_title: str | None) -> str:
    value = first_text(response, selector)
    if value:
        return value
    title, _how, _element = find_title(response.selector.root, listing_title)
    return title or listing_title or ""


def article_date(
    response: TextResponse, selector: str | None, tz: str, listing_date: str | None = None
) -> datetime | None:
    found = parse_date(first_text(response, selector), tz) if selector else None
    if found is None:
        root = response.selector.root
        _title, _how, element = find_title(root)
        found, _where = find_date(root, response.text, response.url, element, tz)
    listed = parse_date(listing_date, tz) if listing_date else None
    if listed is not None and (found is None or abs(found - listed) > LISTING_WINS_AFTER):
        return listed
    return found
