"""codesign: co-design AI use cases with hospital teams, from outcome charter to portfolio.

The few names most users need are importable from here; they are loaded on first use (PEP 562),
so ``import codesign`` and ``codesign --help`` stay fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from codesign._lazy import attach

if TYPE_CHECKING:
    from codesign.charter import Charter, CharterFile, load_charter
    from codesign.exceptions import CodesignError

__all__ = ["Charter", "CharterFile", "CodesignError", "__version__", "load_charter"]

_LAZY = {
    "Charter": "codesign.charter",
    "CharterFile": "codesign.charter",
    "load_charter": "codesign.charter",
    "CodesignError": "codesign.exceptions",
}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("codesign")
    except PackageNotFoundError:  # pragma: no cover - a source tree without install
        return "0+unknown"


_lazy_getattr, __dir__ = attach(__name__, _LAZY, __all__)


def __getattr__(name: str) -> Any:
    if name == "__version__":
        return _version()
    return _lazy_getattr(name)
