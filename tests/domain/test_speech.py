"""The board's voice: texts spoken one at a time, and whether anything was heard.

Driven by a fake speech command (a shell script in tmp_path) that logs when each text starts and
ends, with its pid, so order and overlap can be checked from the log; texts holding HANG, FAIL or
MUTE make it hang, fail, or behave as espeak-ng does without a sound device (ALSA's errors on
stderr, exit 0).
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from config.schema import BoardSettings, HallConfig
from hall.board.speech import Speaker, Spoken, failure_line, speech_args

SCRIPT = """#!/bin/sh
# A fake speech command: logs the start and end of each text (pid, nanoseconds, text).
case "$1" in
  *HANG*) sleep 60 & echo $! > "{pidfile}"; wait; exit 0 ;;
  *FAIL*) echo "no audio device" >&2; exit 3 ;;
  *MUTE*) echo "ALSA lib confmisc.c:855:(parse_card) cannot find card '0'" >&2
          echo "error: No such file or directory" >&2; exit 0 ;;
esac
if [ -e "{mute}" ]; then  # the sound device is gone, as espeak-ng says it
  echo "ALSA lib pcm.c:2666:(snd_pcm_open_noupdate) Unknown PCM default" >&2
  echo "error: No such file or directory" >&2
  exit 0
fi
echo "start $$ $(date +%s%N) $1" >> "{log}"
sleep {delay}
echo "end $$ $(date +%s%N) $1" >> "{log}"
"""


def fake_speech(tmp_path: Path, delay: float = 0.01) -> tuple[Path, Path]:
    """A speech command script and the log it writes; returns (script, log). While the file
    ``tmp_path / "mute"`` exists it speaks nothing and prints espeak-ng's no-device errors."""
    script = tmp_path / "speak.sh"
    log = tmp_path / "spoken.log"
    script.write_text(SCRIPT.format(log=log, pidfile=tmp_path / "hung.pid", delay=delay,
                                    mute=tmp_path / "mute"))
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


def settings(config: HallConfig, **changes: object) -> BoardSettings:
    return config.board.model_copy(update=changes)


def speaker(config: HallConfig, command: list[str], **changes: object,
            ) -> tuple[Speaker, list[Spoken]]:
    results: list[Spoken] = []
    return Speaker(settings(config, speech_command=command, **changes),
                   on_done=results.append), results


def test_text_goes_into_one_argument_never_a_shell() -> None:
    assert speech_args(["espeak-ng", "-v", "cmn", "{text}"], "请 R007; rm -rf /") == [
        "espeak-ng", "-v", "cmn", "请 R007; rm -rf /"]
    assert speech_args(["say"], "请") == ["say", "请"]


def test_texts_are_spoken_in_order_one_at_a_time(tmp_path: Path, config: HallConfig) -> None:
    script, log = fake_speech(tmp_path, delay=0.01)
    voice, results = speaker(config, [str(script), "{text}"])
    texts = [f"请 第{n}号" for n in range(40)]
    try:
        assert voice.voice
        for text in texts:
            assert voice.say(text)
        assert voice.pending > 30  # say() only queues
        assert voice.wait_idle(120)
    finally:
        voice.close()
    lines = spoken_lines(log)
    assert spoken_texts(log) == texts
    assert [event for event, *_ in lines] == ["start", "end"] * 40  # never two at once
    assert results == [Spoken(text, True) for text in texts]
    assert voice.spoken == 40 and voice.failures == 0


def test_no_sound_device_is_a_failure_though_the_command_exits_0(
        tmp_path: Path, config: HallConfig) -> None:
    script, log = fake_speech(tmp_path)
    voice, results = speaker(config, [str(script), "{text}"])
    try:
        voice.say("MUTE 请 阿尔零零一 号")
        voice.say("请 阿尔零零二 号")
        assert voice.wait_idle(20)
    finally:
        voice.close()
    assert results == [
        Spoken("MUTE 请 阿尔零零一 号", False, "语音没有播出：error: No such file or directory"),
        Spoken("请 阿尔零零二 号", True)]
    assert spoken_texts(log) == ["请 阿尔零零二 号"] and voice.failures == 1


@pytest.mark.skipif(shutil.which("espeak-ng") is None or Path("/dev/snd").exists(),
                    reason="needs espeak-ng and a machine without a sound device")
def test_the_real_espeak_ng_without_a_sound_device(config: HallConfig) -> None:
    voice, results = speaker(config, list(config.board.speech_command))
    try:
        voice.say("请 阿尔零零一 号")
        assert voice.wait_idle(30)
    finally:
        voice.close()
    assert len(results) == 1 and not results[0].spoken
    assert results[0].problem.startswith("语音没有播出：")


def test_error_output_that_is_not_a_failure() -> None:
    assert failure_line("") is None
    assert failure_line("Playing WAVE 'stdin' : Signed 16 bit\n") is None
    assert failure_line("ALSA lib x\naplay: main:831: audio open error: No such file\n") == (
        "aplay: main:831: audio open error: No such file")


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie is dead, only not reaped


def test_a_hanging_command_is_killed_and_the_next_is_spoken(tmp_path: Path,
                                                          config: HallConfig) -> None:
    script, log = fake_speech(tmp_path)
    voice, results = speaker(config, [str(script), "{text}"], speech_timeout_seconds=0.5)
    try:
        assert voice.say("HANG 请 阿尔零零一 号")
        assert voice.say("请 阿尔零零二 号")
        assert voice.pending == 2  # the caller was not held up by the hanging command
        assert voice.wait_idle(20)
    finally:
        voice.close()
    assert spoken_texts(log) == ["请 阿尔零零二 号"]
    assert [r.spoken for r in results] == [False, True]
    assert "超过 0.5 秒" in results[0].problem
    hung = int((tmp_path / "hung.pid").read_text())
    deadline = time.monotonic() + 5
    while _alive(hung) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(hung), "the hung command's child must die with it"


def test_a_failing_command_is_reported_and_the_next_is_spoken(tmp_path: Path,
                                                             config: HallConfig) -> None:
    script, log = fake_speech(tmp_path)
    voice, results = speaker(config, [str(script), "{text}"])
    try:
        voice.say("FAIL")
        voice.say("请 阿尔零零三 号")
        assert voice.wait_idle(20)
    finally:
        voice.close()
    assert spoken_texts(log) == ["请 阿尔零零三 号"]
    assert results == [Spoken("FAIL", False, "语音播报失败（退出码 3）：no audio device"),
                       Spoken("请 阿尔零零三 号", True)]


def test_without_a_voice_configured_nothing_is_wrong(config: HallConfig) -> None:
    voice, results = speaker(config, [])
    try:
        assert not voice.voice
        voice.say("一")
        assert voice.wait_idle(10)
    finally:
        voice.close()
    assert results == [Spoken("一", False, "")] and voice.failures == 0


def test_a_missing_or_vanished_command_is_reported(tmp_path: Path, config: HallConfig) -> None:
    voice, results = speaker(config, ["/nonexistent/espeak-ng", "{text}"])
    try:
        voice.say("一")
        assert voice.wait_idle(10)
    finally:
        voice.close()
    assert results == [Spoken("一", False, "找不到语音播报程序“/nonexistent/espeak-ng”")]
    script, _ = fake_speech(tmp_path)
    voice, results = speaker(config, [str(script), "{text}"])
    try:
        assert voice.voice
        script.unlink()
        voice.say("二")
        voice.say("三")
        assert voice.wait_idle(10)
    finally:
        voice.close()
    assert [(r.text, r.spoken) for r in results] == [("二", False), ("三", False)]
    assert all("找不到语音播报程序" in r.problem for r in results) and not voice.voice


def test_a_full_queue_reports_what_it_could_not_take(tmp_path: Path,
                                                    config: HallConfig) -> None:
    script, _ = fake_speech(tmp_path, delay=0.3)
    results: list[Spoken] = []
    voice = Speaker(settings(config, speech_command=[str(script), "{text}"]),
                    on_done=results.append, bound=3)
    try:
        taken = [voice.say(f"第{n}条") for n in range(10)]
    finally:
        voice.close()
    refused = [r for r in results if "播报队列已满" in r.problem]
    assert taken.count(False) >= 5 and len(refused) == taken.count(False)


def test_close_stops_a_long_text_at_once(tmp_path: Path, config: HallConfig) -> None:
    script, _ = fake_speech(tmp_path, delay=30)
    voice, _ = speaker(config, [str(script), "{text}"])
    voice.say("很长的一条")
    deadline = time.monotonic() + 10
    while voice._process is None and time.monotonic() < deadline:  # until it is speaking
        time.sleep(0.01)
    voice.close()  # joins the worker for at most 2 s: the 30 s text was killed
    assert not voice.say("关闭之后")
    assert not voice._thread.is_alive()


def test_espeak_ng_detection_follows_the_path(config: HallConfig, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    espeak = tmp_path / "espeak-ng"
    espeak.write_text("#!/bin/sh\nexit 0\n")
    espeak.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    voice = Speaker(config)
    assert voice.voice
    voice.close()
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere") + os.pathsep)
    voice = Speaker(config)
    assert not voice.voice
    voice.close()
