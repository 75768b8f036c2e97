"""The outcome editor: what success means, one row per outcome, with a target each.

Each row edits one :class:`~codesign.charter.model.Outcome` of the charter: title, category,
metric (from the metric registry, with its one-line explanation under the row), target as an
operator and a number, owner; "More" opens the id, the rationale and the metric's options
(``params``: threshold, triage levels, the metric and column of a subgroup gap). A row is checked
as a whole outcome by the charter's own model, so a metric and its options are judged together
and the messages are the loader's.

Rows are built once and reused: an edit touches only its row, a move or a removal only reorders
the table's children, so a 50-outcome charter stays instant.
"""

from __future__ import annotations

import re
import typing
import weakref
from typing import TYPE_CHECKING, Any, ClassVar, Final

import ipywidgets as ipw

from codesign.charter.model import Category, Outcome, Side
from codesign.charter.registry import REGISTRY, MetricKind
from codesign.charter.tables import outcomes_table
from codesign.presentation import esc
from codesign.widgets import _ui
from codesign.widgets.binding import (
    Cell,
    Input,
    RecordRow,
    RecordTable,
    choice_cell,
    head,
    optional_text,
    setter,
    text_cell,
)
from codesign.widgets.plain import EntryError, read_number
from codesign.widgets.savebar import SaveBar

if TYPE_CHECKING:
    from pydantic.fields import FieldInfo

    from codesign.charter.registry import MetricParams, MetricSpec
    from codesign.widgets.session import CharterSession

OPERATORS: Final = (
    ("at least (>=)", ">="),
    ("at most (<=)", "<="),
    ("more than (>)", ">"),
    ("less than (<)", "<"),
)
CATEGORY_LABELS: Final = {category: category.value.replace("_", " ") for category in Category}
PARAM_LABELS: Final = {
    "threshold": "Alert when the risk score is at least",
    "levels": "Triage levels counted as high acuity",
    "metric": "Measure compared across groups",
    "by": "Groups are the values of",
    "min_group_size": "Leave out groups smaller than",
    "bins": "Number of risk bands",
}
"""A metric's options in words a clinician reads (the charter keeps their short names)."""
_DETAIL_FIELDS: Final = frozenset({"id", "rationale", "params"})
_TARGET_NUMBER: Final = re.compile(r"^\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?\s*$")


def suggest_id(title: str, taken: set[str]) -> str:
    """An outcome id from its title: ``Catch every high-acuity patient`` →
    ``catch_every_high_acuity_patient``.

    Ids name the metric in MLflow, so they are short (whole words, up to 32 characters); a
    taken id gets ``_2``, ``_3``...
    """
    words = re.findall(r"[a-z0-9]+", title.lower())
    base = ""
    for word in words:
        longer = f"{base}_{word}" if base else word
        if base and len(longer) > 32:
            break
        base = longer[:32]
    base = base or "outcome"
    if not base[0].isalpha():
        base = f"outcome_{base}"
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}_{number}", number + 1
    return candidate


def _metric_options() -> list[tuple[str, str]]:
    return [(spec.title, spec.name) for spec in REGISTRY]


class OutcomeRow(RecordRow[Outcome]):
    """One outcome as a row; its details (id, rationale, options) are built when opened."""

    model = Outcome
    table: OutcomeTable

    def __init__(self, table: OutcomeTable, *, draft: bool = False) -> None:
        self.details: ipw.VBox | None = None
        self.detail_inputs: dict[str, Input] = {}
        self.params_box: ipw.VBox | None = None
        self.params_note = ipw.HTML()
        self._params_model: type[MetricParams] | None = None
        self.more = _ui.button(
            "",
            icon="chevron-down",
            tooltip="More: the id, why this target, the metric's options",
            layout=_ui.shared_layout(width="2.6em"),
        )
        self.opened = False
        super().__init__(table, draft=draft)
        self.more.on_click(self._on_more)
        self.box.add_class("codesign-outcome-row" if not draft else "codesign-outcome-new")

    def make_cells(self) -> list[Cell]:
        title = text_cell(
            "title",
            "Outcome",
            placeholder="What success means, in plain words",
            tooltip="What success means, in plain words",
            width="14em",
            flex="1 1 14em",
            min_width="10em",
            read=lambda value: value,
            css="codesign-outcome-title",
        )
        category = choice_cell(
            "category",
            "Category",
            [(label, c.value) for c, label in CATEGORY_LABELS.items()],
            tooltip="What kind of success: accuracy, safety, usability, time saved...",
            width="8.5em",
            css="codesign-outcome-category",
        )
        metric = choice_cell(
            "metric",
            "Measured by",
            _metric_options(),
            tooltip="How it is measured; the explanation shows under the row",
            width="13em",
            css="codesign-outcome-metric",
        )
        op = ipw.Dropdown(
            options=OPERATORS,
            tooltip="Target: at least, at most...",
            layout=_ui.shared_layout("8.5em"),
        )
        number = _ui.text(
            placeholder="0.95", tooltip="Target: the number", layout=_ui.shared_layout("5.5em")
        )
        owner = ipw.Combobox(
            placeholder="Who answers for it",
            tooltip="Who on the hospital side answers for this outcome",
            continuous_update=False,
            layout=_ui.shared_layout("11em"),
        )
        for widget, name in ((op, "target-op"), (number, "target-number"), (owner, "owner")):
            widget.add_class(f"codesign-outcome-{name}")
        self.metric_input = metric.inputs[0]
        self.op_input, self.number_input, self.owner_input = op, number, owner
        self.table.offer_owners(owner)
        target = ipw.HBox(
            [op, number], layout=_ui.shared_layout("14.6em", flex="none", align_items="center")
        )

        def show_target(value: Any) -> None:
            op.value, number.value = value.op, value.number

        return [
            title,
            category,
            metric,
            Cell(
                "target",
                "Target",
                target,
                (op, number),
                lambda: f"{op.value} {self.target_number()}",
                show_target,
                width="14.6em",
                parts=("at least or at most", "number"),
            ),
            Cell(
                "owner",
                "Owner",
                owner,
                (owner,),
                lambda: optional_text(owner.value),
                setter(owner, lambda v: v or ""),
                width="11em",
            ),
        ]

    def make_controls(self) -> list[ipw.Widget]:
        return [self.more, *self.table.row_controls(self)]

    def target_number(self) -> str:
        """The target's number as the charter writes it: ``95 %`` and ``0,95`` become ``0.95``.

        An entry that is no number is passed as typed; :meth:`validate` says what to type.
        """
        typed = str(self.number_input.value).strip()
        try:
            value = read_number(typed, what="", spec=self.spec())
        except EntryError:
            return typed
        return f"{value:g}" if "%" in typed else typed.replace(",", ".")

    def validate(self) -> Outcome | None:
        """A target is checked in plain words first, naming the outcome by its title."""
        title = self.cells[0].read().strip() or "the new outcome"
        try:
            read_number(self.number_input.value, what=f"Target for “{title}”", spec=self.spec())
        except EntryError as e:
            self.rejected = {"target": [str(e)]}
            self.render()
            return None
        return super().validate()

    # the record

    def spec(self) -> MetricSpec | None:
        return REGISTRY.get(self.metric_input.value)

    def candidate(self) -> dict[str, Any]:
        values = super().candidate()
        values["id"] = self._id_value()
        rationale = self.detail_inputs.get("rationale")
        if rationale is not None:
            values["rationale"] = optional_text(rationale.widget.value)
        elif self.record is not None:
            values["rationale"] = self.record.rationale
        values["params"] = self._params_value()
        return {name: value for name, value in values.items() if value is not None}

    def _id_value(self) -> str:
        typed = self.detail_inputs.get("id")
        if typed is not None and typed.widget.value.strip():
            return str(typed.widget.value.strip())
        if self.record is not None and not self.draft:
            return self.record.id
        return suggest_id(self.cells[0].read() or "", self.table.ids())

    def _params_value(self) -> dict[str, Any]:
        """The metric's options: from their inputs once built, else the record's that fit."""
        if self.params_box is not None:
            values: dict[str, Any] = {}
            for name, item in self.detail_inputs.items():
                if name.startswith("params."):
                    value = item.read(item.widget.value)
                    if value is not None:
                        values[name.removeprefix("params.")] = value
            return values
        spec = self.spec()
        fields = spec.params.model_fields if spec else {}
        current = self.record.params if self.record is not None and not self.draft else {}
        return {name: value for name, value in current.items() if name in fields}

    def on_change(self, name: str) -> None:
        if name != "metric":
            return
        spec = self.spec()
        if spec is not None and self.draft and not self.number_input.value.strip():
            self.op_input.value = ">=" if spec.higher_is_better else "<="
        if self.params_box is not None:
            self._build_params()

    # details

    def _on_more(self, _button: ipw.Button) -> None:
        self.table.guard("opening the details", self.open_details, not self.opened)

    def open_details(self, opened: bool = True) -> None:
        """Show (build once) or hide the id, rationale and metric options."""
        if opened and self.details is None:
            self._build_details()
        self.opened = opened
        self.more.icon = "chevron-up" if opened else "chevron-down"
        self.more.tooltip = (
            "Fewer: hide the details"
            if opened
            else "More: the id, why this target, the metric's options"
        )
        children = (self.line, self.notes, self.details) if opened else (self.line, self.notes)
        if self.box.children != children:
            self.box.children = children

    def _build_details(self) -> None:
        style = _ui.label_style("9em")
        wide = _ui.shared_layout("34em")
        id_input = Input(
            "id",
            _ui.text(
                description="Id",
                placeholder="from the title" if self.draft else "",
                tooltip="Short name used for this outcome in tracking (letters, digits, _); "
                "change it only before the first iteration is logged",
                style=style,
                layout=_ui.shared_layout("24em"),
            ),
        )
        rationale = Input(
            "rationale",
            _ui.text(
                description="Why this target",
                placeholder="A guideline, a study, the current practice",
                multiline=True,
                style=style,
                layout=wide,
            ),
        )
        id_input.widget.add_class("codesign-outcome-id")
        self.detail_inputs = {"id": id_input, "rationale": rationale}
        for item in (id_input, rationale):
            item.widget.observe(self._on_detail_change, names="value")
        self.params_box = ipw.VBox(layout=_ui.shared_layout(width="100%"))
        self.details = ipw.VBox(
            [id_input.box, rationale.box, self.params_box],
            layout=_ui.shared_layout(width="100%", margin="0 0 6px 2em"),
        )
        self._build_params()
        self._fill_details()

    def _build_params(self) -> None:
        """Inputs for the current metric's options, rebuilt only when the options differ.

        Metrics sharing their options (sensitivity, specificity...) keep the same inputs, so an
        edit never replaces the input a person is about to tab into.
        """
        if self.params_box is None:
            return
        spec = self.spec()
        options = spec.params if spec else None
        if options is not self._params_model:
            self._params_model = options
            previous = {}
            for name in [n for n in self.detail_inputs if n.startswith("params.")]:
                item = self.detail_inputs.pop(name)
                previous[name] = item.widget.value
                _ui.close_tree(item.box)
            for name, info in options.model_fields.items() if options else ():
                item = _param_input(name, info, self.table)
                if item.name in previous:
                    item.widget.value = previous[item.name]
                item.widget.observe(self._on_detail_change, names="value")
                self.detail_inputs[item.name] = item
        inputs = [item for name, item in self.detail_inputs.items() if name.startswith("params.")]
        title = f"Options of {spec.title.lower()}:" if spec and inputs else ""
        self.params_note.value = _ui.message_html([title], _ui.MUTED_COLOUR) if title else ""
        self.params_box.children = [self.params_note, *(item.box for item in inputs)]

    def _fill_details(self) -> None:
        record = self.record if not self.draft else None
        self._filling = True
        try:
            for name, item in self.detail_inputs.items():
                if name == "id":
                    item.widget.value = record.id if record else ""
                elif name == "rationale":
                    item.widget.value = (record.rationale or "") if record else ""
                else:
                    param = name.removeprefix("params.")
                    value = record.params.get(param) if record else None
                    item.widget.value = _param_text(value)
        finally:
            self._filling = False

    def _on_detail_change(self, change: dict[str, Any]) -> None:
        if self._filling:
            return
        owner = change["owner"]
        name = next((n for n, item in self.detail_inputs.items() if item.widget is owner), "")
        self.table.guard(f"checking the {self.table.noun}", self.table.row_changed, self, name)

    def close(self) -> None:
        super().close()
        if self.details is not None:
            _ui.close_tree(self.details)

    def shown(self, record: Outcome) -> None:
        del record  # the details read it from self.record
        if self.details is not None:
            self._build_params()
            self._fill_details()

    def cleared(self) -> None:
        for item in self.detail_inputs.values():
            if isinstance(item.widget, ipw.Text | ipw.Textarea):
                item.widget.value = ""

    # messages

    def messages(self) -> dict[str, list[str]]:
        """Messages about the details go next to their inputs (opening them); the rest here."""
        messages = super().messages()
        details = {k: v for k, v in messages.items() if head(k) in _DETAIL_FIELDS}
        if details and self.details is None:
            self.open_details()
        for name, item in self.detail_inputs.items():
            item.set_messages(details.pop(name, []))
        return {k: v for k, v in messages.items() if head(k) not in _DETAIL_FIELDS} | details

    def extra_notes(self) -> list[str]:
        spec = self.spec()
        if spec is None:
            return []
        lines = [
            f'<div style="color: {_ui.MUTED_COLOUR}; font-size: 90%; line-height: 1.3">'
            f"<b>{esc(spec.title)}</b>: {esc(spec.summary)}</div>"
        ]
        if self.draft:
            typed = self.detail_inputs.get("id")
            if self.cells[0].read().strip() and (typed is None or not typed.widget.value.strip()):
                note = f"Will be tracked as {self._id_value()} (another id: under More)."
                lines.append(_ui.message_html([note], _ui.MUTED_COLOUR))
        else:
            lines.append(_ui.message_html(self.hints(spec), _ui.HINT_COLOUR))
        return lines

    def hints(self, spec: MetricSpec) -> list[str]:
        """Targets that validate but are probably not meant: out of range, the wrong way round."""
        number, op = self.number_input.value, self.op_input.value
        if not _TARGET_NUMBER.match(number):
            return []
        value = float(number)
        hints = []
        if spec.value_range is not None:
            low, high = spec.value_range
            if not low <= value <= high:
                hints.append(
                    f"{spec.title} goes from {low:g} to {high:g}: a target of {number.strip()} "
                    "is outside that range."
                )
        better = "higher" if spec.higher_is_better else "lower"
        if (op in (">=", ">")) != spec.higher_is_better:
            usual = "at least (>=)" if spec.higher_is_better else "at most (<=)"
            hints.append(
                f"For {spec.title.lower()}, {better} is better: the usual target is {usual}."
            )
        return hints


def _param_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _is_list(annotation: Any) -> bool:
    if typing.get_origin(annotation) is list:
        return True
    return any(_is_list(arg) for arg in typing.get_args(annotation))


def _param_input(name: str, info: FieldInfo, table: OutcomeTable) -> Input:
    """An input for one metric option, from the option's model field (any registered metric)."""
    label = PARAM_LABELS.get(name, name.replace("_", " "))
    tooltip = info.description or label
    style = _ui.label_style("17em")
    default = info.get_default()
    placeholder = "" if default in (None, ...) or info.is_required() else f"default: {default}"
    if name == "metric":
        binary = [(s.title, s.name) for s in REGISTRY if s.kind is MetricKind.BINARY]
        widget: ipw.ValueWidget = ipw.Dropdown(
            options=[("choose a metric", ""), *binary],
            description=PARAM_LABELS["metric"],
            tooltip=tooltip,
            style=style,
            layout=_ui.shared_layout(width="100%", max_width="36em"),
        )
        return Input(f"params.{name}", widget, read=lambda v: v or None)
    if name == "by":
        widget = ipw.Combobox(
            options=table.group_columns(),
            description=PARAM_LABELS["by"],
            tooltip=tooltip,
            placeholder="a column of the data, e.g. sex",
            continuous_update=False,
            style=style,
            layout=_ui.shared_layout(width="100%", max_width="36em"),
        )
        return Input(f"params.{name}", widget, read=optional_text)
    many = _is_list(info.annotation)
    widget = _ui.text(
        description=label,
        placeholder=placeholder or ("e.g. 1, 2" if many else ""),
        tooltip=tooltip + (" Separate several with commas." if many else ""),
        style=style,
        layout=_ui.shared_layout(width="100%", max_width="36em"),
    )
    if many:
        return Input(
            f"params.{name}",
            widget,
            read=lambda v: [p.strip() for p in v.split(",") if p.strip()] or None,
        )
    return Input(f"params.{name}", widget, read=optional_text)


class OutcomeTable(RecordTable[Outcome]):
    """The charter's outcomes as rows; new ones are added from the row below the table."""

    noun: ClassVar[str] = "outcome"
    reorder: ClassVar[bool] = True
    controls_width: ClassVar[str] = "12em"

    def __init__(self, session: CharterSession) -> None:
        self._owner_inputs: weakref.WeakSet[ipw.Combobox] = weakref.WeakSet()
        self.session = session
        self._owners = self._owner_names()
        super().__init__(session, ("outcomes",))

    def make_row(self, *, draft: bool = False) -> OutcomeRow:
        return OutcomeRow(self, draft=draft)

    def ids(self) -> set[str]:
        return {outcome.id for outcome in self.session.charter.outcomes}

    def group_columns(self) -> list[str]:
        """Columns of the data contract that form groups (categories, booleans)."""
        columns = self.session.charter.data_contract.columns
        return [c.name for c in columns if c.type.value in ("category", "boolean")] or [
            c.name for c in columns
        ]

    def offer_owners(self, widget: ipw.Combobox) -> None:
        """Suggest the stakeholders' names in an owner input, and keep them up to date."""
        widget.options = self._owners
        self._owner_inputs.add(widget)

    def _owner_names(self) -> tuple[str, ...]:
        people = self.session.charter.stakeholders
        internal = [s.name for s in people if s.side is Side.INTERNAL]
        return tuple(internal or [s.name for s in people])

    def model_changed(self) -> None:
        owners = self._owner_names()
        if owners != self._owners:
            self._owners = owners
            for widget in self._owner_inputs:
                widget.options = owners


class OutcomeEditor:
    """The workshop's outcome form: the table, a row to add one, and the save bar."""

    def __init__(self, session: CharterSession) -> None:
        self.session = session
        self.table = OutcomeTable(session)
        self.save_bar = SaveBar(session)
        intro = ipw.HTML(
            _ui.message_html(
                [
                    "Each outcome is measured on every iteration of the model. Press Enter or "
                    "Tab after typing; a problem shows in red under the field. More (the "
                    "arrow) opens the id, why this target, and the metric's options."
                ],
                _ui.MUTED_COLOUR,
            )
        )
        self.widget = ipw.VBox(
            [
                intro,
                self.table.heading,
                self.table.body,
                ipw.HTML("<b>New outcome</b>"),
                self.table.draft.box,
                self.table.undo_button,
                self.table.messages.box,
                self.save_bar.widget,
            ],
            layout=_ui.shared_layout(width="100%"),
        )
        self.widget.add_class("codesign-outcome-editor")

    @property
    def rows(self) -> list[OutcomeRow]:
        return typing.cast("list[OutcomeRow]", self.table.rows)

    @property
    def new(self) -> OutcomeRow:
        """The row below the table where a new outcome is typed before Add."""
        return typing.cast("OutcomeRow", self.table.draft)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        table = outcomes_table(self.session.charter)
        return _ui.displayed(self.widget, fallback_html=table._repr_html_(), **kwargs)
