"""The JSON API's response shapes (they document /openapi.json)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field


class PassageOut(BaseModel):
    text: str = Field(description="text around the first match")
    marks: list[tuple[int, int]] = Field(description="[start, end) of each match in `text`")


class DocumentOut(BaseModel):
    id: int
    title: str
    source: str
    source_name: str | None
    region: str | None
    published: date | None = Field(description="the release date where the site is")
    published_at: datetime | None = Field(description="the release time, in the site's zone")
    urls: list[str]
    figures: int
    passage: PassageOut | None = Field(None, description="with `q`: where it matched")


class DocumentsOut(BaseModel):
    documents: list[DocumentOut]
    next: str | None = Field(description="cursor of the following page; null on the last")


class FigureOut(BaseModel):
    id: int
    document_id: int
    published: date | None
    source: str
    region: str | None
    metric: str
    value: int | float
    unit: str
    qualifier: str
    text: str
    topic: str | None
    start: int
    end: int


class FiguresOut(BaseModel):
    figures: list[FigureOut]
    next: str | None


class SightingOut(BaseModel):
    url: str
    source: str
    first_seen: datetime
    last_seen: datetime
    current: bool


class VersionOut(BaseModel):
    id: int
    title: str
    published: date | None
    stored_at: datetime


class ChangeOut(BaseModel):
    older: int
    newer: int
    text: list[dict[str, Any]] = Field(description="changed lines: op, old, new")
    figures: list[dict[str, Any]] = Field(
        description="figures added, removed or changed: metric, unit, old, new"
    )


class DocumentFigureOut(BaseModel):
    id: int
    text: str
    start: int
    end: int
    value: int | float
    unit: str
    qualifier: str
    metric: str
    topic: str | None


class DocumentDetailOut(BaseModel):
    id: int
    title: str
    source: str
    source_name: str | None
    region: str | None
    published: date | None
    published_at: datetime | None
    language: str
    topic: str | None
    content_hash: str
    stored_at: datetime
    text: str
    figures: list[DocumentFigureOut]
    sightings: list[SightingOut]
    versions: list[VersionOut] = Field(description="every version of this release, oldest first")
    changes: list[ChangeOut] = Field(description="what changed from each version to the next")


class PointOut(BaseModel):
    period: str
    start: date
    end: date
    sum: int | float | None = Field(description="null: no figure in this period (a gap)")
    figures: int
    releases: int = Field(description="how many releases the figures come from")


class SeriesOut(BaseModel):
    region: str
    unit: str
    figures_url: str = Field(
        description="the figures of this series (/api/figures); add since=start&until=end "
        "of a point for the figures behind it"
    )
    points: list[PointOut]


class SeriesResultOut(BaseModel):
    metric: str
    interval: str
    series: list[SeriesOut]
    undated: int = Field(description="figures of releases without a date, not in any point")


class RunOut(BaseModel):
    id: int | None = None
    status: str
    reason: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    new_documents: int | None = None
    failed_pages: dict[str, int] = Field(
        default_factory=dict, description="failed pages per error code (see the README)"
    )
    listing_detected: int = Field(0, description="listing pages read by list detection")
    warnings: list[dict[str, Any]] = Field(
        default_factory=list, description="detection's warnings about the list selector"
    )


class SourceOut(BaseModel):
    id: str
    name: str
    region: str | None
    configured: bool = Field(description="in the running configuration")
    enabled: bool | None
    schedule: str | None
    last_run: RunOut | None
    status: str | None = Field(description="result of the last run")
    cause: str | None = Field(description="why the source is unhealthy or its last run failed")
    healthy: bool
    health_changed_at: datetime | None
    next_run: datetime | None
    overdue: bool
    documents: int


class MetricOut(BaseModel):
    name: str
    label: str
    count: int
    in_vocabulary: bool


class ErrorOut(BaseModel):
    detail: Any
