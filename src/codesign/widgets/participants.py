"""Who is giving input: a participant picks themselves from the charter's stakeholders.

Nobody types a role or a name into a record: a participant chooses their name from the
stakeholders (or adds themselves, with a role and a side chosen from closed lists), and the
pages carry that identity where it must be (a sign-off) and only the role where it must not
(ratings, feedback). Adding oneself saves the charter at once through the conflict-checked
save, retried on the version on disk when another participant saved meanwhile.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import ipywidgets as ipw
from pydantic import ValidationError

from codesign.charter.model import Side, Stakeholder
from codesign.i18n import N_, _
from codesign.widgets import _ui
from codesign.widgets.binding import Input, field_messages

if TYPE_CHECKING:
    from collections.abc import Callable

    from codesign.widgets.session import CharterSession

ROLES: Final = (
    N_("clinical lead"),
    N_("emergency physician"),
    N_("physician"),
    N_("head nurse"),
    N_("triage nurse"),
    N_("nurse"),
    N_("pharmacist"),
    N_("quality and safety lead"),
    N_("data protection officer"),
    N_("patient representative"),
    N_("hospital AI office"),
    N_("IT and infrastructure"),
    N_("ML engineer"),
    N_("data scientist"),
    N_("product lead"),
)
"""Roles a participant can choose when adding themselves (plus those already in the charter),
in the language of the workshop: the role chosen is recorded as shown."""
SIDES: Final = (
    (N_("the hospital (why and what)"), Side.INTERNAL.value),
    (N_("the partner (how)"), Side.PARTNER.value),
)
NEW: Final = "__new__"


def role_choices(session: CharterSession) -> list[str]:
    """The closed list of roles: the charter's, its intended users', then the usual ones."""
    charter = session.charter
    roles = [s.role for s in charter.stakeholders]
    roles += list(charter.use_case.intended_users)
    roles += [_(role) for role in ROLES]
    seen: dict[str, str] = {}
    for role in roles:
        seen.setdefault(role.casefold(), role)
    return list(seen.values())


class IdentityPicker:
    """ "I am ...": a stakeholder of the charter, or a new one added to it."""

    def __init__(self, session: CharterSession, on_chosen: Callable[[Stakeholder], None]) -> None:
        self.session = session
        self.on_chosen = on_chosen
        self.messages = _ui.Messages()
        style = _ui.label_style("9em")
        self.who = Input(
            "who",
            ipw.Dropdown(
                description=_("I am"),
                options=self._people(),
                index=0,  # "choose your name": a value of None alone would show a blank
                style=style,
                layout=_ui.shared_layout(width="100%", max_width="32em"),
            ),
            read=lambda value: value,
        )
        self.name = Input(
            "name",
            _ui.text(
                description=_("Your name"),
                placeholder=_("as colleagues know you"),
                style=style,
                layout=_ui.shared_layout(width="100%", max_width="32em"),
            ),
        )
        self.role = Input(
            "role",
            ipw.Dropdown(
                description=_("Your role"),
                options=[(_("choose your role"), None), *((r, r) for r in role_choices(session))],
                index=0,
                style=style,
                layout=_ui.shared_layout(width="100%", max_width="32em"),
            ),
            read=lambda value: value,
        )
        self.side = Input(
            "side",
            ipw.Dropdown(
                description=_("You are with"),
                options=_ui.choices(SIDES),
                value=Side.INTERNAL.value,
                style=style,
                layout=_ui.shared_layout(width="100%", max_width="32em"),
            ),
            read=lambda value: value,
        )
        for item in (self.who, self.name, self.role, self.side):
            item.box.layout = _ui.shared_layout(width="100%", flex_flow="row wrap")
        self.new_box = ipw.VBox([self.name.box, self.role.box, self.side.box], layout=_ui.hidden())
        self.go = _ui.button(
            _("Continue"),
            tooltip=_("Continue as the person chosen"),
            icon="arrow-right",
            style="primary",
            layout=_ui.shared_layout("10em"),
        )
        self.go.on_click(
            lambda _b: _ui.guarded(self.messages, _("choosing who you are"))(self.choose)()
        )
        self.who.widget.observe(self._on_who, names="value")
        intro = ipw.HTML(
            _ui.message_html(
                [
                    _(
                        "Choose your name. Your ratings and questionnaires are recorded with "
                        "your role only; your name is kept only where it must be, on a sign-off."
                    )
                ],
                _ui.MUTED_COLOUR,
            )
        )
        self.widget = ipw.VBox(
            [intro, self.who.box, self.new_box, self.go, self.messages.box],
            layout=_ui.shared_layout(width="100%"),
        )
        self.widget.add_class("codesign-identity")

    def _people(self) -> list[tuple[str, Any]]:
        people = [
            (_("{name}, {role}", name=person.name, role=person.role), index)
            for index, person in enumerate(self.session.charter.stakeholders)
        ]
        return [(_("choose your name"), None), *people, (_("I am not in the list: add me"), NEW)]

    def _on_who(self, change: dict[str, Any]) -> None:
        self.who.set_messages([])
        self.new_box.layout = (
            _ui.shared_layout(width="100%") if change["new"] == NEW else _ui.hidden()
        )

    def choose(self) -> None:
        """Continue as the chosen stakeholder, adding them to the charter first if new."""
        self.messages.clear()
        for item in (self.who, self.name, self.role, self.side):
            item.set_messages([])
        choice = self.who.widget.value
        if choice is None:
            self.who.set_messages(
                [_("Choose your name in the list, or “I am not in the list: add me”.")]
            )
            return
        if choice != NEW:
            self.on_chosen(self.session.charter.stakeholders[int(choice)])
            return
        person = self._new_person()
        if person is not None:
            self.on_chosen(person)

    def _new_person(self) -> Stakeholder | None:
        name = self.name.widget.value.strip()
        if not name:
            self.name.set_messages([_("Type your name.")])
            return None
        if self.role.widget.value is None:
            self.role.set_messages([_("Choose your role in the list.")])
            return None
        try:
            person = Stakeholder(
                name=name, role=self.role.widget.value, side=Side(self.side.widget.value)
            )
        except ValidationError as e:
            for field_name, messages in field_messages(e).items():
                target = {"name": self.name, "role": self.role}.get(field_name, self.name)
                target.set_messages(messages)
            return None
        existing = self._find(name)
        if existing is not None:
            self.name.set_messages(
                [_("{name} is already in the list: choose your name there.", name=existing.name)]
            )
            return None

        def add(charter: Any) -> None:
            if not any(s.name.casefold() == name.casefold() for s in charter.stakeholders):
                charter.stakeholders = [*charter.stakeholders, person]

        self.session.commit(add)
        return person

    def _find(self, name: str) -> Stakeholder | None:
        folded = name.casefold()
        return next(
            (s for s in self.session.charter.stakeholders if s.name.casefold() == folded), None
        )
