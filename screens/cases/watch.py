"""The managers' overdue mark: open cases past their due date, in every manager's top bar.

:class:`screens.app.HallApp` owns one :class:`CaseWatch`. Its :class:`screens.work.Poller` reads
the ``cases`` change counter every second (one primary-key read) and, when it moved, when the
hall's local date changed (a case falls overdue at midnight without anyone writing; the business
day's rollover hour is for tickets, not due dates) or when someone else signed in, reads
``hall.cases.alert()`` (two counts from the open/due-date index). The top bar
(:class:`screens.widgets.topbar.TopBar`) shows 「逾期案件 N 件」 while N > 0, to managers only
(the act ``case.supervise``); other roles' terminals read nothing but the counter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from screens.widgets.topbar import AlertWatch

if TYPE_CHECKING:
    from hall.cases.views import CaseAlert
    from screens.app import HallApp


class CaseWatch(AlertWatch):
    """``(CaseAlert,)`` while a manager is signed in and a case is overdue, else ``()``."""

    alerts: tuple[CaseAlert, ...]

    def __init__(self, app: HallApp) -> None:
        # Only a manager's terminal reads the date (and loads the cases context): the others
        # never show the mark, and the desk's first frame does not wait for that import.
        super().__init__(app, lambda: read_alert(app), "cases", "case-watch",
                         key=lambda: (app.staff, watches(app)
                                      and app.hall.cases.reads.local_today()))

    def text(self, wide: bool) -> str:
        """What the top bar shows ("" for nothing)."""
        return mark_text(self.alerts[0], wide) if self.alerts else ""


def watches(app: HallApp) -> bool:
    """Whether the signed-in person is shown the mark (the managers: they urge cases)."""
    actor = app.actor
    return actor is not None and actor.may("case.supervise")


def read_alert(app: HallApp) -> tuple[CaseAlert, ...]:
    """The mark's counts when someone who supervises cases works here and one is overdue."""
    if not watches(app):
        return ()
    alert = app.hall.cases.alert()
    return (alert,) if alert.overdue else ()


def mark_text(alert: CaseAlert, wide: bool) -> str:
    """「⏰ 逾期案件 2 件 · 即将到期 1 件」, or 「逾期案件 2 件」 when the bar is narrow."""
    text = f"逾期案件 {alert.overdue} 件"
    if wide and alert.due_soon:
        text += f" · 即将到期 {alert.due_soon} 件"
    return text
