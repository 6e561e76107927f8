"""The database as the crawl process sees it: one `Database` per URL, shared by
the spider, the pipelines and the run recorder of that process."""

from __future__ import annotations

from functools import cache

from storage.db import Database


@cache
def database(url: str) -> Database:
    return Database(url)
