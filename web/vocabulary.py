"""The metric vocabulary, read from the extractor at run time (never copied here):
the names `extraction` gives figures are the names the web app offers."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def metric_names() -> tuple[str, ...]:
    """Every metric name the extractor can give a figure, sorted."""
    from extraction import vocabulary

    names = {*vocabulary.METRICS.values(), *vocabulary.KIND_METRICS.values(), "other"}
    return tuple(sorted(names))
