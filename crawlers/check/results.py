"""What `sources check` found for a source: its pages, its items, its article, one verdict."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from crawlers.check.detection import ListingDetection

__all__ = ["LABELS", "PageCheck", "SourceCheck"]

LABELS = {
    "ok": "ok",
    "no_match": "selectors found nothing",
    "blocked": "blocked",
    "unreachable": "unreachable",
}


@dataclass
class PageCheck:
    """One fetched page: where, what came back, and how it decoded."""

    url: str
    method: str = "GET"
    status: int | None = None
    encoding: str | None = None
    challenge: str | None = None
    error: str | None = None
    seconds: float = 0.0
    browser: bool = False  # fetched through the browser
    code: str | None = None  # storage.status code of a failed fetch


@dataclass
class SourceCheck:
    source_id: str
    verdict: str = "unreachable"
    reason: str = ""
    code: str | None = None  # storage.status code of what decided the verdict, if it failed
    needs_browser: bool = False
    browser_reason: str | None = None  # why the source needs the browser
    render: str = "auto"
    seconds: float = 0.0
    listing: list[PageCheck] = field(default_factory=list)
    items: int = 0
    first_link: str | None = None
    first_title: str | None = None
    first_date: str | None = None
    article: PageCheck | None = None
    article_title: str | None = None
    article_date: str | None = None
    body_chars: int = 0
    detection: ListingDetection | None = None  # what detection found on the listing page
    detection_error: str | None = None

    @property
    def ok(self) -> bool:
        return self.verdict == "ok"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["label"] = LABELS[self.verdict]
        return data

    def finish(self, verdict: str, reason: str, code: str | None = None) -> SourceCheck:
        self.verdict, self.reason, self.code = verdict, reason, code
        return self
