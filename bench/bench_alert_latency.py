"""Alert latency in the daemon (issue 4): from a document's commit to its alert's
delivery, at the default daemon settings (target: under 5 seconds).

Runs a real `bulletins daemon` against the replica on 127.0.0.1 with a webhook
receiver, lets it crawl, then publishes new releases a few times and measures,
for each new document's alert, receipt time minus the document's `created_at`.
The source is due every few seconds (`schedule: every 3s`, `--every`); everything
else is the default.

    python bench/bench_alert_latency.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml
from sqlalchemy import select

from replica import ReplicaServer, sources_config
from replica.receiver import WebhookReceiver
from storage.db import Database
from storage.models import Document

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def wait_for(predicate: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--every", type=int, default=3, help="schedule: every N seconds")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, ReplicaServer(hang_seconds=5) as replica:
        receiver = WebhookReceiver().start()
        db_url = f"sqlite:///{tmp}/latency.db"
        source = next(s for s in sources_config(replica.url) if s["id"] == "replica-gbk")
        source["schedule"] = f"every {args.every}s"
        config = Path(tmp) / "latency.yaml"
        config.write_text(
            yaml.safe_dump(
                {
                    "database": db_url,
                    "builtin_sources": False,
                    "crawl": {"download_delay": 0, "autothrottle": False, "retry_times": 0},
                    "sources": [source],
                    "webhooks": [
                        {
                            "id": "bench",
                            "url": receiver.url,
                            "secret": SECRET,
                            "allow_private_network": True,
                        }
                    ],
                },
                allow_unicode=True,
            ),
            encoding="utf-8",
        )
        daemon = subprocess.Popen(
            [sys.executable, "-m", "bulletins.cli", "--config", str(config), "daemon"]
        )
        db = Database(db_url)
        try:
            if not wait_for(lambda: len(receiver.received) > 10, 120):
                raise SystemExit("the daemon delivered nothing in 2 minutes")
            time.sleep(args.every * 2)
            baseline = len(receiver.received)
            latencies: list[float] = []
            for _ in range(args.rounds):
                before = len(receiver.received)
                replica.publish("replica-gbk", 3)
                wait_for(lambda before=before: len(receiver.received) >= before + 2, 60)
                time.sleep(1.0)
            received = receiver.received[baseline:]
            with db.session() as session:
                created = {
                    doc_id: when.timestamp()
                    for doc_id, when in session.execute(select(Document.id, Document.created_at))
                }
            for message in received:
                data = (message.json or {}).get("data", {})
                doc_id = data.get("document", {}).get("id")
                if doc_id in created:
                    latencies.append(message.received_at - created[doc_id])
        finally:
            daemon.send_signal(signal.SIGTERM)
            daemon.wait(60)
            receiver.stop()
            db.dispose()
    if not latencies:
        raise SystemExit("no alert for a published release arrived")
    print(f"alerts measured:            {len(latencies)} (schedule every {args.every}s)")
    print(f"commit -> delivery median:  {statistics.median(latencies):.2f} s")
    print(f"commit -> delivery max:     {max(latencies):.2f} s  (target < 5 s)")


if __name__ == "__main__":
    # SIGTERM as an exit, so the finally blocks stop the daemons and servers we started
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    main()
