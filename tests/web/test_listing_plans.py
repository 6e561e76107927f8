"""On PostgreSQL the listings read a page from an index in their own order (migration
0010_newest_first_indexes), without sorting every matching row first, and a page
after a cursor starts at the cursor's key in that index.

The tables here are small, so the planner is told to avoid sorts: where no index
gives a listing's order it sorts anyway, and the plan shows it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import event

from storage.db import Database
from tests.conftest import _truncate_all
from tests.web.conftest import TZ, seed
from web.query.documents import list_documents
from web.query.figures import list_figures
from web.query.filters import Filters
from web.query.search import parse_query

pytestmark = pytest.mark.postgres


@pytest.fixture
def db(pg_schema_url: str) -> Iterator[Database]:
    database = Database(pg_schema_url)
    _truncate_all(database)
    seed(pg_schema_url)
    yield database
    database.dispose()


def listing_plans(db: Database, run: Callable[[Any], object]) -> list[str]:
    """The plans of the paged SELECTs (ORDER BY … LIMIT) that `run(session)` sends."""
    sent: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if "ORDER BY" in statement and "LIMIT" in statement:
            sent.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        with db.session() as session:
            run(session)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    plans = []
    with db.engine.connect() as conn, conn.begin():
        conn.exec_driver_sql("SET LOCAL enable_sort = off")
        conn.exec_driver_sql("SET LOCAL enable_incremental_sort = off")
        for statement, parameters in sent:
            lines = conn.exec_driver_sql("EXPLAIN " + statement, parameters).scalars()
            plans.append("\n".join(lines))
    assert plans
    return plans


def first_and_next(db: Database, listing: Callable[[Any, str | None], Any]) -> list[str]:
    """The plans of a listing's first page and of its next one (after a dated row)."""
    with db.session() as session:
        cursor = listing(session, None).next
    assert cursor is not None
    return listing_plans(db, lambda session: listing(session, None)) + listing_plans(
        db, lambda session: listing(session, cursor)
    )


@pytest.mark.parametrize(
    ("filters", "index"),
    [
        (Filters(metric="suspects_detained"), "ix_figures_metric_newest"),
        (Filters(), "ix_figures_newest"),
    ],
)
def test_figure_pages_come_from_an_index_in_their_order(
    db: Database, filters: Filters, index: str
) -> None:
    plans = first_and_next(
        db, lambda s, cursor: list_figures(s, filters, limit=2, cursor=cursor, tz=TZ)
    )
    after_cursor = plans[1]
    for plan in plans:
        assert "Sort" not in plan, plan
        assert index in plan, plan
    # The next page starts at the cursor's date: a range of the index, not a filter.
    assert "Index Cond" in after_cursor and "published_at <=" in after_cursor, after_cursor


def test_release_pages_come_from_an_index_in_their_order(db: Database) -> None:
    plans = first_and_next(
        db, lambda s, cursor: list_documents(
            s, Filters(), search=None, limit=2, cursor=cursor, tz=TZ
        ),
    )  # fmt: skip
    for plan in plans:
        assert "Sort" not in plan and "ix_documents_newest" in plan, plan
    assert "published_at <=" in plans[1], plans[1]


def test_the_search_window_is_found_from_the_index(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A search finds the edge of the newest releases it reads directly (OFFSET in
    newest-first order) from the index, not by sorting every release."""
    monkeypatch.setattr("web.query.documents.SCAN_WINDOW", 2)
    plans = listing_plans(
        db, lambda s: list_documents(
            s, Filters(), search=parse_query("诈骗"), limit=1, cursor=None, tz=TZ
        ),
    )  # fmt: skip
    edges = [plan for plan in plans if "ix_documents_newest" in plan and "Limit" in plan]
    assert edges, plans
    assert all("Sort" not in plan for plan in edges), edges
