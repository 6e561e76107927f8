"""Cross-process locks named after what they guard ("run-due", "daemon").

On SQLite the lock is a file beside the database file (``bulletins.db.run-due.lock``,
held with flock by `filelock`); on PostgreSQL it is a session-level advisory lock
(``pg_try_advisory_lock``) keyed by the name and the schema, held on a connection
of its own. Either way it is released when its holder exits, however it exits.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from storage.db import Database


def lock_path(db: Database, name: str) -> Path:
    url = make_url(db.url)
    database = url.database if url.get_backend_name() == "sqlite" else None
    if database and database != ":memory:" and not database.startswith("file:"):
        return Path(f"{database}.{name}.lock")
    digest = hashlib.sha256(db.url.encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"bulletins-{digest}.{name}.lock"


def advisory_key(name: str, schema: str) -> int:
    digest = hashlib.sha256(f"bulletins:{schema}:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def try_lock(db: Database, name: str) -> Iterator[bool]:
    """Take the lock without waiting; yields whether it was taken."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as conn:
            schema = conn.scalar(text("select current_schema()")) or "public"
            key = advisory_key(name, str(schema))
            taken = bool(conn.scalar(select(func.pg_try_advisory_lock(key))))
            conn.commit()  # a session-level lock outlives the transaction; no idle transaction
            try:
                yield taken
            finally:
                if taken:
                    conn.scalar(select(func.pg_advisory_unlock(key)))
                    conn.commit()
        return
    path = lock_path(db, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        yield False
        return
    try:
        yield True
    finally:
        lock.release()
