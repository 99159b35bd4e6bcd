"""A collective visit's representatives on the window's visit panel (issue 9 §3): each on its
line with the name the window addresses them by, the phone and the ID number masked as the
visitor's own are (domain.md: phones and ID numbers masked where the viewer does not need them).

The oracle is the masking written out by hand (138****0000, the ID's first 6 and last 4), not
hall.text.masking.
"""

from __future__ import annotations

from textual.widgets import Static

import main
from hall import Hall
from models import Representative
from tests.helpers import distinct_id, form, named, run_async
from tests.screens.test_window_screen import current, opened, press, window

REPS = [distinct_id(50), distinct_id(51)]


@run_async
async def test_the_visit_panel_shows_representatives_names_and_masked_phones(
        sqlite_hall: Hall) -> None:
    sqlite_hall.desk.issue(form(name="赵卫东", id_number=distinct_id(1), category="reform",
                                matter="企业改制职工安置", people="6",
                                representatives=named(REPS)), actor="desk01")
    # named(): "ID,代表甲,13800000000" and "ID,代表乙,13800000001"
    stored = [(r.name, r.phone) for r in Representative.select().order_by(Representative.position)]
    assert stored == [("代表甲", "13800000000"), ("代表乙", "13800000001")]
    app = main.make_app(sqlite_hall, "win01", start="window", window=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await press(pilot, "f5")
        assert current(app) == "R001"
        view = window(app).view
        assert view is not None and view.current is not None
        expected = [f"代表甲 138****0000 {REPS[0][:6]}{'*' * 8}{REPS[0][-4:]}",
                    f"代表乙 138****0001 {REPS[1][:6]}{'*' * 8}{REPS[1][-4:]}"]
        assert list(view.current.representatives) == expected
        shown = str(window(app).query_one("#visit-people", Static).render())
        assert shown.splitlines() == ["6 人；代表 2 名", *expected]
        for raw in ("13800000000", "13800000001", *REPS):
            assert raw not in shown
