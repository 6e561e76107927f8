"""The downloader middlewares on Scrapy responses built in the test, without a reactor
or a network: the retry policy with its backoff, and ``render:`` (crawlers.renderauto)
sending a challenged host through the browser and back."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
import scrapy
from scrapy import Request
from scrapy.downloadermiddlewares.cookies import CookiesMiddleware
from scrapy.http import HtmlResponse
from scrapy.settings import Settings
from twisted.internet.error import TimeoutError as TwistedTimeout

from crawlers import settings as crawl_settings
from crawlers.browser import BrowserOptions, scrapy_settings
from crawlers.challenges import ChallengeBlocked
from crawlers.middlewares import DELAY_KEY, BackoffRetryMiddleware, BrowserRenderMiddleware
from crawlers.renderauto import Challenged, HostMode, RenderAuto
from crawlers.sources.schema import SourceConfig

JSL = (
    b"<html><script>document.cookie=('__jsl_clearance_s=')+('1718')+('|0|abc');"
    b"location.href=location.pathname+location.search</script></html>"
)
PAGE = "<html><body><ul>" + "<li><a href='/a/1.html'>全省公安机关通报</a></li>" * 20
PAGE_BYTES = (PAGE + "</ul></body></html>").encode()
HOST = "http://127.0.0.1:8080"


class Stats:
    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self.values[key] = self.values.get(key, start) + count

    def get_value(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


def source(render: str) -> SourceConfig:
    return SourceConfig.model_validate(
        {
            "id": f"s-{render}",
            "name": "x",
            "start_urls": [f"{HOST}/jsl/index.html"],
            "list": {"item": "li"},
            "render": render,
        }
    )


def fake_crawler(render: str = "auto", *, browser: bool = True, **extra: Any) -> Any:
    settings = Settings()
    settings.setmodule(crawl_settings, priority="project")
    if browser:
        settings.setdict(scrapy_settings(BrowserOptions(max_pages=2)), priority="cmdline")
    settings.setdict(extra, priority="cmdline")
    cookies = CookiesMiddleware()
    crawler = SimpleNamespace(
        settings=settings,
        stats=Stats(),
        signals=SimpleNamespace(connect=lambda *args, **kwargs: None),
        engine=SimpleNamespace(
            downloader=SimpleNamespace(middleware=SimpleNamespace(middlewares=[cookies]))
        ),
    )
    spider = scrapy.Spider(name="unit")
    spider.source = source(render)  # type: ignore[attr-defined]
    spider.crawler = crawler  # type: ignore[assignment]
    crawler.spider = spider
    return crawler


def html(url: str, body: bytes = PAGE_BYTES, status: int = 200, **kwargs: Any) -> HtmlResponse:
    return HtmlResponse(url, status=status, body=body, encoding="utf-8", **kwargs)


# --- retries ----------------------------------------------------------------------------


def test_a_5xx_is_retried_with_a_growing_jittered_delay_until_the_retries_run_out() -> None:
    crawler = fake_crawler(RETRY_TIMES=2, RETRY_BACKOFF_BASE=2.0, RETRY_BACKOFF_MAX=3.0)
    retry = BackoffRetryMiddleware(crawler)
    request = Request(f"{HOST}/a.html")
    first = retry.process_response(request, html(request.url, status=503, request=request))
    assert isinstance(first, Request) and first.meta["retry_times"] == 1
    assert 1.0 <= first.meta[DELAY_KEY] <= 2.0  # base 2 s, jittered down to half
    second = retry.process_response(first, html(request.url, status=503, request=first))
    assert isinstance(second, Request) and second.meta["retry_times"] == 2
    assert 1.5 <= second.meta[DELAY_KEY] <= 3.0  # 4 s, capped at 3 s
    final = html(request.url, status=503, request=second)
    assert retry.process_response(second, final) is final  # gave up: the 503 goes on
    assert crawler.stats.values["retry/count"] == 2
    assert crawler.stats.values["retry/max_reached"] == 1


def test_what_is_not_retried() -> None:
    retry = BackoffRetryMiddleware(fake_crawler())
    request = Request(f"{HOST}/a.html")
    ok = html(request.url, request=request)
    assert retry.process_response(request, ok) is ok
    missing = html(request.url, status=404, request=request)
    assert retry.process_response(request, missing) is missing
    told = Request(request.url, meta={"dont_retry": True})
    failed = html(request.url, status=503, request=told)
    assert retry.process_response(told, failed) is failed
    assert retry.process_exception(request, ValueError("a bug")) is None
    again = retry.process_exception(request, TwistedTimeout())
    assert isinstance(again, Request) and DELAY_KEY in again.meta


# --- render: auto, the states -------------------------------------------------------------


def test_render_auto_states_of_a_host() -> None:
    from crawlers.challenges import Challenge

    auto = RenderAuto()
    jsl = Challenge("jiasule", 521, "script")
    assert not auto.via_browser("h") and auto.generation("h") == 0
    assert auto.challenged("h", jsl, 0) is Challenged.FIRST and auto.via_browser("h")
    assert auto.challenged("h", jsl, 0) is Challenged.STALE  # already with the browser
    assert auto.may_hand_off("h")
    auto.handed_off("h")
    assert not auto.via_browser("h") and auto.generation("h") == 1
    assert not auto.may_hand_off("h")
    # a plain request sent before the hand-off does not count against the cookies
    assert auto.challenged("h", jsl, 0) is Challenged.STALE and not auto.via_browser("h")
    assert auto.challenged("h", jsl, 1) is Challenged.AGAIN
    assert auto.state("h").mode is HostMode.BROWSER_ONLY and auto.via_browser("h")
    assert not auto.via_browser("other")


# --- render middleware ---------------------------------------------------------------------


def browser_response(request: Request, cookies: list[dict[str, Any]]) -> HtmlResponse:
    """What scrapy-playwright hands back after `settle` ran on the page."""
    settle = request.meta["playwright_page_methods"]["settle"]
    settle.result = {
        "status": 200,
        "headers": {"content-type": "text/html; charset=utf-8", "set-cookie": "x=1"},
        "url": request.url,
        "challenges": ["a JavaScript cookie challenge (HTTP 521, Jiasule-style)"],
        "cookies": cookies,
        "raw": None,
    }
    return html(request.url, request=request)


CLEARANCE = {
    "name": "__jsl_clearance_s",
    "value": "1718.1|-1|xy",
    "domain": "127.0.0.1",
    "path": "/",
    "expires": -1,
    "httpOnly": False,
    "secure": False,
}


def test_a_challenged_host_goes_through_the_browser_then_back_to_plain_http() -> None:
    crawler = fake_crawler("auto")
    render = BrowserRenderMiddleware(crawler)
    request = Request(f"{HOST}/jsl/index.html")
    render.process_request(request)
    assert not request.meta.get("playwright") and request.meta["bulletins_handoff"] == 0

    retry = render.process_response(request, html(request.url, JSL, 521, request=request))
    assert isinstance(retry, Request) and retry.meta["playwright"] is True
    assert retry.dont_filter and retry.meta["bulletins_challenge_tries"] == 1

    final = render.process_response(retry, browser_response(retry, [CLEARANCE]))
    assert isinstance(final, HtmlResponse) and final.status == 200
    assert final.headers.get("Set-Cookie") is None  # the browser's, not the page's
    jar = crawler.engine.downloader.middleware.middlewares[0].jars[None]
    assert [c.name for c in jar] == ["__jsl_clearance_s"]  # handed to plain HTTP

    article = Request(f"{HOST}/jsl/a/1.html")
    render.process_request(article)
    assert not article.meta.get("playwright") and article.meta["bulletins_handoff"] == 1
    used = render.used_browser()
    assert used is not None and "answered with a JavaScript cookie challenge" in used
    assert "its cookies were reused for plain HTTP to 127.0.0.1:8080" in used


def test_a_host_challenged_again_with_the_browsers_cookies_stays_with_the_browser() -> None:
    render = BrowserRenderMiddleware(fake_crawler("auto"))
    request = Request(f"{HOST}/jsl/index.html")
    render.process_request(request)
    retry = render.process_response(request, html(request.url, JSL, 521, request=request))
    assert isinstance(retry, Request)
    render.process_response(retry, browser_response(retry, [CLEARANCE]))
    plain = Request(f"{HOST}/jsl/a/1.html")
    render.process_request(plain)
    again = render.process_response(plain, html(plain.url, JSL, 521, request=plain))
    assert isinstance(again, Request) and again.meta["playwright"] is True
    later = Request(f"{HOST}/jsl/a/2.html")
    render.process_request(later)
    assert later.meta["playwright"] is True  # browser-only for the rest of the crawl
    assert "challenged again" in (render.used_browser() or "")


def test_render_never_and_a_run_without_the_browser_fail_the_challenged_request() -> None:
    request = Request(f"{HOST}/jsl/index.html")
    never = BrowserRenderMiddleware(fake_crawler("never"))
    with pytest.raises(ChallengeBlocked, match="set `render: auto`"):
        never.process_response(request, html(request.url, JSL, 521, request=request))
    absent = BrowserRenderMiddleware(fake_crawler("auto", browser=False))
    with pytest.raises(ChallengeBlocked, match="browser is not installed"):
        absent.process_response(request, html(request.url, JSL, 521, request=request))


def test_render_always_sends_every_request_through_the_browser_and_ordinary_pages_pass() -> None:
    always = BrowserRenderMiddleware(fake_crawler("always"))
    request = Request(f"{HOST}/app/index.html")
    always.process_request(request)
    assert request.meta["playwright"] is True
    auto = BrowserRenderMiddleware(fake_crawler("auto"))
    plain = Request(f"{HOST}/gbk/index.html")
    auto.process_request(plain)
    page = html(plain.url, request=plain)
    assert auto.process_response(plain, page) is page and auto.used_browser() is None
