"""Alembic migrations of the schema, and what comparisons with the models leave out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from storage.models import POSTGRESQL_ONLY_INDEXES

IncludeObject = Callable[[Any, "str | None", str, bool, Any], bool]


def include_object_for(dialect: str) -> IncludeObject:
    """What comparisons with the models on a database of `dialect` look at. They leave
    the search index alone (0005_document_search): it is kept by triggers and SQL of
    its own, not by the models. Elsewhere than on PostgreSQL they also leave out the
    models' PostgreSQL-only indexes (`storage.models.postgresql_only`)."""

    def include(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
        name = name or ""
        if type_ == "table" and name.startswith("documents_fts"):
            return False
        if type_ != "index":
            return True
        if dialect != "postgresql" and name in POSTGRESQL_ONLY_INDEXES:
            return False
        return not name.endswith("_trgm")

    return include
