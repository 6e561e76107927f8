"""Helpers for the registry tests: family fixtures, sources, and responses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import scrapy
from scrapy.http import Headers, TextResponse

from bulletins.config import parse_config
from crawlers.check import offline_spider, to_response
from crawlers.sources.schema import SourceConfig
from crawlers.spiders.bulletin import BulletinSpider

FAMILIES = Path(__file__).resolve().parents[1] / "fixtures" / "families"


def fixture(family: str, name: str) -> bytes:
    return (FAMILIES / family / name).read_bytes()


def builtin(source_id: str) -> SourceConfig:
    """A built-in source, loaded the way the application loads it."""
    return parse_config({}).source(source_id)


def custom(**entry: Any) -> SourceConfig:
    """A source of the user's config, with its family resolved by the real loader."""
    entry.setdefault("id", "test-source")
    entry.setdefault("name", "测试来源")
    return parse_config({"builtin_sources": False, "sources": [entry]}).source(entry["id"])


def spider_for(source: SourceConfig) -> BulletinSpider:
    return offline_spider(source)


def response(
    url: str,
    body: bytes,
    *,
    request: scrapy.Request | None = None,
    content_type: str = "text/html; charset=utf-8",
    headers: dict[str, str] | None = None,
    status: int = 200,
) -> TextResponse:
    """A response as Scrapy would build it, tied to `request` (so `response.meta` works)."""
    all_headers = Headers({"Content-Type": content_type, **(headers or {})})
    built = to_response(request or scrapy.Request(url), url, status, all_headers, body)
    assert isinstance(built, TextResponse)
    return built


def listing_response(
    spider: BulletinSpider,
    url: str,
    body: bytes,
    *,
    page: int = 1,
    start_url: str | None = None,
    **kwargs: Any,
) -> TextResponse:
    request = spider.listing_request(url, page=page, start_url=start_url or url)
    return response(url, body, request=request, **kwargs)
