"""A source's own spider, run without a crawl: no engine, no reactor, no database."""

from __future__ import annotations

from typing import Any

from scrapy.settings import Settings

from crawlers import settings as crawl_settings
from crawlers.sources.schema import SourceConfig
from crawlers.spiders import spider_class
from crawlers.spiders.bulletin import BulletinSpider

__all__ = ["offline_spider"]


class _NoStats:
    def inc_value(self, *args: Any, **kwargs: Any) -> None:
        pass

    def set_value(self, *args: Any, **kwargs: Any) -> None:
        pass

    def get_value(self, key: str, default: Any = None, *args: Any, **kwargs: Any) -> Any:
        return default


class _OfflineCrawler:
    """What the parsing steps of a spider touch of its crawler: stats and settings."""

    def __init__(self) -> None:
        self.stats = _NoStats()
        self.settings = Settings()
        self.settings.setmodule(crawl_settings, priority="project")


def offline_spider(source: SourceConfig, timezone: str = "Asia/Shanghai") -> BulletinSpider:
    """The source's own spider, ready to parse pages handed to it (no engine, no database)."""
    spider = spider_class(source.spider)(source)
    spider.crawler = _OfflineCrawler()  # type: ignore[assignment]
    spider.timezone = timezone
    return spider
