"""The whole co-design story end to end on synthetic data (``codesign demo``, ``make demo``).

A triage use case is scaffolded, its outcomes set in a workshop and signed off, the governance
gate fails a raw extract and passes a de-identified one, three model iterations (an in-house
baseline, an improved in-house model piloted with nurses, a vendor's predictions) are measured
against the charter and compared, and the report is written. Every step goes through the public
API a hospital team uses; the demo only writes inside its own folder.
"""

from codesign.demo.story import DemoOptions, DemoResult, Progress, StepReport, run_demo

__all__ = ["DemoOptions", "DemoResult", "Progress", "StepReport", "run_demo"]
