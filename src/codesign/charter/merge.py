"""Re-applying one person's unsaved changes on top of a charter someone else saved meanwhile.

A workshop form, a second kernel and a text editor can all edit ``codesign.yaml``. When a save
finds the file changed since it was loaded (:class:`~codesign.exceptions.ConflictError`), nothing
is written; the person can then take the version on disk and re-apply *their* changes to it
(:meth:`CharterFile.rebase <codesign.charter.document.CharterFile.rebase>`). That is a three-way
merge of the charter's data: ``base`` (what they loaded), ``mine`` (what they have now) and
``theirs`` (what is on disk now).

* A part only one side changed takes that side's value.
* Mappings merge key by key; lists of records (outcomes, stakeholders, criteria, sign-offs,
  intended users) merge record by record, matched by ``id`` or ``name`` (or by the whole item),
  so an outcome I edited and an outcome they added both survive.
* Where both changed the same value differently, mine is kept (I am the one about to save and I
  can see the result) and a note says what the other version had, so nothing passes unnoticed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Final

from codesign.charter.diff import _short


class _Missing:
    """A key absent from one version (distinct from a present ``None``)."""

    def __repr__(self) -> str:
        return "<missing>"


MISSING: Final = _Missing()


@dataclass(frozen=True)
class MergeResult:
    """The merged data and, for each value both sides changed, what was decided."""

    data: Any
    overridden: tuple[str, ...]
    """One line per value both sides changed differently; mine was kept."""


def merge_changes(base: Any, mine: Any, theirs: Any) -> MergeResult:
    """Three-way merge of JSON-like charter data (``Charter.model_dump(mode="json")``)."""
    notes: list[str] = []
    data = _merge("", base, mine, theirs, notes)
    return MergeResult(data=data, overridden=tuple(notes))


def _merge(path: str, base: Any, mine: Any, theirs: Any, notes: list[str]) -> Any:
    if mine == base:
        return theirs
    if theirs in (base, mine):
        return mine
    if isinstance(mine, dict) and isinstance(theirs, dict):
        return _merge_maps(path, base if isinstance(base, dict) else {}, mine, theirs, notes)
    if isinstance(mine, list) and isinstance(theirs, list):
        merged = _merge_records(path, base if isinstance(base, list) else [], mine, theirs, notes)
        if merged is not None:
            return merged
    notes.append(
        f"{path or 'charter'}: kept yours ({_shown(mine)}); the other had {_shown(theirs)}"
    )
    return mine


def _merge_maps(
    path: str, base: dict[str, Any], mine: dict[str, Any], theirs: dict[str, Any], notes: list[str]
) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for key in [*theirs, *(k for k in mine if k not in theirs)]:
        value = _merge(
            f"{path}.{key}" if path else key,
            base.get(key, MISSING),
            mine.get(key, MISSING),
            theirs.get(key, MISSING),
            notes,
        )
        if value is not MISSING:
            merged[key] = value
    return merged


def _merge_records(
    path: str, base: list[Any], mine: list[Any], theirs: list[Any], notes: list[str]
) -> list[Any] | None:
    """Merge lists record by record; ``None`` when their items cannot be told apart."""
    keyed = [_keyed(items) for items in (base, mine, theirs)]
    if any(k is None for k in keyed):
        return None
    b, m, t = (k for k in keyed if k is not None)
    order = _record_order(b, m, t)
    merged: list[Any] = []
    for key in order:
        label = f"{path}[{key}]"
        value = _merge(label, b.get(key, MISSING), m.get(key, MISSING), t.get(key, MISSING), notes)
        if value is not MISSING:
            merged.append(value)
    return merged


def _record_order(b: dict[str, Any], m: dict[str, Any], t: dict[str, Any]) -> list[str]:
    """Every record either side still has, in the order of whoever reordered.

    If I reordered the records we share, my order wins and their new records go after the
    record that precedes them on their side; otherwise theirs is the frame and mine go in the
    same way, after what the frame side added at that place.
    """
    mine_shared = [k for k in m if k in b]
    reordered_by_me = mine_shared != [k for k in b if k in m]
    frame, other = (m, t) if reordered_by_me else (t, m)
    order = [k for k in frame if k not in b or k in other or _changed(k, b, frame)]
    for index, key in enumerate(other):
        if key in order or (key in b and key not in frame and not _changed(key, b, other)):
            continue
        predecessors = [k for k in list(other)[:index] if k in order]
        position = order.index(predecessors[-1]) + 1 if predecessors else 0
        while position < len(order) and order[position] not in b and order[position] not in other:
            position += 1  # after what the frame side added there: it was saved first
        order.insert(position, key)
    return order


def _changed(key: str, base: dict[str, Any], side: dict[str, Any]) -> bool:
    return key in side and side[key] != base.get(key, MISSING)


def _keyed(items: list[Any]) -> dict[str, Any] | None:
    """Items by their key (``id``, ``name`` or the item itself); ``None`` if keys repeat."""
    by_key: dict[str, Any] = {}
    for item in items:
        key = _key(item)
        if key in by_key:
            return None
        by_key[key] = item
    return by_key


def _key(item: Any) -> str:
    if isinstance(item, dict):
        for field in ("id", "name"):
            if isinstance(item.get(field), str) and not _has_twin(item, field):
                return str(item[field])
    return json.dumps(item, sort_keys=True, default=str)


def _has_twin(item: dict[str, Any], field: str) -> bool:
    """Sign-offs have a ``name`` but one person signs many versions: key them whole."""
    return field == "name" and "charter_sha256" in item


def _shown(value: Any) -> str:
    return "nothing" if value is MISSING else _short(value)
