"""Every exception while reading a response becomes a failed page of the run.

Scrapy logs an exception raised by a spider callback and drops the page: a crawl
that could not parse, clean or read any of its articles would end "ok". This
spider middleware hands such an exception to the spider's `callback_failed`,
which records the page on the run with its code (`storage.status.classify`:
``dependency_missing`` for a failed import, else ``parse_error``) and keeps it
as a failed page, to be fetched again later.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scrapy.crawler import Crawler
from scrapy.http import Response

from storage.status import ErrorCode, classify


def callback_code(exc: BaseException) -> str:
    """The code of an exception raised while a fetched page was read."""
    code = classify(exc)
    return ErrorCode.PARSE_ERROR if code == ErrorCode.ERROR else code


class CallbackFailureMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CallbackFailureMiddleware:
        return cls(crawler)

    def process_spider_exception(
        self, response: Response, exception: Exception
    ) -> Iterable[Any] | None:
        if type(exception).__name__ == "HttpError":  # Scrapy's HttpErrorMiddleware's own
            return None
        handler = getattr(self.crawler.spider, "callback_failed", None)
        if handler is None:
            return None
        return handler(response, exception)
