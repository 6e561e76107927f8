"""What the spider hands to the pipelines."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class ArticleItem:
    source_id: str
    url: str
    title: str
    published_at: datetime | None
    language: str
    text: str
    body: bytes
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    encoding: str | None = None
    #: True when the URL was stored for this source before (a full re-crawl).
    revisit: bool = False
    #: True when the URL failed before: a success clears that record.
    failed_before: bool = False
    #: The URL the listing linked to, when a redirect led from it to `url`.
    listed_url: str | None = None


@dataclass
class BrokenPageItem:
    """A page that was fetched but could not be read: kept for inspection."""

    source_id: str
    url: str
    body: bytes
    status: int
    error: str
    headers: dict[str, str] = field(default_factory=dict)
    encoding: str | None = None


@dataclass
class ListingPageItem:
    """A listing page that parsed well: its validators may now be saved."""

    source_id: str
    url: str
    etag: str | None
    last_modified: str | None
    next_url: str | None
    items: int


@dataclass
class PageFailureItem:
    """An article page that could not be fetched or read."""

    source_id: str
    url: str
    error: str
    #: storage.status.ErrorCode or http_<status>; it decides whether and when the page
    #: is fetched again (`storage.repository.record_page_failure`)
    code: str = "error"
    #: The URL the listing linked to, when a redirect led from it to `url`: the
    #: failure is recorded under it too, so it waits for its retry like `url`.
    listed_url: str | None = None


@dataclass(frozen=True)
class ListingEntry:
    """One article link found on a listing page."""

    url: str
    title: str | None = None
    date: str | None = None
