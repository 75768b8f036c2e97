"""Trend charts a clinician reads at a glance: one outcome, its values, its target.

Each chart answers one question ("are we getting there?") for one outcome: the value of every
model iteration, oldest to newest, with the target drawn as a labelled dashed line and the side
of it that meets the target lightly shaded. A value that meets the target is a round marker, one
that misses it a cross: shape and colour both say it (Okabe-Ito colours), so the chart reads in
black and white and for people with colour blindness.

Charts are drawn with matplotlib's object API (:class:`matplotlib.figure.Figure`), not pyplot:
no global state, no GUI backend, nothing for the notebook's inline backend to capture twice. The
PNG is embedded in the report's HTML, so an exported report needs no other file.
"""

from __future__ import annotations

import base64
import io
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from codesign.i18n import _
from codesign.presentation import BLUE, BLUISH_GREEN, GREY, INK, VERMILLION, esc
from codesign.reports.markup import pretty_target, value_text

if TYPE_CHECKING:
    from collections.abc import Sequence

    from codesign.charter.model import Target
    from codesign.charter.registry import MetricSpec

logger = logging.getLogger(__name__)

WIDTH_IN: Final = 6.4
HEIGHT_IN: Final = 3.0
DPI: Final = 120
"""Rendered at 120 dpi and shown 640 px wide: sharp on a laptop, light in the file."""
DISPLAY_WIDTH_PX: Final = 640
AXES_BOX: Final = (0.12, 0.36, 0.72, 0.53)
"""Left, bottom, width, height of the plot in the figure: room for the y label on the left, the
target's label on the right, the iteration names and the legend below."""
MAX_POINTS: Final = 12
"""Charts show the last 12 iterations; the scorecard and ``codesign compare`` have them all."""
LABEL_CHARS: Final = 14
TITLE_CHARS: Final = 68
"""Longer outcome titles are cut in the chart (the scorecard above has them in full)."""


@dataclass(frozen=True)
class TrendPoint:
    """One iteration's value for the outcome (``None``: not measured by that iteration)."""

    iteration: str
    value: float | None
    met: bool | None


@dataclass(frozen=True)
class TrendChart:
    """A rendered chart and the sentence that describes it (alt text, for screen readers)."""

    png: bytes
    alt: str

    def img(self) -> str:
        """An ``<img>`` tag with the PNG embedded as a data URI."""
        data = base64.b64encode(self.png).decode("ascii")
        return (
            f'<img src="data:image/png;base64,{data}" alt="{esc(self.alt)}" '
            f'width="{DISPLAY_WIDTH_PX}" style="max-width:100%;height:auto">'
        )

    def _repr_html_(self) -> str:
        return self.img()

    def _repr_png_(self) -> bytes:
        return self.png


def trend_chart(
    title: str, points: Sequence[TrendPoint], target: Target, spec: MetricSpec | None
) -> TrendChart:
    """Draw the trend of one outcome over ``points`` (oldest first) against ``target``."""
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter

    shown = list(points)[-MAX_POINTS:]
    xs = list(range(1, len(shown) + 1))
    measured = [(x, p) for x, p in zip(xs, shown, strict=True) if p.value is not None]
    values = [p.value for _, p in measured if p.value is not None]
    low, high = _limits(values, target.value, spec)

    # Fixed margins rather than a layout engine: every chart has the same frame (they line up
    # one under the other) and is drawn once, not twice.
    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    ax = figure.add_axes(AXES_BOX)
    if target.higher_is_better:
        ax.axhspan(target.value, high, color=BLUISH_GREEN, alpha=0.10, lw=0, zorder=0)
    else:
        ax.axhspan(low, target.value, color=BLUISH_GREEN, alpha=0.10, lw=0, zorder=0)
    ax.axhline(target.value, color=INK, lw=1.3, ls=(0, (5, 3)), zorder=1)
    ax.annotate(
        _("target\n{target}", target=pretty_target(target)),
        xy=(1.0, target.value),
        xycoords=("axes fraction", "data"),
        xytext=(6, 0),
        textcoords="offset points",
        ha="left",
        va="center",
        fontsize=9,
        fontweight="bold",
        color=INK,
    )
    if measured:
        ax.plot([x for x, _ in measured], values, color=BLUE, lw=2, zorder=2)
        met = [(x, p.value) for x, p in measured if p.met]
        missed = [(x, p.value) for x, p in measured if not p.met]
        if met:
            mx, my = zip(*met, strict=True)
            ax.scatter(
                mx, my, marker="o", s=60, color=BLUISH_GREEN, edgecolor=INK, lw=0.6, zorder=3
            )
        if missed:
            nx, ny = zip(*missed, strict=True)
            ax.scatter(nx, ny, marker="X", s=85, color=VERMILLION, zorder=3)
        last_x, last = measured[-1][0], measured[-1][1].value
        ax.annotate(
            value_text(last),
            xy=(last_x, last),
            xytext=(7, 5),
            textcoords="offset points",
            fontsize=9,
            fontweight="bold",
            color=INK,
        )
    ax.set_ylim(low, high)
    ax.set_xlim(0.5, max(len(shown), 1) + 0.5)
    labels = [_short(p.iteration) for p in shown]
    slanted = len(shown) > 4 or any(len(label) > 10 for label in labels)
    ax.set_xticks(xs, labels, rotation=30 if slanted else 0, ha="right" if slanted else "center")
    ax.tick_params(labelsize=8, colors=INK)
    ax.set_xlabel(_("model iterations, oldest to newest"), fontsize=9, color=GREY)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _position: value_text(value)))
    ax.set_ylabel(_axis_label(spec), fontsize=9, color=GREY)
    ax.set_title(
        _shorten(title, TITLE_CHARS), loc="left", fontsize=11, fontweight="bold", color=INK
    )
    ax.grid(axis="y", color="#e4e4e4", lw=0.8, zorder=0)
    ax.spines[["top", "right"]].set_visible(False)
    figure.legend(
        handles=[
            Line2D(
                [],
                [],
                marker="o",
                ls="",
                color=BLUISH_GREEN,
                markeredgecolor=INK,
                markeredgewidth=0.6,
                markersize=7,
                label=_("meets the target"),
            ),
            Line2D([], [], marker="X", ls="", color=VERMILLION, markersize=8, label=_("misses it")),
            Line2D([], [], color=INK, lw=1.3, ls=(0, (5, 3)), label=_("target")),
            Patch(color=BLUISH_GREEN, alpha=0.25, label=_("target zone")),
        ],
        loc="lower center",
        bbox_to_anchor=(0.48, 0.0),
        ncol=4,
        fontsize=8,
        frameon=False,
    )
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return TrendChart(png=buffer.getvalue(), alt=_alt_text(title, shown, target, len(points)))


def _limits(values: Sequence[float], target: float, spec: MetricSpec | None) -> tuple[float, float]:
    """A y-range showing every value and the target with some air, within the metric's range.

    The range's bounds are kept but for a sliver, so that a value at a bound (a sensitivity of
    1) is drawn whole rather than cut by the frame.
    """
    bounds = spec.value_range if spec is not None else None
    low, high = min([*values, target]), max([*values, target])
    scale = bounds[1] - bounds[0] if bounds is not None else max(abs(low), abs(high), 1.0)
    pad = max((high - low) * 0.25, scale * 0.03)
    low, high = low - pad, high + pad
    if bounds is not None:
        sliver = scale * 0.02
        low, high = max(low, bounds[0] - sliver), min(high, bounds[1] + sliver)
    return low, high


def _axis_label(spec: MetricSpec | None) -> str:
    if spec is None:
        return _("value")
    if spec.unit:
        return _("{metric} ({unit})", metric=spec.display_title, unit=spec.display_unit)
    return spec.display_title


def _short(name: str) -> str:
    return _shorten(name, LABEL_CHARS)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _alt_text(title: str, shown: Sequence[TrendPoint], target: Target, total: int) -> str:
    measured = [p for p in shown if p.value is not None]
    scope = (
        _("the last {shown} of {total} iterations", shown=len(shown), total=total)
        if total > len(shown)
        else _("{n} iteration(s)", n=len(shown))
    )
    goal = pretty_target(target)
    if not measured:
        return _(
            "Chart of {title}: not measured in {scope}; target {target}.",
            title=title,
            scope=scope,
            target=goal,
        )
    values = ", ".join(f"{value_text(p.value)} ({p.iteration})" for p in measured)
    latest = measured[-1]
    words = {
        "title": title,
        "scope": scope,
        "values": values,
        "target": goal,
        "value": value_text(latest.value),
        "iteration": latest.iteration,
    }
    if latest.met:
        return _(
            "Chart of {title} over {scope}: {values}. Target {target}; the latest value "
            "({value}, {iteration}) meets it.",
            **words,
        )
    return _(
        "Chart of {title} over {scope}: {values}. Target {target}; the latest value "
        "({value}, {iteration}) misses it.",
        **words,
    )
