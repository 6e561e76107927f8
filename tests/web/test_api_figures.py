"""/api/figures (JSON and CSV), /api/series and its images, /api/metrics, /api/sources."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
import pytest

from tests.web.conftest import Seeded
from tests.web.test_api_documents import get
from web.csvout import BOM

pytestmark = pytest.mark.anyio


async def test_figures_of_a_metric_newest_first(client: httpx.AsyncClient, seeded: Seeded) -> None:
    data = await get(client, "/api/figures", metric="suspects_detained", limit=500)
    rows = data["figures"]
    assert {r["metric"] for r in rows} == {"suspects_detained"}
    assert len(rows) == 8  # six releases, two versions
    dated = [r["published"] for r in rows if r["published"]]
    assert dated == sorted(dated, reverse=True) and rows[-1]["published"] is None
    march = next(r for r in rows if r["document_id"] == seeded.id("march"))
    assert march == {
        "id": march["id"], "document_id": seeded.id("march"), "published": "2024-03-01",
        "source": "gd-gat", "region": "Guangdong", "metric": "suspects_detained", "value": 120,
        "unit": "person", "qualifier": "exact", "text": "抓获犯罪嫌疑人120名", "topic": "fraud",
        "start": march["start"], "end": march["start"] + 11,
    }  # fmt: skip


async def test_figures_paged_by_cursor(client: httpx.AsyncClient) -> None:
    everything = (await get(client, "/api/figures", limit=500))["figures"]
    paged: list[dict[str, Any]] = []
    cursor = ""
    while True:
        data = await get(client, "/api/figures", limit=4, cursor=cursor)
        paged += data["figures"]
        cursor = data["next"]
        if not cursor:
            break
    assert paged == everything
    assert len(everything) == 10


async def test_csv_has_a_bom_and_the_same_rows(client: httpx.AsyncClient) -> None:
    params = {"metric": "suspects_detained", "region": "Guangdong", "limit": 2}
    data = await get(client, "/api/figures", **params)
    response = await client.get("/api/figures", params={**params, "format": "csv"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(BOM.encode())
    assert response.headers["x-next-cursor"] == data["next"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["document_id"] for r in rows] == [str(f["document_id"]) for f in data["figures"]]
    assert [r["text"] for r in rows] == [f["text"] for f in data["figures"]]
    assert [r["value"] for r in rows] == [str(f["value"]) for f in data["figures"]]
    assert rows[0]["published"] == "2024-05-20" and rows[0]["region"] == "Guangdong"


async def test_series_per_region_and_month_with_gaps(client: httpx.AsyncClient) -> None:
    data = await get(client, "/api/series", metric="suspects_detained", region="Guangdong")
    assert data["interval"] == "month" and data["undated"] == 0
    (series,) = data["series"]
    assert (series["region"], series["unit"]) == ("Guangdong", "person")
    points = {p["period"]: p for p in series["points"]}
    assert list(points) == ["2024-02", "2024-03", "2024-04", "2024-05"]
    assert points["2024-02"]["sum"] == 30
    assert points["2024-03"]["sum"] == 120  # 00:30 on 1 March, site time
    assert points["2024-04"]["sum"] is None and points["2024-04"]["releases"] == 0  # a gap
    assert points["2024-05"]["sum"] == 10 and points["2024-05"]["releases"] == 1
    assert points["2024-03"]["start"] == "2024-03-01" and points["2024-03"]["end"] == "2024-03-31"


async def test_series_of_every_region_and_the_undated(
    client: httpx.AsyncClient, seeded: Seeded
) -> None:
    data = await get(client, "/api/series", metric="suspects_detained", interval="quarter")
    assert data["undated"] == 1
    by_region = {s["region"]: {p["period"]: p for p in s["points"]} for s in data["series"]}
    assert set(by_region) == {"Guangdong", "Zhejiang", "China"}
    assert by_region["Guangdong"]["2024-Q1"]["sum"] == 150
    assert by_region["Guangdong"]["2024-Q1"]["releases"] == 2
    zhejiang = by_region["Zhejiang"]["2024-Q2"]
    assert zhejiang["sum"] == 45 + 100 + 150 and zhejiang["releases"] == 3
    (series,) = [s for s in data["series"] if s["region"] == "Zhejiang"]
    url = f"{series['figures_url']}&since={zhejiang['start']}&until={zhejiang['end']}"
    behind = (await client.get(url)).json()
    assert {f["document_id"] for f in behind["figures"]} == {
        seeded.id("zhejiang"),
        *seeded.version_ids,
    }
    assert sum(f["value"] for f in behind["figures"]) == zhejiang["sum"]
    yearly = await get(client, "/api/series", metric="suspects_detained", interval="year")
    total = sum(p["sum"] for s in yearly["series"] for p in s["points"])
    assert total == 120 + 30 + 10 + 45 + 200 + 100 + 150


@pytest.mark.parametrize(
    "params",
    [{}, {"metric": "nope"}, {"metric": "suspects_detained", "interval": "week"},
     {"metric": "suspects_detained", "region": "Atlantis"}],
)  # fmt: skip
async def test_series_needs_a_known_metric(
    client: httpx.AsyncClient, params: dict[str, Any]
) -> None:
    response = await client.get("/api/series", params=params)
    assert response.status_code == 422, response.text


async def test_series_drawn_on_the_server(client: httpx.AsyncClient) -> None:
    png = await client.get("/api/series.png", params={"metric": "suspects_detained"})
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")
    svg = await client.get("/api/series.svg", params={"metric": "suspects_detained"})
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert "抓获嫌疑人" in svg.text and "广东" in svg.text  # Chinese labels


async def test_metrics_are_the_vocabulary_with_counts(client: httpx.AsyncClient) -> None:
    from web.vocabulary import metric_names

    data = await get(client, "/api/metrics")
    by_name = {m["name"]: m for m in data}
    assert set(metric_names()) <= set(by_name)
    assert by_name["suspects_detained"]["count"] == 8
    assert by_name["suspects_detained"]["label"] == "抓获嫌疑人"
    assert by_name["funds_seized_frozen"]["count"] == 1
    assert data[0]["name"] == "suspects_detained"  # most figures first


async def test_sources_with_their_health(client: httpx.AsyncClient) -> None:
    data = await get(client, "/api/sources")
    by_id = {s["id"]: s for s in data}
    assert set(by_id) == {"gd-gat", "zj-gat", "mps-en"}
    zhejiang = by_id["zj-gat"]
    assert zhejiang["healthy"] is False and zhejiang["status"] == "failed"
    assert zhejiang["cause"].startswith("3 failed runs in a row")
    assert zhejiang["last_run"]["failed_pages"] == {"http_503": 1}
    assert by_id["gd-gat"]["status"] == "ok" and by_id["gd-gat"]["cause"] is None
    assert by_id["mps-en"]["last_run"] is None and by_id["mps-en"]["documents"] == 1
