"""What every replica site shares: its articles in listing order, paging, publishing.

A site is a column of one CMS family under its own path prefix. It renders each
article page once and its listing pages whenever the listing changes, into
:class:`Page` objects the server serves as they are (no templating per request).
"""

from __future__ import annotations

import hashlib
import math
import random
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import Message
from itertools import count
from typing import Any, ClassVar

from replica.content import Bulletin, Language, text_hash

HTML_UTF8 = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Page:
    """A response body ready to serve; listing pages carry validators."""

    body: bytes
    content_type: str = HTML_UTF8
    last_modified: datetime | None = None  # set on listing pages only
    headers: tuple[tuple[str, str], ...] = ()
    etag: str | None = field(init=False, default=None)
    status: int = 200

    def __post_init__(self) -> None:
        if self.last_modified is not None:
            digest = hashlib.sha256(self.body).hexdigest()[:24]
            object.__setattr__(self, "etag", f'"{digest}"')


@dataclass(frozen=True)
class Entry:
    """One link of a listing: an article, or a dead link when `bulletin` is None."""

    key: int
    path: str
    published: datetime
    title: str
    bulletin: Bulletin | None


class Gate(ABC):
    """Something in front of a site's pages (an anti-bot challenge): it answers a
    request itself, or lets it through to the page by returning None."""

    @abstractmethod
    def check(self, method: str, path: str, headers: Message) -> Page | None: ...


def http_date(when: datetime) -> str:
    """An IMF-fixdate, as Last-Modified wants it."""
    return when.astimezone(UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")


class Site(ABC):
    """A column of articles under `prefix`, newest first, `per_page` to a listing page."""

    site_id: ClassVar[str]
    source_id: ClassVar[str]
    prefix: ClassVar[str]
    language: ClassVar[Language]
    per_page: ClassVar[int] = 20
    #: Paths listed like articles but answered by the server's own rules.
    hang_paths: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, seen: set[str]) -> None:
        self._seen = seen  # content hashes in use on the whole server, to keep texts distinct
        self.entries: list[Entry] = self._initial_entries()
        self._article_pages: dict[str, Page] = {}
        self._render_articles(self.entries)

    # -- what a site defines ---------------------------------------------------------------

    @classmethod
    @abstractmethod
    def source(cls, base_url: str) -> dict[str, Any]:
        """The source config entry that crawls this site on a server at `base_url`."""

    @abstractmethod
    def article_path(self, key: int, when: datetime) -> str: ...

    @abstractmethod
    def listing_path(self, number: int) -> str:
        """The path of listing page `number` (1-based)."""

    @abstractmethod
    def render_article(self, entry: Entry, bulletin: Bulletin) -> Page: ...

    @abstractmethod
    def render_listing(self, number: int, total: int, entries: Sequence[Entry]) -> Page: ...

    @abstractmethod
    def generate(self, rng: random.Random, when: datetime) -> Bulletin:
        """A new bulletin from the site's templates."""

    def initial_plan(self) -> tuple[datetime, int, list[tuple[datetime, Bulletin]]]:
        """The newest generated date, how many to generate, and the fixed articles."""
        raise NotImplementedError

    def dead_links(self) -> list[tuple[datetime, str, str]]:
        """(date, title, path) of listed links that never give an article."""
        return []

    def extra_pages(self, listing: dict[str, Page]) -> dict[str, Page]:
        """Aliases and other pages derived from the rendered listing pages."""
        return {}

    def gates(self) -> dict[str, Gate]:
        """Path prefixes of this site that a gate stands in front of (a challenge)."""
        return {}

    # -- shared behaviour ------------------------------------------------------------------

    def pages(self) -> dict[str, Page]:
        """Every page of the site, by path, as it stands now."""
        listing = self._render_listings()
        return {**self._article_pages, **listing, **self.extra_pages(listing)}

    def publish(self, number: int) -> list[Entry]:
        """Add `number` articles dated after all others; return them, newest first."""
        if number < 1:
            raise ValueError("count must be at least 1")
        newest = max(entry.published for entry in self.entries)
        next_key = max(entry.key for entry in self.entries) + 1
        day = newest.replace(hour=9, minute=0, second=0, microsecond=0)
        added = []
        for offset in range(number):
            when = day + timedelta(days=offset + 1, hours=offset % 8, minutes=7 * (offset % 6))
            added.append(self._new_entry(next_key + offset, when))
        added.reverse()
        self.entries[:0] = added
        self._render_articles(added)
        return added

    def related(self, entry: Entry, number: int = 4) -> list[Entry]:
        """Other articles to link from `entry`'s page (the sidebar's "related" links)."""
        others = [e for e in self.entries if e.bulletin is not None and e.key != entry.key]
        return others[:number]

    @property
    def page_count(self) -> int:
        return max(1, math.ceil(len(self.entries) / self.per_page))

    @property
    def last_modified(self) -> datetime:
        return max(entry.published for entry in self.entries)

    def _render_listings(self) -> dict[str, Page]:
        total = self.page_count
        return {
            self.listing_path(n): self.render_listing(
                n, total, self.entries[(n - 1) * self.per_page : n * self.per_page]
            )
            for n in range(1, total + 1)
        }

    def _render_articles(self, entries: Sequence[Entry]) -> None:
        for entry in entries:
            if entry.bulletin is not None:
                self._article_pages[entry.path] = self.render_article(entry, entry.bulletin)

    def _initial_entries(self) -> list[Entry]:
        newest, number, fixed = self.initial_plan()
        for _, known in fixed:
            self._seen.add(text_hash(known.text))
        rng = random.Random(f"{self.site_id}:dates")
        slots: list[tuple[datetime, Bulletin | None]] = [(when, b) for when, b in fixed]
        day = newest
        for _ in range(number):
            slots.append(
                (day.replace(hour=rng.randint(8, 17), minute=rng.randrange(0, 60, 5)), None)
            )
            day -= timedelta(days=rng.randint(1, 4))
        slots.sort(key=lambda slot: slot[0])
        entries = []
        for key, (when, fixed_bulletin) in enumerate(slots, start=1):
            if fixed_bulletin is None:
                entries.append(self._new_entry(key, when))
            else:
                path = self.article_path(key, when)
                entries.append(Entry(key, path, when, fixed_bulletin.title, fixed_bulletin))
        for index, (when, title, dead_path) in enumerate(self.dead_links(), start=1):
            entries.append(Entry(-index, dead_path, when, title, None))
        entries.sort(key=lambda entry: (entry.published, entry.key), reverse=True)
        return entries

    def _new_entry(self, key: int, when: datetime) -> Entry:
        for attempt in count():
            bulletin = self.generate(random.Random(f"{self.site_id}:{key}:{attempt}"), when)
            digest = text_hash(bulletin.text)
            if digest not in self._seen:
                self._seen.add(digest)
                return Entry(key, self.article_path(key, when), when, bulletin.title, bulletin)
        raise AssertionError("unreachable")
