"""The pages, rendered on the server (through httpx.ASGITransport)."""

from __future__ import annotations

import json
import re
from html import unescape

import httpx
import pytest

from tests.web.conftest import RELEASES, Seeded

pytestmark = pytest.mark.anyio


async def page(client: httpx.AsyncClient, url: str, status: int = 200) -> str:
    response = await client.get(url)
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    return response.text


async def test_home_lists_the_latest_releases(client: httpx.AsyncClient, seeded: Seeded) -> None:
    html = await page(client, "/")
    for release in RELEASES:
        assert release.title in unescape(html)
    assert html.index(RELEASES[2].title) < html.index(RELEASES[0].title)  # May before March
    assert 'datetime="2024-03-01"' in html
    response = await client.get("/")
    assert "default-src 'self'" in response.headers["content-security-policy"]


async def test_home_search_marks_the_words(client: httpx.AsyncClient, seeded: Seeded) -> None:
    html = await page(client, "/?q=跨境赌博")
    ids = re.findall(r'<li class="document" data-id="(\d+)"', html)
    assert ids == [str(seeded.id("february")), str(seeded.id("zhejiang"))]
    assert "<mark>跨境赌博</mark>" in html


async def test_home_bad_parameter_is_shown(client: httpx.AsyncClient) -> None:
    html = await page(client, "/?since=yesterday", status=422)
    assert "since" in html and "YYYY-MM-DD" in html


async def test_document_page_highlights_figures(client: httpx.AsyncClient, seeded: Seeded) -> None:
    html = unescape(await page(client, f"/documents/{seeded.id('march')}"))
    marks = re.findall(r'<mark class="fig"[^>]*data-tip="([^"]*)"[^>]*>([^<]*)</mark>', html)
    assert [text for _, text in marks] == ["抓获犯罪嫌疑人120名", "冻结涉案资金350万元"]
    tip = marks[1][0]
    assert "3,500,000" in tip and "350万" in tip and "CNY" in tip
    assert "exact" in tip and "funds_seized_frozen" in tip
    assert "https://zj.example.gov.cn/repost.html" in html


async def test_document_page_shows_versions(client: httpx.AsyncClient, seeded: Seeded) -> None:
    v1, v2 = seeded.version_ids
    html = await page(client, f"/documents/{v2}")
    assert f'href="/documents/{v1}"' in html
    assert "100 → 150" in html and "新增 20" in html


async def test_unknown_document_page_is_404(client: httpx.AsyncClient) -> None:
    html = await page(client, "/documents/424242", status=404)
    assert "424242" in html
    await page(client, "/documents/abc", status=422)


async def test_figures_page_picks_a_metric_and_holds_state_in_url(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/figures?region=Guangdong")
    assert response.status_code == 302
    assert response.headers["location"] == "/figures?region=Guangdong&metric=suspects_detained"
    html = await page(client, response.headers["location"])
    spec = json.loads(re.search(r'id="chart-spec">(.*?)</script>', html, re.S).group(1))
    points = [row for row in spec["data"]["values"] if row["sum"] is not None]
    assert sorted(row["sum"] for row in points) == [10, 30, 120]
    assert spec["usermeta"]["points"] == 3
    march = next(row for row in points if row["sum"] == 120)
    assert (march["region"], march["start"], march["end"]) == (
        "Guangdong",
        "2024-03-01",
        "2024-03-31",
    )
    link = spec["layer"][1]["transform"][1]["calculate"]
    assert link.startswith("'/figures?interval=month&metric=suspects_detained&region='")
    assert "datum.start" in link and "datum.end" in link
    rows = re.findall(r'<tr data-id="(\d+)" data-document="(\d+)">', html)
    assert len(rows) == 3
    csv_link = unescape(re.search(r'id="download-csv"[^>]*href="([^"]+)"', html).group(1))
    assert csv_link.startswith("/api/figures?")
    assert "format=csv" in csv_link and "region=Guangdong" in csv_link and "limit=50" in csv_link


async def test_figures_page_small_multiples_for_many_regions(client: httpx.AsyncClient) -> None:
    html = await page(client, "/figures?metric=suspects_detained")
    spec = json.loads(re.search(r'id="chart-spec">(.*?)</script>', html, re.S).group(1))
    assert "layer" in spec  # three regions share one chart
    from web.charts import SHARED_CHART_MAX

    assert len({row["series"] for row in spec["data"]["values"]}) <= SHARED_CHART_MAX


async def test_figures_page_bad_interval(client: httpx.AsyncClient) -> None:
    html = await page(client, "/figures?metric=suspects_detained&interval=fortnight", status=422)
    assert "interval" in html


async def test_sources_page_marks_failing_sources(client: httpx.AsyncClient) -> None:
    html = unescape(await page(client, "/sources"))
    failing = re.findall(r'<tr class="failing" data-source="([^"]+)"', html)
    assert failing == ["zj-gat"]
    assert "3 failed runs in a row" in html and "广东省公安厅 警务资讯" in html


async def test_pages_are_read_only(client: httpx.AsyncClient) -> None:
    for url in ("/", "/api/documents", "/figures"):
        response = await client.post(url)
        assert response.status_code == 405
