"""Whether a database takes writes: checked before a crawl fetches anything.

A read-only database (a SQLite file opened ``mode=ro`` or on a read-only mount, a
PostgreSQL role without INSERT, a read-only transaction default) would otherwise be
found out page by page, one traceback per stored item, after every page was fetched.
The check inserts nothing: ``INSERT INTO t SELECT * FROM t WHERE false`` for every
table, in a transaction that is rolled back, needs the same rights (and the same
write lock) as a real insert. A database locked by another writer passes: it is
not read-only, and waiting for it here would hold up the command.
"""

from __future__ import annotations

from sqlalchemy import false, insert, select
from sqlalchemy.exc import SQLAlchemyError

from storage.db import (
    SQLITE_BUSY_TIMEOUT_MS,
    Database,
    DatabaseUnavailable,
    unavailable_message,
)
from storage.models import Base

#: Driver messages that mean "you may read but not write" (SQLite, PostgreSQL).
_READ_ONLY_SIGNS = (
    "readonly",
    "read-only",
    "read only",
    "permission denied",
    "insufficientprivilege",
)


class DatabaseReadOnly(DatabaseUnavailable):
    """The database can be read but not written."""


def check_writable(db: Database, why: str = "a crawl stores its runs and documents there") -> None:
    """Raise `DatabaseReadOnly` (one line naming the database and the cause) if `db`
    refuses writes. Other failures (a lock held too long, a lost connection) are left
    to the work that follows, which reports them itself."""
    try:
        with db.engine.connect() as conn:
            # SQLite refuses a write to a read-only file before it waits for the write
            # lock: no need to wait for another writer to learn what the check wants.
            sqlite = conn.connection.driver_connection if db.is_sqlite else None
            if sqlite is not None:
                sqlite.execute("PRAGMA busy_timeout=0")
            try:
                with conn.begin() as transaction:
                    for table in Base.metadata.sorted_tables:
                        conn.execute(
                            insert(table).from_select(
                                [c.name for c in table.columns], select(table).where(false())
                            )
                        )
                    transaction.rollback()
            finally:
                if sqlite is not None:
                    sqlite.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    except SQLAlchemyError as exc:
        detail = f"{type(getattr(exc, 'orig', None) or exc).__name__} {exc}".lower()
        if not any(sign in detail for sign in _READ_ONLY_SIGNS):
            return
        message = unavailable_message(db.url, exc).replace(
            "cannot open the database", "the database", 1
        )
        raise DatabaseReadOnly(f"{message} — it is read-only, and {why}") from None
