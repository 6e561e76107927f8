"""Warm crawl workers: many crawls in one long-lived process (issue 16, phase 1).

A worker (`crawlers.warm.worker`, started by `scheduler.pool.WarmPool`) imports
Scrapy and the project once, runs one Twisted reactor, and crawls each source it is
sent as a `scrapy.crawler.Crawler` of its own through `AsyncCrawlerRunner`. Its
storage work goes to one writer process for all its crawls
(`crawlers.warm.shared_writer`) through `crawlers.pipelines.StorePipeline`, whose
`close_spider` awaits the writer's acknowledgement instead of blocking the
reactor. Pool and worker speak JSON lines (`crawlers.warm.protocol`).

The daemon and `run-due` crawl only here (`scheduler.dispatch.LocalDispatcher`).
`bulletins crawl` runs its crawls in its own process, with the same one writer
for all of them, started on its first item.
"""
