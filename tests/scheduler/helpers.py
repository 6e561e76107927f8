"""A tiny bulletin site and a daemon process, on 127.0.0.1 (the webhook receiver is
`replica.receiver.WebhookReceiver`)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

import psutil
import yaml

from tests.sites import Route, RouteSite

T = TypeVar("T")

# --- the site -------------------------------------------------------------------


@dataclass
class Section:
    """One source's part of the site: /<name>/index.html and /<name>/<n>.html."""

    articles: int = 3
    layout: str = "a"  # a: the selectors match; b: new listing and article markup;
    #                     c: the listing stays, the articles change
    listing_delay: float = 0.0
    article_delay: float = 0.0
    # When set, the listing is held until the test sets it (an event, not a guessed delay).
    listing_gate: threading.Event | None = None


@dataclass
class Site:
    sections: dict[str, Section] = field(default_factory=dict)
    base_url: str = ""
    hang_url: str = ""  # accepts connections and never answers

    def section(self, name: str) -> Section:
        return self.sections.setdefault(name, Section())

    def listing(self, name: str) -> str:
        sec = self.section(name)
        today = date.today()
        rows = []
        for n in range(sec.articles, 0, -1):
            day = (today - timedelta(days=sec.articles - n)).isoformat()
            if sec.layout == "b":
                rows.append(
                    f'<p class="entry"><a href="/{name}/{n}.html">Release {n}</a> {day}</p>'
                )
            else:
                rows.append(
                    f'<li><a href="/{name}/{n}.html">Release {n}</a><span>{day}</span></li>'
                )
        body = (
            f'<div class="entries">{"".join(rows)}</div>'
            if sec.layout == "b"
            else f'<ul class="list">{"".join(rows)}</ul>'
        )
        return f"<html><body><h1>{name}</h1>{body}</body></html>"

    def article(self, name: str, n: int) -> str | None:
        sec = self.section(name)
        if not 1 <= n <= sec.articles:
            return None
        text = (
            f"{name} 第{n}号通报：公安机关依法侦破电信网络诈骗案件{n}00余起，"
            f"抓获犯罪嫌疑人{n}20名，冻结涉案资金约{n}亿元。"
        )
        if sec.layout == "a":
            main = f'<div class="body"><p>{text}</p></div>'
        else:
            main = f'<section class="content"><p>{text}</p></section>'
        return f"<html><body><h1>Release {n}</h1>{main}</body></html>"


class SiteServer(RouteSite):
    """The `Site` rendered on the fly on a `tests.sites.RouteSite`, started at once, with
    a `hang_url` on a socket that accepts connections and never answers."""

    def __init__(self) -> None:
        super().__init__(resolve=self._page)
        self.site = Site(base_url=self.base)
        self._silent = socket.socket()
        self._silent.bind(("127.0.0.1", 0))
        self._silent.listen(64)  # never accepted: a server that never answers
        self.site.hang_url = f"http://127.0.0.1:{self._silent.getsockname()[1]}/news/index.html"
        self.start()

    def _page(self, _method: str, path: str) -> Route | None:
        parts = path.strip("/").split("/")
        if len(parts) != 2 or parts[0] not in self.site.sections:
            return None
        name, leaf = parts
        sec = self.site.sections[name]
        if leaf == "index.html":
            if sec.listing_gate is not None:
                sec.listing_gate.wait(300)  # held until the test lets the listing through
            return Route(self.site.listing(name).encode("utf-8"), delay=sec.listing_delay)
        if leaf.removesuffix(".html").isdigit():
            page = self.site.article(name, int(leaf.removesuffix(".html")))
            if page is not None:
                return Route(page.encode("utf-8"), delay=sec.article_delay)
        return None

    def close(self) -> None:
        super().close()
        self._silent.close()


# --- configuration -------------------------------------------------------------


def source_entry(site: Site, name: str, **overrides: Any) -> dict[str, Any]:
    site.section(name)
    entry: dict[str, Any] = {
        "id": name,
        "name": f"Test source {name}",
        "schedule": "* * * * *",
        "start_urls": [f"{site.base_url}/{name}/index.html"],
        "list": {
            "item": "ul.list li",
            "link": "a::attr(href)",
            "title": "a::text",
            "date": "span::text",
            "min_pages": 1,
            "max_pages": 1,
        },
        "article": {"title": "h1::text", "body": "div.body"},
        "render": "never",
    }
    entry.update(overrides)
    return entry


def write_config(
    path: Path,
    database: str,
    sources: list[dict[str, Any]],
    *,
    webhook_url: str | None = None,
    daemon: dict[str, Any] | None = None,
    crawl: dict[str, Any] | None = None,
) -> Path:
    data: dict[str, Any] = {
        "database": database,
        "timezone": "Asia/Shanghai",
        "builtin_sources": False,
        "sources": sources,
        "crawl": {
            "download_delay": 0,
            "obey_robots": False,
            "autothrottle": False,
            "retry_times": 0,
            "download_timeout": 20,
            **(crawl or {}),
        },
        "daemon": {
            "jitter": 0,
            "grace_period": 10,
            "crawl_time_limit": 120,
            "deliver_interval": 1,
            **(daemon or {}),
        },
    }
    if webhook_url:
        data["webhooks"] = [
            {
                "id": "test",
                "url": webhook_url,
                "secret": "whsec_c2NoZWR1bGVyLXRlc3Qtc2VjcmV0",
                "allow_private_network": True,
                "retry": {"attempts": 3, "first_delay": 1},
            }
        ]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


# --- processes -------------------------------------------------------------------


def wait_until(check: Callable[[], T], timeout: float, what: str, every: float = 0.1) -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(every)


def cli_command(config: Path, *args: str, log_format: str = "json") -> list[str]:
    return [
        sys.executable,
        "-m",
        "bulletins.cli",
        "--config",
        str(config),
        "--log-level",
        "INFO",
        "--log-format",
        log_format,
        *args,
    ]


def child_env() -> dict[str, str]:
    """The environment of a child `bulletins` process: no database or config from ours."""
    env = dict(os.environ)
    env.pop("BULLETINS_DATABASE_URL", None)
    env.pop("BULLETINS_CONFIG", None)
    return env


class DaemonProcess:
    """`bulletins daemon` as a real process, its JSON log lines kept in a file."""

    def __init__(self, config: Path, workdir: Path) -> None:
        self.log_path = workdir / f"daemon-{time.monotonic_ns()}.log"
        self._log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            cli_command(config, "daemon"),
            cwd=workdir,
            env=child_env(),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.children: set[int] = set()

    def lines(self) -> list[dict[str, Any]]:
        out = []
        for raw in self.log_path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                entry = json.loads(raw)
            except ValueError:
                continue
            if isinstance(entry, dict):
                out.append(entry)
        return out

    def logged(self, text: str, source: str | None = None) -> list[dict[str, Any]]:
        found = [
            e
            for e in self.lines()
            if text in e.get("message", "") and (source is None or e.get("source") == source)
        ]
        for e in found:  # remember every crawl process, to check none is left
            if e["message"].startswith("crawl started (pid "):
                self.children.add(int(e["message"].split("pid ")[1].rstrip(")")))
        return found

    def wait_log(
        self, text: str, source: str | None = None, timeout: float = 120
    ) -> dict[str, Any]:
        found = wait_until(lambda: self.logged(text, source), timeout, f"log {text!r} ({source})")
        return found[-1]

    def alive(self) -> bool:
        return self.proc.poll() is None

    def send(self, sig: int) -> None:
        self.proc.send_signal(sig)

    def stop(self, timeout: float = 60) -> tuple[int, float]:
        started = time.monotonic()
        self.send(signal.SIGTERM)
        code = self.proc.wait(timeout)
        return code, time.monotonic() - started

    def output(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def close(self) -> None:
        if self.alive():
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        self.logged("crawl started")
        for pid in self.children:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
        self._log.close()


def live_processes(pids: set[int]) -> list[int]:
    alive = []
    for pid in pids:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                alive.append(pid)
        except psutil.NoSuchProcess:
            continue
    return alive


def processes_mentioning(text: str) -> list[int]:
    """Live processes whose command line mentions `text` (a test's own config path)."""
    found = []
    for proc in psutil.process_iter(["pid", "cmdline", "status"]):
        try:
            if proc.info["status"] == psutil.STATUS_ZOMBIE:
                continue
            if any(text in part for part in proc.info["cmdline"] or []):
                found.append(proc.info["pid"])
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


def iter_json_lines(text: str) -> Iterator[dict[str, Any]]:
    for raw in text.splitlines():
        try:
            entry = json.loads(raw)
        except ValueError:
            continue
        if isinstance(entry, dict):
            yield entry
