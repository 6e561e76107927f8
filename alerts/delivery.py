"""Delivery: send due alerts from the outbox, record every attempt, retry or park them.

One call of `deliver_pending` gives every alert due at its start at most one
attempt:

1. **Claim** (one short transaction): up to `batch` due rows (pending,
   ``next_attempt_at <= start``, not leased, webhook configured) get
   ``lease_until`` set and are committed. PostgreSQL selects them with
   ``FOR UPDATE SKIP LOCKED``; SQLite's ``BEGIN IMMEDIATE`` write lock makes the
   select-then-mark atomic. A second deliverer skips leased rows, so two
   deliverers never send the same alert concurrently.
2. **Send** on a small thread pool (`workers`), through the network guard. A
   send is over within the webhook's `timeout` (a total deadline, not per read).
   The lease covers the batch: ``2 s + (3 × timeout + 1 s) × ceil(claimed / workers)``;
   an alert is only started while the remaining lease covers its worst case,
   otherwise it is released unsent.
3. **Record** (in small transactions while results come in): an `AlertAttempt`
   per attempt, and the alert's new state, written only if the alert is still
   under this deliverer's lease (``lease_until`` is the claim's token):

   - 2xx (and, for chat platforms, an ``errcode``/``code`` of 0): ``delivered``;
   - anything else, a timeout, a refused connection, a DNS failure, any exception
     while this alert was prepared or sent (never the batch's failure): ``pending``
     again, due after the jittered backoff (`alerts.backoff`), or ``dead`` after
     the webhook's last attempt;
   - the network guard refusing the address: ``dead`` at once (retrying cannot
     help until the configuration changes; `alerts retry` re-queues it).

A process killed between sending and recording leaves the lease to expire and
the alert is sent again with the same ``webhook-id``: delivery is at least once,
and receivers deduplicate on the id. An alert whose webhook is not in the
configuration (or is disabled) stays pending, with a ``last_error`` saying so.
"""

from __future__ import annotations

import contextlib
import logging
import math
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, insert, or_, select, update

from alerts.backoff import is_exhausted, retry_delay
from alerts.config import WebhookConfig
from alerts.outbox import new_alert_id
from alerts.outgoing import prepare
from alerts.payloads import sample_payload
from alerts.sender import Sender, SendResult, scrub
from storage.db import Database
from storage.models import Alert, AlertAttempt, utcnow

log = logging.getLogger(__name__)

DEFAULT_WORKERS = 16
LEASE_MARGIN = 2.0
RECORD_EVERY = 25  # results
RECORD_INTERVAL = 0.25  # seconds
MAX_ERRORS = 100


@dataclass
class DeliveryReport:
    """What one `deliver_pending` call did."""

    attempted: int = 0
    delivered: int = 0
    retrying: int = 0  # failed, due again later
    dead: int = 0  # failed for the last time (or refused by the guard)
    refused: int = 0  # of the dead: refused by the network guard
    released: int = 0  # claimed but not sent: the lease ran short
    unconfigured: int = 0  # pending alerts whose webhook is not configured or disabled
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)  # one line per failed attempt (capped)

    @property
    def failed(self) -> int:
        return self.retrying + self.dead

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def __str__(self) -> str:
        text = (
            f"{self.delivered} delivered, {self.retrying} to retry, {self.dead} dead "
            f"of {self.attempted} attempted in {self.seconds:.2f}s"
        )
        if self.refused:
            text += f" ({self.refused} refused by the network guard)"
        if self.unconfigured:
            text += f"; {self.unconfigured} pending for unconfigured or disabled webhooks"
        return text


@dataclass(frozen=True)
class _Claimed:
    id: str
    webhook_id: str
    payload: dict[str, Any]
    attempts: int
    lease: datetime


@dataclass(frozen=True)
class _Outcome:
    claimed: _Claimed
    result: SendResult | None  # None: released unsent
    started_at: datetime | None = None
    finished_at: datetime | None = None


def _send_budget(webhook: WebhookConfig) -> float:
    """Seconds of lease one send is given: well above its deadline (`timeout`, the whole
    send), so that a send always ends, and is recorded, while its alert is still leased."""
    return 3 * webhook.timeout + 1.0


def _flag_unconfigured(db: Database, webhooks: Sequence[WebhookConfig]) -> int:
    configured = {h.id for h in webhooks}
    enabled = [h.id for h in webhooks if h.enabled]
    with db.session() as session, session.begin():
        counts = session.execute(
            select(Alert.webhook_id, func.count())
            .where(Alert.status == "pending", Alert.webhook_id.not_in(enabled))
            .group_by(Alert.webhook_id)
        ).all()
        for webhook_id, _count in counts:
            why = "is disabled" if webhook_id in configured else "is not in the configuration"
            message = f"webhook {webhook_id!r} {why}: the alert stays pending until it is enabled"
            session.execute(
                update(Alert)
                .where(
                    Alert.status == "pending",
                    Alert.webhook_id == webhook_id,
                    or_(Alert.last_error.is_(None), Alert.last_error != message),
                )
                .values(last_error=message)
            )
    return sum(int(count) for _id, count in counts)


def _claim(
    db: Database,
    hooks: dict[str, WebhookConfig],
    *,
    due: datetime,
    at: datetime,
    batch: int,
    workers: int,
) -> tuple[list[_Claimed], float]:
    query = (
        select(Alert.id, Alert.webhook_id, Alert.payload, Alert.attempts)
        .where(
            Alert.status == "pending",
            Alert.next_attempt_at <= due,
            or_(Alert.lease_until.is_(None), Alert.lease_until <= at),
            Alert.webhook_id.in_(list(hooks)),
        )
        .order_by(Alert.next_attempt_at, Alert.id)
        .limit(batch)
    )
    if not db.is_sqlite:
        query = query.with_for_update(skip_locked=True)
    with db.session() as session, session.begin():
        rows = session.execute(query).all()
        if not rows:
            return [], 0.0
        budget = max(_send_budget(hooks[row.webhook_id]) for row in rows)
        seconds = LEASE_MARGIN + budget * math.ceil(len(rows) / workers)
        lease = at + timedelta(seconds=seconds)
        session.execute(
            update(Alert).where(Alert.id.in_([row.id for row in rows])).values(lease_until=lease)
        )
    claimed = [_Claimed(r.id, r.webhook_id, dict(r.payload), r.attempts, lease) for r in rows]
    return claimed, seconds


def _attempt(
    sender: Sender,
    webhook: WebhookConfig,
    claimed: _Claimed,
    deadline: float,
    clock: Callable[[], datetime],
) -> _Outcome:
    if time.monotonic() + _send_budget(webhook) > deadline:
        return _Outcome(claimed, None)
    started = clock()
    try:
        outgoing = prepare(webhook, claimed.id, claimed.payload)
    except Exception as exc:  # a payload that cannot be rendered must not stop the batch
        result = SendResult(
            False, error=f"webhook {webhook.id!r}: cannot build the message: {type(exc).__name__}"
        )
    else:
        try:
            result = sender.send(webhook, outgoing)
        except Exception as exc:  # whatever it is, it is this alert's failed attempt
            message = scrub(f"{type(exc).__name__}: {exc}", webhook, outgoing)
            result = SendResult(False, error=f"webhook {webhook.id!r}: unexpected error: {message}")
    return _Outcome(claimed, result, started, clock())


def _record(
    db: Database,
    outcomes: Sequence[_Outcome],
    hooks: dict[str, WebhookConfig],
    report: DeliveryReport,
) -> None:
    attempts_rows: list[dict[str, Any]] = []
    updates: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for outcome in outcomes:
        claimed, result = outcome.claimed, outcome.result
        key = {"_id": claimed.id, "_lease": claimed.lease}
        if result is None:
            updates.setdefault(("lease_until",), []).append({**key, "lease_until": None})
            report.released += 1
            continue
        assert outcome.started_at is not None and outcome.finished_at is not None
        webhook = hooks[claimed.webhook_id]
        attempts = claimed.attempts + 1
        attempts_rows.append(
            {
                "alert_id": claimed.id,
                "attempted_at": outcome.started_at,
                "status_code": result.status_code,
                "error": result.error,
                "duration_ms": result.duration_ms,
            }
        )
        values: dict[str, Any] = {
            "attempts": attempts,
            "last_status": result.status_code,
            "last_error": result.error,
            "lease_until": None,
        }
        report.attempted += 1
        if result.ok:
            values.update(status="delivered", delivered_at=outcome.finished_at)
            report.delivered += 1
            log.debug("alert delivered", extra={"alert_id": claimed.id, "webhook": webhook.id})
        else:
            if result.refused or is_exhausted(webhook.retry, attempts):
                values["status"] = "dead"
                report.dead += 1
                report.refused += int(result.refused)
                state = "dead"
            else:
                delay = retry_delay(webhook.retry, attempts)
                values["next_attempt_at"] = outcome.finished_at + delay
                report.retrying += 1
                state = f"retry in {delay.total_seconds():.1f}s"
            line = f"{claimed.id} (attempt {attempts}, {state}): {result.error}"
            if len(report.errors) < MAX_ERRORS:
                report.errors.append(line)
            log.warning(
                "alert delivery failed: %s",
                line,
                extra={"alert_id": claimed.id, "webhook": webhook.id},
            )
        updates.setdefault(tuple(sorted(values)), []).append({**key, **values})

    table = cast(Table, Alert.__table__)
    with db.session() as session, session.begin():
        if attempts_rows:
            session.execute(insert(cast(Table, AlertAttempt.__table__)), attempts_rows)
        for columns, rows in updates.items():
            # Written only while the alert is still under this deliverer's lease.
            statement = (
                update(table)
                .where(table.c.id == bindparam("_id"), table.c.lease_until == bindparam("_lease"))
                .values({column: bindparam(column) for column in columns})
            )
            session.execute(statement, rows)


def deliver_pending(
    db: Database,
    webhooks: Sequence[WebhookConfig],
    *,
    now: datetime | None = None,
    batch: int = 100,
    workers: int = DEFAULT_WORKERS,
    sender: Sender | None = None,
) -> DeliveryReport:
    """Give every alert due now one delivery attempt; see the module docstring.

    `now` fixes the clock (for tests and replays): what is due, leases, attempt
    times and retry times are all computed from it. `sender`: the sender to use (the
    caller's to close), else one of its own.
    """
    started = time.monotonic()
    clock: Callable[[], datetime] = (lambda: now) if now is not None else utcnow
    cutoff = clock()
    hooks = {h.id: h for h in webhooks if h.enabled}
    report = DeliveryReport()
    report.unconfigured = _flag_unconfigured(db, webhooks)
    if hooks:
        given = contextlib.nullcontext(sender) if sender is not None else Sender()
        with given as active, ThreadPoolExecutor(workers, "deliver") as pool:
            while True:
                # The local deadline starts before the lease's clock reading, so waiting
                # for the database lock can only shorten it, never outlast the lease.
                claim_started = time.monotonic()
                claimed, lease_seconds = _claim(
                    db, hooks, due=cutoff, at=clock(), batch=batch, workers=workers
                )
                if not claimed:
                    break
                deadline = claim_started + lease_seconds
                futures = [
                    pool.submit(_attempt, active, hooks[c.webhook_id], c, deadline, clock)
                    for c in claimed
                ]
                done: list[_Outcome] = []
                flushed = time.monotonic()
                for future in as_completed(futures):
                    done.append(future.result())
                    if len(done) >= RECORD_EVERY or time.monotonic() - flushed > RECORD_INTERVAL:
                        _record(db, done, hooks, report)
                        done, flushed = [], time.monotonic()
                if done:
                    _record(db, done, hooks, report)
                if len(claimed) < batch:
                    break
    report.seconds = round(time.monotonic() - started, 3)
    return report


def send_test(webhook: WebhookConfig) -> tuple[str, SendResult]:
    """Send a sample ``bulletin.test`` alert to `webhook` now (outside the outbox)."""
    msg_id = new_alert_id()
    payload = sample_payload(webhook.id, utcnow())
    with Sender() as sender:
        return msg_id, sender.send(webhook, prepare(webhook, msg_id, payload))
