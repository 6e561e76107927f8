"""A bare Scrapy spider for the crawl benchmark: the same requests, the same
selectors and settings as the full pipeline, but nothing cleaned or stored.

Usage: python bench/bare_spider.py SOURCE_JSON  (prints one JSON line of stats)
"""

from __future__ import annotations

import json
import sys
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import Response
from scrapy.settings import Settings

from crawlers.selectors import first_text, select
from crawlers.sources.schema import SourceConfig


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, source: SourceConfig, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.source = source
        self.pages = 0

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.source.start_urls:
            yield scrapy.Request(url, callback=self.parse_listing, meta={"page": 1})

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        spec = self.source.list
        self.pages += 1
        for item in select(response, spec.item):  # type: ignore[arg-type]
            href = first_text(item, spec.link)
            if href:
                yield scrapy.Request(response.urljoin(href), callback=self.parse_article)
        nxt = first_text(response, spec.next_page) if spec.next_page else None  # type: ignore[arg-type]
        if nxt and response.meta["page"] < spec.max_pages:
            yield response.follow(nxt, self.parse_listing, meta={"page": response.meta["page"] + 1})

    def parse_article(self, response: Response) -> None:
        self.pages += 1
        body = self.source.article.body
        if body:
            select(response, body).getall()  # type: ignore[arg-type]


def main() -> None:
    source = SourceConfig.model_validate(json.loads(sys.argv[1]))
    overrides = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    settings = Settings()
    settings.setmodule("crawlers.settings", priority="project")
    settings.set("ITEM_PIPELINES", {}, priority="cmdline")
    settings.set("EXTENSIONS", {"scrapy.extensions.telnet.TelnetConsole": None}, "cmdline")
    for key, value in overrides.items():
        settings.set(key, value, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, source=source)
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    print(
        json.dumps(
            {
                "pages": crawler.spider.pages if crawler.spider else 0,  # type: ignore[attr-defined]
                "seconds": float(stats.get("elapsed_time_seconds", 0.0)),
                "requests": int(stats.get("downloader/request_count", 0)),
            }
        )
    )


if __name__ == "__main__":
    main()
