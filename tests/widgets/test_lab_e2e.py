"""End to end: a real JupyterLab (``codesign lab``) on a scaffolded French project, in Chromium.

The server is started as a user starts it, ``codesign lab --project P --no-browser``, on
127.0.0.1, a free port and a random token, with HOME and every Jupyter folder inside the test's
tmp dir. The project's charter says ``language: fr``: JupyterLab's own menus are French (its
language pack), and so are the notebook and its forms. Chromium opens
``notebooks/00_workshop.ipynb``, runs all cells from the French menu, changes an outcome's target
the French way (``0,03``) and presses Enregistrer; the test then reads ``codesign.yaml`` on disk
(``0.03``). The English forms are driven in a browser by the workshop app's test. A screenshot
of the page is kept in ``.screenshots/lab/`` (git-ignored). The server is shut down through its
API and must exit cleanly.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from codesign.scaffold import ProjectSpec, create_project

from ..conftest import CHROMIUM_ARGS, free_port

SHOTS = Path(__file__).resolve().parents[2] / ".screenshots" / "lab"

pytestmark = pytest.mark.e2e

STEP_TIMEOUT_MS = 60_000
"""Generous for a loaded 2-core machine, bounded so a hang fails instead of stalling the suite."""


@dataclass(frozen=True)
class Lab:
    base: str
    token: str
    project: Path
    log: Path


def _request(url: str, token: str | None, method: str = "GET") -> int:
    return _call(url, token, method)[0]


def _call(url: str, token: str | None, method: str = "GET") -> tuple[int, object]:
    """Status and JSON body of a Jupyter REST call."""
    request = urllib.request.Request(url, method=method)  # noqa: S310 - http://127.0.0.1 only
    if token:
        request.add_header("Authorization", f"token {token}")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            body = response.read()
            return int(response.status), json.loads(body) if body else None
    except urllib.error.HTTPError as e:
        return e.code, None


def _wait_for_kernel(lab: Lab, timeout: float) -> None:
    """Until the notebook's kernel is up, idle, and the page is connected to it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        _, kernels = _call(f"{lab.base}/api/kernels", lab.token)
        if isinstance(kernels, list) and any(
            k.get("execution_state") == "idle" and k.get("connections", 0) > 0 for k in kernels
        ):
            return
        time.sleep(0.25)
    pytest.fail(f"the notebook's kernel was not ready within {timeout} s:\n{lab.log.read_text()}")


def _wait_until_serving(lab: Lab, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"codesign lab exited with {process.returncode}:\n{lab.log.read_text()}")
        with contextlib.suppress(OSError):
            if _request(f"{lab.base}/api/status", lab.token) == 200:
                return
        time.sleep(0.25)
    pytest.fail(f"JupyterLab did not answer within {timeout} s:\n{lab.log.read_text()}")


def _stop(lab: Lab, process: subprocess.Popen[bytes]) -> int | None:
    """Shut the server down through its API; signal its process group only if it hangs."""
    with contextlib.suppress(OSError):
        _request(f"{lab.base}/api/shutdown", lab.token, method="POST")
    try:
        return process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        return None


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[Lab]:
    spec = ProjectSpec.from_name("Triage", preset="triage", language="fr")
    project = create_project(spec, tmp_path / "work")
    home = tmp_path / "lab-home"
    config = home / "jupyter-config"  # a fresh user: JupyterLab's news prompt is not answered
    config.mkdir(parents=True)
    token = secrets.token_urlsafe(24)
    port = free_port()
    env = {
        **os.environ,
        "HOME": str(home),
        "JUPYTER_CONFIG_DIR": str(config),
        "JUPYTER_DATA_DIR": str(home / "jupyter-data"),
        "JUPYTER_RUNTIME_DIR": str(home / "jupyter-runtime"),
        "IPYTHONDIR": str(home / "ipython"),
        "JUPYTER_TOKEN": token,
    }
    argv = [sys.executable, "-m", "codesign", "lab", "--project", str(project)]
    argv += ["--port", str(port), "--no-browser"]
    if os.geteuid() == 0:  # containers and CI run as root; Jupyter wants to be told
        argv.append("--allow-root")
    log = tmp_path / "lab.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            argv,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    started = Lab(f"http://127.0.0.1:{port}", token, project, log)
    try:
        _wait_until_serving(started, process, timeout=90)
        yield started
    finally:
        code = _stop(started, process)
    assert code == 0, f"JupyterLab did not shut down cleanly ({code}):\n{log.read_text()}"


def test_a_token_is_required_and_only_loopback_is_served(lab: Lab) -> None:
    assert _request(f"{lab.base}/api/status", token=None) == 403
    assert _request(f"{lab.base}/api/status", token="not-the-token") == 403
    line = f"Workshop forms: {lab.base}/lab/tree/notebooks/00_workshop.ipynb?token="
    deadline = time.monotonic() + 60  # printed once codesign's own checks pass, after the API
    while line not in lab.log.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    text = lab.log.read_text()
    assert line in text
    assert "Extension Manager is 'readonly'" in text


def test_workshop_form_saves_the_charter_from_the_browser(
    chromium_path: str, lab: Lab, tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    charter = lab.project / "codesign.yaml"
    before = charter.read_text(encoding="utf-8")
    screenshot = SHOTS / "workshop.png"  # git-ignored, to be looked at
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1000})
            page.set_default_timeout(STEP_TIMEOUT_MS)
            page.goto(f"{lab.base}/lab/tree/notebooks/00_workshop.ipynb?reset&token={lab.token}")
            notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
            notebook.locator(".jp-Cell").first.wait_for()
            _wait_for_kernel(lab, timeout=STEP_TIMEOUT_MS / 1000)
            notebook.locator(".jp-Cell").first.click()
            page.locator('.lm-MenuBar-item:has-text("Exécution")').click()  # French JupyterLab
            page.locator('li[data-command="runmenu:run-all"]').click()

            rows = notebook.locator(".codesign-outcome-row")
            expect(rows).to_have_count(7, timeout=STEP_TIMEOUT_MS)
            target = rows.first.locator(".codesign-outcome-target-number input")
            expect(target).to_have_value("0,05")  # the charter's 0.05, written the French way
            target.fill("0,03")
            target.press("Enter")
            status = notebook.locator(".codesign-outcome-editor .codesign-save-status")
            expect(status).to_contain_text(
                "Modifications non enregistrées.", timeout=STEP_TIMEOUT_MS
            )
            notebook.locator(".codesign-outcome-editor .codesign-save").click()
            expect(status).to_contain_text(
                "Enregistré dans codesign.yaml le", timeout=STEP_TIMEOUT_MS
            )
            heading = notebook.get_by_role("heading", name="Atelier : ce que réussir veut dire")
            expect(heading.first).to_be_attached()

            # every form rendered, none as an error, and the kernel printed no warning
            # the forms near the top are drawn, none as an error; JupyterLab draws only the
            # cells near the window, so the forms further down are checked on the executed
            # notebook instead (tests/scaffold/test_notebooks.py: every form, no error)
            for form in ("use-case-form", "outcome-editor", "intended-use-form"):
                expect(notebook.locator(f".codesign-{form}")).to_be_attached(
                    timeout=STEP_TIMEOUT_MS
                )
            assert notebook.get_by_text("Error displaying widget").count() == 0
            # no "Would you like to get notified about official Jupyter news?" toast
            assert page.get_by_text("Jupyter news").count() == 0
            assert page.locator(".jp-toast-message, .Toastify__toast").count() == 0
            stderr = notebook.locator('[data-mime-type="application/vnd.jupyter.stderr"]')
            assert stderr.count() == 0, stderr.all_inner_texts()
            notebook.locator(".codesign-outcome-editor").scroll_into_view_if_needed()
            page.screenshot(path=str(screenshot))
        except Exception:
            page.screenshot(path=str(tmp_path / "failure.png"))
            print(f"screenshot of the failure: {tmp_path / 'failure.png'}")
            print(lab.log.read_text()[-5000:])
            raise
        finally:
            browser.close()

    after = charter.read_text(encoding="utf-8")
    changed = [
        (old, new)
        for old, new in zip(before.splitlines(), after.splitlines(), strict=True)
        if old != new
    ]
    assert changed == [('    target: "<= 0.05"', '    target: "<= 0.03"')]
    assert screenshot.stat().st_size > 20_000
