"""F3, Hanweb (大汉) JCMS columns and the Zhejiang "unit build" API of its successor.

Classic JCMS (Jiangsu, Shandong, many provincial departments): the column page
``/col/col{N}/index.html`` serialises its first group of records inside a script::

    <div id="423656"><script type="text/xml"><datastore>
      <nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&...&columnid=284
        &unitid=423656&webname=...&permissiontype=0"></a>]]></nextgroup>
      <recordset><record><![CDATA[<li><a href="/art/2026/8/28/art_284_11821965.html" ...>
        ...</a><span>2026-08-28</span></li>]]></record> ...</recordset>
    </datastore></script></div>
    <script>var param_423656 = {col:1,appid:'1',webid:3,path:'/',columnid:284,...};
      $('#423656').jpage({..., totalRecord:138, dataStore: ..., groupSize:3,
      proxyUrl:'/module/web/jpage/dataproxy.jsp', perPage:10, ...})</script>

Later groups (``groupSize`` pages of ``perPage`` records each) come from a POST to
``dataproxy.jsp?startrecord=46&endrecord=90&perpage=15`` with the ``param_…`` object
as form body; the reply is the same ``<datastore>`` XML. Items are read from the
records with the source's ordinary ``list`` selectors (``li``, ``a::attr(href)``, ...).

Zhejiang's newer platform puts no list in the column page at all, only
``<script src=".../AuthorizedRead/unitbuild.js" url="/api-gateway/.../front/page/build/unit"
queryData="{'webId':'3185','pageId':'…','tagId':'信息列表',…}">``; a GET of that URL with
the ``queryData`` keys plus ``paramJson={"pageNo":N,"pageSize":15,"search":""}`` answers
``{"success":true,"data":{"html":"<ul><li>…</li></ul>…"}}``; an empty page means the end.
"""

from __future__ import annotations

import ast
import json
import math
import re
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urljoin, urlsplit

import scrapy
from parsel import Selector
from scrapy.http import TextResponse

from crawlers.detect import detect_listing
from crawlers.selectors import select
from crawlers.spiders.bulletin import BulletinSpider, ListingEntry
from crawlers.spiders.column_api import ColumnApiSpider
from crawlers.spiders.support import entries_from, is_json, response_meta

DATASTORE = re.compile(r"<datastore>(.*?)</datastore>", re.S | re.I)
RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
NEXTGROUP_HREF = re.compile(
    r"<nextgroup>\s*<!\[CDATA\[.*?href=['\"]([^'\"]+)['\"].*?\]\]>", re.S | re.I
)
TOTAL_XML = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>", re.I)
PARAM_OBJECT = re.compile(r"var\s+param_\w+\s*=\s*\{(.*?)\}\s*;", re.S)
PAIR = re.compile(r"(\w+)\s*:\s*(?:'([^']*)'|\"([^\"]*)\"|([^,}\s]+))")
JPAGE_CALL = re.compile(r"\.jpage\(\s*\{(.*?)\}\s*\)", re.S)
DEFAULT_PROXY = "/module/web/jpage/dataproxy.jsp"


def _js_object(body: str) -> dict[str, str]:
    return {
        m.group(1): next(g for g in m.groups()[1:] if g is not None) for m in PAIR.finditer(body)
    }


def datastore_records(text: str) -> list[str]:
    """The record fragments of the first ``<datastore>`` (pages repeat it for mobile)."""
    store = DATASTORE.search(text)
    return RECORD.findall(store.group(1) if store else text)


class HanwebSpider(BulletinSpider):
    """Classic Hanweb JCMS: records in a script's CDATA, later groups by POST."""

    name = "bulletin-hanweb"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # start URL -> jpage paging state learnt from the column page
        self.jpage: dict[str, dict[str, Any]] = {}

    compare_lists = False  # the list selector reads <datastore> records, not the page

    def listing_entries(self, response: TextResponse) -> list[ListingEntry]:
        records = datastore_records(response.text)
        if not records or not self.source.list.item:
            # a Hanweb page with its list in the DOM; without `list.item` the records
            # (or the page) are read by detection (crawlers.detect.crawl)
            return super().listing_entries(response)
        fragment = Selector(text="<html><body><ul>" + "".join(records) + "</ul></body></html>")
        return entries_from(
            select(fragment, self.source.list.item), self.source.list, response.urljoin
        )

    def jpage_settings(self, response: TextResponse) -> dict[str, Any] | None:
        """Form parameters, proxy URL, page size and total, from the column page's script."""
        text = response.text
        form: dict[str, str] = {}
        param = PARAM_OBJECT.search(text)
        if param:
            form = _js_object(param.group(1))
        else:
            href = NEXTGROUP_HREF.search(text)
            if href is None:
                return None
            query = urlsplit(href.group(1).replace("&amp;", "&")).query
            form = {k: unquote(v) for k, v in parse_qsl(query) if k != "page"}
            form.setdefault("col", "1")
            form.setdefault("sourceContentType", "1")
        if "columnid" not in form:
            return None
        call = next((c for c in JPAGE_CALL.findall(text) if "dataStore" in c), None)
        options = _js_object(call) if call else {}
        return {
            "form": form,
            "proxy": response.urljoin(options.get("proxyUrl") or DEFAULT_PROXY),
            "per_page": int(options.get("perPage") or 15),
            "group": int(options.get("groupSize") or 3),
            "total": int(options["totalRecord"]) if options.get("totalRecord") else None,
        }

    def next_listing_url(self, response: TextResponse, page: int, start_url: str) -> str | None:
        records = len(datastore_records(response.text))
        if "dataproxy.jsp" not in response.url:
            settings = self.jpage_settings(response)
            if settings is None or not records:
                return super().next_listing_url(response, page, start_url)
            self.jpage[start_url] = settings
            first, last = 1, records
        else:
            settings = self.jpage.get(start_url)
            if settings is None:
                return None
            query = dict(parse_qsl(urlsplit(response.url).query))
            first = int(query.get("startrecord", 1))
            last = int(query.get("endrecord", first + records - 1))
            total = TOTAL_XML.search(response.text)
            if total:
                settings["total"] = int(total.group(1))
            if records < last - first + 1:
                return None  # a short group is the last one
        total = settings["total"]
        if total is not None and last >= total:
            return None
        step = settings["per_page"] * settings["group"]
        group = urlencode(
            {"startrecord": last + 1, "endrecord": last + step, "perpage": settings["per_page"]}
        )
        return f"{settings['proxy']}?{group}"

    def listing_request(self, url: str, *, page: int, start_url: str) -> scrapy.Request:
        request = super().listing_request(url, page=page, start_url=start_url)
        settings = self.jpage.get(start_url)
        if "dataproxy.jsp" not in url or settings is None:
            return request
        return scrapy.FormRequest(
            url,
            formdata=settings["form"],
            headers={"Referer": start_url, "X-Requested-With": "XMLHttpRequest"},
            callback=request.callback,
            errback=request.errback,
            dont_filter=True,
            meta=dict(request.meta),
        )


class ZhejiangSpider(ColumnApiSpider):
    """Zhejiang's Hanweb platform: the column page names a "unit build" JSON API."""

    name = "bulletin-zhejiang"
    page_size = 15
    compare_lists = False  # the list selector reads the API's HTML, not the page

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units: dict[str, tuple[str, dict[str, Any]]] = {}

    def api_request(
        self, response: TextResponse, page: int, start_url: str
    ) -> scrapy.Request | None:
        spec = unitbuild_spec(response)
        if spec is None:
            return None
        self.units[start_url] = spec
        return self.listing_request(self.unit_url(start_url, page), page=page, start_url=start_url)

    def unit_url(self, start_url: str, page_no: int) -> str:
        endpoint, params = self.units[start_url]
        query = dict(params)
        query["paramJson"] = json.dumps(
            {"pageNo": page_no, "pageSize": self.page_size, "search": ""}, ensure_ascii=False
        )
        return f"{endpoint}?{urlencode(query)}"

    def listing_entries(self, response: TextResponse) -> list[ListingEntry]:
        if not is_json(response):
            return super().listing_entries(response)
        html = unit_html(response)
        start_url = response_meta(response, "start_url") or response.url
        if not self.source.list.item:
            found = detect_listing(f"<html><body>{html}</body></html>", start_url)
            return [ListingEntry(i.url, i.title, i.date) for i in found.items]
        fragment = Selector(text=f"<html><body>{html}</body></html>")
        return entries_from(
            select(fragment, self.source.list.item),
            self.source.list,
            lambda href: urljoin(start_url, href),
        )

    def next_listing_url(self, response: TextResponse, page: int, start_url: str) -> str | None:
        if not is_json(response) or start_url not in self.units:
            return super().next_listing_url(response, page, start_url)
        fragment = Selector(text=f"<html><body>{unit_html(response)}</body></html>")
        if not self.listing_entries(response):
            return None
        pager = fragment.css("table.pagination, [unitUrl]")
        count, rows = pager.attrib.get("count"), pager.attrib.get("rows")
        known = count and rows and count.isdigit() and rows.isdigit() and int(rows) > 0
        if known and page >= math.ceil(int(count) / int(rows)):  # type: ignore[arg-type]
            return None
        return self.unit_url(start_url, page + 1)


def unitbuild_spec(response: TextResponse) -> tuple[str, dict[str, Any]] | None:
    """(API URL, query parameters) from the column page's ``unitbuild.js`` script tag."""
    candidates: list[tuple[str, dict[str, Any]]] = []
    for tag in response.css("script[src*='unitbuild.js']"):
        url = tag.attrib.get("url")
        raw = tag.attrib.get("querydata") or tag.attrib.get("queryData") or ""
        try:
            params = ast.literal_eval(raw) if raw.strip() else {}
        except (ValueError, SyntaxError):
            try:
                params = json.loads(raw)
            except json.JSONDecodeError:
                continue
        if url and isinstance(params, dict):
            candidates.append((response.urljoin(url), {str(k): v for k, v in params.items()}))
    for candidate in candidates:
        if candidate[1].get("tagId") == "信息列表":
            return candidate
    return candidates[0] if len(candidates) == 1 else None


def unit_html(response: TextResponse) -> str:
    try:
        payload = json.loads(response.text)
    except json.JSONDecodeError:
        return ""
    data = payload.get("data") if isinstance(payload, dict) else None
    html = data.get("html") if isinstance(data, dict) else None
    return html if isinstance(html, str) else ""
