"""`bulletins doctor`: is this installation ready to crawl? One check per line.

Each check gives `ok` or the problem and its fix. The dependency checks (the
optional import paths, the PostgreSQL driver, a Chromium where a source needs one)
also run when `bulletins daemon` starts: it refuses to start rather than crawl
without them (`dependency_problems`).

No request leaves the machine unless `network` is set: webhook host names are
then resolved and checked by the address guard, and each webhook is sent a test
alert. Without it, only IP literals (and ``localhost``) are checked by the guard.
"""

from __future__ import annotations

import importlib
import ipaddress
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from bulletins.config import AppConfig
from storage.db import redact_url

PG_EXTRA_FIX = "pip install 'bulletin-watch[postgresql]' (psycopg)"
REINSTALL_FIX = "reinstall: pip install bulletin-watch (its dependencies include it)"


@dataclass(frozen=True)
class Check:
    name: str
    problem: str | None = None  # None: ok
    fix: str = ""
    detail: str = ""  # shown after `ok`

    @property
    def ok(self) -> bool:
        return self.problem is None

    def line(self) -> str:
        if self.problem is None:
            return f"{self.name}: ok" + (f" ({self.detail})" if self.detail else "")
        return f"{self.name}: {self.problem}" + (f" — fix: {self.fix}" if self.fix else "")


# Imports the modules named in argv in turn; prints the first failure as JSON
# [module, exception type, message] and nothing when all import.
_IMPORT_PROBE = """
import importlib, json, sys
for module in sys.argv[1:]:
    try:
        importlib.import_module(module)
    except Exception as exc:
        print(json.dumps([module, type(exc).__name__, str(exc)]))
        break
"""


def _import_failure(modules: tuple[str, ...], isolated: bool) -> tuple[str, str, str] | None:
    """The first of `modules` that fails to import: (module, exception type, message)."""
    if isolated:
        # A fresh interpreter (same sys.executable, environment and working directory):
        # the daemon checks its crawl workers' imports without carrying them itself
        # (trafilatura alone is some 10 MB resident).
        probe = subprocess.run(
            [sys.executable, "-c", _IMPORT_PROBE, *modules],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if probe.stdout.strip():
            module, kind, message = json.loads(probe.stdout.strip().splitlines()[-1])
            return module, kind, message
        if probe.returncode != 0:
            return modules[0], "crash", f"exit {probe.returncode}: {probe.stderr[-300:]}"
        return None
    for module in modules:
        try:
            importlib.import_module(module)
        except Exception as exc:  # an ImportError, or any error a broken package raises
            return module, type(exc).__name__, str(exc)
    return None


def _imports(
    name: str, modules: tuple[str, ...], fix: str, detail: str, isolated: bool = False
) -> Check:
    failure = _import_failure(modules, isolated)
    if failure is None:
        return Check(name, detail=detail)
    module, kind, message = failure
    message = " ".join(message.split())  # one line, whatever the package wrote
    return Check(name, f"cannot import {module}: {kind}: {message}", fix)


def check_main_text(*, isolated: bool = False) -> Check:
    """Automatic main text (sources without `article.body`): trafilatura with its jusText
    fallback, which needs lxml.html.clean (a separate package since lxml 5.2).
    isolated: import them in a child interpreter, not in this process."""
    modules = ("lxml.html.clean", "justext", "trafilatura", "trafilatura.external")
    return _imports(
        "main text (trafilatura)", modules, REINSTALL_FIX, "trafilatura, jusText", isolated
    )


def check_browser_support(*, isolated: bool = False) -> Check:
    modules = ("playwright.async_api", "scrapy_playwright.handler")
    return _imports(
        "browser support", modules, REINSTALL_FIX, "playwright, scrapy-playwright", isolated
    )


def _browser_sources(config: AppConfig) -> list[str]:
    return [s.id for s in config.enabled_sources() if s.render in ("auto", "always")]


def check_chromium(config: AppConfig, *, launch: bool) -> Check | None:
    """A Chromium is found (and, with `launch`, starts) when a source may render pages."""
    needing = _browser_sources(config)
    if not needing:
        return None
    from crawlers.browser import chromium_missing, resolve_executable

    name = "chromium"
    shown = ", ".join(needing[:3]) + (f" and {len(needing) - 3} more" if len(needing) > 3 else "")
    why = f"needed by render: auto/always sources ({shown})"
    missing = chromium_missing(config.browser.executable)
    if missing:
        return Check(name, f"{missing}; {why}", "make browser, or set render: never")
    executable = resolve_executable(config.browser.executable) or "Playwright's Chromium"
    if not launch:
        return Check(name, detail=f"{executable}, found")
    problem = _launch_chromium(config)
    if problem:
        return Check(name, f"{executable} does not start: {problem}", "make browser")
    return Check(name, detail=f"{executable}, starts")


def _launch_chromium(config: AppConfig) -> str | None:
    from playwright.sync_api import sync_playwright

    from crawlers.browser import BrowserOptions, launch_options

    options = BrowserOptions.from_settings(config.browser.model_dump())
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(**launch_options(options))
            browser.close()
    except Exception as exc:
        return f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc) else ''}"
    return None


def check_database_driver(url: str) -> Check | None:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return None
    try:
        parsed.get_dialect().import_dbapi()
    except ImportError as exc:
        return Check("postgresql driver", f"{exc}", PG_EXTRA_FIX)
    return Check("postgresql driver", detail=parsed.get_driver_name())


def check_database(url: str) -> Check:
    from sqlalchemy.exc import SQLAlchemyError

    from storage.db import (
        Database,
        DatabaseUnavailable,
        DatabaseUrlError,
        current_revision,
        head_revision,
    )

    name = "database"
    try:
        db = Database(url, auto_upgrade=False)
    except (DatabaseUnavailable, DatabaseUrlError, ImportError) as exc:
        return Check(name, str(exc), "check `database:` in the config, or --db")
    try:
        current, head = current_revision(db.engine), head_revision()
    except SQLAlchemyError as exc:
        from storage.db import unavailable_message

        return Check(name, unavailable_message(url, exc), "start the database server")
    finally:
        db.dispose()
    if current is None:
        return Check(name, detail=f"{redact_url(url)}, empty: the first crawl creates the schema")
    if current != head:
        where = f"at migration {current}"
        return Check(
            name,
            f"{redact_url(url)} {where}, the newest is {head}",
            "bulletins db upgrade (any crawl or the daemon also upgrades it)",
        )
    return Check(name, detail=f"{redact_url(url)}, migration {head}")


def check_webhooks(config: AppConfig, *, network: bool) -> Iterator[Check]:
    from alerts.guard import refusal_reason
    from alerts.target import parse_target

    for hook in config.webhooks:
        name = f"webhook {hook.id}"
        try:
            target = parse_target(hook.url)
        except ValueError as exc:
            yield Check(name, f"the URL is not usable: {exc}", "correct its url")
            continue
        where = target.display()
        guard_fix = "a public address, or allow_private_network: true for a trusted LAN"
        if network:
            yield _webhook_over_network(config, hook.id, guard_fix)
            continue
        literal = target.host == "localhost" or _is_ip(target.host)
        if literal and not hook.allow_private_network:
            reason = "loopback" if target.host == "localhost" else refusal_reason(target.host)
            if reason:
                yield Check(name, f"{where} is refused by the address guard ({reason})", guard_fix)
                continue
        checked = "address allowed" if literal else "name not resolved (--network resolves it)"
        state = "" if hook.enabled else ", disabled"
        yield Check(name, detail=f"{where}, {checked}{state}")


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _webhook_over_network(config: AppConfig, webhook_id: str, guard_fix: str) -> Check:
    from alerts.delivery import send_test
    from alerts.exceptions import AddressRefused
    from alerts.guard import resolve_checked
    from alerts.target import parse_target

    hook = config.webhook(webhook_id)
    target = parse_target(hook.url)
    name = f"webhook {hook.id}"
    try:
        resolve_checked(hook.id, target.host, target.port, allow_private=hook.allow_private_network)
    except AddressRefused as exc:
        return Check(name, str(exc), guard_fix)
    except Exception as exc:
        return Check(name, str(exc), "check the host name and this machine's DNS")
    _msg_id, result = send_test(hook)
    if not result.ok:
        return Check(name, f"a test alert failed: {result.error}", "check the receiver")
    return Check(name, detail=f"{target.display()}, a test alert was accepted")


def dependency_problems(config: AppConfig) -> list[Check]:
    """What `bulletins daemon` refuses to start without (nothing sent, no browser started;
    the crawl workers' imports are tried in a child interpreter, not in the daemon)."""
    checks: list[Check | None] = [
        check_main_text(isolated=True),
        check_browser_support(isolated=True) if _browser_sources(config) else None,
        check_database_driver(config.database),
        check_chromium(config, launch=False),
    ]
    return [c for c in checks if c is not None and not c.ok]


def run_checks(config: AppConfig, *, network: bool = False) -> Iterator[Check]:
    """Every check, in order (lazily: each line can be printed as it is known)."""
    steps: list[Callable[[], Check | None]] = [
        check_main_text,
        check_browser_support,
        lambda: check_chromium(config, launch=True),
        lambda: Check("config", detail=_config_detail(config)),
    ]
    for step in steps:
        check = step()
        if check is not None:
            yield check
    driver = check_database_driver(config.database)
    if driver is not None:
        yield driver
    if driver is None or driver.ok:
        yield check_database(config.database)
    yield from check_webhooks(config, network=network)


def _config_detail(config: AppConfig) -> str:
    where = str(config.path) if config.path else "defaults"
    enabled = len(config.enabled_sources())
    return f"{where}: {enabled} enabled source(s), {len(config.webhooks)} webhook(s)"
