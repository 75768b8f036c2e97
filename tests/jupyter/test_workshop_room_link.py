"""What the room's link allows: the participant page and its widgets, nothing more.

* It runs no code. Whoever holds the link can reach the websocket of the kernel behind their
  page (its id is in the page). Jupyter's own server lets any ``execute_request`` through it: one
  message would run code as the facilitator, on their laptop. The workshop server, like Voilà on
  its own, lets through only the messages widgets need (comms, kernel info, shutdown).
* It opens no facilitator form: the facilitator's page wants the key of the facilitator's link
  as well as the room's token.
"""

from __future__ import annotations

import asyncio
import json
import re
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import CHROMIUM_ARGS, free_port

from codesign.scaffold import ProjectSpec, create_project

pytestmark = pytest.mark.e2e


def message(msg_type: str, content: dict[str, Any]) -> str:
    header = {
        "msg_id": uuid.uuid4().hex,
        "msg_type": msg_type,
        "username": "room",
        "session": uuid.uuid4().hex,
        "version": "5.3",
        "date": "2026-11-25T00:00:00Z",
    }
    return json.dumps(
        {
            "header": header,
            "parent_header": {},
            "metadata": {},
            "content": content,
            "channel": "shell",
            "buffers": [],
        }
    )


async def replies(url: str, sent: list[str], wait: float) -> list[str]:
    """Send ``sent`` on the kernel's channel; the message types heard back within ``wait`` s."""
    from tornado.websocket import websocket_connect

    connection = await websocket_connect(url)
    heard: list[str] = []
    for text in sent:
        await connection.write_message(text)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    while loop.time() < deadline:
        try:
            reply = await asyncio.wait_for(connection.read_message(), deadline - loop.time())
        except TimeoutError:
            break
        if reply is None:
            break
        if isinstance(reply, str):
            heard.append(json.loads(reply)["header"]["msg_type"])
    connection.close()
    return heard


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 - 127.0.0.1
        return str(response.read().decode("utf-8"))


def test_a_participant_cannot_run_code_through_their_pages_kernel(
    tmp_path: Path, server_factory: Any
) -> None:
    project = create_project(ProjectSpec.from_name("Triage", preset="triage"), tmp_path / "work")
    port = free_port()
    server = server_factory(
        ["workshop", "--project", str(project), "--port", str(port), "--no-browser"]
    )
    url = server.wait_for(r"Participants \(one each, laptop or phone\): (\S+)").group(1)
    page = fetch(url)
    kernel = re.search(r'"kernelId": "([0-9a-f-]{36})"', page)
    assert kernel, "the page names its kernel"
    marker = tmp_path / "ran-code"
    channel = f"ws://127.0.0.1:{port}/api/kernels/{kernel.group(1)}/channels?token={server.token}"
    code = f"open({str(marker)!r}, 'w').write('code ran')"
    heard = asyncio.run(
        replies(
            channel,
            [
                message("execute_request", {"code": code, "silent": False}),
                message("kernel_info_request", {}),
            ],
            wait=15,
        )
    )
    assert "kernel_info_reply" in heard  # the channel works: widgets' messages go through
    assert "execute_reply" not in heard
    assert not marker.exists()
    assert server.stop() == 0


def test_the_rooms_token_alone_does_not_open_the_facilitators_forms(
    chromium_path: str, tmp_path: Path, server_factory: Any
) -> None:
    from playwright.sync_api import sync_playwright

    project = create_project(ProjectSpec.from_name("Triage", preset="triage"), tmp_path / "work")
    port = free_port()
    server = server_factory(
        ["workshop", "--project", str(project), "--port", str(port), "--no-browser"]
    )
    server.wait_for(r"Participants \(one each, laptop or phone\): (\S+)")
    facilitator = re.search(r"Facilitator \(every form\): (\S+)", server.output())
    assert facilitator
    assert "&key=" in facilitator.group(1)
    base = f"http://127.0.0.1:{port}"
    room = f"?token={server.token}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(60_000)

            def shown(url: str) -> str:
                page.goto(url)
                page.locator(".codesign-page").wait_for()
                return str(page.locator(".codesign-page").inner_text())

            for url in (  # a participant who edits the page's name in their link, or guesses
                f"{base}/voila/render/facilitator.ipynb{room}",
                f"{base}/voila/render/facilitator.ipynb{room}&key=guess",
            ):
                text = shown(url)
                assert "This page is the facilitator" in text
                assert "Outcome consensus" not in text
            assert "Outcome consensus" in shown(facilitator.group(1))
            assert "I am" in shown(f"{base}/{room}")  # the bare link: the participant page
        finally:
            browser.close()
    assert server.stop() == 0
