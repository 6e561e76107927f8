"""Sub-commands of `bulletins`, one module each.

Each module defines ``register(subparsers)``, which adds its parser and sets
``handler(ctx, args) -> int`` (the exit status) as the parser default.
"""

from __future__ import annotations

COMMAND_MODULES = (
    "crawl",
    "sources",
    "documents",
    "figures",
    "extract",
    "alerts",
    "db",
    "demo",
    "status",
    "scheduling",
    "serve",
    "worker",
    "doctor",
)
