"""Pages in another charset than they declare (D17), read as Scrapy hands them over."""

from __future__ import annotations

import random

import pytest
from scrapy.http import HtmlResponse

from crawlers.charset import UNDECODABLE, Undecodable, readable

ZH = "公安机关共破获电信网络诈骗案件77起，抓获犯罪嫌疑人88名，冻结涉案资金约9亿元。"
ZH_TW = "警察機關共破獲電信網路詐騙案件77起，逮捕犯罪嫌疑人88名，凍結涉案資金約9億元。"
PAGE = (
    "<html><head>{meta}<title>{title}</title></head>"
    "<body><h1>{title}</h1><p>{text}</p></body></html>"
)


def page(
    text: str, encoding: str, header: str | None, meta: str = "", title: str = "通报"
) -> HtmlResponse:
    body = PAGE.format(meta=meta, title=title, text=text).encode(encoding)
    headers = {"Content-Type": f"text/html; charset={header}"} if header else {}
    return HtmlResponse("http://example.gov.cn/a/1.html", body=body, headers=headers)


JA = "警察は詐欺事件で容疑者88人を逮捕し、約9億円を凍結した。" * 3
RU = "Полиция задержала 88 подозреваемых по делу о мошенничестве. " * 3


def title_in(encoding: str) -> str:
    for title in ("通报", "通報", "Police"):
        try:
            title.encode(encoding)
        except UnicodeEncodeError:
            continue
        return title
    raise AssertionError(encoding)


@pytest.mark.parametrize(
    ("text", "encoding", "header", "meta", "language"),
    [
        (ZH, "gbk", "utf-8", "", "zh"),  # the probe's page
        (ZH, "gb18030", "UTF-8", "", "zh"),
        (ZH, "gbk", "utf-8", '<meta charset="gbk">', "zh"),  # header and meta disagree
        (
            ZH,
            "gb2312",
            "utf-8",
            '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
            "zh",
        ),
        (ZH_TW, "big5", "utf-8", "", "zh"),
        (ZH, "utf-8", "gbk", "", "zh"),  # UTF-8 declared as GBK decodes, into the wrong text
        (ZH, "utf-8", "iso-8859-1", "", "zh"),
        (ZH, "gbk", "iso-8859-1", '<meta charset="gbk">', "zh"),  # a server's default
        (ZH, "gbk", "windows-1252", "", "zh"),
        (ZH_TW, "big5", "iso-8859-1", "", "zh"),
        (JA, "shift_jis", "utf-8", "", "en"),
        (RU, "cp1251", "utf-8", "", "en"),
        (ZH, "gbk", None, '<meta charset="utf-8">', "zh"),  # the meta itself is wrong
    ],
)
def test_a_page_is_read_in_the_charset_of_its_bytes(
    text: str, encoding: str, header: str | None, meta: str, language: str
) -> None:
    title = title_in(encoding)
    response = page(text, encoding, header, meta, title=title)
    fixed = readable(response, "auto", language)
    assert text in fixed.text and "\ufffd" not in fixed.text
    assert fixed.xpath("//h1/text()").get() == title


def test_a_short_gbk_page_declared_utf8_is_read_as_chinese() -> None:
    response = page("反诈", "gbk", "utf-8", title="警方提示")
    fixed = readable(response, "auto", "zh")
    assert fixed.xpath("//h1/text()").get() == "警方提示"


@pytest.mark.parametrize(
    ("text", "encoding", "header"),
    [
        (ZH, "utf-8", "utf-8"),
        (ZH, "gbk", "gbk"),
        (ZH_TW, "big5", "big5"),
        ("plain", "ascii", None),
        ("Café au lait, naïve façade. " * 3, "iso-8859-1", "iso-8859-1"),
    ],
)
def test_a_page_in_its_declared_charset_is_left_alone(
    text: str, encoding: str, header: str | None
) -> None:
    response = page(text, encoding, header, title=title_in(encoding))
    assert readable(response, "auto", "zh") is response


def test_a_stray_byte_is_tolerated_and_a_real_replacement_character_is_not_damage() -> None:
    body = PAGE.format(meta="", title="t", text=ZH * 3 + "\ufffd").encode() + b"\xff"
    response = HtmlResponse(
        "http://x/", body=body, headers={"Content-Type": "text/html; charset=utf-8"}
    )
    assert readable(response, "auto", "zh") is response


def test_the_sources_encoding_is_used_when_it_fits_and_corrected_when_it_does_not() -> None:
    gbk = page(ZH, "gbk", "utf-8")
    assert readable(gbk, "gb18030", "zh").encoding == "gb18030"
    utf8 = page(ZH, "utf-8", "utf-8")  # the source says gbk, the site moved to UTF-8
    fixed = readable(utf8, "gbk", "zh")
    assert ZH in fixed.text


def test_bytes_in_no_charset_are_undecodable() -> None:
    rng = random.Random(7)
    junk = bytes(rng.randrange(0x80, 0x100) for _ in range(600))
    body = b"<html><body><h1>x</h1><p>" + junk + b"</p></body></html>"
    response = HtmlResponse(
        "http://x/", body=body, headers={"Content-Type": "text/html; charset=utf-8"}
    )
    with pytest.raises(Undecodable) as caught:
        readable(response, "auto", "zh")
    assert caught.value.code == UNDECODABLE
    message = str(caught.value)
    assert message.startswith("undecodable: the page is declared utf-8") and "non-ASCII" in message
