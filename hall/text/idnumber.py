"""Chinese resident ID numbers (公民身份号码, GB 11643-1999).

User guide
----------
Parse whatever the registration clerk typed::

    >>> from hall.text.idnumber import parse_id_number
    >>> person = parse_id_number(" 1101 0519 4912 3100 2x ")
    >>> person.value, person.region, person.birth_date.isoformat(), person.sex_label
    ('11010519491231002X', '110105', '1949-12-31', '女')

Surrounding and inner whitespace is dropped, a lower-case ``x`` is accepted, and full-width
digits (``１２３``) typed with a Chinese input method are read as ordinary digits. Legacy
15-digit numbers are upgraded to 18 digits; the original is kept in ``upgraded_from``::

    >>> old = parse_id_number("110105491231002")
    >>> old.value, old.upgraded_from
    ('11010519491231002X', '110105491231002')

Anything wrong raises :class:`IdNumberError`, a ``ValueError`` whose ``reason`` is a
machine-readable code (``"empty"``, ``"length"``, ``"characters"``, ``"birth_date"`` or
``"check"``) and whose text (``str(err)`` or ``err.message``) is a Chinese sentence that can
be shown to staff as is, e.g. ``身份证号校验位错误：末位应为X，实际为3``.

Pass ``today=`` to also reject birth dates in the future. Birth dates before 1800-01-01 are
always rejected.

Structure of an 18-character number: 6-digit address code, 8-digit birth date ``YYYYMMDD``,
3-digit sequence (odd: male, even: female) and a check character computed with
ISO 7064 MOD 11-2 (see :func:`check_character`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

__all__ = [
    "REASONS",
    "IdNumber",
    "IdNumberError",
    "check_character",
    "parse_id_number",
    "upgrade_legacy",
]

REASONS = ("empty", "length", "characters", "birth_date", "check")
"""Every value :attr:`IdNumberError.reason` can take."""

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_DIGITS = frozenset("0123456789")
_EARLIEST_BIRTH = date(1800, 1, 1)
# Full-width digits and X as typed with a Chinese input method.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789XX")


class IdNumberError(ValueError):
    """An ID number that cannot be accepted; ``reason`` says why, the text says it in Chinese."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[type[IdNumberError], tuple[str, str]]:
        return (type(self), (self.reason, self.message))


@dataclass(frozen=True)
class IdNumber:
    """A valid, normalized 18-character ID number and what it says about its holder."""

    value: str
    region: str
    birth_date: date
    sex: str
    upgraded_from: str | None = None

    def age_on(self, day: date) -> int:
        """Full years of age on ``day``.

        Someone born on 29 February turns a year older on 1 March in common years.
        Raises ``ValueError`` if ``day`` is before the birth date.
        """
        born = self.birth_date
        if day < born:
            raise ValueError(f"日期{day.isoformat()}早于出生日期{born.isoformat()}")
        years = day.year - born.year
        if (day.month, day.day) < (born.month, born.day):
            years -= 1
        return years

    @property
    def sex_label(self) -> str:
        """The sex in Chinese: "男" or "女"."""
        return "男" if self.sex == "M" else "女"

    def __str__(self) -> str:
        return self.value


def check_character(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character ("0"-"9" or "X") for the first 17 digits."""
    if len(first17) != 17 or not set(first17) <= _DIGITS:
        raise IdNumberError("characters", "计算校验位需要17位数字")
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def upgrade_legacy(number15: str) -> str:
    """Upgrade a legacy 15-digit number to 18 characters ("19" before the year, check char).

    Raises :class:`IdNumberError` if ``number15`` is not 15 digits with a real birth date.
    """
    text = _normalize(number15)
    if not text:
        raise IdNumberError("empty", "身份证号为空")
    if len(text) != 15:
        raise IdNumberError("length", f"旧身份证号应为15位，实际为{len(text)}位")
    for position, char in enumerate(text, start=1):
        if char not in _DIGITS:
            raise IdNumberError(
                "characters", f"15位旧身份证号只能包含数字，第{position}位“{char}”不合法"
            )
    first17 = text[:6] + "19" + text[6:]
    _birth_date(first17[6:14], today=None)
    return first17 + check_character(first17)


def parse_id_number(text: str, *, today: date | None = None) -> IdNumber:
    """Validate and parse an 18-digit (or legacy 15-digit) ID number.

    Raises :class:`IdNumberError` for an empty value, a wrong length, illegal characters,
    an impossible birth date (or one after ``today`` when given) or a wrong check character.
    """
    value = _normalize(text)
    if not value:
        raise IdNumberError("empty", "身份证号为空")
    if len(value) not in (15, 18):
        raise IdNumberError("length", f"身份证号应为18位（或15位旧号），实际为{len(value)}位")
    last = len(value) - 1
    for index, char in enumerate(value):
        if char not in _DIGITS and not (char == "X" and index == last == 17):
            raise IdNumberError(
                "characters", f"身份证号只能包含数字，末位可为X，第{index + 1}位“{char}”不合法"
            )

    upgraded_from: str | None = None
    if len(value) == 15:
        upgraded_from = value
        value = upgrade_legacy(value)

    birth_date = _birth_date(value[6:14], today=today)
    expected = check_character(value[:17])
    if value[17] != expected:
        raise IdNumberError("check", f"身份证号校验位错误：末位应为{expected}，实际为{value[17]}")
    return IdNumber(
        value=value,
        region=value[:6],
        birth_date=birth_date,
        sex="M" if int(value[16]) % 2 else "F",
        upgraded_from=upgraded_from,
    )


def _normalize(text: str | None) -> str:
    """Drop all whitespace, read full-width digits as digits, upper-case the X."""
    if text is None:
        return ""
    return "".join(str(text).split()).translate(_FULL_WIDTH).replace("x", "X")


def _birth_date(digits: str, *, today: date | None) -> date:
    """The birth date encoded as YYYYMMDD, or IdNumberError("birth_date")."""
    try:
        born = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise IdNumberError("birth_date", f"身份证号中的出生日期{digits}不存在") from None
    if born < _EARLIEST_BIRTH:
        raise IdNumberError("birth_date", f"身份证号中的出生日期{digits}早于1800年1月1日")
    if today is not None and born > today:
        raise IdNumberError(
            "birth_date", f"身份证号中的出生日期{digits}晚于今天（{today.isoformat()}）"
        )
    return born
