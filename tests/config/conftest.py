"""Fixtures of the config tests: the in-process CLI runner of the alert tests."""

from __future__ import annotations

from tests.alerts.conftest import cli

__all__ = ["cli"]
