"""The browser's wiring, without a browser: config, which crawlers get the handler,
the launch options, and the cookie hand-off into Scrapy's jar."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http.cookies import CookieJar

from bulletins.config import ConfigError, load_config
from crawlers.browser import (
    BrowserOptions,
    jar_cookie,
    launch_args,
    launch_options,
    resolve_executable,
    scrapy_settings,
)
from crawlers.runner import crawl_settings, install_browser, scrapy_overrides
from crawlers.settings_model import BrowserSettings, CrawlSettings
from crawlers.sources.schema import SourceConfig
from crawlers.spiders import spider_class


def source(render: str) -> SourceConfig:
    return SourceConfig.model_validate(
        {
            "id": f"s-{render}",
            "name": "x",
            "start_urls": ["http://127.0.0.1:1/index.html"],
            "list": {"item": "li"},
            "render": render,
        }
    )


def test_the_browser_section_of_the_config(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        "builtin_sources: false\nbrowser:\n  executable: /opt/chromium/chrome\n"
        "  max_pages: 2\n  timeout: 12\n",
        "utf-8",
    )
    config = load_config(path)
    assert config.browser.executable == "/opt/chromium/chrome"
    assert (config.browser.max_pages, config.browser.timeout) == (2, 12)
    path.write_text("builtin_sources: false\nbrowser:\n  max_tabs: 2\n", "utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert "browser.max_tabs" in str(error.value)


def test_the_chromium_is_the_env_var_then_the_config_then_debians(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BULLETINS_CHROMIUM", "/env/chromium")
    assert resolve_executable("/config/chromium") == "/env/chromium"
    monkeypatch.delenv("BULLETINS_CHROMIUM")
    assert resolve_executable("/config/chromium") == "/config/chromium"
    default = resolve_executable(None)
    assert default in (None, "/usr/bin/chromium", "/usr/bin/chromium-browser")


def test_launch_options_are_headless_and_carry_our_own_complete_feature_lists() -> None:
    options = launch_options(BrowserOptions(executable="/usr/bin/chromium", timeout=7))
    assert options["headless"] is True and options["executable_path"] == "/usr/bin/chromium"
    assert options["timeout"] == 7000
    args = launch_args()
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ):
        assert flag in args
    [disabled] = [a for a in args if a.startswith("--disable-features=")]
    # Chromium reads the last --disable-features only: ours replaces Playwright's, so it
    # carries what a crawl needs of it (plain-http URLs stay http) besides our own
    assert "HttpsUpgrades" in disabled and "SpareRendererForSitePerProcess" in disabled
    assert "executable_path" not in launch_options(BrowserOptions(executable=None))


def test_the_handler_is_installed_only_for_sources_that_may_need_the_browser() -> None:
    browser = BrowserSettings(max_pages=3, timeout=9.0)
    settings = crawl_settings(database_url="sqlite://", timezone="Asia/Shanghai", browser=browser)
    for render, installed in (("never", False), ("auto", True), ("always", True)):
        crawler = Crawler(spider_class("generic"), settings)
        install_browser(crawler, source(render))
        handlers = crawler.settings.getdict("DOWNLOAD_HANDLERS")
        assert ("BrowserDownloadHandler" in str(handlers.get("https"))) is installed, render
        if installed:
            assert crawler.settings.getint("PLAYWRIGHT_MAX_PAGES_PER_CONTEXT") == 3
            assert crawler.settings["PLAYWRIGHT_ABORT_REQUEST"].endswith("abort_request")
            assert crawler.settings.getfloat("PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT") == 9000


def test_scrapy_overrides_carry_the_browser_section() -> None:
    crawl = CrawlSettings(download_timeout=5.0, retry_times=0, download_delay=0.0)
    overrides = scrapy_overrides(crawl, BrowserSettings(executable="/x", max_pages=4, timeout=30))
    assert overrides["BULLETINS_BROWSER"] == {"executable": "/x", "max_pages": 4, "timeout": 30}
    settings = scrapy_settings(BrowserOptions(max_pages=4))
    assert settings["PLAYWRIGHT_PROCESS_REQUEST_HEADERS"] is None  # the browser's own cookies


def test_browser_cookies_go_into_scrapys_jar_for_their_host_only() -> None:
    jar = CookieJar()
    for cookie in (
        {
            "name": "__jsluid_s",
            "value": "abc",
            "domain": "127.0.0.1",
            "path": "/jsl/",
            "expires": -1,
            "httpOnly": True,
            "secure": False,
        },
        {
            "name": "__jsl_clearance_s",
            "value": "1718.1|-1|xy",
            "domain": "127.0.0.1",
            "path": "/jsl/",
            "expires": 4102444800,
            "httpOnly": False,
            "secure": False,
        },
    ):
        jar.set_cookie(jar_cookie(cookie))
    inside = Request("http://127.0.0.1:8080/jsl/xwfb/index.html")
    jar.add_cookie_header(inside)
    header = inside.headers.get("Cookie", b"").decode()
    assert "__jsluid_s=abc" in header and "__jsl_clearance_s=1718.1|-1|xy" in header
    elsewhere = Request("http://127.0.0.1:8080/gbk/index.html")
    jar.add_cookie_header(elsewhere)
    assert elsewhere.headers.get("Cookie") is None
    other_host = Request("http://127.0.0.2:8080/jsl/xwfb/index.html")
    jar.add_cookie_header(other_host)
    assert other_host.headers.get("Cookie") is None


def test_the_browser_settings_travel_through_scrapy_as_one_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("BULLETINS_CHROMIUM", raising=False)
    configured = BrowserSettings(executable="/opt/chromium/chrome", max_pages=2, timeout=12)
    back = BrowserSettings.from_settings(configured.as_setting())
    assert back == configured and back.page_limit == 29
    assert BrowserOptions is BrowserSettings
    assert BrowserSettings.from_settings({}).max_pages == 4  # absent keys: the defaults
    monkeypatch.setenv("BULLETINS_CHROMIUM", "/env/chromium")
    assert BrowserSettings.from_settings(configured.as_setting()).executable == "/env/chromium"


def test_importing_the_check_or_the_browser_package_starts_and_installs_nothing() -> None:
    """The check gets its browser from its caller: importing it loads no browser and
    no Playwright, and the browser package loads Playwright only where a page needs it."""
    import subprocess
    import sys

    probe = (
        "import sys, crawlers.check, crawlers.browser, crawlers.middlewares\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(('playwright', "
        "'scrapy_playwright', 'crawlers.browser.')))\n"
        "print(','.join(loaded))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    )
    loaded = set(filter(None, done.stdout.strip().split(",")))
    assert not {m for m in loaded if m.startswith(("playwright", "scrapy_playwright"))}, loaded
    assert "crawlers.browser.sync" not in loaded and "crawlers.browser.handler" not in loaded


def test_no_check_browser_where_the_configured_chromium_cannot_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crawlers.browser.sync import check_browser

    monkeypatch.delenv("BULLETINS_CHROMIUM", raising=False)
    missing = tmp_path / "chromium"
    assert check_browser(BrowserOptions(executable=str(missing))) is None
