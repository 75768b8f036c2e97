"""What does the governance gate cost per million rows, against hand-written pandas?

A synthetic ED extract of 20 columns (3 of them free text, see codesign.synthetic) is written
as CSV (or Parquet, ``--format parquet``) at 1M and 4M rows. The gate (``run_gate``: read in
batches, hash, Great Expectations suite with the PHI scan, merged counts, Data Docs, result
record) and a hand-written single-pass pandas baseline doing the same checks on the same file
(one ``pd.read_csv``, one pass per column) are run alternately in this process. Printed:

- the marginal cost per million rows, (T4M - T1M) / 3, gate against baseline. Goal: <= 0.5;
- the peak resident memory of ``codesign check`` on the 4M-row file, in a subprocess. Goal:
  <= 1.5 GB, whatever the file's size (the gate streams it);
- the fixed cost: ``codesign check`` on 1k rows against ``python -c "import great_expectations"``.

    .venv/bin/python bench/governance.py [--rounds N] [--small ROWS] [--large ROWS]
        [--format csv|parquet]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
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
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv")
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
    suffix = args.format
    large, small, tiny = (work / f"{name}.{suffix}" for name in ("large", "small", "tiny"))
    for path, rows in ((large, args.large), (small, args.small), (tiny, 1_000)):
        part = frame.head(rows)
        if suffix == "csv":
            part.to_csv(path, index=False)
        else:
            part.to_parquet(path, index=False)
    free_text = [
        c.name
        for c in contract.columns
        if c.name in frame.columns and c.type is ColumnType.TEXT and c.phi_mode is PhiMode.SCAN
    ]
    print(
        f"extract: {frame.shape[1]} columns ({len(free_text)} free text: {', '.join(free_text)}), "
        f"{args.small:,} and {args.large:,} rows, {suffix} "
        f"({small.stat().st_size / 1e6:,.0f} MB and {large.stat().st_size / 1e6:,.0f} MB)"
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
    gate_marginal = (statistics.median(gates_large) - statistics.median(gates_small)) / 3
    base_marginal = (statistics.median(bases_large) - statistics.median(bases_small)) / 3
    scale = args.large - args.small
    per_million = 1_000_000 * 3 / scale
    ratio = gate_marginal / base_marginal
    print(
        f"gate: median {statistics.median(gates_small):.2f} s at {args.small:,} rows, "
        f"{statistics.median(gates_large):.2f} s at {args.large:,} rows"
    )
    print(
        f"baseline: median {statistics.median(bases_small):.2f} s at {args.small:,} rows, "
        f"{statistics.median(bases_large):.2f} s at {args.large:,} rows"
    )
    print(
        f"marginal cost per million rows, gate / single-pass pandas: ratio {ratio:.3f} "
        f"(goal <= 0.5: {'met' if ratio <= 0.5 else 'NOT met'}) "
        f"— {gate_marginal * per_million:.2f} s vs {base_marginal * per_million:.2f} s "
        f"over {args.rounds} rounds"
    )
    peak = _peak_memory_gb(["check", str(large), "--project", str(project), "--json"])
    print(
        f"peak memory (VmHWM) of `codesign check` on {args.large:,} rows: {peak:.2f} GB "
        f"(goal <= 1.5 GB: {'met' if peak <= 1.5 else 'NOT met'})"
    )

    check = [
        str(VENV_BIN / "python"),
        "-m",
        "codesign",
        "check",
        str(tiny),
        "--project",
        str(project),
    ]
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


def _peak_memory_gb(argv: list[str]) -> float:
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
    return int(line.split()[1]) * 1024 / 1e9  # VmHWM is in KiB


Finding = tuple[str, str, int]


def baseline(path: Path, contract: DataContract) -> list[Finding]:
    """The same checks written by hand: one read, one pass per column, counts per finding."""
    import pandas as pd

    if path.suffix == ".parquet":
        frame = pd.read_parquet(path)
    else:  # text columns as text, as the gate reads them (a phone number keeps its 0)
        header = pd.read_csv(path, nrows=0).columns
        declared = {c.name: c for c in contract.columns}
        text = [
            name
            for name in header
            if name not in declared
            or declared[name].type in (ColumnType.TEXT, ColumnType.CATEGORY)
            or declared[name].phi_mode is not PhiMode.ALLOWED
        ]
        frame = pd.read_csv(path, dtype=dict.fromkeys(text, "str"), low_memory=False)
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
