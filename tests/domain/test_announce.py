"""Announcements: the words (numbers read the Chinese way) and the speech queue.

The queue is driven by a fake speech command (a shell script in tmp_path) that logs when each
announcement starts and ends, with its pid, so order and overlap can be checked from the log.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from config.schema import BoardSettings, HallConfig
from hall.board.announce import (
    Announcer,
    announcement_text,
    read_digits,
    read_integer,
    speech_args,
    spoken_text,
)
from hall.views import CallNotice

SCRIPT = """#!/bin/sh
# A fake speech command: logs the start and end of each announcement (pid, nanoseconds, text).
case "$1" in
  *HANG*) sleep 60 & echo $! > "{pidfile}"; wait; exit 0 ;;
  *FAIL*) echo "no audio device" >&2; exit 3 ;;
esac
echo "start $$ $(date +%s%N) $1" >> "{log}"
sleep {delay}
echo "end $$ $(date +%s%N) $1" >> "{log}"
"""


def fake_speech(tmp_path: Path, delay: float = 0.01) -> tuple[Path, Path]:
    """A speech command script and the log it writes; returns (script, log)."""
    script = tmp_path / "speak.sh"
    log = tmp_path / "spoken.log"
    script.write_text(SCRIPT.format(log=log, pidfile=tmp_path / "hung.pid", delay=delay))
    script.chmod(0o755)
    return script, log


def spoken_lines(log: Path) -> list[tuple[str, int, int, str]]:
    """(event, pid, nanoseconds, text) for each line of the fake command's log."""
    if not log.exists():
        return []
    out = []
    for line in log.read_text(encoding="utf-8").splitlines():
        event, pid, ns, text = line.split(" ", 3)
        out.append((event, int(pid), int(ns), text))
    return out


def spoken_texts(log: Path) -> list[str]:
    """The texts whose speaking finished, in order."""
    return [text for event, _, _, text in spoken_lines(log) if event == "end"]


def notice(number: str = "R007", window: int = 5, kind: str = "called",
           event_id: int = 1) -> CallNotice:
    return CallNotice(event_id=event_id, number=number, department="xfj", window=window,
                      window_title=f"{window}号窗口", kind=kind, at="09:30:00")


def settings(config: HallConfig, **changes: object) -> BoardSettings:
    return config.board.model_copy(update=changes)


# -- the words ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("number", "spoken"), [
    ("R007", "R零零七"), ("R001", "R零零一"), ("F120", "F一二零"), ("ZX999", "ZX九九九"),
    ("L0001", "L零零零一"),
])
def test_ticket_numbers_are_read_digit_by_digit(number: str, spoken: str) -> None:
    assert read_digits(number) == spoken


@pytest.mark.parametrize(("value", "spoken"), [
    (0, "零"), (1, "一"), (5, "五"), (10, "十"), (12, "十二"), (20, "二十"), (21, "二十一"),
    (100, "一百"), (105, "一百零五"), (110, "一百一十"), (999, "九百九十九"),
    (1005, "一千零五"), (1010, "一千零一十"),
])
def test_window_numbers_are_read_as_numbers(value: int, spoken: str) -> None:
    assert read_integer(value) == spoken


def test_shown_and_spoken_text(config: HallConfig) -> None:
    call = notice("R007", 5)
    assert announcement_text(call, config) == "请 R007 号 到 5 号窗口"
    assert spoken_text(call, config) == "请 R零零七 号 到 五 号窗口"
    assert spoken_text(notice("L012", 12), config) == "请 L零一二 号 到 十二 号窗口"
    assert spoken_text(notice("D001", 20), config) == "请 D零零一 号 到 二十 号窗口"
    latin = settings(config, read_numbers_in_chinese=False)
    assert spoken_text(call, latin) == "请 R007 号 到 5 号窗口"
    custom = settings(config, announce_template="{number}号请到{window}号窗口")
    assert announcement_text(call, custom) == "R007号请到5号窗口"
    assert spoken_text(call, custom) == "R零零七号请到五号窗口"


def test_text_goes_into_one_argument_never_a_shell() -> None:
    assert speech_args(["espeak-ng", "-v", "cmn", "{text}"], "请 R007; rm -rf /") == [
        "espeak-ng", "-v", "cmn", "请 R007; rm -rf /"]
    assert speech_args(["say"], "请") == ["say", "请"]


# -- the queue ----------------------------------------------------------------------------------


def test_a_burst_is_spoken_in_order_one_at_a_time(tmp_path: Path, config: HallConfig) -> None:
    script, log = fake_speech(tmp_path, delay=0.01)
    problems: list[str] = []
    announcer = Announcer(settings(config, speech_command=[str(script), "{text}"]),
                          on_problem=problems.append, fallback_pause=0)
    try:
        assert announcer.voice
        calls = [notice(f"R{n:03d}", n % 13 + 1, event_id=n) for n in range(1, 101)]
        for call in calls:
            assert announcer.announce(call)
        # announce() only queues: nearly all of the burst is still waiting when it returns
        assert announcer.pending > 90
        assert announcer.wait_idle(120)
    finally:
        announcer.close()
    lines = spoken_lines(log)
    assert spoken_texts(log) == [spoken_text(c, config) for c in calls]  # all, in order
    assert [event for event, *_ in lines] == ["start", "end"] * 100  # never two at once
    for (_, pid_a, start, text_a), (_, pid_b, end, text_b) in zip(lines[::2], lines[1::2],
                                                                   strict=True):
        assert (pid_a, text_a) == (pid_b, text_b) and start <= end
    starts = [ns for event, _, ns, _ in lines if event == "start"]
    ends = [ns for event, _, ns, _ in lines if event == "end"]
    assert all(end <= nxt for end, nxt in zip(ends, starts[1:], strict=False))
    assert len({pid for _, pid, _, _ in lines}) == 100
    assert problems == [] and announcer.spoken == 100 and announcer.failures == 0


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie is dead, only not reaped


def test_a_hanging_command_is_killed_and_the_queue_moves_on(tmp_path: Path,
                                                           config: HallConfig) -> None:
    script, log = fake_speech(tmp_path)
    problems: list[str] = []
    fallbacks: list[str] = []
    announcer = Announcer(
        settings(config, speech_command=[str(script), "{text}"], speech_timeout_seconds=0.5),
        on_problem=problems.append, on_fallback=fallbacks.append, fallback_pause=0)
    try:
        assert announcer.say("HANG 请 R零零一 号")
        assert announcer.announce(notice("R002", 2))
        assert announcer.pending == 2  # the caller was not held up by the hanging command
        assert announcer.wait_idle(20)
    finally:
        announcer.close()
    assert spoken_texts(log) == ["请 R零零二 号 到 二 号窗口"]
    assert len(problems) == 1 and "超过 0.5 秒" in problems[0]
    assert fallbacks == ["HANG 请 R零零一 号"]  # the hall still hears the bell
    hung = int((tmp_path / "hung.pid").read_text())
    deadline = time.monotonic() + 5
    while _alive(hung) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(hung), "the hung command's child must die with it"


def test_a_failing_command_is_reported_and_the_next_is_spoken(tmp_path: Path,
                                                             config: HallConfig) -> None:
    script, log = fake_speech(tmp_path)
    problems: list[str] = []
    fallbacks: list[str] = []
    announcer = Announcer(settings(config, speech_command=[str(script), "{text}"]),
                          on_problem=problems.append, on_fallback=fallbacks.append,
                          fallback_pause=0)
    try:
        announcer.say("FAIL")
        announcer.say("请 R零零三 号")
        assert announcer.wait_idle(20)
    finally:
        announcer.close()
    assert spoken_texts(log) == ["请 R零零三 号"]
    assert problems == ["语音播报失败（退出码 3）：no audio device"]
    assert fallbacks == ["FAIL"]


@pytest.mark.parametrize("command", [[], ["/nonexistent/espeak-ng", "-v", "cmn", "{text}"]])
def test_without_a_voice_every_call_goes_to_the_fallback(config: HallConfig,
                                                        command: list[str]) -> None:
    fallbacks: list[str] = []
    announcer = Announcer(settings(config, speech_command=command),
                          on_fallback=fallbacks.append, fallback_pause=0)
    try:
        assert not announcer.voice
        for n in range(1, 6):
            announcer.announce(notice(f"R{n:03d}", 1))
        assert announcer.wait_idle(10)
    finally:
        announcer.close()
    assert fallbacks == [f"请 R零零{n} 号 到 一 号窗口" for n in "一二三四五"]
    assert announcer.spoken == 5


def test_a_command_that_disappears_falls_back_and_says_so(tmp_path: Path,
                                                         config: HallConfig) -> None:
    script, _ = fake_speech(tmp_path)
    problems: list[str] = []
    fallbacks: list[str] = []
    announcer = Announcer(settings(config, speech_command=[str(script), "{text}"]),
                          on_problem=problems.append, on_fallback=fallbacks.append,
                          fallback_pause=0)
    try:
        assert announcer.voice
        script.unlink()
        announcer.say("一")
        announcer.say("二")
        assert announcer.wait_idle(10)
    finally:
        announcer.close()
    assert fallbacks == ["一", "二"]
    assert len(problems) == 1 and "找不到语音播报程序" in problems[0]
    assert not announcer.voice


def test_a_full_queue_reports_what_it_could_not_take(tmp_path: Path,
                                                    config: HallConfig) -> None:
    script, _ = fake_speech(tmp_path, delay=0.3)
    problems: list[str] = []
    announcer = Announcer(settings(config, speech_command=[str(script), "{text}"]),
                          on_problem=problems.append, bound=3, fallback_pause=0)
    try:
        taken = [announcer.say(f"第{n}条") for n in range(10)]
    finally:
        announcer.close()
    assert taken.count(False) >= 5
    assert len(problems) == taken.count(False)
    assert all("播报队列已满" in p for p in problems)


def test_close_stops_a_long_announcement_at_once(tmp_path: Path, config: HallConfig) -> None:
    script, _ = fake_speech(tmp_path, delay=30)
    announcer = Announcer(settings(config, speech_command=[str(script), "{text}"]))
    announcer.say("很长的一条")
    time.sleep(0.3)
    started = time.monotonic()
    announcer.close()
    assert time.monotonic() - started < 2.5
    assert not announcer.say("关闭之后")
    assert not announcer._thread.is_alive()


def test_espeak_ng_detection_follows_the_path(config: HallConfig, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    espeak = tmp_path / "espeak-ng"
    espeak.write_text("#!/bin/sh\nexit 0\n")
    espeak.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    announcer = Announcer(config)
    assert announcer.voice
    announcer.close()
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere") + os.pathsep)
    announcer = Announcer(config)
    assert not announcer.voice
    announcer.close()
