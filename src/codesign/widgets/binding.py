"""Inputs bound to the charter model: what is valid goes into the model, what is not stays shown.

Two shapes cover every workshop form:

* :class:`FieldSet`: labelled inputs for the fields of one model object (the use case, the
  decision's choice). An edit is assigned to the model field; pydantic validates the assignment
  (``validate_assignment``), so an invalid entry never reaches the model and its message, worded
  as the charter loader words it, appears next to the input.
* :class:`RecordTable`: a list of records (outcomes, stakeholders, criteria) as rows of inputs,
  with add, remove (undoable) and optional reorder. A row is validated as a whole record with
  the same model the loader uses, because some fields only make sense together (a metric and
  its options); a valid row replaces its record in the model's list.

Neither keeps data of its own: inputs are filled from the model and written back to it, and
:meth:`refresh` shows the model afresh after a reload.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Final, Generic, TypeVar

import ipywidgets as ipw
from pydantic import BaseModel, ValidationError

from codesign.charter.document import validation_issues
from codesign.charter.model import CrossFieldError
from codesign.exceptions import CharterIssue
from codesign.i18n import N_, _
from codesign.widgets import _ui
from codesign.widgets.session import SessionView

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from codesign.charter.model import Charter
    from codesign.widgets.session import CharterSession

logger = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

NAMED_CLASS: Final = "codesign-named"
"""The inputs of a table row, named for their record by their (visually hidden) label."""
NAMED_CSS: Final = """<style>
.codesign-named > .widget-label, .codesign-named > .widget-label-basic > span {
  position: absolute !important; width: 1px !important; height: 1px !important;
  margin: -1px !important; padding: 0 !important; overflow: hidden !important;
  clip: rect(0 0 0 0); white-space: nowrap !important; border: 0; }
@media (max-width: 640px) {
  .codesign-record-line .codesign-named { flex: 1 1 100% !important; width: 100% !important; }
  .codesign-record-line .codesign-named > .widget-label,
  .codesign-record-line .codesign-named > .widget-label-basic > span {
    position: static !important; width: 100% !important; height: auto !important;
    margin: 0 0 2px 0 !important; overflow: visible !important; clip: auto;
    white-space: normal !important; flex: 1 1 100%; text-align: left; }
}
</style>"""
"""The rule that hides those labels on a wide screen and puts them above their input on a
phone; it comes with every table's headings, so it applies in Voilà and in JupyterLab."""


def field_messages(error: ValidationError | CrossFieldError) -> dict[str, list[str]]:
    """A failed validation's messages by field path (``target``, ``params.threshold``)."""
    messages: dict[str, list[str]] = {}
    for issue in validation_issues(error):
        messages.setdefault(issue.loc, []).append(issue.message)
    return messages


def issues_under(issues: Sequence[CharterIssue], prefix: str) -> dict[str, list[str]]:
    """Issues located under ``prefix``, by the rest of their path.

    Under ``use_case``, ``use_case.title`` is found as ``title``; under ``outcomes``,
    ``outcomes[3].id`` is found as ``[3].id``.
    """
    found: dict[str, list[str]] = {}
    for issue in issues:
        if issue.loc == prefix:
            found.setdefault("", []).append(issue.message)
        elif issue.loc.startswith(f"{prefix}."):
            found.setdefault(issue.loc[len(prefix) + 1 :], []).append(issue.message)
        elif issue.loc.startswith(f"{prefix}["):
            found.setdefault(issue.loc[len(prefix) :], []).append(issue.message)
    return found


def head(path: str) -> str:
    """The field a path starts with: ``intended_users[1]`` → ``intended_users``."""
    return re.split(r"[.\[]", path, maxsplit=1)[0]


def optional_text(value: str) -> str | None:
    """An empty input means "not given"."""
    stripped = value.strip()
    return stripped or None


def text_list(value: str) -> list[str]:
    """Comma-separated entries, as a person types a short list."""
    return [part.strip() for part in value.split(",") if part.strip()]


# --- one model object ---------------------------------------------------------------------------


@dataclass
class Input:
    """One labelled input of a :class:`FieldSet`, bound to the field ``name``."""

    name: str
    widget: ipw.ValueWidget
    read: Callable[[Any], Any] = optional_text
    """Widget value → value assigned to the model."""
    show: Callable[[Any], Any] = lambda value: "" if value is None else str(value)
    """Model value → widget value."""
    error: ipw.HTML = field(default_factory=lambda: ipw.HTML(layout=_ui.hidden()))
    box: ipw.Box = field(init=False)
    """The input and its message, side by side: what a form places."""

    def __post_init__(self) -> None:
        self.box = ipw.HBox(
            [self.widget, self.error], layout=_ui.shared_layout(width="100%", align_items="center")
        )

    def set_messages(self, messages: Sequence[str]) -> None:
        value = _ui.message_html(messages)
        if value != self.error.value:
            self.error.value = value
            self.error.layout = (
                _ui.shared_layout(flex="1 1 12em", margin="0 0 0 0.5em") if value else _ui.hidden()
            )


class FieldSet(SessionView):
    """Inputs for fields of one model object, reached from the charter by ``target``.

    ``prefix`` is where that object sits in the charter (``use_case``), to place its issues.
    """

    def __init__(
        self,
        session: CharterSession,
        target: Callable[[Charter], BaseModel],
        prefix: str,
        inputs: Sequence[Input],
        messages: _ui.Messages,
    ) -> None:
        self.session = session
        self.target = target
        self.prefix = prefix
        self.inputs = {item.name: item for item in inputs}
        self.messages = messages
        self.rejected: dict[str, list[str]] = {}
        """Entries that could not be assigned, by field: they block saving."""
        self._issues: dict[str, list[str]] = {}
        self._filling = False
        for item in inputs:
            item.widget.observe(self._on_change(item), names="value")
        self.refresh()
        session.attach(self)

    def _on_change(self, item: Input) -> Callable[[dict[str, Any]], None]:
        @_ui.guarded(self.messages, _("applying the {field}", field=item.name.replace("_", " ")))
        def changed(_change: dict[str, Any]) -> None:
            if not self._filling:
                self.assign(item)

        return changed

    def assign(self, item: Input) -> None:
        """Assign the input's value to the model field, or keep it aside with its message."""
        model = self.target(self.session.charter)
        try:
            setattr(model, item.name, item.read(item.widget.value))
        except (ValidationError, CrossFieldError) as e:
            self.rejected[item.name] = [
                message for messages in field_messages(e).values() for message in messages
            ]
        else:
            self.rejected.pop(item.name, None)
            self._fill(item, getattr(model, item.name))  # as the model keeps it (trimmed...)
        self._show_messages(item.name)
        self.session.edited(self)

    def refresh(self) -> None:
        model = self.target(self.session.charter)
        self.rejected.clear()
        for item in self.inputs.values():
            self._fill(item, getattr(model, item.name))
            self._show_messages(item.name)

    def show_issues(self, issues: Sequence[CharterIssue]) -> None:
        found = issues_under(issues, self.prefix)
        if found == self._issues:
            return
        names = {head(name) for name in (*found, *self._issues)}
        self._issues = found
        for name in names:
            self._show_messages(name)

    def pending_issues(self) -> list[CharterIssue]:
        return [
            CharterIssue(loc=f"{self.prefix}.{name}", message=message)
            for name, messages in self.rejected.items()
            for message in messages
        ]

    def _fill(self, item: Input, value: Any) -> None:
        shown = item.show(value)
        if item.widget.value != shown:
            self._filling = True
            try:
                item.widget.value = shown
            finally:
                self._filling = False

    def _show_messages(self, name: str) -> None:
        item = self.inputs.get(name)
        if item is None:
            return
        messages = list(self.rejected.get(name, []))
        for loc, more in self._issues.items():
            if head(loc) == name:
                messages += more
        item.set_messages(messages)


# --- a list of records --------------------------------------------------------------------------


@dataclass
class Cell:
    """One column of a record row: its inputs, and how to read them into the record and back."""

    name: str
    """The record field this column edits (``title``, ``target``)."""
    header: str
    """The column's heading, in plain language."""
    widget: ipw.DOMWidget
    """What is placed in the row (an input, or a box of inputs)."""
    inputs: tuple[ipw.ValueWidget, ...]
    read: Callable[[], Any]
    """The raw value for the model; ``None`` leaves the field out (its default applies)."""
    show: Callable[[Any], None]
    """Fill the inputs from the model's value."""
    width: str
    flex: str | None = None
    parts: tuple[str, ...] = ()
    """For a column of several inputs, what each one is ("minimum", "maximum")."""
    normal: tuple[ipw.Layout, ...] = field(init=False)

    def __post_init__(self) -> None:
        self.normal = tuple(widget.layout for widget in self.inputs)

    def mark(self, *, invalid: bool) -> None:
        """Outline the inputs in red while their entry is not valid."""
        for widget, normal in zip(self.inputs, self.normal, strict=True):
            wanted = _ui.outlined(normal) if invalid else normal
            if widget.layout is not wanted:
                widget.layout = wanted


def setter(
    widget: ipw.ValueWidget, convert: Callable[[Any], Any] = lambda v: v
) -> Callable[[Any], None]:
    """A cell's ``show``: fill ``widget`` from the model's value, converted for display."""

    def show(value: Any) -> None:
        widget.value = convert(value)

    return show


def _as_text(value: Any) -> str:
    return "" if value is None else str(value)


def _as_choice(value: Any) -> Any:
    return getattr(value, "value", value)


def text_cell(
    name: str,
    header: str,
    *,
    tooltip: str,
    width: str,
    flex: str | None = None,
    min_width: str | None = None,
    placeholder: str = "",
    read: Callable[[str], Any] = optional_text,
    show: Callable[[Any], str] = _as_text,
    css: str | None = None,
) -> Cell:
    """A text column: what is typed is ``read`` into the field, the field ``show``-n back.

    ``css`` is a class put on the input, for the page's styles and for tests to find it.
    """
    layout = (
        _ui.shared_layout(flex=flex, min_width=min_width)
        if flex
        else _ui.shared_layout(width, min_width=min_width)
        if min_width
        else _ui.shared_layout(width)
    )
    widget = _ui.text(placeholder=placeholder, tooltip=tooltip, layout=layout)
    return _one_input(name, header, widget, read, show, width=width, flex=flex, css=css)


def choice_cell(
    name: str,
    header: str,
    options: Sequence[tuple[str, Any]],
    *,
    tooltip: str,
    width: str,
    read: Callable[[Any], Any] = lambda v: v,
    show: Callable[[Any], Any] = _as_choice,
    css: str | None = None,
) -> Cell:
    """A closed list: (label, value) pairs; the value chosen is ``read`` into the field."""
    widget = ipw.Dropdown(options=list(options), tooltip=tooltip, layout=_ui.shared_layout(width))
    return _one_input(name, header, widget, read, show, width=width, css=css)


def _one_input(
    name: str,
    header: str,
    widget: ipw.ValueWidget,
    read: Callable[[Any], Any],
    show: Callable[[Any], Any],
    *,
    width: str,
    flex: str | None = None,
    css: str | None = None,
) -> Cell:
    """A column of one input: its value ``read`` into the field, the field ``show``-n in it."""
    if css:
        widget.add_class(css)
    return Cell(
        name,
        header,
        widget,
        (widget,),
        lambda: read(widget.value),
        setter(widget, show),
        width=width,
        flex=flex,
    )


def check_cell(name: str, header: str, *, tooltip: str, width: str) -> Cell:
    """A yes/no column; the row names the box for its record (see :meth:`RecordRow.name_inputs`)."""
    widget = ipw.Checkbox(tooltip=tooltip, indent=False, layout=_ui.shared_layout(width))
    return _one_input(name, header, widget, bool, bool, width=width)


class RecordRow(Generic[M]):
    """One record (an outcome, a stakeholder, a criterion) as a row of inputs.

    Subclasses say which model the row edits and build its cells; the table decides what a
    valid row does (replace its record, or for the new-entry row, wait for Add).
    """

    model: ClassVar[type[BaseModel]]
    labelled: ClassVar[bool] = False
    """Its inputs show their own labels (a card of fields, not a table's line): the row
    names them for its record in their tooltips only."""

    def __init__(self, table: RecordTable[M], *, draft: bool = False) -> None:
        self.table = table
        self.draft = draft
        self.record: M | None = None
        """The model record this row shows (the list's item itself, not a copy)."""
        self.rejected: dict[str, list[str]] = {}
        """This row's entries that do not make a valid record, by field path."""
        self.issues: dict[str, list[str]] = {}
        """The charter's problems with this record (a duplicate id), by field path."""
        self._filling = False
        self.cells = self.make_cells()
        self.notes = ipw.HTML(layout=_ui.hidden())
        self.controls = self.make_controls()
        self.controls_box = ipw.HBox(
            self.controls,
            layout=_ui.shared_layout(
                width=table.controls_width, flex="none", justify_content="flex-end"
            ),
        )
        self.line = ipw.HBox(
            [*(cell.widget for cell in self.cells), self.controls_box],
            layout=_ui.shared_layout(width="100%", align_items="center"),
        )
        self.line.add_class("codesign-record-line")  # one input a line on a phone
        self.box = ipw.VBox(
            [self.line, self.notes], layout=_ui.shared_layout(width="100%", margin="0 0 4px 0")
        )
        for cell in self.cells:
            for widget in cell.inputs:
                if not self.labelled:
                    widget.add_class(NAMED_CLASS)
                widget.observe(self._on_change, names="value")
        if draft and not self.labelled:
            self._name_inputs(
                _("of a new {noun}", noun=_(table.noun)), tooltips=False
            )  # keep their help

    # what a subclass provides

    def make_cells(self) -> list[Cell]:
        """The row's columns, in the order they are shown and tabbed through."""
        raise NotImplementedError

    def make_controls(self) -> list[ipw.Widget]:
        """Buttons at the row's end (remove, move)."""
        return self.table.row_controls(self)

    def candidate(self) -> dict[str, Any]:
        """The record as typed: every cell's raw value (``None`` cells left out)."""
        values = {cell.name: cell.read() for cell in self.cells}
        return {name: value for name, value in values.items() if value is not None}

    def extra_notes(self) -> list[str]:
        """More lines of HTML under the row (a metric's explanation, a hint)."""
        return []

    def on_change(self, name: str) -> None:
        """A cell changed (before validation): subclasses adapt dependent inputs."""

    # behaviour

    def _on_change(self, change: dict[str, Any]) -> None:
        if self._filling:
            return
        owner = change["owner"]
        name = next((c.name for c in self.cells if owner in c.inputs), "")
        self.table.guard(_("checking the {noun}", noun=_(self.table.noun)), self._changed, name)

    def _changed(self, name: str) -> None:
        self.on_change(name)
        self.table.row_changed(self, name)

    def validate(self) -> M | None:
        """The record the inputs make, or ``None`` (and :attr:`rejected` says why)."""
        try:
            record: M = self.model.model_validate(self.candidate())  # type: ignore[assignment]
        except (ValidationError, CrossFieldError) as e:
            self.rejected = field_messages(e)
            self.render()
            return None
        self.rejected = {}
        self.render()
        return record

    def show(self, record: M) -> None:
        """Fill the inputs from ``record`` (without treating it as an edit)."""
        self.record = record
        self.rejected = {}
        self._filling = True
        try:
            for cell in self.cells:
                cell.show(getattr(record, cell.name))
            self.name_inputs(record)
            self.shown(record)
        finally:
            self._filling = False
        self.render()

    def name_inputs(self, record: M) -> None:
        """Give each input the name of what it is and for which record ("Target for: Catch
        every high-acuity patient"): its label, linked to the input (so screen readers, and
        ``get_by_label``, tell the rows apart), and its tooltip. The label is hidden on a
        wide screen, where the column's heading says it, and shown above the input on a
        phone, where the row is stacked and the headings are gone (:data:`NAMED_CSS`)."""
        label = _label_text(record)
        if label is not None:
            self._name_inputs(_("for: {record}", record=label))

    def _name_inputs(self, whose: str, *, tooltips: bool = True) -> None:
        for cell in self.cells:
            parts = cell.parts or ("",) * len(cell.inputs)
            for widget, part in zip(cell.inputs, parts, strict=True):
                wanted = _("{column} {whose}", column=cell.header, whose=whose)
                if part:
                    wanted = _("{label} ({part})", label=wanted, part=part)
                if not self.labelled and widget.description != wanted:
                    widget.description = wanted
                if tooltips and widget.tooltip != wanted:
                    widget.tooltip = wanted

    def shown(self, record: M) -> None:
        """Fill inputs beyond the cells (details), inside :meth:`show`."""

    def clear(self) -> None:
        """Empty the inputs (the new-entry row, once its record is added)."""
        self._filling = True
        try:
            for widget in (w for cell in self.cells for w in cell.inputs):
                if isinstance(widget, ipw.Text | ipw.Textarea):
                    widget.value = ""
            self.cleared()
        finally:
            self._filling = False
        self.rejected = {}
        self.render()

    def cleared(self) -> None:
        """Empty inputs beyond the cells, inside :meth:`clear`."""

    def close(self) -> None:
        """Close the row's widgets (it was removed; Undo builds a new one)."""
        _ui.close_tree(self.box)

    def set_issues(self, issues: dict[str, list[str]]) -> None:
        if issues != self.issues:
            self.issues = issues
            self.render()

    def messages(self) -> dict[str, list[str]]:
        """Every message of this row by field path: its rejected entries, then charter issues."""
        merged: dict[str, list[str]] = {k: list(v) for k, v in self.rejected.items()}
        for name, messages in self.issues.items():
            merged.setdefault(name, []).extend(messages)
        return merged

    def render(self) -> None:
        """Show the row's messages: each under its column, the others on lines below."""
        messages = self.messages()
        by_column: dict[int, str] = {}
        lines: list[str] = []
        for name, texts in messages.items():
            index = self._column_of(name)
            if index is None:
                label = name.replace("_", " ").replace(".", " ") or _(self.table.noun)
                lines.extend(_ui.labelled(label, text) for text in texts)
            else:
                by_column[index] = " ".join(texts)
        for index, cell in enumerate(self.cells):
            cell.mark(invalid=index in by_column)
        value = _ui.column_notes(self.columns(), by_column)
        value += _ui.message_html(lines) + "".join(self.extra_notes())
        if value != self.notes.value:
            self.notes.value = value
        wanted = _ui.shared_layout(width="100%") if value else _ui.hidden()
        if self.notes.layout is not wanted:
            self.notes.layout = wanted

    def columns(self) -> list[tuple[str, str | None]]:
        """Width and flex of every part of the row, buttons included."""
        return [*((c.width, c.flex) for c in self.cells), (self.table.controls_width, None)]

    def header(self) -> str:
        """The column headings, as HTML aligned with the row's inputs."""
        return NAMED_CSS + _ui.column_notes(
            self.columns(),
            dict(enumerate(c.header for c in self.cells)),
            colour="inherit",
            weight="bold",
        )

    def _column_of(self, name: str) -> int | None:
        field_name = head(name)
        return next((i for i, cell in enumerate(self.cells) if cell.name == field_name), None)


class RecordTable(SessionView, Generic[M]):
    """A list of the charter (``outcomes``, ``decision.criteria``) as rows of a table."""

    noun: ClassVar[str] = N_("record")
    """What one row is, for messages (marked for the catalogue, translated where shown)."""
    reorder: ClassVar[bool] = False
    controls_width: ClassVar[str] = "7.5em"
    """Room for a row's buttons; the new-entry row's Add button fits in it too."""

    def __init__(self, session: CharterSession, section: tuple[str, ...]) -> None:
        self.session = session
        self.section = section
        self.prefix = ".".join(section)
        self.messages = _ui.Messages()
        self.add_button = _ui.button(
            _("Add"),
            tooltip=_("Add this {noun} to the charter", noun=_(self.noun)),
            icon="plus",
            style="success",
            layout=_ui.shared_layout(width="7em"),
        )
        self.add_button.on_click(self._clicked(_("adding the {noun}", noun=_(self.noun)), self.add))
        self.rows: list[RecordRow[M]] = [self._row_for(record) for record in self.items()]
        self.body = ipw.VBox([row.box for row in self.rows], layout=_ui.shared_layout(width="100%"))
        self.draft = self.make_row(draft=True)
        self.heading = ipw.HTML(self.draft.header(), layout=_ui.shared_layout(width="100%"))
        self.heading.add_class("codesign-record-heading")
        self.undo_button = _ui.button(
            _("Undo remove"),
            tooltip=_("Put back the {noun} removed last", noun=_(self.noun)),
            icon="undo",
            layout=_ui.hidden(),
        )
        self.undo_button.on_click(self._clicked(_("undoing the removal"), self.undo_remove))
        self._removed: list[tuple[int, M]] = []
        session.attach(self)

    # what a subclass provides

    def make_row(self, *, draft: bool = False) -> RecordRow[M]:
        raise NotImplementedError

    def items(self) -> list[M]:
        """The model's list this table edits (the list itself: edits go straight into it)."""
        node: Any = self.session.charter
        for part in self.section:
            node = getattr(node, part)
        items: list[M] = node
        return items

    def row_controls(self, row: RecordRow[M]) -> list[ipw.Widget]:
        """Remove and, where order matters, move buttons; the new-entry row has Add."""
        if row.draft:
            return [self.add_button]
        small = _ui.shared_layout(width="2.6em")
        controls: list[ipw.Widget] = []
        noun = _(self.noun)
        if self.reorder:
            up = _ui.button(
                "", tooltip=_("Move this {noun} up", noun=noun), icon="arrow-up", layout=small
            )
            down = _ui.button(
                "", tooltip=_("Move this {noun} down", noun=noun), icon="arrow-down", layout=small
            )
            moving = _("moving the {noun}", noun=noun)
            up.on_click(self._clicked(moving, lambda: self.move(row, -1)))
            down.on_click(self._clicked(moving, lambda: self.move(row, 1)))
            controls += [up, down]
        remove = _ui.button(
            "", tooltip=_("Remove this {noun}", noun=noun), icon="trash", layout=small
        )
        remove.on_click(
            self._clicked(_("removing the {noun}", noun=noun), lambda: self.remove(row))
        )
        return [*controls, remove]

    # behaviour

    def guard(self, action: str, callback: Callable[..., None], *args: Any) -> None:
        """Run ``callback`` with its errors shown in this table's messages."""
        _ui.guarded(self.messages, action)(callback)(*args)

    def _clicked(self, action: str, callback: Callable[[], None]) -> Callable[[ipw.Button], None]:
        @_ui.guarded(self.messages, action)
        def clicked(_button: ipw.Button) -> None:
            callback()

        return clicked

    def _row_for(self, record: M) -> RecordRow[M]:
        row = self.make_row()
        row.show(record)
        return row

    def row_changed(self, row: RecordRow[M], name: str) -> None:
        """A row was edited: a valid record replaces the old one in the model's list.

        The new-entry row is checked when Add is pressed; an edit only clears the edited
        field's old message there.
        """
        if row.draft:
            row.rejected = {k: v for k, v in row.rejected.items() if head(k) != name}
            row.render()
            return
        record = row.validate()
        if record is not None:
            index = self.rows.index(row)
            items = self.items()
            if record != items[index]:
                items[index] = record
            row.show(record)  # as the model keeps it (trimmed, normalised)
        self.session.edited(self)

    def add(self) -> None:
        """Add the new-entry row's record at the end, if valid and not a duplicate."""
        record = self.draft.validate()
        if record is None:
            self.messages.error(
                _("This {noun} is not added yet: see the entries in red.", noun=_(self.noun))
            )
            return
        items = self.items()
        items.append(record)
        index = len(items) - 1
        here = f"{self.prefix}[{index}]"
        clashes = issues_under(self.session.check(), here)
        if clashes:
            items.pop()
            self.draft.rejected = clashes
            self.draft.render()
            self.messages.error(
                _("This {noun} is not added yet: see the entries in red.", noun=_(self.noun))
            )
            return
        row = self._row_for(record)
        self.rows.append(row)
        self.body.children = (*self.body.children, row.box)
        self.draft.clear()
        self.messages.info(
            _("Added; press Save to keep it in {file}.", file=self.session.path.name)
        )
        self.session.edited(self)

    def remove(self, row: RecordRow[M]) -> None:
        index = self.rows.index(row)
        record = self.items().pop(index)
        self.rows.pop(index).close()
        self._removed.append((index, record))
        self._sync_children()
        self.undo_button.description = _("Undo remove ({record})", record=_label(record))
        self.undo_button.layout = _ui.shared_layout(width="auto")
        self.messages.info(
            _("Removed {record}; Undo puts it back, Save makes it final.", record=_label(record))
        )
        self.session.edited(self)

    def undo_remove(self) -> None:
        if not self._removed:
            return
        index, record = self._removed.pop()
        items = self.items()
        index = min(index, len(items))
        items.insert(index, record)
        self.rows.insert(index, self._row_for(record))
        self._sync_children()
        if self._removed:
            self.undo_button.description = _(
                "Undo remove ({record})", record=_label(self._removed[-1][1])
            )
        else:
            self.undo_button.layout = _ui.hidden()
        self.messages.info(_("Put back {record}.", record=_label(record)))
        self.session.edited(self)

    def move(self, row: RecordRow[M], delta: int) -> None:
        index = self.rows.index(row)
        other = index + delta
        if not 0 <= other < len(self.rows):
            return
        items = self.items()
        items[index], items[other] = items[other], items[index]
        self.rows[index], self.rows[other] = self.rows[other], self.rows[index]
        self._sync_children()
        self.messages.clear()
        self.session.edited(self)

    def _sync_children(self) -> None:
        self.body.children = tuple(row.box for row in self.rows)

    # session hooks

    def refresh(self) -> None:
        """Show the model's list afresh (after a reload), reusing the rows there are."""
        items = self.items()
        for row, record in zip(self.rows, items, strict=False):
            row.show(record)
        for record in items[len(self.rows) :]:
            self.rows.append(self._row_for(record))
        for row in self.rows[len(items) :]:
            row.close()
        del self.rows[len(items) :]
        self._removed.clear()
        self.undo_button.layout = _ui.hidden()
        self._sync_children()

    def show_issues(self, issues: Sequence[CharterIssue]) -> None:
        found = issues_under(issues, self.prefix)
        per_row: dict[int, dict[str, list[str]]] = {}
        for loc, messages in found.items():
            match = re.match(r"^\[(\d+)\]\.?(.*)$", loc)
            if match:
                per_row.setdefault(int(match.group(1)), {})[match.group(2)] = messages
        for index, row in enumerate(self.rows):
            row.set_issues(per_row.get(index, {}))

    def pending_issues(self) -> list[CharterIssue]:
        return [
            CharterIssue(loc=f"{self.prefix}[{index}].{name}".rstrip("."), message=message)
            for index, row in enumerate(self.rows)
            for name, messages in row.rejected.items()
            for message in messages
        ]


def _label_text(record: BaseModel) -> str | None:
    """What people call a record: its title, name or id."""
    for name in ("title", "name", "id"):
        value = getattr(record, name, None)
        if isinstance(value, str):
            return value
    return None


def _label(record: BaseModel) -> str:
    text = _label_text(record)
    return _('"{record}"', record=text) if text is not None else _("the entry")
