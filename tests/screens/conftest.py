"""Fixtures of the board's Pilot tests (tests/screens/test_board*.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from config import HallConfig
from hall import Hall
from hall.clock import FixedClock
from models import open_database
from screens.board import BoardScreen
from tests.conftest import MORNING
from tests.domain.test_announce import Seconds
from tests.domain.test_speech import fake_speech
from tests.helpers import config_with, distinct_id, form

NAMES = ["欧阳明月", "司马长风", "上官飞燕", "诸葛青云", "慕容秋水", "东方既白"]


@pytest.fixture
def speech(tmp_path: Path) -> tuple[Path, Path]:
    return fake_speech(tmp_path, delay=0.01)


@pytest.fixture
def turn_clock(monkeypatch: pytest.MonkeyPatch) -> Seconds:
    """The board's turns run on this clock; the test moves it."""
    clock = Seconds()
    monkeypatch.setattr(BoardScreen, "turn_clock", clock)
    return clock


@pytest.fixture
def board_config(speech: tuple[Path, Path]) -> HallConfig:
    """The shipped hall, speaking through the fake command."""
    script, _ = speech
    return config_with(('speech_command: [espeak-ng, -v, cmn-latn-pinyin, "{text}"]',
                        f'speech_command: ["{script}", "{{text}}"]'))


@pytest.fixture
def board_hall(db_url: str, board_config: HallConfig) -> Hall:
    """A hall where six visitors (with names and ID numbers) wait for 信访局 windows 1-3."""
    hall = Hall(open_database(db_url), board_config, FixedClock(MORNING))
    for n, name in enumerate(NAMES, 1):
        hall.desk.issue(form(name=name, id_number=distinct_id(n), category="reform"),
                        actor="desk01")
    return hall
