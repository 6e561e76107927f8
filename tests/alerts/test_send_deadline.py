"""A total deadline per webhook send (D14).

A receiver that drips its answer one byte at a time never trips a per-read
timeout. The webhook's `timeout` bounds the whole send (connect, request,
response headers and body), which is shorter than the lease the delivery took:
so the send is cut off while the receiver is still dripping, the attempt is
recorded as a timeout, and a second deliverer never sends the same alert again
while the first one is still busy with it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from alerts.delivery import deliver_pending, send_test
from storage.db import Database
from storage.models import Alert, AlertAttempt
from tests.alerts.conftest import FIGURE, hook, store_document
from tests.alerts.receiver import DripReceiver


@pytest.fixture(params=["body", "headers"])
def dripping(request: pytest.FixtureRequest) -> Iterator[DripReceiver]:
    # 200 bytes of body (and as many again of headers) at 0.1 s: 20 s or more in all.
    receiver = DripReceiver(part=request.param, every=0.1, size=200).start()
    yield receiver
    receiver.stop()


def _wait_for(check: object, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def test_a_dripping_receiver_is_cut_off_at_the_deadline(dripping: DripReceiver) -> None:
    _id, result = send_test(hook(dripping.url, timeout=1.0, secret=None))
    assert not result.ok
    assert "webhook 'analysts'" in (result.error or "")
    assert "1s" in (result.error or "") and "time" in (result.error or "").lower()
    # The client hung up while the receiver was still dripping, not after it finished.
    _wait_for(lambda: dripping.hung_up, "the receiver to see the client hang up")
    assert dripping.finished == 0
    assert dripping.hung_up[0] < dripping.size


def test_a_second_deliverer_does_not_resend_while_the_first_is_busy(
    db: Database, dripping: DripReceiver
) -> None:
    webhook = hook(dripping.url, timeout=1.0, secret=None, retry={"attempts": 3})
    store_document(db, [FIGURE], webhooks=[webhook])
    first = threading.Thread(target=deliver_pending, args=(db, [webhook]))
    first.start()
    _wait_for(lambda: dripping.posts, "the first POST")
    while first.is_alive():  # a second deliverer keeps trying while the first sends
        deliver_pending(db, [webhook])
        time.sleep(0.2)
    first.join()
    assert len(dripping.posts) == 1, "the alert was sent twice at once"
    with db.session() as session:
        (alert,) = session.scalars(select(Alert))
        attempts = list(session.scalars(select(AlertAttempt)))
    assert alert.status == "pending" and alert.attempts == 1 and len(attempts) == 1
    assert alert.lease_until is None
    assert "time" in (alert.last_error or "").lower()
    assert dripping.finished == 0
