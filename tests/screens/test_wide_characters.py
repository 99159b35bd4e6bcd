"""Chinese characters stay whole where a toast crosses a widget edge (Textual issue 6357;
screens/compositor.py patches the compositor when the app is built).

At 80 columns the window screen's F3 refusal toast read "能过号" for "尚不能过号"; at 100 it lost
需 and at 120 不能. The toast is read here from what the compositor sends to the terminal: the
rendered screen lines, at every width from 80 to 200, and a partial update played into a small
terminal model (a wide character half overwritten is lost there, as in a real terminal).
"""

from __future__ import annotations

import re

import pytest
from rich.cells import get_character_cell_size
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.geometry import Region
from textual.widgets import Static
from textual.widgets._toast import Toast

import main
from hall import Hall
from screens.app import HallApp
from screens.compositor import is_applied, keep_wide_characters, upstream_compositor
from screens.window.screen import WindowScreen
from tests.helpers import distinct_id, form, run_async
from tests.screens.test_window_screen import opened, press, until

REFUSAL = "尚不能过号：需重呼 2 次或叫号满 5 分钟（已重呼 0 次，已过 0 分钟）"


def toast_lines(app: App[object], toast: Toast) -> tuple[list[str], list[str]]:
    """The toast's lines as the screen shows them, and as the toast itself drew them."""
    x, y, width, height = toast.region
    screen = app.screen._compositor.render_strips()
    shown = [screen[row].crop(x, x + width).text for row in range(y, y + height)]
    drawn = [strip.text for strip in toast.render_lines(Region(0, 0, width, height))]
    return shown, drawn


def squeeze(text: str) -> str:
    """The text without the toast's left edge (▌) and the spaces its wrapping adds."""
    return re.sub(r"[\s▌]+", "", text)


@pytest.fixture
def hall(sqlite_hall: Hall) -> Hall:
    sqlite_hall.desk.issue(form(name="欧阳明月", id_number=distinct_id(1), category="reform"),
                           actor="desk01")
    return sqlite_hall


def shown_toasts(app: App[object]) -> list[Toast]:
    """The toasts in the screen's last layout (the one the rendered lines come from)."""
    return [w for w in app.screen._compositor.visible_widgets if isinstance(w, Toast)]


@run_async
async def test_the_no_show_refusal_reads_whole_at_every_width_from_80_to_200(hall: Hall) -> None:
    app: HallApp = main.make_app(hall, "win01", start="window", window=1)
    cut: dict[int, list[str]] = {}
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await opened(pilot)
        await press(pilot, "f5")
        app.clear_notifications()  # 请 R001 号到1号窗口
        await until(pilot, lambda: not shown_toasts(app))
        for width in range(80, 201):
            await pilot.resize_terminal(width, 24)
            if not shown_toasts(app):  # the first time, and whenever the toast has timed out
                await pilot.press("f3")
                await until(pilot, lambda: bool(shown_toasts(app)))
            # Read at once (no await from the check): the layout and the lines are of one moment.
            assert isinstance(app.screen, WindowScreen) and app.size.width == width
            (toast,) = shown_toasts(app)
            shown, drawn = toast_lines(app, toast)
            if shown != drawn or squeeze(REFUSAL) not in squeeze("".join(shown)):
                cut[width] = shown
    assert not cut, f"the refusal is cut at widths {sorted(cut)}: {cut}"


# -- the partial update: what reaches the terminal --------------------------------------------


class Terminal:
    """Cells written by cursor moves and text, as a terminal keeps them: writing over either half
    of a wide character blanks the whole character."""

    CONTROL = re.compile(r"\x1b\[(\d+);(\d+)H|\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x1b]*\x1b\\|\n")

    def __init__(self, width: int, height: int) -> None:
        self.cells = [[" "] * width for _ in range(height)]
        self.x = self.y = 0

    def write(self, data: str) -> None:
        position = 0
        for match in self.CONTROL.finditer(data):
            self._text(data[position:match.start()])
            if match.group(1):
                self.y, self.x = int(match.group(1)) - 1, int(match.group(2)) - 1
            elif match.group(0) == "\n":
                self.y, self.x = self.y + 1, 0
            position = match.end()
        self._text(data[position:])

    def _text(self, text: str) -> None:
        row = self.cells[self.y]
        for character in text:
            size = get_character_cell_size(character)
            for x in range(self.x, self.x + size):
                if row[x] == "":  # the right half of a wide character: the character goes
                    row[x - 1] = " "
                if x + 1 < len(row) and row[x + 1] == "":
                    row[x + 1] = " "
            row[self.x] = character
            if size == 2:
                row[self.x + 1] = ""
            self.x += size

    def line(self, y: int) -> str:
        return "".join(self.cells[y])


class Overlaid(App[None]):
    """Two widgets side by side with an edge at x=11, inside 六 of the overlay above them."""

    CSS = """
    Horizontal { height: 3; }
    #left { width: 11; height: 100%; }
    #right { width: 1fr; height: 100%; }
    #over { overlay: screen; position: absolute; offset: 0 1; width: 30; height: 1; }
    """

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Static("左", id="left")
            yield Static("右", id="right")
        yield Static("一二三四五六七八", id="over")


@run_async
async def test_a_partial_update_from_inside_a_merged_chop_rewrites_the_character_whole() -> None:
    keep_wide_characters()
    app = Overlaid()
    async with app.run_test(size=(40, 5)) as pilot:
        await pilot.pause()
        compositor = app.screen._compositor
        terminal = Terminal(40, 5)
        terminal.write(compositor.render_update(full=True).render_segments(app.console))
        assert terminal.line(1).startswith("一二三四五六七八")
        # Something under the overlay changed from x=5 on: the update starts inside 三 and
        # crosses the edge at 11, where 六 straddles it.
        compositor._dirty_regions.add(Region(5, 1, 35, 1))
        update = compositor.render_partial_update()
        assert update is not None
        terminal.write(update.render_segments(app.console))
        assert terminal.line(1).startswith("一二三四五六七八")


def test_the_app_applies_the_patch_and_the_upstream_compositor_can_be_had_back(
        hall: Hall) -> None:
    main.make_app(hall, "win01", start="window", window=1)
    assert is_applied()
    with upstream_compositor():
        assert not is_applied()
    assert is_applied()
