"""``codesign lab``: the JupyterLab command it runs (a real start is in tests/widgets e2e)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import free_port

from codesign.charter import preset_text
from codesign.jupyter.lab import LabOptions, lab_command
from codesign.project import Project


def project(tmp_path: Path, *, with_notebook: bool = True) -> Project:
    (tmp_path / "codesign.yaml").write_text(preset_text("blank"), encoding="utf-8")
    if with_notebook:
        (tmp_path / "notebooks").mkdir()
        (tmp_path / "notebooks" / "00_workshop.ipynb").write_text("{}")
    return Project.at(tmp_path)


def test_loopback_token_in_the_environment_and_the_workshop_notebook(tmp_path: Path) -> None:
    port = free_port()
    command = lab_command(
        project(tmp_path), LabOptions(port=port, open_browser=False), {}, euid=1000
    )
    argv = " ".join(command.argv)
    config = command.server.config
    assert "--ServerApp.ip=127.0.0.1" in argv
    assert f"--ServerApp.port={port}" in argv
    assert "c.ServerApp.port_retries = 0" in config
    assert "c.ServerApp.allow_remote_access = False" in config
    assert "c.IdentityProvider.token = os.environ" in config
    assert "c.LabApp.news_url = None" in config
    assert "--LabApp.default_url=/lab/tree/notebooks/00_workshop.ipynb" in argv
    assert "--LabApp.extension_manager=readonly" in argv
    assert "--no-browser" in argv
    assert "--allow-root" not in argv
    token = command.env["JUPYTER_TOKEN"]
    assert len(token) >= 32
    assert token not in argv  # never visible in `ps`
    assert command.url == (
        f"http://127.0.0.1:{port}/lab/tree/notebooks/00_workshop.ipynb?token={token}"
    )


def test_each_start_gets_a_fresh_token_unless_the_operator_set_one(tmp_path: Path) -> None:
    folder = project(tmp_path)
    first = lab_command(folder, LabOptions(), {}, euid=1000)
    second = lab_command(folder, LabOptions(), {}, euid=1000)
    assert first.env["JUPYTER_TOKEN"] != second.env["JUPYTER_TOKEN"]
    chosen = lab_command(folder, LabOptions(), {"JUPYTER_TOKEN": "operator-token"}, euid=1000)
    assert chosen.env["JUPYTER_TOKEN"] == "operator-token"


def test_a_free_port_is_chosen_and_lab_opens_without_a_workshop_notebook(
    tmp_path: Path,
) -> None:
    command = lab_command(project(tmp_path, with_notebook=False), LabOptions(), {}, euid=1000)
    port = next(a for a in command.argv if a.startswith("--ServerApp.port="))
    assert 1024 <= int(port.split("=")[1]) <= 65535
    assert "--LabApp.default_url=/lab" in command.argv


def test_not_a_project_is_a_clear_error(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("lab", "--project", str(tmp_path), "--no-browser")
    assert result.returncode == 2
    assert "not a codesign project (no codesign.yaml)" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_port_is_refused(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("lab", "--project", str(tmp_path), "--port", "70000")
    assert result.returncode == 2
    assert "expected a port number from 1 to 65535" in result.stderr


def test_french_lab_defaults_jupyterlab_s_interface_to_french(tmp_path: Path) -> None:
    lab_dir = tmp_path / "lab"
    (lab_dir / "settings").mkdir(parents=True)
    own = {"@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"}}
    (lab_dir / "settings" / "overrides.json").write_text(json.dumps(own))
    (lab_dir / "settings" / "page_config.json").write_text('{"disabledExtensions": {}}')
    folder = tmp_path / "project"
    folder.mkdir()
    command = lab_command(
        project(folder),
        LabOptions(language="fr"),
        {"JUPYTERLAB_DIR": str(lab_dir)},
        euid=1000,
    )
    try:
        assert command.settings is not None
        assert f"--LabApp.app_settings_dir={command.settings}" in command.argv
        overrides = json.loads((command.settings / "overrides.json").read_text())
        assert overrides["@jupyterlab/translation-extension:plugin"] == {"locale": "fr_FR"}
        assert (
            overrides["@jupyterlab/apputils-extension:themes"]
            == own["@jupyterlab/apputils-extension:themes"]
        )  # the environment's own settings kept
        assert (command.settings / "page_config.json").is_file()
    finally:
        if command.settings is not None:
            shutil.rmtree(command.settings)


def test_english_lab_keeps_jupyterlab_s_settings(tmp_path: Path) -> None:
    command = lab_command(project(tmp_path), LabOptions(language="en"), {}, euid=1000)
    assert command.settings is None
    assert not any("app_settings_dir" in argument for argument in command.argv)


def test_the_french_language_pack_is_installed() -> None:
    from jupyterlab_server.translation_utils import get_language_packs

    packs, _message = get_language_packs("fr_FR")
    assert "fr_FR" in packs
