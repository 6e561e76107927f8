"""Downloader middlewares: retries that back off instead of hammering a site."""

from __future__ import annotations

import asyncio
import random
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response

DELAY_KEY = "bulletins_retry_delay"


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry policy, with an exponential, jittered delay before each retry."""

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.cap = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        middleware = cls(crawler.settings)
        middleware.crawler = crawler
        return middleware

    def _retry(self, request: Request, reason: Any) -> Request | None:
        retry = super()._retry(request, reason)
        if retry is not None:
            attempt = int(retry.meta.get("retry_times", 1))
            delay = min(self.cap, self.base * 2 ** (attempt - 1))
            retry.meta[DELAY_KEY] = random.uniform(delay / 2, delay)
        return retry


class RetryDelayMiddleware:
    """Waits the delay a retry carries before it goes out."""

    async def process_request(self, request: Request) -> Response | None:
        delay = request.meta.pop(DELAY_KEY, None)
        if delay:
            await asyncio.sleep(float(delay))
        return None
