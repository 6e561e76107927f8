"""Bench mode: N synthetic ~8 KB articles, 20 to a page, linked by a.next."""

from __future__ import annotations

from urllib.parse import urljoin

from replica import ReplicaServer, sources_config

from .helpers import fetch, main_text


def test_bench_serves_n_articles_in_pages_of_20() -> None:
    with ReplicaServer(bench_articles=45) as replica:
        url = f"{replica.url}/bench/index.html"
        seen_pages, links = [], []
        while url:
            page = fetch(url)
            assert page.status == 200 and page.headers["ETag"]
            seen_pages.append(url.rsplit("/", 1)[1])
            links += [
                urljoin(url, h) for h in page.selector.css("ul.list li a::attr(href)").getall()
            ]
            following = page.selector.css("a.next::attr(href)").get()
            url = urljoin(url, following) if following else ""
        assert seen_pages == ["index.html", "index_1.html", "index_2.html"]
        assert len(links) == len(set(links)) == 45
        article = fetch(links[0])
        assert article.headers["Content-Type"] == "text/html; charset=utf-8"
        text = main_text(article.selector, "div.article-body")
        assert 7000 <= len(text.encode()) <= 9000
        assert len({main_text(fetch(link).selector, "div.article-body") for link in links[:5]}) == 5

        new = replica.publish("bench", 2)
        top = fetch(f"{replica.url}/bench/index.html").selector.css("ul.list li a::attr(href)")
        assert [urljoin(replica.url + "/bench/", h) for h in top.getall()[:2]] == new
        assert len(fetch(f"{replica.url}/bench/index_2.html").selector.css("ul.list li")) == 7


def test_bench_source_only_in_bench_mode() -> None:
    assert "replica-bench" not in [s["id"] for s in sources_config("http://127.0.0.1:1")]
    bench = sources_config("http://127.0.0.1:1", bench_articles=1000)[-1]
    assert bench["id"] == "replica-bench"
    assert bench["list"]["next_page"] == "a.next::attr(href)"
    assert bench["list"]["max_pages"] >= 50
    with ReplicaServer() as replica:
        assert fetch(f"{replica.url}/bench/index.html").status == 404
