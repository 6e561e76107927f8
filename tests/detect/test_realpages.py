"""The real saved pages of ../shared/realpages (copied to tests/fixtures/realpages with
their truth, expected.json), read with no selectors: in process and through
`bulletins sources probe --file … --json`, as the held-back pages will be."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from crawlers.detect import detect_listing
from crawlers.detect.decode import decode_html
from crawlers.detect.probe import probe

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "realpages"
TRUTH: dict[str, Any] = json.loads((PAGES / "expected.json").read_text("utf-8"))
ADDRESSES = {
    "www.mps.gov.cn/index_home_2026-09.html": "https://www.mps.gov.cn/index.html",
    "www.ndrc.gov.cn/xxgk_zcfb_tz_list_sample.html": "https://www.ndrc.gov.cn/xxgk/zcfb/tz/index.html",
    "fgw.zj.gov.cn/art_1621004_30332664.html":
        "http://fgw.zj.gov.cn/art/2016/11/22/art_1621004_30332664.html",
    "www.shanxi.gov.cn/article_gne_shanxi_1.html":
        "http://www.shanxi.gov.cn/yw/sxyw/201909/t20190918_693227.shtml",
    "sthjt.jiangxi.gov.cn/column_debug_page_1.html":
        "https://sthjt.jiangxi.gov.cn/jxssthjt/col/col42150/index.html",
    "fzgg.gansu.gov.cn/tzgg_article_1.html":
        "https://fzgg.gansu.gov.cn/fzgg/c106200/202503/174084153.shtml",
}
MPS = "www.mps.gov.cn/index_home_2026-09.html"
NDRC = "www.ndrc.gov.cn/xxgk_zcfb_tz_list_sample.html"


def norm(text: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def read(name: str) -> str:
    return decode_html((PAGES / name).read_bytes())[0]


def garbled(name: str) -> str:
    """A heading as the MPS page shows it: UTF-8 read as Latin-1, with the C1 controls
    and soft hyphens lost in copying."""
    return "".join(
        c for c in name.encode().decode("latin-1") if not ("\x80" <= c <= "\x9f" or c == "\xad")
    )


def cli_probe(name: str) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-m", "bulletins.cli", "sources", "probe", ADDRESSES[name],
         "--file", str(PAGES / name), "--json"],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_mps_home_page_all_36_news_links_under_their_headings_none_off_site() -> None:
    result = cli_probe(MPS)
    assert result["kind"] == "listing"
    truth = TRUTH[MPS]
    found = [item["url"] for item in result["items"]]
    wanted = [f"https://www.mps.gov.cn/{i['href']}" for i in truth["items"]]
    assert len(set(wanted) & set(found)) >= 30
    assert set(wanted) <= set(found)  # in fact all 36
    assert all(url.startswith("https://www.mps.gov.cn/") for url in found)  # no off-site link
    dates = {item["url"]: item["date"] for item in result["items"]}
    for item in truth["items"]:
        assert dates[f"https://www.mps.gov.cn/{item['href']}"] == item["date"]
    # every ministry list, under its own heading, with its own items
    detection = detect_listing(read(MPS), ADDRESSES[MPS])
    for lst in truth["lists"]:
        picked = detection.pick(garbled(lst["name"]))
        assert picked is not None, lst["name"]
        assert [i.url for i in picked.items] == [
            f"https://www.mps.gov.cn/{h}" for h in lst["hrefs"]
        ], lst["name"]
    headings = [entry["heading"] for entry in result["lists"]]
    for lst in truth["lists"]:  # (a trailing "»", a garbled 闻 or 读, is trimmed as punctuation)
        assert any(h and garbled(lst["name"]).startswith(h) for h in headings), lst["name"]
    # the 时政要闻 list of www.gov.cn / news.cn links is reported, not followed
    offsite = [entry for entry in result["lists"] if entry.get("offsite")]
    assert len(offsite) == 1 and offsite[0]["count"] == 8


def test_ndrc_column_exactly_its_25_items_with_dates_and_the_next_page() -> None:
    result = cli_probe(NDRC)
    truth = TRUTH[NDRC]
    base = "https://www.ndrc.gov.cn/xxgk/zcfb/tz/"
    assert [(i["url"], i["title"], i["date"]) for i in result["items"]] == [
        (base + t["href"].removeprefix("./"), t["title"], t["date"]) for t in truth["items"]
    ]
    assert result["next_page"] == base + truth["next_page"]
    assert result["selectors"]["item"] == "ul.u-list > li"  # child combinator: no pop-up entries
    assert "spider: trs" in result["config"] and "pages: index_{n}.html" in result["config"]


@pytest.mark.parametrize(
    "name",
    [
        "fgw.zj.gov.cn/art_1621004_30332664.html",
        "www.shanxi.gov.cn/article_gne_shanxi_1.html",
        "fzgg.gansu.gov.cn/tzgg_article_1.html",
    ],
)
def test_articles_title_date_and_body(name: str) -> None:
    result = cli_probe(name)
    truth = TRUTH[name]
    assert result["kind"] == "article"
    assert norm(result["title"]) == norm(truth["title"])
    assert result["date"][:10] == truth["date"]
    body = norm(result["body"])
    assert body.startswith(norm(truth["body_starts"]))  # the text, not the title
    assert body.endswith(norm(truth["body_ends"]))


def test_gansu_date_is_the_visible_one_not_the_page_generation_stamp() -> None:
    result = probe(read("fzgg.gansu.gov.cn/tzgg_article_1.html"),
                   ADDRESSES["fzgg.gansu.gov.cn/tzgg_article_1.html"])
    assert result["date"].startswith("2025-02-26T11:54")
    assert result["date_from"] == "label"
    body = result["body"]
    assert "字号" not in body and "扫一扫" not in body and "若干措施》\n" not in body + "\n"
    assert result["selectors"]["body"] == "#detailContent"


def test_jiangxi_column_has_no_list_in_its_html_and_names_its_family() -> None:
    name = "sthjt.jiangxi.gov.cn/column_debug_page_1.html"
    result = cli_probe(name)
    assert result["kind"] == "listing" and result["items"] == []
    assert "family: jiangxi" in result["config"]
    assert "loaded by script" in result["note"]
