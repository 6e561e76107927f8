"""Enqueuing alerts (on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from alerts.outbox import enqueue_document_alerts, enqueue_event
from storage import articles, repository
from storage.db import Database
from storage.models import Alert, Document
from tests.alerts.conftest import ARRESTS, FIGURE, hook, store_document

URL = "https://hooks.example.org/x"


def alerts_of(db: Database) -> list[Alert]:
    with db.session() as session:
        return list(session.scalars(select(Alert).order_by(Alert.webhook_id, Alert.created_at)))


def test_one_alert_per_document_and_webhook(db: Database) -> None:
    hooks = [hook(URL, id="a"), hook(URL, id="b"), hook(URL, id="off", enabled=False)]
    document, _ = store_document(db, [FIGURE, ARRESTS], webhooks=hooks)
    alerts = alerts_of(db)
    assert [a.webhook_id for a in alerts] == ["a", "b"]
    for alert in alerts:
        assert alert.event_key == f"document:{document.id}"
        assert alert.id.startswith("msg_") and len(alert.id) == 36
        assert alert.status == "pending" and alert.attempts == 0
        assert alert.document_id == document.id and alert.source_id == "jx-gat"
        payload = alert.payload
        assert payload["type"] == "bulletin.figures" and payload["timestamp"].endswith("Z")
        data = payload["data"]
        assert data["kind"] == "new" and data["changes"] is None
        assert data["document"] == {
            "id": document.id,
            "source": "jx-gat",
            "title": document.title,
            "url": document.url,
            "published_at": data["document"]["published_at"],
            "language": "zh",
            "topic": "gambling",
        }
        assert [f["metric"] for f in data["figures"]] == [
            "suspects_arrested",
            "funds_seized_frozen",
        ]
        assert data["figures"][1]["value"] == 2700000000 and data["figures"][1]["unit"] == "CNY"


def test_no_figures_no_alert(db: Database) -> None:
    store_document(db, [], webhooks=[hook(URL)])
    assert alerts_of(db) == []


def test_enqueue_is_idempotent(db: Database) -> None:
    hooks = [hook(URL)]
    document, _ = store_document(db, [FIGURE], webhooks=hooks)
    with db.session() as session, session.begin():
        doc = session.get(Document, document.id)
        assert doc is not None
        figures = articles.document_figures(session, doc.id)
        again = enqueue_document_alerts(session, doc, figures, hooks)
    assert again == []
    assert len(alerts_of(db)) == 1


def test_rules_choose_webhooks_and_figures(db: Database) -> None:
    hooks = [
        hook(URL, id="money", rules={"metrics": ["funds_seized_frozen"]}),
        hook(URL, id="big", rules={"min_value": 1e12}),
        hook(URL, id="elsewhere", rules={"sources": ["mps"]}),
        hook(URL, id="word", rules={"keywords": ["跨境赌博"], "min_value": 1000}),
    ]
    store_document(db, [FIGURE, ARRESTS], webhooks=hooks)
    alerts = {a.webhook_id: a for a in alerts_of(db)}
    assert set(alerts) == {"money", "word"}
    assert [f["metric"] for f in alerts["money"].payload["data"]["figures"]] == [
        "funds_seized_frozen"
    ]
    assert len(alerts["word"].payload["data"]["figures"]) == 2


def test_previous_gives_the_last_earlier_figure_of_each_metric(db: Database) -> None:
    older = {**FIGURE, "text": "冻结资金15亿元", "value": 1500000000}
    oldest = {**FIGURE, "text": "冻结资金10亿元", "value": 1000000000}
    first, _ = store_document(db, [oldest], published_at=datetime(2024, 1, 1, tzinfo=UTC))
    second, _ = store_document(db, [older], published_at=datetime(2024, 3, 1, tzinfo=UTC))
    store_document(db, [oldest], source_id="mps", published_at=datetime(2024, 3, 5, tzinfo=UTC))
    # a later release, stored before: not "earlier"
    store_document(db, [oldest], published_at=datetime(2024, 9, 1, tzinfo=UTC))
    current, _ = store_document(
        db, [FIGURE, ARRESTS], published_at=datetime(2024, 5, 1, tzinfo=UTC), webhooks=[hook(URL)]
    )
    (alert,) = alerts_of(db)
    previous = alert.payload["data"]["previous"]
    assert previous == [
        {
            "metric": "funds_seized_frozen",
            "value": 1500000000,
            "unit": "CNY",
            "qualifier": "about",
            "text": "冻结资金15亿元",
            "document_id": second.id,
            "title": second.title,
            "url": second.url,
            "published_at": "2024-03-01T00:00:00Z",
        }
    ]
    assert first.id != current.id


def test_revised_release_carries_changes(db: Database) -> None:
    url = "https://example.gov.cn/news/revised.html"
    hooks = [hook(URL)]
    first, _ = store_document(db, [FIGURE, ARRESTS], url=url, webhooks=hooks)
    changed = {**ARRESTS, "text": "抓获犯罪嫌疑人1600名", "value": 1600, "start": 120, "end": 132}
    added = {
        **FIGURE,
        "text": "打掉团伙12个",
        "value": 12,
        "unit": "group",
        "metric": "gangs_dismantled",
        "start": 400,
        "end": 406,
    }
    moved = {**FIGURE, "start": 330, "end": 341}
    second, _ = store_document(db, [moved, changed, added], url=url, webhooks=hooks)
    assert second.previous_id == first.id
    alerts = alerts_of(db)
    assert len(alerts) == 2
    revised = next(a for a in alerts if a.document_id == second.id)
    data = revised.payload["data"]
    assert data["kind"] == "revised" and data["revision_of"] == {"document_id": first.id}
    changes = {c["metric"]: c for c in data["changes"]}
    assert set(changes) == {"suspects_arrested", "gangs_dismantled"}
    assert changes["suspects_arrested"]["change"] == "changed"
    assert changes["suspects_arrested"]["old"]["value"] == 1578
    assert changes["suspects_arrested"]["new"]["value"] == 1600
    assert changes["gangs_dismantled"] == {
        "change": "added",
        "metric": "gangs_dismantled",
        "unit": "group",
        "old": None,
        "new": changes["gangs_dismantled"]["new"],
    }
    # the previous version is not "an earlier release" of its own figures
    assert all(p["document_id"] != first.id for p in data["previous"])


def test_revision_without_figure_changes_brings_no_alert(db: Database) -> None:
    url = "https://example.gov.cn/news/typo.html"
    hooks = [hook(URL)]
    store_document(db, [FIGURE], url=url, webhooks=hooks)
    reworded = {**FIGURE, "text": "冻结涉案资金 约27亿元", "start": 300, "end": 312}
    store_document(db, [reworded], url=url, webhooks=hooks)
    assert len(alerts_of(db)) == 1


def test_revision_removing_a_figure_alerts_when_the_rule_matches_the_old_one(db: Database) -> None:
    url = "https://example.gov.cn/news/removed.html"
    hooks = [hook(URL, rules={"metrics": ["suspects_arrested"]})]
    store_document(db, [FIGURE, ARRESTS], url=url, webhooks=hooks)
    second, _ = store_document(db, [FIGURE], url=url, webhooks=hooks)
    revised = next(a for a in alerts_of(db) if a.document_id == second.id)
    (change,) = revised.payload["data"]["changes"]
    assert change["change"] == "removed" and change["old"]["value"] == 1578
    assert change["new"] is None


def test_events_go_to_every_enabled_webhook_its_source_rule_allows(db: Database) -> None:
    hooks = [
        hook(URL, id="all"),
        hook(URL, id="jx", rules={"sources": ["jx-gat"], "metrics": ["cases_filed"]}),
        hook(URL, id="mps", rules={"sources": ["mps"]}),
        hook(URL, id="off", enabled=False),
    ]
    with db.session() as session, session.begin():
        repository.upsert_source(session, {"id": "jx-gat", "name": "jx"})
        data = {"source": "jx-gat", "healthy": False, "since": datetime(2024, 5, 1, tzinfo=UTC)}
        created = enqueue_event(session, hooks, "source.health", "source.health:jx-gat:1", data)
        again = enqueue_event(session, hooks, "source.health", "source.health:jx-gat:1", data)
    assert sorted(a.webhook_id for a in created) == ["all", "jx"]
    assert again == []
    alerts = alerts_of(db)
    assert len(alerts) == 2
    assert alerts[0].payload["type"] == "source.health"
    assert alerts[0].payload["data"]["since"].startswith("2024-05-01")
    assert alerts[0].source_id == "jx-gat" and alerts[0].document_id is None


def test_enqueue_happens_in_the_callers_transaction(db: Database) -> None:
    hooks = [hook(URL)]
    with db.session() as session:
        session.begin()
        repository.upsert_source(session, {"id": "jx-gat", "name": "jx"})
        result = articles.store_article(
            session,
            source_id="jx-gat",
            url="https://e.gov.cn/1",
            title="t",
            published_at=None,
            language="zh",
            text="冻结涉案资金约27亿元",
            content_hash="f" * 64,
        )
        figures = articles.store_figures(session, result.document, [FIGURE], 1)
        assert len(enqueue_document_alerts(session, result.document, figures, hooks)) == 1
        session.rollback()
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Alert)) == 0
