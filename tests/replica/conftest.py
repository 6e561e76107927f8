"""Fixtures for the replica's tests: a fresh server per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from replica import ReplicaServer


@pytest.fixture
def replica() -> Iterator[ReplicaServer]:
    with ReplicaServer(hang_seconds=30) as server:
        yield server
