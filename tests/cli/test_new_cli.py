"""``codesign new``: every preset, its project's own tests, bad input, prompts, isolation."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from codesign.charter import PRESETS, load_charter

from ..scaffold.conftest import (
    LAYOUT,
    assert_project_tests_pass,
    bake,
    fake_git,
    files_under,
    isolated_env,
)


def codesign_new(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "codesign", "new", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
        check=False,
    )


@pytest.fixture(scope="module")
def created(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, tuple[Path, subprocess.CompletedProcess[str]]]]:
    """One project per preset made by ``codesign new --no-input`` in a subprocess."""
    home = tmp_path_factory.mktemp("new-home")
    work = tmp_path_factory.mktemp("new")
    with isolated_env(home):
        yield {
            preset: (
                work / "projects" / f"{preset}-project",
                codesign_new(
                    f"{preset.title()} project",
                    "--preset",
                    preset,
                    "--no-input",
                    "--output-dir",
                    "projects",
                    cwd=work,
                ),
            )
            for preset in PRESETS
        }


@pytest.mark.parametrize("preset", PRESETS)
def test_new_scaffolds_every_preset(
    created: dict[str, tuple[Path, subprocess.CompletedProcess[str]]], preset: str
) -> None:
    project, result = created[preset]
    assert result.returncode == 0, result.stderr
    assert files_under(project) == LAYOUT
    assert result.stdout.startswith(f'Created "{preset.title()} project" in {project} ')
    assert f"  cd projects/{preset}-project\n" in result.stdout
    assert "codesign lab" in result.stdout
    assert result.stderr == ""
    assert not list(project.parent.glob(".codesign-new-*"))  # no staging folder left


@pytest.mark.parametrize("preset", PRESETS)
def test_new_projects_pass_their_own_tests(
    created: dict[str, tuple[Path, subprocess.CompletedProcess[str]]], preset: str
) -> None:
    assert_project_tests_pass(created[preset][0])


def test_new_makes_what_the_cookiecutter_api_makes(tmp_path: Path) -> None:
    """``codesign new`` and the plain template with its hooks produce the same files."""
    names = {
        "clinical_lead": "Dr Zoé Bernard",
        "partner_organisation": "ACME Health AI",
        "site": "CHU Exemple",
        "timezone": "Europe/Brussels",
    }
    options = [f"--{key.replace('_', '-')}={value}" for key, value in names.items()]
    result = codesign_new("Sepsis alert", "--preset=imaging", "--no-input", *options, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    ours = tmp_path / "sepsis-alert"
    theirs = bake(
        tmp_path / "api",
        tmp_path / "replay",
        project_name="Sepsis alert",
        preset="imaging",
        **names,
    )
    assert files_under(ours) == files_under(theirs) == LAYOUT
    for name in LAYOUT:
        if (ours / name).is_file():
            assert (ours / name).read_bytes() == (theirs / name).read_bytes(), name


BAD_INPUT = [
    (["{{ 7*7 }}"], 'project_name: "{{ 7*7 }}" contains template syntax "{{"'),
    (["{% import os %}"], 'contains template syntax "{%"'),
    (["Triage {# x"], 'contains template syntax "{#"'),
    (["site-a/triage"], "project_name: "),
    (["../triage"], "project_name: "),
    (["/tmp/triage"], "project_name: "),
    (["tri\x1bage"], "project_name: contains an invisible control character (U+001B)"),
    (["Triage\u202e"], "project_name: contains an invisible control character (U+202E)"),
    (["x" * 101], "project_name: 101 characters, expected at most 100"),
    (["???"], "gives no usable folder name"),
    (["Triage", "--preset", "triag"], 'preset: unknown preset "triag"'),
    (["Triage", "--clinical-lead", "{{ cycler.__init__ }}"], "clinical_lead: "),
    (["Triage", "--partner-organisation", "x" * 201], "partner_organisation: 201 characters"),
    (["Triage", "--site", "CHU\x07"], "site: contains an invisible control character (U+0007)"),
    (["Triage", "--timezone", "Europe/Pariss"], 'timezone: unknown time zone "Europe/Pariss"'),
    (["Triage", "--timezone", "../../etc/passwd"], "timezone: "),
    (["Triage", "--output-dir", "out/{{ 7*7 }}"], "output_dir: "),
]


@pytest.mark.parametrize(("args", "message"), BAD_INPUT)
def test_bad_input_exits_2_and_writes_nothing(
    tmp_path: Path, args: list[str], message: str
) -> None:
    args = ["--output-dir", "out", *args] if "--output-dir" not in args else args
    result = codesign_new(*args, "--no-input", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("codesign: error: ")
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert files_under(tmp_path) == []


def test_an_existing_project_is_never_touched(tmp_path: Path) -> None:
    project = tmp_path / "triage"
    project.mkdir()
    (project / "codesign.yaml").write_text("my work\n")
    result = codesign_new("Triage", "--no-input", cwd=tmp_path)
    assert result.returncode == 2
    assert f"{project}: already exists; nothing was written" in result.stderr
    assert files_under(tmp_path) == ["triage", "triage/codesign.yaml"]
    assert (project / "codesign.yaml").read_text() == "my work\n"


def test_an_existing_empty_folder_or_link_is_a_target_that_exists(tmp_path: Path) -> None:
    (tmp_path / "triage").mkdir()
    assert codesign_new("Triage", "--no-input", cwd=tmp_path).returncode == 2
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "triage").symlink_to(elsewhere)
    result = codesign_new("Triage", "--no-input", "--output-dir", "out", cwd=tmp_path)
    assert result.returncode == 2
    assert list(elsewhere.iterdir()) == []
    (out / "dangling").symlink_to(tmp_path / "nowhere")
    assert (
        codesign_new("Dangling", "--no-input", "--output-dir", "out", cwd=tmp_path).returncode == 2
    )
    assert not (tmp_path / "nowhere").exists()


def test_output_dir_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("x")
    result = codesign_new("Triage", "--no-input", "--output-dir", "out", cwd=tmp_path)
    assert result.returncode == 2
    assert "output_dir: " in result.stderr
    assert "is a file, expected a folder" in result.stderr


def test_a_failure_half_way_leaves_nothing(tmp_path: Path) -> None:
    """git fails after the template, charter and report notebook were written: all removed,
    including the output folders this run created."""
    bin_dir = fake_git(tmp_path / "bin", fail_on="config")
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    work = tmp_path / "work"
    work.mkdir()
    result = codesign_new(
        "Triage", "--no-input", "--output-dir", "new/nested/out", cwd=work, env=env
    )
    assert result.returncode == 2
    assert "`git config` failed (exit 128): fatal: simulated failure of git config" in result.stderr
    assert files_under(work) == []


def test_cookiecutter_user_config_is_ignored_and_no_replay_is_kept(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    rc = home / ".cookiecutterrc"
    rc.write_text(
        "default_context:\n"
        "  preset: blank\n"
        "  clinical_lead: Dr Evil\n"
        "  project_slug: evil\n"
        f"replay_dir: {home / 'replay'}\n"
        f"cookiecutters_dir: {home / 'templates'}\n"
    )
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "HOME": str(home), "COOKIECUTTER_CONFIG": str(rc), "TMPDIR": str(tmp)}
    work = tmp_path / "work"
    work.mkdir()
    result = codesign_new("Triage", "--no-input", "--clinical-lead", "Dr Q", cwd=work, env=env)
    assert result.returncode == 0, result.stderr
    charter = load_charter(work / "triage").charter
    assert charter.use_case.slug == "triage"
    assert charter.clinical_lead is not None
    assert charter.clinical_lead.name == "Dr Q"
    assert len(charter.outcomes) > 0  # the triage preset, not the rc file's blank
    assert files_under(home) == [".cookiecutterrc"]
    assert files_under(tmp) == []


def test_no_terminal_means_no_question(tmp_path: Path) -> None:
    result = codesign_new("Triage", cwd=tmp_path)  # stdin is not a terminal
    assert result.returncode == 0, result.stderr
    assert "[" not in result.stderr
    assert load_charter(tmp_path / "triage").charter.clinical_lead.name == "Dr A. Martin"  # type: ignore[union-attr]


def test_prompts_for_what_is_missing_in_a_terminal(tmp_path: Path) -> None:
    primary, secondary = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "codesign", "new", "Prompted", "--site", "CHU Nord"],
        cwd=tmp_path,
        stdin=secondary,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    os.close(secondary)
    answers = ["blank", "Dr {{ bad }}", "Dr Prompt", "", "Mars/Olympus", "Europe/Berlin"]
    os.write(primary, "".join(f"{a}\n" for a in answers).encode())
    try:
        out, err = process.communicate(timeout=120)
    finally:
        os.close(primary)
    assert process.returncode == 0, err
    assert "Charter preset (triage, imaging, documentation, blank) [triage]: " in out
    assert "Clinical lead [none]: " in out
    assert "Hospital or site" not in out  # given on the command line
    assert "Time zone of the report schedule [UTC]: " in out
    assert 'clinical_lead: "Dr {{ bad }}" contains template syntax "{{"' in err
    assert 'timezone: unknown time zone "Mars/Olympus"' in err
    charter = load_charter(tmp_path / "prompted").charter
    assert charter.clinical_lead.name == "Dr Prompt"  # type: ignore[union-attr]
    assert charter.use_case.partner is None  # empty answer: the blank preset has none
    assert charter.use_case.site == "CHU Nord"
    assert charter.reports.timezone == "Europe/Berlin"


def test_end_of_input_while_prompting_writes_nothing(tmp_path: Path) -> None:
    primary, secondary = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "codesign", "new", "Prompted"],
        cwd=tmp_path,
        stdin=secondary,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    os.close(secondary)
    os.write(primary, b"blank\n\x04")  # Ctrl-D at the second question
    try:
        _, err = process.communicate(timeout=120)
    finally:
        os.close(primary)
    assert process.returncode == 2
    assert "no answer (end of input); nothing was written" in err
    assert files_under(tmp_path) == []


def test_help_offers_every_preset(run_cli) -> None:
    result = run_cli("new", "--help")
    assert result.returncode == 0
    for preset in PRESETS:
        assert preset in result.stdout
