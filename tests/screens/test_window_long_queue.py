"""A window with a long queue lists the first lines in call order and counts the rest.

A window reloads whenever any terminal changes a ticket; listing every waiting visitor made each
reload cost about 90 ms at 1,000 waiting (Textual's OptionList measures every line it holds).
"""

from __future__ import annotations

from textual.widgets.option_list import Option

import main
from hall import Hall
from screens.window.screen import WindowScreen
from screens.window.waiting import SHOWN, WaitingList
from tests.helpers import distinct_id, form, run_async

WAITING = SHOWN + 30


@run_async
async def test_a_long_queue_lists_the_first_and_counts_the_rest(sqlite_hall: Hall) -> None:
    for n in range(1, WAITING + 1):
        sqlite_hall.desk.issue(form(id_number=distinct_id(n), category="reform"), actor="desk01")
    app = main.make_app(sqlite_hall, "win01", start="window", window=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WindowScreen) and screen.view is not None
        assert len(screen.view.waiting) == WAITING
        listing = screen.query_one(WaitingList)
        options: list[Option] = [listing.get_option_at_index(i)
                                 for i in range(listing.option_count)]
        assert [o.id for o in options[:SHOWN]] == [f"R{n:03d}" for n in range(1, SHOWN + 1)]
        assert len(options) == SHOWN + 1
        last = options[-1]
        assert last.disabled and "另有 30 人候谈" in str(last.prompt)
        assert screen.query_one("#waiting").border_title == f"候谈 {WAITING} 人"

        await pilot.press("end")  # the last listed visitor, not the count line
        await pilot.pause()
        assert listing.highlighted_number == f"R{SHOWN:03d}"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one("Input").value == f"R{SHOWN:03d}"  # F4's dialog, filled in
