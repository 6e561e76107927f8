"""A page ready for detection: its parsed tree, its text and how to resolve its links.

A Hanweb (大汉) column keeps its first records inside a script
(``<datastore><recordset><record><![CDATA[<li>…</li>]]></record>…``); those records
are read as the page's list.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from parsel import Selector

RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
DATASTORE = re.compile(r"<datastore>(.*?)</datastore>", re.S | re.I)


@dataclass
class Page:
    url: str
    html: str
    root: Any
    base: str
    records: bool = False  # the list came from Hanweb <datastore> records
    resolved: dict[str, str | None] = field(default_factory=dict, repr=False)

    def resolve(self, href: str) -> str | None:
        """The absolute http(s) URL of a link (worked out once per href)."""
        if href in self.resolved:
            return self.resolved[href]
        value = "".join(href.split())  # hrefs broken over lines, or with a leading space
        url: str | None = None
        if value.startswith(("http://", "https://")):
            url = value
        elif value:
            joined = urljoin(self.base, value)
            url = joined if joined.startswith(("http://", "https://")) else None
        self.resolved[href] = url
        return url

    def hrefs(self) -> Iterator[str]:
        for anchor in self.root.iter("a"):
            href = anchor.get("href")
            if href:
                yield href


def parse_page(html: str, url: str, root: Any = None) -> Page:
    """The page at `url`: `html` parsed, or its already parsed tree `root` (a
    Scrapy response's ``selector.root``), which is read and never changed."""
    if root is None:
        root = Selector(text=html or "<html></html>").root
    base = url
    for tag in root.iter("base"):
        if tag.get("href"):
            base = urljoin(url, tag.get("href").strip())
            break
    store = DATASTORE.search(html) if "<datastore" in html[:200_000].lower() else None
    if store:
        records = RECORD.findall(store.group(1))
        if records:
            fragment = Selector(text="<html><body><ul>" + "".join(records) + "</ul></body></html>")
            return Page(url, html, fragment.root, base, records=True)
    return Page(url, html, root, base)
