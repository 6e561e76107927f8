"""The configuration schema of one source: what to crawl and how to read it.

A source names its listing pages (`start_urls`), how to find article links on
them (`list`), and optionally how to read an article (`article`). Selectors are
CSS by default; a value starting with ``xpath:`` is XPath (``regex:`` is not a
selector the crawler knows, and is refused). A source may name a CMS `family`
(see ``families.yaml``) and override only what differs. A `schedule` is a cron
expression that fires (one that never does, 30 February or a past year, is
refused) or an interval such as ``every 15m`` (`crawlers.sources.schedules`).
"""

from __future__ import annotations

import builtins
import re
from typing import Literal

from parsel import Selector
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from crawlers.sources.schedules import check_schedule

SOURCE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def check_selector(value: str | None) -> str | None:
    """Compile a CSS or ``xpath:`` selector once, so a typo fails at load time."""
    if value is None:
        return None
    if value.startswith("regex:"):
        raise ValueError(
            f"{value!r}: regex: selectors are not supported; use CSS (the default) or xpath:"
        )
    probe = Selector(text="<html><body></body></html>")
    try:
        if value.startswith("xpath:"):
            probe.xpath(value.removeprefix("xpath:"))
        else:
            probe.css(value)
    except Exception as exc:  # parsel raises several unrelated exception types
        raise ValueError(f"invalid selector {value!r}: {exc}") from None
    return value


class ListConfig(Strict):
    item: str | None = Field(
        default=None,
        description="selector of one list entry; without it (or when it matches nothing) "
        "the list is found by its structure (crawlers.detect)",
    )
    heading: str | builtins.list[str] | None = Field(
        default=None,
        description="the heading of the list to follow on a page with several (a home page); "
        "a list of headings means the first one the page has",
    )
    link: str = "a::attr(href)"
    title: str | None = None
    date: str | None = None
    next_page: str | None = None
    pages: str | None = Field(
        default=None, description="URL of listing page 2, 3, ... relative to the start URL; {n}"
    )
    pages_from: int = Field(default=1, ge=0)
    min_pages: int = Field(default=2, ge=1)
    max_pages: int = Field(default=5, ge=1)

    _selectors = field_validator("item", "link", "title", "date", "next_page")(
        lambda cls, v: check_selector(v)
    )

    @field_validator("heading")
    @classmethod
    def _headings(cls, value: str | builtins.list[str] | None) -> str | builtins.list[str] | None:
        names = [value] if isinstance(value, str) else value or []
        if any(not name.strip() for name in names) or value == []:
            raise ValueError("a heading must be non-empty text (or a list of such)")
        return value

    @property
    def headings(self) -> builtins.list[str]:
        if self.heading is None:
            return []
        return [self.heading] if isinstance(self.heading, str) else list(self.heading)

    @field_validator("pages")
    @classmethod
    def _pages_template(cls, value: str | None) -> str | None:
        if value is not None and "{n}" not in value:
            raise ValueError("must contain {n}, the page number placeholder")
        return value

    @model_validator(mode="after")
    def _page_bounds(self) -> ListConfig:
        if self.min_pages > self.max_pages:
            raise ValueError(f"min_pages ({self.min_pages}) exceeds max_pages ({self.max_pages})")
        return self


class ArticleConfig(Strict):
    title: str | None = None
    date: str | None = None
    body: str | None = None

    _selectors = field_validator("title", "date", "body")(lambda cls, v: check_selector(v))


class SourceConfig(Strict):
    id: str
    name: str
    agency: str = ""
    level: Literal["national", "provincial", "municipal"] = "provincial"
    region: str = ""
    language: Literal["zh", "en"] = "zh"
    schedule: str = "0 */6 * * *"
    start_urls: builtins.list[str] = Field(min_length=1)
    family: str | None = None
    spider: str = "generic"
    list: ListConfig = Field(default_factory=ListConfig)
    article: ArticleConfig = ArticleConfig()
    render: Literal["never", "auto", "always"] = "auto"
    encoding: str = "auto"
    #: May follow links and redirects to other hosts at private addresses (crawlers.netguard).
    allow_private_network: bool = False
    enabled: bool = True
    verified: str | None = None
    notes: str | None = None

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not SOURCE_ID.match(value):
            raise ValueError("must be a lowercase slug: letters, digits, '-' or '_'")
        return value

    @field_validator("schedule")
    @classmethod
    def _schedule(cls, value: str) -> str:
        return check_schedule(value)

    @field_validator("start_urls")
    @classmethod
    def _urls(cls, value: builtins.list[str]) -> builtins.list[str]:
        for url in value:
            if not re.match(r"^https?://[^/\s]+", url):
                raise ValueError(f"not an http(s) URL: {url!r}")
        return value

    @field_validator("encoding")
    @classmethod
    def _encoding(cls, value: str) -> str:
        import codecs

        if value != "auto":
            try:
                codecs.lookup(value)
            except LookupError:
                raise ValueError(f"unknown encoding {value!r}") from None
        return value
