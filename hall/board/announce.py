"""Announcing calls: the words the board shows and speaks, and the turns calls take.

    text = announcement_text(notice, config)       # 请 R007 号 到 5 号窗口
    words = spoken_text(notice, config)            # 请 阿尔零零七 号 到 五 号窗口
    turns = CallTurns(config, clock=time.monotonic)
    turns.add(fresh_calls)                         # oldest first; returns the superseded ones
    turn = turns.next_turn()                       # the call to show large and speak now, or None
    turns.spoken(turn)                             # its words were spoken (or rang as a bell)

The words. Ticket numbers are read character by character: digits the Chinese way (R007 ->
零零七, never "O-O-seven") when ``board.read_numbers_in_chinese`` is on, letters as
``board.letter_readings`` says (R -> 阿尔: espeak-ng's Mandarin voices read a bare Latin letter
as pinyin, L as "ai-l"); window numbers as numbers (5 -> 五, 12 -> 十二, 20 -> 二十). A recall
starts with ``board.recall_spoken`` (the board shows ``board.recall_prefix``, 重呼).

The turns. :class:`CallTurns` decides which call the large display shows and the voice reads, the
same call for both: it is a plain object with an injected clock (seconds, any origin), no thread,
no timer, so a test drives time by moving a number. Calls wait in the order they were made. A
call's turn starts when the previous one is over: its words were spoken (:meth:`CallTurns.spoken`;
or the voice gave up) and it was shown for at least ``board.min_display_seconds``. Two windows
calling 70 ms apart are both shown large, one after the other. When calls come faster than they
can be read, a waiting call superseded by a newer call (or recall) to the same window is dropped:
the hall hears where each window's visitor should go now, not a backlog of history.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from config.schema import BoardSettings, HallConfig
    from hall.views import CallNotice

DIGITS = "零一二三四五六七八九"
SPEECH_GRACE_SECONDS = 5.0
"""How long past ``speech_timeout_seconds`` a turn waits for word from the voice before moving on
(the voice always reports, even a hung command is killed: this only guards against a lost
report)."""


# -- the words ----------------------------------------------------------------------------------


def read_digits(number: str) -> str:
    """Each ASCII digit as its Chinese character, the rest kept: 'R007' -> 'R零零七'."""
    return "".join(DIGITS[int(c)] if "0" <= c <= "9" else c for c in number)


def read_integer(value: int) -> str:
    """A whole number below 10,000 as spoken: 5 -> 五, 12 -> 十二, 20 -> 二十, 105 -> 一百零五."""
    if value < 0 or value >= 10000:
        return read_digits(str(value))
    if value < 10:
        return DIGITS[value]
    if value < 20:  # 十, 十二: no leading 一
        return "十" + (DIGITS[value % 10] if value % 10 else "")
    out = ""
    zero = False
    for unit_value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = value // unit_value % 10
        if digit:
            if zero and out:
                out += "零"
            out += DIGITS[digit] + unit
            zero = False
        else:
            zero = True
    return out


def _settings(config: HallConfig | BoardSettings) -> BoardSettings:
    return getattr(config, "board", config)  # type: ignore[return-value]


def read_number(number: str, config: HallConfig | BoardSettings) -> str:
    """A ticket number as the voice says it: letters by ``letter_readings``, digits in Chinese
    when ``read_numbers_in_chinese`` ('L012' -> '艾勒零一二')."""
    settings = _settings(config)
    readings = settings.letter_readings
    if settings.read_numbers_in_chinese:
        number = read_digits(number)
    return "".join(readings.get(c.upper(), c) if c.isascii() and c.isalpha() else c
                   for c in number)


def announcement_text(notice: CallNotice, config: HallConfig | BoardSettings) -> str:
    """What the board shows for a call: the configured template, e.g. 请 R007 号 到 5 号窗口."""
    return _settings(config).announce_template.format(
        number=notice.number, window=notice.window, title=notice.window_title)


def spoken_text(notice: CallNotice, config: HallConfig | BoardSettings) -> str:
    """What the voice says: the template with the number and window read as configured, a
    recall preceded by ``recall_spoken``."""
    settings = _settings(config)
    window = (read_integer(notice.window) if settings.read_numbers_in_chinese
              else str(notice.window))
    words = settings.announce_template.format(
        number=read_number(notice.number, settings), window=window, title=notice.window_title)
    if notice.kind == "recalled" and settings.recall_spoken:
        return f"{settings.recall_spoken} {words}"
    return words


# -- the turns ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Turn:
    """A call's turn on the large display and in the voice."""

    notice: CallNotice
    words: str
    """What the voice says."""
    started: float
    """The clock's reading when the turn began."""


class CallTurns:
    """Which call the board shows large and speaks, and which wait; see the module docstring.

    ``clock()`` returns seconds (``time.monotonic`` on a board, a number a test moves).
    """

    def __init__(self, config: HallConfig | BoardSettings, clock: Callable[[], float]) -> None:
        self.settings = _settings(config)
        self.clock = clock
        self.min_seconds = float(self.settings.min_display_seconds)
        self.longest = (self.min_seconds + float(self.settings.speech_timeout_seconds)
                        + SPEECH_GRACE_SECONDS)
        self.current: Turn | None = None
        """The call shown large now (it stays up after its turn until the next one starts)."""
        self._waiting: list[CallNotice] = []
        self._spoken = True
        self.dropped = 0
        """Calls superseded before their turn, since the start."""

    @property
    def waiting(self) -> tuple[CallNotice, ...]:
        """The calls waiting for their turn, oldest first."""
        return tuple(self._waiting)

    def add(self, calls: Iterable[CallNotice]) -> list[CallNotice]:
        """Queue new calls (oldest first); returns the waiting calls they superseded."""
        dropped: list[CallNotice] = []
        for call in calls:
            known = {c.event_id for c in self._waiting}
            if self.current is not None:
                known.add(self.current.notice.event_id)
            if call.event_id in known:
                continue
            if call.window:
                dropped += [c for c in self._waiting if c.window == call.window]
                self._waiting = [c for c in self._waiting if c.window != call.window]
            self._waiting.append(call)
        self.dropped += len(dropped)
        return dropped

    def remaining(self) -> float:
        """Seconds the current turn still holds the display by its minimum time (0 when over)."""
        if self.current is None:
            return 0.0
        elapsed = self.clock() - self.current.started
        if elapsed < 0:  # the clock was set back: the turn has had its time
            return 0.0
        return max(0.0, self.min_seconds - elapsed)

    def busy(self) -> bool:
        """Whether the current turn still holds the display and the voice."""
        if self.current is None:
            return False
        if self.remaining() > 0:
            return True
        if self._spoken:
            return False
        return self.clock() - self.current.started < self.longest  # a lost report: move on

    def next_turn(self) -> Turn | None:
        """Start the next call's turn if the current one is over; None when nothing starts."""
        if not self._waiting or self.busy():
            return None
        call = self._waiting.pop(0)
        self.current = Turn(call, spoken_text(call, self.settings), self.clock())
        self._spoken = False
        return self.current

    def spoken(self, turn: Turn) -> None:
        """The voice is done with ``turn``'s words (spoken, failed, or rung as a bell)."""
        if turn is self.current:
            self._spoken = True

    def clear(self) -> None:
        """Forget every call (the board was hidden: what was called meanwhile is not spoken)."""
        self._waiting.clear()
        self.current = None
        self._spoken = True
