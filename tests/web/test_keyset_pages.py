"""Keyset cursors over releases that share a date and releases without one, on SQLite
and PostgreSQL: paged at any size, a listing gives the rows of its one-page form,
in the same order, once each. A page after a cursor is read in parts (the dated
rows after the key, then the undated ones: `after_published_parts`), so the joins
between the parts are what these pages cross."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from storage import articles, repository
from storage.db import Database
from web.query.documents import list_documents
from web.query.figures import list_figures
from web.query.filters import Filters
from web.query.search import parse_query

TZ = "Asia/Shanghai"
T = datetime(2024, 6, 1, 2, 0, tzinfo=UTC)
# Per release: its date (three share one, three have none) and whether its title
# holds the searched word (the search ranks those first, each tier newest first).
RELEASES: list[tuple[datetime | None, bool]] = [
    (T, True), (T, False), (T, True), (T - timedelta(days=1), False), (None, True),
    (T - timedelta(days=2), True), (None, False), (None, True), (T + timedelta(days=1), False),
]  # fmt: skip


@pytest.fixture
def stored(database_url: str) -> Iterator[tuple[Database, list[int]]]:
    """The database, and the id of each of RELEASES."""
    database = Database(database_url)
    ids: list[int] = []
    with database.session() as session, session.begin():
        repository.upsert_source(session, {"id": "s", "name": "s", "region": "Guangdong"})
        for n, (published, in_title) in enumerate(RELEASES):
            text = f"第{n}号通报：警方破获诈骗案件，抓获犯罪嫌疑人{n}名，另查获{n}起。"
            stored = articles.store_article(
                session, source_id="s", url=f"http://s/{n}.html",
                title=f"通报{n}" + ("诈骗" if in_title else ""), published_at=published,
                language="zh", text=text, content_hash=f"hash-{n}",
            )  # fmt: skip
            figures = [
                {"text": "x", "start": start, "end": start + 2, "value": start, "unit": "person",
                 "qualifier": "exact", "metric": "suspects_detained" if start % 3 else "other",
                 "topic": "fraud"}
                for start in range(0, 2 * (n % 4) + 3, 1)
            ]  # fmt: skip
            articles.add_figures(session, stored.document_id, "s", figures, 1)
            ids.append(stored.document_id)
    yield database, ids
    database.dispose()


def paged(
    read: Callable[[int, str | None], tuple[list[Any], str | None]], size: int, most: int
) -> list[Any]:
    """Every page of `size` rows, following the cursors (at most `most` rows: a cursor
    that did not move on would page for ever)."""
    rows: list[Any] = []
    cursor = None
    while len(rows) <= most:
        page, cursor = read(size, cursor)
        assert len(page) <= size
        rows += page
        if cursor is None:
            break
    return rows


@pytest.mark.parametrize("size", [1, 2, 3, 5])
def test_figures_paged_at_any_size_are_the_one_page_listing(
    stored: tuple[Database, list[int]], size: int
) -> None:
    db, _ = stored
    for filters in (Filters(metric="suspects_detained"), Filters()):

        def read(limit: int, cursor: str | None, filters: Filters = filters) -> Any:
            with db.session() as session:
                page = list_figures(session, filters, limit=limit, cursor=cursor, tz=TZ)
            return [(f.document_id, f.id, f.published_at) for f in page.figures], page.next

        whole, last = read(500, None)
        assert last is None and len(whole) > 20
        dated = [p for _, _, p in whole if p is not None]
        assert dated == sorted(dated, reverse=True)
        assert whole[-1][2] is None and len(whole) - len(dated) > 5  # undated last, several
        assert paged(read, size, len(whole)) == whole


@pytest.mark.parametrize("size", [1, 2, 4])
@pytest.mark.parametrize("q", [None, "诈骗"])
@pytest.mark.parametrize("window", [1000, 2])
def test_releases_paged_at_any_size_are_the_one_page_listing(
    stored: tuple[Database, list[int]],
    size: int,
    q: str | None,
    window: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """(A search reads the newest `window` releases directly, the rest through its index.)"""
    db, ids = stored
    monkeypatch.setattr("web.query.documents.SCAN_WINDOW", window)

    def read(limit: int, cursor: str | None) -> Any:
        with db.session() as session:
            page = list_documents(
                session, Filters(), search=parse_query(q), limit=limit, cursor=cursor, tz=TZ
            )
        return [(d.id, d.published_at) for d in page.documents], page.next

    whole, last = read(500, None)
    assert last is None and len(whole) == len(RELEASES)
    if q is None:
        expected = sorted(
            range(len(RELEASES)),
            key=lambda n: (RELEASES[n][0] is None, -(RELEASES[n][0] or T).timestamp(), -ids[n]),
        )
    else:  # title matches first, then text matches; newest first within each
        expected = sorted(
            range(len(RELEASES)),
            key=lambda n: (not RELEASES[n][1], RELEASES[n][0] is None,
                           -(RELEASES[n][0] or T).timestamp(), -ids[n]),
        )  # fmt: skip
    assert [row for row, _ in whole] == [ids[n] for n in expected]
    assert paged(read, size, len(whole)) == whole
