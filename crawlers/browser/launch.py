"""Finding and launching Chromium: which binary, with which flags, under which limits.

- **Which Chromium**: ``$BULLETINS_CHROMIUM``, else the config's ``browser.executable``,
  else Debian's ``/usr/bin/chromium`` when present, else Playwright's own download.
- **How**: headless, without sandbox, GPU or background traffic, in a single process
  (see `LAUNCH_ARGS`), with the feature switches of `DISABLED_FEATURES` and
  `ENABLED_FEATURES`.
"""

from __future__ import annotations

import glob
import os
from pathlib import Path
from typing import Any

from crawlers.settings_model import (
    ENV_EXECUTABLE,
    BrowserSettings,
    resolve_executable,
)

__all__ = [
    "DISABLED_FEATURES",
    "ENABLED_FEATURES",
    "LAUNCH_ARGS",
    "BrowserOptions",
    "chromium_missing",
    "launch_args",
    "launch_options",
    "resolve_executable",
]

LAUNCH_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    # Memory: one process for everything (as low-memory headless setups run Chromium,
    # e.g. @sparticuz/chromium) with low-end-device caches: about 400 MB (summed RSS,
    # bench/bench_browser.py) with 4 pages open, where separate renderer, GPU, network
    # and zygote processes take 1 GB and more. The price: one browser
    # context only (the sources of a run share it, as a visitor's browser shares its
    # cookie jar between tabs), and a page that crashes or hangs takes the browser with
    # it; the download handler then restarts it and tries again.
    "--single-process",
    "--no-zygote",
    "--in-process-gpu",
    "--enable-low-end-device-mode",
)
#: Chromium reads only the last ``--disable-features`` (and ``--enable-features``), so
#: ours, passed after Playwright's, is the whole list: it is complete on its own.
DISABLED_FEATURES = (
    # what a crawl needs of the usual automation list: plain-http URLs stay http, pages
    # paint as they come, the profile is thrown away, no pop-ups of the browser's own
    "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable",
    "PaintHolding",
    "DestroyProfileOnBrowserClose",
    "AvoidUnnecessaryBeforeUnloadCheckSync",
    "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect",
    "MediaRouter",
    "LensOverlay",
    # no traffic of the browser's own beside the crawl's
    "OptimizationHints",
    "NetworkTimeServiceQuerying",
    "PreconnectToSearch",
    "AimEnabled",
    # memory: no spare renderer kept warm, no omnibox pop-up renderers a headless crawl
    # never shows, audio in the one process
    "SpareRendererForSitePerProcess",
    "WebUIOmniboxPopup",
    "WebUIOmniboxAimPopup",
    "AudioServiceOutOfProcess",
)
#: Likewise the whole --enable-features list: the network service in the one process,
#: and screenshots through CDP on a fresh surface (as Playwright enables them).
ENABLED_FEATURES = ("NetworkServiceInProcess2", "CDPScreenshotNewSurface")


#: The one browser settings model (`crawlers.settings_model`), by its crawl-side name.
BrowserOptions = BrowserSettings


def _playwright_own_chromium() -> str | None:
    roots = [os.environ.get("PLAYWRIGHT_BROWSERS_PATH"), str(Path.home() / ".cache/ms-playwright")]
    for root in filter(None, roots):
        for pattern in ("chromium-*/chrome-linux*/chrome", "chromium_headless_shell-*/*/*shell"):
            found = sorted(glob.glob(os.path.join(root, pattern)))
            if found:
                return found[-1]
    return None


def chromium_missing(configured: str | None = None) -> str | None:
    """Why no Chromium can be launched here, or None when one can."""
    executable = resolve_executable(configured)
    if executable is not None:
        if os.access(executable, os.X_OK):
            return None
        return f"the configured Chromium {executable!r} is not an executable file"
    if _playwright_own_chromium():
        return None
    return (
        "no Chromium: install Debian's `chromium` package (or run `playwright install "
        f"chromium`), or point ${ENV_EXECUTABLE} at a Chromium binary"
    )


def launch_args() -> list[str]:
    return [
        *LAUNCH_ARGS,
        "--disable-features=" + ",".join(DISABLED_FEATURES),
        "--enable-features=" + ",".join(ENABLED_FEATURES),
    ]


def launch_options(options: BrowserOptions) -> dict[str, Any]:
    """Playwright's ``chromium.launch`` keywords for `options`."""
    launch: dict[str, Any] = {
        "headless": True,
        "args": launch_args(),
        "timeout": options.timeout * 1000,
        "handle_sigint": False,
        "handle_sigterm": False,
    }
    if options.executable:
        launch["executable_path"] = options.executable
    return launch
