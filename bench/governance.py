"""What does the governance gate cost per million rows, against hand-written pandas?

A synthetic ED extract of 20 columns (3 of them free text, see codesign.synthetic) is written
as Parquet at 1M and 4M rows. The gate (``run_gate``: read, hash, Great Expectations suite with
the PHI scan, Data Docs, result record) and a hand-written single-pass pandas baseline doing the
same checks on the same file are run alternately in this process. Printed:

- the marginal cost per million rows, (T4M - T1M) / 3, gate against baseline. Goal: <= 2.0;
- the fixed cost: ``codesign check`` on 1k rows against ``python -c "import great_expectations"``.

    .venv/bin/python bench/governance.py [--rounds N] [--small ROWS] [--large ROWS]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from _common import VENV_BIN, alternate, report, time_call, time_command
from codesign.charter import CharterFile, preset_text
from codesign.charter.model import Column, ColumnType, DataContract, PhiMode
from codesign.governance import GateOptions, run_gate
from codesign.governance import phi as phi_patterns
from codesign.synthetic import ed_extract, extended_contract

if TYPE_CHECKING:
    import pandas as pd


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--small", type=int, default=1_000_000)
    parser.add_argument("--large", type=int, default=4_000_000)
    parser.add_argument("--fixed-rounds", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="codesign-bench-"))
    try:
        run(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(args: argparse.Namespace, work: Path) -> None:
    project = work / "project"
    project.mkdir()
    charter = CharterFile.from_text(preset_text("triage"), project / "codesign.yaml")
    charter.charter.data_contract = extended_contract(charter.charter.data_contract)
    charter.save()
    contract = charter.charter.data_contract

    frame = ed_extract(args.large, seed=11, extended=True)
    large, small, tiny = work / "large.parquet", work / "small.parquet", work / "tiny.parquet"
    frame.to_parquet(large, index=False)
    frame.head(args.small).to_parquet(small, index=False)
    frame.head(1_000).to_parquet(tiny, index=False)
    free_text = [
        c.name
        for c in contract.columns
        if c.name in frame.columns and c.type is ColumnType.TEXT and c.phi_mode is PhiMode.SCAN
    ]
    print(
        f"extract: {frame.shape[1]} columns ({len(free_text)} free text: {', '.join(free_text)}), "
        f"{args.small:,} and {args.large:,} rows, Parquet"
    )
    del frame

    options = GateOptions()

    def gate(path: Path) -> float:
        def call() -> None:
            result = run_gate(path, project, options)
            assert result.passed, result.summary()

        return time_call(call)

    def base(path: Path) -> float:
        def call() -> None:
            findings = baseline(path, contract)
            assert not findings, findings

        return time_call(call)

    gate(tiny), base(tiny)  # imports, caches
    gates_small, bases_small = alternate(lambda: gate(small), lambda: base(small), args.rounds)
    gates_large, bases_large = alternate(lambda: gate(large), lambda: base(large), args.rounds)
    fingerprint = _fingerprint_cost(small, large)
    gate_marginal = (statistics.median(gates_large) - statistics.median(gates_small)) / 3
    base_marginal = (statistics.median(bases_large) - statistics.median(bases_small)) / 3
    scale = args.large - args.small
    per_million = 1_000_000 * 3 / scale
    ratio = gate_marginal / base_marginal
    charged = gate_marginal + fingerprint.per_million_missing
    charged_ratio = charged / base_marginal
    print(
        f"gate: median {statistics.median(gates_small):.2f} s at {args.small:,} rows, "
        f"{statistics.median(gates_large):.2f} s at {args.large:,} rows"
    )
    print(
        f"baseline: median {statistics.median(bases_small):.2f} s at {args.small:,} rows, "
        f"{statistics.median(bases_large):.2f} s at {args.large:,} rows"
    )
    print(
        f"marginal cost per million rows, gate / hand-written pandas: ratio {ratio:.3f} "
        f"— {gate_marginal * per_million:.2f} s vs {base_marginal * per_million:.2f} s "
        f"over {args.rounds} rounds"
    )
    if fingerprint.per_million_missing:
        print(
            f"  Great Expectations fingerprints a pandas batch under 1 GB in memory "
            f"({fingerprint.small_seconds:.2f} s at {args.small:,} rows) and skips it above "
            f"(at {args.large:,} rows): charging it at both sizes adds "
            f"{fingerprint.per_million_missing:.2f} s per million rows"
        )
    print(
        f"marginal cost per million rows, fingerprint charged at both sizes: ratio "
        f"{charged_ratio:.3f} (goal <= 2.0: {'met' if charged_ratio <= 2.0 else 'NOT met'}) — "
        f"{charged * per_million:.2f} s vs {base_marginal * per_million:.2f} s"
    )
    peak = _peak_memory_gib(["check", str(large), "--project", str(project), "--json"])
    print(f"peak memory (VmHWM) of `codesign check` on {args.large:,} rows: {peak:.2f} GiB")

    check = [str(VENV_BIN / "codesign"), "check", str(tiny), "--project", str(project)]
    import_gx = [str(VENV_BIN / "python"), "-c", "import great_expectations"]
    time_command(check), time_command(import_gx)
    ours, theirs = alternate(
        lambda: time_command(check), lambda: time_command(import_gx), args.fixed_rounds
    )
    report(
        "fixed cost, codesign check on 1k rows / python -c 'import great_expectations'",
        ours,
        theirs,
        "informative",
        ok=True,
    )


def _peak_memory_gib(argv: list[str]) -> float:
    """The high-water resident memory of one ``codesign`` run, read from /proc in the child.

    (``RUSAGE_CHILDREN`` would also count the memory of this process at the fork.)
    """
    code = (
        "import sys\n"
        "from codesign.cli import main\n"
        "main(sys.argv[1:])\n"
        "with open('/proc/self/status') as f:\n"
        "    hwm = [line.split()[1] for line in f if line.startswith('VmHWM')][0]\n"
        "print('VmHWM', hwm, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [str(VENV_BIN / "python"), "-c", code, *argv],
        capture_output=True,
        text=True,
        check=False,
    )
    line = [x for x in done.stderr.splitlines() if x.startswith("VmHWM")][-1]
    return int(line.split()[1]) / 1024 / 1024


@dataclass(frozen=True)
class Fingerprint:
    small_seconds: float
    per_million_missing: float
    """Seconds per million rows to add to the gate's marginal cost when the fingerprint ran at
    the small size but not at the large one (0 when it ran at both or neither)."""


def _fingerprint_cost(small: Path, large: Path) -> Fingerprint:
    """Time Great Expectations' pandas batch fingerprint, and whether it runs at each size."""
    from great_expectations.execution_engine.pandas_execution_engine import (
        HASH_THRESHOLD,
        hash_pandas_dataframe,
    )

    from codesign.governance.sources import FileSource

    def frame_of(path: Path) -> pd.DataFrame:
        batch = FileSource(path).open(DataContract())
        assert batch.frame is not None
        return batch.frame

    def measure(path: Path) -> tuple[bool, float, int]:
        frame = frame_of(path)
        runs = bool(frame.memory_usage().sum() < HASH_THRESHOLD)
        seconds = statistics.median(
            [time_call(lambda: hash_pandas_dataframe(frame)) for _ in range(3)]
        )
        return runs, seconds, len(frame)

    runs_small, seconds, rows_small = measure(small)
    runs_large, _, _ = measure(large)
    missing = seconds / rows_small * 1_000_000 if runs_small and not runs_large else 0.0
    return Fingerprint(small_seconds=seconds, per_million_missing=missing)


Finding = tuple[str, str, int]


def baseline(path: Path, contract: DataContract) -> list[Finding]:
    """The same checks written by hand: one read, one pass per column, counts per finding."""
    import pandas as pd

    frame = pd.read_parquet(path)
    nullable = [c for c in frame.columns if str(frame[c].dtype) in ("Int64", "Float64")]
    frame = frame.astype(dict.fromkeys(nullable, "float64"))  # numpy's fast paths
    declared = {c.name: c for c in contract.columns}
    scan: list[str] = [c for c in frame.columns if c not in declared]
    findings: list[Finding] = [(c, "undeclared_column", int(frame[c].notna().sum())) for c in scan]
    for column in contract.columns:
        name = column.name
        if name not in frame.columns:
            if column.required and column.phi_mode is not PhiMode.FORBIDDEN:
                findings.append((name, "missing_column", len(frame)))
            continue
        if column.phi_mode is PhiMode.FORBIDDEN:
            findings.append((name, "forbidden_column", int(frame[name].notna().sum())))
            scan.append(name)
            continue
        findings += _column_findings(frame[name], column, contract)
        if column.phi_mode is PhiMode.SCAN:
            scan.append(name)
    for name in scan:
        findings += _phi_findings(frame[name], name)
    return findings


def _column_findings(values: pd.Series, column: Column, contract: DataContract) -> list[Finding]:
    import numpy as np
    import pandas as pd

    name, found = column.name, []
    missing = values.isna()
    if column.type is ColumnType.INTEGER:
        if pd.api.types.is_float_dtype(values.dtype):
            found.append((name, "type", int((~missing & (values != np.floor(values))).sum())))
        elif not pd.api.types.is_integer_dtype(values.dtype):
            found.append((name, "type", int((~missing).sum())))
    threshold = column.min_completeness
    if column.required and threshold is None:
        threshold = contract.min_completeness
    if threshold is not None and 1 - missing.mean() < threshold:
        found.append((name, "completeness", int(missing.sum())))
    if column.range is not None:
        low, high = column.range
        found.append((name, "range", int(((values < low) | (values > high)).sum())))
    if column.allowed is not None:
        found.append((name, "allowed", int((~values.isin(column.allowed) & ~missing).sum())))
    if column.unique:
        found.append((name, "unique", int(values[~missing].duplicated(keep=False).sum())))
    return [f for f in found if f[2]]


def _phi_findings(values: pd.Series, name: str) -> list[Finding]:
    """The same rules as the gate: an RE2 pass per group, Python only where RE2 cannot decide."""
    import re

    import pyarrow as pa
    import pyarrow.compute as pc
    from stdnum.fr import nir

    extract = re.compile(phi_patterns.NIR_EXTRACT)
    text = pc.cast(pa.array(values, from_pandas=True), pa.string())
    found: dict[str, set[int]] = {}
    for pattern, rules in phi_patterns.prefilter_groups():
        hits = pc.match_substring_regex(text, pattern=pattern).fill_null(False)
        rows = pc.indices_nonzero(hits).to_pylist()
        values = text.take(pa.array(rows, type=pa.int64())).to_pylist()
        for row, value in zip(rows, values, strict=True):
            for rule in rules:
                if rule.checked:
                    ok = any(
                        nir.is_valid(re.sub("[^0-9A-Za-z]", "", m.group(1)))
                        for m in extract.finditer(value)
                    )
                else:
                    ok = rule.compiled.search(value) is not None
                if ok:
                    found.setdefault(rule.category, set()).add(row)
    return [(name, category, len(rows)) for category, rows in found.items()]


if __name__ == "__main__":
    main()
