"""CPU and memory of this process and every process it started, except some (the replica).

CPU = this process's own time + the time of every descendant alive now (their
own and their reaped children's) + the time of reaped children
(``RUSAGE_CHILDREN``, which holds a child's reaped children too). Taken at two
moments, the difference counts every process that ran in between exactly once,
whether it lived through the window, started in it, or ended in it.
"""

from __future__ import annotations

import os
import resource
from dataclasses import dataclass

import psutil


@dataclass(frozen=True)
class Reading:
    cpu: float  # seconds, user + system
    rss: int  # bytes, this process and its live descendants
    processes: int


def _cpu(times: psutil._common.pcputimes) -> float:
    return float(
        times.user + times.system + getattr(times, "children_user", 0.0)
        + getattr(times, "children_system", 0.0)
    )


class TreeMeter:
    def __init__(self, exclude: set[int] | None = None) -> None:
        self.me = psutil.Process(os.getpid())
        self.exclude = set(exclude or ())

    def _live(self) -> list[psutil.Process]:
        out = []
        for proc in self.me.children(recursive=True):
            if proc.pid in self.exclude or any(p.pid in self.exclude for p in _parents(proc)):
                continue
            out.append(proc)
        return out

    def read(self) -> Reading:
        own = resource.getrusage(resource.RUSAGE_SELF)
        reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = own.ru_utime + own.ru_stime + reaped.ru_utime + reaped.ru_stime
        rss = self.me.memory_info().rss
        live = self._live()
        for proc in live:
            try:
                cpu += _cpu(proc.cpu_times())
                rss += proc.memory_info().rss
            except psutil.NoSuchProcess:
                pass  # ended between listing and reading: now in RUSAGE_CHILDREN of its parent
        return Reading(cpu, rss, 1 + len(live))

    def rss_by_name(self) -> dict[str, tuple[int, int]]:
        """(resident, unique) bytes per process, keyed 'pid name' (for the report).

        Unique (USS) leaves out the pages shared with other processes (the
        interpreter, shared libraries): the sum of USS is what the processes cost
        together; the sum of RSS counts the shared pages once per process."""
        out = {}
        for proc in [self.me, *self._live()]:
            try:
                name = "bench (launcher/pool)" if proc.pid == self.me.pid else " ".join(
                    proc.cmdline()[1:4]
                )[:60]
                info = proc.memory_full_info()
                out[f"{proc.pid} {name}"] = (int(info.rss), int(info.uss))
            except psutil.NoSuchProcess:
                pass
        return out


def _parents(proc: psutil.Process) -> list[psutil.Process]:
    try:
        return proc.parents()
    except psutil.NoSuchProcess:
        return []
