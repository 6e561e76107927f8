"""Scrapy responses built from bytes fetched elsewhere (httpx, the browser).

Fetched bodies arrive decompressed and whole, so the headers that described how
they travelled (`TRANSPORT_HEADERS`) no longer hold and are dropped; Scrapy would
otherwise try to decompress the body a second time.
"""

from __future__ import annotations

from collections.abc import Iterable

import scrapy
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes

__all__ = ["TRANSPORT_HEADERS", "fetched_headers", "to_response"]

TRANSPORT_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


def fetched_headers(items: Iterable[tuple[str, str]], drop: Iterable[str] = ()) -> Headers:
    """Scrapy headers of a fetched body, without `TRANSPORT_HEADERS` (and `drop`)."""
    skip = TRANSPORT_HEADERS | {name.lower() for name in drop}
    headers = Headers()
    for key, value in items:
        if key.lower() not in skip:
            headers.appendlist(key, value)
    return headers


def to_response(
    request: scrapy.Request, url: str, status: int, headers: Headers, body: bytes
) -> Response:
    """A Scrapy response of the right class (HTML, JSON, XML, text ...) for fetched bytes."""
    cls = responsetypes.from_args(headers=headers, url=url, body=body)
    return cls(url=url, status=status, headers=headers, body=body, request=request)
