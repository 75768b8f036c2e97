"""What the tool is for, and what could harm a patient: the intended use and hazard log forms.

Two workshop forms on the same binding and the same save as the others:

* :class:`IntendedUseForm`: a :class:`FieldSet` over ``charter.intended_use`` (purpose, who uses
  it, where, what it must not be used for, who checks its output, what it does not do well). A
  charter without an intended use (format 1) gets one on the first field someone fills, and
  loses it again when every field is emptied: opened and saved without an edit, a format 1
  charter keeps every byte and its hash.
* :class:`RiskForm`: the hazard log (ISO 14971 / DCB0129) as a :class:`RecordTable`, one card
  per hazard: what can go wrong, why, the effect on the patient, severity and likelihood in
  words, the controls typed one per line as ``measure (owner)``, the levels once the
  controls are in place, and the outcomes that watch for it (ticked from the charter's
  outcomes, never typed). The risk score and its band are computed by
  :class:`~codesign.charter.risk.Hazard` and shown read-only, in words and colour.
"""

from __future__ import annotations

import re
import typing
from typing import TYPE_CHECKING, Any, ClassVar, Final

import ipywidgets as ipw

from codesign.charter.risk import LIKELIHOOD_WORDS, SEVERITY_WORDS, Hazard, IntendedUse, band_of
from codesign.i18n import N_, _
from codesign.presentation import GREY_TEXT, LINE, TONES, esc
from codesign.widgets import _ui
from codesign.widgets.binding import (
    Cell,
    FieldSet,
    Input,
    RecordRow,
    RecordTable,
    head,
    optional_text,
    text_list,
)
from codesign.widgets.savebar import SaveBar

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from codesign.charter import Charter
    from codesign.charter.risk import Band, Control
    from codesign.presentation import Tone
    from codesign.widgets.session import CharterSession

NOT_CHOSEN: Final = 0
"""The "choose" / "not assessed yet" entry of a level input (ipywidgets cannot select ``None``)."""
BANDS: Final[dict[Band, tuple[str, Tone, str]]] = {
    "acceptable": ("✓", "good", N_("acceptable")),
    "ALARP": ("!", "warning", N_("ALARP: reduce it as far as reasonably practicable")),
    "unacceptable": ("✗", "bad", N_("unacceptable")),
}
"""Each band's symbol, tone (its colours in :data:`codesign.presentation.TONES`) and words
(marked for the catalogue: ``_()`` where shown)."""
_OWNER: Final = re.compile(r"^(?P<measure>.*?)\s*\((?P<owner>[^()]*)\)\s*$", re.DOTALL)


def level_options(words: dict[int, str], *, residual: bool = False) -> list[tuple[str, int]]:
    """A 1-5 scale as a closed list in the workshop's language, "choose…" (or, for the levels
    with the controls in place, "not assessed yet") first."""
    empty = _("not assessed yet") if residual else _("choose…")
    levels = ((_("{level}: {words}", level=level, words=_(w)), level) for level, w in words.items())
    return [(empty, NOT_CHOSEN), *levels]


def lines(value: str) -> list[str]:
    """One entry per line: sentences keep their commas."""
    return [line.strip() for line in value.splitlines() if line.strip()]


def parse_controls(text: str) -> list[dict[str, str]]:
    """One measure per line as controls; the owner is optional, in brackets at the line's end.

    ``Nurse confirms level 1-2 (B. Lefèvre)``. Lines, not semicolons, separate measures: a
    measure is a sentence and may hold a semicolon of its own.
    """
    controls: list[dict[str, str]] = []
    for part in text.splitlines():
        stripped = part.strip()
        if not stripped:
            continue
        match = _OWNER.match(stripped)
        if match and match["owner"].strip():
            controls.append({"measure": match["measure"].strip(), "owner": match["owner"].strip()})
        else:
            controls.append({"measure": stripped})
    return controls


def controls_text(controls: Sequence[Control]) -> str:
    """Controls as they are typed: ``measure (owner)``, one per line."""
    return "\n".join(f"{c.measure} ({c.owner})" if c.owner else c.measure for c in controls)


def risk_html(label: str, score: int | None, band: Band | None) -> str:
    """A risk score and its band, read-only: words and symbol, the colour only repeating them."""
    if score is None or band is None:
        unknown = esc(_("{risk}: not assessed yet", risk=label))
        return (
            f'<div style="color: {GREY_TEXT}; line-height: 1.3; padding: 2px 6px; '
            f'border-left: 4px solid {LINE}">{unknown}</div>'
        )
    symbol, tone, words = BANDS[band]
    mark, text = TONES[tone]
    value = _("{score} of 25, {symbol} {words}", score=score, symbol=symbol, words=_(words))
    return (
        f'<div class="codesign-risk codesign-risk-{band.lower()}" style="color: {text}; '
        f'line-height: 1.3; padding: 2px 6px; border-left: 4px solid {mark}">'
        f"{_ui.labelled(esc(label), _ui.bold(value))}</div>"
    )


def _put(charter: Charter, name: str, value: Any) -> None:
    """Set a top-level field of the charter without re-validating the whole charter.

    Assigning re-runs the charter's cross-field rules, which fail (and assign all the same)
    while another form holds a problem; a form edits its part, the save validates the whole.
    """
    charter.__dict__[name] = value


# --- intended use -------------------------------------------------------------------------------


def _intended_use_inputs(charter: Charter) -> list[Input]:
    style = _ui.label_style("14em")
    wide = _ui.shared_layout(width="100%", max_width="52em")
    use_case = charter.use_case

    def text(name: str, label: str, tip: str, *, placeholder: str = "", rows: int = 0) -> ipw.Text:
        widget = _ui.text(
            description=label,
            tooltip=tip,
            placeholder=placeholder,
            style=style,
            layout=wide,
            multiline=rows > 0,
        )
        if rows:
            widget.rows = rows
        widget.add_class(f"codesign-intended-use-{name.replace('_', '-')}")
        return widget

    users = ", ".join(use_case.intended_users)
    return [
        Input(
            "purpose",
            text(
                "purpose",
                _("What it is for"),
                _("The clinical purpose in one or two sentences: what it does, for which patients"),
                placeholder=_("e.g. Suggests a triage level to the nurse at arrival"),
                rows=2,
            ),
        ),
        Input(
            "intended_users",
            text(
                "intended_users",
                _("Who uses it"),
                _("The people who act on what it shows, separated by commas"),
                placeholder=(
                    _("as in the use case: {value}", value=users)
                    if users
                    else _("e.g. triage nurse")
                ),
            ),
            read=text_list,
            show=", ".join,
        ),
        Input(
            "setting",
            text(
                "setting",
                _("Where it is used"),
                _("The ward, department or service"),
                placeholder=(
                    _("as in the use case: {value}", value=use_case.setting)
                    if use_case.setting
                    else _("e.g. adult emergency department")
                ),
            ),
        ),
        Input(
            "out_of_scope",
            text(
                "out_of_scope",
                _("Must not be used for"),
                _(
                    "Patients, places and uses where it must not be used (contraindications), "
                    "one per line"
                ),
                placeholder=_("One per line, e.g. Children under 18"),
                rows=3,
            ),
            read=lines,
            show="\n".join,
        ),
        Input(
            "human_oversight",
            text(
                "human_oversight",
                _("Who checks the output before anything happens"),
                _(
                    "Who looks at what it suggests, and what they check, before a patient is "
                    "affected"
                ),
                placeholder=_("e.g. The triage nurse assigns the level herself"),
                rows=2,
            ),
        ),
        Input(
            "known_limitations",
            text(
                "known_limitations",
                _("What it does not do well"),
                _("Known limitations, as far as known today, one per line"),
                placeholder=_("One per line, e.g. Not tested at another hospital yet"),
                rows=3,
            ),
            read=lines,
            show="\n".join,
        ),
    ]


class IntendedUseFields(FieldSet):
    """The fields of ``charter.intended_use``, created on the first field filled."""

    def __init__(self, session: CharterSession, messages: _ui.Messages) -> None:
        self._blank = IntendedUse()
        super().__init__(
            session,
            self._target,
            "intended_use",
            _intended_use_inputs(session.charter),
            messages,
        )

    def _target(self, charter: Charter) -> IntendedUse:
        return self._blank if charter.intended_use is None else charter.intended_use

    def assign(self, item: Input) -> None:
        charter = self.session.charter
        if charter.intended_use is None:
            if not item.read(item.widget.value):  # nothing typed: nothing to write
                self.rejected.pop(item.name, None)
                self._show_messages(item.name)
                self.session.edited(self)
                return
            _put(charter, "intended_use", IntendedUse())
        super().assign(item)
        if charter.intended_use == IntendedUse():
            # Every field emptied: no intended use, so a format 1 charter stays format 1.
            _put(charter, "intended_use", None)
            self.session.edited(self)


class IntendedUseForm:
    """What the tool is for, for whom, where, and where it must not be used; the save bar."""

    def __init__(self, session: CharterSession) -> None:
        self.session = session
        self.messages = _ui.Messages()
        self.fields = IntendedUseFields(session, self.messages)
        self.save_bar = SaveBar(session)
        intro = ipw.HTML(
            _ui.message_html(
                [
                    _(
                        "What the tool is for and what it must not be used for, in the words of "
                        "the people who will use it. Press Tab after typing; a problem shows in "
                        "red next to the field."
                    )
                ],
                _ui.MUTED_COLOUR,
            )
        )
        self.widget = ipw.VBox(
            [
                intro,
                *(item.box for item in self.fields.inputs.values()),
                self.messages.box,
                self.save_bar.widget,
            ],
            layout=_ui.shared_layout(width="100%"),
        )
        self.widget.add_class("codesign-intended-use-form")
        self.widget.add_class("codesign-stacked")

    def input(self, name: str) -> ipw.ValueWidget:
        """The input of an intended use field (``purpose``, ``out_of_scope``...)."""
        return self.fields.inputs[name].widget

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        use = self.session.charter.intended_use
        purpose = use.purpose if use is not None and use.purpose else _("not written yet")
        heading = _ui.bold(_("What it is for"))
        fallback = f"<p>{_ui.labelled(heading, esc(purpose))}</p>"
        return _ui.displayed(self.widget, fallback_html=fallback, **kwargs)


# --- the hazard log -----------------------------------------------------------------------------


def _plain(name: str, message: str) -> str:
    """A validation message about a hazard in the words of the form."""
    field_name = head(name)
    if message == _("required field missing") and field_name in ("severity", "likelihood"):
        return _("choose a level from 1 to 5")
    if field_name == "id" and "pattern" in message:
        return _("start with a letter, then letters, digits, - . or _ (e.g. H4)")
    duplicate = _filled(_("duplicate {key}, already used at {first}"), message)
    if duplicate:
        return _(
            "another hazard already has the id {id}; choose another",
            id=duplicate["key"].strip("'\""),
        )
    if message == _("residual severity and likelihood go together; set both"):
        return _("with the controls in place, choose both levels or neither")
    unknown = _filled(_("no outcome {outcome} in this charter; expected one of: {known}"), message)
    unknown = unknown or _filled(
        _("no outcome {outcome} in this charter, which has none yet"), message
    )
    if unknown:
        return _(
            "{outcome} is no longer an outcome of the charter: untick it",
            outcome=unknown["outcome"].strip("'\""),
        )
    place = re.match(r"^controls\[(\d+)\]", name)
    if place:
        number = int(place.group(1)) + 1
        prefix = _("measure {n}: {problem}", n=number, problem="")
        if not message.startswith(prefix):
            return _("measure {n}: {problem}", n=number, problem=message)
    return message


def _filled(template: str, message: str) -> dict[str, str] | None:
    """The values a message filled into ``template``'s ``{placeholders}``, if it is that one
    (the form rewords the charter's messages in its own words, in any language)."""
    pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.*?)", re.escape(template))
    match = re.fullmatch(pattern, message, re.DOTALL)
    return match.groupdict() if match else None


class HazardRow(RecordRow[Hazard]):
    """One hazard as a card: what, why, effect, levels, controls, levels after, monitoring."""

    model = Hazard
    labelled = True
    table: HazardTable

    def __init__(self, table: HazardTable, *, draft: bool = False) -> None:
        self.errors: dict[str, ipw.HTML] = {}
        self.risk = ipw.HTML(layout=_ui.shared_layout(flex="1 1 16em", min_width="0"))
        self.residual_risk = ipw.HTML(layout=_ui.shared_layout(flex="1 1 16em", min_width="0"))
        self.outcome_boxes: dict[str, ipw.Checkbox] = {}
        self.monitoring_list = ipw.Box(
            layout=_ui.shared_layout(width="100%", flex_flow="row wrap", align_items="center")
        )
        self._offered: list[tuple[str, str]] = []
        self._controls_shown: str | None = None
        self._observing = False
        super().__init__(table, draft=draft)
        self._observing = True  # the base class observes the first checkboxes; later ones here
        by_name = {cell.name: cell.widget for cell in self.cells}

        def line(*parts: ipw.Widget) -> ipw.HBox:
            return ipw.HBox(
                list(parts),
                layout=_ui.shared_layout(
                    width="100%", flex_flow="row wrap", align_items="flex-start"
                ),
            )

        spacer = ipw.Box(layout=_ui.shared_layout(flex="1 1 0"))
        # Remove sits at the card's top, Add at the end of the new hazard's card.
        first = line(by_name["id"], *(() if draft else (spacer, self.controls_box)))
        self.line.close()  # the base class's one-line layout: a card shows the fields instead
        self.line = first
        self.box.children = (
            first,
            by_name["hazard"],
            line(by_name["cause"], by_name["effect"]),
            line(by_name["severity"], by_name["likelihood"], self.risk),
            line(by_name["controls"]),
            line(by_name["residual_severity"], by_name["residual_likelihood"], self.residual_risk),
            by_name["monitoring"],
            self.notes,
            *((line(spacer, self.controls_box),) if draft else ()),
        )
        self.box.layout = _ui.shared_layout(
            width="100%", border=f"1px solid {LINE}", padding="4px 6px", margin="0 0 8px 0"
        )
        self.box.add_class("codesign-hazard-new" if draft else "codesign-hazard-row")
        self.box.add_class("codesign-stacked")
        self.show_risk()

    # cells

    def _field(self, name: str, widget: ipw.DOMWidget, layout: ipw.Layout) -> ipw.VBox:
        """An input with its message under it."""
        error = ipw.HTML(layout=_ui.hidden())
        self.errors[name] = error
        return ipw.VBox([widget, error], layout=layout)

    def make_cells(self) -> list[Cell]:
        style = _ui.label_style("10em")
        full = _ui.shared_layout(width="100%")
        # Fields side by side keep a gap (padding: the page's boxes count it in their width).
        gap = "0 0.75em 2px 0"
        whole = _ui.shared_layout(width="100%", padding=gap)
        half = _ui.shared_layout(flex="1 1 24em", min_width="0", max_width="100%", padding=gap)
        level = _ui.shared_layout(flex="0 1 22em", min_width="0", max_width="100%", padding=gap)

        def text(name: str, label: str, tip: str, placeholder: str = "", rows: int = 0) -> Any:
            widget = _ui.text(
                description=label,
                tooltip=tip,
                placeholder=placeholder,
                style=style,
                layout=full,
                multiline=rows > 0,
            )
            if rows:
                widget.rows = rows
            widget.add_class(f"codesign-hazard-{name.replace('_', '-')}")
            return widget

        def dropdown(name: str, label: str, tip: str, options: list[tuple[str, int]]) -> Any:
            widget = ipw.Dropdown(
                options=options,
                value=NOT_CHOSEN,
                description=label,
                tooltip=tip,
                style=style,
                layout=full,
            )
            widget.add_class(f"codesign-hazard-{name.replace('_', '-')}")
            return widget

        id_input = text("id", _("Id"), _("A short name for this hazard, e.g. H4"))
        id_input.layout = _ui.shared_layout(width="100%", max_width="17em")
        hazard = text(
            "hazard",
            _("What can go wrong"),
            _("What could happen to a patient because of the tool"),
            _("e.g. A high-acuity patient is suggested a less urgent level"),
            rows=2,
        )
        cause = text(
            "cause",
            _("Why it could happen"),
            _("The cause, if known"),
            _("e.g. Vital signs not measured yet"),
            rows=2,
        )
        effect = text(
            "effect",
            _("Effect on the patient"),
            _("What it would mean for the patient"),
            _("e.g. Delayed care while the patient deteriorates"),
            rows=2,
        )
        severity = dropdown(
            "severity",
            _("Severity"),
            _("How bad for the patient, before any control: 1 minor to 5 catastrophic"),
            level_options(SEVERITY_WORDS),
        )
        likelihood = dropdown(
            "likelihood",
            _("Likelihood"),
            _("How often it could happen, before any control: 1 very rare to 5 very likely"),
            level_options(LIKELIHOOD_WORDS),
        )
        controls = text(
            "controls",
            _("What reduces the risk"),
            _("One measure per line, and who owns it in brackets at the end of the line"),
            _(
                "e.g. The nurse confirms every level 1-2 suggestion (B. Lefèvre)\n"
                "No suggestion without vital signs (D. Rossi)"
            ),
            rows=3,
        )
        residual_severity = dropdown(
            "residual_severity",
            _("Severity with these in place"),
            _("How bad it would be once the measures are in place; not assessed yet if unknown"),
            level_options(SEVERITY_WORDS, residual=True),
        )
        residual_likelihood = dropdown(
            "residual_likelihood",
            _("Likelihood with these in place"),
            _("How often it could happen once the measures are in place"),
            level_options(LIKELIHOOD_WORDS, residual=True),
        )
        self.id_input, self.controls_input = id_input, controls
        self.level_inputs = (severity, likelihood, residual_severity, residual_likelihood)
        self._build_outcome_boxes([(o.id, o.title) for o in self.table.session.charter.outcomes])
        monitoring = ipw.VBox(
            [
                ipw.HTML(
                    _ui.bold(_("Outcomes that watch for it"))
                    + " "
                    + _ui.message_html(
                        [_("Tick the outcomes measured on every iteration that would show it.")],
                        _ui.MUTED_COLOUR,
                    )
                ),
                self.monitoring_list,
            ],
            layout=full,
        )

        def level_of(widget: ipw.Dropdown) -> Callable[[], int | None]:
            return lambda: widget.value or None

        def show_level(widget: ipw.Dropdown) -> Callable[[int | None], None]:
            def show(value: int | None) -> None:
                widget.value = value or NOT_CHOSEN

            return show

        def show_text(widget: ipw.Text) -> Callable[[str | None], None]:
            def show(value: str | None) -> None:
                widget.value = value or ""

            return show

        def read_id() -> str:
            typed = str(id_input.value).strip()
            return typed or (self.table.next_id() if self.draft else "")

        def show_controls(value: list[Control]) -> None:
            self._controls_shown = controls_text(value)
            controls.value = self._controls_shown

        def show_monitoring(value: list[str]) -> None:
            self.offer_outcomes(value)
            for outcome, box in self.outcome_boxes.items():
                box.value = outcome in value

        fields: list[tuple[str, str, ipw.ValueWidget, Callable[[], Any], Any, ipw.Layout]] = [
            (
                "id",
                _("Id"),
                id_input,
                read_id,
                show_text(id_input),
                _ui.shared_layout("17em", max_width="100%", padding=gap),
            ),
            (
                "hazard",
                _("What can go wrong"),
                hazard,
                lambda: hazard.value,
                show_text(hazard),
                whole,
            ),
            ("cause", _("Why"), cause, lambda: optional_text(cause.value), show_text(cause), half),
            (
                "effect",
                _("Effect"),
                effect,
                lambda: optional_text(effect.value),
                show_text(effect),
                half,
            ),
            ("severity", _("Severity"), severity, level_of(severity), show_level(severity), level),
            (
                "likelihood",
                _("Likelihood"),
                likelihood,
                level_of(likelihood),
                show_level(likelihood),
                level,
            ),
            ("controls", _("Controls"), controls, self._read_controls, show_controls, whole),
            (
                "residual_severity",
                _("Severity after"),
                residual_severity,
                level_of(residual_severity),
                show_level(residual_severity),
                level,
            ),
            (
                "residual_likelihood",
                _("Likelihood after"),
                residual_likelihood,
                level_of(residual_likelihood),
                show_level(residual_likelihood),
                level,
            ),
        ]
        cells = [
            Cell(name, header, self._field(name, widget, layout), (widget,), read, show, "auto")
            for name, header, widget, read, show, layout in fields
        ]
        cells.append(
            Cell(
                "monitoring",
                _("Monitored by"),
                self._field("monitoring", monitoring, full),
                tuple(self.outcome_boxes.values()),
                lambda: [o for o, box in self.outcome_boxes.items() if box.value],
                show_monitoring,
                "auto",
            )
        )
        if self.draft:
            id_input.placeholder = self.table.next_id()
        return cells

    def _read_controls(self) -> list[dict[str, Any]]:
        """The typed controls; unchanged text keeps the record's controls exactly as they are."""
        typed = str(self.controls_input.value)
        if self.record is not None and not self.draft and typed == self._controls_shown:
            return [control.model_dump(exclude_none=True) for control in self.record.controls]
        return parse_controls(typed)

    # the outcomes offered for monitoring

    def offer_outcomes(self, keep: Sequence[str] = ()) -> None:
        """One checkbox per outcome of the charter (by title), and for ids ticked that are gone."""
        ticked = [o for o, box in self.outcome_boxes.items() if box.value]
        wanted = [(o.id, o.title) for o in self.table.session.charter.outcomes]
        known = {outcome for outcome, _title in wanted}
        for outcome in [*keep, *ticked]:
            if outcome not in known:
                known.add(outcome)
                wanted.append(
                    (outcome, _("{outcome} (no longer an outcome of the charter)", outcome=outcome))
                )
        if wanted == self._offered:
            return
        self._build_outcome_boxes(wanted, ticked)
        cell = next((c for c in self.cells if c.name == "monitoring"), None)
        if cell is not None:
            cell.inputs = tuple(self.outcome_boxes.values())
            cell.normal = tuple(box.layout for box in cell.inputs)

    def _build_outcome_boxes(
        self, wanted: list[tuple[str, str]], ticked: Sequence[str] = ()
    ) -> None:
        old = self.outcome_boxes
        boxes: dict[str, ipw.Checkbox] = {}
        for outcome, title in wanted:
            box = old.pop(outcome, None)
            if box is None or box.description != title:
                if box is not None:
                    box.close()
                box = ipw.Checkbox(
                    value=outcome in ticked,
                    description=title,
                    tooltip=_("{title} (tracked as {outcome})", title=title, outcome=outcome),
                    indent=False,
                    layout=_ui.shared_layout(width="auto", max_width="100%", margin="0 1.5em 0 0"),
                )
                box.add_class("codesign-hazard-monitor")
                if self._observing:
                    box.observe(self._on_change, names="value")
            boxes[outcome] = box
        for box in old.values():
            box.close()
        self.outcome_boxes = boxes
        self._offered = list(wanted)
        empty = ipw.HTML(
            _ui.message_html([_("No outcome yet: add them under Outcomes.")], _ui.MUTED_COLOUR)
        )
        self.monitoring_list.children = tuple(boxes.values()) or (empty,)

    # behaviour

    def on_change(self, name: str) -> None:
        del name
        self.show_risk()

    def shown(self, record: Hazard) -> None:
        self.risk.value = risk_html(_("Risk before the controls"), record.score, record.band)
        self.residual_risk.value = risk_html(
            _("Risk with the controls"), record.residual_score, record.residual_band
        )

    def show_risk(self) -> None:
        """The score and band of the levels as chosen (the record's once it is valid)."""
        severity, likelihood, after_severity, after_likelihood = (
            widget.value or None for widget in self.level_inputs
        )
        score = severity * likelihood if severity and likelihood else None
        after = after_severity * after_likelihood if after_severity and after_likelihood else None
        self.risk.value = risk_html(
            _("Risk before the controls"), score, None if score is None else band_of(score)
        )
        self.residual_risk.value = risk_html(
            _("Risk with the controls"), after, None if after is None else band_of(after)
        )

    def cleared(self) -> None:
        for widget in self.level_inputs:
            widget.value = NOT_CHOSEN
        for box in self.outcome_boxes.values():
            box.value = False
        self.id_input.placeholder = self.table.next_id()
        self._controls_shown = None
        self.show_risk()

    def validate(self) -> Hazard | None:
        record = super().validate()
        if record is None:
            self.rejected = {
                name: [_plain(name, message) for message in messages]
                for name, messages in self.rejected.items()
            }
            self.render()
        return record

    def messages(self) -> dict[str, list[str]]:
        return {
            name: [_plain(name, message) for message in texts]
            for name, texts in super().messages().items()
        }

    def render(self) -> None:
        """Each message next to its field; those of no field under the card."""
        if not self.errors:
            return
        per_field: dict[str, list[str]] = {}
        others: list[str] = []
        for name, texts in self.messages().items():
            index = self._column_of(name)
            if index is None:
                label = name.replace("_", " ") or _(self.table.noun)
                others.extend(_ui.labelled(label, text) for text in texts)
            else:
                per_field.setdefault(self.cells[index].name, []).extend(texts)
        for cell in self.cells:
            cell.mark(invalid=cell.name in per_field)
            error = self.errors[cell.name]
            value = _ui.message_html(per_field.get(cell.name, []))
            if value != error.value:
                error.value = value
                error.layout = _ui.shared_layout(width="100%") if value else _ui.hidden()
        value = _ui.message_html(others)
        if value != self.notes.value:
            self.notes.value = value
        wanted = _ui.shared_layout(width="100%") if value else _ui.hidden()
        if self.notes.layout is not wanted:
            self.notes.layout = wanted


class HazardTable(RecordTable[Hazard]):
    """The charter's hazard log as cards; new hazards are added from the card below."""

    noun: ClassVar[str] = N_("hazard")
    controls_width: ClassVar[str] = "7.5em"

    def __init__(self, session: CharterSession) -> None:
        super().__init__(session, ("risks",))

    def make_row(self, *, draft: bool = False) -> HazardRow:
        return HazardRow(self, draft=draft)

    def next_id(self) -> str:
        """``H`` and the number after the highest ``H<number>`` in the log: ids are never reused."""
        numbers = [
            int(match.group(1))
            for hazard in self.session.charter.risks
            if (match := re.fullmatch(r"H(\d+)", hazard.id))
        ]
        return f"H{max(numbers, default=0) + 1}"

    def model_changed(self) -> None:
        """Outcomes added, renamed or removed elsewhere: offer them for monitoring."""
        for row in [*self.rows, self.draft]:
            typing.cast("HazardRow", row).offer_outcomes()
        draft = typing.cast("HazardRow", self.draft)
        draft.id_input.placeholder = self.next_id()


class RiskForm:
    """The hazard log: one card per hazard, a card to add one, and the save bar."""

    def __init__(self, session: CharterSession) -> None:
        self.session = session
        self.table = HazardTable(session)
        self.save_bar = SaveBar(session)
        intro = ipw.HTML(
            _ui.message_html(
                [
                    _(
                        "One card per way the tool could harm a patient. Severity goes from 1 "
                        "(minor) to 5 (catastrophic), likelihood from 1 (very rare) to 5 (very "
                        "likely); the risk is their product: acceptable up to 4, ALARP from 5 to "
                        "12 (reduce it as far as reasonably practicable), unacceptable from 15. "
                        "Press Tab after typing; a problem shows in red under the field."
                    )
                ],
                _ui.MUTED_COLOUR,
            )
        )
        self.widget = ipw.VBox(
            [
                intro,
                self.table.body,
                ipw.HTML(_ui.bold(_("New hazard"))),
                self.table.draft.box,
                self.table.undo_button,
                self.table.messages.box,
                self.save_bar.widget,
            ],
            layout=_ui.shared_layout(width="100%"),
        )
        self.widget.add_class("codesign-risk-form")

    @property
    def rows(self) -> list[HazardRow]:
        return typing.cast("list[HazardRow]", self.table.rows)

    @property
    def new(self) -> HazardRow:
        """The card below the log where a new hazard is typed before Add."""
        return typing.cast("HazardRow", self.table.draft)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        items = "".join(
            "<li>"
            + esc(
                _(
                    "{id}: {hazard} (risk {score}, {band})",
                    id=h.id,
                    hazard=h.hazard,
                    score=h.score,
                    band=h.band,
                )
            )
            + "</li>"
            for h in self.session.charter.risks
        )
        heading = _ui.bold(_("Risks to patients"))
        fallback = f"<p>{heading}</p><ul>{items}</ul>" if items else ""
        return _ui.displayed(self.widget, fallback_html=fallback, **kwargs)
