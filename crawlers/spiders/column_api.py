"""Columns whose page only names the API the list comes from.

The column page (the source's start URL) is fetched first, as a visitor's browser
would; the spider reads the API's address and parameters from it and asks the
API for page 1 instead. The API's replies then go through the ordinary listing
steps (`listing_entries`, `next_listing_url`). Requests to the API carry
``meta["api"] = True``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse

from crawlers.charset import Undecodable
from crawlers.content_type import not_text
from crawlers.spiders.bulletin import BulletinSpider
from crawlers.spiders.support import is_json, response_meta


class ColumnApiSpider(BulletinSpider):
    """Base of the spiders that turn a column page into a request to its list API."""

    name = "bulletin-column-api"

    def api_request(
        self, response: TextResponse, page: int, start_url: str
    ) -> scrapy.Request | None:
        """The request for page 1 of the list API named by this column page, if any."""
        raise NotImplementedError

    def parse_listing(self, response: Response) -> Iterator[Any]:
        if (
            isinstance(response, TextResponse)
            and response.status == 200
            and not_text(response) is None  # a file: the base records it (not_html)
            and not response_meta(response, "api")
            and not is_json(response)
        ):
            page: int = response.meta["page"]
            start_url: str = response.meta["start_url"]
            try:
                request = self.api_request(self.decoded(response), page, start_url)
            except Undecodable:
                request = None  # parse_listing below records it
            if request is not None:
                request.meta["api"] = True
                yield request
                return
        yield from super().parse_listing(response)
