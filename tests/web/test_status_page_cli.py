"""``hall status-page``: the command starts, says where it listens, answers a ticket's page over
real HTTP, and stops on SIGTERM with exit 0; a taken port or a bad one exits 2."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from config import HallConfig
from hall import Hall
from hall.clock import FixedClock
from models import open_database
from tests.conftest import fill
from tests.web.serving import issue

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-11-23T09:00:00+08:00"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def environment(tmp_path: Path, db: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HALL_")}
    env.update(HALL_NOW=NOW, HALL_DATA=str(tmp_path / "data"), HALL_DB=db)
    return env


def test_the_command_serves_the_page_and_stops_on_sigterm(tmp_path: Path, config: HallConfig,
                                                          clock: FixedClock) -> None:
    url = f"sqlite:///{tmp_path / 'hall.db'}"
    fill(url, config, clock)
    db = open_database(url)
    ticket = issue(Hall(db, config, clock))
    db.close()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "status-page", "--port", str(port)],
        env=environment(tmp_path, url), cwd=ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        line = server.stdout.readline()  # printed once it listens
        assert f"http://127.0.0.1:{port}/cx?code=" in line, line + server.stderr.read()
        base = f"http://127.0.0.1:{port}/cx?code={ticket.query_code}"
        with urllib.request.urlopen(base, timeout=30) as answer:
            page = answer.read().decode()
            assert answer.status == 200 and answer.headers["Cache-Control"] == "no-store"
        assert ticket.number in page and "候谈" in page
        with urllib.request.urlopen(base + "&format=json", timeout=30) as answer:
            assert json.loads(answer.read())["number"] == ticket.number
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/cx?code=ABCDEFGHJKMN", timeout=30)
        except urllib.error.HTTPError as refused:
            assert refused.code == 404
        else:
            raise AssertionError("an unknown code was answered")
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def test_a_taken_port_or_a_bad_one_exits_2(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hall.db'}"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        for argv in (["--port", str(port)], ["--port", "70000"]):
            done = subprocess.run([sys.executable, str(ROOT / "main.py"), "status-page", *argv],
                                  env=environment(tmp_path, url), cwd=ROOT, capture_output=True,
                                  text=True, timeout=60, check=False)
            assert done.returncode == 2, done.stderr
            assert "端口" in done.stderr or "监听" in done.stderr
