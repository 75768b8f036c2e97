"""The save bar under every workshop form: Save, Reload, the save state, and conflicts.

Every form's bar saves the same charter (the session's), so whichever a person presses saves
all the forms' edits at once, and every bar shows the same state. When the file changed
elsewhere, the bar lists what changed there and offers to reload: re-applying this notebook's
changes on top (nothing lost), or discarding them.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any, Final

import ipywidgets as ipw

from codesign.exceptions import ConflictError
from codesign.i18n import _
from codesign.presentation import esc
from codesign.widgets import _ui
from codesign.widgets.plain import place
from codesign.widgets.session import SaveStatus, SessionView

if TYPE_CHECKING:
    from codesign.widgets.session import CharterSession, SaveState

_COLOURS: Final = {
    SaveStatus.SAVED: _ui.OK_COLOUR,
    SaveStatus.MODIFIED: _ui.HINT_COLOUR,
    SaveStatus.INVALID: _ui.ERROR_COLOUR,
    SaveStatus.CONFLICT: _ui.ERROR_COLOUR,
}


class SaveBar(SessionView):
    """Save and reload buttons with the session's save state."""

    def __init__(self, session: CharterSession) -> None:
        self.session = session
        self.messages = _ui.Messages()
        self.messages.namer = lambda loc: place(session.charter, loc)
        self.save_button = _ui.button(
            _("Save"),
            tooltip=_("Save every form's changes into {file}", file=session.path.name),
            icon="save",
            style="primary",
            layout=_ui.shared_layout(width="auto", min_width="7em"),
        )
        self.reload_button = _ui.button(
            _("Reload"),
            tooltip=_(
                "Show {file} as it is on disk now, keeping your unsaved changes",
                file=session.path.name,
            ),
            icon="refresh",
            layout=_ui.shared_layout(width="auto", min_width="7em"),
        )
        self.status = ipw.HTML(layout=_ui.shared_layout(flex="1 1 auto", margin="0 0 0 0.5em"))
        self.keep_button = _ui.button(
            _("Reload and re-apply my changes"),
            tooltip=_("Take the version on disk and apply your changes to it again"),
            icon="code-fork",
            style="warning",
            layout=_ui.shared_layout(width="auto"),
        )
        self.discard_button = _ui.button(
            _("Reload and discard my changes"),
            tooltip=_("Take the version on disk; your unsaved changes are dropped"),
            icon="trash",
            layout=_ui.shared_layout(width="auto"),
        )
        self.conflict_text = ipw.HTML()
        self.conflict = ipw.VBox(
            [self.conflict_text, ipw.HBox([self.keep_button, self.discard_button])],
            layout=_ui.hidden(),
        )
        self.save_button.on_click(self._clicked(_("saving"), self.save))
        self.reload_button.on_click(self._clicked(_("reloading"), self.reload_keeping))
        self.keep_button.on_click(self._clicked(_("reloading"), self.reload_keeping))
        self.discard_button.on_click(self._clicked(_("reloading"), self.reload_discarding))
        self.save_button.add_class("codesign-save")
        self.status.add_class("codesign-save-status")
        self.widget = ipw.VBox(
            [
                ipw.HBox(
                    [self.save_button, self.reload_button, self.status],
                    layout=_ui.shared_layout(width="100%", align_items="center"),
                ),
                self.conflict,
                self.messages.box,
            ],
            layout=_ui.shared_layout(width="100%", margin="6px 0 0 0"),
        )
        session.attach(self)

    def _clicked(self, action: str, callback: Any) -> Any:
        @_ui.guarded(self.messages, action)
        def clicked(_button: ipw.Button) -> None:
            self.messages.clear()
            callback()

        return clicked

    # actions

    def save(self) -> None:
        # On a conflict the panel shows what changed there and what can be done.
        with contextlib.suppress(ConflictError):
            self.session.save()

    def reload_keeping(self) -> None:
        notes = self.session.reload(keep_changes=True)
        if notes:
            self.messages.error(
                _("Both you and the other version changed these; yours were kept:"), notes
            )

    def reload_discarding(self) -> None:
        self.session.reload(keep_changes=False)

    # view

    @property
    def status_text(self) -> str:
        """What the bar says (without markup), for tests and logs."""
        import html
        import re

        return html.unescape(re.sub(r"<[^>]+>", " ", self.status.value)).strip()

    def state_changed(self, state: SaveState) -> None:
        colour = _COLOURS[state.status]
        notice = f" {esc(state.notice)}" if state.notice else ""
        self.status.value = (
            f'<span style="color: {colour}">{esc(state.message)}</span>'
            f'<span style="color: {_ui.MUTED_COLOUR}">{notice}</span>'
        )
        if state.status is SaveStatus.CONFLICT:
            changes = "".join(f"<li>{esc(line)}</li>" for line in state.changes)
            there = esc(_("Changed there:"))
            listed = (
                f"<div>{there}</div><ul style='margin: 2px 0'>{changes}</ul>" if changes else ""
            )
            self.conflict_text.value = listed
            self.conflict.layout = _ui.shared_layout(width="100%")
        elif self.conflict.layout is not _ui.hidden():
            self.conflict.layout = _ui.hidden()
