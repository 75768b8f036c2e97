"""The JSON Schema of the charter format, for editors and outside validators.

``codesign charter schema`` prints it; a YAML-aware editor pointed at it (``# yaml-language-server:
$schema=...``) completes field names and flags mistakes while a charter is typed.
"""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel

from codesign.charter.model import Charter
from codesign.charter.registry import REGISTRY

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def charter_schema() -> dict[str, Any]:
    """The charter's JSON Schema (draft 2020-12), with the metric names as an enum."""
    schema = Charter.model_json_schema(mode="validation")
    schema["$schema"] = JSON_SCHEMA_DIALECT
    outcome = schema.get("$defs", {}).get("Outcome", {})
    metric = outcome.get("properties", {}).get("metric")
    if metric is not None:
        metric["enum"] = REGISTRY.names()
        metric["description"] = "; ".join(f"{s.name}: {s.summary}" for s in REGISTRY)
    return schema


def known_fields(loc: tuple[str | int, ...]) -> list[str]:
    """The field names allowed at ``loc`` (``("outcomes", 2)`` → Outcome's fields)."""
    model: type[BaseModel] | None = Charter
    for part in loc:
        if model is None:
            return []
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        model = _model_in(field.annotation) if field is not None else None
    return list(model.model_fields) if model is not None else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model class inside ``X``, ``X | None``, ``list[X]``, or ``None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None
