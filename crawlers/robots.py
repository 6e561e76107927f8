"""A page robots.txt forbids fails with its own code, ``robots_disallowed``.

Scrapy's `RobotsTxtMiddleware` refuses such a request with a bare ``IgnoreRequest``
("Forbidden by robots.txt"), which the crawl could only file under ``error``. This
middleware is Scrapy's, refusing with `RobotsDisallowed` instead: the same
``IgnoreRequest`` (nothing is fetched, Scrapy logs nothing more), carrying its code
(`storage.status.classify` reads it) and naming the robots.txt that forbids the page.

Each crawl has its own middleware and so reads robots.txt anew: an article it forbade
is tried again on the ordinary retry schedule (`storage.repository`), and is fetched
once the site allows it.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request
from scrapy.robotstxt import RobotParser


def robots_url(url: str) -> str:
    """``http://host:port/robots.txt``: the robots.txt that rules `url`."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))


class RobotsDisallowed(IgnoreRequest):
    """A request the site's robots.txt forbids; the message names that robots.txt."""

    code = "robots_disallowed"  # storage.status.ErrorCode.ROBOTS_DISALLOWED

    def __init__(self, url: str) -> None:
        self.url = url
        super().__init__(f"forbidden by the site's robots.txt ({robots_url(url)})")


class RobotsMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, refusing with `RobotsDisallowed`."""

    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        try:
            super().process_request_2(rp, request)
        except IgnoreRequest as exc:  # Scrapy's "Forbidden by robots.txt"
            raise RobotsDisallowed(request.url) from exc
