"""The build / buy / partner decision: weighted criteria scored per option, with a live chart.

Each criterion (time to value, control, vendor dependency, governance burden, integration
effort, cost, or the workshop's own) has a weight and a score from 1 (worst) to 5 (best) for
each option; :meth:`Decision.weighted_scores` gives each option's weighted mean, shown as a
table and a bar chart that update as scores change. The choice itself stays the people's: the
form records it next to the scores, it does not pick the highest.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any, ClassVar, Final

import ipywidgets as ipw

from codesign.charter.model import DEFAULT_CRITERIA, Criterion, DecisionOption
from codesign.charter.tables import decision_table
from codesign.i18n import N_, _, format_decimal
from codesign.widgets import _ui
from codesign.widgets.binding import Cell, FieldSet, Input, RecordRow, RecordTable, setter
from codesign.widgets.savebar import SaveBar
from codesign.widgets.session import SessionView

if TYPE_CHECKING:
    from collections.abc import Callable

    from codesign.charter.model import Decision
    from codesign.widgets.session import CharterSession

NOT_SCORED: Final = 0.0
"""The "–" choice of a score input: ipywidgets cannot show ``None`` as a selected option."""
_SCORES: Final = [("–", NOT_SCORED), *((str(n), float(n)) for n in range(1, 6))]
_CHOICES: Final = (
    (N_("undecided"), ""),
    (N_("build"), DecisionOption.BUILD.value),
    (N_("buy"), DecisionOption.BUY.value),
    (N_("partner"), DecisionOption.PARTNER.value),
)
_BAR_COLOURS: Final = {"build": "#4477aa", "buy": "#ccbb44", "partner": "#228833"}
"""Paul Tol's colour-blind safe palette."""


def _score_options(value: float | None) -> list[tuple[str, float]]:
    """1 to 5 and "not scored"; a score written by hand between two (3.5) is offered too."""
    if value is None or any(value == v for _label, v in _SCORES):
        return list(_SCORES)
    return sorted([*_SCORES, (format_decimal(value), value)], key=lambda item: item[1])


class CriterionRow(RecordRow[Criterion]):
    """One criterion: name, weight, and a score per option."""

    model = Criterion

    def make_cells(self) -> list[Cell]:
        name = _ui.text(
            placeholder=_("A criterion, e.g. cost"),
            tooltip=_("What the options are compared on"),
            layout=_ui.shared_layout(flex="1 1 12em", min_width="9em"),
        )
        weight = ipw.FloatText(
            value=1.0,
            step=0.5,
            tooltip=_("How much it counts, 0 to 100"),
            layout=_ui.shared_layout("6em"),
        )
        name.add_class("codesign-criterion-name")
        weight.add_class("codesign-criterion-weight")
        cells = [
            Cell(
                "name",
                _("Criterion"),
                name,
                (name,),
                lambda: name.value,
                setter(name, str),
                width="12em",
                flex="1 1 12em",
            ),
            Cell(
                "weight",
                _("Weight"),
                weight,
                (weight,),
                lambda: weight.value,
                setter(weight, float),
                width="6em",
            ),
        ]
        for option in DecisionOption:
            score = ipw.Dropdown(
                options=_SCORES,
                value=NOT_SCORED,
                tooltip=_(
                    "Score of {option}: 1 (worst) to 5 (best) on this criterion",
                    option=option.label,
                ),
                layout=_ui.shared_layout("6.5em"),
            )
            score.add_class(f"codesign-criterion-{option.value}")
            cells.append(
                Cell(
                    option.value,
                    option.value,
                    score,
                    (score,),
                    _reader(score),
                    _score_setter(score),
                    width="6.5em",
                )
            )
        return cells


def _reader(widget: ipw.Dropdown) -> Callable[[], Any]:
    return lambda: widget.value or None


def _score_setter(widget: ipw.Dropdown) -> Callable[[Any], None]:
    def show(value: float | None) -> None:
        options = _score_options(value)
        if list(widget.options) != options:
            widget.options = options
        widget.value = NOT_SCORED if value is None else value

    return show


class CriteriaTable(RecordTable[Criterion]):
    noun: ClassVar[str] = N_("criterion")
    controls_width: ClassVar[str] = "7.5em"

    def make_row(self, *, draft: bool = False) -> CriterionRow:
        return CriterionRow(self, draft=draft)

    def add_defaults(self) -> None:
        """Add the usual criteria that are not there yet, unscored, weight 1."""
        items = self.items()
        present = {c.name.casefold() for c in items}
        usual = [_(name) for name in DEFAULT_CRITERIA]
        added = [Criterion(name=name) for name in usual if name.casefold() not in present]
        if not added:
            self.messages.info(_("The usual criteria are all there."))
            return
        for criterion in added:
            items.append(criterion)
            row = self._row_for(criterion)
            self.rows.append(row)
        self.body.children = tuple(row.box for row in self.rows)
        self.messages.info(_("Added {n} criteria; score each option from 1 to 5.", n=len(added)))
        self.session.edited(self)


def chart_png(decision: Decision) -> bytes:
    """A horizontal bar chart of each option's weighted score (1 to 5), as PNG bytes.

    Drawn with matplotlib's object API on an Agg canvas: no pyplot state, no display backend.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    scores = decision.weighted_scores()
    options = [option.value for option in DecisionOption]
    names = [DecisionOption(option).label for option in options]
    values = [scores[DecisionOption(o)] or 0.0 for o in options]
    figure = Figure(figsize=(4.8, 1.9), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    bars = axes.barh(names, values, color=[_BAR_COLOURS[o] for o in options])
    for bar, option in zip(bars, options, strict=True):
        score = scores[DecisionOption(option)]
        chosen = decision.choice is not None and decision.choice.value == option
        label = _("not scored") if score is None else format_decimal(score, 2)
        if chosen:
            label = _("{score} (chosen)", score=label)
        axes.text(
            max(bar.get_width(), 1) + 0.05,
            bar.get_y() + bar.get_height() / 2,
            label,
            va="center",
            fontsize=9,
        )
        if chosen:
            bar.set_edgecolor("black")
            bar.set_linewidth(1.5)
    axes.set_xlim(1, 5.9)
    axes.set_xticks([1, 2, 3, 4, 5])
    axes.invert_yaxis()
    axes.set_xlabel(_("weighted score (1 worst, 5 best)"), fontsize=9)
    axes.tick_params(labelsize=9)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


class DecisionForm:
    """Choice, rationale, weighted criteria, the result as a table and a chart, the save bar."""

    def __init__(self, session: CharterSession) -> None:
        self.session = session
        self.messages = _ui.Messages()
        style = _ui.label_style("10em")
        self.fields = FieldSet(
            session,
            lambda charter: charter.decision,
            "decision",
            [
                Input(
                    "choice",
                    ipw.ToggleButtons(
                        options=_ui.choices(_CHOICES),
                        value="",
                        tooltips=[
                            _("Not decided yet"),
                            _("The hospital builds it"),
                            _("The hospital buys a product"),
                            _("The hospital and a partner build it together"),
                        ],
                        style={"button_width": "8em"},
                    ),
                    read=lambda value: value or None,
                    show=lambda choice: choice.value if choice else "",
                ),
                Input(
                    "rationale",
                    _ui.text(
                        description=_("Why"),
                        multiline=True,
                        style=style,
                        placeholder=_("What decided it"),
                        layout=_ui.shared_layout("46em"),
                    ),
                ),
            ],
            self.messages,
        )
        self.criteria = CriteriaTable(session, ("decision", "criteria"))
        self.defaults_button = _ui.button(
            _("Start with the usual criteria"),
            tooltip=_("Add: {criteria}", criteria=", ".join(_(c) for c in DEFAULT_CRITERIA)),
            icon="list",
            layout=_ui.shared_layout(width="auto"),
        )
        self.defaults_button.on_click(self._add_defaults)
        self.result = ipw.HTML()
        self.chart = ipw.Image(format="png", layout=_ui.shared_layout("480px"))
        self._shown: tuple[Any, ...] | None = None
        self.save_bar = SaveBar(session)
        self.widget = ipw.VBox(
            [
                ipw.HTML(_ui.bold(_("Decision"))),
                *(item.box for item in self.fields.inputs.values()),
                self.messages.box,
                ipw.HTML(
                    _ui.bold(_("Criteria"))
                    + " "
                    + _ui.message_html(
                        [
                            _(
                                "Weight: how much a criterion counts. Scores: 1 (worst) to 5 "
                                "(best) for that criterion, so for cost a 5 means cheapest."
                            )
                        ],
                        _ui.MUTED_COLOUR,
                    )
                ),
                self.criteria.heading,
                self.criteria.body,
                self.criteria.draft.box,
                ipw.HBox([self.defaults_button, self.criteria.undo_button]),
                self.criteria.messages.box,
                ipw.HTML(_ui.bold(_("Weighted result"))),
                ipw.HBox(
                    [self.result, self.chart],
                    layout=_ui.shared_layout(
                        width="100%", align_items="center", justify_content="flex-start"
                    ),
                ),
                self.save_bar.widget,
            ],
            layout=_ui.shared_layout(width="100%"),
        )
        self.widget.add_class("codesign-decision-form")
        self.update_result()
        session.attach(_ResultView(self))

    def _add_defaults(self, _button: ipw.Button) -> None:
        _ui.guarded(self.criteria.messages, _("adding the usual criteria"))(
            self.criteria.add_defaults
        )()

    def update_result(self) -> None:
        """Redraw the weighted result and the chart, if the scores or the choice changed."""
        decision = self.session.charter.decision
        key = (tuple(decision.weighted_scores().items()), decision.choice)
        if key == self._shown:
            return
        self._shown = key
        self.result.value = decision_table(decision)._repr_html_()
        self.chart.value = chart_png(decision)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        table = decision_table(self.session.charter.decision)
        return _ui.displayed(self.widget, fallback_html=table._repr_html_(), **kwargs)


class _ResultView(SessionView):
    """Keeps a decision form's result and chart in step with the model."""

    def __init__(self, form: DecisionForm) -> None:
        self.form = form

    def refresh(self) -> None:
        self.model_changed()

    def model_changed(self) -> None:
        _ui.guarded(self.form.messages, _("drawing the result"))(self.form.update_result)()
