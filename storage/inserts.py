"""INSERT … ON CONFLICT DO NOTHING, for SQLite and PostgreSQL alike.

Writers that create identities (documents, sightings, figures, alerts, listed URLs)
insert with it and then read, so two processes storing the same row at once end
with one row, never an error or a duplicate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


@lru_cache(maxsize=64)
def _insert_ignore_statement(
    dialect: str, table: Table, conflict: tuple[str, ...], returning: bool
) -> Any:
    module = postgresql if dialect == "postgresql" else sqlite
    stmt = module.insert(table).on_conflict_do_nothing(index_elements=list(conflict))
    if returning:
        stmt = stmt.returning(next(iter(table.primary_key.columns)))
    return stmt


def insert_ignore(
    session: Session,
    table: Table,
    values: Mapping[str, Any],
    conflict: Sequence[str],
    *,
    returning: bool = False,
) -> Any:
    """INSERT … ON CONFLICT (conflict) DO NOTHING.

    Returns whether a row was inserted, or with `returning` its primary key (None
    when the row existed already). The statement is built once per table and
    executed with parameters: this runs for every article and figure.
    """
    dialect = session.get_bind().dialect.name
    # rowcount is unreliable here across drivers; RETURNING says what happened.
    stmt = _insert_ignore_statement(dialect, table, tuple(conflict), True)
    row = session.execute(stmt, dict(values)).first()
    if returning:
        return row[0] if row is not None else None
    return row is not None


def insert_many_ignore(
    session: Session, table: Table, rows: Sequence[Mapping[str, Any]], conflict: Sequence[str]
) -> None:
    """INSERT … ON CONFLICT DO NOTHING for many rows (one executemany)."""
    if rows:
        dialect = session.get_bind().dialect.name
        stmt = _insert_ignore_statement(dialect, table, tuple(conflict), False)
        session.execute(stmt, [dict(row) for row in rows])
