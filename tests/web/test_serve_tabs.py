"""``hall serve --max-tabs N``: each browser tab is a process on the server, so at most N are open
at once. One more is refused before any process starts: the page answers 503 with the reason in
Chinese, a WebSocket opened anyway is closed with code 1013 and a short reason; once a tab closes,
a new one opens again. A limit outside 1–500 is bad input (exit 2).
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from cli.serve import MAX_TABS, TAB_LIMIT_REASON, too_many_tabs
from tests.web.test_serve import ROOT, children_of, environment, serving


def tabs_of(server_pid: int) -> list[int]:
    """The tab processes (``python -m main …``) the server has started and not yet reaped."""
    found = []
    for pid in children_of(server_pid):
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:  # gone meanwhile
            continue
        if argv[1:3] == [b"-m", b"main"]:  # the interpreter (not a shell that started it)
            found.append(pid)
    return found


def page_status(base: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(base + "/", timeout=60) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read().decode()


def test_a_tab_past_the_limit_is_refused_and_one_opens_again_when_a_tab_closes(
        tmp_path: Path) -> None:
    from aiohttp import ClientSession, WSMsgType

    async def scene(base: str, server_pid: int) -> None:
        ws_url = base.replace("http", "ws") + "/ws?width=100&height=30"
        async with ClientSession() as session:
            first = await session.ws_connect(ws_url)
            shown = b""
            while "请登录".encode() not in shown:  # the first tab's login dialog, drawn
                message = await asyncio.wait_for(first.receive(), 60)
                if isinstance(message.data, bytes):
                    shown += message.data
            assert len(tabs_of(server_pid)) == 1

            status, text = await asyncio.to_thread(page_status, base)
            assert (status, text) == (503, too_many_tabs(1))

            second = await session.ws_connect(ws_url)
            closing = await asyncio.wait_for(second.receive(), 30)
            assert closing.type == WSMsgType.CLOSE
            assert (closing.data, closing.extra) == (1013, TAB_LIMIT_REASON)
            assert len(tabs_of(server_pid)) == 1  # no process was started for it

            await first.close()
            deadline = time.monotonic() + 30
            while (await asyncio.to_thread(page_status, base))[0] != 200:
                assert time.monotonic() < deadline, "the closed tab still counts"
                await asyncio.sleep(0.2)
            third = await session.ws_connect(ws_url)
            shown = b""
            while "请登录".encode() not in shown:
                message = await asyncio.wait_for(third.receive(), 60)
                assert message.type != WSMsgType.CLOSE, message
                if isinstance(message.data, bytes):
                    shown += message.data
            await third.close()

    with serving(tmp_path, "desk", "--max-tabs", "1") as (base, server):
        asyncio.run(scene(base, server.pid))


def test_the_default_limit_is_said_in_the_help() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "serve", "--help"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert "--max-tabs" in done.stdout and f"默认 {MAX_TABS}" in done.stdout


@pytest.mark.parametrize("limit", ["0", "501", "-3"])
def test_a_limit_out_of_range_exits_2(tmp_path: Path, limit: str) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "serve", "--port", "8000",
                           "--max-tabs", limit],
                          env=environment(tmp_path, f"sqlite:///{tmp_path / 'hall.db'}"),
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done
    assert "--max-tabs 应为 1 到 500 之间的整数" in done.stderr
    assert not (tmp_path / "hall.db").exists()  # nothing written
