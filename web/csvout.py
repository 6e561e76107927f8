"""CSV of figures: UTF-8 with a byte-order mark, so spreadsheet programs show Chinese."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from web.query.figures import COLUMNS, FigureRow

BOM = "\ufeff"


def figures_csv(rows: Iterable[FigureRow]) -> bytes:
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        data = row.as_dict()
        writer.writerow(["" if data[c] is None else data[c] for c in COLUMNS])
    return buffer.getvalue().encode("utf-8")
