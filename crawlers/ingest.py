"""Ingestion of one article, in the caller's transaction: store the document,
extract and store its figures, and enqueue the alerts they trigger.

Everything here happens in one transaction, so a process killed at any point
leaves either all of it or none of it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from alerts.config import WebhookConfig
from alerts.outbox import enqueue_document_alerts
from crawlers.items import ArticleItem
from crawlers.text import content_hash
from extraction import EXTRACTOR_VERSION, extract_figures
from storage import articles
from storage.articles import RawPageData, StoreResult
from storage.listed_urls import remember_listed_url
from storage.status import ErrorCode, classify, describe, page_error

log = logging.getLogger(__name__)


def ingest_article(
    session: Session,
    item: ArticleItem,
    webhooks: Sequence[WebhookConfig],
    failures: list[dict[str, Any]] | None = None,
) -> StoreResult:
    """Store `item`; a figure extraction that fails is added to `failures` (a failed
    page of the run, code ``extraction_error``) and the release is kept without them."""
    result = articles.store_article(
        session,
        source_id=item.source_id,
        url=item.url,
        title=item.title,
        published_at=item.published_at,
        language=item.language,
        text=item.text,
        content_hash=content_hash(item.text),
        revisit=item.revisit,
        raw=RawPageData(
            url=item.url,
            body=item.body,
            status=item.status,
            headers=item.headers,
            encoding=item.encoding,
        ),
    )
    if item.listed_url and item.listed_url != item.url:
        # Reached through a redirect: the listed URL is known from now on.
        remember_listed_url(
            session,
            source_id=item.source_id,
            url=item.listed_url,
            final_url=item.url,
            document_id=result.document_id,
        )
    if not result.is_new_content:
        return result
    try:
        figures = [f.to_dict() for f in extract_figures(item.text, item.language)]
    except Exception as exc:
        # The release is kept; `bulletins figures reextract` picks it up
        # (extractor_version stays empty) once the extractor is fixed.
        log.exception("figure extraction failed", extra={"url": item.url})
        if failures is not None:
            code = classify(exc)
            code = ErrorCode.EXTRACTION_ERROR if code == ErrorCode.ERROR else code
            failures.append(page_error(item.url, code, describe(exc), "article"))
        return result
    articles.add_figures(
        session, result.document_id, item.source_id, figures, EXTRACTOR_VERSION
    )
    if webhooks and figures:
        stored = articles.document_figures(session, result.document_id)
        previous = (
            articles.document_figures(session, result.previous_id)
            if result.previous_id
            else None
        )
        enqueue_document_alerts(
            session, result.document, stored, webhooks, previous_figures=previous
        )
    return result
