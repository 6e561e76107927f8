"""The replica's sites: paging, the GBK page, the repost, the seeds, and the source entries."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

import pytest
from parsel import Selector

from replica import REPOSTED, ReplicaServer, normalize_text, sources_config
from replica.content import seeds

from .helpers import Fetched, fetch, main_text, select


def listing_pages(source: dict[str, Any]) -> list[tuple[str, Fetched]]:
    """Every listing page of a source, following `pages` or `next_page` as a crawler would."""
    url = source["start_urls"][0]
    pages = [(url, fetch(url))]
    spec = source["list"]
    if "pages" in spec:
        n = spec["pages_from"]
        while (page := fetch(urljoin(url, spec["pages"].format(n=n)))).status == 200:
            pages.append((urljoin(url, spec["pages"].format(n=n)), page))
            n += 1
    else:
        while found := pages[-1][1].selector.css(spec["next_page"]).get():
            following = urljoin(pages[-1][0], found)
            pages.append((following, fetch(following)))
    assert all(page.status == 200 for _, page in pages)
    return pages


def test_gbk_pages_are_numbered_trs_style(replica: ReplicaServer) -> None:
    base = f"{replica.url}/gbk/jwzx/"
    first, second, third = (
        fetch(base + name) for name in ("index.html", "index_1.html", "index_2.html")
    )
    assert (first.status, second.status, third.status) == (200, 200, 200)
    assert fetch(base + "index_3.html").status == 404
    assert 'createPageHTML(countPage, currentPage, "index", "html")' in first.text
    assert "var countPage = 3" in first.text and "var currentPage = 1;" in second.text
    counts = [len(page.selector.css("ul.list li")) for page in (first, second, third)]
    assert counts[:2] == [20, 20] and 1 <= counts[2] <= 20
    assert 25 <= sum(counts) <= 45
    dates = first.selector.css("ul.list li span::text").getall()
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in dates)
    assert dates == sorted(dates, reverse=True)


def test_gbk_page_decodes_through_its_meta_charset(replica: ReplicaServer) -> None:
    site = replica.site("gbk")
    entry = next(e for e in site.entries if e.bulletin is REPOSTED)
    page = fetch(replica.url + entry.path)
    assert page.headers["Content-Type"] == "text/html"  # no charset in the header
    assert b'<meta http-equiv="Content-Type" content="text/html; charset=gb2312"' in page.body
    with pytest.raises(UnicodeDecodeError):
        page.body.decode("utf-8")
    with pytest.raises(UnicodeDecodeError):
        page.body.decode("gb2312")  # 镕 lies outside GB2312
    assert "王镕" in page.text and "陈喆" in page.text
    assert page.selector.css("h1.title::text").get() == REPOSTED.title


def test_repost_has_the_same_main_text_as_the_gbk_original(replica: ReplicaServer) -> None:
    gbk = next(e for e in replica.site("gbk").entries if e.bulletin is REPOSTED)
    f1 = next(e for e in replica.site("f1").entries if e.bulletin is REPOSTED)
    original = fetch(replica.url + gbk.path).selector
    repost = fetch(replica.url + f1.path).selector
    assert gbk.path != f1.path and f1.path.endswith("/content.html")
    assert main_text(original, "div.TRS_Editor") == main_text(repost, "#ztdx")
    assert main_text(repost, "#ztdx") == normalize_text(REPOSTED.text)
    assert "2024年03月21日" in repost.css("div.arcTool::text").get("")


def test_seeds_are_article_bodies(replica: ReplicaServer) -> None:
    found = seeds()
    gbk_texts = {e.bulletin.text for e in replica.site("gbk").entries if e.bulletin}
    en_texts = {e.bulletin.text for e in replica.site("en").entries if e.bulletin}
    assert found["001"].bulletin.text in gbk_texts
    assert (
        "萍乡“3·31”" in found["001"].bulletin.text and "相关推荐" not in found["001"].bulletin.text
    )
    for stem in ("000", "002", "003", "004"):
        assert found[stem].bulletin.text in en_texts


def test_every_site_has_25_to_45_distinct_articles() -> None:
    with ReplicaServer() as replica:
        hashes: dict[str, str] = {}
        for site_id in ("gbk", "en", "f1"):
            articles = [e for e in replica.site(site_id).entries if e.bulletin is not None]
            assert 25 <= len(articles) <= 45
            for entry in articles:
                assert entry.bulletin is not None
                digest = normalize_text(entry.bulletin.text)
                if digest in hashes:  # the one intended repost, and nothing else
                    assert entry.bulletin is REPOSTED and site_id == "f1"
                hashes[digest] = site_id
        no_figures = [
            e
            for e in replica.site("gbk").entries
            if e.bulletin and not re.search(r"\d", e.bulletin.text)
        ]
        assert no_figures  # routine releases without any number exist too


def test_content_is_deterministic() -> None:
    one, two = ReplicaServer(), ReplicaServer()
    for site_id in ("gbk", "en", "f1"):
        assert one.site(site_id).entries == two.site(site_id).entries


def test_robots_disallows_only_private(replica: ReplicaServer) -> None:
    robots = fetch(f"{replica.url}/robots.txt")
    assert robots.status == 200
    assert robots.body.decode().split("\n")[:2] == ["User-agent: *", "Disallow: /private/"]


@pytest.mark.parametrize("source_id", ["replica-gbk", "replica-en", "replica-f1"])
def test_source_entry_reads_its_whole_site(replica: ReplicaServer, source_id: str) -> None:
    source = next(s for s in replica.sources_config() if s["id"] == source_id)
    site = replica.site(source_id)
    spec = source["list"]
    links, dates = [], []
    for url, page in listing_pages(source):
        for item in page.selector.css(spec["item"]):
            links.append(urljoin(url, select(item, spec["link"])[0]))
            dates.append(select(item, spec["date"])[0])
            assert select(item, spec["title"])[0].strip()
    assert links == [replica.url + entry.path for entry in site.entries]
    assert len(dates) == len(site.entries)
    article = source["article"]
    for entry in site.entries[:3] + site.entries[-2:]:
        if entry.bulletin is None:
            continue
        selector = fetch(replica.url + entry.path).selector
        assert select(selector, article["title"])[0].strip() == entry.bulletin.title
        assert entry.published.strftime("%Y-%m-%d") in " ".join(select(selector, article["date"]))
        if "body" in article:
            assert main_text(selector, article["body"]) == normalize_text(entry.bulletin.text)


def test_english_main_text_is_found_without_a_body_selector(replica: ReplicaServer) -> None:
    trafilatura = pytest.importorskip("trafilatura")
    for entry in replica.site("en").entries:
        if entry.bulletin is None:
            continue
        html = fetch(replica.url + entry.path).text
        extracted = trafilatura.extract(html) or ""
        assert normalize_text(extracted) == normalize_text(entry.bulletin.text), entry.path
        selector = Selector(text=html)
        assert selector.css("time::attr(datetime)").get() == entry.published.isoformat()
        assert re.fullmatch(r"[A-Z][a-z]{2} \d{1,2}, \d{4}", selector.css("time::text").get(""))


def test_sources_config_matches_the_schema() -> None:
    schema = pytest.importorskip("crawlers.sources.schema")
    entries = sources_config("http://127.0.0.1:1234/", bench_articles=10)
    assert [e["id"] for e in entries] == [
        "replica-gbk",
        "replica-en",
        "replica-f1",
        "replica-bench",
    ]
    for entry in entries:
        schema.SourceConfig.model_validate(entry)
        assert entry["start_urls"][0].startswith("http://127.0.0.1:1234/")
    assert "body" not in entries[1]["article"]
    assert [e["id"] for e in sources_config("http://127.0.0.1:1234")][-1] == "replica-f1"
