"""The governance gate: Great Expectations checks the data before any model iteration.

One call runs it for a project (in a notebook, ``run_gate("data/extract.csv")`` and the result
displays itself)::

    from codesign.governance import run_gate
    result = run_gate("data/extract.csv", project=".")
    result.passed, result.findings, print(result.summary())

Great Expectations is imported only when the gate runs, never by ``import codesign.governance``.
"""

from codesign.governance.gate import GateOptions, run_gate
from codesign.governance.result import GateResult

__all__ = ["GateOptions", "GateResult", "run_gate"]
