"""The search index and the figures' dates (migrations 0002 and 0003): filled for
releases stored before the upgrade, and kept in step by triggers after it."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, delete, select, text, update
from sqlalchemy.orm import Session

from storage import articles, repository
from storage.db import Database, alembic_config, create_db_engine
from storage.models import Document, Figure
from tests.conftest import PG_URL
from web.query.documents import list_documents
from web.query.filters import Filters
from web.query.search import parse_query

TZ = "Asia/Shanghai"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no schema at all, on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    request.getfixturevalue("pg_schema_url")  # skips where there is no server
    schema = f"bw_web_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def store(session: Session, title: str, body: str, when: datetime | None) -> int:
    repository.upsert_source(session, {"id": "src", "name": "某省公安厅", "region": "Hebei"})
    result = articles.store_article(
        session, source_id="src", url=f"https://example.gov.cn/{uuid.uuid4().hex}.html",
        title=title, published_at=when, language="zh", text=body,
        content_hash=hashlib.sha256(body.encode()).hexdigest(),
    )  # fmt: skip
    articles.add_figures(
        session, result.document_id, "src",
        [{"text": body[:4], "start": 0, "end": 4, "value": 5, "unit": "person",
          "qualifier": "exact", "metric": "suspects_detained"}], 1,
    )  # fmt: skip
    return result.document_id


def found(db: Database, q: str) -> set[int]:
    with db.session() as session:
        page = list_documents(
            session, Filters(), search=parse_query(q), limit=500, cursor=None, tz=TZ
        )
        return {d.id for d in page.documents}


def test_upgrade_indexes_what_was_stored_before(empty_url: str) -> None:
    engine = create_db_engine(empty_url)
    command.upgrade(alembic_config(engine), "0004_figure_direction")  # before the index
    with Session(engine) as session, session.begin():
        old = store(
            session,
            "河北警方打击养老诈骗",
            "抓获犯罪嫌疑人5名，追回资金。",
            datetime(2023, 5, 1, tzinfo=UTC),
        )
    engine.dispose()
    db = Database(empty_url)  # upgrades to the newest revision
    try:
        assert found(db, "养老诈骗") == {old}
        assert found(db, "诈骗") == {old}
        assert found(db, "追回资金") == {old}
        with db.session() as session:
            dates = session.scalars(select(Figure.published_at)).all()
        assert dates == [datetime(2023, 5, 1, tzinfo=UTC)]
    finally:
        db.dispose()


def test_triggers_keep_the_index_and_dates_in_step(empty_url: str) -> None:
    db = Database(empty_url)
    try:
        with db.session() as session, session.begin():
            first = store(session, "关于电信诈骗的通报", "抓获犯罪嫌疑人5名。", None)
            second = store(
                session, "禁毒工作情况", "缴获毒品一批，抓获6名。", datetime(2024, 1, 2, tzinfo=UTC)
            )
        assert found(db, "电信诈骗") == {first}
        assert found(db, "毒品") == {second}
        with db.session() as session, session.begin():
            session.execute(
                update(Document).where(Document.id == first).values(title="关于跨境赌博的通报")
            )
            session.execute(
                update(Document)
                .where(Document.id == second)
                .values(published_at=datetime(2024, 2, 3, tzinfo=UTC))
            )
        assert found(db, "电信诈骗") == set()
        assert found(db, "跨境赌博") == {first}
        with db.session() as session:
            dates = dict(session.execute(select(Figure.document_id, Figure.published_at)).all())
        assert dates == {first: None, second: datetime(2024, 2, 3, tzinfo=UTC)}
        with db.session() as session, session.begin():
            session.execute(delete(Figure).where(Figure.document_id == second))
            session.execute(delete(Document).where(Document.id == second))
        assert found(db, "毒品") == set()
    finally:
        db.dispose()


def test_a_read_only_database_refuses_writes(empty_url: str) -> None:
    Database(empty_url).dispose()
    reader = Database(empty_url, read_only=True)
    try:
        with (
            pytest.raises(Exception, match=r"(?i)read.?only"),
            reader.session() as session,
            session.begin(),
        ):
            repository.upsert_source(session, {"id": "x", "name": "x"})
    finally:
        reader.dispose()
