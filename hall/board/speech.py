"""The board's voice: the speech command run for one text at a time, and whether it spoke.

    speaker = Speaker(config, on_done=lambda result: ...)   # result: a Spoken
    speaker.say("请 阿尔零零七 号 到 五 号窗口")              # returns at once
    speaker.close()

Speech is offline: ``board.speech_command`` (espeak-ng's Mandarin voice by default) run as a
subprocess, no shell, with ``{text}`` replaced by the words. Texts are spoken one after another on
one daemon thread, never two at once; :class:`hall.board.announce.CallTurns` hands over one at a
time anyway.

Did it speak? espeak-ng with no sound device prints ALSA's errors and exits 0, so the exit code
alone does not tell. A command fails when it exits non-zero, when its error output has a line
that says so (:data:`FAILURE_WORDS`: "error", "cannot", "unable", "failed"...), or when it runs
past ``board.speech_timeout_seconds`` (then its whole process group is killed). A command that
pipes its sound to a player whose exit code counts works too (see config/hall.yaml). Each text's
result goes to ``on_done`` as a :class:`Spoken`: ``spoken`` True, or False with the ``problem`` in
Chinese (empty when no voice is configured: bell and flash is then the plan, not a failure). The
callback runs on the speaker's thread: a Textual caller hands it to ``call_from_thread`` or posts a
message. Nothing here imports Textual.
"""

from __future__ import annotations

import logging
import os
import queue
import re
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from config.schema import BoardSettings, HallConfig

log = logging.getLogger(__name__)

QUEUE_BOUND = 200
"""Texts waiting at most; one beyond it is reported as not spoken, never silently lost."""
FAILURE_WORDS = re.compile(r"\berror\b|cannot|can't|unable|fail|no such", re.IGNORECASE)
"""An error-output line that means nothing was heard (ALSA: "cannot find card '0'", espeak-ng:
"error: No such file or directory", aplay: "audio open error")."""


@dataclass(frozen=True)
class Spoken:
    """What became of one text: ``spoken``, or not and why (``problem``, Chinese)."""

    text: str
    spoken: bool
    problem: str = ""


def speech_available(command: list[str]) -> bool:
    """Whether the speech command is configured and its program can be found."""
    return bool(command) and shutil.which(command[0]) is not None


def speech_args(command: list[str], text: str) -> list[str]:
    """The command's arguments with ``{text}`` replaced; appended when no argument holds it."""
    if any("{text}" in arg for arg in command):
        return [arg.replace("{text}", text) for arg in command]
    return [*command, text]


def failure_line(err: str) -> str | None:
    """The last line of a command's error output that says it failed, or None."""
    lines = [line.strip() for line in err.splitlines() if FAILURE_WORDS.search(line)]
    return lines[-1] if lines else None


def _settings(config: HallConfig | BoardSettings) -> BoardSettings:
    return getattr(config, "board", config)  # type: ignore[return-value]


_STOP = object()


class Speaker:
    """Speaks texts one at a time, in order, from its own daemon thread; see the module."""

    def __init__(self, config: HallConfig | BoardSettings,
                 on_done: Callable[[Spoken], None] | None = None,
                 bound: int = QUEUE_BOUND) -> None:
        settings = _settings(config)
        self.command = list(settings.speech_command)
        self.timeout = float(settings.speech_timeout_seconds)
        self.voice = speech_available(self.command)
        """True while the speech command can be found; False means bell and flash."""
        self.on_done = on_done
        self.spoken = 0
        """Texts spoken."""
        self.failures = 0
        """Texts the command failed to speak (failed, hung, printed an error, missing)."""
        self._queue: queue.Queue[object] = queue.Queue(maxsize=bound)
        self._closing = threading.Event()
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        if self.command and not self.voice:
            log.warning("speech command %r not found: bell and flash only", self.command[0])
        self._thread = threading.Thread(target=self._run, name="hall-speaker", daemon=True)
        self._thread.start()

    # -- the caller's side (never blocks) -------------------------------------------------------

    def say(self, text: str) -> bool:
        """Queue ``text`` to be spoken; returns at once (False, and reported, if it can't)."""
        if self._closing.is_set():
            return False
        try:
            self._queue.put_nowait(text)
        except queue.Full:
            self._report(Spoken(text, False, f"播报队列已满（{self._queue.maxsize} 条）"))
            return False
        return True

    @property
    def pending(self) -> int:
        """Texts queued or being spoken."""
        return self._queue.unfinished_tasks

    def wait_idle(self, timeout: float) -> bool:
        """Block until everything queued is done (tests, benchmarks); False on timeout."""
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
                text = str(item)
                result = self._speak(text) if self.voice else Spoken(text, False, self._absent())
                if not self._closing.is_set():
                    self._report(result)
            except Exception:  # the worker must outlive any one text
                log.exception("speaking failed")
            finally:
                self._queue.task_done()

    def _absent(self) -> str:
        if not self.command:
            return ""  # no voice configured: bell and flash, nothing is wrong
        self.failures += 1
        return f"找不到语音播报程序“{self.command[0]}”"

    def _speak(self, text: str) -> Spoken:
        """Run the speech command to its end."""
        args = speech_args(self.command, text)
        try:
            process = subprocess.Popen(
                args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE, start_new_session=True)
        except FileNotFoundError:
            self.voice = False  # uninstalled while running: bell and flash from now on
            return Spoken(text, False, self._absent())
        except OSError as exc:
            return self._failed(text, f"语音播报程序无法启动：{exc}")
        with self._lock:
            self._process = process
        try:
            try:
                _, raw = process.communicate(timeout=self.timeout)
            except subprocess.TimeoutExpired:
                _kill(process)
                try:
                    process.communicate(timeout=5)
                except subprocess.TimeoutExpired:  # a grandchild escaped the group: let it be
                    pass
                return self._failed(text, f"语音播报超过 {self.timeout:g} 秒未结束，已中止")
        finally:
            with self._lock:
                self._process = None
        err = raw.decode(errors="replace")
        if process.returncode != 0:
            lines = err.strip().splitlines()
            tail = f"：{lines[-1][:120]}" if lines else ""
            return self._failed(text, f"语音播报失败（退出码 {process.returncode}）{tail}")
        line = failure_line(err)
        if line is not None:  # exit 0, but it says nothing could be played
            return self._failed(text, f"语音没有播出：{line[:120]}")
        self.spoken += 1
        return Spoken(text, True)

    def _failed(self, text: str, problem: str) -> Spoken:
        self.failures += 1
        return Spoken(text, False, problem)

    def _report(self, result: Spoken) -> None:
        if result.problem:
            log.warning("%s", result.problem)
        if self.on_done is not None:
            try:
                self.on_done(result)
            except Exception:
                log.exception("speech callback failed")


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
