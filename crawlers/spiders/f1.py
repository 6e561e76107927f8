"""F1, the "n…/c…/content.html" CMS of the MPS, the NIA and Guangxi's PSB.

A column page (``/n2253534/n2253535/index.html``) holds its list in a numbered
component ``<div id="comp_5097045">``; the pager beside it (``#pag_5097045``)
knows the page count (``maxPageNum = 275;``, also kept in a ``maxPageNum{comp}``
cookie). Later pages are bare fragments, ``index_{comp}_{k}.html``, with no page
chrome, so the list selector of page 1 does not fit them: their items are
``/html/body/ul/li`` (or ``/html/body/dl//dd`` on older columns).

Fragments are numbered from the oldest page: page 2 is ``index_{comp}_{max-1}``,
page 3 ``index_{comp}_{max-2}`` ... down to ``index_{comp}_1`` (a public spider of
the MPS column n2253543 pages this way; the page count in a cookie only makes
sense for this numbering). Without a page count the spider falls back to the
source's own ``pages`` template or ``next_page`` selector.

Page 1 often carries several components (navigation, "hot" lists); the one with
the most article links (``c{id}/content.html``) is the column's list. Pages whose
components carry no ``comp_`` id (the MPS home page marks them only with HTML
comments, ``<!--start component 新闻列表(公安要闻)-->``) are grouped by each item's
nearest list element (``ul``, ``ol``, ``dl``, ``table``) instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

from parsel import Selector
from scrapy.http import Response, TextResponse

from crawlers.content_type import not_text
from crawlers.selectors import select
from crawlers.spiders.bulletin import BulletinSpider, ListingEntry
from crawlers.spiders.support import entries_from
from crawlers.text import visible_text_length

FRAGMENT_ITEM = "xpath:/html/body/ul/li | /html/body/dl//dd"
FRAGMENT_URL = re.compile(r"/index_(?P<comp>\d+)_(?P<number>\d+)\.html?$")
TEMPLATE_COMP = re.compile(r"index_(\d+)_\{n\}")
ARTICLE_URL = re.compile(r"/c\d+/content\.html?$")
MAX_PAGE_SCRIPT = re.compile(r"maxPageNum\s*=\s*['\"]?(\d+)")
MAX_PAGE_COOKIE = re.compile(r"maxPageNum(\d+)=(\d+)")
REDIRECT_STUB = re.compile(r"(?:window|document)\.location(?:\.href)?\s*=|location\.replace\(")


class F1Spider(BulletinSpider):
    """Listing pages of F1 sites: component lists, fragment pages counted down."""

    name = "bulletin-f1"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # start URL -> (component id, page count), learnt from page 1
        self.columns: dict[str, tuple[str | None, int | None]] = {}

    # --- listing pages --------------------------------------------------------

    def parse_listing(self, response: Response) -> Iterator[Any]:
        if (
            isinstance(response, TextResponse)
            and response.status == 200
            and not_text(response) is None  # a file: the base records it (not_html)
            and is_redirect_stub(response)
        ):
            # Some fragment pages are only a `window.location` jump: skip to the next.
            page: int = response.meta["page"]
            start_url: str = response.meta["start_url"]
            self.logger.info("skipping redirect-only listing page %s", response.url)
            next_url = self.next_listing_url(response, page, start_url)
            if next_url and page < self.source.list.max_pages:
                yield self.listing_request(next_url, page=page + 1, start_url=start_url)
            return
        yield from super().parse_listing(response)

    def listing_entries(self, response: TextResponse) -> list[ListingEntry]:
        spec = self.source.list
        if is_fragment(response):
            return entries_from(select(response.selector, FRAGMENT_ITEM), spec, response.urljoin)
        if not spec.item:
            return []  # found by detection (crawlers.detect.crawl)
        _comp, nodes = main_component(select(response.selector, spec.item))
        return entries_from(nodes, spec, response.urljoin)

    def next_listing_url(self, response: TextResponse, page: int, start_url: str) -> str | None:
        fragment = FRAGMENT_URL.search(urlsplit(response.url).path)
        if fragment:
            number = int(fragment["number"]) - 1
            if number < 1:
                return None
            return urljoin(response.url, f"index_{fragment['comp']}_{number}.html")
        comp, count = self.column_paging(response)
        self.columns[start_url] = (comp, count)
        if comp and count:
            return urljoin(response.url, f"index_{comp}_{count - 1}.html") if count > 1 else None
        return super().next_listing_url(response, page, start_url)

    def column_paging(self, response: TextResponse) -> tuple[str | None, int | None]:
        """The list component's id and the column's page count, as page 1 gives them."""
        spec = self.source.list
        comp: str | None = None
        if spec.pages and (match := TEMPLATE_COMP.search(spec.pages)):
            comp = match.group(1)
        if comp is None and spec.item:
            comp, _nodes = main_component(select(response.selector, spec.item))
        cookies = {
            m.group(1): int(m.group(2))
            for header in response.headers.getlist("Set-Cookie")
            for m in MAX_PAGE_COOKIE.finditer(header.decode("latin-1"))
        }
        if comp is None and len(cookies) == 1:
            comp = next(iter(cookies))
        count = cookies.get(comp) if comp else None
        if count is None:
            pager = response.css(f"#pag_{comp}").get() if comp else None
            match = MAX_PAGE_SCRIPT.search(pager or response.text)
            count = int(match.group(1)) if match else None
        return comp, count


def is_fragment(response: TextResponse) -> bool:
    """A chrome-less list fragment (``index_{comp}_{k}.html``) rather than a column page."""
    if FRAGMENT_URL.search(urlsplit(response.url).path):
        return True
    return not response.css("[id^=comp_]") and not response.css("title")


def is_redirect_stub(response: TextResponse) -> bool:
    """A page whose only content is a script sending the browser elsewhere."""
    text = response.text
    return (
        len(text) < 4000
        and REDIRECT_STUB.search(text) is not None
        and visible_text_length(text) < 40
    )


def main_component(nodes: Iterable[Selector]) -> tuple[str | None, list[Selector]]:
    """Group list items by their ``comp_`` component, else by their nearest list
    element; keep the group that lists the most articles."""
    # Keyed by the component's id, else by the list element itself: never by id() of
    # an lxml element, whose Python proxy is freed and made again, so that one list
    # got several ids and two lists one (a home page read 15 items or 8 at random).
    groups: dict[object, list[Selector]] = {}
    for node in nodes:
        owner: object = node.xpath("ancestor-or-self::*[starts-with(@id, 'comp_')][1]/@id").get()
        if not owner:
            owner = next(node.root.iterancestors("ul", "ol", "dl", "table"), None)
        groups.setdefault(owner, []).append(node)
    if not groups:
        return None, []

    def weight(item: tuple[object, list[Selector]]) -> tuple[int, int]:
        articles = sum(
            1
            for node in item[1]
            if any(ARTICLE_URL.search(h) for h in node.css("a::attr(href)").getall())
        )
        return articles, len(item[1])

    owner, chosen = max(groups.items(), key=weight)
    comp = owner.removeprefix("comp_") if isinstance(owner, str) else None
    return comp, chosen
