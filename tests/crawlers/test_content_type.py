"""A page is text to read unless its declared Content-Type says it is a file
(crawlers.content_type): Scrapy's own guess from the URL and the first bytes decides
only where the type says nothing."""

from __future__ import annotations

import pytest
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes

from crawlers.content_type import not_text

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
HTML = b"<html><body><p>\xe9\x80\x9a\xe6\x8a\xa5</p></body></html>"


def fetched(url: str, content_type: str | None, body: bytes) -> Response:
    """The response Scrapy's download handler makes of these bytes."""
    headers = Headers({"Content-Type": content_type} if content_type else {})
    cls = responsetypes.from_args(headers=headers, url=url, body=body)
    return cls(url=url, headers=headers, body=body)


@pytest.mark.parametrize(
    ("url", "content_type", "body", "why"),
    [
        # Scrapy makes text of both: the PDF's first bytes, the address's extension.
        ("http://127.0.0.1/report.pdf", "application/pdf", PDF, "application/pdf"),
        ("http://127.0.0.1/index.html", "image/png", PNG, "image/png"),
        ("http://127.0.0.1/a.html", "application/msword; charset=gbk", HTML, "application/msword"),
        ("http://127.0.0.1/a.html", "video/mp4", HTML, "video/mp4"),
        ("http://127.0.0.1/chart", None, PNG, "not text"),  # nothing declared, binary bytes
    ],
)
def test_files_are_not_text(url: str, content_type: str | None, body: bytes, why: str) -> None:
    assert not_text(fetched(url, content_type, body)) == why


@pytest.mark.parametrize(
    "content_type",
    [
        "text/html; charset=utf-8",
        "application/xhtml+xml",
        "application/json",
        "application/vnd.api+json",
        "text/plain",
        "application/octet-stream",  # says nothing: the bytes are HTML
        None,
    ],
)
def test_pages_and_api_answers_are_text(content_type: str | None) -> None:
    assert not_text(fetched("http://127.0.0.1/a.html", content_type, HTML)) is None
