"""The desk in a real terminal (tmux), typed at a card reader's speed: 10 ms per key.

Thirty registrations in a row, each typed straight through with no pause for the screen (ID, Enter,
name, Enter, phone, Enter, Enter, Enter, category initials, Enter, 事由, F5), the ticket closed with
Enter once it shows, then every stored visit is compared with what was typed. (The next card read at
once after that Enter is tested without a clock in test_desk_typeahead.py, a key arriving while the
one before is on its way back in test_keys.py.) This is what failed in
the hall's trial (4 runs in 33 went wrong at 80 ms per key; at 10 ms the phone landed in the name
every time). Skipped where tmux is not installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from hall.text.idnumber import check_character
from models import Ticket, Visit, Visitor, open_database

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-11-23T09:30:00+08:00"
RUNS = 30
KEY_SECONDS = 0.010
TICKET_SHOWN = "完成，下一位"  # the ticket screen's key line

pytestmark = [
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
    # Opt-in: it types in real time for one to two minutes, and a real-time test is at the
    # mercy of the machine. It failed about one run in three while the app's look-ahead could
    # hide a returning Enter (screens/keys.py); since, 30 runs in a row passed at load 3-11 on
    # 2 cores (2026-12-06). The same moment is met without a clock in test_keys.py.
    pytest.mark.skipif(not os.environ.get("HALL_TEST_TMUX"),
                       reason="set HALL_TEST_TMUX=1 to type 30 registrations in tmux"),
]


def person(i: int) -> tuple[str, str, str, str]:
    first17 = f"3201021985061{i:03d}" + "1"
    return (first17 + check_character(first17), "张王李赵刘陈"[i % 6] + "建国秀英"[i % 4],
            f"1380000{i:04d}", f"工地拖欠工资第{i}次")


class Tmux:
    def __init__(self, name: str) -> None:
        self.name = name

    def run(self, *args: str) -> str:
        return subprocess.run(["tmux", *args], check=True, capture_output=True,
                              text=True).stdout

    def pane(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.name)

    def wait_for(self, text: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.pane():
                return
            time.sleep(0.05)
        raise AssertionError(f"{text!r} not on screen after {timeout} s:\n{self.pane()}")

    def wait_for_not(self, text: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text not in self.pane():
                return
            time.sleep(0.05)
        raise AssertionError(f"{text!r} still on screen after {timeout} s:\n{self.pane()}")

    def type(self, *keys: str) -> None:
        """Each key on its own, KEY_SECONDS apart; text as literal characters."""
        for key in keys:
            if key in ("Enter", "F5", "Tab"):
                self.run("send-keys", "-t", self.name, key)
                time.sleep(KEY_SECONDS)
                continue
            for char in key:
                self.run("send-keys", "-t", self.name, "-l", char)
                time.sleep(KEY_SECONDS)


def test_thirty_registrations_at_ten_ms_per_key(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hall.db'}"
    env = {**os.environ, "HALL_NOW": NOW, "XDG_DATA_HOME": str(tmp_path), "TERM": "xterm-256color"}
    name = f"hall-desk-{uuid.uuid4().hex[:8]}"
    command = " ".join([sys.executable, str(ROOT / "main.py"), "--db", url, "--staff", "desk01",
                        "desk"])
    subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", "120", "-y", "40", command],
                   check=True, env=env, cwd=tmp_path)
    tmux = Tmux(name)
    try:
        tmux.wait_for("登记分流台")
        tmux.wait_for("江川")
        time.sleep(1.0)  # the first paint and the queue panel's first read
        for i in range(RUNS):
            id_number, visitor, phone, matter = person(i)
            tmux.type(id_number, "Enter", visitor, "Enter", phone, "Enter", "Enter", "Enter",
                      "nmg", "Enter", matter, "F5")
            tmux.wait_for(TICKET_SHOWN, timeout=15)
            tmux.type("Enter")
            tmux.wait_for_not(TICKET_SHOWN, timeout=15)  # the ticket is handed over
        time.sleep(0.5)
    finally:
        pane = tmux.pane()
        subprocess.run(["tmux", "kill-session", "-t", name], check=False)
    db = open_database(url)
    try:
        rows = list(Visit.select(Visitor.id_number, Visitor.name, Visitor.phone, Visit.category,
                                 Visit.matter, Ticket.number)
                    .join(Visitor).switch(Visit).join(Ticket, on=(Ticket.visit == Visit.id))
                    .order_by(Visit.id).tuples())
    finally:
        db.close()
    expected = [(*person(i)[:3], "wages", person(i)[3], f"L{i + 1:03d}") for i in range(RUNS)]
    assert rows == expected, f"the screen at the end:\n{pane}"
