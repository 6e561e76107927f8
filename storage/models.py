"""The database schema (SQLAlchemy 2.0 typed models).

Identity is enforced by the database: a document's content hash, a sighting's
(document, source, url), a figure's (document, start, end), an alert's (webhook,
document, event) are unique, and writers insert with ON CONFLICT DO NOTHING.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


#: Indexes only PostgreSQL has (migration 0010_newest_first_indexes): SQLite sorts
#: NULL lowest, so its ascending indexes read backwards already give "newest
#: first, undated last"; PostgreSQL sorts NULL highest and needs the order spelled out.
POSTGRESQL_ONLY_INDEXES: set[str] = set()


def postgresql_only(index: Index) -> Index:
    """`index`, created on PostgreSQL only (and compared with the schema there only)."""
    assert index.name is not None
    POSTGRESQL_ONLY_INDEXES.add(str(index.name))
    return index.ddl_if(dialect="postgresql")


class Source(Base):
    __tablename__ = "sources"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    agency: Mapped[str] = mapped_column(String(200), default="")
    level: Mapped[str] = mapped_column(String(20), default="provincial")
    region: Mapped[str] = mapped_column(String(100), default="")
    language: Mapped[str] = mapped_column(String(8), default="zh")
    config: Mapped[dict[str, Any]] = mapped_column(default=dict)
    healthy: Mapped[bool] = mapped_column(Boolean, default=True)
    health_reason: Mapped[str | None] = mapped_column(Text)
    health_changed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Document(Base):
    """One release, identified by the hash of its normalized main text."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), index=True)
    url: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    language: Mapped[str] = mapped_column(String(8), default="zh")
    text: Mapped[str] = mapped_column(Text)
    topic: Mapped[str | None] = mapped_column(String(40))
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), index=True)
    extractor_version: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    sightings: Mapped[list[Sighting]] = relationship(
        back_populates="document", order_by="Sighting.id", lazy="selectin"
    )
    previous: Mapped[Document | None] = relationship(remote_side=[id])


# Releases newest first, undated last (the listing's and the search's ORDER BY and
# keyset cursor, web/query/documents.py).
postgresql_only(
    Index("ix_documents_newest", Document.published_at.desc().nulls_last(), Document.id.desc())
)


class Sighting(Base):
    """A URL at which a source saw a document (each source its own: two sources
    listing one URL each know it)."""

    __tablename__ = "sightings"
    __table_args__ = (UniqueConstraint("document_id", "source_id", "url"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"))
    url: Mapped[str] = mapped_column(Text, index=True)
    first_seen: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(default=utcnow)
    current: Mapped[bool] = mapped_column(Boolean, default=True)

    document: Mapped[Document] = relationship(back_populates="sightings")


Index("ix_sightings_source_url", Sighting.source_id, Sighting.url)


class RawPage(Base):
    """The fetched bytes of a page (zlib), kept for re-extraction and inspection."""

    __tablename__ = "raw_pages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), index=True)
    url: Mapped[str] = mapped_column(Text)
    status: Mapped[int] = mapped_column(Integer, default=200)
    headers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    encoding: Mapped[str | None] = mapped_column(String(40))
    body: Mapped[bytes] = mapped_column(LargeBinary)
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), index=True
    )
    error: Mapped[str | None] = mapped_column(Text)
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow)


class CrawlRun(Base):
    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(20), default="running")  # storage.status.RunStatus
    reason: Mapped[str | None] = mapped_column(Text)
    requests: Mapped[int] = mapped_column(Integer, default=0)
    listing_pages: Mapped[int] = mapped_column(Integer, default=0)
    listing_items: Mapped[int] = mapped_column(Integer, default=0)
    articles_fetched: Mapped[int] = mapped_column(Integer, default=0)
    new_documents: Mapped[int] = mapped_column(Integer, default=0)
    new_versions: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    empty_bodies: Mapped[int] = mapped_column(Integer, default=0)
    # One entry per failed page: url, code (storage.status), error (the message), kind.
    errors: Mapped[list[Any]] = mapped_column(default=list)
    # Listing pages read by detection, and its warnings about configured selectors
    # (url, warning, selector_count, detected_count): crawlers.detect.crawl.
    listing_detected: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    warnings: Mapped[list[Any]] = mapped_column(default=list, server_default=text("'[]'"))
    used_browser: Mapped[str | None] = mapped_column(Text)
    pid: Mapped[int | None]
    worker: Mapped[str | None] = mapped_column(String(200))  # host:pid that ran it
    job_id: Mapped[int | None] = mapped_column(BigInteger)  # the queue job, in queue mode


class ListingPage(Base):
    """Validators of a listing page for one source, saved only after the page parsed
    well. Per source: two sources on one listing URL must not answer each other's 304s."""

    __tablename__ = "listing_pages"

    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), primary_key=True)
    url: Mapped[str] = mapped_column(String(2000), primary_key=True)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    next_url: Mapped[str | None] = mapped_column(Text)
    items: Mapped[int] = mapped_column(Integer, default=0)
    parsed_at: Mapped[datetime] = mapped_column(default=utcnow)


class ListedUrl(Base):
    """A URL a source's listing links to that led to a stored document at another URL
    (a redirect): the listed URL is known too, so it is not fetched again."""

    __tablename__ = "listed_urls"

    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), primary_key=True)
    url: Mapped[str] = mapped_column(String(2000), primary_key=True)
    final_url: Mapped[str] = mapped_column(Text)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    first_seen: Mapped[datetime] = mapped_column(default=utcnow)


class PageFailure(Base):
    """An article URL that failed: skipped until `retry_at`; for good once permanent
    (404, 410, not_html: `storage.repository.NEVER_AGAIN`)."""

    __tablename__ = "page_failures"

    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), primary_key=True)
    url: Mapped[str] = mapped_column(String(2000), primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    last_error: Mapped[str] = mapped_column(Text, default="")
    code: Mapped[str] = mapped_column(String(40), default="error", server_default="error")
    permanent: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_at: Mapped[datetime] = mapped_column(default=utcnow)
    retry_at: Mapped[datetime | None]


class Figure(Base):
    __tablename__ = "figures"
    __table_args__ = (UniqueConstraint("document_id", "start", "end"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    value: Mapped[Decimal] = mapped_column(Numeric(30, 6))
    unit: Mapped[str] = mapped_column(String(40))
    qualifier: Mapped[str] = mapped_column(String(20))
    metric: Mapped[str] = mapped_column(String(60), index=True)
    topic: Mapped[str | None] = mapped_column(String(40))
    direction: Mapped[str | None] = mapped_column(String(8))  # up | down for a change
    extractor_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Its document's date, copied by triggers (migration 0006_figure_dates): writers
    # leave it alone.
    published_at: Mapped[datetime | None]


# "This metric, newest first" and "this metric per unit, source and period", from
# indexes alone.
Index(
    "ix_figures_metric_published",
    Figure.metric,
    Figure.published_at,
    Figure.document_id,
    Figure.source_id,
    Figure.unit,
    Figure.value,
)
Index(
    "ix_figures_metric_unit_source",
    Figure.metric,
    Figure.unit,
    Figure.source_id,
    Figure.published_at,
    Figure.value,
    Figure.document_id,
)
Index("ix_figures_published", Figure.published_at, Figure.document_id)


# Figures newest first, in text order within a release (the figure listing's ORDER
# BY and keyset cursor, web/query/figures.py): a metric's, and all of them.
postgresql_only(
    Index(
        "ix_figures_metric_newest",
        Figure.metric,
        Figure.published_at.desc().nulls_last(),
        Figure.document_id.desc(),
        Figure.id,
    )
)
postgresql_only(
    Index(
        "ix_figures_newest",
        Figure.published_at.desc().nulls_last(),
        Figure.document_id.desc(),
        Figure.id,
    )
)


class FigureTotal(Base):
    """Per release, metric, unit and source: the sum and count of its figures, and
    the release's date. Kept by triggers (migration 0009_figure_totals) in the
    transaction that writes the figures: writers leave it alone. Series sum these
    rows, one per release, instead of the figures."""

    __tablename__ = "figure_totals"

    document_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    metric: Mapped[str] = mapped_column(String(60), primary_key=True)
    unit: Mapped[str] = mapped_column(String(40), primary_key=True)
    source_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    published_at: Mapped[datetime | None]
    total: Mapped[Decimal] = mapped_column(Numeric(30, 6))
    figures: Mapped[int] = mapped_column(Integer)


Index(
    "ix_figure_totals_cells",
    FigureTotal.metric,
    FigureTotal.unit,
    FigureTotal.source_id,
    FigureTotal.published_at,
    FigureTotal.total,
    FigureTotal.figures,
)


class Alert(Base):
    """The transactional outbox: one row per (webhook, document or event)."""

    __tablename__ = "alerts"
    __table_args__ = (UniqueConstraint("webhook_id", "event_key"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    webhook_id: Mapped[str] = mapped_column(String(64), index=True)
    event_type: Mapped[str] = mapped_column(String(40))
    event_key: Mapped[str] = mapped_column(String(200))
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), index=True
    )
    source_id: Mapped[str | None] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    lease_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    last_status: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]


class AlertAttempt(Base):
    """One delivery attempt, for the record and for backoff checks."""

    __tablename__ = "alert_attempts"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    alert_id: Mapped[str] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    attempted_at: Mapped[datetime] = mapped_column(default=utcnow)
    status_code: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[int | None]
