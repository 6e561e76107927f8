"""The crawl's settings from the user's config: the `crawl:` and `browser:` sections.

`bulletins.config` loads the YAML and validates these two sections with these
models; `crawlers.runner` turns them into Scrapy settings. The browser's settings
travel to each crawler as the plain mapping ``BULLETINS_BROWSER``
(`BrowserSettings.as_setting`), read back with `BrowserSettings.from_settings`:
one model, with the mapping only its form inside Scrapy's settings.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "DEBIAN_CHROMIUM",
    "ENV_EXECUTABLE",
    "BrowserSettings",
    "CrawlSettings",
    "resolve_executable",
]

ENV_EXECUTABLE = "BULLETINS_CHROMIUM"
DEBIAN_CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


class CrawlSettings(BaseModel):
    """Politeness and limits of every crawl (`crawlers.runner.scrapy_overrides`)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    download_timeout: float = Field(default=30.0, gt=0)
    retry_times: int = Field(default=3, ge=0)
    concurrency_per_site: int = Field(default=2, ge=1)
    download_delay: float = Field(default=0.5, ge=0)
    autothrottle: bool = True
    obey_robots: bool = True
    user_agent: str | None = None


class BrowserSettings(BaseModel):
    """The Chromium for `render: auto | always` sources ($BULLETINS_CHROMIUM overrides
    `executable`; without either, Debian's /usr/bin/chromium, else Playwright's own)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    executable: str | None = None  # None: Playwright's own Chromium
    max_pages: int = Field(default=4, ge=1, le=64)
    timeout: float = Field(default=30.0, gt=0)  # seconds: navigation, and settling a page

    @classmethod
    def from_settings(cls, value: Mapping[str, Any] | None) -> BrowserSettings:
        """The settings from their ``BULLETINS_BROWSER`` form (absent keys take the
        defaults), with the Chromium to launch resolved (`resolve_executable`)."""
        given = {key: item for key, item in dict(value or {}).items() if item is not None}
        settings = cls.model_validate(given)
        return settings.model_copy(update={"executable": resolve_executable(settings.executable)})

    def as_setting(self) -> dict[str, Any]:
        """The ``BULLETINS_BROWSER`` Scrapy setting (a plain mapping, as settings hold)."""
        return self.model_dump()

    @property
    def page_limit(self) -> float:
        """The most a page may take in all, settling included, before it is abandoned."""
        return 2 * self.timeout + 5


def resolve_executable(configured: str | None = None) -> str | None:
    """The Chromium to launch: $BULLETINS_CHROMIUM, the configured path, Debian's, or None."""
    for candidate in (os.environ.get(ENV_EXECUTABLE), configured):
        if candidate:
            return shutil.which(candidate) or candidate
    for candidate in DEBIAN_CHROMIUM:
        if os.access(candidate, os.X_OK):
            return candidate
    return None
