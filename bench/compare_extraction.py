"""Whether the extractor finds the same figures as at another git revision.

    .venv/bin/python bench/compare_extraction.py [REV] [DIR ...]

Copies extraction/ as of REV (default main) into a temporary package, then runs both
extractors on every text file under tests/ and the DIRs (the seeds, pages), on each of
their paragraphs, on slices of them at random places, on every string literal of the
test modules and on run-on texts, with the language detected, "zh" and "en", and
prints the first difference of each text that differs.  Exits 1 if any does: a speed
change must find exactly what it found before (else bump EXTRACTOR_VERSION).
"""

from __future__ import annotations

import argparse
import ast
import importlib
import random
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extraction import extract_figures  # noqa: E402

TEXT_SUFFIXES = {".txt", ".html", ".htm", ".md", ".xml", ".json"}
RUN_ONS = [
    "police arrested 27 suspects, ", "冻结涉案资金约27亿元，", "抓获犯罪嫌疑人18名打掉团伙3个",
    "more than 1,000 suspects were arrested. ", "thousands of people; tens of thousands of yuan ",
    "Ｔｈｅ ２７ 名嫌疑人 ", "nine,ten, eleven and twelve suspects. ",
]  # fmt: skip
Extract = Callable[..., list[Any]]


def old_extractor(rev: str, into: Path) -> Extract:
    """extract_figures of extraction/ at `rev`, imported as the package extraction_at_rev."""
    package = into / "extraction_at_rev"
    package.mkdir()
    files = subprocess.run(
        ["git", "-C", str(ROOT), "ls-tree", "--name-only", rev, "extraction/"],
        check=True, capture_output=True, text=True,
    ).stdout.split()  # fmt: skip
    for name in files:
        source = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{rev}:{name}"], check=True, capture_output=True
        ).stdout
        (package / Path(name).name).write_bytes(source)
    sys.path.insert(0, str(into))
    module = importlib.import_module("extraction_at_rev")
    extract: Extract = module.extract_figures
    return extract


def texts(dirs: list[Path]) -> Iterator[tuple[str, str]]:
    rng = random.Random(14)
    for root in [ROOT / "tests", *dirs]:
        for path in sorted(root.rglob("*")):
            if path.suffix == ".py" and path.is_file():
                tree = ast.parse(path.read_text(encoding="utf-8"))
                for node in ast.walk(tree):
                    if isinstance(node, ast.Constant) and isinstance(node.value, str):
                        yield f"{path}:{node.lineno}", node.value
            elif path.suffix in TEXT_SUFFIXES and path.is_file():
                text = path.read_text(encoding="utf-8", errors="replace")
                yield str(path), text
                for i, paragraph in enumerate(text.split("\n")):
                    if paragraph.strip():
                        yield f"{path}#{i}", paragraph
                for _ in range(20 if len(text) > 200 else 0):
                    start = rng.randrange(len(text))
                    end = start + rng.choice((40, 120, 400, 1500))
                    yield f"{path}@{start}", text[start:end]
    for unit in RUN_ONS:
        yield f"run-on {unit!r}", unit * (20000 // len(unit))


def key(figures: list[Any]) -> list[dict[str, Any]]:
    return [{**f.to_dict(), "value": str(f.value)} for f in figures]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("rev", nargs="?", default="main", help="git revision to compare with")
    parser.add_argument("dirs", nargs="*", type=Path, help="more directories of texts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        old = old_extractor(args.rev, Path(tmp))
        compared = different = 0
        for name, text in texts(args.dirs):
            for language in (None, "zh", "en"):
                if language and len(text) > 3000 and not name.startswith("run-on"):
                    continue
                before, after = key(old(text, language)), key(extract_figures(text, language))
                compared += 1
                if before != after:
                    different += 1
                    first = next(
                        (i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b),
                        min(len(before), len(after)),
                    )
                    print(f"{name} ({language}): {len(before)} -> {len(after)} figures")
                    print(f"  {args.rev}: {before[first] if first < len(before) else None}")
                    print(f"  now: {after[first] if first < len(after) else None}")
    print(f"{compared:,} extractions compared with {args.rev}, {different} different")
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
