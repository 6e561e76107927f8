"""The built-in source registry: YAML files beside this module.

``families.yaml`` holds the conventions of each CMS family once; a source names
its `family` and overrides only what differs. Every other ``*.yaml`` file here
holds a list of sources.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent
FAMILIES_FILE = HERE / "families.yaml"


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


@cache
def families() -> dict[str, dict[str, Any]]:
    if not FAMILIES_FILE.exists():
        return {}
    data = yaml.safe_load(FAMILIES_FILE.read_text(encoding="utf-8")) or {}
    return {str(name): dict(spec) for name, spec in data.items()}


def resolve_family(entry: Mapping[str, Any]) -> dict[str, Any]:
    """Fill in a source's family defaults under its own keys."""
    name = entry.get("family")
    if not name:
        return dict(entry)
    known = families()
    if name not in known:
        raise ValueError(f"unknown family {name!r} (known: {', '.join(sorted(known)) or 'none'})")
    return deep_merge(known[name], entry)


@cache
def _load_builtin() -> tuple[dict[str, Any], ...]:
    entries: list[dict[str, Any]] = []
    for file in sorted(HERE.glob("*.yaml")):
        if file == FAMILIES_FILE:
            continue
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or []
        entries.extend(dict(item) for item in data)
    return tuple(entries)


def builtin_sources() -> list[dict[str, Any]]:
    """The raw entries of the built-in registry (families not yet resolved)."""
    return [dict(entry) for entry in _load_builtin()]
