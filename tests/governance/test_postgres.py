"""The gate inside PostgreSQL: same verdicts and counts as on the CSV, nothing extracted."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from codesign.charter import parse_charter, preset_text
from codesign.exceptions import GovernanceError
from codesign.governance import GateOptions, run_gate
from codesign.governance.sources import parse_source

pytestmark = pytest.mark.postgres

PASSWORD = "pg-canary-5ecret"
CONTRACT = parse_charter(preset_text("triage")).data_contract


def with_password(url: str, table: str) -> str:
    parts = urllib.parse.urlsplit(url)
    netloc = parts.netloc.replace("@", f":{PASSWORD}@", 1)
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, f"table={table}", ""))


def load(frame_csv: Path, url: str, table: str, schema: str | None = None) -> None:
    """The rows exactly as the gate reads the CSV, as a table (typed by pandas)."""
    frame = parse_source(frame_csv).open(CONTRACT).frame
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg2://", 1))
    with engine.begin() as connection:
        if schema:
            connection.execute(sa.text(f"CREATE SCHEMA IF NOT EXISTS {schema}"))
    frame.to_sql(table, engine, schema=schema, if_exists="replace", index=False)
    engine.dispose()


def dirty(planted) -> pd.DataFrame:
    """Identifiers plus one breach of each value rule, and an undeclared column of phones."""
    frame = planted.frame.copy()
    frame.loc[[1, 2], "age"] = [150, 12]
    frame.loc[[4], "sex"] = "X"
    frame.loc[[20, 21], "encounter_id"] = frame.loc[[30, 31], "encounter_id"].to_numpy()
    frame.loc[:59, "arrival_hour"] = None
    frame["contact"] = None
    frame.loc[:2, "contact"] = ["06 12 34 56 78", "0612345679", "+33 6 12 34 56 80"]
    return frame


def test_csv_and_table_give_identical_results(
    project: Path, postgres_url: str, planted, clean_frame, write_csv
) -> None:
    cases = {"clean_twin": clean_frame, "raw_extract": dirty(planted)}
    for table, frame in cases.items():
        csv = write_csv(frame, f"{table}.csv")
        load(csv, postgres_url, table)
        from_csv = run_gate(csv, project, GateOptions(data_docs=False))
        from_table = run_gate(
            with_password(postgres_url, table), project, GateOptions(data_docs=False)
        )
        assert from_table.to_dict() == from_csv.to_dict(), table
        assert from_table.record.source.endswith(f"?table={table}")
        assert PASSWORD not in from_table.record.model_dump_json()
    assert from_csv.findings  # the raw extract really failed
    categories = {f.category for f in from_csv.findings}
    assert {"range", "allowed", "completeness", "undeclared_column"} <= categories
    assert {
        "phi.nir",
        "phi.phone",
        "phi.email",
        "phi.name",
        "phi.address",
        "phi.birthdate",
        "phi.patient_id",
    } <= categories


def test_table_key_follows_content_not_order(
    project: Path, postgres_url: str, clean_frame, write_csv
) -> None:
    csv = write_csv(clean_frame)
    load(csv, postgres_url, "keyed", schema="ed")
    first = run_gate(with_password(postgres_url, "ed.keyed"), project, GateOptions(data_docs=False))
    shuffled = write_csv(clean_frame.sample(frac=1, random_state=1), "shuffled.csv")
    load(shuffled, postgres_url, "keyed", schema="ed")
    second = run_gate(
        with_password(postgres_url, "ed.keyed"), project, GateOptions(data_docs=False)
    )
    assert first.record.data_sha256 == second.record.data_sha256
    changed = clean_frame.copy()
    changed.loc[0, "age"] = 77 if changed.loc[0, "age"] != 77 else 78
    load(write_csv(changed, "changed.csv"), postgres_url, "keyed", schema="ed")
    third = run_gate(with_password(postgres_url, "ed.keyed"), project, GateOptions(data_docs=False))
    assert third.record.data_sha256 != first.record.data_sha256


def test_command_line_on_a_table_never_shows_the_password(
    project: Path, postgres_url: str, planted, write_csv, run_cli, read_written, find_leaks
) -> None:
    load(write_csv(planted.frame), postgres_url, "raw_cli")
    result = run_cli("-vv", "check", with_password(postgres_url, "raw_cli"), "--json", cwd=project)
    assert result.returncode == 1, result.stderr
    document = json.loads(result.stdout)
    phi = {(f["column"], f["category"]): f["count"] for f in document["findings"]}
    assert {k: v for k, v in phi.items() if k[1].startswith("phi.")} == planted.expected
    written = read_written(project, skip=[project / "codesign.yaml"])
    assert any(p.endswith(".html") for p in written)
    texts = {**written, "stdout": result.stdout, "stderr": result.stderr}
    assert [where for where, text in texts.items() if PASSWORD in text] == []
    assert find_leaks(texts, planted.canaries) == []


def test_missing_table_is_bad_input(project: Path, postgres_url: str) -> None:
    with pytest.raises(GovernanceError, match=r"no table public\.nowhere in this database"):
        run_gate(with_password(postgres_url, "public.nowhere"), project)


def test_postgresql_finds_what_python_finds_on_the_development_set(postgres_url: str) -> None:
    # Every rule, look-arounds and NIR key included, gives PostgreSQL the same verdict per note.
    from codesign.governance import phi
    from codesign.governance.sql import phi_found
    from codesign.project import PHI_CATEGORIES
    from codesign.synthetic.notes import clinical_notes

    texts = [n.text for n in clinical_notes(300, seed=23)]
    texts += [
        "NIR 2-63-04-75-115-042-90",
        "N° SS: 2 6 3 0 4 7 5 1 1 5 0 4 2 3 1",
        "NIR 263047511504231",
    ]
    texts += ["Hôpital Henri Mondor", "Lot 0612345678", "4410217:LEMARCHAND Odile", "é" * 300]
    engine = sa.create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg2://", 1))
    table = sa.table("notes", sa.column("i", sa.Integer), sa.column("note", sa.Text))
    try:
        with engine.begin() as connection:
            connection.execute(sa.text("DROP TABLE IF EXISTS notes"))
            connection.execute(sa.text("CREATE TABLE notes (i integer, note text)"))
            connection.execute(
                table.insert(), [{"i": i, "note": text} for i, text in enumerate(texts)]
            )
            columns = [
                sa.func.coalesce(phi_found(table.c.note, c), sa.false()).label(c.replace(".", "_"))
                for c in PHI_CATEGORIES
            ]
            rows = connection.execute(sa.select(table.c.i, *columns).order_by(table.c.i)).all()
    finally:
        engine.dispose()
    for row in rows:
        in_sql = {c for c, hit in zip(PHI_CATEGORIES, row[1:], strict=True) if hit}
        assert in_sql == phi.found_in(texts[row[0]]), texts[row[0]]


def test_a_table_column_named_like_a_patient_is_checked_by_position(
    project: Path, postgres_url: str, clean_frame, write_csv, find_leaks, read_written
) -> None:
    frame = clean_frame.head(40).copy()
    frame["MORVAN Hélène"] = "tél 06 12 34 56 78"
    csv = write_csv(frame, "named.csv")
    load(csv, postgres_url, "named")
    from_table = run_gate(with_password(postgres_url, "named"), project)
    from_csv = run_gate(csv, project, GateOptions(data_docs=False))
    assert from_table.to_dict()["findings"] == from_csv.to_dict()["findings"]
    position = f"column {frame.shape[1]}"
    assert {f.column for f in from_table.findings} == {position}
    assert ("phi.phone", 40) in {(f.category, f.count) for f in from_table.findings}
    texts = {
        **read_written(project, skip=[project / "codesign.yaml"]),
        "summary": from_table.summary(),
        "json": from_table.to_json(),
    }
    assert find_leaks(texts, ["MORVAN Hélène", "MORVAN"]) == []
