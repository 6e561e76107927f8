"""A total deadline per webhook send (D14).

A receiver that drips its answer one byte at a time never trips a per-read
timeout. The webhook's `timeout` bounds the whole send (connect, request,
response headers and body), which is shorter than the lease the delivery took:
so the send is cut off while the receiver is still dripping, the attempt is
recorded as a timeout, and a second deliverer never sends the same alert again
while the first one is still busy with it.
"""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from alerts.delivery import deliver_pending, send_test
from replica.receiver import DripReceiver
from storage.db import Database
from storage.models import Alert, AlertAttempt
from tests.alerts.conftest import FIGURE, hook, store_document


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


# --- the same over TLS ------------------------------------------------------------------


def _self_signed(tmp_path: Path) -> tuple[ssl.SSLContext, Path]:
    """A server context for "localhost" and the CA file a client must trust for it."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(cert_file, key_file)
    return server, cert_file


@pytest.mark.parametrize("every", [0.0, 0.1])
def test_https_goes_through_the_deadline_transport(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, every: float
) -> None:
    """TLS to the checked address, verified for the host name (SNI), under the deadline."""
    server, ca_file = _self_signed(tmp_path)
    receiver = DripReceiver(every=every, size=50, tls=server).start()
    try:
        webhook = hook(receiver.url, timeout=1.0, secret=None)
        _id, untrusted = send_test(webhook)
        assert not untrusted.ok and "CERTIFICATE_VERIFY_FAILED" in (untrusted.error or "")
        monkeypatch.setattr(
            "alerts.transport.httpx.create_ssl_context",
            lambda **_kw: ssl.create_default_context(cafile=str(ca_file)),
        )
        _id, result = send_test(webhook)
        assert result.address == "127.0.0.1"  # connected to the address, verified as localhost
        if every == 0.0:
            assert result.ok and result.status_code == 200 and result.body == "x" * 50
        else:  # 50 bytes at 0.1 s: 5 s of answer, cut off after the 1 s deadline
            assert not result.ok and "within 1s" in (result.error or "")
            _wait_for(lambda: receiver.hung_up, "the receiver to see the client hang up")
            assert receiver.finished == 0
    finally:
        receiver.stop()
