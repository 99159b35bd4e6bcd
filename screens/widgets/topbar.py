"""The one-line bar on top of every screen: hall, screen, business day, time and who works.

Staff screens only (the public board has none), so it also carries the discreet alert of open
incidents of high severity, from the app's :class:`screens.incidents.watch.IncidentWatch`, and
the alert of today's collective visits (集体访) not yet finished, from :class:`CollectiveWatch`:
the halls' rule is to give a collective visit attention at once, so every staff screen shows it
from the moment it is registered (the next poll of the ``tickets`` change counter, within
:data:`screens.work.POLL_SECONDS`; the registering desk asks at once) until a window finishes it.
On a manager's terminal it also shows 「逾期案件 N 件」 while a case is past its due date
(:class:`screens.cases.watch.CaseWatch`, within a second or two of the write or of midnight).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, cast

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label

from screens.widgets.cells import cut
from screens.work import Poller

if TYPE_CHECKING:
    from hall.desk.files import CollectiveAlert
    from screens.app import HallApp

WEEKDAYS = "一二三四五六日"


class TopBar(Horizontal):
    """Hall name and screen title on the left; day, time and operator on the right."""

    DEFAULT_CSS = """
    TopBar {
        dock: top;
        height: 1;
        background: $primary;
        color: $text;
        padding: 0 1;
        & > #topbar-title { width: 1fr; text-style: bold; text-wrap: nowrap;
                            text-overflow: ellipsis; }
        & > #topbar-status { width: auto; }
        & > #topbar-alert {
            width: auto; margin-right: 1; padding: 0 1;
            background: $error; color: $text; text-style: bold; text-wrap: nowrap;
            text-overflow: ellipsis; display: none;
        }
        &.-alert > #topbar-alert { display: block; }
        & > #topbar-collective {
            width: auto; margin-right: 1; padding: 0 1;
            background: $warning; color: $background; text-style: bold; text-wrap: nowrap;
            text-overflow: ellipsis; display: none;
        }
        &.-collective > #topbar-collective { display: block; }
        & > #topbar-cases {
            width: auto; margin-right: 1; padding: 0 1;
            background: $error-darken-1; color: $text; text-style: bold; text-wrap: nowrap;
            text-overflow: ellipsis; display: none;
        }
        &.-cases > #topbar-cases { display: block; }
    }
    """

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title = title

    def compose(self) -> ComposeResult:
        yield Label(id="topbar-title")
        yield Label(id="topbar-cases")
        yield Label(id="topbar-collective")
        yield Label(id="topbar-alert")
        yield Label(id="topbar-status")

    def on_mount(self) -> None:
        self.refresh_status()
        self.set_interval(1.0, self.refresh_status)
        self.watch(self.app, "staff", lambda _: self.refresh_status(), init=False)

    def on_resize(self) -> None:
        self.refresh_status()

    def refresh_status(self) -> None:
        app = cast("HallApp", self.app)
        hall = app.hall
        now = hall.clock.now().astimezone(hall.tz)
        day = hall.today()
        status = f"{day.isoformat()} 周{WEEKDAYS[day.weekday()]} {now:%H:%M} · {app.staff_label}"
        self.query_one("#topbar-status", Label).update(status)
        watch = getattr(app, "incident_watch", None)
        alerts = watch.alerts if watch is not None else ()
        self.set_class(bool(alerts), "-alert")
        text = ""
        if alerts:
            first = alerts[-1]  # the newest
            more = f" 等{len(alerts)}起" if len(alerts) > 1 else ""
            text = f"⚠ {first.type_name}·{first.place} {first.since}{more}"
            if self.size.width < 120:  # the status must stay whole: just say there is one
                text = f"⚠ 特殊情况 {len(alerts)} 起"
            self.query_one("#topbar-alert", Label).update(text)
        taken = 0  # cells the collective-visit alert takes
        collective = getattr(app, "collective_watch", None)
        visits = collective.alerts if collective is not None else ()
        self.set_class(bool(visits), "-collective")
        if visits:
            last = visits[-1]  # the newest
            more = f" 等{len(visits)}起" if len(visits) > 1 else ""
            told = f"集体访 {last.number} {last.people}人 {last.since}{more}"
            if self.size.width < 120:
                told = f"集体访 {len(visits)} 起"
            self.query_one("#topbar-collective", Label).update(told)
            taken += cell_len(told) + 3
        # The managers' mark of overdue cases (screens.cases.watch.CaseWatch says it or not).
        cases = getattr(app, "case_watch", None)
        overdue = cases.text(self.size.width >= 120) if cases is not None else ""
        self.set_class(bool(overdue), "-cases")
        if overdue:
            self.query_one("#topbar-cases", Label).update(overdue)
            taken += cell_len(overdue) + 3
        # What is left for the title: the bar less its padding, the status and the alerts
        # (their padding and margin). The hall's name gives way first, never the screen's.
        room = self.size.width - 2 - cell_len(status) - (cell_len(text) + 3 if text else 0) - taken
        self.query_one("#topbar-title", Label).update(
            title_text(hall.config.hall.name, self.title, room))


def title_text(hall: str, screen: str, room: int) -> str:
    """「江川市联合接访中心 · 窗口接谈」 in ``room`` cells: the hall's name is cut first (…), then
    left out; the screen's name stays (the label's own ellipsis cuts it only below that)."""
    full = f"{hall} · {screen}"
    rest = room - cell_len(f" · {screen}")
    if cell_len(full) <= room:
        return full
    return f"{cut(hall, rest)} · {screen}" if rest >= 3 else screen


class AlertWatch:
    """Alerts every staff screen's top bar shows, kept fresh by polling a change counter: the app
    receives the poller's messages and hands them to :meth:`apply`; a database that is away keeps
    the last picture (the screens say so)."""

    def __init__(self, app: HallApp, read: Callable[[], tuple[Any, ...]], topic: str,
                 name: str, key: Callable[[], Hashable] | None = None) -> None:
        """``key``: something besides the counter whose change means reading again (the
        cases' mark: the local date)."""
        self.app = app
        self.alerts: tuple[Any, ...] = ()
        self.poller = Poller(app, read, topics=(topic,), name=name, key=key)

    def start(self) -> None:
        """Poll now and then every :data:`screens.work.POLL_SECONDS`."""
        self.poller.start()

    def poll(self) -> None:
        """Read now (the terminal that just wrote one does not wait for the next poll)."""
        self.poller.poll(force=True)

    def apply(self, alerts: tuple[Any, ...]) -> None:
        """Fresh alerts: redraw the top bars when they changed."""
        changed = alerts != self.alerts
        self.alerts = alerts
        if changed:
            for screen in self.app.screen_stack:
                for bar in screen.query(TopBar).results(TopBar):
                    bar.refresh_status()


class CollectiveWatch(AlertWatch):
    """Today's collective visits not yet finished (read when a ticket changes)."""

    alerts: tuple[CollectiveAlert, ...]

    def __init__(self, app: HallApp) -> None:
        super().__init__(app, lambda: tuple(app.hall.desk.collective_alerts()), "tickets",
                         "collective-watch")
