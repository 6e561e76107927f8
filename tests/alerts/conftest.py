"""Fixtures of the alert tests: stored documents and real receivers on loopback."""

from __future__ import annotations

import base64
import logging
import os
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import pytest

from alerts.config import WebhookConfig
from replica.receiver import WebhookReceiver
from storage import articles, repository
from storage.db import Database
from storage.models import Document, Figure

SECRET = "whsec_" + base64.b64encode(b"bulletin-watch-test-secret-0123456789").decode()

FIGURE = {
    "text": "冻结涉案资金约27亿元",
    "start": 312,
    "end": 323,
    "value": 2700000000,
    "unit": "CNY",
    "qualifier": "about",
    "metric": "funds_seized_frozen",
    "topic": "gambling",
}
ARRESTS = {
    "text": "抓获犯罪嫌疑人1578名",
    "start": 100,
    "end": 112,
    "value": 1578,
    "unit": "person",
    "qualifier": "exact",
    "metric": "suspects_arrested",
    "topic": "gambling",
}


def hook(url: str, **values: Any) -> WebhookConfig:
    values.setdefault("id", "analysts")
    values.setdefault("secret", SECRET)
    values.setdefault("allow_private_network", True)
    # Generous: a loopback answer never takes this long, even on a loaded machine; the
    # tests of the deadline itself set their own.
    values.setdefault("timeout", 10.0)
    return WebhookConfig.model_validate({"url": url, **values})


_counter = iter(range(1, 1_000_000))


def store_document(
    db: Database,
    figures: Sequence[dict[str, Any]] = (FIGURE,),
    *,
    source_id: str = "jx-gat",
    url: str | None = None,
    title: str = "江西公安打击跨境赌博战果",
    text: str | None = None,
    published_at: datetime | None = None,
    webhooks: Sequence[WebhookConfig] = (),
) -> tuple[Document, list[Figure]]:
    """Store a source, a document and its figures (and enqueue its alerts, like ingestion)."""
    from alerts.outbox import enqueue_document_alerts

    n = next(_counter)
    url = url or f"https://example.gov.cn/news/{n}.html"
    text = text or f"第{n}号通报。跨境赌博专项行动。" + "。".join(f["text"] for f in figures)
    with db.session() as session, session.begin():
        repository.upsert_source(session, {"id": source_id, "name": source_id})
        result = articles.store_article(
            session,
            source_id=source_id,
            url=url,
            title=title,
            published_at=published_at or datetime(2024, 5, n % 28 + 1, tzinfo=UTC),
            language="zh",
            text=text,
            content_hash=os.urandom(16).hex() + f"{n:08d}",
        )
        document = result.document
        stored = articles.store_figures(session, document, figures, 1)
        previous = (
            articles.document_figures(session, result.previous_id) if result.previous_id else None
        )
        if webhooks:
            enqueue_document_alerts(session, document, stored, webhooks, previous_figures=previous)
        session.refresh(document)
        session.expunge_all()
    return document, stored


@pytest.fixture
def receivers() -> Iterator[Callable[..., WebhookReceiver]]:
    started: list[WebhookReceiver] = []

    def start(**kwargs: Any) -> WebhookReceiver:
        kwargs.setdefault("secret", SECRET)
        receiver = WebhookReceiver(**kwargs).start()
        started.append(receiver)
        return receiver

    yield start
    for receiver in started:
        receiver.stop()


@pytest.fixture
def receiver(receivers: Callable[..., WebhookReceiver]) -> WebhookReceiver:
    return receivers()


@pytest.fixture
def cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[Callable[..., tuple[int, str, str]]]:
    """`bulletins ARGS` in this process: (exit status, stdout, stderr with the log)."""
    from bulletins.cli import main

    monkeypatch.delenv("BULLETINS_DATABASE_URL", raising=False)
    monkeypatch.delenv("BULLETINS_CONFIG", raising=False)
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)

    def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    yield run
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
