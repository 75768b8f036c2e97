"""Report parameters: checked before Papermill injects them into a notebook.

Papermill writes each parameter into the notebook as a line of Python (``name = value``). A name
that is not a plain identifier, or a value Papermill's translator renders as something other
than a literal, would inject code; so names must be ASCII identifiers that are neither keywords
nor private (``_x``, ``__builtins__``), and values must be JSON data: null, booleans, finite
numbers, strings, lists and objects with string keys, nested at most 20 deep, 64 KiB in all.
"""

from __future__ import annotations

import json
import keyword
import math
import re
from typing import TYPE_CHECKING, Final

from codesign.exceptions import ReportError

if TYPE_CHECKING:
    from collections.abc import Mapping

JsonValue = None | bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"]
"""A value Papermill can inject as a Python literal."""

PROJECT_DIR: Final = "project_dir"
"""The parameter the runner sets to each project's folder (DESIGN.md section 3)."""
RESERVED: Final = frozenset({PROJECT_DIR})
MAX_NAME_LENGTH: Final = 64
MAX_DEPTH: Final = 20
MAX_BYTES: Final = 64 * 1024
_NAME: Final = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def validate_parameters(
    parameters: Mapping[str, object], *, reserved: frozenset[str] = RESERVED
) -> dict[str, JsonValue]:
    """``parameters`` checked, as a new dict; :class:`ReportError` names every bad one."""
    problems: list[str] = []
    checked: dict[str, JsonValue] = {}
    for name, value in parameters.items():
        problem = name_problem(name, reserved=reserved) or value_problem(value)
        if problem:
            problems.append(f"parameter {name!r}: {problem}")
        else:
            checked[name] = value  # type: ignore[assignment]  # checked just above
    if not problems:
        size = len(json.dumps(checked, ensure_ascii=False).encode("utf-8"))
        if size > MAX_BYTES:
            problems.append(f"parameters: {size} bytes of JSON, expected at most {MAX_BYTES}")
    if problems:
        raise ReportError("invalid report parameter(s):\n  " + "\n  ".join(problems))
    return checked


def name_problem(name: object, *, reserved: frozenset[str] = RESERVED) -> str | None:
    """Why ``name`` cannot be a parameter name, or ``None``."""
    if not isinstance(name, str) or not _NAME.fullmatch(name) or len(name) > MAX_NAME_LENGTH:
        return (
            f"expected a name of letters, digits and underscores starting with a letter "
            f"(at most {MAX_NAME_LENGTH} characters)"
        )
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        return "is a Python keyword"
    if name in reserved:
        return "is set by codesign for each project; it cannot be given"
    return None


def value_problem(value: object, depth: int = 0) -> str | None:
    """Why ``value`` is not JSON data Papermill can inject, or ``None``."""
    if depth > MAX_DEPTH:
        return f"nested more than {MAX_DEPTH} levels deep"
    if value is None or isinstance(value, (bool, int, str)):
        return None
    if isinstance(value, float):
        return None if math.isfinite(value) else "expected a finite number (no NaN or infinity)"
    if isinstance(value, list):
        return next((p for item in value if (p := value_problem(item, depth + 1))), None)
    if isinstance(value, dict):
        if any(not isinstance(key, str) for key in value):
            return "expected an object with text keys"
        return next((p for item in value.values() if (p := value_problem(item, depth + 1))), None)
    return (
        "expected JSON data (null, true/false, a number, text, a list or an object), "
        f"got a {type(value).__name__}"
    )


def parse_json_value(name: str, text: str) -> JsonValue:
    """Parse a parameter value given as JSON text (``-p NAME VALUE`` on the command line)."""

    def refuse_constant(token: str) -> float:
        msg = f"{token} is not a finite number"
        raise ValueError(msg)

    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > MAX_BYTES:
        msg = f"parameter {name!r}: {size} bytes of JSON, expected at most {MAX_BYTES}"
        raise ReportError(msg)
    if _nesting(text) > MAX_DEPTH:
        # refused before parsing: Python's JSON parser recurses once per level
        msg = f"parameter {name!r}: nested more than {MAX_DEPTH} levels deep"
        raise ReportError(msg)
    try:
        value: JsonValue = json.loads(text, parse_constant=refuse_constant)
    except ValueError as e:
        msg = (
            f"parameter {name!r}: value is not JSON ({e}); expected e.g. 42, 0.5, true, null, "
            f'"text in double quotes", [1, 2] or {{"key": 1}} (use -r NAME VALUE for plain text)'
        )
        raise ReportError(msg) from None
    return value


def _nesting(text: str) -> int:
    """How deep ``[`` and ``{`` nest in JSON text, brackets inside strings not counted.

    A linear scan, so a value of 50,000 opening brackets is measured without recursing.
    """
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest
