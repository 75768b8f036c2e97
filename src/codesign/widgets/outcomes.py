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
from codesign.i18n import N_, _, format_decimal, format_written_number
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
    (N_("at least (>=)"), ">="),
    (N_("at most (<=)"), "<="),
    (N_("more than (>)"), ">"),
    (N_("less than (<)"), "<"),
)
PARAM_LABELS: Final = {
    "threshold": N_("Alert when the risk score is at least"),
    "levels": N_("Triage levels counted as high acuity"),
    "metric": N_("Measure compared across groups"),
    "by": N_("Groups are the values of"),
    "min_group_size": N_("Leave out groups smaller than"),
    "bins": N_("Number of risk bands"),
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


def metric_options() -> list[tuple[str, str]]:
    """The registered metrics as a closed list, by their names in the workshop's language."""
    return [(spec.display_title, spec.name) for spec in REGISTRY]


def category_options() -> list[tuple[str, str]]:
    """The kinds of success as a closed list, in the workshop's language."""
    return [(category.label, category.value) for category in Category]


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
            tooltip=_("More: the id, why this target, the metric's options"),
            layout=_ui.shared_layout(width="2.6em"),
        )
        self.opened = False
        super().__init__(table, draft=draft)
        self.more.on_click(self._on_more)
        self.box.add_class("codesign-outcome-row" if not draft else "codesign-outcome-new")

    def make_cells(self) -> list[Cell]:
        title = text_cell(
            "title",
            _("Outcome"),
            placeholder=_("What success means, in plain words"),
            tooltip=_("What success means, in plain words"),
            width="14em",
            flex="1 1 14em",
            min_width="10em",
            read=lambda value: value,
            css="codesign-outcome-title",
        )
        category = choice_cell(
            "category",
            _("Category"),
            category_options(),
            tooltip=_("What kind of success: accuracy, safety, usability, time saved..."),
            width="9.5em",
            css="codesign-outcome-category",
        )
        metric = choice_cell(
            "metric",
            _("Measured by"),
            metric_options(),
            tooltip=_("How it is measured; the explanation shows under the row"),
            width="13em",
            css="codesign-outcome-metric",
        )
        op = ipw.Dropdown(
            options=_ui.choices(OPERATORS),
            tooltip=_("Target: at least, at most..."),
            layout=_ui.shared_layout("8.5em"),
        )
        number = _ui.text(
            placeholder=format_decimal(0.95),
            tooltip=_("Target: the number"),
            layout=_ui.shared_layout("5.5em"),
        )
        owner = ipw.Combobox(
            placeholder=_("Who answers for it"),
            tooltip=_("Who on the hospital side answers for this outcome"),
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
            op.value, number.value = value.op, format_written_number(value.number)

        return [
            title,
            category,
            metric,
            Cell(
                "target",
                _("Target"),
                target,
                (op, number),
                lambda: f"{op.value} {self.target_number()}",
                show_target,
                width="14.6em",
                parts=(_("at least or at most"), _("number")),
            ),
            Cell(
                "owner",
                _("Owner"),
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
        title = self.cells[0].read().strip() or _("the new outcome")
        try:
            read_number(
                self.number_input.value,
                what=_("Target for “{outcome}”", outcome=title),
                spec=self.spec(),
            )
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
        self.table.guard(_("opening the details"), self.open_details, not self.opened)

    def open_details(self, opened: bool = True) -> None:
        """Show (build once) or hide the id, rationale and metric options."""
        if opened and self.details is None:
            self._build_details()
        self.opened = opened
        self.more.icon = "chevron-up" if opened else "chevron-down"
        self.more.tooltip = (
            _("Fewer: hide the details")
            if opened
            else _("More: the id, why this target, the metric's options")
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
                description=_("Id"),
                placeholder=_("from the title") if self.draft else "",
                tooltip=_(
                    "Short name used for this outcome in tracking (letters, digits, _); "
                    "change it only before the first iteration is logged"
                ),
                style=style,
                layout=_ui.shared_layout("24em"),
            ),
        )
        rationale = Input(
            "rationale",
            _ui.text(
                description=_("Why this target"),
                placeholder=_("A guideline, a study, the current practice"),
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
        title = (
            _("Options of {metric}:", metric=spec.display_title.lower()) if spec and inputs else ""
        )
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
        self.table.guard(
            _("checking the {noun}", noun=_(self.table.noun)), self.table.row_changed, self, name
        )

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
            f"{_ui.labelled(_ui.bold(spec.display_title), esc(spec.display_summary))}</div>"
        ]
        if self.draft:
            typed = self.detail_inputs.get("id")
            if self.cells[0].read().strip() and (typed is None or not typed.widget.value.strip()):
                note = _("Will be tracked as {id} (another id: under More).", id=self._id_value())
                lines.append(_ui.message_html([note], _ui.MUTED_COLOUR))
        else:
            lines.append(_ui.message_html(self.hints(spec), _ui.HINT_COLOUR))
        return lines

    def hints(self, spec: MetricSpec) -> list[str]:
        """Targets that validate but are probably not meant: out of range, the wrong way round."""
        number, op = self.target_number(), self.op_input.value
        if not _TARGET_NUMBER.match(number):
            return []
        value = float(number)
        hints = []
        if spec.value_range is not None:
            low, high = spec.value_range
            if not low <= value <= high:
                hints.append(
                    _(
                        "{metric} goes from {low} to {high}: a target of {target} is outside "
                        "that range.",
                        metric=spec.display_title,
                        low=format_decimal(low),
                        high=format_decimal(high),
                        target=format_written_number(number),
                    )
                )
        if (op in (">=", ">")) != spec.higher_is_better:
            metric = spec.display_title.lower()
            hints.append(
                _(
                    "For {metric}, higher is better: the usual target is at least (>=).",
                    metric=metric,
                )
                if spec.higher_is_better
                else _(
                    "For {metric}, lower is better: the usual target is at most (<=).",
                    metric=metric,
                )
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
    label = _(PARAM_LABELS[name]) if name in PARAM_LABELS else name.replace("_", " ")
    tooltip = info.description or label
    style = _ui.label_style("17em")
    default = info.get_default()
    placeholder = (
        "" if default in (None, ...) or info.is_required() else _("default: {value}", value=default)
    )
    if name == "metric":
        binary = [(s.display_title, s.name) for s in REGISTRY if s.kind is MetricKind.BINARY]
        widget: ipw.ValueWidget = ipw.Dropdown(
            options=[(_("choose a metric"), ""), *binary],
            description=label,
            tooltip=tooltip,
            style=style,
            layout=_ui.shared_layout(width="100%", max_width="36em"),
        )
        return Input(f"params.{name}", widget, read=lambda v: v or None)
    if name == "by":
        widget = ipw.Combobox(
            options=table.group_columns(),
            description=label,
            tooltip=tooltip,
            placeholder=_("a column of the data, e.g. sex"),
            continuous_update=False,
            style=style,
            layout=_ui.shared_layout(width="100%", max_width="36em"),
        )
        return Input(f"params.{name}", widget, read=optional_text)
    many = _is_list(info.annotation)
    widget = _ui.text(
        description=label,
        placeholder=placeholder or (_("e.g. 1, 2") if many else ""),
        tooltip=_("{help} Separate several with commas.", help=tooltip) if many else tooltip,
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

    noun: ClassVar[str] = N_("outcome")
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
                    _(
                        "Each outcome is measured on every iteration of the model. Press Enter "
                        "or Tab after typing; a problem shows in red under the field. More (the "
                        "arrow) opens the id, why this target, and the metric's options."
                    )
                ],
                _ui.MUTED_COLOUR,
            )
        )
        self.widget = ipw.VBox(
            [
                intro,
                self.table.heading,
                self.table.body,
                ipw.HTML(_ui.bold(_("New outcome"))),
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
