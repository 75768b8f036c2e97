"""Public names of a package loaded on first use (PEP 562).

``codesign``, ``codesign.tracking`` and ``codesign.reports`` re-export a few names from modules
that import heavy libraries (pandas, MLflow, Papermill); loading them only when a name is used
keeps ``codesign --help`` and a report kernel's start fast. Each package keeps its names under
``TYPE_CHECKING`` for type checkers and editors, and gets its ``__getattr__`` and ``__dir__``
here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence


def attach(
    package: str, names: Mapping[str, str], public: Sequence[str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``.

    ``names`` maps each lazily loaded name to the module that defines it (a full module name);
    ``public`` is the package's ``__all__``, which ``dir()`` lists.
    """

    def getattr_(name: str) -> Any:
        module = names.get(name)
        if module is None:
            msg = f"module {package!r} has no attribute {name!r}"
            raise AttributeError(msg)
        return getattr(importlib.import_module(module), name)

    def dir_() -> list[str]:
        return sorted(public)

    return getattr_, dir_
