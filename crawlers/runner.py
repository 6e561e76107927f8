"""Run the spiders of several sources in this process (one Twisted reactor).

A reactor starts once per process: callers that crawl more than once (the
daemon, tests) run this in a child process, e.g. through `bulletins crawl`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings

from alerts.config import WebhookConfig
from crawlers.settings_model import BrowserSettings, CrawlSettings
from crawlers.sources.schema import SourceConfig
from crawlers.spiders import spider_class
from crawlers.store import database
from storage.models import CrawlRun
from storage.status import RunStatus


@dataclass(frozen=True)
class RunSummary:
    source_id: str
    run_id: int | None
    status: str
    reason: str | None
    requests: int
    new_documents: int
    new_versions: int
    duplicates: int
    errors: list[dict[str, Any]]  # url, code (storage.status), error (message), kind
    used_browser: str | None = None  # whether and why the crawl went through the browser
    listing_detected: int = 0  # listing pages read by detection (no or a failing list.item)
    warnings: list[dict[str, Any]] = field(default_factory=list)  # detection's, per page

    @property
    def failed(self) -> bool:
        return RunStatus(self.status).failed

    @classmethod
    def of(cls, run: CrawlRun, max_errors: int | None = None) -> RunSummary:
        return cls(
            source_id=run.source_id,
            run_id=run.id,
            status=run.status,
            reason=run.reason,
            requests=run.requests,
            new_documents=run.new_documents,
            new_versions=run.new_versions,
            duplicates=run.duplicates,
            errors=list(run.errors or [])[:max_errors],
            used_browser=run.used_browser,
            listing_detected=run.listing_detected,
            warnings=list(run.warnings or [])[:max_errors],
        )

    @classmethod
    def not_started(cls, source_id: str, why: str) -> RunSummary:
        return cls(source_id, None, RunStatus.FAILED, why, 0, 0, 0, 0, [])


def crawl_settings(
    *,
    database_url: str,
    timezone: str,
    webhooks: Sequence[WebhookConfig] = (),
    overrides: Mapping[str, Any] | None = None,
    full: bool = False,
    browser: BrowserSettings | None = None,
) -> Settings:
    settings = Settings()
    settings.setmodule("crawlers.settings", priority="project")
    settings.set("BULLETINS_DATABASE_URL", database_url, priority="cmdline")
    settings.set("BULLETINS_TIMEZONE", timezone, priority="cmdline")
    settings.set("BULLETINS_WEBHOOKS", list(webhooks), priority="cmdline")
    settings.set("BULLETINS_FULL_CRAWL", full, priority="cmdline")
    if browser is not None:
        settings.set("BULLETINS_BROWSER", browser.as_setting(), priority="cmdline")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


def scrapy_overrides(
    crawl: CrawlSettings, browser: BrowserSettings | None = None
) -> dict[str, Any]:
    """Scrapy settings from the config's `crawl:` (and `browser:`) sections."""
    overrides: dict[str, Any] = {
        "DOWNLOAD_TIMEOUT": crawl.download_timeout,
        "RETRY_TIMES": crawl.retry_times,
        "RETRY_ENABLED": crawl.retry_times > 0,
        "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.concurrency_per_site,
        "DOWNLOAD_DELAY": crawl.download_delay,
        "AUTOTHROTTLE_ENABLED": crawl.autothrottle,
        "ROBOTSTXT_OBEY": crawl.obey_robots,
    }
    if crawl.user_agent:
        overrides["USER_AGENT"] = crawl.user_agent
    if crawl.download_delay == 0:
        overrides["AUTOTHROTTLE_START_DELAY"] = 0.0
    if browser is not None:
        overrides["BULLETINS_BROWSER"] = browser.as_setting()
    return overrides


def install_browser(crawler: Crawler, source: SourceConfig) -> None:
    """Give `crawler` the browser's download handler if `source` may need the browser.

    Only such crawlers get it, so a run of ``render: never`` sources never loads
    Playwright; the others start Chromium only on the first page that needs it.
    """
    if source.render == "never":
        return
    from crawlers import browser

    options = BrowserSettings.from_settings(crawler.settings.getdict("BULLETINS_BROWSER"))
    for key, value in browser.scrapy_settings(options).items():
        crawler.settings.set(key, value, priority="cmdline")


def run_crawls(sources: Sequence[SourceConfig], settings: Settings) -> list[RunSummary]:
    """Crawl `sources` concurrently and return what each run recorded.

    One writer process stores the items of all of them; it starts on the first
    item, so crawls that find nothing new spawn none."""
    from crawlers.warm.shared_writer import WriterClient

    process = CrawlerProcess(settings)
    writer = WriterClient(
        settings["BULLETINS_DATABASE_URL"],
        list(settings.get("BULLETINS_WEBHOOKS") or []),
        batch_size=settings.getint("BULLETINS_BATCH_SIZE", 50),
        batch_seconds=settings.getfloat("BULLETINS_BATCH_SECONDS", 0.3),
    )
    crawlers: list[tuple[SourceConfig, Crawler]] = []
    for number, source in enumerate(sources, 1):
        crawler = process.create_crawler(spider_class(source.spider))
        install_browser(crawler, source)
        crawler.bulletins_writer = writer  # type: ignore[attr-defined]
        crawler.bulletins_crawl_id = f"{number}-{source.id}"  # type: ignore[attr-defined]
        crawlers.append((source, crawler))
    for source, crawler in crawlers:
        process.crawl(crawler, source=source)
    try:
        process.start(stop_after_crawl=True)
    finally:
        writer.close()
    db = database(settings["BULLETINS_DATABASE_URL"])
    summaries = []
    with db.session() as session:
        for source, crawler in crawlers:
            spider = crawler.spider
            run_id = getattr(spider, "run_id", None)
            run = session.get(CrawlRun, run_id) if run_id else None
            if run is None:
                summaries.append(RunSummary.not_started(source.id, "the spider did not start"))
                continue
            summaries.append(RunSummary.of(run))
    return summaries
