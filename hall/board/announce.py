"""Announcing calls: the text the board shows, the text it speaks, and a queue that speaks them.

    text = announcement_text(notice, config)       # 请 R007 号 到 5 号窗口
    words = spoken_text(notice, config)            # 请 R零零七 号 到 五 号窗口
    announcer = Announcer(config, on_fallback=bell_and_flash, on_problem=show_warning)
    announcer.announce(notice)                     # returns at once; spoken in turn
    announcer.close()

Ticket numbers are read digit by digit the Chinese way (R007 -> R零零七, never "O-O-seven") and
window numbers as numbers (5 -> 五, 12 -> 十二, 20 -> 二十) when ``board.read_numbers_in_chinese``
is on. Speech is offline: ``board.speech_command`` (espeak-ng's Mandarin voice by default) run as a
subprocess, no shell, with ``{text}`` replaced by the words.

:class:`Announcer` keeps a bounded FIFO queue drained by one daemon thread, so announcements are
spoken one after another, never two at once, none cut off. A command that fails or runs past
``board.speech_timeout_seconds`` is killed (its whole process group), reported through
``on_problem``, and the queue moves on. When the command is empty or not installed, every
announcement goes to ``on_fallback`` instead (the board rings the terminal bell and flashes). The
callbacks run on the announcer's thread: a Textual caller hands them to ``app.call_from_thread``.
Nothing here imports Textual.
"""

from __future__ import annotations

import logging
import os
import queue
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from config.schema import BoardSettings, HallConfig
    from hall.views import CallNotice

log = logging.getLogger(__name__)

DIGITS = "零一二三四五六七八九"
QUEUE_BOUND = 200
"""Announcements waiting at most; a burst beyond it is reported, never silently lost."""
FALLBACK_PAUSE_SECONDS = 1.0
"""Gap between two bells when there is no voice, so a burst still sounds like several calls."""


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


def announcement_text(notice: CallNotice, config: HallConfig | BoardSettings) -> str:
    """What the board shows for a call: the configured template, e.g. 请 R007 号 到 5 号窗口."""
    return _settings(config).announce_template.format(
        number=notice.number, window=notice.window, title=notice.window_title)


def spoken_text(notice: CallNotice, config: HallConfig | BoardSettings) -> str:
    """What the voice says: the template with numbers read the Chinese way when configured."""
    settings = _settings(config)
    if not settings.read_numbers_in_chinese:
        return announcement_text(notice, settings)
    return settings.announce_template.format(
        number=read_digits(notice.number), window=read_integer(notice.window),
        title=notice.window_title)


def speech_available(command: list[str]) -> bool:
    """Whether the speech command is configured and its program can be found."""
    return bool(command) and shutil.which(command[0]) is not None


def speech_args(command: list[str], text: str) -> list[str]:
    """The command's arguments with ``{text}`` replaced; appended when no argument holds it."""
    if any("{text}" in arg for arg in command):
        return [arg.replace("{text}", text) for arg in command]
    return [*command, text]


# -- the queue ----------------------------------------------------------------------------------

_STOP = object()


class Announcer:
    """Speaks announcements one at a time, in order, from its own daemon thread.

    ``on_fallback(text)`` is called instead of speaking when there is no voice (and after a
    failed command, so the hall at least hears the bell); ``on_problem(message)`` gets a Chinese
    sentence whenever something goes wrong (command failed, hung, missing, queue full).
    """

    def __init__(self, config: HallConfig | BoardSettings, *,
                 on_fallback: Callable[[str], None] | None = None,
                 on_problem: Callable[[str], None] | None = None,
                 bound: int = QUEUE_BOUND,
                 fallback_pause: float = FALLBACK_PAUSE_SECONDS) -> None:
        self.settings = _settings(config)
        self.command = list(self.settings.speech_command)
        self.timeout = float(self.settings.speech_timeout_seconds)
        self.voice = speech_available(self.command)
        """True when the speech command was found at start; False means bell and flash."""
        self.on_fallback = on_fallback
        self.on_problem = on_problem
        self.fallback_pause = fallback_pause
        self.spoken = 0
        """Announcements finished (spoken, or given to the fallback)."""
        self.failures = 0
        """Speech commands that failed, hung or were missing."""
        self._queue: queue.Queue[object] = queue.Queue(maxsize=bound)
        self._closing = threading.Event()
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        if self.command and not self.voice:
            log.warning("speech command %r not found: bell and flash only", self.command[0])
        self._thread = threading.Thread(target=self._run, name="hall-announcer", daemon=True)
        self._thread.start()

    # -- the caller's side (never blocks) -------------------------------------------------------

    def announce(self, notice: CallNotice) -> bool:
        """Queue the spoken form of ``notice``; False (and reported) if it could not be queued."""
        return self.say(spoken_text(notice, self.settings))

    def say(self, text: str) -> bool:
        """Queue ``text`` to be spoken; returns at once."""
        if self._closing.is_set():
            return False
        try:
            self._queue.put_nowait(text)
        except queue.Full:
            self._report(f"播报队列已满（{self._queue.maxsize} 条），未播报：{text}")
            return False
        return True

    @property
    def pending(self) -> int:
        """Announcements queued or being spoken."""
        return self._queue.unfinished_tasks

    def wait_idle(self, timeout: float) -> bool:
        """Block until everything queued has been spoken (tests, benchmarks); False on timeout."""
        deadline = time.monotonic() + timeout
        with self._queue.all_tasks_done:
            while self._queue.unfinished_tasks:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._queue.all_tasks_done.wait(remaining)
        return True

    def close(self, timeout: float = 2.0) -> None:
        """Stop the worker: what is still queued is dropped, a running command is killed."""
        if self._closing.is_set():
            return
        self._closing.set()
        with self._lock:
            process = self._process
        if process is not None:
            _kill(process)
        while True:  # make room for the stop mark; nothing queued will be spoken now
            try:
                self._queue.put_nowait(_STOP)
                break
            except queue.Full:
                try:
                    self._queue.get_nowait()
                    self._queue.task_done()
                except queue.Empty:
                    pass
        self._thread.join(timeout)

    # -- the worker -----------------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            try:
                if item is _STOP or self._closing.is_set():
                    return
                self._deliver(str(item))
            except Exception:  # the worker must outlive any one announcement
                log.exception("announcement failed")
            finally:
                self._queue.task_done()

    def _deliver(self, text: str) -> None:
        if self.voice and self._speak(text):
            self.spoken += 1
            return
        self._fallback(text)
        self.spoken += 1

    def _speak(self, text: str) -> bool:
        """Run the speech command to its end; True when it spoke."""
        args = speech_args(self.command, text)
        try:
            process = subprocess.Popen(
                args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE, start_new_session=True)
        except FileNotFoundError:
            self.voice = False  # uninstalled while running: bell and flash from now on
            self._fail(f"找不到语音播报程序“{self.command[0]}”，改用提示音")
            return False
        except OSError as exc:
            self._fail(f"语音播报程序无法启动：{exc}")
            return False
        with self._lock:
            self._process = process
        try:
            try:
                _, err = process.communicate(timeout=self.timeout)
            except subprocess.TimeoutExpired:
                _kill(process)
                try:
                    process.communicate(timeout=5)
                except subprocess.TimeoutExpired:  # a grandchild escaped the group: let it be
                    pass
                self._fail(f"语音播报超过 {self.timeout:g} 秒未结束，已中止：{text}")
                return False
        finally:
            with self._lock:
                self._process = None
        if self._closing.is_set():
            return True
        if process.returncode != 0:
            detail = err.decode(errors="replace").strip().splitlines()
            tail = f"：{detail[-1][:120]}" if detail else ""
            self._fail(f"语音播报失败（退出码 {process.returncode}）{tail}")
            return False
        return True

    def _fallback(self, text: str) -> None:
        if self.on_fallback is not None:
            try:
                self.on_fallback(text)
            except Exception:
                log.exception("announcement fallback failed")
        if self.fallback_pause > 0:
            self._closing.wait(self.fallback_pause)

    def _fail(self, message: str) -> None:
        self.failures += 1
        self._report(message)

    def _report(self, message: str) -> None:
        log.warning("%s", message)
        if self.on_problem is not None:
            try:
                self.on_problem(message)
            except Exception:
                log.exception("announcement problem callback failed")


def _kill(process: subprocess.Popen[bytes]) -> None:
    """Kill the command and anything it started (it leads its own process group)."""
    if process.poll() is not None:
        return
    try:
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)
        else:  # pragma: no cover - not POSIX
            process.kill()
    except (ProcessLookupError, PermissionError):
        pass
