"""Announcements: the words (numbers and letters read as configured) and the calls' turns.

The turns are driven by a clock the test moves by hand (:class:`Seconds`): nothing here waits.
"""

from __future__ import annotations

import itertools
import random
import re
import shutil
import subprocess

import pytest

from config.schema import LETTER_READINGS, BoardSettings, HallConfig
from hall.board.announce import (
    CallTurns,
    Turn,
    announcement_text,
    read_digits,
    read_integer,
    read_number,
    spoken_text,
)
from hall.views import CallNotice


class Seconds:
    """A clock for the turns that moves only when told."""

    def __init__(self, at: float = 1000.0) -> None:
        self.at = at

    def __call__(self) -> float:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += seconds


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
def test_ticket_digits_are_read_one_by_one(number: str, spoken: str) -> None:
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
    assert spoken_text(call, config) == "请 阿尔零零七 号 到 五 号窗口"
    assert spoken_text(notice("L012", 12), config) == "请 艾勒零一二 号 到 十二 号窗口"
    assert spoken_text(notice("ZX001", 20), config) == "请 贼德艾克斯零零一 号 到 二十 号窗口"
    latin = settings(config, read_numbers_in_chinese=False)
    assert spoken_text(call, latin) == "请 阿尔007 号 到 5 号窗口"
    custom = settings(config, announce_template="{number}号请到{window}号窗口")
    assert announcement_text(call, custom) == "R007号请到5号窗口"
    assert spoken_text(call, custom) == "阿尔零零七号请到五号窗口"


def test_a_recall_is_announced_as_a_recall(config: HallConfig) -> None:
    again = notice("R007", 5, kind="recalled")
    assert spoken_text(again, config) == "再次呼叫 请 阿尔零零七 号 到 五 号窗口"
    assert spoken_text(again, settings(config, recall_spoken="")) == spoken_text(
        notice("R007", 5), config)


def test_letter_readings_are_configurable(config: HallConfig) -> None:
    board = BoardSettings.model_validate({"letter_readings": {"L": "L", "R": "R"}})
    assert read_number("L012", board) == "L零一二"  # read as the speech command reads it
    assert read_number("R007", board) == "R零零七"
    assert read_number("F001", board) == "艾弗零零一"  # the letters not given keep the default
    assert read_number("L012", config) == "艾勒零一二"
    with pytest.raises(ValueError, match="大写英文字母"):
        BoardSettings.model_validate({"letter_readings": {"l": "艾勒"}})
    with pytest.raises(ValueError, match="不能为空"):
        BoardSettings.model_validate({"letter_readings": {"L": " "}})


def _syllable_endings(ipa: str) -> list[str]:
    """The last sound of each syllable espeak-ng wrote (tone marks and stress stripped)."""
    return [re.sub(r"[\dɜˈˌ.]+$", "", word)[-1:] for word in ipa.split()]


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_espeak_says_every_default_letter_reading_as_mandarin_syllables() -> None:
    """The oracle is espeak-ng itself: the phonemes its Mandarin voice makes of a text. Mandarin
    syllables end in a vowel, n or ng; a bare Latin letter comes out with a stray consonant
    (L as "ai-l")."""

    def endings(text: str) -> set[str]:
        ipa = subprocess.run(["espeak-ng", "-q", "--ipa", "-v", "cmn-latn-pinyin", text],
                             capture_output=True, text=True, check=True).stdout
        return set(_syllable_endings(ipa))

    consonants = set("lfmskptxhʃ")
    assert endings("L") & consonants and endings("F") & consonants  # what the hall heard
    for letter, reading in LETTER_READINGS.items():
        assert not endings(reading) & consonants, (letter, reading)


# -- the turns ----------------------------------------------------------------------------------


def turns_of(config: HallConfig, clock: Seconds, **changes: object) -> CallTurns:
    return CallTurns(settings(config, **changes), clock)


def test_two_windows_calling_70ms_apart_are_both_shown_large(config: HallConfig) -> None:
    clock = Seconds()
    turns = turns_of(config, clock, min_display_seconds=3)
    turns.add([notice("R001", 1, event_id=1)])
    first = turns.next_turn()
    assert first is not None and first.notice.number == "R001"
    assert first.words == "请 阿尔零零一 号 到 一 号窗口"
    clock.advance(0.07)
    turns.add([notice("R002", 2, event_id=2)])
    assert turns.next_turn() is None  # R001 keeps the display and the voice
    assert turns.current is first
    clock.advance(1.2)
    turns.spoken(first)  # spoken, but shown for 1.27 s only
    assert turns.next_turn() is None and turns.remaining() == pytest.approx(1.73)
    clock.advance(1.73)
    second = turns.next_turn()
    assert second is not None and second.notice.number == "R002" and turns.current is second
    assert turns.next_turn() is None  # nothing else waits
    clock.advance(60)
    turns.spoken(second)
    assert turns.next_turn() is None and turns.current is second  # it stays up


def test_a_turn_lasts_until_its_words_are_spoken(config: HallConfig) -> None:
    clock = Seconds()
    turns = turns_of(config, clock, min_display_seconds=3)
    turns.add([notice("R001", 1, event_id=1), notice("R002", 2, event_id=2)])
    first = turns.next_turn()
    assert first is not None
    clock.advance(5)  # a long sentence: still being read
    assert turns.busy() and turns.next_turn() is None
    turns.spoken(Turn(first.notice, first.words, first.started))  # not this turn: ignored
    assert turns.next_turn() is None
    turns.spoken(first)
    assert turns.next_turn() is not None


def test_a_lost_word_from_the_voice_does_not_stop_the_board(config: HallConfig) -> None:
    clock = Seconds()
    turns = turns_of(config, clock, min_display_seconds=3, speech_timeout_seconds=10)
    turns.add([notice("R001", 1, event_id=1), notice("R002", 2, event_id=2)])
    assert turns.next_turn() is not None
    clock.advance(17.9)
    assert turns.next_turn() is None
    clock.advance(0.2)  # 3 + 10 + 5 s: the voice would have been killed long ago
    turn = turns.next_turn()
    assert turn is not None and turn.notice.number == "R002"


def test_a_clock_set_back_ends_the_minimum_time(config: HallConfig) -> None:
    clock = Seconds()
    turns = turns_of(config, clock)
    turns.add([notice("R001", 1, event_id=1), notice("R002", 2, event_id=2)])
    first = turns.next_turn()
    assert first is not None
    turns.spoken(first)
    clock.advance(-3600)
    assert turns.next_turn() is not None


def test_six_calls_in_two_seconds(config: HallConfig) -> None:
    """The voice and the display take the same call; a waiting call that its window has replaced
    is dropped; a recall is announced as one."""
    clock = Seconds()
    turns = turns_of(config, clock, min_display_seconds=3)
    burst = [notice("R001", 1, event_id=1), notice("R002", 2, event_id=2),
             notice("R003", 3, event_id=3), notice("R001", 1, "recalled", event_id=4),
             notice("R004", 2, event_id=5), notice("R003", 3, "recalled", event_id=6)]
    dropped: list[CallNotice] = []
    shown: list[Turn] = []
    for call in burst:
        dropped += turns.add([call])
        turn = turns.next_turn()
        if turn is not None:
            shown.append(turn)
        clock.advance(0.4)
    while turns.waiting or turns.busy():
        clock.advance(1.5)  # each sentence takes 1.5 s to say
        if turns.current is not None:
            turns.spoken(turns.current)
        turn = turns.next_turn()
        if turn is not None:
            shown.append(turn)
    assert [(t.notice.number, t.notice.kind) for t in shown] == [
        ("R001", "called"), ("R001", "recalled"), ("R004", "called"), ("R003", "recalled")]
    assert [t.words for t in shown][1] == "再次呼叫 请 阿尔零零一 号 到 一 号窗口"
    assert [c.event_id for c in dropped] == [2, 3] and turns.dropped == 2
    gaps = [b.started - a.started for a, b in itertools.pairwise(shown)]
    assert all(gap >= 3 for gap in gaps)  # each shown its minimum time
    assert shown[-1].started - 1000.0 < 12  # the last recall heard within 12 s, not 18


def test_a_call_already_queued_is_not_queued_twice(config: HallConfig) -> None:
    turns = turns_of(config, Seconds())
    turns.add([notice("R001", 1, event_id=1)])
    turns.next_turn()
    assert turns.add([notice("R001", 1, event_id=1), notice("R002", 2, event_id=2)]) == []
    assert [c.event_id for c in turns.waiting] == [2]
    turns.add([notice("R002", 2, event_id=2)])
    assert [c.event_id for c in turns.waiting] == [2]
    turns.clear()
    assert turns.current is None and turns.waiting == ()


@pytest.mark.parametrize("seed", range(20))
def test_random_bursts_keep_the_rules(config: HallConfig, seed: int) -> None:
    """Checked against the rules, not the code: turns never overlap, each lasts its minimum and
    its speech, calls keep their order, and a call is dropped only when a later call to its
    window came in before its turn; every window's last call is heard."""
    rng = random.Random(seed)
    clock = Seconds(0.0)
    turns = turns_of(config, clock, min_display_seconds=3)
    arrivals: dict[int, float] = {}
    calls = []
    t = 0.0
    for event_id in range(1, rng.randint(2, 25)):
        t += rng.expovariate(2.0)
        calls.append((t, notice(f"R{event_id:03d}", rng.randint(1, 4), event_id=event_id)))
    started: list[tuple[Turn, float]] = []  # (turn, when its words were spoken)
    speech_ends = 0.0
    pending = list(calls)
    while pending or turns.waiting or turns.busy():
        while pending and pending[0][0] <= clock():
            _, call = pending.pop(0)
            arrivals[call.event_id] = clock()
            turns.add([call])
        if turns.current is not None and clock() >= speech_ends:
            turns.spoken(turns.current)
        turn = turns.next_turn()
        if turn is not None:
            speech_ends = clock() + rng.uniform(0.5, 6.0)
            started.append((turn, speech_ends))
        clock.advance(0.05)
    for (a, spoken_at), (b, _) in itertools.pairwise(started):
        assert b.started >= a.started + 3 - 1e-9 and b.started >= spoken_at - 1e-9
    ids = [t.notice.event_id for t, _ in started]
    assert ids == sorted(ids)
    for _, call in calls:
        if call.event_id in ids:
            continue
        start_of_next = min((t.started for t, _ in started if t.notice.event_id > call.event_id),
                            default=float("inf"))
        assert any(other.window == call.window and other.event_id > call.event_id
                   and arrivals[other.event_id] <= start_of_next for _, other in calls)
    last_per_window = {call.window: call.event_id for _, call in calls}
    assert set(last_per_window.values()) <= set(ids)
