"""The replica's sites, one CMS family each, and the source entries that crawl them."""

from __future__ import annotations

from typing import Any

from replica.sites.base import Entry, Gate, Page, Site
from replica.sites.bench import BenchSite
from replica.sites.f1 import F1Site
from replica.sites.jsapp import BUSY_PATH, JsAppSite
from replica.sites.jsl import JslGate, JslSite, JslStrictSite
from replica.sites.ministry_en import GONE_PATH, HANG_PATH, MinistryEnSite
from replica.sites.trs_gbk import TrsGbkSite

__all__ = [
    "BROWSER_SITE_CLASSES",
    "BUSY_PATH",
    "GONE_PATH",
    "HANG_PATH",
    "SITE_CLASSES",
    "BenchSite",
    "Entry",
    "F1Site",
    "Gate",
    "JsAppSite",
    "JslGate",
    "JslSite",
    "JslStrictSite",
    "MinistryEnSite",
    "Page",
    "Site",
    "TrsGbkSite",
    "build_sites",
    "sources_config",
]

#: The always-present sites, in the order their sources are listed.
SITE_CLASSES: tuple[type[Site], ...] = (TrsGbkSite, MinistryEnSite, F1Site)
#: The sites that need a browser (a JavaScript challenge, a JavaScript-built listing);
#: always served, listed by `sources_config` only with ``browser=True``.
BROWSER_SITE_CLASSES: tuple[type[Site], ...] = (JslSite, JsAppSite, JslStrictSite)


def build_sites(bench_articles: int = 0) -> dict[str, Site]:
    """Every site by id, with its initial articles (the bench site only if asked for)."""
    seen: set[str] = set()  # content hashes: texts differ except where a repost is meant
    sites: dict[str, Site] = {cls.site_id: cls(seen) for cls in SITE_CLASSES}
    # after the others, so their content does not depend on these
    sites.update({cls.site_id: cls(seen) for cls in BROWSER_SITE_CLASSES})
    if bench_articles > 0:
        sites[BenchSite.site_id] = BenchSite(seen, bench_articles)
    return sites


def sources_config(
    base_url: str, *, bench_articles: int = 0, browser: bool = False
) -> list[dict[str, Any]]:
    """The source config entries (one per site) that crawl a replica at `base_url`.

    The bench site's entry is included only when `bench_articles` > 0; the sites
    that need a browser (``replica-jsl`` with ``render: auto``, ``replica-jsapp`` with
    ``render: always``, ``replica-jsl-strict``) only with `browser`.
    """
    base_url = base_url.rstrip("/")
    sources = [cls.source(base_url) for cls in SITE_CLASSES]
    if browser:
        sources += [cls.source(base_url) for cls in BROWSER_SITE_CLASSES]
    if bench_articles > 0:
        sources.append(BenchSite.source(base_url, bench_articles))
    return sources
