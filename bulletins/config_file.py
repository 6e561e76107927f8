"""Reading the configuration file: UTF-8 YAML, bounded in depth, errors with a line.

Whatever the file holds, `read_yaml_file` returns the loaded document or raises
`ConfigError` naming the file and the line (and for a decoding error the byte
offset): never a UnicodeDecodeError, RecursionError or a constructor's ValueError.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

MAX_DEPTH = 50  # nesting levels; a real config needs about 6


class ConfigError(Exception):
    """The configuration is unusable; `problems` lists each culprit, one line each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def where(path: Path | None, line: int | None) -> str:
    """``file:line`` (or the file alone) for the start of an error line."""
    name = str(path) if path else "<config>"
    return f"{name}:{line}" if line else name


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, whose value errors say where the value is.

    A few scalars make PyYAML's constructors raise plain exceptions (a date such
    as 2026-02-30, ``!!int x``, ``!!timestamp x``): they become YAML errors with
    the value's line.
    """

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except yaml.YAMLError:
            raise
        except Exception as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read this value ({exc})", node.start_mark
            ) from None


def _decode(raw: bytes, file: Path) -> str:
    """The file's text: UTF-8 (a byte order mark is allowed), else a `ConfigError`."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        guess = " (it looks like UTF-16)" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else ""
        raise ConfigError(
            [
                f"{where(file, line)}: the file is not UTF-8 text{guess}: byte "
                f"0x{raw[exc.start]:02x} at byte offset {exc.start} (line {line}, "
                f"column {column}); save the file as UTF-8"
            ]
        ) from None


def _check_depth(text: str, file: Path) -> None:
    """A `ConfigError` at the first place nested deeper than `MAX_DEPTH`.

    PyYAML builds nested collections by recursion, so very deep nesting would end
    in a RecursionError; the scanner is iterative, so it can measure the depth first.
    """
    depth = 0
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, _OPENING):
                depth += 1
                if depth > MAX_DEPTH:
                    line = token.start_mark.line + 1
                    raise ConfigError(
                        [f"{where(file, line)}: nested more than {MAX_DEPTH} levels deep"]
                    )
            elif isinstance(token, _CLOSING):
                depth -= 1
    except yaml.YAMLError:
        return  # the parse reports it, with its line


_OPENING = (
    yaml.FlowSequenceStartToken,
    yaml.FlowMappingStartToken,
    yaml.BlockSequenceStartToken,
    yaml.BlockMappingStartToken,
)
_CLOSING = (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken, yaml.BlockEndToken)


def _yaml_problem(exc: yaml.YAMLError, text: str) -> tuple[int | None, str]:
    """The line of a YAML error and its message on one line."""
    if isinstance(exc, yaml.MarkedYAMLError):
        # Where the broken construct starts is more useful than where parsing gave up.
        mark = exc.context_mark or exc.problem_mark
        message = " ".join(part for part in (exc.context, exc.problem) if part)
        return (mark.line + 1 if mark is not None else None), " ".join(message.split())
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, exc.position) + 1
        return line, " ".join(str(exc).splitlines()[0].split())
    return None, " ".join(str(exc).split())


def read_yaml_file(file: Path) -> tuple[Any, str]:
    """The YAML document in `file` and its text; `ConfigError` if it cannot be read."""
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise ConfigError([f"{file}: cannot read the configuration: {exc.strerror}"]) from None
    text = _decode(raw, file)
    _check_depth(text, file)
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        line, message = _yaml_problem(exc, text)
        raise ConfigError([f"{where(file, line)}: not valid YAML: {message}"]) from None
    except RecursionError:
        raise ConfigError([f"{file}: the configuration is nested too deeply"]) from None
    return data, text
