"""Scrapy settings of Bulletin Watch, grouped and explained in one place.

`crawlers.runner` overrides some of these from the user's config (`crawl:`).
"""

from __future__ import annotations

BOT_NAME = "bulletin-watch"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"

# --- politeness ---------------------------------------------------------------
USER_AGENT = (
    "BulletinWatch/0.1 (+https://github.com/bulletin-watch/bulletin-watch; bulletin monitor)"
)
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
COOKIES_ENABLED = True

# --- retries with backoff (crawlers.middlewares.BackoffRetryMiddleware) --------
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
RETRY_BACKOFF_BASE = 1.0  # seconds before the first retry; doubles each time
RETRY_BACKOFF_MAX = 60.0

DOWNLOADER_MIDDLEWARES = {
    # Only http(s); other hosts only at public addresses (crawlers.netguard). First in
    # line, so nothing (robots.txt included) asks a refused host anything.
    "crawlers.netguard.NetworkGuardMiddleware": 50,
    # Scrapy's robots.txt middleware, whose refusal carries the code robots_disallowed.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawlers.robots.RobotsMiddleware": 100,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawlers.middlewares.BackoffRetryMiddleware": 550,
    "crawlers.middlewares.RetryDelayMiddleware": 560,
    # render: always | auto | never (crawlers.browser); after HttpCompression (590)
    # and Cookies (700) on the way back, so it sees decoded bodies and fills the jar last.
    "crawlers.middlewares.BrowserRenderMiddleware": 580,
}

SPIDER_MIDDLEWARES = {
    # An exception in a callback (parsing, cleaning) is a failed page with its code,
    # not only a log line (crawlers.failures).
    "crawlers.failures.CallbackFailureMiddleware": 950,
}

ITEM_PIPELINES = {
    "crawlers.pipelines.StorePipeline": 300,
}

EXTENSIONS = {
    "crawlers.extensions.CrawlRunRecorder": 100,
    # A daemon that crawls all day offers no remote shells.
    "scrapy.extensions.telnet.TelnetConsole": None,
}
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

# --- what a crawl may fetch (crawlers.netguard) ---------------------------------------
# Only http(s): no handler reads local files (file:, /dev/zero), inline data or FTP/S3,
# also where a crawler's DOWNLOAD_HANDLERS are replaced (the browser's).
DOWNLOAD_HANDLERS = {"file": None, "data": None, "ftp": None, "s3": None}
DOWNLOAD_HANDLERS_BASE = {
    "http": "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler",
    "https": "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler",
}
# Scrapy's caching resolver that refuses private answers for names no source of the
# process may reach privately (a second DNS answer cannot slip past the check).
TWISTED_DNS_RESOLVER = "crawlers.netguard.GuardedResolver"

# --- the rest -----------------------------------------------------------------
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
# Scrapy starts this many asyncio tasks for every response's output (default 100);
# a callback here yields one item or a listing's links, and StorePipeline only
# queues the item for the writer, so 8 lose nothing and save most of the crawl's CPU
# that went to creating and finishing those tasks.
CONCURRENT_ITEMS = 8
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "WARNING"
LOG_INSTALL_ROOT_HANDLER = False  # the `bulletins` command configures logging
HTTPERROR_ALLOW_ALL = False
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
DNS_TIMEOUT = 15

# Bulletin Watch's own settings (filled in by crawlers.runner).
BULLETINS_DATABASE_URL = "sqlite:///bulletins.db"
BULLETINS_TIMEZONE = "Asia/Shanghai"
BULLETINS_WEBHOOKS: list[object] = []  # alerts.config.WebhookConfig, the enabled ones
# The browser (crawlers.browser): crawlers.settings_model.BrowserSettings.as_setting().
# The scrapy-playwright download handler is installed per crawler by crawlers.runner,
# only for sources that may need it (render: auto | always); it starts Chromium lazily.
BULLETINS_BROWSER: dict[str, object] = {}
