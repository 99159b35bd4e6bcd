"""The cases the selected day's leader took (包案), under the day's bookings.

    yield LeaderCases(id="leader-cases")
    self.query_one(LeaderCases).show("lihong", "李红")   # read in a worker, shown when back

Shown only when the leader took cases. One line a case: its number, state and due date (overdue
in red), from ``hall.cases.list(viewer, leader=code)``; the case screen (launcher key 6) takes the
steps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.widgets import Static

from screens.work import Failed, HallWork

if TYPE_CHECKING:
    from hall.cases.views import CaseSummary
    from screens.app import HallApp


def cases_text(label: str, rows: list[CaseSummary]) -> Text:
    """「包案（李红）：2 件」 and one line per case, open ones first."""
    text = Text(f"包案（{label}）：{len(rows)} 件\n", style="bold")
    for r in rows:
        due = ("" if not r.due_on or r.days_left is None
               else f" 逾期{-r.days_left}天" if r.overdue else f" {r.due_on[5:]}到期")
        text.append(f"{r.number} ")
        text.append(r.state_label, style="bold red" if r.overdue else "bold")
        text.append(due + "\n", style="red" if r.overdue else "dim")
    return text


class LeaderCases(HallWork, Static):
    """A leader's cases (包案) with state and due date."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.leader = ""
        self.rows: list[CaseSummary] = []
        self.display = False  # shown only when the leader has cases: the bookings keep the room

    def show(self, leader: str, label: str) -> None:
        """Read ``leader``'s cases (in a worker); "" shows nothing."""
        self.leader = leader
        app = cast("HallApp", self.app)
        if not leader or not app.staff:
            self.rows, self.display = [], False
            return
        hall, viewer = app.hall, app.staff
        self.run_call("cases", lambda: (leader, label, hall.cases.list(viewer, leader=leader)),
                      exclusive=True)

    def cases_done(self, done: tuple[str, str, list[CaseSummary]]) -> None:
        leader, label, rows = done
        if leader == self.leader:
            self.rows = rows
            self.display = bool(rows)
            self.update(cases_text(label, rows))

    def cases_failed(self, failure: Failed) -> None:
        self.display = True
        self.update(Text(f"包案读取失败：{failure.text}", style="red"))
