"""``hall serve``: the command serves the hall's page over real HTTP; the page and everything it
loads name no host but the server (halls run on closed networks); each browser tab's ``hall``
starts with no sign-in from the server's environment (HALL_TOKEN, HALL_STAFF, HALL_PASSWORD
set for the server are absent from the tab's process, which shows the login dialog); the
Chinese font is served; bad arguments exit 2.

:func:`serving` (a ``hall serve`` process on a free port) is used by the browser test too.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.helpers import accounts_ready
from tests.web.test_status_page_cli import NOW, ROOT, free_port

SECRETS = {"HALL_TOKEN": "tok-not-for-tabs", "HALL_STAFF": "mgr01",
           "HALL_PASSWORD": "pw-not-for-tabs"}


def environment(tmp_path: Path, db: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HALL_")}
    env.update(HALL_NOW=NOW, HALL_DATA=str(tmp_path / "data"), HALL_DB=db)
    return env


def ready_database(tmp_path: Path) -> str:
    """A hall database whose accounts all have the test password."""
    url = f"sqlite:///{tmp_path / 'hall.db'}"
    bound = dict(os.environ)
    try:
        os.environ["HALL_NOW"] = NOW
        accounts_ready(url)
    finally:
        os.environ.clear()
        os.environ.update(bound)
    return url


@contextmanager
def serving(tmp_path: Path, *args: str, extra_env: dict[str, str] | None = None
            ) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``hall serve --port FREE *args`` running; (its address, the process). Stopped (SIGTERM,
    exit 0 expected) after."""
    url = ready_database(tmp_path)
    port = free_port()
    env = environment(tmp_path, url) | (extra_env or {})
    server = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "serve", "--port",
                               str(port), *args], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        assert server.stdout is not None
        line = server.stdout.readline()  # printed once it listens
        assert f"http://127.0.0.1:{port}" in line, line + server.stdout.read()
        # Keep draining its log, so a chatty server never blocks on a full pipe.
        threading.Thread(target=server.stdout.read, daemon=True).start()
        yield f"http://127.0.0.1:{port}", server
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
    finally:
        if server.poll() is None:  # a failed test: the server and its tabs' processes go
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def fetch(url: str) -> tuple[str, bytes]:
    with urllib.request.urlopen(url, timeout=60) as answer:
        return answer.headers.get_content_type(), answer.read()


HOST = re.compile(r"(?:https?|wss?)://([^/\s\"'`)<>]+)")


def test_the_page_loads_nothing_from_another_host(tmp_path: Path) -> None:
    with serving(tmp_path, "desk") as (base, _):
        kind, page = fetch(base + "/")
        html = page.decode()
        assert kind == "text/html" and "江川市联合接访中心" in html
        loaded = re.findall(r"(?:src|href)=\"([^\"]+)\"|url\(\"([^\"]+)\"\)", html)
        urls = {a or b for a, b in loaded}
        assert {f"{base}/static/css/xterm.css", f"{base}/static/js/textual.js",
                f"{base}/hall-font/cjk.ttf"} <= urls, urls
        texts = {base + "/": html}
        for url in sorted(urls):
            assert url.startswith(base + "/"), url  # every resource from the server itself
            kind, body = fetch(url)
            if url.endswith((".css", ".js")):
                text = body.decode()
                if url.endswith(".css"):
                    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)  # comments load nothing
                texts[url] = text
            elif url.endswith(".ttf"):
                assert kind == "font/ttf" or body[:4] == b"\x00\x01\x00\x00", (url, kind)
                assert body[:4] == b"\x00\x01\x00\x00"  # a TrueType font, not an error page
        assert "fonts.googleapis" not in html
        own = base.removeprefix("http://")
        for url, text in texts.items():
            others = {h for h in HOST.findall(text) if h != own}
            assert not others, (url, others)
        assert f"ws://{own}/ws" in html


def children_of(pid: int) -> list[int]:
    """Every process descended from ``pid`` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [pid]
    while frontier:
        here = frontier.pop()
        kids = [p for p, parent in parents.items() if parent == here]
        found += kids
        frontier += kids
    return found


def environ_of(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode(errors="replace").split("=", 1) for item in raw if b"=" in item)


def test_the_static_folders_are_not_listed(tmp_path: Path) -> None:
    with serving(tmp_path, "board") as (base, _):
        assert fetch(base + "/static/js/textual.js")[0] in ("application/javascript",
                                                            "text/javascript")
        for folder in ("/static/", "/static", "/static/js", "/static/js/", "/static/fonts"):
            with pytest.raises(urllib.error.HTTPError) as refused:
                fetch(base + folder)
            assert refused.value.code == 404, folder


def test_a_tab_is_signed_in_by_nobody_from_the_servers_environment(tmp_path: Path) -> None:
    from aiohttp import ClientSession

    async def open_tab(base: str, server_pid: int) -> tuple[dict[str, str], str]:
        async with ClientSession() as session, session.ws_connect(
                base.replace("http", "ws") + "/ws?width=100&height=30") as ws:
            shown = b""
            while "请登录".encode() not in shown:  # the tab's login dialog, drawn
                message = await asyncio.wait_for(ws.receive(), 60)
                assert isinstance(message.data, bytes | str), message
                if isinstance(message.data, bytes):
                    shown += message.data
            tabs = [p for p in children_of(server_pid)
                    if b"main" in Path(f"/proc/{p}/cmdline").read_bytes()]
            assert tabs, "no tab process"
            return environ_of(tabs[-1]), Path(f"/proc/{tabs[-1]}/cmdline").read_text()

    with serving(tmp_path, "desk", extra_env=SECRETS) as (base, server):
        env, cmdline = asyncio.run(open_tab(base, server.pid))
    assert not set(SECRETS) & set(env), env
    assert env["HALL_DB"] == f"sqlite:///{tmp_path / 'hall.db'}"
    assert env["HALL_DATA"] == str(tmp_path / "data") and env["HALL_NOW"] == NOW
    assert env["TEXTUAL_DRIVER"].endswith("WebDriver")
    assert cmdline.split("\0")[1:4] == ["-m", "main", "desk"]
    assert "sqlite" not in cmdline  # the database's URL is not on the command line


@pytest.mark.parametrize(("argv", "said"), [
    (["--port", "0"], "--port"),
    (["--port", "8000", "--staff", "mgr01"], "不代任何人登录"),
    (["--port", "8000", "desk", "5"], "只有 window"),
    (["--port", "8000", "window", "99"], "没有 99 号窗口"),
])
def test_bad_arguments_exit_2(tmp_path: Path, argv: list[str], said: str) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "serve", *argv],
                          env=environment(tmp_path, f"sqlite:///{tmp_path / 'hall.db'}"),
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done
    assert said in done.stderr, done.stderr


def test_a_taken_port_exits_2_without_claiming_to_serve(tmp_path: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        done = subprocess.run([sys.executable, str(ROOT / "main.py"), "serve", "--port", port],
                              env=environment(tmp_path, f"sqlite:///{tmp_path / 'hall.db'}"),
                              cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done
    assert "无法在" in done.stderr and "已在" not in done.stdout
