"""F3 (Jiangxi cluster, 2024+): column lists served by a POST-only ``/queryList`` API.

The column page (``/{site}/col/{codeName}/index.html`` or ``/{site}/{channel}/index.html``)
inlines its identifiers::

    var channelId = '1754390189518807040', codeName = 'col14590'
    var websiteId = '1753254619659046912', siteId = '1753254619659046912'

and the list comes from ``POST /queryList`` at the site root (a GET answers 404),
form ``current``, ``pageSize``, ``webSiteCode[]`` (the first path segment, e.g.
``jxsgyhxxht``), ``channelCode[]`` (``codeName``) ... The reply is JSON::

    {"data": {"total": 138, "results": [{"source": {"id": "2098331399481798656",
      "title": "…", "showTitle": "…", "pubDate": "2026-08-28 16:28:00",
      "urls": "{\\"pc\\": \\"/jxsgat/col/col14590/content/content_2098….html\\"}", ...}}]}}

An article's URL is ``urls.pc`` when given, else ``{column dir}/content/content_{id}.html``.
Two public clients send different form keys (``current``/``pageSize`` with the site and
channel codes; ``pageNo`` with ``channelId``): this spider sends both sets.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

import scrapy
from scrapy.http import TextResponse

from crawlers.spiders.bulletin import ListingEntry
from crawlers.spiders.column_api import ColumnApiSpider
from crawlers.spiders.support import is_json, response_meta

INLINE_VAR = re.compile(
    r"\b(channelId|codeName|channelCode|websiteId|siteId|webSiteCode|websiteCode)"
    r"\s*=\s*['\"]([^'\"]*)['\"]"
)
PAGE_SIZE = 15


def query_spec(column_html: str, column_url: str) -> dict[str, str] | None:
    """The /queryList form fields and detail-URL base for a column page, or None."""
    found = dict(INLINE_VAR.findall(column_html))
    segments = [s for s in urlsplit(column_url).path.split("/") if s]
    if segments and "." in segments[-1]:
        segments = segments[:-1]  # drop index.html
    code = found.get("codeName") or found.get("channelCode") or (segments[-1] if segments else "")
    site = found.get("webSiteCode") or found.get("websiteCode") or (segments[0] if segments else "")
    if not code or not site or not (found or "col" in segments):
        return None
    spec = {
        "endpoint": urljoin(column_url, "/queryList"),
        "column": urljoin(column_url, "./"),
        "webSiteCode[]": site,
        "channelCode[]": code,
    }
    for key in ("channelId", "websiteId", "siteId"):
        if found.get(key):
            spec[key] = found[key]
    return spec


class JiangxiSpider(ColumnApiSpider):
    """Jiangxi's ``/queryList`` lists: POST a form, read ``data.results[].source``."""

    name = "bulletin-jiangxi"
    compare_lists = False  # the list comes from the /queryList JSON, not the page

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.specs: dict[str, dict[str, str]] = {}

    def api_request(
        self, response: TextResponse, page: int, start_url: str
    ) -> scrapy.Request | None:
        spec = query_spec(response.text, response.url)
        if spec is None:
            return None
        self.specs[start_url] = spec
        return self.listing_request(spec["endpoint"], page=page, start_url=start_url)

    def listing_request(self, url: str, *, page: int, start_url: str) -> scrapy.Request:
        request = super().listing_request(url, page=page, start_url=start_url)
        spec = self.specs.get(start_url)
        if spec is None or url != spec["endpoint"]:
            return request
        form = {
            "current": str(page),
            "pageNo": str(page),
            "pageSize": str(PAGE_SIZE),
            "sort": "sortNum",
            "order": "desc",
            **{k: v for k, v in spec.items() if k not in ("endpoint", "column")},
        }
        # Every page is the same URL: no conditional GET state belongs to it.
        return scrapy.FormRequest(
            url,
            formdata=form,
            headers={"Referer": spec["column"], "X-Requested-With": "XMLHttpRequest"},
            callback=request.callback,
            errback=request.errback,
            dont_filter=True,
            meta={**request.meta, "api": True},
        )

    def listing_entries(self, response: TextResponse) -> list[ListingEntry]:
        if not is_json(response):
            return super().listing_entries(response)
        spec = self.specs.get(response_meta(response, "start_url", ""))
        column = spec["column"] if spec else None
        entries: list[ListingEntry] = []
        for source in query_results(response):
            url = _detail_url(source, response.url, column)
            if url is None:
                continue
            title = source.get("showTitle") or source.get("title")
            entries.append(
                ListingEntry(
                    url,
                    (" ".join(str(title).split()) or None) if title else None,
                    _pub_date(source.get("pubDate"), self.timezone),
                )
            )
        return entries

    def next_listing_url(self, response: TextResponse, page: int, start_url: str) -> str | None:
        spec = self.specs.get(start_url)
        if not is_json(response) or spec is None:
            return super().next_listing_url(response, page, start_url)
        results = query_results(response)
        if not results:
            return None
        total = query_total(response)
        if total is not None and page * PAGE_SIZE >= total:
            return None
        return spec["endpoint"]


def _payload_data(response: TextResponse) -> dict[str, Any]:
    try:
        payload = json.loads(response.text)
    except json.JSONDecodeError:
        return {}
    data = payload.get("data") if isinstance(payload, dict) else None
    return data if isinstance(data, dict) else {}


def query_results(response: TextResponse) -> list[dict[str, Any]]:
    results = _payload_data(response).get("results") or []
    return [
        r["source"] for r in results if isinstance(r, dict) and isinstance(r.get("source"), dict)
    ]


def query_total(response: TextResponse) -> int | None:
    total = _payload_data(response).get("total")
    return int(total) if isinstance(total, int | str) and str(total).isdigit() else None


def _detail_url(source: dict[str, Any], api_url: str, column: str | None) -> str | None:
    urls = source.get("urls")
    if isinstance(urls, str) and urls.strip():
        try:
            urls = json.loads(urls)
        except json.JSONDecodeError:
            urls = None
    if isinstance(urls, dict) and isinstance(urls.get("pc"), str) and urls["pc"].strip():
        return urljoin(api_url, urls["pc"].strip())
    doc_id = source.get("id")
    if doc_id and column:
        return urljoin(column, f"content/content_{doc_id}.html")
    return None


def _pub_date(value: Any, timezone: str) -> str | None:
    """``pubDate`` as text: given as text, or as epoch milliseconds."""
    if isinstance(value, int | float) and value > 10**11:
        return datetime.fromtimestamp(value / 1000, ZoneInfo(timezone)).strftime(
            "%Y-%m-%d %H:%M:%S"
        )
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None
