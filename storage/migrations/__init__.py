"""Alembic migrations of the schema, and what comparisons with the models leave out."""

from __future__ import annotations

from typing import Any


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Comparisons with the models leave the search index alone (0005_document_search):
    it is kept by triggers and SQL of its own, not by the models."""
    name = name or ""
    if type_ == "table" and name.startswith("documents_fts"):
        return False
    return not (type_ == "index" and name.endswith("_trgm"))
