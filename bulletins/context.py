"""What every command needs: the loaded config and a lazily opened database."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from typing import Any

from bulletins.config import AppConfig
from storage.db import Database


@dataclass
class Context:
    config: AppConfig
    json_output: bool = False
    _database: Database | None = field(default=None, repr=False)

    @property
    def database_url(self) -> str:
        return self.config.database

    @property
    def db(self) -> Database:
        if self._database is None:
            self._database = Database(self.config.database)
        return self._database

    def close(self) -> None:
        if self._database is not None:
            self._database.dispose()
            self._database = None

    def print_json(self, data: Any) -> None:
        json.dump(data, sys.stdout, ensure_ascii=False, indent=1, default=str)
        sys.stdout.write("\n")


class UsageError(Exception):
    """A command was called wrongly (exit status 2)."""
