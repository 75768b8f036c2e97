"""Workshop forms in JupyterLab: clinicians and engineers fill the charter together.

The forms edit the charter models of :mod:`codesign.charter` and save them with the same
atomic, conflict-checked, comment-keeping :meth:`CharterFile.save` as the command line; the
feedback forms append records the tracking layer measures. Used from a project's
``notebooks/00_workshop.ipynb`` (:class:`Workshop`) and ``notebooks/03_feedback.ipynb``
(:class:`FeedbackForms`). Importing this package imports ipywidgets; matplotlib is imported
when a decision chart is first drawn.
"""

from codesign.widgets.feedback import FeedbackForms
from codesign.widgets.session import CharterSession
from codesign.widgets.workshop import Workshop

__all__ = ["CharterSession", "FeedbackForms", "Workshop"]
