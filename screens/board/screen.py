"""The hall board (叫号屏, ``hall board``): the newest call in big letters, spoken aloud.

What visitors read on the large monitor: the newest call across the screen ("请 R007 号 到 5 号
窗口", the numbers in block letters scaled to the screen, highlighted and flashing when new), the
last calls, the waiting count of every department, the date and a ticking clock, and a line for
today's leader receptions and lawyer seat (leader, room, time). It only ever reads
:class:`hall.views.BoardView`, which holds ticket numbers and windows: no name, no ID number can
reach this screen.

A :class:`screens.work.Poller` reads :meth:`Hall.change_version` every
:data:`screens.work.BOARD_POLL_SECONDS` (0.25 s; one primary-key read, under 0.1 ms on SQLite); only
when it moved (or the business day rolled over, or a minute passed) does it reload the board. Every
call or recall the board has not announced yet goes, oldest first, to the
:class:`hall.board.announce.Announcer` queue; a bounded set of event ids makes sure nothing is
announced twice and a recall (a new event) is announced again. When the database is unreachable the
board keeps the last picture, says so discreetly at the bottom and retries on the next poll.
q or Esc leaves (quits when the board was started directly).
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Label

from hall.board.announce import Announcer, announcement_text
from hall.views import BoardView, CallNotice
from screens.board.widgets import (
    CallBanner,
    QueueCounts,
    RecentCalls,
    leader_line,
    template_parts,
)
from screens.work import BOARD_POLL_SECONDS, Poller

__all__ = ["BOARD_POLL_SECONDS", "BoardScreen", "SeenIds", "unannounced"]

if TYPE_CHECKING:
    from hall import Hall
    from screens.app import HallApp

"""How often the board looks for news; a call shows within this plus the repaint."""
FULL_RELOAD_SECONDS = 60.0
"""Reload even when the counter did not move, so nothing can stay stale for long."""
ANNOUNCE_WINDOW = 32
"""Calls read per reload to find the unannounced ones (more than can land between two polls)."""
SEEN_CAPACITY = 512
FLASH_TIMES = 6
WEEKDAYS = "一二三四五六日"
LEADER_LINE = "今日领导接待：请咨询登记分流台"


class SeenIds:
    """The last ``capacity`` event ids announced: a set with a FIFO memory, never growing."""

    def __init__(self, capacity: int = SEEN_CAPACITY) -> None:
        self._order: deque[int] = deque()
        self._ids: set[int] = set()
        self.capacity = capacity

    def __contains__(self, event_id: object) -> bool:
        return event_id in self._ids

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, event_id: int) -> None:
        if event_id in self._ids:
            return
        self._order.append(event_id)
        self._ids.add(event_id)
        while len(self._order) > self.capacity:
            self._ids.discard(self._order.popleft())


def unannounced(calls: list[CallNotice], seen: SeenIds) -> list[CallNotice]:
    """The calls not announced yet, oldest first; marks them (and all of ``calls``) as seen."""
    fresh = sorted((c for c in calls if c.event_id not in seen), key=lambda c: c.event_id)
    for call in calls:
        seen.add(call.event_id)
    return fresh


# -- the screen ---------------------------------------------------------------------------------


class BoardScreen(Screen[None]):
    """The hall board: newest call big, recent calls, waiting counts, clock; speaks each call."""

    CSS_PATH = "board.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "leave", "退出", id="board.leave"),
        Binding("escape", "leave", "退出", show=False, id="board.leave_escape"),
    ]

    view: reactive[BoardView | None] = reactive(None, init=False)

    class Fallback(Message):
        """No voice: ring the bell and flash instead of speaking ``text``."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class SpeechProblem(Message):
        """The announcer reports a problem."""

        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    def __init__(self) -> None:
        super().__init__()
        self.poller: Poller | None = None
        self._announcer: Announcer | None = None
        self._flashes = 0
        self._flash_timer: Timer | None = None
        self._speech_timer: Timer | None = None
        self._db_trouble = ""
        self._speech_trouble = ""
        self.announced: list[CallNotice] = []
        """Calls handed to the announcer since the screen opened (the last 100)."""
        self.painted: tuple[int, float] | None = None
        """(event id of the newest call shown, time.time() of the repaint that showed it)."""

    @property
    def hall_app(self) -> HallApp:
        return cast("HallApp", self.app)

    def compose(self) -> ComposeResult:
        config = self.hall_app.hall.config
        with Horizontal(id="board-head"):
            yield Label(config.hall.name, id="board-hall")
            yield Label(id="board-clock")
        yield Label(LEADER_LINE, id="board-leader")
        with Vertical(id="board-now"):
            yield CallBanner(id="board-banner")
            yield Label(id="board-detail")
        with Horizontal(id="board-lower"):
            yield RecentCalls(id="board-recent")
            yield QueueCounts(id="board-queues")
        yield Label(id="board-status")

    def on_mount(self) -> None:
        self.query_one("#board-now").border_title = "正在叫号"
        self.query_one("#board-recent").border_title = "最近叫号"
        self.query_one("#board-queues").border_title = "各部门候谈人数"
        self.query_one(CallBanner).empty = "今日尚未叫号　请取号后在候谈区等候"
        self.query_one(RecentCalls).slots = self.hall_app.hall.config.board.recent_calls
        self._tick()
        self.set_interval(1.0, self._tick)
        self._announcer = Announcer(
            self.hall_app.hall.config,
            on_fallback=lambda text: self._post(self.Fallback(text)),
            on_problem=lambda message: self._post(self.SpeechProblem(message)))
        self._start_polling()

    def on_screen_suspend(self) -> None:
        self._stop_polling()  # hidden behind the launcher: stop polling and announcing

    def on_screen_resume(self) -> None:
        if self.poller is None:
            self._start_polling()

    def on_unmount(self) -> None:
        self._stop_polling()
        if self._announcer is not None:
            self._announcer.close()

    def action_leave(self) -> None:
        if self.hall_app.start == "board":
            self.app.exit()
        else:
            self.app.switch_mode("launcher")

    # -- the clock ------------------------------------------------------------------------------

    def _tick(self) -> None:
        hall = self.hall_app.hall
        now = hall.clock.now().astimezone(hall.tz)
        self.query_one("#board-clock", Label).update(
            f"{now:%Y-%m-%d} 星期{WEEKDAYS[now.weekday()]} {now:%H:%M:%S}")

    # -- polling ------------------------------------------------------------------------------

    def _start_polling(self) -> None:
        """A fresh poller: what was called while the board was hidden is shown, not spoken."""
        self.poller = Poller(self, BoardRead(self.hall_app.hall), topics=("tickets",),
                             reload_seconds=FULL_RELOAD_SECONDS, name="board",
                             seconds=BOARD_POLL_SECONDS)
        self.poller.start()

    def _stop_polling(self) -> None:
        if self.poller is not None:
            self.poller.stop()
            self.poller = None

    def _post(self, message: Message) -> None:
        try:
            self.post_message(message)
        except RuntimeError:  # the event loop is gone: the app is closing
            pass

    def on_poller_changed(self, message: Poller.Changed) -> None:
        if message.poller is not self.poller:
            return  # a read of a poller stopped meanwhile
        view, fresh = message.data
        self.view = view
        if fresh:
            self._flash()
        for notice in fresh:
            if self._announcer is not None:
                self._announcer.announce(notice)
            self.announced = [*self.announced[-99:], notice]
        if view.recent:
            event_id = view.recent[0].event_id
            self.call_after_refresh(lambda: setattr(self, "painted", (event_id, time.time())))

    def watch_view(self, view: BoardView | None) -> None:
        if view is None:
            return
        config = self.hall_app.hall.config
        banner_widget = self.query_one(CallBanner)
        detail = self.query_one("#board-detail", Label)
        if view.recent:
            newest = view.recent[0]
            banner_widget.parts = tuple(template_parts(config.board.announce_template, newest))
            spec = config.window(newest.window)
            label = f"（{newest.window_title}）" if spec is not None and spec.label else ""
            again = "重呼　" if newest.kind == "recalled" else ""
            detail.update(f"{again}{announcement_text(newest, config)}{label}　{newest.at}")
        else:
            banner_widget.parts = ()
            detail.update("")
        self.query_one(RecentCalls).calls = view.recent
        self.query_one(QueueCounts).queues = view.queues
        # Rooms are typed by managers: shown as typed, never read as markup.
        self.query_one("#board-leader", Label).update(Content(leader_line(view.receptions)))

    # -- flash, bell and warnings ---------------------------------------------------------------

    def _flash(self) -> None:
        """Blink the newest call for three seconds (again from the start if already blinking)."""
        self._flashes = FLASH_TIMES
        self.query_one("#board-now").add_class("-flash")
        if self._flash_timer is None:
            self._flash_timer = self.set_interval(0.5, self._flash_step)

    def _flash_step(self) -> None:
        self._flashes -= 1
        now = self.query_one("#board-now")
        if self._flashes > 0:
            now.toggle_class("-flash")
            return
        now.remove_class("-flash")
        if self._flash_timer is not None:
            self._flash_timer.stop()
            self._flash_timer = None

    def on_board_screen_fallback(self, message: Fallback) -> None:
        self.app.bell()
        self._flash()

    def on_poller_trouble(self, message: Poller.Trouble) -> None:
        self._db_trouble = (f"数据库暂时无法连接，正在重试（{message.text}）"
                            if message.text else "")
        self._show_status()

    def on_board_screen_speech_problem(self, message: SpeechProblem) -> None:
        self._speech_trouble = message.message
        self._show_status()
        if self._speech_timer is not None:
            self._speech_timer.stop()
        self._speech_timer = self.set_timer(15, self._clear_speech_trouble)

    def _clear_speech_trouble(self) -> None:
        self._speech_trouble = ""
        self._show_status()

    def _show_status(self) -> None:
        text = "　".join(f"⚠ {t}" for t in (self._db_trouble, self._speech_trouble) if t)
        self.query_one("#board-status", Label).update(text)


class BoardRead:
    """One poller's read of the board: the view, and the calls not announced yet (oldest first).

    The first read primes the ids already shown: the board speaks only what is called after it
    appeared. Called in the poller's thread only.
    """

    def __init__(self, hall: Hall) -> None:
        self.hall = hall
        self.seen = SeenIds()
        self.primed = False

    def __call__(self) -> tuple[BoardView, list[CallNotice]]:
        hall = self.hall
        view = hall.board.view()
        calls = hall.board.recent_calls(ANNOUNCE_WINDOW)
        view = replace(view, recent=tuple(calls[:hall.config.board.recent_calls]))
        fresh = unannounced(calls, self.seen)
        primed, self.primed = self.primed, True
        return view, fresh if primed else []
