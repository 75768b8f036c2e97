"""Hardened YAML reading and comment-preserving writing for charters.

Reading is deliberately strict, because a charter comes from people and from shared folders:

* safe construction only (ruamel.yaml's round-trip loader builds plain maps, lists and strings);
* duplicate keys, anchors, aliases (the "billion laughs" bomb) and explicit tags are refused;
* a size cap and a depth cap apply before anything is built;
* no silent type coercion: every plain scalar is kept as the string the person wrote (``NO``,
  ``0123``, ``1.10``), and only the charter model, which knows each field's type, turns it into a
  number or a boolean. Empty values and ``null``/``~`` are the only scalars resolved here.

Writing goes back through the round-trip document, so comments, key order, quoting and flow
style the person chose survive; only the fields that changed are touched (see :func:`apply`).
"""

from __future__ import annotations

import copy
import io
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.resolver import Resolver, VersionedResolver
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from codesign.config import MAX_CHARTER_BYTES, MAX_YAML_DEPTH
from codesign.exceptions import CharterError, CharterIssue

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

_NULL: Final = re.compile(r"^(?:~|null|Null|NULL|)$")
_ONLY_NULLS: Final = {first: [("tag:yaml.org,2002:null", _NULL)] for first in ("~", "n", "N", "")}
_STANDARD: Final = Resolver()
_STR_TAG: Final = "tag:yaml.org,2002:str"


class _StringResolver(VersionedResolver):
    """Resolves every plain scalar to a string, except empty and null-like ones."""

    @property
    def versioned_resolver(self) -> Any:
        return _ONLY_NULLS


class _SafeComposer(Composer):
    """Refuses anchors, aliases and explicit tags while the node tree is built."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        mark = event.start_mark
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _RefusedError(mark.line + 1, "anchors and aliases (&name, *name) are not allowed")
        tag = getattr(event, "ctag", None)
        if tag is not None and str(tag) not in ("!", _STR_TAG):
            raise _RefusedError(mark.line + 1, f"explicit YAML tags ({tag}) are not allowed")
        return super().compose_node(parent, index)


class _RefusedError(Exception):
    """Internal: the composer met something the charter format forbids."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _yaml() -> YAML:
    """A round-trip YAML instance with the hardened resolver and composer."""
    yaml = YAML(typ="rt")
    yaml.Resolver = _StringResolver
    yaml.Composer = _SafeComposer
    yaml.preserve_quotes = True
    yaml.allow_duplicate_keys = False
    yaml.max_depth = MAX_YAML_DEPTH
    yaml.width = 4096  # never re-wrap a line a person wrote
    return yaml


def parse(data: bytes, source: Path | str) -> CommentedMap:
    """Parse charter bytes into a round-trip mapping; every problem is a :class:`CharterError`."""
    where = str(source)
    if len(data) > MAX_CHARTER_BYTES:
        msg = f"{where}: {len(data)} bytes is over the {MAX_CHARTER_BYTES}-byte limit for a charter"
        raise CharterError(msg, path=_as_path(source))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        msg = f"{where}: not UTF-8 text (byte {e.start})"
        raise CharterError(msg, path=_as_path(source)) from e
    try:
        document = _yaml().load(text)
    except _RefusedError as e:
        raise _error(source, "", e.message, e.line) from None
    except MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = " ".join(str(part) for part in (e.context, e.problem) if part)
        raise _error(source, "", f"invalid YAML: {problem}", line) from e
    except YAMLError as e:
        raise _error(source, "", f"invalid YAML: {e}", None) from e
    if not isinstance(document, CommentedMap):
        kind = "empty" if document is None else type(document).__name__
        msg = f"expected a mapping of fields (schema_version, use_case, ...), got {kind}"
        raise _error(source, "", msg, 1)
    return document


@dataclass(frozen=True)
class Indentation:
    """How a YAML text is indented, so saving keeps its look."""

    mapping: int = 2
    sequence: int = 4
    """Column of a list item's content relative to its parent key."""
    offset: int = 2
    """Column of the dash relative to its parent key."""


_KEY_LINE: Final = re.compile(r"^( +)[^\s#-][^:]*:(\s|$)")


_DASH_LINE: Final = re.compile(r"^( *)- ")
_PARENT_LINE: Final = re.compile(r"^( *)[^\s#-][^:]*:\s*(#.*)?$")


def indentation(text: str) -> Indentation:
    """The indentation ``text`` uses (mapping, list items), defaulting to 2 / 4 / 2.

    Read off the text's lines rather than by parsing it again: loading a charter is on the hot
    path of the portfolio and the forms, and one parse per load is enough.
    """
    lines = text.splitlines()
    mapping = _mapping_indent(lines)
    for index, line in enumerate(lines):
        dash = _DASH_LINE.match(line)
        if dash is None:
            continue
        parent = _previous_content_line(lines, index)
        found = _PARENT_LINE.match(parent) if parent is not None else None
        if found is not None and len(dash.group(1)) >= len(found.group(1)):
            offset = len(dash.group(1)) - len(found.group(1))
            return Indentation(mapping=mapping, sequence=offset + 2, offset=offset)
    return Indentation(mapping=mapping, sequence=mapping + 2, offset=mapping)


def _mapping_indent(lines: list[str]) -> int:
    """How far a nested key sits right of its parent key (``use_case:`` then ``  title:``)."""
    for index, line in enumerate(lines):
        key = _KEY_LINE.match(line)
        if key is None:
            continue
        parent = _previous_content_line(lines, index)
        found = _PARENT_LINE.match(parent) if parent is not None else None
        if found is not None and len(key.group(1)) > len(found.group(1)):
            return len(key.group(1)) - len(found.group(1))
    return 2


def _previous_content_line(lines: list[str], index: int) -> str | None:
    """The nearest line above ``index`` that is neither blank nor a comment."""
    for line in reversed(lines[:index]):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return line
    return None


def dump(document: CommentedMap, indent: Indentation | None = None) -> str:
    """Serialise a round-trip mapping with the given indentation."""
    indent = indent or Indentation()
    yaml = _yaml()
    yaml.indent(mapping=indent.mapping, sequence=indent.sequence, offset=indent.offset)
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    return buffer.getvalue()


def line_of(document: CommentedMap, loc: Sequence[str | int]) -> int | None:
    """1-based line of the deepest part of ``loc`` found in ``document``."""
    node: Any = document
    line: int | None = None
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            line = node.lc.key(part)[0] + 1
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            line = node.lc.item(part)[0] + 1
            node = node[part]
        else:
            break
    return line


def apply(node: Any, old: Any, new: Any) -> Any:
    """Carry the change from ``old`` to ``new`` (both JSON-like) into the round-trip ``node``.

    Returns the node to put in the parent's place. Parts where old and new agree are left
    untouched, comments included; changed scalars are replaced; maps are updated key by key in
    their original order; lists of records (outcomes, columns, stakeholders) are matched by their
    ``id`` or ``name`` so reordering or removing an outcome keeps each one's comments.
    """
    if old == new and node is not None:
        return node
    if isinstance(new, dict) and isinstance(node, CommentedMap):
        return _apply_map(node, old if isinstance(old, dict) else {}, new)
    if isinstance(new, list) and isinstance(node, CommentedSeq):
        return _apply_seq(node, old if isinstance(old, list) else [], new)
    return to_node(new)


def _apply_map(node: CommentedMap, old: dict[str, Any], new: dict[str, Any]) -> CommentedMap:
    for key in [k for k in node if k in old and k not in new]:
        _delete_key(node, key)
    last = next(reversed(node), None)
    for key, value in new.items():
        if key in node:
            updated = apply(node[key], old.get(key), value)
            if updated is not node[key]:
                node[key] = updated
        elif key not in old or old[key] != value:
            node[key] = to_node(value)
    if last is not None and last in node and next(reversed(node)) != last:
        _move_blank_lines(node, last, next(reversed(node)))
    return node


def _move_blank_lines(node: CommentedMap, old_last: Any, new_last: Any) -> None:
    """Keys added at a mapping's end go before the blank lines that closed it, not after.

    ruamel keeps those blank lines on the mapping's last key; without this, a new key would
    come after the gap, detached from its section.
    """
    entry = node.ca.items.get(old_last)
    token = entry[2] if entry and len(entry) > 2 else None
    if token is None or not str(token.value).startswith("\n"):
        return  # no gap, or an end-of-line comment that must stay on its line
    if isinstance(node[old_last], (CommentedMap, CommentedSeq)):
        return  # the gap belongs to the nested block's own last line
    entry[2] = None
    new_entry = node.ca.items.setdefault(new_last, [None, None, None, None])
    if new_entry[2] is None:
        new_entry[2] = token


def _delete_key(node: CommentedMap, key: Any) -> None:
    """Delete ``key`` but keep the comment lines that followed its line.

    ruamel attaches full-line comments to the key before them; once that key is gone they
    belong after the previous key (or, for a first key, to the mapping's start).
    """
    keys = list(node)
    index = keys.index(key)
    entry = node.ca.items.pop(key, None)
    token = entry[2] if entry and len(entry) > 2 else None
    del node[key]
    if token is None or "\n" not in token.value:
        return
    following = token.value[token.value.index("\n") :]  # drop an end-of-line comment
    if not following.strip():
        following = "\n" if following.count("\n") < 2 else "\n\n"
    if index > 0:
        previous = node.ca.items.setdefault(keys[index - 1], [None, None, None, None])
        if previous[2] is None:
            token.value = following
            previous[2] = token
        else:
            previous[2].value = previous[2].value.rstrip(" ") + following.lstrip("\n")
        return
    lines = [line for line in following.split("\n") if line.strip()]
    if lines and len(node):
        from ruamel.yaml.tokens import CommentToken

        start = token.start_mark
        node.ca.comment = node.ca.comment or [None, []]
        if node.ca.comment[1] is None:
            node.ca.comment[1] = []
        for line in lines:
            node.ca.comment[1].append(CommentToken(line.strip() + "\n", start, None))


def _record_key(item: Any) -> Any:
    if isinstance(item, dict):
        for field in ("id", "name"):
            if field in item:
                return (field, item[field])
    return None


def _apply_seq(node: CommentedSeq, old: list[Any], new: list[Any]) -> CommentedSeq:
    old_keys = [_record_key(item) for item in old]
    new_keys = [_record_key(item) for item in new]
    keyed = None not in old_keys and None not in new_keys and len(node) == len(old)
    if not keyed:
        if len(node) == len(old) == len(new):
            for index, value in enumerate(new):
                node[index] = apply(node[index], old[index], value)
            return node
        return _replace_seq(node, new)
    if new_keys[: len(old_keys)] == old_keys:  # same records, maybe some appended
        for index, value in enumerate(new[: len(old)]):
            node[index] = apply(node[index], old[index], value)
        if len(new) > len(old):
            last = node[-1] if len(node) else None
            node.extend(_new_item(node, value) for value in new[len(old) :])
            _move_trailing_comment(last, node[-1])
        return node
    by_key = {key: index for index, key in enumerate(old_keys)}
    renamed = _renamed_in_place(old_keys, new_keys)
    result = CommentedSeq()
    _copy_style(node, result)
    for new_index, value in enumerate(new):
        old_index = by_key.pop(_record_key(value), None)
        if old_index is None and new_index in renamed:
            old_index = by_key.pop(old_keys[renamed[new_index]])
        if old_index is None:
            result.append(_new_item(node, value))
            continue
        result.append(apply(node[old_index], old[old_index], value))
        comment = node.ca.items.get(old_index)
        if comment is not None:
            result.ca.items[new_index] = comment
    if len(node) and len(result):
        _move_trailing_comment(node[-1], result[-1])
    return result


def _new_item(siblings: CommentedSeq, value: Any) -> Any:
    """A record added to a list, in the style of the records already there.

    Stakeholders and columns are usually one-line ``{name: ..., role: ...}`` records: a new one
    is written the same way, not as a block in the middle of one-liners.
    """
    item = to_node(value)
    records = [sibling for sibling in siblings if isinstance(sibling, CommentedMap)]
    if isinstance(item, CommentedMap) and records and all(r.fa.flow_style() for r in records):
        item.fa.set_flow_style()
    return item


def _renamed_in_place(old_keys: list[Any], new_keys: list[Any]) -> dict[int, int]:
    """Records renamed where they stand: a key gone and a new one at the same position.

    Such a record is the same record edited (a stakeholder's name corrected), so it keeps its
    comments, its style and the fields left at their defaults, instead of being rewritten.
    """
    gone, added = set(old_keys) - set(new_keys), set(new_keys) - set(old_keys)
    return {
        index: index
        for index in range(min(len(old_keys), len(new_keys)))
        if old_keys[index] in gone and new_keys[index] in added
    }


def _move_trailing_comment(old_last: Any, new_last: Any) -> None:
    """Keep the blank lines (and comments) that closed a list at its end after a change.

    ruamel stores them on the last key of the last record; when another record becomes last,
    they move to it, so the next section stays separated as the person wrote it.
    """
    if old_last is new_last or not isinstance(old_last, CommentedMap) or not old_last:
        return
    if not isinstance(new_last, CommentedMap) or not new_last:
        return
    old_key = next(reversed(old_last))
    entry = old_last.ca.items.get(old_key)
    token = entry[2] if entry and len(entry) > 2 else None
    if token is None or not str(token.value).startswith("\n"):
        return
    entry[2] = None
    new_key = next(reversed(new_last))
    new_entry = new_last.ca.items.setdefault(new_key, [None, None, None, None])
    if new_entry[2] is None:
        new_entry[2] = token


def _replace_seq(node: CommentedSeq, new: list[Any]) -> CommentedSeq:
    result = CommentedSeq(to_node(value) for value in new)
    _copy_style(node, result)
    return result


def _copy_style(source: CommentedSeq, target: CommentedSeq) -> None:
    if source.fa.flow_style():
        target.fa.set_flow_style()
    if source.ca.comment is not None:
        target.ca.comment = copy.copy(source.ca.comment)
    if source.ca.end:
        target.ca.end = copy.copy(source.ca.end)


def to_node(value: Any) -> Any:
    """A JSON-like value as round-trip YAML, written the way a person would write it.

    Numbers and booleans become plain scalars (``0.95``, ``true``); strings another YAML reader
    would misread (``"2024"``, ``"no"``) or that need quoting (``">= 0.95"``) are double-quoted;
    short lists of scalars use the flow style (``[F, M]``).
    """
    if isinstance(value, dict):
        mapping = CommentedMap()
        for key, item in value.items():
            if item is not None:
                mapping[key] = to_node(item)
        return mapping
    if isinstance(value, list):
        seq = CommentedSeq(to_node(item) for item in value)
        if all(not isinstance(item, dict | list) for item in value) and len(value) <= 12:
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, str):
        return _quoted_if_needed(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _number_text(value)
    return value


def _number_text(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


_NEEDS_QUOTES: Final = re.compile(r"""^[\s!&*#|>%@`'"{}\[\],?:<=-]|: | #|\s$|[\x00-\x1f]""")


def _quoted_if_needed(text: str) -> str:
    """Double-quote strings a YAML reader would misread or that plain style cannot hold."""
    from ruamel.yaml.nodes import ScalarNode

    tag = _STANDARD.resolve(ScalarNode, text, (True, False))
    if str(tag) != _STR_TAG or not text or _NEEDS_QUOTES.search(text):
        quoted: str = DoubleQuotedScalarString(text)
        return quoted
    return text


def _as_path(source: Path | str) -> Path | None:
    from pathlib import Path

    return source if isinstance(source, Path) else Path(source) if source else None


def _error(source: Path | str, loc: str, message: str, line: int | None) -> CharterError:
    issue = CharterIssue(loc=loc, message=message, line=line)
    return CharterError(f"{source}: invalid charter", path=_as_path(source), issues=[issue])
