"""Detection on listing and article pages in the many shapes government CMSs render
(tests/detect/cms_pages.py, article_pages.py): exact items, dates, titles, next page."""

from __future__ import annotations

import re

import pytest
from parsel import Selector

from crawlers.detect import detect_listing
from crawlers.detect.derive import derive_selectors
from crawlers.detect.probe import probe
from crawlers.selectors import first_text, select
from tests.detect.article_pages import ArticleCase
from tests.detect.article_pages import cases as article_cases
from tests.detect.cms_pages import Case, all_cases

LISTINGS = [case for seed in (0, 1) for case in all_cases(seed)]


def norm(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


@pytest.mark.parametrize("case", LISTINGS, ids=lambda c: c.name)
def test_listing_items_dates_titles_and_next_page(case: Case) -> None:
    found = detect_listing(case.html, case.url)
    assert [(i.url, i.title, i.date) for i in found.items] == case.items
    assert found.next_page == case.next_page
    assert found.home == case.home


def test_home_page_lists_each_under_its_heading_and_leaves_other_sites_out() -> None:
    case = next(c for c in LISTINGS if c.home)
    found = detect_listing(case.html, case.url)
    for heading, urls in case.lists.items():
        picked = found.pick(heading)
        assert picked is not None, heading
        assert [i.url for i in picked.items] == urls
    central = found.pick("中央要闻")
    assert central is not None and central.offsite and not central.main
    assert all(i.url.startswith("https://gat.example.gov.cn/") for i in found.items)
    assert found.pick("办事服务") is None  # service links are not an article list


@pytest.mark.parametrize("case", [c for c in LISTINGS if not c.home], ids=lambda c: c.name)
def test_derived_selectors_read_back_the_same_links(case: Case) -> None:
    """The selectors `sources probe` offers give the detected links through the
    spider's own reading (`select` + `first_text`), or are not offered at all."""
    found = detect_listing(case.html, case.url)
    [main] = [lst for lst in found.lists if lst.main]
    assert found.page is not None and main.found is not None
    selectors = derive_selectors(found.page.root, main.found, found.page.resolve)
    assert selectors, "no selector reproduces the list"
    urls: list[str] = []
    titles: list[str | None] = []
    for node in select(Selector(text=case.html), selectors["item"]):
        href = first_text(node, selectors["link"])
        url = found.page.resolve(href) if href else None
        if url and url not in urls:
            urls.append(url)
            titles.append(first_text(node, selectors.get("title")))
    assert urls == [i.url for i in main.items]
    if "title" in selectors:
        assert titles == [i.title for i in main.items]


@pytest.mark.parametrize("case", article_cases(), ids=lambda c: c.name)
def test_article_title_date_and_body(case: ArticleCase) -> None:
    result = probe(case.html, case.url)
    assert result["kind"] == "article"
    assert norm(result["title"]) == norm(case.title)
    assert result["date"][:10] == case.date
    body = norm(result["body"])
    assert body.startswith(norm(case.body_starts)), result["body"][:80]
    assert body.endswith(norm(case.body_ends)), result["body"][-80:]
    for noise in ("字号", "打印", "关闭", "扫一扫", "分享", "附件", "相关链接", "ICP"):
        assert noise not in result["body"]
