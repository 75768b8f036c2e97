"""The three files: same rows and flags in HTML, CSV and JSON; written safely; nothing leaks."""

from __future__ import annotations

import csv
import dataclasses
import html as markup
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from tests.portfolio.conftest import NOW, Tree

from codesign.exceptions import ConflictError, PortfolioError
from codesign.portfolio import Portfolio, PortfolioOptions, build_portfolio, write_portfolio
from codesign.portfolio.exports import CSV_COLUMNS, report_link
from codesign.portfolio.model import FlagCode, Initiative


@pytest.fixture(scope="module")
def portfolio(tree: Tree) -> Portfolio:
    return build_portfolio([tree.root], PortfolioOptions(now=NOW))


@pytest.fixture(scope="module")
def written(portfolio: Portfolio, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out") / "dashboard"
    write_portfolio(portfolio, out)
    return out


def json_rows(out: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads((out / "portfolio.json").read_text())["initiatives"]
    return rows


def csv_rows(out: Path) -> list[dict[str, str]]:
    with (out / "portfolio.csv").open(newline="", encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def test_json_and_csv_hold_the_same_rows_and_flags(written: Path, portfolio: Portfolio) -> None:
    from_json, from_csv = json_rows(written), csv_rows(written)
    assert [r["path"] for r in from_json] == [str(i.path) for i in portfolio.initiatives]
    assert [r["path"] for r in from_csv] == [r["path"] for r in from_json]
    for j, c in zip(from_json, from_csv, strict=True):
        assert c["title"] == (j["title"] or "")
        assert c["flags"] == "; ".join(f["code"] for f in j["flags"])
        for code in FlagCode:
            expected = "yes" if any(f["code"] == code.value for f in j["flags"]) else ""
            assert c[f"flag_{code.value}"] == expected
        assert c["outcomes_met"] == ("" if j["outcomes_met"] is None else str(j["outcomes_met"]))
        assert c["governance"] == (j["governance"] or "")
    assert list(from_csv[0]) == list(CSV_COLUMNS)


def test_json_document(written: Path, portfolio: Portfolio, tree: Tree) -> None:
    document = json.loads((written / "portfolio.json").read_text())
    assert document["generator"] == "codesign portfolio"
    assert document["generated_at"] == NOW.isoformat()
    assert document["roots"] == [str(tree.root)]
    assert document["summary"]["initiatives"] == 10
    assert document["summary"]["by_flag"]["broken"] == 3
    good = next(r for r in document["initiatives"] if r["path"] == str(tree["good"]))
    assert good == good | {
        "title": "Nurse triage assistant",
        "site": "CHU Nord",
        "stage": "pilot",
        "clinical_lead": "Dr A. Martin",
        "partner": "Example Health AI",
        "decision": "partner",
        "outcomes_met": 4,
        "outcomes_measured": 4,
        "outcomes_total": 7,
        "iterations": 2,
        "governance": "passed",
        "signoffs_valid": 1,
        "last_report_at": "2026-11-02T07:00:00+00:00",
        "flags": [],
        "broken": False,
        "problems": [],
    }
    invalid = next(r for r in document["initiatives"] if r["path"] == str(tree["invalid"]))
    assert invalid["title"] is None
    assert invalid["signoffs_valid"] is None
    assert invalid["broken"] is True
    assert [f["code"] for f in invalid["flags"]] == ["broken"]


def test_report_links_are_relative_to_the_output_folder(written: Path, tree: Tree) -> None:
    good = next(r for r in json_rows(written) if r["path"] == str(tree["good"]))
    target = (written / good["last_report"]).resolve()
    assert target == tree["good"] / "reports" / "nurse-triage-assistant-20261102T070000Z.html"
    assert good["last_report_path"] == str(target)
    html = (written / "index.html").read_text()
    assert f'href="{good["last_report"]}"' in html


def test_report_link_escapes_what_a_url_cannot_hold(tmp_path: Path) -> None:
    report = tmp_path / "share" / "Site A #1" / "reports" / "r-20260101T000000Z.html"
    assert report_link(report, tmp_path / "out") == (
        "../share/Site%20A%20%231/reports/r-20260101T000000Z.html"
    )


def test_spreadsheet_formulas_and_markup_are_defused(tmp_path: Path) -> None:
    hostile = Initiative(
        path=tmp_path / "p",
        title='=HYPERLINK("http://evil.example","x")',
        site="<script>alert(1)</script>",
        clinical_lead="@SUM(A1)",
        partner="-2+3",
        signoffs_valid=0,
        signoffs_outdated=0,
    )
    portfolio = Portfolio(roots=(tmp_path,), generated_at=NOW, stale_after_days=90,
                          initiatives=(hostile,))  # fmt: skip
    files = write_portfolio(portfolio, tmp_path / "out")
    (row,) = csv_rows(tmp_path / "out")
    assert row["title"] == "'" + hostile.title  # type: ignore[operator]
    assert row["clinical_lead"] == "'@SUM(A1)"
    assert row["partner"] == "'-2+3"
    html = files.html.read_text()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert json_rows(tmp_path / "out")[0]["site"] == "<script>alert(1)</script>"  # data, as is


def test_a_second_run_replaces_its_own_files(portfolio: Portfolio, tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_portfolio(portfolio, out)
    later = dataclasses.replace(portfolio, initiatives=portfolio.initiatives[:2])
    write_portfolio(later, out)
    assert len(json_rows(out)) == 2
    assert len(csv_rows(out)) == 2
    assert sorted(p.name for p in out.iterdir()) == [
        "index.html",
        "portfolio.csv",
        "portfolio.json",
    ]


@pytest.mark.parametrize("name", ["index.html", "portfolio.csv", "portfolio.json"])
def test_someone_elses_file_is_never_overwritten(
    portfolio: Portfolio, tmp_path: Path, name: str
) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / name).write_text("my own work")
    with pytest.raises(PortfolioError, match=f"{name}: exists and was not written by"):
        write_portfolio(portfolio, out)
    assert (out / name).read_text() == "my own work"
    assert [p.name for p in out.iterdir()] == [name]  # nothing else was written either


def test_a_file_changed_meanwhile_is_not_overwritten(
    portfolio: Portfolio, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from codesign.portfolio import output

    out = tmp_path / "out"
    write_portfolio(portfolio, out)
    real = output._replaceable

    def then_edited(path: Path) -> Any:
        expected = real(path)
        if path.name == "portfolio.json":
            path.write_text(path.read_text() + " ")  # someone saves it right after our check
        return expected

    monkeypatch.setattr(output, "_replaceable", then_edited)
    with pytest.raises(ConflictError):
        write_portfolio(portfolio, out)


def test_bad_output_folders(portfolio: Portfolio, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(PortfolioError, match="is a file, expected a folder"):
        write_portfolio(portfolio, tmp_path / "file")
    with pytest.raises(PortfolioError, match="cannot create the folder"):
        write_portfolio(portfolio, tmp_path / "file" / "below")
    (tmp_path / "out" / "index.html").mkdir(parents=True)
    with pytest.raises(PortfolioError, match=r"index\.html: is a folder"):
        write_portfolio(portfolio, tmp_path / "out")


def test_no_temporary_file_is_left_behind(written: Path) -> None:
    assert sorted(p.name for p in written.iterdir()) == [
        "index.html",
        "portfolio.csv",
        "portfolio.json",
    ]


def test_the_page_is_self_contained(written: Path) -> None:
    html = (written / "index.html").read_text()
    assert re.findall(r"<(?:script|link|img|iframe)[^>]*\s(?:src|href)=", html) == []
    assert "http://" not in html
    assert "https://" not in html
    assert "default-src 'none'" in markup.unescape(html)
    assert html.count("<tr") == 11  # the header and one row per initiative


def test_no_planted_identifier_reaches_any_output(written: Path, tree: Tree) -> None:
    files = [p for p in written.iterdir() if p.is_file()]
    assert len(files) == 3
    contents = b"".join(p.read_bytes() for p in files)
    assert str(tree["canary"]).encode() in contents  # the canary project is there
    for canary in tree.canaries:
        assert canary.encode("utf-8") not in contents, canary


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_fifo_or_a_device_in_the_output_folder_is_refused_at_once(
    portfolio: Portfolio, tmp_path: Path, kind: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    if kind == "fifo":
        os.mkfifo(out / "index.html")
    else:
        (out / "index.html").symlink_to("/dev/zero")
    expected = "named pipe" if kind == "fifo" else "is a device"
    with pytest.raises(PortfolioError, match=f"index.html: .*{expected}"):
        write_portfolio(portfolio, out)
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]
