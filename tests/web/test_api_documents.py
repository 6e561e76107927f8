"""/api/documents and /api/documents/{id}, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.web.conftest import RELEASES, VERSION_1, VERSION_2, Seeded

pytestmark = pytest.mark.anyio


async def get(client: httpx.AsyncClient, url: str, **params: Any) -> Any:
    response = await client.get(url, params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def ids_for(client: httpx.AsyncClient, **params: Any) -> list[int]:
    data = await get(client, "/api/documents", limit=500, **params)
    return [d["id"] for d in data["documents"]]


async def test_every_release_with_its_title_newest_first(
    client: httpx.AsyncClient, seeded: Seeded
) -> None:
    data = await get(client, "/api/documents", limit=100)
    titles = {d["title"] for d in data["documents"]}
    assert {r.title for r in RELEASES} <= titles
    assert len(data["documents"]) == len(seeded.ids) + 2  # and the two versions
    assert data["next"] is None
    dates = [d["published"] for d in data["documents"]]
    dated = [d for d in dates if d is not None]
    assert dated == sorted(dated, reverse=True)
    assert dates[-1] is None  # undated last
    march = next(d for d in data["documents"] if d["id"] == seeded.id("march"))
    # The site's date, not the UTC one (2024-02-29T16:30Z).
    assert march["published"] == "2024-03-01"
    assert march["published_at"].startswith("2024-03-01T00:30:00+08:00")
    assert march["region"] == "Guangdong" and march["source"] == "gd-gat"
    assert len(march["urls"]) == 2 and march["figures"] == 2


async def test_cursor_pages_through_everything_once(client: httpx.AsyncClient) -> None:
    everything = await ids_for(client)
    seen: list[int] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 3}
        if cursor:
            params["cursor"] = cursor
        data = await get(client, "/api/documents", **params)
        assert len(data["documents"]) <= 3
        seen += [d["id"] for d in data["documents"]]
        cursor = data["next"]
        if cursor is None:
            break
    assert seen == everything


@pytest.fixture(params=[1000, 2], ids=["read-directly", "through-the-index"])
def scan_window(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """Searches read the newest releases directly, then use the index: a window of
    two releases sends nearly every match through the index."""
    monkeypatch.setattr("web.query.documents.SCAN_WINDOW", request.param)
    return int(request.param)


@pytest.mark.usefixtures("scan_window")
@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("诈骗", {"march", "zhejiang", "undated", "title-end"}),  # two characters
        ("电信网络诈骗", {"march"}),
        ("跨境赌博", {"february", "zhejiang"}),
        ("养老诈骗 浙江", {"zhejiang"}),  # every term
        ("诈", {"march", "zhejiang", "undated", "title-end"}),  # one character
        ("fraud", {"english"}),  # Latin letters: case does not matter
        ("NATIONWIDE", {"english"}),  # (its text has it in lower case only)
        ("不存在的词语", set()),
        ("毒", {"may"}),
    ],
)
async def test_search_finds_every_release_that_holds_the_words(
    client: httpx.AsyncClient, seeded: Seeded, q: str, expected: set[str]
) -> None:
    found = set(await ids_for(client, q=q))
    assert found == {seeded.id(k) for k in expected}


@pytest.mark.usefixtures("scan_window")
async def test_search_ranks_title_matches_first_and_shows_the_passage(
    client: httpx.AsyncClient, seeded: Seeded
) -> None:
    data = await get(client, "/api/documents", q="跨境赌博")
    ids = [d["id"] for d in data["documents"]]
    assert ids == [seeded.id("february"), seeded.id("zhejiang")]
    passage = data["documents"][1]["passage"]
    start, end = passage["marks"][0]
    assert passage["text"][start:end] == "跨境赌博"


@pytest.mark.usefixtures("scan_window")
async def test_search_pages_keep_the_ranking(client: httpx.AsyncClient) -> None:
    whole = await ids_for(client, q="诈骗")
    assert len(whole) == 4
    first = await get(client, "/api/documents", q="诈骗", limit=1)
    second = await get(client, "/api/documents", q="诈骗", limit=2, cursor=first["next"])
    rest = await get(client, "/api/documents", q="诈骗", limit=10, cursor=second["next"])
    paged = [d["id"] for page in (first, second, rest) for d in page["documents"]]
    assert paged == whole
    assert rest["next"] is None


async def test_filters(client: httpx.AsyncClient, seeded: Seeded) -> None:
    zhejiang = set(await ids_for(client, source="zj-gat"))
    assert seeded.id("march") in zhejiang  # reposted there
    assert seeded.id("february") not in zhejiang
    assert set(await ids_for(client, region="China")) == {seeded.id("english")}
    both = set(await ids_for(client, region=["China", "Guangdong"]))
    assert seeded.id("english") in both and seeded.id("may") in both
    assert set(await ids_for(client, metric="funds_seized_frozen")) == {seeded.id("march")}
    # Dates are the site's: 1 March includes the release of 00:30 that morning.
    march = set(await ids_for(client, since="2024-03-01", until="2024-03-31"))
    assert march == {seeded.id("march"), seeded.id("english")}
    assert seeded.id("march") not in set(await ids_for(client, until="2024-02-29"))


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 501}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"since": "2024-02-30"}, "since"),
        ({"since": "2024-05-01", "until": "2024-04-01"}, "until"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"source": "no-such-source"}, "source"),
        ({"region": "Atlantis"}, "region"),
        ({"metric": "no_such_metric"}, "metric"),
        ({"q": "bad\x00query"}, "q"),
        ({"q": "x" * 201}, "q"),
    ],
)
async def test_bad_parameters_are_422_naming_the_parameter(
    client: httpx.AsyncClient, params: dict[str, Any], field: str
) -> None:
    response = await client.get("/api/documents", params=params)
    assert response.status_code == 422, response.text
    assert any(field in error["loc"] for error in response.json()["detail"])


async def test_a_cursor_of_another_listing_is_refused(client: httpx.AsyncClient) -> None:
    figures = await get(client, "/api/figures", limit=1)
    response = await client.get("/api/documents", params={"cursor": figures["next"]})
    assert response.status_code == 422
    searched = await get(client, "/api/documents", q="诈骗", limit=1)
    response = await client.get("/api/documents", params={"cursor": searched["next"]})
    assert response.status_code == 422  # a search cursor without the search


async def test_one_release_in_full(client: httpx.AsyncClient, seeded: Seeded) -> None:
    data = await get(client, f"/api/documents/{seeded.id('march')}")
    release = RELEASES[0]
    assert data["text"] == release.text and data["published"] == "2024-03-01"
    for figure in data["figures"]:
        assert release.text[figure["start"] : figure["end"]] == figure["text"]
    assert {f["metric"]: f["value"] for f in data["figures"]} == {
        "suspects_detained": 120,
        "funds_seized_frozen": 3_500_000,
    }
    assert {s["source"] for s in data["sightings"]} == {"gd-gat", "zj-gat"}
    assert [v["id"] for v in data["versions"]] == [seeded.id("march")]


async def test_versions_and_what_changed(client: httpx.AsyncClient, seeded: Seeded) -> None:
    v1, v2 = seeded.version_ids
    for one in (v1, v2):
        data = await get(client, f"/api/documents/{one}")
        assert [v["id"] for v in data["versions"]] == [v1, v2]
        (change,) = data["changes"]
        assert (change["older"], change["newer"]) == (v1, v2)
    assert data["text"] == VERSION_2
    figures = {(c["metric"], c["change"]): c for c in change["figures"]}
    assert figures[("suspects_detained", "changed")]["old"] == 100
    assert figures[("suspects_detained", "changed")]["new"] == 150
    assert figures[("cases_investigated", "added")]["new"] == 20
    (text,) = change["text"]
    assert text["old"] == VERSION_1.splitlines()[1] and text["new"] == VERSION_2.splitlines()[1]


@pytest.mark.parametrize("document_id", ["999999", "0", "-3", "abc", "99999999999999999999999"])
async def test_unknown_or_bad_ids(client: httpx.AsyncClient, document_id: str) -> None:
    response = await client.get(f"/api/documents/{document_id}")
    assert response.status_code == (404 if document_id == "999999" else 422)
