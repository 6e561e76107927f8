"""Which lane a test runs in: `make test-fast` leaves out what starts other processes.

A test is in the `child_process` lane when its body, a fixture it uses or a helper of
the test suite either calls (followed through the suite's own functions and classes)
reaches the `subprocess` module: it starts the `bulletins` command, the replica or
another interpreter, seconds each. Found from the code, so a new test of that kind
leaves the fast lane without anyone remembering to mark it.
"""

from __future__ import annotations

import subprocess
import types
from collections.abc import Iterator
from typing import Any

import pytest

_SUBPROCESS = {subprocess, subprocess.run, subprocess.Popen, subprocess.check_output,
               subprocess.check_call, subprocess.call}


def _codes(code: types.CodeType) -> Iterator[types.CodeType]:
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _codes(const)


def _functions_of(obj: Any) -> Iterator[types.FunctionType]:
    """The suite's own code behind a name: a function, or every method of a class."""
    if not isinstance(obj, (types.FunctionType, type)):
        return
    if not str(getattr(obj, "__module__", "")).startswith("tests"):
        return
    if isinstance(obj, types.FunctionType):
        yield obj
    elif isinstance(obj, type):
        for value in vars(obj).values():
            value = getattr(value, "__func__", value)
            if isinstance(value, property):
                value = value.fget
            if isinstance(value, types.FunctionType):
                yield value


def _reaches_subprocess(function: types.FunctionType, seen: set[types.CodeType]) -> bool:
    function = getattr(function, "__wrapped__", function)
    if function.__code__ in seen:
        return False
    seen.add(function.__code__)
    for code in _codes(function.__code__):
        for name in code.co_names:
            if name == "subprocess":  # `import subprocess` inside the function
                return True
            try:
                obj = function.__globals__.get(name)
                if obj in _SUBPROCESS:
                    return True
            except TypeError:  # an unhashable global
                continue
            if any(_reaches_subprocess(f, seen) for f in _functions_of(obj)):
                return True
    return False


def starts_a_child_process(item: pytest.Item) -> bool:
    functions = [getattr(item, "function", None)]
    fixture_info = getattr(item, "_fixtureinfo", None)
    if fixture_info is not None:
        for name in item.fixturenames:  # type: ignore[attr-defined]
            definitions = fixture_info.name2fixturedefs.get(name) or ()
            functions += [definition.func for definition in definitions]
    seen: set[types.CodeType] = set()
    return any(
        _reaches_subprocess(function, seen)
        for candidate in functions
        for function in _functions_of(getattr(candidate, "__func__", candidate))
    )
