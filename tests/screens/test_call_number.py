"""The window's 叫指定号 dialog reads numbers past 9,999 a day (R10000) as the desk issues them."""

from __future__ import annotations

import pytest

from screens.window.dialogs import normalise_number


@pytest.mark.parametrize(("typed", "number"), [
    ("R10000", "R10000"), ("r10000", "R10000"), ("10000", "R10000"), ("R123456", "R123456"),
    ("R9999", "R9999"), ("R07", "R007"),
])
def test_five_and_six_digit_numbers_are_read(typed: str, number: str) -> None:
    assert normalise_number(typed, ["R"]) == (number, "")


def test_a_number_longer_than_a_ticket_can_be_is_refused() -> None:
    assert "格式不对" in normalise_number("R1234567", ["R"])[1]
