"""The workshop's pages (facilitator, participant), as Voilà shows them."""

from __future__ import annotations

import os

from IPython.display import display

from codesign.widgets.workshop import Workshop


def _project() -> str:
    return os.environ.get("CODESIGN_PROJECT", ".")


def facilitator_page() -> None:
    workshop = Workshop.open(_project())
    display(workshop.outcomes)


def participant_page() -> None:
    from codesign.widgets.feedback import FeedbackForms

    display(FeedbackForms.open(_project()))
