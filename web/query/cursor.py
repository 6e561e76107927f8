"""Keyset cursors: the sort key of the last row of a page, opaque to clients.

A cursor is base64url of a small JSON list, tagged with what it pages through,
so a cursor of one listing handed to another is refused (422), not misread.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from typing import Any


class CursorError(ValueError):
    """A cursor that this API did not make (bad parameter: 422)."""


def encode(kind: str, key: list[Any]) -> str:
    values = [v.isoformat() if isinstance(v, datetime) else v for v in key]
    raw = json.dumps([kind, *values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(kind: str, cursor: str, types: tuple[type, ...]) -> list[Any]:
    """The key of `cursor`, each value checked against `types` (datetime values
    come back as aware datetimes; None is allowed for a datetime)."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise CursorError("not a cursor given by this API") from None
    if not isinstance(data, list) or len(data) != len(types) + 1 or data[0] != kind:
        raise CursorError(f"not a cursor of this listing ({kind})")
    values: list[Any] = []
    for value, expected in zip(data[1:], types, strict=True):
        if expected is datetime:
            if value is None:
                values.append(None)
                continue
            try:
                parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
            except ValueError:
                parsed = None
            if parsed is None or parsed.tzinfo is None:
                raise CursorError("not a cursor given by this API (bad date)")
            values.append(parsed)
        elif isinstance(value, int) and expected is int and not isinstance(value, bool):
            if not 0 <= value < 2**63:
                raise CursorError("not a cursor given by this API (bad number)")
            values.append(value)
        elif isinstance(value, expected) and not isinstance(value, bool):
            values.append(value)
        else:
            raise CursorError("not a cursor given by this API (bad value)")
    return values
