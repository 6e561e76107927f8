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
