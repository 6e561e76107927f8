"""Finding a listing page's articles, and an article's parts, without selectors.

`detect_listing(html, url)` reads a listing page by its structure (see `lists`): the
lists it holds, each with its heading, the page's items and its next page. A column
page's items are its main list (the one beside the pager, else the strongest); a
home page's are all its news lists, off-site ones left out where the page has lists
of its own. `read_article(html, url)` finds an article's title, date and main text
(see `article`). Both are pure: HTML and its address in, plain data out.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from crawlers.detect.dates import reference_date
from crawlers.detect.headings import name_lists
from crawlers.detect.layout import is_column, merge_split_lists
from crawlers.detect.lists import FoundList, find_lists
from crawlers.detect.page import Page, parse_page
from crawlers.detect.paging import has_pager, next_page, pager_anchor

__all__ = [
    "DetectedList",
    "Detection",
    "ListingItem",
    "detect_listing",
    "parse_page",
]


@dataclass(frozen=True)
class ListingItem:
    url: str
    title: str | None
    date: str | None  # YYYY-MM-DD


@dataclass
class DetectedList:
    heading: str | None
    items: list[ListingItem]
    column_url: str | None = None
    offsite: bool = False
    main: bool = False  # among the page's items
    found: FoundList | None = field(default=None, repr=False)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"heading": self.heading, "count": len(self.items)}
        if self.column_url:
            data["column_url"] = self.column_url
        if self.offsite:
            data["offsite"] = True
        if not self.main:
            data["in_items"] = False
        return data


@dataclass
class Detection:
    url: str
    lists: list[DetectedList]
    items: list[ListingItem]
    next_page: str | None
    home: bool
    page: Page | None = field(default=None, repr=False)

    def pick(self, heading: str) -> DetectedList | None:
        """The list under `heading` (exact, then contained either way, whitespace and
        full-width forms ignored)."""
        want = _key(heading)
        named = [(lst, _key(lst.heading or "")) for lst in self.lists if lst.heading]
        for lst, key in named:
            if key == want:
                return lst
        for lst, key in named:
            if want and key and (want in key or key in want):
                return lst
        return None

    def headings(self) -> list[str]:
        return [lst.heading or "(no heading)" for lst in self.lists]


def _key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


def _items(found: FoundList) -> list[ListingItem]:
    return [
        ListingItem(i.url, i.title or None, i.date.isoformat() if i.date else None)
        for i in found.items
    ]


def _common_depth(a: Any, b: Any) -> int:
    ancestors = set()
    node = a
    while node is not None:
        ancestors.add(node)
        node = node.getparent()
    depth, node = 0, b
    while node is not None and node not in ancestors:
        node = node.getparent()
    while node is not None:
        depth, node = depth + 1, node.getparent()
    return depth


def detect_listing(html: str | Page, url: str, *, today: date | None = None) -> Detection:
    """The lists of a listing page, its items and its next page."""
    page = html if isinstance(html, Page) else parse_page(html, url)
    reference = reference_date(page.hrefs(), today)
    found = find_lists(page.root, page.url, page.resolve, reference)
    name_lists(found, page.root, page.resolve)
    found = merge_split_lists(found)
    own = [f for f in found if not f.foreign]
    chosen = own or found
    pager = has_pager(page.root, page.html, page.url, page.resolve)
    main: FoundList | None = None
    column = False
    if chosen:
        ranked = sorted(chosen, key=lambda f: -f.score)
        main = ranked[0]
        anchor = pager_anchor(page.root, page.html) if pager else None
        if anchor is not None:
            main = max(chosen, key=lambda f: (_common_depth(f.container, anchor), f.score))
        column = is_column(page.root, page.url, chosen, pager)
    in_items = [main] if column and main else chosen
    lists = [
        DetectedList(f.heading, _items(f), f.column_url, f.foreign, f in in_items, f)
        for f in found
    ]
    items: list[ListingItem] = []
    seen: set[str] = set()
    for lst in lists:
        if lst.main:
            for item in lst.items:
                if item.url not in seen:
                    seen.add(item.url)
                    items.append(item)
    following = None
    if column and main is not None:
        following = next_page(page.root, page.html, page.url, page.resolve, main.container)
    return Detection(page.url, lists, items, following, not column, page)
