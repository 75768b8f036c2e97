"""Sign-off: a named person with a role approves the charter as it is now.

The sign-off records the charter's content hash and the time (:meth:`Charter.sign`) and is saved
at once, with every other change in the forms. When the charter changes afterwards, the hash no
longer matches and the table shows the sign-off as outdated, live, as the forms are edited.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as ipw
from pydantic import ValidationError

from codesign.charter.tables import signoffs_table
from codesign.exceptions import ConflictError
from codesign.widgets import _ui
from codesign.widgets.binding import Input, field_messages
from codesign.widgets.savebar import SaveBar
from codesign.widgets.session import SessionView

if TYPE_CHECKING:
    from codesign.widgets.session import CharterSession


class SignOffForm(SessionView):
    """Who signs, in which role; the sign-off button; every sign-off with its status."""

    def __init__(self, session: CharterSession) -> None:
        self.session = session
        self.messages = _ui.Messages()
        style = _ui.label_style("6em")
        self.name = Input(
            "name",
            ipw.Combobox(
                description="Name",
                placeholder="Who approves",
                style=style,
                tooltip="The person signing off, by name",
                continuous_update=False,
                layout=_ui.shared_layout("24em"),
            ),
        )
        self.role = Input(
            "role",
            ipw.Combobox(
                description="Role",
                placeholder="e.g. clinical lead",
                style=style,
                tooltip="Their role in the use case",
                continuous_update=False,
                layout=_ui.shared_layout("24em"),
            ),
        )
        self.name.widget.add_class("codesign-signoff-name")
        self.role.widget.add_class("codesign-signoff-role")
        self.sign_button = _ui.button(
            "Sign off the charter as it is now",
            tooltip="Approve the charter's current content; it is saved at once",
            icon="check",
            style="success",
            layout=_ui.shared_layout("22em", margin="2px 0 2px 6.4em"),
        )
        self.sign_button.add_class("codesign-sign")
        self.sign_button.on_click(self._on_sign)
        self.name.widget.observe(self._on_name, names="value")
        self.version = ipw.HTML()
        self.table = ipw.HTML()
        self._shown: tuple[Any, ...] | None = None
        self.save_bar = SaveBar(session)
        self.widget = ipw.VBox(
            [
                self.version,
                self.name.box,
                self.role.box,
                self.sign_button,
                self.messages.box,
                self.table,
                self.save_bar.widget,
            ],
            layout=_ui.shared_layout(width="100%"),
        )
        self.widget.add_class("codesign-signoff-form")
        self._offer_people()
        self.model_changed()
        session.attach(self)

    # actions

    def _on_sign(self, _button: ipw.Button) -> None:
        _ui.guarded(self.messages, "signing off")(self.sign)()

    def sign(self) -> None:
        """Sign the current charter with the name and role typed, and save."""
        self.messages.clear()
        blocking = self.session.pending() or self.session.check()
        if blocking:
            self.messages.error(
                "Not signed: the charter has problems to fix first (in red in the forms).",
                [f"{issue.loc}: {issue.message}" for issue in blocking],
            )
            return
        name, role = self.name.widget.value.strip(), self.role.widget.value.strip()
        charter = self.session.charter
        current = charter.content_sha256()
        if any(s.name == name and s.role == role for s in charter.valid_signoffs()):
            self.messages.info(f"{name} ({role}) has already signed off this version.")
            return
        try:
            charter.sign(name, role)
        except ValidationError as e:
            messages = field_messages(e)
            self.name.set_messages(messages.get("name", []))
            self.role.set_messages(messages.get("role", []))
            return
        self.name.set_messages([])
        self.role.set_messages([])
        self.session.edited(self)
        try:
            self.session.save()
        except ConflictError:
            self.messages.error(
                "Signed in the form but not saved: the file changed elsewhere. Reload and "
                "re-apply your changes below; if the charter changed, sign again."
            )
            return
        self.messages.info(f"Signed off by {name} ({role}) on version {current[:12]}, saved.")

    def _on_name(self, change: dict[str, Any]) -> None:
        """Picking a stakeholder's name fills in their role."""
        person = next(
            (s for s in self.session.charter.stakeholders if s.name == change["new"]), None
        )
        if person is not None and not self.role.widget.value.strip():
            self.role.widget.value = person.role

    # view

    def _offer_people(self) -> None:
        people = self.session.charter.stakeholders
        names = tuple(s.name for s in people)
        roles = tuple(dict.fromkeys(s.role for s in people))
        if self.name.widget.options != names:
            self.name.widget.options = names
        if self.role.widget.options != roles:
            self.role.widget.options = roles

    def refresh(self) -> None:
        self.model_changed()

    def model_changed(self) -> None:
        charter = self.session.charter
        digest = charter.content_sha256()
        key = (digest, tuple(charter.signoffs), tuple(charter.stakeholders))
        if key == self._shown:
            return
        self._shown = key
        self._offer_people()
        valid, outdated = len(charter.valid_signoffs()), len(charter.outdated_signoffs())
        status = f"{valid} valid sign-off(s)" + (f", {outdated} outdated" if outdated else "")
        self.version.value = _ui.message_html(
            [f"Charter version {digest[:12]} (its content hash): {status}."], _ui.MUTED_COLOUR
        )
        self.table.value = signoffs_table(charter)._repr_html_()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        table = signoffs_table(self.session.charter)
        return _ui.displayed(self.widget, fallback_html=table._repr_html_(), **kwargs)
