"""The shared Picker (category, district, priority, leader, the desk's case pick): ↓ opens the
list on the current choice, ↓/↑ move, Enter takes the choice under the cursor, Esc keeps the
value. Before the fix, Enter after moving with the arrows (nothing typed) kept the old value:
the operator's pick was silently dropped."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Input

from screens.widgets.picker import Choice, Picker
from tests.helpers import run_async

CHOICES = [Choice("wages", "农民工工资"), Choice("land", "土地征收"), Choice("policy", "政策咨询")]


class PickerApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Picker(CHOICES)
        yield Input(id="after")


async def _ready(app: PickerApp, pilot: object, value: str) -> Picker:
    picker = app.query_one(Picker)
    picker.choose(value)
    picker.focus()
    await pilot.pause()  # type: ignore[attr-defined]
    return picker


@run_async
async def test_enter_takes_the_choice_the_arrows_moved_to() -> None:
    app = PickerApp()
    async with app.run_test() as pilot:
        picker = await _ready(app, pilot, "wages")
        await pilot.press("down")  # opens on 农民工工资 (the current choice)
        assert picker.is_open and picker.dropdown.highlighted == 0
        await pilot.press("down", "down", "enter")
        assert picker.value == "policy" and picker.input.value == "政策咨询"


@run_async
async def test_enter_without_moving_keeps_the_value_and_esc_keeps_it_too() -> None:
    app = PickerApp()
    async with app.run_test() as pilot:
        picker = await _ready(app, pilot, "land")
        await pilot.press("down")
        assert picker.dropdown.highlighted == 1  # the current choice, not the first
        await pilot.press("enter")
        assert picker.value == "land" and not picker.is_open
        await pilot.press("down", "down", "escape")
        assert picker.value == "land" and picker.input.value == "土地征收"


@run_async
async def test_typing_still_filters_and_takes_the_first_match() -> None:
    app = PickerApp()
    async with app.run_test() as pilot:
        picker = await _ready(app, pilot, "wages")
        picker.input.value = ""
        await pilot.press(*"政策", "enter")
        assert picker.value == "policy"
