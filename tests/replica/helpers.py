"""A small HTTP client and HTML readers for the replica's tests."""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message

from parsel import Selector
from w3lib.encoding import html_to_unicode

from replica import normalize_text


@dataclass
class Fetched:
    status: int
    headers: Message
    body: bytes

    @property
    def text(self) -> str:
        """The body decoded the way Scrapy does it (header, then BOM/meta, then guess)."""
        return html_to_unicode(self.headers.get("Content-Type"), self.body)[1]

    @property
    def selector(self) -> Selector:
        return Selector(text=self.text)


def fetch(
    url: str, headers: dict[str, str] | None = None, method: str = "GET", timeout: float = 5
) -> Fetched:
    """GET (or `method`) `url`; an HTTP error status is returned, not raised."""
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Fetched(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:  # 304, 404, ...
        with error:
            return Fetched(error.code, error.headers, error.read())


def select(selector: Selector, query: str) -> list[str]:
    """Apply a source-config selector (CSS, or XPath after ``xpath:``)."""
    if query.startswith("xpath:"):
        return selector.xpath(query.removeprefix("xpath:")).getall()
    return selector.css(query).getall()


def main_text(selector: Selector, css: str) -> str:
    """The normalized text of the last match of `css`, without <style>/<script>."""
    nodes = selector.css(css)
    assert nodes, f"nothing matches {css!r}"
    texts = nodes[-1].xpath(".//text()[not(ancestor::style) and not(ancestor::script)]").getall()
    return normalize_text(" ".join(texts))
