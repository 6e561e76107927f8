"""The shape of the house (docs/architecture.md), checked by walking every import.

- a package imports only the packages its arrows allow (`ALLOWED_IMPORTS`): nothing
  below the app imports `bulletins`, and `storage/` and `extraction/` import nothing
  of the project at all;
- no two modules import each other, directly or round a longer loop (imports inside
  functions count; imports under ``if TYPE_CHECKING:`` do not, as they never run);
- no module is over `MAX_LINES` lines, outside tests and the data tables of
  `DATA_TABLES`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 400

#: Which project packages each package may import (the arrows of docs/architecture.md).
ALLOWED_IMPORTS: dict[str, frozenset[str]] = {
    "extraction": frozenset(),
    "storage": frozenset(),
    "alerts": frozenset({"storage", "extraction"}),
    "crawlers": frozenset({"alerts", "extraction", "storage"}),
    "scheduler": frozenset({"crawlers", "alerts", "extraction", "storage"}),
    "web": frozenset({"alerts", "extraction", "storage"}),
    "replica": frozenset(),
    "bulletins": frozenset(
        {"crawlers", "alerts", "extraction", "storage", "scheduler", "web", "replica"}
    ),
}
PACKAGES = tuple(ALLOWED_IMPORTS)

#: Modules that are data, not code: long by nature, and allowed to be.
DATA_TABLES = frozenset({"extraction/vocabulary.py"})

# Known breaches, each being fixed on another branch: pending merge of i16-local (the
# scheduler receives the config from the app instead of importing bulletins.config)
# and of i12-browser (crawlers/browser.py and crawlers/check.py become the packages
# crawlers/browser/ and crawlers/check/, which no longer import each other).
# Empty these at merge: `test_the_pending_breaches_are_still_pending` says when.
PENDING_ARROWS: frozenset[tuple[str, str]] = frozenset()
PENDING_CYCLES: frozenset[frozenset[str]] = frozenset()
PENDING_SIZES: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Module:
    name: str  # dotted: crawlers.spiders.bulletin
    path: Path

    @property
    def relative(self) -> str:
        return self.path.relative_to(ROOT).as_posix()

    @property
    def package(self) -> str:
        return self.name.split(".")[0]


@cache
def project_modules() -> dict[str, Module]:
    modules: dict[str, Module] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = Module(".".join(parts), path)
    return modules


def _type_checking_only(tree: ast.AST) -> set[int]:
    """The ids of the nodes under ``if TYPE_CHECKING:`` (imports that never run)."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = node.test
            name = test.id if isinstance(test, ast.Name) else getattr(test, "attr", None)
            if name == "TYPE_CHECKING":
                skipped.update(id(child) for child in ast.walk(node))
    return skipped


def imported_names(module: Module, *, at_run_time: bool) -> Iterator[str]:
    """The dotted names of the modules `module` imports (and of other packages')."""
    tree = ast.parse(module.path.read_text("utf-8"), str(module.path))
    skipped = _type_checking_only(tree) if at_run_time else set()
    here = module.name if module.path.name == "__init__.py" else module.name.rpartition(".")[0]
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = here.split(".")[: len(here.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            for alias in node.names:
                # `from a import b` imports the module a.b when there is one, else a name of a.
                submodule = f"{base}.{alias.name}"
                yield submodule if submodule in project_modules() else base


def module_imports(module: Module) -> set[str]:
    """The project modules `module` imports when it runs."""
    modules = project_modules()
    found = {name for name in imported_names(module, at_run_time=True) if name in modules}
    found.discard(module.name)
    return found


def import_cycles() -> list[frozenset[str]]:
    """The strongly connected groups of modules (Tarjan), each a cycle of imports."""
    graph = {name: module_imports(module) for name, module in project_modules().items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                cycles.append(frozenset(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def forbidden_arrows() -> set[tuple[str, str]]:
    """(module path, package) for each import of a package its package may not import."""
    found = set()
    for module in project_modules().values():
        allowed = ALLOWED_IMPORTS[module.package] | {module.package}
        for name in imported_names(module, at_run_time=False):
            package = name.split(".")[0]
            if package in ALLOWED_IMPORTS and package not in allowed:
                found.add((module.relative, package))
    return found


def long_modules() -> set[str]:
    """The modules over MAX_LINES lines, outside tests and the data tables."""
    found = set()
    skipped = {"tests", "build", "dist"}  # tests, and copies a wheel build leaves
    tops = [p for p in ROOT.iterdir() if p.name not in skipped and not p.name.startswith(".")]
    for path in (f for top in tops for f in ([top] if top.is_file() else top.rglob("*"))):
        relative = path.relative_to(ROOT).as_posix()
        if path.suffix != ".py" or relative in DATA_TABLES:
            continue
        with path.open("rb") as lines:
            if sum(1 for _ in lines) > MAX_LINES:
                found.add(relative)
    return found


def test_the_walk_sees_the_project() -> None:
    modules = project_modules()
    assert {"crawlers.runner", "storage.models", "bulletins.config", "replica"} <= set(modules)
    imports = module_imports(modules["crawlers.runner"])
    assert {"crawlers.settings_model", "storage.models", "crawlers.spiders"} <= imports


def test_each_package_imports_only_what_its_arrows_allow() -> None:
    breaches = forbidden_arrows() - PENDING_ARROWS
    assert not breaches, "imports the architecture does not allow: " + ", ".join(
        f"{path} imports {package}" for path, package in sorted(breaches)
    )


def test_nothing_below_the_app_imports_it_and_storage_and_extraction_stand_alone() -> None:
    for package, allowed in ALLOWED_IMPORTS.items():
        if package != "bulletins":
            assert "bulletins" not in allowed, package
    assert ALLOWED_IMPORTS["storage"] == ALLOWED_IMPORTS["extraction"] == frozenset()


def test_no_module_imports_itself_round_a_loop() -> None:
    cycles = [cycle for cycle in import_cycles() if cycle not in PENDING_CYCLES]
    assert not cycles, "import cycles: " + "; ".join(
        " <-> ".join(sorted(cycle)) for cycle in cycles
    )


def test_no_module_is_over_400_lines() -> None:
    too_long = long_modules() - PENDING_SIZES
    assert not too_long, f"modules over {MAX_LINES} lines: {sorted(too_long)}"


def test_the_pending_breaches_are_still_pending() -> None:
    """Once the branch that fixes a breach is merged, its allowance must go too."""
    fixed = (
        [f"{path} -> {package}" for path, package in PENDING_ARROWS - forbidden_arrows()]
        + [" <-> ".join(sorted(c)) for c in PENDING_CYCLES - set(import_cycles())]
        + sorted(PENDING_SIZES - long_modules())
    )
    assert not fixed, f"fixed, so remove from the PENDING_ allow-lists: {fixed}"
