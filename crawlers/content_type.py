"""Whether a fetched page is text to read, or a file (``not_html``).

Scrapy picks a response's class from its Content-Type, but where it has no class
for the declared type (``application/pdf``, ``image/png``) it goes on to guess from
the URL's extension and the first bytes: a PDF whose first 5 KB hold no control
character, or an image at an address ending in ``.html``, becomes a text response,
and the crawl would read it as a page (an empty body, or the file's bytes stored as
a release). A declared type that is not text settles it; ``application/octet-stream``
says nothing, so Scrapy's guess stands there.
"""

from __future__ import annotations

from scrapy.http import Response, TextResponse
from scrapy.responsetypes import responsetypes

#: Declared types that say nothing about the content: Scrapy's guess stands.
UNKNOWN_TYPES = frozenset({"application/octet-stream", "application/unknown", "unknown/unknown"})


def declared_type(response: Response) -> str | None:
    """The media type of the response's Content-Type, lower case (``application/pdf``)."""
    raw = response.headers.get("Content-Type")
    if not raw:
        return None
    media = raw.decode("latin-1").split(";", 1)[0].strip().lower()
    return media or None


def declared_not_text(media: str) -> bool:
    """Whether a declared media type is a file rather than text or markup."""
    if media in UNKNOWN_TYPES or "/" not in media:
        return False
    if media.startswith("text/") or media.endswith(("+xml", "+json")):
        return False
    return not issubclass(responsetypes.from_mimetype(media), TextResponse)


def not_text(response: Response) -> str | None:
    """Why `response` is no page to read (``application/pdf``, ``not text``), or None."""
    media = declared_type(response)
    if media is not None and declared_not_text(media):
        return media
    if not isinstance(response, TextResponse):
        return media or "not text"
    return None
