"""Ingestion of one article, in the caller's transaction: store the document,
extract and store its figures, and enqueue the alerts they trigger.

Everything here happens in one transaction, so a process killed at any point
leaves either all of it or none of it.
"""

from __future__ import annotations

from collections.abc import Sequence

from alerts.outbox import enqueue_document_alerts
from sqlalchemy.orm import Session

from alerts.config import WebhookConfig
from crawlers.items import ArticleItem
from crawlers.text import content_hash
from extraction import EXTRACTOR_VERSION, extract_figures
from storage import repository
from storage.repository import RawPageData, StoreResult


def ingest_article(
    session: Session, item: ArticleItem, webhooks: Sequence[WebhookConfig]
) -> StoreResult:
    result = repository.store_article(
        session,
        source_id=item.source_id,
        url=item.url,
        title=item.title,
        published_at=item.published_at,
        language=item.language,
        text=item.text,
        content_hash=content_hash(item.text),
        raw=RawPageData(
            url=item.url,
            body=item.body,
            status=item.status,
            headers=item.headers,
            encoding=item.encoding,
        ),
    )
    if result.is_new_content:
        document = result.document
        figures = [f.to_dict() for f in extract_figures(document.text, document.language)]
        stored = repository.store_figures(session, document, figures, EXTRACTOR_VERSION)
        if document.topic is None and stored:
            document.topic = stored[0].topic
        previous = (
            repository.document_figures(session, result.previous.id) if result.previous else None
        )
        if webhooks:
            enqueue_document_alerts(session, document, stored, webhooks, previous_figures=previous)
    return result
