"""The hall board (叫号屏, ``hall board``): one call at a time in big letters, spoken aloud.

What visitors read on the large monitor: the call whose turn it is across the screen ("请 R007 号
到 5 号窗口", the numbers in block letters scaled to the screen, highlighted and flashing when new,
重呼 before a recall), the last calls, the waiting count of every department, the date and a
ticking clock, and a line for today's leader receptions and lawyer seat (leader, room, time). It
only ever reads :class:`hall.views.BoardView`, which holds ticket numbers and windows: no name, no
ID number can reach this screen.

A :class:`screens.work.Poller` reads :meth:`Hall.change_version` every
:data:`screens.work.BOARD_POLL_SECONDS` (0.25 s; one primary-key read, under 0.1 ms on SQLite); only
when it moved (or the business day rolled over, or a minute passed) does it reload the board, in
one read of the latest calls. Every call or recall the board has not announced yet (a bounded set
of event ids makes sure nothing is taken twice, and a recall is a new event) joins
:class:`hall.board.announce.CallTurns`: the big display and the voice take the calls in turn, the
same call for both, each shown at least ``board.min_display_seconds`` and until spoken; a waiting
call superseded by a newer call to the same window is dropped. The words go to a
:class:`hall.board.speech.Speaker`; when it could not speak (no voice configured, a command that
failed or printed an error) the board rings the bell and flashes instead, and while speech is
failing the bottom line (for staff) says so discreetly, until a call is spoken again. While the
board is shown the app's incident watch rests: the public board never shows incidents. When the
database is unreachable the board keeps the last picture, says so at the bottom and retries on the
next poll. q or Esc leaves (quits when the board was started directly).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Label

from hall.board.announce import CallTurns, Turn, announcement_text
from hall.board.speech import Speaker, Spoken
from hall.views import BoardView, CallNotice
from screens.board.voice import BrowserVoice
from screens.board.widgets import (
    CallBanner,
    QueueCounts,
    RecentCalls,
    leader_line,
    template_parts,
)
from screens.resume import StyledWhileShown
from screens.work import BOARD_POLL_SECONDS, Poller

__all__ = ["BOARD_POLL_SECONDS", "BoardScreen", "SeenIds", "unannounced"]

if TYPE_CHECKING:
    from config.schema import HallConfig
    from hall import Hall
    from screens.app import HallApp

FULL_RELOAD_SECONDS = 60.0
"""Reload even when the counter did not move, so nothing can stay stale for long."""
ANNOUNCE_WINDOW = 32
"""Calls read per reload to find the unannounced ones (more than can land between two polls)."""
TURN_CHECK_SECONDS = 0.1
"""How often the board looks whether the current call's minimum time is over (no database)."""
SEEN_CAPACITY = 512
ANNOUNCED_KEPT = 16
"""Calls kept in :attr:`BoardScreen.announced`: the last turns, never more however long it runs."""
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


class BoardScreen(StyledWhileShown, Screen[None]):
    """The hall board: the call whose turn it is big, recent calls, waiting counts, clock."""

    CSS_PATH = "board.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "leave", "退出", id="board.leave"),
        Binding("escape", "leave", "退出", show=False, id="board.leave_escape"),
    ]

    turn_clock: ClassVar[Callable[[], float]] = time.monotonic
    """Seconds for the calls' turns (a test puts a clock it moves by hand here)."""
    make_speaker: ClassVar[Callable[[HallConfig, Callable[[Spoken], None]], Speaker]] = Speaker
    """Builds the voice (a test puts a fake speaker here)."""

    view: reactive[BoardView | None] = reactive(None, init=False)

    class Said(Message):
        """The speaker is done with a text: spoken, or not (then bell and flash)."""

        def __init__(self, result: Spoken) -> None:
            super().__init__()
            self.result = result

    def __init__(self) -> None:
        super().__init__()
        self.poller: Poller | None = None
        self.turns: CallTurns | None = None
        self._speaker: Speaker | None = None
        self._speaking: Turn | None = None
        self._flashes = 0
        self._flash_timer: Timer | None = None
        self._db_trouble = ""
        self.speech_trouble = ""
        """Why the last call was not spoken (the bottom line's mark), empty once one is."""
        self.announced: deque[CallNotice] = deque(maxlen=ANNOUNCED_KEPT)
        """The last calls whose turn came (at most :data:`ANNOUNCED_KEPT`), in turn order."""
        self.painted: tuple[int, float] | None = None
        """(event id of the call shown large, time.time() of the repaint that showed it)."""

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
        config = self.hall_app.hall.config
        self.query_one("#board-now").border_title = "正在叫号"
        self.query_one("#board-recent").border_title = "最近叫号"
        self.query_one("#board-queues").border_title = "各部门候谈人数"
        self.query_one(CallBanner).empty = "今日尚未叫号　请取号后在候谈区等候"
        self.query_one(RecentCalls).slots = config.board.recent_calls
        self._tick()
        self.set_interval(1.0, self._tick)
        self.turns = CallTurns(config, type(self).turn_clock)
        said = lambda result: self._post(self.Said(result))  # noqa: E731
        if self.app.is_web and type(self).make_speaker is Speaker:
            # In a browser (hall serve) the page speaks: the server has no loudspeaker.
            self._speaker = cast("Speaker", BrowserVoice(
                lambda url: self.app.open_url(url, new_tab=False), said))
        else:
            self._speaker = type(self).make_speaker(config, said)
        self.set_interval(TURN_CHECK_SECONDS, self._next_turn)
        self._start_polling()

    def on_screen_suspend(self) -> None:
        self._stop_polling()  # hidden behind the launcher: stop polling and announcing

    def on_screen_resume(self) -> None:
        if self.poller is None:
            self._start_polling()

    def on_unmount(self) -> None:
        self._stop_polling(closing=True)
        if self._speaker is not None:
            self._speaker.close()

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
        if self.turns is not None:
            self.turns.clear()
        # The public board shows no incidents: the app's watch rests while the board is up.
        self.hall_app.incident_watch.poller.stop()
        self.poller = Poller(self, BoardRead(self.hall_app.hall), topics=("tickets",),
                             reload_seconds=FULL_RELOAD_SECONDS, name="board",
                             seconds=BOARD_POLL_SECONDS)
        self.poller.start()

    def _stop_polling(self, closing: bool = False) -> None:
        if self.poller is not None:
            self.poller.stop()
            self.poller = None
            if not closing:  # back to staff screens: their incident alerts again
                self.hall_app.incident_watch.start()

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
        if self.turns is not None and fresh:
            self.turns.add(fresh)
            self._next_turn()

    def watch_view(self, view: BoardView | None) -> None:
        if view is None:
            return
        self._show_call()
        self.query_one(QueueCounts).queues = view.queues
        # Rooms are typed by managers: shown as typed, never read as markup.
        self.query_one("#board-leader", Label).update(Content(leader_line(view.receptions)))

    # -- the turns: one call large and in the voice at a time -------------------------------------

    def _next_turn(self) -> None:
        if self.turns is None or self._speaker is None:
            return
        turn = self.turns.next_turn()
        if turn is None:
            return
        self._show_call()
        self._flash()
        self._speaking = turn
        self._speaker.say(turn.words)
        self.announced.append(turn.notice)

    def shown_call(self) -> CallNotice | None:
        """The call the large display shows: the one whose turn it is, else the newest."""
        if self.turns is not None and self.turns.current is not None:
            return self.turns.current.notice
        if self.view is not None and self.view.recent:
            return self.view.recent[0]
        return None

    def _show_call(self) -> None:
        config = self.hall_app.hall.config
        call = self.shown_call()
        banner_widget = self.query_one(CallBanner)
        detail = self.query_one("#board-detail", Label)
        recent = self.query_one(RecentCalls)
        if self.view is not None:
            recent.calls = self.view.recent[:config.board.recent_calls]
        recent.current = call.event_id if call is not None else 0
        if call is None:
            banner_widget.parts = ()
            detail.update("")
            return
        again = (config.board.recall_prefix if call.kind == "recalled" else "").strip()
        parts = template_parts(config.board.announce_template, call)
        banner_widget.parts = tuple([(again + " ", False), *parts] if again else parts)
        spec = config.window(call.window)
        label = f"（{call.window_title}）" if spec is not None and spec.label else ""
        detail.update(f"{again + '　' if again else ''}{announcement_text(call, config)}"
                      f"{label}　{call.at}")
        event_id = call.event_id
        self.call_after_refresh(lambda: setattr(self, "painted", (event_id, time.time())))

    def on_board_screen_said(self, message: Said) -> None:
        result = message.result
        if not result.spoken:  # no voice, or it failed: the hall hears the bell instead
            self.app.bell()
            self._flash()
        trouble = "" if result.spoken else result.problem
        if trouble != self.speech_trouble and (result.spoken or trouble):
            self.speech_trouble = trouble
            self._show_status()
        turn = self._speaking
        if turn is not None and self.turns is not None and turn.words == result.text:
            self._speaking = None
            self.turns.spoken(turn)
            self._next_turn()

    # -- flash and the staff's line ---------------------------------------------------------------

    def _flash(self) -> None:
        """Blink the call for three seconds (again from the start if already blinking)."""
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

    def on_poller_trouble(self, message: Poller.Trouble) -> None:
        self._db_trouble = (f"⚠ 数据库暂时无法连接，正在重试（{message.text}）"
                            if message.text else "")
        self._show_status()

    def _show_status(self) -> None:
        """The bottom line, for staff: the database's trouble, and discreetly (dim) the voice's."""
        line = Text(self._db_trouble)
        if self.speech_trouble:
            line.append("　" if self._db_trouble else "")
            line.append(f"语音故障，已改用提示音，请检查音箱或声卡（{self.speech_trouble}）",
                        style="dim")
        self.query_one("#board-status", Label).update(line)


class BoardRead:
    """One poller's read of the board: the view (the latest calls read once), and the calls not
    announced yet, oldest first.

    The first read primes the ids already shown: the board speaks only what is called after it
    appeared. Called in the poller's thread only.
    """

    def __init__(self, hall: Hall) -> None:
        self.hall = hall
        self.seen = SeenIds()
        self.primed = False

    def __call__(self) -> tuple[BoardView, list[CallNotice]]:
        view = self.hall.board.view(calls=ANNOUNCE_WINDOW)
        fresh = unannounced(list(view.recent), self.seen)
        primed, self.primed = self.primed, True
        return view, fresh if primed else []
