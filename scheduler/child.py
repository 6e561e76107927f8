"""One crawl in a child process of its own.

A Twisted reactor starts once per process, and a hung spider must not hang the
scheduler, so the daemon and `run-due` crawl by running

    python -m bulletins.cli --config FILE --db URL crawl SOURCE_ID --no-deliver --json

in a new process group. At the time limit the whole group is killed (SIGKILL:
every write of a crawl is one transaction, so nothing is left half-written) and
the run, whose own ``crawl_runs`` row still says 'running', is recorded as
failed with the reason "time limit". A child that dies otherwise (a signal, an
exit status other than 0 or 1) is recorded too, so `status` and the health watch
see every attempt.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from crawlers.sources.schema import SourceConfig
from storage import repository, runs
from storage.db import Database, url_has_secret
from storage.models import utcnow
from storage.status import RunStatus

log = logging.getLogger("scheduler")

TIME_LIMIT_REASON = "time limit"
SHUTDOWN_REASON = "stopped by the scheduler's shutdown"
POLL_SECONDS = 1.0  # how often a waiting crawl checks whether its leader has exited


def child_log_level(level: str) -> str:
    """Crawl processes log at WARNING unless DEBUG is asked: Scrapy's INFO is noise."""
    return level if level.upper() in ("DEBUG", "ERROR", "CRITICAL") else "WARNING"


@dataclass(frozen=True)
class ChildSpec:
    """How to start a crawl process: the config file, the database, the log options."""

    config_path: Path | None
    database_url: str
    log_level: str = "WARNING"
    log_format: str = "text"
    python: str = field(default_factory=lambda: sys.executable)

    def command(self, source_id: str) -> list[str]:
        cmd = [self.python, "-m", "bulletins.cli"]
        if self.config_path is not None:
            cmd += ["--config", str(self.config_path)]
        if not self._secret_in_url:
            cmd += ["--db", self.database_url]
        cmd += ["--log-level", self.log_level, "--log-format", self.log_format]
        return [*cmd, "crawl", source_id, "--no-deliver", "--json"]

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        if self._secret_in_url:
            # A password stays out of the process list (`ps`): pass it by environment.
            env["BULLETINS_DATABASE_URL"] = self.database_url
        return env

    @property
    def _secret_in_url(self) -> bool:
        # A password in the user info or in the query (?password=, ?sslpassword=).
        return url_has_secret(self.database_url)


class LauncherClosed(Exception):
    """The launcher is shutting down: no new crawl starts."""


@dataclass(frozen=True)
class CrawlOutcome:
    source_id: str
    pid: int
    returncode: int | None
    status: str
    reason: str | None
    run_id: int | None
    new_documents: int
    seconds: float
    ended_by: str | None = None  # "time limit" or "shutdown" when we ended it

    @property
    def failed(self) -> bool:
        return RunStatus(self.status).failed


class CrawlLauncher:
    """Starts crawl processes, ends them at their time limit, records how they ended."""

    def __init__(self, spec: ChildSpec, db: Database) -> None:
        self.spec = spec
        self.db = db
        self.webhooks: list[Any] = []
        self._lock = threading.Lock()
        self._children: dict[int, tuple[str, subprocess.Popen[bytes]]] = {}
        self._shutdown: set[int] = set()
        self.closed = False

    def close(self) -> None:
        """Start no more crawls (the running ones are left to `signal_all`)."""
        with self._lock:
            self.closed = True

    # --- the running children --------------------------------------------------

    def running(self) -> list[tuple[str, int]]:
        with self._lock:
            return [(source_id, pid) for pid, (source_id, _p) in self._children.items()]

    def signal_all(self, sig: int) -> int:
        """Send `sig` to the process group of every running crawl; how many were signalled."""
        count = 0
        with self._lock:
            for pid, (source_id, _proc) in self._children.items():
                # The whole group, even when its leader has exited: what it started
                # may live on. A group id is not reused while the group has members.
                self._shutdown.add(pid)
                log.warning(
                    "sending %s to the crawl", signal.Signals(sig).name, extra={"source": source_id}
                )
                _killpg(pid, sig)
                count += 1
        return count

    # --- one crawl ---------------------------------------------------------------

    def crawl(self, source: SourceConfig, time_limit: float) -> CrawlOutcome:
        started = utcnow()
        clock = time.monotonic()
        with self._lock:
            if self.closed:
                raise LauncherClosed(source.id)
            proc = subprocess.Popen(
                self.spec.command(source.id),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                env=self.spec.environment(),
                process_group=0,
            )
            self._children[proc.pid] = (source.id, proc)
        log.info("crawl started (pid %d)", proc.pid, extra={"source": source.id})
        try:
            out, timed_out = self._wait(proc, source.id, time_limit)
        finally:
            _killpg(proc.pid, signal.SIGKILL)  # strays of the group (a browser), if any
            with self._lock:
                self._children.pop(proc.pid, None)
                by_shutdown = proc.pid in self._shutdown
                self._shutdown.discard(proc.pid)
        seconds = time.monotonic() - clock
        return self._record(source, proc, out, started, seconds, timed_out, by_shutdown)

    def _wait(
        self, proc: subprocess.Popen[bytes], source_id: str, time_limit: float
    ) -> tuple[bytes, bool]:
        """The child's output once it ended, and whether the time limit ended it."""
        deadline = time.monotonic() + time_limit
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                log.warning(
                    "crawl reached its time limit of %gs: killing it",
                    time_limit,
                    extra={"source": source_id},
                )
                _killpg(proc.pid, signal.SIGKILL)
                out, _ = proc.communicate()
                return out, True
            try:
                out, _ = proc.communicate(timeout=min(remaining, POLL_SECONDS))
                return out, False
            except subprocess.TimeoutExpired:
                if proc.poll() is not None:
                    # The crawl ended, but something it started (a browser) still
                    # holds its output open: end the rest of its process group.
                    _killpg(proc.pid, signal.SIGKILL)

    def _record(
        self,
        source: SourceConfig,
        proc: subprocess.Popen[bytes],
        out: bytes,
        started: datetime,
        seconds: float,
        timed_out: bool,
        by_shutdown: bool,
    ) -> CrawlOutcome:
        code = proc.returncode
        summary = _summary(out, source.id)
        ended_by: str | None = None
        reason: str | None
        status: RunStatus
        if timed_out:
            ended_by, status, reason = TIME_LIMIT_REASON, RunStatus.FAILED, TIME_LIMIT_REASON
        elif by_shutdown and (summary is None or code != 0):
            ended_by, status, reason = "shutdown", RunStatus.KILLED, SHUTDOWN_REASON
        elif summary is None or code not in (0, 1):
            status, reason = RunStatus.FAILED, _exit_reason(code)
        else:
            status, reason = RunStatus(str(summary.get("status"))), summary.get("reason")
        run_id = summary.get("run_id") if summary else None
        if ended_by is not None or summary is None or code not in (0, 1) or run_id is None:
            run_id = self._mark(source, proc.pid, started, status, reason)
            if ended_by != "shutdown":
                self._check_health(source.id)
        outcome = CrawlOutcome(
            source_id=source.id,
            pid=proc.pid,
            returncode=code,
            status=status,
            reason=reason,
            run_id=run_id,
            new_documents=int(summary.get("new_documents", 0)) if summary else 0,
            seconds=round(seconds, 3),
            ended_by=ended_by,
        )
        level = logging.WARNING if outcome.failed else logging.INFO
        log.log(
            level,
            "crawl %s in %.1fs: %d new%s",
            status,
            seconds,
            outcome.new_documents,
            f" ({reason})" if reason else "",
            extra={"source": source.id, "run_id": run_id},
        )
        return outcome

    def _mark(
        self,
        source: SourceConfig,
        pid: int,
        started: datetime,
        status: RunStatus,
        reason: str | None,
    ) -> int | None:
        """Close the child's own run row (or add one when it never opened it)."""
        overrule = status == RunStatus.KILLED or reason == TIME_LIMIT_REASON
        try:
            with self.db.session() as session, session.begin():
                run_id = runs.end_process_runs(
                    session, source.id, pid, started, status, reason, overrule=overrule
                )
                if run_id is not None:
                    return run_id
                repository.upsert_source(session, source.model_dump(mode="json"))
                return runs.add_ended_run(session, source.id, pid, started, status, reason)
        except Exception:
            log.exception("could not record the end of the crawl", extra={"source": source.id})
            return None

    def _check_health(self, source_id: str) -> None:
        from scheduler.health import check_sources

        check_sources(self.db, self.webhooks, [source_id])


def _summary(out: bytes, source_id: str) -> dict[str, Any] | None:
    try:
        data = json.loads(out or b"null")
    except ValueError:
        return None
    runs = data.get("runs") if isinstance(data, dict) else None
    for run in runs or []:
        if isinstance(run, dict) and run.get("source_id") == source_id:
            return run
    return None


def _exit_reason(code: int | None) -> str:
    if code is not None and code < 0:
        return f"the crawl process was killed by {signal.Signals(-code).name}"
    return f"the crawl process exited with status {code}"


def _killpg(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)
