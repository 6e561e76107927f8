"""Spiders: one generic spider, and small subclasses for CMS quirks.

A source picks its spider with the `spider` key (default ``generic``).
"""

from __future__ import annotations

from crawlers.spiders.bulletin import BulletinSpider

SPIDERS: dict[str, type[BulletinSpider]] = {
    "generic": BulletinSpider,
}


def spider_class(name: str) -> type[BulletinSpider]:
    try:
        return SPIDERS[name]
    except KeyError:
        raise ValueError(f"unknown spider {name!r} (known: {', '.join(sorted(SPIDERS))})") from None
