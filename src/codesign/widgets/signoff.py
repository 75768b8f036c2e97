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
from codesign.i18n import _
from codesign.presentation import esc, format_target
from codesign.widgets import _ui
from codesign.widgets.binding import Input, field_messages
from codesign.widgets.plain import day, when
from codesign.widgets.savebar import SaveBar
from codesign.widgets.session import SessionView

if TYPE_CHECKING:
    from codesign.charter import Charter
    from codesign.charter.model import Stakeholder
    from codesign.charter.versions import VersionBook
    from codesign.widgets.session import CharterSession, SaveState


class SignOffForm(SessionView):
    """Who signs, in which role; the sign-off button; every sign-off with its status."""

    def __init__(self, session: CharterSession) -> None:
        self.session = session
        self.messages = _ui.Messages()
        style = _ui.label_style("6em")
        self.name = Input(
            "name",
            ipw.Combobox(
                description=_("Name"),
                placeholder=_("Who approves"),
                style=style,
                tooltip=_("The person signing off, by name"),
                continuous_update=False,
                layout=_ui.shared_layout("24em"),
            ),
        )
        self.role = Input(
            "role",
            ipw.Combobox(
                description=_("Role"),
                placeholder=_("e.g. clinical lead"),
                style=style,
                tooltip=_("Their role in the use case"),
                continuous_update=False,
                layout=_ui.shared_layout("24em"),
            ),
        )
        self.name.widget.add_class("codesign-signoff-name")
        self.role.widget.add_class("codesign-signoff-role")
        self.sign_button = _ui.button(
            _("Sign off the charter as it is now"),
            tooltip=_("Approve the charter's current content; it is saved at once"),
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
        _ui.guarded(self.messages, _("signing off"))(self.sign)()

    def sign(self) -> None:
        """Sign the current charter with the name and role typed, and save."""
        self.messages.clear()
        blocking = self.session.pending() or self.session.check()
        if blocking:
            self.messages.error(
                _("Not signed: the charter has problems to fix first (in red in the forms)."),
                [_ui.labelled(issue.loc, issue.message) for issue in blocking],
            )
            return
        name, role = self.name.widget.value.strip(), self.role.widget.value.strip()
        charter = self.session.charter
        if any(s.name == name and s.role == role for s in charter.valid_signoffs()):
            self.messages.info(
                _("{name} ({role}) has already signed off this version.", name=name, role=role)
            )
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
                _(
                    "Signed in the form but not saved: the file changed elsewhere. Reload and "
                    "re-apply your changes below; if the charter changed, sign again."
                )
            )
            return
        self.messages.info(_("Signed off by {name} ({role}), saved.", name=name, role=role))

    def _on_name(self, change: dict[str, Any]) -> None:
        """Picking a stakeholder's name fills in their role."""
        person = next(
            (s for s in self.session.charter.stakeholders if s.name == change["new"]), None
        )
        if person is not None:  # the role is the person's own, never the previous signer's
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

    def state_changed(self, state: SaveState) -> None:
        """A save changes which sign-offs are valid (they are judged on the saved version)."""
        del state
        if hasattr(self, "table"):  # attached before the view is complete
            self.model_changed()

    def model_changed(self) -> None:
        charter = self.session.charter
        saved = self.session.saved_content
        key = (
            saved,
            charter.content_sha256(),
            tuple(charter.signoffs),
            tuple(charter.stakeholders),
        )
        if key == self._shown:
            return
        self._shown = key
        self._offer_people()
        valid = sum(1 for s in charter.signoffs if s.charter_sha256 == saved)
        outdated = len(charter.signoffs) - valid
        status = (
            _(
                "The saved charter: {valid} valid sign-off(s), {outdated} outdated.",
                valid=valid,
                outdated=outdated,
            )
            if outdated
            else _("The saved charter: {valid} valid sign-off(s).", valid=valid)
        )
        lines = [status]
        if self.session.file.modified:
            lines.append(_("Unsaved changes: sign-offs are judged on the saved version."))
        self.version.value = _ui.message_html([" ".join(lines)], _ui.MUTED_COLOUR)
        self.table.value = signoffs_table(
            charter, saved, moment=lambda at: when(at, charter)
        )._repr_html_()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        table = signoffs_table(self.session.charter)
        return _ui.displayed(self.widget, fallback_html=table._repr_html_(), **kwargs)


class ParticipantSignOff:
    """A participant signs off the charter as saved now, as themselves, or withdraws.

    The signer is the person who chose their name on the page, confirmed by typing it; the role
    is their stakeholder record's. The version signed is the one on disk at the moment of
    signing (reloaded first), named by its number and date; a second sign-off of the same
    version by the same person is refused. Sign-offs become outdated only when a change is
    saved, never while someone is still typing elsewhere.
    """

    def __init__(self, session: CharterSession, person: Stakeholder, versions: VersionBook) -> None:
        self.session = session
        self.person = person
        self.versions = versions
        self.messages = _ui.Messages()
        self.status = ipw.HTML(layout=_ui.shared_layout(width="100%"))
        self.confirm = Input(
            "confirm",
            _ui.text(
                description=_("Type your name to confirm: {name}", name=person.name),
                placeholder=person.name,
                style={"description_width": "100%"},
                layout=_ui.shared_layout(width="100%", max_width="30em", flex_flow="row wrap"),
            ),
        )
        self.confirm.box.layout = _ui.shared_layout(width="100%", flex_flow="row wrap")
        self.sign_button = _ui.button(
            _("Sign off this version"),
            tooltip=_("Approve the charter as it is saved now, in your name and role"),
            icon="check",
            style="success",
            layout=_ui.shared_layout(width="auto"),
        )
        self.withdraw_button = _ui.button(
            _("Withdraw my sign-off"),
            tooltip=_("Take back your sign-off of this version"),
            icon="undo",
            layout=_ui.shared_layout(width="auto"),
        )
        self.sign_button.on_click(
            lambda _b: _ui.guarded(self.messages, _("signing off"))(self.sign)()
        )
        self.withdraw_button.on_click(
            lambda _b: _ui.guarded(self.messages, _("withdrawing the sign-off"))(self.withdraw)()
        )
        self.widget = ipw.VBox(
            [
                self.status,
                self.confirm.box,
                ipw.HBox(
                    [self.sign_button, self.withdraw_button],
                    layout=_ui.shared_layout(flex_flow="row wrap"),
                ),
                self.messages.box,
            ],
            layout=_ui.shared_layout(width="100%"),
        )
        self.widget.add_class("codesign-participant-signoff")
        self.show()

    def version_words(self) -> str:
        version = self.versions.number(self.session.saved_content)
        return _(
            "version {number} of {day}",
            number=version.number,
            day=day(version.first_seen, self.session.charter),
        )

    def show(self) -> None:
        charter = self.session.charter
        saved = self.session.saved_content
        valid = [s for s in charter.signoffs if s.charter_sha256 == saved]
        outdated = len(charter.signoffs) - len(valid)
        who = "; ".join(
            _(
                "{name}, {role} ({moment})",
                name=s.name,
                role=s.role,
                moment=when(s.signed_at, charter),
            )
            for s in valid
        )
        count = _(
            "The charter, {version}: {n} sign-off(s) on this version",
            version=self.version_words(),
            n=len(valid),
        )
        if who:
            count = _("{count} ({who})", count=count, who=who)
        if outdated:
            count = _(
                "{count}, {outdated} on earlier versions (outdated).",
                count=count,
                outdated=outdated,
            )
        else:
            count = _("{count}.", count=count)
        lines = [
            count,
            _("You sign as {name}, {role}.", name=self.person.name, role=self.person.role),
        ]
        outcomes = "".join(
            "<li>" + esc(_ui.labelled(o.title, format_target(o.target))) + "</li>"
            for o in charter.outcomes
        )
        approve = esc(_("What you approve, outcome by outcome:"))
        self.status.value = _ui.message_html(lines, "inherit") + (
            f"<div>{approve}</div><ul>{outcomes}</ul>" if outcomes else ""
        )
        mine = any(s.name == self.person.name for s in valid)
        self.withdraw_button.layout = _ui.shared_layout(width="auto") if mine else _ui.hidden()

    def sign(self) -> None:
        """Sign the saved charter in this person's name and role, once per version."""
        self.messages.clear()
        self.confirm.set_messages([])
        typed = " ".join(self.confirm.widget.value.split())
        if typed.casefold() != self.person.name.casefold():
            self.confirm.set_messages(
                [
                    _(
                        "Type your own name exactly as in the list: {name}. Not signed.",
                        name=self.person.name,
                    )
                ]
            )
            return
        self.session.reload(keep_changes=False)
        problems = self.session.check()
        if problems:
            self.show()
            self.messages.error(
                _("Not signed: the charter has problems to fix first (the facilitator sees them)."),
                [issue.message for issue in problems],
            )
            return
        current = self.session.saved_content
        if any(
            s.name == self.person.name and s.charter_sha256 == current
            for s in self.session.charter.signoffs
        ):
            self.show()
            self.messages.error(
                _(
                    "You have already signed off {version}: a second sign-off of the same "
                    "version is not recorded.",
                    version=self.version_words(),
                )
            )
            return
        name, role = self.person.name, self.person.role

        def sign(charter: Charter) -> None:
            sha = charter.content_sha256()
            if not any(s.name == name and s.charter_sha256 == sha for s in charter.signoffs):
                charter.sign(name, role)

        self.session.commit(sign)
        self.confirm.widget.value = ""
        self.show()
        self.messages.info(
            _(
                "Signed off {version} as {name}, {role}. Saved.",
                version=self.version_words(),
                name=name,
                role=role,
            )
        )

    def withdraw(self) -> None:
        """Take back this person's sign-off of the saved version."""
        self.messages.clear()
        self.session.reload(keep_changes=False)
        name, current = self.person.name, self.session.saved_content
        if not any(
            s.name == name and s.charter_sha256 == current for s in self.session.charter.signoffs
        ):
            self.show()
            self.messages.error(_("You have no sign-off on this version to withdraw."))
            return

        def withdraw(charter: Charter) -> None:
            sha = charter.content_sha256()
            charter.signoffs = [
                s for s in charter.signoffs if not (s.name == name and s.charter_sha256 == sha)
            ]

        self.session.commit(withdraw)
        self.show()
        self.messages.info(
            _("Your sign-off of {version} is withdrawn. Saved.", version=self.version_words())
        )
