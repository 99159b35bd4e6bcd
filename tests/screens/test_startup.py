"""Start-up of every screen as a real run starts it, on whichever Python runs the suite.

Pilot tests (``run_test``) leave asyncio's default task factory in place, but ``App.run`` sets
``asyncio.eager_task_factory`` on Python 3.12 and newer: a screen's task then starts the moment
it is registered. The first tests here start the app through ``run_async`` (what ``hall desk``
does) so that difference is exercised; the last ones start ``hall`` as a real process and read
its exit status, which a supervisor restarting a crashed terminal relies on.
``.ci/run`` runs this file on the newest Python the machine has too.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from textual.pilot import Pilot

from hall import Hall
from screens.app import HallApp
from screens.launcher.launcher import ROLES
from tests.helpers import TEST_PASSWORD, with_passwords

ROOT = Path(__file__).resolve().parents[2]
STAFF = {"desk": "desk01", "window": "win01", "board": None, "leaders": "mgr01",
         "incidents": "mgr01", "cases": "mgr01", "stats": "mgr01", "launcher": "mgr01"}
SCREENS = {"launcher": "LauncherScreen", **{r.mode: r.screen.partition(":")[2] for r in ROLES}}


@pytest.mark.parametrize("start", list(SCREENS))
def test_each_screen_starts_as_app_run_starts_it(start: str, sqlite_hall: Hall,
                                                 tmp_path: Path) -> None:
    app = HallApp(sqlite_hall, staff=STAFF[start], start=start, data_dir=tmp_path,
                  window=1 if start == "window" else None)
    seen: list[str] = []

    async def look(pilot: Pilot) -> None:
        await pilot.pause()
        seen.append(type(pilot.app.screen).__name__)
        pilot.app.exit()

    asyncio.run(app.run_async(headless=True, size=(120, 40), auto_pilot=look))
    assert app.return_code in (None, 0), f"{start} crashed on Python {sys.version}"
    assert seen == [SCREENS[start]]


def test_a_crash_keeps_its_exit_status_when_a_quit_follows(sqlite_hall: Hall, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from screens.desk.screen import DeskScreen

    def crash(self: DeskScreen) -> None:
        raise RuntimeError("planted fault")

    monkeypatch.setattr(DeskScreen, "on_mount", crash)
    app = HallApp(sqlite_hall, staff="desk01", start="desk", data_dir=tmp_path)

    async def quit_after(pilot: Pilot) -> None:  # Ctrl+Q already typed when the screen broke
        await pilot.pause()
        pilot.app.exit()

    asyncio.run(app.run_async(headless=True, size=(80, 24), auto_pilot=quit_after))
    assert app.return_code == 1


def signed_in(tmp_path: Path) -> dict[str, str]:
    """The environment that signs a process in: the database of ``hall_process`` made now, every
    account with TEST_PASSWORD (hashed cheaply; checking it costs the same little)."""
    from config import DEFAULT_CONFIG, load_config
    from hall.clock import SystemClock
    from models import open_database

    db = open_database(str(tmp_path / "hall.sqlite"))
    with_passwords(Hall(db, load_config(DEFAULT_CONFIG), SystemClock()))
    db.close()
    return {"HALL_PASSWORD": TEST_PASSWORD}


def hall_process(tmp_path: Path, *argv: str, code: str = "", press: str = "ctrl+q",
                 env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``hall ARGV`` as a real process; ``code`` runs first in it (to plant a fault)."""
    extra = env or {}
    env = {k: v for k, v in os.environ.items()
           if k not in ("HALL_CONFIG", "HALL_STAFF", "HALL_PASSWORD", "HALL_TOKEN")}
    env.update(HALL_DB=str(tmp_path / "hall.sqlite"), TEXTUAL_PRESS=press, PYTHONPATH=str(ROOT))
    env.update(extra)
    script = f"{code}\nimport runpy\nrunpy.run_module('main', run_name='__main__')"
    return subprocess.run([sys.executable, "-c", script, *argv], cwd=tmp_path, env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("argv", [("--staff", "desk01", "desk"),
                                  ("--staff", "mgr01", "incidents")], ids=["desk", "incidents"])
def test_hall_desk_and_incidents_start_and_quit_cleanly(argv: tuple[str, ...],
                                                        tmp_path: Path) -> None:
    done = hall_process(tmp_path, *argv, env=signed_in(tmp_path))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "Error" not in done.stdout + done.stderr


MODULES = """
import atexit, json, sys
atexit.register(lambda: print("MODULES", json.dumps(sorted(sys.modules)), file=sys.stderr))
"""
NOT_FOR_THE_DESK = ("hall.cases", "hall.leaders.bookings", "hall.leaders.plan",
                    "screens.cases.screen", "screens.window", "screens.dialogs.booking",
                    "screens.incidents.screen", "screens.leaders")


def test_the_desk_does_not_load_what_other_roles_use(tmp_path: Path) -> None:
    """Start-up (issue 10 §5): a desk loads neither the cases (the overdue mark is read on
    managers' terminals only), nor the window's screens and dialogs, nor the reception days'
    bookings and planning (until someone books or a walk-in asks), nor the managers' screens."""
    done = hall_process(tmp_path, "--staff", "desk01", "desk", code=MODULES,
                        env=signed_in(tmp_path))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    # The terminal's own output shares stderr: the report is what follows its mark.
    modules = set(json.loads(done.stderr.rpartition("MODULES ")[2]))
    assert {"screens.desk.screen", "screens.cases.watch"} <= modules  # the probe sees imports
    assert sorted(m for m in modules if m.startswith(NOT_FOR_THE_DESK)) == []


CRASH = """
from screens.desk.screen import DeskScreen
def crash(self):
    raise RuntimeError("planted fault")
DeskScreen.on_mount = crash
"""


def test_a_crashed_screen_exits_non_zero(tmp_path: Path) -> None:
    done = hall_process(tmp_path, "--staff", "desk01", "desk", code=CRASH, press="",
                        env=signed_in(tmp_path))
    assert "planted fault" in done.stdout + done.stderr
    assert done.returncode == 1


@pytest.mark.parametrize("env", [{"HALL_TOKEN": "hall_not-a-token"},
                                 {"HALL_STAFF": "desk01", "HALL_PASSWORD": "wrong-password"}],
                         ids=["token", "password"])
def test_credentials_that_do_not_sign_in_exit_3_before_the_screen_opens(
        env: dict[str, str], tmp_path: Path) -> None:
    signed_in(tmp_path)
    done = hall_process(tmp_path, "desk", env=env, press="")
    assert done.returncode == 3, done.stdout[-2000:] + done.stderr[-2000:]
    assert done.stderr.strip() in ("hall: 访问令牌无效，请向管理员申请新的令牌",
                                   "hall: 登录名或密码错误")
    assert done.stdout == ""


def _styles(screen: object) -> list[tuple[str, str]]:
    """Every widget of ``screen`` with the CSS it has now."""
    return [(repr(node), node.styles.css)  # type: ignore[attr-defined]
            for node in screen.walk_children()]  # type: ignore[attr-defined]


@pytest.mark.parametrize("start", ["desk", "window", "board"])
def test_a_screen_first_shown_is_not_restyled_again_and_has_the_styles_a_restyle_gives(
        start: str, sqlite_hall: Hall, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Shown for the first time, a screen skips Textual's restyle of every widget on resume
    (screens.resume: its mount has just styled them); the oracle is that restyle, run after."""
    from textual import events
    from textual.screen import Screen

    resumes: list[tuple[str, bool]] = []
    textual_resume = Screen._on_screen_resume

    def resume(screen: Screen[object], event: events.ScreenResume) -> None:
        resumes.append((type(screen).__name__, event.refresh_styles))
        textual_resume(screen, event)

    monkeypatch.setattr(Screen, "_on_screen_resume", resume)
    app = HallApp(sqlite_hall, staff=STAFF[start], start=start, data_dir=tmp_path,
                  window=1 if start == "window" else None)
    seen: dict[str, object] = {}

    async def look(pilot: Pilot) -> None:
        await pilot.pause()
        screen = pilot.app.screen
        first = _styles(screen)
        screen.update_node_styles(animate=False)
        seen.update(first=first, restyled=_styles(screen), widgets=len(first))
        pilot.app.exit()

    asyncio.run(app.run_async(headless=True, size=(120, 40), auto_pilot=look))
    assert app.return_code in (None, 0)
    assert seen["first"] == seen["restyled"]
    assert isinstance(seen["widgets"], int) and seen["widgets"] > 10
    mine = [refresh for name, refresh in resumes if name == SCREENS[start]]
    assert mine and not any(mine), resumes


def test_a_screen_shown_again_after_being_hidden_is_restyled(
        sqlite_hall: Hall, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After a suspend (here a trip to the launcher, F10), each resume restyles it as Textual
    does: CSS or a theme may have changed while it was hidden."""
    from textual import events
    from textual.screen import Screen

    resumes: list[tuple[str, bool]] = []
    textual_resume = Screen._on_screen_resume

    def resume(screen: Screen[object], event: events.ScreenResume) -> None:
        resumes.append((type(screen).__name__, event.refresh_styles))
        textual_resume(screen, event)

    monkeypatch.setattr(Screen, "_on_screen_resume", resume)
    app = HallApp(sqlite_hall, staff="desk01", start="desk", data_dir=tmp_path)

    async def over_and_back(pilot: Pilot) -> None:
        await pilot.pause()
        resumes.append(("shown", False))
        for _ in range(2):
            await pilot.app.switch_mode("launcher")
            await pilot.pause()
            await pilot.app.switch_mode("desk")
            await pilot.pause()
        pilot.app.exit()

    asyncio.run(app.run_async(headless=True, size=(120, 40), auto_pilot=over_and_back))
    after = resumes[resumes.index(("shown", False)) + 1:]
    assert [r for r in after if r[0] == "DeskScreen"] == [("DeskScreen", True)] * 2, resumes
