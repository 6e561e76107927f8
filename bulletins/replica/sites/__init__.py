"""The replica's sites, one CMS family each, and the source entries that crawl them."""

from __future__ import annotations

from typing import Any

from bulletins.replica.sites.base import Entry, Page, Site
from bulletins.replica.sites.bench import BenchSite
from bulletins.replica.sites.f1 import F1Site
from bulletins.replica.sites.ministry_en import GONE_PATH, HANG_PATH, MinistryEnSite
from bulletins.replica.sites.trs_gbk import TrsGbkSite

__all__ = [
    "GONE_PATH",
    "HANG_PATH",
    "SITE_CLASSES",
    "BenchSite",
    "Entry",
    "F1Site",
    "MinistryEnSite",
    "Page",
    "Site",
    "TrsGbkSite",
    "build_sites",
    "sources_config",
]

#: The always-present sites, in the order their sources are listed.
SITE_CLASSES: tuple[type[Site], ...] = (TrsGbkSite, MinistryEnSite, F1Site)


def build_sites(bench_articles: int = 0) -> dict[str, Site]:
    """Every site by id, with its initial articles (the bench site only if asked for)."""
    seen: set[str] = set()  # content hashes: texts differ except where a repost is meant
    sites: dict[str, Site] = {cls.site_id: cls(seen) for cls in SITE_CLASSES}
    if bench_articles > 0:
        sites[BenchSite.site_id] = BenchSite(seen, bench_articles)
    return sites


def sources_config(base_url: str, *, bench_articles: int = 0) -> list[dict[str, Any]]:
    """The source config entries (one per site) that crawl a replica at `base_url`.

    The bench site's entry is included only when `bench_articles` > 0.
    """
    base_url = base_url.rstrip("/")
    sources = [cls.source(base_url) for cls in SITE_CLASSES]
    if bench_articles > 0:
        sources.append(BenchSite.source(base_url, bench_articles))
    return sources
