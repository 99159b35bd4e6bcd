"""The one-line bar on top of every screen: hall, screen, business day, time and who works.

Staff screens only (the public board has none), so it also carries the discreet alert of open
incidents of high severity, from the app's :class:`screens.incidents.watch.IncidentWatch`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label

from screens.widgets.cells import cut

if TYPE_CHECKING:
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
    }
    """

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title = title

    def compose(self) -> ComposeResult:
        yield Label(id="topbar-title")
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
        # What is left for the title: the bar less its padding, the status and the alert
        # (its padding and margin). The hall's name gives way first, never the screen's.
        room = self.size.width - 2 - cell_len(status) - (cell_len(text) + 3 if text else 0)
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
