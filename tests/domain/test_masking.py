"""Tests of hall.text.masking: hiding personal data shown on screens."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hall.text.masking import mask_address, mask_id_number, mask_name, mask_phone

Masker = Callable[[str | None], str]

MASKERS: list[Masker] = [mask_id_number, mask_phone, mask_name, mask_address]


# --- ID numbers --------------------------------------------------------------------------------


def test_id_number_18() -> None:
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_id_number("110101199003070011") == "110101********0011"


def test_id_number_15() -> None:
    assert mask_id_number("110105491231002") == "110105******002"


@pytest.mark.parametrize("value", ["1", "1234", "1234567"])
def test_id_number_shorter_than_8_is_all_stars(value: str) -> None:
    assert mask_id_number(value) == "*" * len(value)


@pytest.mark.parametrize("value", ["12345678", "1234567890"])
def test_id_number_too_short_to_show_ends_is_all_stars(value: str) -> None:
    assert mask_id_number(value) == "*" * len(value)


def test_id_number_other_length_keeps_6_and_4() -> None:
    assert mask_id_number("12345678901") == "123456*8901"
    assert mask_id_number("1234567890123456") == "123456******3456"


def test_id_number_strips_whitespace() -> None:
    assert mask_id_number(" 11010519491231002X\n") == "110105********002X"


# --- phones ------------------------------------------------------------------------------------


def test_mobile() -> None:
    assert mask_phone("13812345678") == "138****5678"


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("01012345678", "010****5678"),
        ("010123456789", "010*****6789"),
        ("12345678", "123*5678"),
        ("+8613812345678", "+86*******5678"),
    ],
)
def test_other_phone_lengths(value: str, masked: str) -> None:
    assert mask_phone(value) == masked


@pytest.mark.parametrize("value", ["1", "123456", "1234567"])
def test_short_phone_is_all_stars(value: str) -> None:
    # Seven characters would leave nothing hidden between the first 3 and last 4.
    assert mask_phone(value) == "*" * len(value)


# --- names -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("李小明", "李**"),
        ("李四", "李*"),
        ("欧阳娜娜", "欧***"),
        ("李", "*"),
        (" 王五 ", "王*"),
    ],
)
def test_name(value: str, masked: str) -> None:
    assert mask_name(value) == masked


# --- addresses ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("北京市东城区某街道1号", "北京市东城区****"),
        ("北京市东城区X", "北京市东城区****"),
        ("北京市东城区", "北京市东城区"),
        ("东城区", "东城区"),
    ],
)
def test_address(value: str, masked: str) -> None:
    assert mask_address(value) == masked


# --- all helpers -------------------------------------------------------------------------------


@pytest.mark.parametrize("mask", MASKERS)
@pytest.mark.parametrize("value", ["", "   ", None])
def test_empty(mask: Masker, value: str | None) -> None:
    assert mask(value) == ""


@pytest.mark.parametrize("mask", [mask_id_number, mask_phone, mask_name])
@given(value=st.text())
def test_length_preserved_and_something_hidden(mask: Masker, value: str) -> None:
    masked = mask(value)
    text = value.strip()
    assert len(masked) == len(text)
    if text:
        hidden = [i for i, char in enumerate(masked) if char == "*"]
        assert hidden, "at least one character is hidden"
        # Apart from the hidden positions the text is unchanged. The input may itself hold "*"
        # where a mask goes ("0*"), so "masked differs from the input" is not the property.
        assert all(masked[i] == text[i] for i in range(len(text)) if i not in hidden)
