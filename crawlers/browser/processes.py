"""The Chromium processes under a process: found, measured (resident memory), killed."""

from __future__ import annotations

import contextlib

import psutil

__all__ = ["chromium_processes", "chromium_rss", "kill_chromium"]


def chromium_processes(root_pid: int) -> list[psutil.Process]:
    """The Chromium processes under `root_pid` (the browser and its helpers)."""
    try:
        children = psutil.Process(root_pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    found = []
    for child in children:
        with contextlib.suppress(psutil.Error):
            if "chrom" in child.name().lower() or "headless_shell" in child.name().lower():
                found.append(child)
    return found


def chromium_rss(root_pid: int) -> int:
    """Resident memory, in bytes, summed over the Chromium processes under `root_pid`."""
    total = 0
    for proc in chromium_processes(root_pid):
        with contextlib.suppress(psutil.Error):
            total += proc.memory_info().rss
    return total


def kill_chromium(root_pid: int) -> int:
    procs = chromium_processes(root_pid)
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            proc.kill()
    return len(procs)
