"""The outcome charter: the single source of truth of a use case (``codesign.yaml``).

This layer is pure domain: models, their hardened YAML form, hashing, schema and diffs. It imports
no heavy library, so every other layer and the command line can use it cheaply.
"""

from codesign.charter.document import CharterFile, charter_path, load_charter, parse_charter
from codesign.charter.model import (
    Category,
    Charter,
    Column,
    ColumnType,
    DataContract,
    Decision,
    DecisionOption,
    Outcome,
    PhiMode,
    SignOff,
    Stage,
    Target,
)
from codesign.charter.presets import PRESETS, preset_text

__all__ = [
    "PRESETS",
    "Category",
    "Charter",
    "CharterFile",
    "Column",
    "ColumnType",
    "DataContract",
    "Decision",
    "DecisionOption",
    "Outcome",
    "PhiMode",
    "SignOff",
    "Stage",
    "Target",
    "charter_path",
    "load_charter",
    "parse_charter",
    "preset_text",
]
