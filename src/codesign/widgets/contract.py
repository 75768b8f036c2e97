"""The data contract form: which columns the data holds, what each must be, what the gate checks.

A project from the blank preset has no data contract, so the gate has nothing to hold the data
to. This form declares the columns: name, type (in words), required, range, allowed values and
what the gate does about identifiers. "Read the columns of a data file" fills names and types
from a file of the project's ``data/`` folder (:func:`codesign.governance.header.read_columns`):
its header and the types of a sample, never a value; a name that could hold patient data is not
taken (the person types it). The table is a :class:`RecordTable` like the others: an invalid
entry stays shown in red next to its field, one Save saves every form.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, ClassVar, Final

import ipywidgets as ipw

from codesign.charter.model import Column, ColumnType, PhiMode
from codesign.exceptions import CodesignError
from codesign.i18n import N_, _, format_decimal
from codesign.presentation import esc
from codesign.widgets import _ui
from codesign.widgets.binding import (
    Cell,
    RecordRow,
    RecordTable,
    check_cell,
    choice_cell,
    text_cell,
)
from codesign.widgets.plain import EntryError
from codesign.widgets.savebar import SaveBar

if TYPE_CHECKING:
    from pathlib import Path

    from codesign.governance.header import ColumnGuess
    from codesign.widgets.session import CharterSession

TYPE_LABELS: Final = (
    (N_("whole number"), ColumnType.INTEGER.value),
    (N_("number"), ColumnType.NUMBER.value),
    (N_("category"), ColumnType.CATEGORY.value),
    (N_("text"), ColumnType.TEXT.value),
    (N_("yes / no"), ColumnType.BOOLEAN.value),
    (N_("date"), ColumnType.DATE.value),
    (N_("date and time"), ColumnType.DATETIME.value),
)
DEFAULT_PHI: Final = ""
PHI_LABELS: Final = (
    (N_("usual: scan text"), DEFAULT_PHI),
    (N_("scan for identifiers"), PhiMode.SCAN.value),
    (N_("must not be in the data"), PhiMode.FORBIDDEN.value),
    (N_("not scanned"), PhiMode.ALLOWED.value),
)
"""What the gate does about names, phone numbers, NIR... in the column; "usual" scans text
columns and leaves the others; "not scanned" is for a column that holds no identifier (a
pseudonymised key, a measurement)."""


def read_bound(text: str, *, which: str, column: str) -> float | None:
    """A range bound as typed (a decimal comma is a point); ``None`` when left empty."""
    typed = text.strip().replace(" ", "").replace(",", ".")
    if not typed:
        return None
    try:
        value = float(typed)
    except ValueError:
        raise EntryError(_bound_message(which, column)) from None
    if not math.isfinite(value):
        raise EntryError(_bound_message(which, column))
    return int(value) if value.is_integer() else value


def _bound_message(which: str, column: str) -> str:
    return _(
        "{which} of “{column}”: type a number such as 0 or {example}",
        which=which,
        column=column,
        example=format_decimal(12.5),
    )


def allowed_values(text: str) -> list[str] | None:
    """Allowed values typed comma-separated; ``None`` when none."""
    values = [part.strip() for part in text.split(",") if part.strip()]
    return values or None


def allowed_text(values: list[Any] | None) -> str:
    return ", ".join(str(v) for v in values or [])


class ColumnRow(RecordRow[Column]):
    """One column of the contract: name, type, required, range, allowed values, identifiers."""

    model = Column

    def make_cells(self) -> list[Cell]:
        self._bounds: list[float] | None = None
        self.low = _ui.text(placeholder=_("min"), tooltip=_("Smallest value allowed"))
        self.high = _ui.text(placeholder=_("max"), tooltip=_("Largest value allowed"))
        for bound in (self.low, self.high):
            bound.layout = _ui.shared_layout("4.6em")
        bounds = ipw.HBox([self.low, self.high], layout=_ui.shared_layout("9.6em"))
        return [
            text_cell(
                "name",
                _("Column"),
                placeholder=_("Column name"),
                tooltip=_("The column's name, as in the file's header"),
                width="11em",
                flex="1 1 11em",
                min_width="8em",
                read=lambda value: value,
                css="codesign-column-name",
            ),
            choice_cell(
                "type",
                _("Type"),
                _ui.choices(TYPE_LABELS),
                tooltip=_("What kind of values it holds"),
                width="9em",
            ),
            check_cell(
                "required",
                _("Must be there"),
                tooltip=_("The column must be in the data and filled"),
                width="8em",
            ),
            Cell(
                "range",
                _("Range (numbers)"),
                bounds,
                (self.low, self.high),
                self._range,
                self._show_range,
                width="9.6em",
                parts=(_("minimum"), _("maximum")),
            ),
            text_cell(
                "allowed",
                _("Allowed values"),
                placeholder=_("e.g. F, M"),
                tooltip=_("The only values allowed, comma-separated (categories)"),
                width="11em",
                read=allowed_values,
                show=allowed_text,
            ),
            choice_cell(
                "phi",
                _("Identifiers"),
                _ui.choices(PHI_LABELS),
                tooltip=_("What the gate does about names, phone numbers, NIR... in this column"),
                width="15.5em",
                read=lambda value: value or None,
                show=lambda value: value.value if value is not None else DEFAULT_PHI,
            ),
        ]

    def _range(self) -> list[float] | None:
        """The bounds :meth:`validate` read: both numbers, or ``None`` for no range."""
        return self._bounds

    def _show_range(self, bounds: tuple[float, float] | None) -> None:
        low, high = bounds if bounds is not None else ("", "")
        self.low.value, self.high.value = (
            "" if bound == "" else format_decimal(float(bound), 6) for bound in (low, high)
        )

    def _name(self) -> str:
        return str(self.cells[0].inputs[0].value).strip() or _("the new column")

    def validate(self) -> Column | None:
        """Range bounds are checked in plain words first: both numbers, or both empty."""
        column = self._name()
        try:
            low = read_bound(self.low.value, which=_("Minimum"), column=column)
            high = read_bound(self.high.value, which=_("Maximum"), column=column)
        except EntryError as e:
            self.rejected = {"range": [str(e)]}
            self.render()
            return None
        if (low is None) != (high is None):
            self.rejected = {
                "range": [
                    _(
                        "Range of “{column}”: type both the minimum and the maximum, or neither",
                        column=column,
                    )
                ]
            }
            self.render()
            return None
        self._bounds = None if low is None or high is None else [low, high]
        return super().validate()

    def cleared(self) -> None:
        self.low.value = self.high.value = ""


class ContractTable(RecordTable[Column]):
    """The contract's columns, one row each; new columns from the last row or from a file."""

    noun: ClassVar[str] = N_("column")
    controls_width: ClassVar[str] = "7.5em"

    def __init__(self, session: CharterSession) -> None:
        super().__init__(session, ("data_contract", "columns"))

    def make_row(self, *, draft: bool = False) -> RecordRow[Column]:
        return ColumnRow(self, draft=draft)

    def take(self, guesses: list[ColumnGuess]) -> tuple[list[str], list[str], list[str]]:
        """Add the columns of a file not declared yet; returns (added, already there, hidden)."""
        items = self.items()
        declared = {column.name for column in items}
        added, kept, hidden = [], [], []
        for guess in guesses:
            if guess.name is None:
                hidden.append(guess.label)
            elif guess.name in declared:
                kept.append(guess.name)
            else:
                items.append(Column(name=guess.name, type=guess.type))
                declared.add(guess.name)
                added.append(guess.name)
        if added:
            self.refresh()
            self.session.edited(self)
        return added, kept, hidden


class ContractForm:
    """The data contract: read the columns of a data file, edit each, save with the others."""

    def __init__(self, session: CharterSession) -> None:
        self.session = session
        self.table = ContractTable(session)
        self.data_dir = session.path.parent / "data"
        self.file_choice = ipw.Dropdown(
            description=_("Data file"),
            tooltip=_("A CSV or Parquet file of the project's data folder"),
            style=_ui.label_style("9em"),
            layout=_ui.shared_layout(width="24em", max_width="100%"),
        )
        self.read_button = _ui.button(
            _("Read its columns"),
            tooltip=_("Add the file's columns and their types to the contract (never a value)"),
            icon="table",
        )
        self.read_button.on_click(self._clicked)
        self.messages = _ui.Messages()
        self.save_bar = SaveBar(session)
        self.refresh_files()
        self.widget = ipw.VBox(
            [
                ipw.HTML(
                    _ui.message_html(
                        [
                            _(
                                "The columns the data must have: the governance gate checks every "
                                "extract against them before a model is measured on it. Read them "
                                "from a file of the data folder, then adjust each one."
                            )
                        ],
                        _ui.MUTED_COLOUR,
                    )
                ),
                ipw.HBox(
                    [self.file_choice, self.read_button],
                    layout=_ui.shared_layout(width="100%", flex_flow="row wrap"),
                ),
                self.messages.box,
                self.table.heading,
                self.table.body,
                self.table.draft.box,
                self.table.undo_button,
                self.table.messages.box,
                self.save_bar.widget,
            ],
            layout=_ui.shared_layout(width="100%"),
        )
        self.widget.add_class("codesign-contract-form")

    def refresh_files(self) -> None:
        """List the data files of the project's ``data/`` folder (names only)."""
        files = sorted(
            p.name
            for p in (self.data_dir.iterdir() if self.data_dir.is_dir() else ())
            if p.is_file() and not p.is_symlink() and p.suffix.lower() in _data_suffixes()
        )
        self.file_choice.options = files
        if files and self.file_choice.value not in files:
            self.file_choice.value = files[0]
        self.read_button.disabled = not files
        if not files:
            self.messages.info(
                _(
                    "No CSV or Parquet file in the project's data folder yet: add the columns "
                    "one by one below, or put an extract in data/ and reopen this section."
                )
            )

    def _clicked(self, _button: ipw.Button) -> None:
        _ui.guarded(self.messages, _("reading the columns"))(self.read)(self.file_choice.value)

    def read(self, name: str) -> None:
        """Add the columns of ``data/NAME`` to the contract; say what was and was not taken."""
        from codesign.governance.header import read_columns

        path: Path = self.data_dir / name
        try:
            guesses = read_columns(path)
        except CodesignError as e:
            self.messages.show_error(e)
            return
        added, kept, hidden = self.table.take(guesses)
        lines = [
            _(
                "{n} column(s) added from {file} with the types its first rows suggest; check "
                "each type, then Save.",
                n=len(added),
                file=name,
            )
            if added
            else _("No new column in {file}.", file=name)
        ]
        if kept:
            lines.append(_("{n} already declared, left as they are.", n=len(kept)))
        if hidden:
            lines.append(
                _(
                    "The name of {columns} could hold patient data (is the file's header line "
                    "missing?): not added; type its name yourself.",
                    columns=", ".join(hidden),
                )
            )
        self.messages.info(" ".join(lines))

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        columns = self.session.charter.data_contract.columns
        count = _("{n} column(s) in the data contract.", n=len(columns))
        summary = f"<p>{esc(count)}</p>"
        return _ui.displayed(self.widget, fallback_html=summary, **kwargs)


def _data_suffixes() -> tuple[str, ...]:
    from codesign.governance.header import DATA_SUFFIXES

    return DATA_SUFFIXES
