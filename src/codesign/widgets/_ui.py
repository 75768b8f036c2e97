"""Small building blocks of the workshop forms: inputs, messages, and errors that are shown.

ipywidgets swallows exceptions raised in callbacks (they end up in the kernel's log, which
nobody in a workshop reads), so every callback of a form runs through :func:`guarded`: our
errors become a plain message in the form, anything else a message plus the traceback in an
``Output`` area for the engineers.

Layouts and styles are shared between the inputs of a column (see :func:`shared_layout`): a
50-outcome table then sends a few dozen layout models to the browser instead of a thousand.
"""

from __future__ import annotations

import functools
import html
import logging
import traceback
from typing import TYPE_CHECKING, Any, Final, ParamSpec, TypeVar

import ipywidgets as ipw

from codesign.exceptions import CharterError, CodesignError
from codesign.i18n import _
from codesign.presentation import GREEN_TEXT, GREY_TEXT, ORANGE_TEXT, VERMILLION_TEXT, esc

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

logger = logging.getLogger(__name__)

P = ParamSpec("P")
V = TypeVar("V")

ERROR_COLOUR: Final = VERMILLION_TEXT
HINT_COLOUR: Final = ORANGE_TEXT
MUTED_COLOUR: Final = GREY_TEXT
OK_COLOUR: Final = GREEN_TEXT
FIELD_MARGIN: Final = "var(--codesign-field-margin, 2px)"
"""The margin around an input, which column headings and notes keep too so that they line up:
ipywidgets' 2px, or what a page sets (the workshop's pages set none, see ``PAGE_CSS``)."""


@functools.cache
def shared_layout(width: str | None = None, flex: str | None = None, **more: str) -> ipw.Layout:
    """One :class:`Layout` per distinct look, shared by every widget that has it."""
    values = {"width": width, "flex": flex, **more}
    return ipw.Layout(**{k: v for k, v in values.items() if v is not None})


def outlined(layout: ipw.Layout) -> ipw.Layout:
    """``layout``'s width and flex with a red outline: an input whose entry is not valid."""
    return shared_layout(layout.width, layout.flex, border=f"2px solid {ERROR_COLOUR}")


@functools.cache
def hidden() -> ipw.Layout:
    return ipw.Layout(display="none")


@functools.cache
def _description_style(width: str) -> dict[str, str]:
    return {"description_width": width}


def label_style(width: str = "11em") -> dict[str, str]:
    """Style giving a form's labels one width, so its inputs line up."""
    return _description_style(width)


def text(
    value: str = "",
    *,
    description: str = "",
    placeholder: str = "",
    tooltip: str | None = None,
    layout: ipw.Layout | None = None,
    multiline: bool = False,
    style: dict[str, str] | None = None,
) -> ipw.Text:
    """A text input that commits on Enter or when focus leaves it (not on every key)."""
    kind = ipw.Textarea if multiline else ipw.Text
    kwargs: dict[str, Any] = {"style": style} if style else {}
    widget: ipw.Text = kind(
        value=value,
        description=description,
        placeholder=placeholder,
        tooltip=tooltip,
        continuous_update=False,
        layout=layout or shared_layout(),
        **kwargs,
    )
    return widget


def button(
    description: str,
    *,
    tooltip: str,
    icon: str = "",
    style: str = "",
    layout: ipw.Layout | None = None,
) -> ipw.Button:
    """A button; ``tooltip`` says in words what it does (icons alone are not enough)."""
    return ipw.Button(
        description=description,
        tooltip=tooltip,
        icon=icon,
        button_style=style,
        layout=layout or shared_layout(),
    )


def choices(options: Iterable[tuple[str, V]]) -> list[tuple[str, V]]:
    """A closed list's (label, value) pairs with each label in the reader's language; the labels
    are marked for the catalogue where the list is defined (``N_``), the values stay as stored."""
    return [(_(label), value) for label, value in options]


def labelled(label: str, text: str) -> str:
    """``label: text``, the colon as the language writes it (``label : text`` in French)."""
    return _("{label}: {text}", label=label, text=text)


def bold(text: str) -> str:
    """A short heading inside a form (``<b>New outcome</b>``), escaped."""
    return f"<b>{esc(text)}</b>"


def message_html(lines: Iterable[str], colour: str = ERROR_COLOUR) -> str:
    """Lines of plain text as a small coloured block."""
    body = "<br>".join(esc(line) for line in lines)
    return f'<div style="color: {colour}; line-height: 1.3">{body}</div>' if body else ""


def column_notes(
    columns: Sequence[tuple[str, str | None]],
    notes: dict[int, str],
    *,
    colour: str = ERROR_COLOUR,
    weight: str = "normal",
) -> str:
    """A row of small notes, each placed under (or over) its column of a form row.

    ``columns`` are the (width, flex) of every widget of the row, buttons included, so that a
    flexible column gets the same room as in the row; ``notes`` maps a column's index to its
    note. Used for a table's headings too.
    """
    if not notes:
        return ""
    cells = []
    for index, (width, flex) in enumerate(columns):
        # The size is set where the font is the inputs' own, so "8em" here is "8em" there.
        size = f"flex: {flex}; min-width: 0;" if flex else f"width: {width}; flex: none;"
        note = esc(notes.get(index, ""))
        cells.append(
            f'<div style="{size} margin: 0 {FIELD_MARGIN}; line-height: 1.2; '
            f'overflow-wrap: anywhere"><span style="color: {colour}; font-weight: {weight}; '
            f'font-size: 90%">{note}</span></div>'
        )
    row = "".join(cells)
    return f'<div class="codesign-column-notes" style="display: flex; width: 100%">{row}</div>'


class Messages:
    """Where a form tells its user what happened: a line of HTML, an Output for the unexpected."""

    def __init__(self) -> None:
        self.html = ipw.HTML(layout=shared_layout(width="100%"))
        self.output = ipw.Output(layout=hidden())
        self.box = ipw.VBox([self.html, self.output], layout=shared_layout(width="100%"))
        self.namer: Callable[[str], str] | None = None
        """Names a charter path in words (``Outcome “...”, target``) where a form knows how."""

    @property
    def text(self) -> str:
        """What the message says, without markup (for tests and logs)."""
        import re

        return html.unescape(re.sub(r"<[^>]+>", " ", self.html.value)).strip()

    def info(self, message: str) -> None:
        self._show(message_html([message], OK_COLOUR))

    def error(self, message: str, details: Sequence[str] = ()) -> None:
        self._show(message_html([message, *(f"• {line}" for line in details)]))

    def clear(self) -> None:
        self._show("")

    def show_error(self, error: CodesignError) -> None:
        """One of our errors: its first line, and each located issue on a line of its own."""
        head, *rest = str(error).splitlines()
        if isinstance(error, CharterError) and error.issues:
            namer = self.namer or (lambda loc: loc)
            rest = [
                labelled(namer(issue.loc), issue.message) if issue.loc else issue.message
                for issue in error.issues
            ]
        self.error(head, [line.strip() for line in rest])

    def unexpected(self, action: str, error: BaseException) -> None:
        """A bug, shown rather than lost: a sentence for everyone, the traceback for engineers."""
        logger.error("unexpected error while %s", action, exc_info=error)
        self._show(
            message_html(
                [
                    _(
                        "Something went wrong while {action}: {error}",
                        action=action,
                        error=f"{type(error).__name__}: {error}",
                    ),
                    _(
                        "Your entries are still in the form. The details below are for the "
                        "engineers."
                    ),
                ]
            ),
            keep_output=True,
        )
        trace = "".join(traceback.format_exception(error))
        self.output.outputs = ({"output_type": "stream", "name": "stderr", "text": trace},)
        self.output.layout = shared_layout(width="100%")

    def _show(self, value: str, *, keep_output: bool = False) -> None:
        self.html.value = value
        if not keep_output and self.output.outputs:
            self.output.outputs = ()
            self.output.layout = hidden()


def close_tree(widget: ipw.Widget) -> None:
    """Close a widget and every widget inside it (not their shared layouts and styles)."""
    if isinstance(widget, ipw.Box):
        for child in widget.children:
            close_tree(child)
    widget.close()


def guarded(messages: Messages, action: str) -> Callable[[Callable[P, None]], Callable[P, None]]:
    """Run a widget callback so that whatever it raises is shown in ``messages``."""

    def decorate(callback: Callable[P, None]) -> Callable[P, None]:
        @functools.wraps(callback)
        def run(*args: P.args, **kwargs: P.kwargs) -> None:
            try:
                callback(*args, **kwargs)
            except CodesignError as e:
                messages.show_error(e)
            except Exception as e:  # shown to the user, logged with the traceback
                messages.unexpected(action, e)

        return run

    return decorate


def displayed(widget: ipw.Widget, *, fallback_html: str, **kwargs: Any) -> dict[str, Any]:
    """The mime bundle of a form: the live widget, with static HTML for viewers without one.

    JupyterLab shows the widget; a notebook exported to HTML or read on a forge, or an output
    kept after the kernel stopped, shows the charter as a table instead of an empty widget box.
    """
    bundle: dict[str, Any] = dict(widget._repr_mimebundle_(**kwargs))
    if fallback_html:
        bundle["text/html"] = fallback_html
    return bundle


class Sections:
    """A row of buttons opening one section at a time; a section is built when first opened."""

    def __init__(self, sections: Sequence[tuple[str, Callable[[], ipw.Widget]]]) -> None:
        self.builders = dict(sections)
        self.built: dict[str, ipw.Widget] = {}
        self.buttons = {
            title: button(
                title,
                tooltip=_("Open: {section}", section=title),
                layout=shared_layout(width="auto"),
            )
            for title in self.builders
        }
        for title, control in self.buttons.items():
            control.on_click(lambda _b, t=title: self.open(t))
        self.nav = ipw.HBox(
            list(self.buttons.values()),
            layout=shared_layout(width="100%", flex_flow="row wrap", margin="4px 0 8px 0"),
        )
        self.nav.add_class("codesign-nav")
        self.messages = Messages()
        self.body = ipw.Box(layout=shared_layout(width="100%"))
        self.widget = ipw.VBox(
            [self.nav, self.messages.box, self.body], layout=shared_layout(width="100%")
        )
        self.open(next(iter(self.builders)))

    def open(self, title: str) -> None:
        @guarded(self.messages, _("opening {section}", section=title))
        def build() -> None:
            self.messages.clear()
            if title not in self.built:
                self.built[title] = self.builders[title]()
            self.body.children = (self.built[title],)
            for name, control in self.buttons.items():
                control.button_style = "info" if name == title else ""

        build()
