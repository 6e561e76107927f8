"""Per source, its queue-mode job: ``waiting`` or ``running`` (for `bulletins status`).

Read straight from procrastinate's jobs table (no procrastinate import), where a
crawl job's ``queueing_lock`` and ``lock`` are its source id.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.orm import Session

QUEUE_JOBS = "procrastinate.procrastinate_jobs"  # scheduler.queue.QUEUE_SCHEMA
NO_SCHEMA = "no queue schema: run `bulletins db upgrade`"


class QueueSchemaMissing(Exception):
    pass


def queue_states(session: Session, source_ids: Iterable[str]) -> dict[str, str]:
    """``running`` or ``waiting`` per source with such a job (running wins); the others
    are absent. `QueueSchemaMissing` if procrastinate's schema was never created."""
    ids = list(source_ids)
    if not ids:
        return {}
    try:
        with session.begin_nested():
            rows = session.execute(
                text(
                    f"SELECT lock, status FROM {QUEUE_JOBS}"
                    " WHERE status IN ('todo', 'doing') AND lock = ANY(:ids)"
                ),
                {"ids": ids},
            ).all()
    except ProgrammingError as exc:
        raise QueueSchemaMissing(NO_SCHEMA) from exc
    states: dict[str, str] = {}
    for lock, status in rows:
        if status == "doing":
            states[lock] = "running"
        else:
            states.setdefault(lock, "waiting")
    return states
