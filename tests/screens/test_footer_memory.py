"""Terminals that run all day keep flat memory: the footer's keys are not kept after a rebuild.

Textual 8.2.8's Footer rebuilt its keys on every binding refresh (each window reload, each focus
move at the desk), and every key it replaced stayed alive through a watcher entry on the footer
(Textual issue 6666): after 30 window reloads 324 FooterKeys were alive for 9 on screen. These
count the FooterKey objects alive (``gc``) before and after many reloads, focus moves and real
changes of the keys shown: the count may not grow beyond what the screen shows.
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import ClassVar

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.pilot import Pilot
from textual.widgets._footer import FooterKey

import main
from hall import Hall
from screens.app import HallApp
from screens.widgets.footer import KeyFooter
from screens.window.screen import WindowScreen
from tests.helpers import distinct_id, form, run_async

ROUNDS = 30
ROOT = Path(__file__).resolve().parents[2]


def alive() -> int:
    """FooterKey objects alive in this process, whoever holds them."""
    gc.collect()
    return sum(isinstance(o, FooterKey) for o in gc.get_objects())


def shown(app: App[object]) -> int:
    return len(app.screen.query(FooterKey))


async def settle(pilot: Pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@run_async
async def test_window_reloads_keep_no_footer_keys(sqlite_hall: Hall) -> None:
    for n in range(1, 5):
        sqlite_hall.desk.issue(form(name="欧阳明月", id_number=distinct_id(n), category="reform"),
                               actor="desk01")
    app = main.make_app(sqlite_hall, "win01", start="window", window=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WindowScreen) and screen.view is not None
        before, on_screen = alive(), shown(app)
        keys = list(app.screen.query(FooterKey))
        for n in range(ROUNDS):
            # Another desk issues (the counter moves) and the window reloads; every fifth round
            # F2 pauses or resumes, which does change the bindings.
            sqlite_hall.desk.issue(form(name="司马长风", id_number=distinct_id(10 + n),
                                        category="reform"), actor="desk01")
            screen.poll(force=True)
            await settle(pilot)
            if n % 5 == 0:
                await pilot.press("f2")
                await settle(pilot)
        assert len(screen.view.waiting) == 4 + ROUNDS  # it did reload every time
        assert shown(app) == on_screen
        # The keys shown never changed (F2 is in the state bar), so they were never rebuilt.
        assert all(a is b for a, b in zip(app.screen.query(FooterKey), keys, strict=True))
        assert alive() - before <= 0, f"{alive() - before} FooterKeys more after {ROUNDS} reloads"


@run_async
async def test_desk_focus_moves_keep_no_footer_keys(sqlite_hall: Hall, tmp_path: Path) -> None:
    app = HallApp(sqlite_hall, staff="desk01", start="desk", data_dir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        before, on_screen = alive(), shown(app)
        focused = set()
        for _ in range(ROUNDS):
            await pilot.press("tab")
            await pilot.pause()
            focused.add(id(app.focused))
        await settle(pilot)
        assert len(focused) > 5  # the focus did travel
        assert shown(app) == on_screen
        assert alive() - before <= 0, f"{alive() - before} FooterKeys more after {ROUNDS} Tabs"


class Toggle(App[None]):
    """A screen whose footer really changes: the 「保存」 key turns on and off."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5", "save", "保存", id="t.save"), Binding("f6", "flip", "切换", id="t.flip")]
    can_save = True

    def compose(self) -> ComposeResult:
        yield KeyFooter(compact=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "save" and not self.can_save else True  # None: shown dimmed

    def action_flip(self) -> None:
        self.can_save = not self.can_save
        self.refresh_bindings()


def save_key(app: App[None]) -> FooterKey:
    return next(k for k in app.screen.query(FooterKey) if k.action == "save")


@run_async
async def test_a_footer_that_changes_is_rebuilt_and_frees_the_old_keys() -> None:
    app = Toggle()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        before = alive()
        for _ in range(ROUNDS):
            await pilot.press("f6")
            await pilot.pause()
            assert save_key(app).has_class("-disabled") == (not app.can_save)  # rebuilt
        assert alive() - before <= 0, f"{alive() - before} FooterKeys more after {ROUNDS} changes"


@pytest.mark.parametrize("path", sorted((ROOT / "screens").rglob("*.py")),
                         ids=lambda p: p.relative_to(ROOT).as_posix())
def test_screens_use_the_footer_that_does_not_leak(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "yield Footer(" not in text, "use screens.widgets.footer.KeyFooter"
