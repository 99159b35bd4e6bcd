"""Masking of personal data shown on screens, boards and printed slips.

User guide
----------
Use these helpers whenever a petitioner's personal data is displayed where others may see it::

    >>> from hall.text.masking import mask_address, mask_id_number, mask_name, mask_phone
    >>> mask_id_number("11010519491231002X")
    '110105********002X'
    >>> mask_phone("13812345678")
    '138****5678'
    >>> mask_name("李小明")
    '李**'
    >>> mask_address("北京市东城区某街道1号")
    '北京市东城区****'

Every helper strips surrounding whitespace, returns ``""`` for an empty value (or ``None``)
and never raises. Values too short to keep anything visible without revealing most of them
are masked entirely, with one "*" per character.
"""

from __future__ import annotations

__all__ = ["mask_address", "mask_id_number", "mask_name", "mask_phone"]

MASK = "*"


def mask_id_number(value: str | None) -> str:
    """Keep the first 6 and last 4 characters (15-digit legacy numbers: first 6, last 3).

    Values shorter than 11 characters (15-digit ones aside) are masked entirely.
    """
    text = _clean(value)
    tail = 3 if len(text) == 15 else 4
    return _mask_middle(text, head=6, tail=tail)


def mask_phone(value: str | None) -> str:
    """Keep the first 3 and last 4 characters: "13812345678" -> "138****5678".

    Values of 7 characters or fewer are masked entirely, so at least one digit is hidden.
    """
    return _mask_middle(_clean(value), head=3, tail=4)


def mask_name(value: str | None) -> str:
    """Keep the first character, one "*" for each other: "李小明" -> "李**"; "李" -> "*"."""
    text = _clean(value)
    if len(text) <= 1:
        return MASK * len(text)
    return text[0] + MASK * (len(text) - 1)


def mask_address(value: str | None) -> str:
    """Keep the first 6 characters, followed by "****" when the address is longer."""
    text = _clean(value)
    if len(text) <= 6:
        return text
    return text[:6] + MASK * 4


def _clean(value: str | None) -> str:
    return "" if value is None else str(value).strip()


def _mask_middle(text: str, *, head: int, tail: int) -> str:
    """Keep ``head`` and ``tail`` characters around a run of "*"; all "*" if nothing would hide."""
    hidden = len(text) - head - tail
    if hidden <= 0:
        return MASK * len(text)
    return text[:head] + MASK * hidden + text[len(text) - tail :]
