"""The workshop: every charter form of a project, sharing one session, for ``00_workshop``.

A notebook opens the workshop once and shows its forms in the cells below::

    workshop = Workshop.open(project_dir)
    workshop.use_case      # use case and stakeholders
    workshop.outcomes      # what success means
    workshop.intended_use  # what it is for, and must not be used for
    workshop.risks         # the hazard log: risks to patients and their controls
    workshop.decision      # build, buy or partner
    workshop.signoff       # approval of the charter as it is

Every form edits the same charter model and each Save button saves it, so nothing typed in one
form is lost by saving from another. A charter that cannot be loaded is shown as a message with
each problem and its line, in place of the forms, never as a traceback.
"""

from __future__ import annotations

import functools
import logging
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import ipywidgets as ipw

from codesign.charter import CharterFile, preset_text
from codesign.config import CHARTER_FILENAME
from codesign.exceptions import CharterError, CodesignError
from codesign.i18n import _, set_project_language
from codesign.project import Project
from codesign.system import first_line
from codesign.widgets import _ui
from codesign.widgets.contract import ContractForm
from codesign.widgets.decision import DecisionForm
from codesign.widgets.outcomes import OutcomeEditor
from codesign.widgets.risks import IntendedUseForm, RiskForm
from codesign.widgets.session import CharterSession
from codesign.widgets.signoff import SignOffForm
from codesign.widgets.use_case import UseCaseForm

if TYPE_CHECKING:
    from collections.abc import Callable

logger = logging.getLogger(__name__)

_F = TypeVar("_F")


class Problem:
    """Shown in place of a form when the charter cannot be loaded."""

    def __init__(self, error: CodesignError) -> None:
        self.error = error
        head, *rest = str(error).splitlines()
        if isinstance(error, CharterError) and error.issues:
            rest = [issue.format(error.path.name if error.path else None) for issue in error.issues]
        lines = [line.strip() for line in rest]
        hint = _(
            "Fix the file (each problem names its line), then run the notebook again "
            "(Run → Run All Cells)."
        )
        self.widget = ipw.HTML(
            _ui.message_html([head, *lines]) + _ui.message_html([hint], _ui.MUTED_COLOUR)
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        return _ui.displayed(self.widget, fallback_html=self.widget.value, **kwargs)


class Workshop:
    """The charter forms of one project, sharing one :class:`CharterSession`."""

    def __init__(
        self, session: CharterSession | None, problem: CodesignError | None = None
    ) -> None:
        self.session = session
        self.problem = problem

    @classmethod
    def open(cls, project_dir: Path | str = ".") -> Workshop:
        """The workshop of the project holding ``project_dir`` (the notebook's folder works).

        Its forms speak the charter's ``language:`` unless ``CODESIGN_LANG`` says otherwise (as
        the commands do, see :mod:`codesign.i18n`); a kernel serves one project.
        """
        try:
            project = Project.find(project_dir)
            session = CharterSession.open(project.charter_path)
            set_project_language(session.charter.language)
            return cls(session)
        except CodesignError as e:
            logger.info("cannot open the workshop: %s", first_line(e))  # shown in the forms
            return cls(None, e)

    @classmethod
    def from_preset(cls, preset: str = "triage", folder: Path | str | None = None) -> Workshop:
        """A workshop on a fresh copy of a preset charter, in ``folder`` or a new temporary one.

        For trying the forms out (the kit's example notebook) without a project: the copy is
        a real charter file, saved like any other, that no project depends on.
        """
        target = (
            Path(folder)
            if folder is not None
            else Path(tempfile.mkdtemp(prefix="codesign-workshop-"))
        )
        target.mkdir(parents=True, exist_ok=True)
        file = CharterFile.from_text(preset_text(preset), target / CHARTER_FILENAME)
        file.save()
        return cls.open(target)

    @property
    def project_dir(self) -> Path | None:
        return self.session.path.parent if self.session else None

    def __str__(self) -> str:
        if self.session is None:
            problem = first_line(str(self.problem))
            return _("The charter cannot be loaded: {problem}", problem=problem)
        use_case = self.session.charter.use_case
        return f"{use_case.title} ({use_case.stage.label}): {self.session.path}"

    def _form(self, build: Callable[[CharterSession], _F]) -> _F | Problem:
        if self.session is None:
            return Problem(self.problem or CharterError(_("the charter is not loaded")))
        return build(self.session)

    @functools.cached_property
    def use_case(self) -> UseCaseForm | Problem:
        """The use case and stakeholders form."""
        return self._form(UseCaseForm)

    @functools.cached_property
    def outcomes(self) -> OutcomeEditor | Problem:
        """The outcome editor."""
        return self._form(OutcomeEditor)

    @functools.cached_property
    def intended_use(self) -> IntendedUseForm | Problem:
        """What it is for, who uses it, where, and what it must not be used for."""
        return self._form(IntendedUseForm)

    @functools.cached_property
    def risks(self) -> RiskForm | Problem:
        """The hazard log: what could harm a patient, its controls, its risk before and after."""
        return self._form(RiskForm)

    @functools.cached_property
    def contract(self) -> ContractForm | Problem:
        """The data contract: the columns the data must have, read from a file or typed."""
        return self._form(ContractForm)

    @functools.cached_property
    def decision(self) -> DecisionForm | Problem:
        """The build / buy / partner decision."""
        return self._form(DecisionForm)

    @functools.cached_property
    def signoff(self) -> SignOffForm | Problem:
        """The sign-off form."""
        return self._form(SignOffForm)
