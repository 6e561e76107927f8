"""Tie a process's life to its parent's: children of a worker die with it.

`PR_SET_PDEATHSIG` asks Linux to send SIGKILL to this process when the thread
that started it ends (its parent dies, however: even SIGKILL). A parent that
died before the call is caught by comparing ``getppid()``. Elsewhere than Linux
nothing is armed and callers keep their own check of the parent (the writer
polls ``getppid()``).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent(expected_parent: int) -> bool:
    """Arm SIGKILL on the parent's death; exit now if the parent is already gone.

    True when the kernel guard is armed (Linux), False where it is not available.
    """
    armed = False
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        armed = libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    if os.getppid() != expected_parent:
        os._exit(70)  # the parent died before the guard was armed
    return armed
