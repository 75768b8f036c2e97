"""What changed between two versions of a charter, in words a workshop reads.

Used to review what a workshop changed (``codesign diff old.yaml new.yaml``), and to tell a
person whose save conflicted what the other writer did. Lists of records are matched by their key
(an outcome's ``id``, a column's or stakeholder's ``name``), so a reordered list reads as
"moved", not as everything removed and added again.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator

    from codesign.charter.model import Charter


class ChangeKind(StrEnum):
    """How a part of the charter changed."""

    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    MOVED = "moved"


@dataclass(frozen=True)
class Change:
    """One change: where (``outcomes[sensitivity].target``), how, and the two values."""

    path: str
    kind: ChangeKind
    old: Any = None
    new: Any = None

    def describe(self) -> str:
        """One line for a person: ``outcomes[sens].target: ">= 0.9" → ">= 0.95"``."""
        if self.kind is ChangeKind.ADDED:
            return f"{self.path}: added {_short(self.new)}"
        if self.kind is ChangeKind.REMOVED:
            return f"{self.path}: removed (was {_short(self.old)})"
        if self.kind is ChangeKind.MOVED:
            return f"{self.path}: moved from position {self.old + 1} to {self.new + 1}"
        return f"{self.path}: {_short(self.old)} → {_short(self.new)}"


def diff_charters(old: Charter, new: Charter, *, include_signoffs: bool = True) -> list[Change]:
    """Every change from ``old`` to ``new``, in document order."""
    exclude = None if include_signoffs else {"signoffs"}
    return list(
        _diff(
            "",
            old.model_dump(mode="json", exclude=exclude),
            new.model_dump(mode="json", exclude=exclude),
        )
    )


def describe_changes(old: Charter, new: Charter) -> list[str]:
    """:func:`diff_charters` as lines of text."""
    return [change.describe() for change in diff_charters(old, new)]


def _diff(path: str, old: Any, new: Any) -> Iterator[Change]:
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*old, *(k for k in new if k not in old)]:
            sub = f"{path}.{key}" if path else key
            before, after = old.get(key), new.get(key)
            if _empty(before) and not _empty(after):
                yield Change(sub, ChangeKind.ADDED, new=after)
            elif _empty(after) and not _empty(before):
                yield Change(sub, ChangeKind.REMOVED, old=before)
            else:
                yield from _diff(sub, before, after)
        return
    if isinstance(old, list) and isinstance(new, list) and _keyed(old) and _keyed(new):
        yield from _diff_records(path, old, new)
        return
    yield Change(path, ChangeKind.CHANGED, old=old, new=new)


def _empty(value: Any) -> bool:
    return value is None or value in ([], {})


def _key(item: dict[str, Any]) -> str:
    return str(item.get("id", item.get("name")))


def _keyed(items: list[Any]) -> bool:
    keys = [_key(i) for i in items if isinstance(i, dict) and ("id" in i or "name" in i)]
    return len(keys) == len(items) and len(set(keys)) == len(keys)


def _diff_records(
    path: str, old: list[dict[str, Any]], new: list[dict[str, Any]]
) -> Iterator[Change]:
    old_by_key = {_key(item): (index, item) for index, item in enumerate(old)}
    new_by_key = {_key(item): (index, item) for index, item in enumerate(new)}
    old_order = [k for k in old_by_key if k in new_by_key]
    new_order = [k for k in new_by_key if k in old_by_key]
    for key, (_, item) in old_by_key.items():
        if key not in new_by_key:
            yield Change(f"{path}[{key}]", ChangeKind.REMOVED, old=_label(item))
    for key, (index, item) in new_by_key.items():
        sub = f"{path}[{key}]"
        if key not in old_by_key:
            yield Change(sub, ChangeKind.ADDED, new=_label(item))
            continue
        old_index, old_item = old_by_key[key]
        if old_order.index(key) != new_order.index(key):
            yield Change(sub, ChangeKind.MOVED, old=old_index, new=index)
        yield from _diff(sub, old_item, item)


def _label(item: dict[str, Any]) -> str:
    """A record's short label: its title or name."""
    return str(item.get("title") or item.get("name") or item.get("id"))


def _short(value: Any) -> str:
    if isinstance(value, str):
        text = value if len(value) <= 70 else value[:67] + "..."
        return f'"{text}"'
    if isinstance(value, list):
        return "[" + ", ".join(_short(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_short(v)}" for k, v in value.items()) + "}"
    if value is None:
        return "nothing"
    return str(value)
