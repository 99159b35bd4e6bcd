"""The ID-number rules checked against oracles the project did not write (issue 15, item 4).

Two independent oracles, so that a slip in ``hall.text.idnumber`` (a swapped pair in the check
table, a wrong weight) cannot be mirrored by the test that should catch it:

* **Published numbers.** Valid numbers printed in the standard and in the test suites of other,
  widely used validators, at least one for every check character 0–9 and X. Nothing in these
  tests computes a check character with the project's own ``check_character``.
* **python-stdnum's ``stdnum.cn.ric``**, a well-kept validator, on generated numbers: the same
  verdict for every 18-character number, except for the known, intended differences below.

Known, intended differences from ``stdnum.cn.ric`` (each pinned by a test here, so a change on
either side is noticed):

1. Legacy 15-digit numbers: the hall upgrades them to 18 characters (GB 11643-1999); stdnum
   refuses them as the wrong length.
2. Whitespace anywhere and full-width digits/X: the hall drops the one and reads the other as
   typed with a Chinese input method; stdnum keeps inner spaces (wrong length) and does not map
   full-width characters (wrong check character).
3. Birth dates: the hall refuses any before 1800-01-01 and, given ``today``, any in the future;
   stdnum accepts any real calendar date.
4. Region: stdnum looks the first six digits up in its table of county codes *valid in the birth
   year* (and, for a prefecture-level code with no county, raises ``KeyError`` instead of
   answering, python-stdnum 2.2). The hall does not check the region: codes are reissued and
   renamed, and refusing a real visitor at the desk because a table is out of date is worse than
   registering a number whose region is unknown.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from stdnum.cn import ric
from stdnum.exceptions import InvalidChecksum, InvalidComponent, ValidationError

from hall.text.idnumber import IdNumberError, parse_id_number

# Valid numbers as published, with where: every check character 0-9 and X at least once.
PUBLISHED = {
    "0": ["110101199003078670",  # jxlwqq/id-validator, tests/IdValidatorTest.php
          "500154199804106120"],  # same
    "1": ["360426199101010071"],  # python-stdnum, stdnum/cn/ric.py docstring
    "2": ["440308199901101512",  # jxlwqq/id-validator README and tests
          "412723199010050012"],  # python-stdnum, tests/test_cn_ric.doctest
    "3": ["120110198012010073",  # python-stdnum, tests/test_cn_ric.doctest
          "310230199104012413"],  # aj-framework, TestIdCardService.java
    "4": ["440524188001010014"],  # GB 11643-1999, the standard's own example
    "5": ["150102198807303035"],  # Hutool IdcardUtilTest: convert15To18("150102880730303")
    "6": ["500154199301135886"],  # jxlwqq/id-validator, tests/IdValidatorTest.php
    "7": ["110201199312010077"],  # python-stdnum, tests/test_cn_ric.doctest
    "8": ["110102199101010078",  # python-stdnum, tests/test_cn_ric.doctest
          "610104196209276908"],  # jxlwqq/id-validator: upgradeId("610104620927690")
    "9": ["321083197812162119",  # Hutool IdcardUtilTest (ID_18)
          "430302199312194239"],  # jxlwqq/id-validator, tests/IdValidatorTest.php
    "X": ["11010519491231002X",  # GB 11643-1999, the standard's own example
          "44011320141005001X",  # python-stdnum, tests/test_cn_ric.doctest
          "33010219200403064X"],  # Hutool IdcardUtilTest: convert15To18("330102200403064")
}
# Legacy 15-digit numbers and their published 18-character upgrades.
UPGRADES = {
    "150102880730303": "150102198807303035",  # Hutool
    "330102200403064": "33010219200403064X",  # Hutool
    "610104620927690": "610104196209276908",  # jxlwqq/id-validator
    "110105491231002": "11010519491231002X",  # GB 11643-1999's example, 15-digit form
}
ALL = [(check, number) for check, numbers in PUBLISHED.items() for number in numbers]


def test_every_check_character_is_published() -> None:
    assert sorted(PUBLISHED) == sorted("0123456789X")
    assert all(n[-1] == check for check, n in ALL)


@pytest.mark.parametrize(("check", "number"), ALL, ids=[n for _, n in ALL])
def test_published_numbers_are_accepted(check: str, number: str) -> None:
    person = parse_id_number(number, today=date(2026, 11, 23))
    assert (person.value, person.birth_date.strftime("%Y%m%d")) == (number, number[6:14])
    assert person.sex == ("M" if int(number[16]) % 2 else "F")


@pytest.mark.parametrize(("check", "number"), ALL, ids=[n for _, n in ALL])
def test_every_other_check_character_is_refused(check: str, number: str) -> None:
    for wrong in "0123456789X".replace(check, ""):
        with pytest.raises(IdNumberError) as caught:
            parse_id_number(number[:17] + wrong)
        assert caught.value.reason == "check"
        assert f"末位应为{check}" in caught.value.message


@pytest.mark.parametrize(("old", "new"), UPGRADES.items())
def test_published_legacy_upgrades(old: str, new: str) -> None:
    person = parse_id_number(old)
    assert (person.value, person.upgraded_from) == (new, old)


# -- differential: python-stdnum's cn.ric -------------------------------------------------------


def stdnum_verdict(number: str) -> str:
    """stdnum's verdict with its region lookup set aside (difference 4): "ok", "check", "date",
    "format" or "length"."""
    try:
        ric.validate(number)
    except InvalidChecksum:
        return "check"
    except InvalidComponent:
        try:
            ric.get_birth_date(number)
        except InvalidComponent:
            return "date"
        return "ok"  # a region stdnum's table does not know for that year
    except KeyError:
        return "ok"  # stdnum 2.2: a region code with no county entry (difference 4)
    except ValidationError as exc:
        return "length" if type(exc).__name__ == "InvalidLength" else "format"
    return "ok"


def hall_verdict(number: str) -> str:
    try:
        parse_id_number(number)
    except IdNumberError as exc:
        return {"birth_date": "date", "characters": "format"}.get(exc.reason, exc.reason)
    return "ok"


digits = st.text("0123456789", min_size=1, max_size=1)
numbers = st.builds(
    lambda region, year, month, day, seq, check: f"{region}{year}{month}{day}{seq}{check}",
    st.sampled_from(["110105", "440524", "360426", "500154", "650102", "990000", "000000"])
    | st.text("0123456789", min_size=6, max_size=6),
    st.integers(1700, 2099).map(str) | st.text("0123456789", min_size=4, max_size=4),
    st.sampled_from([f"{m:02d}" for m in range(14)]),
    st.sampled_from([f"{d:02d}" for d in range(33)]),
    st.text("0123456789", min_size=3, max_size=3),
    st.sampled_from("0123456789X"),
)


@settings(max_examples=1500, derandomize=True, deadline=None)
@given(numbers)
@example("11010517991231002X")
@example("11010519000229002X")
@example("11010520000229002X")
def test_same_verdict_as_stdnum(number: str) -> None:
    ours, theirs = hall_verdict(number), stdnum_verdict(number)
    if ours == "date" and theirs in ("ok", "check"):
        # stdnum reads the check character before the date, the hall the date first; and the
        # hall refuses births before 1800 (difference 3). Either way the date must be one of those.
        try:
            born = ric.get_birth_date(number)
        except InvalidComponent:
            return
        assert born < date(1800, 1, 1), (number, ours, theirs)
    else:
        assert ours == theirs, (number, ours, theirs)


@settings(max_examples=1000, derandomize=True, deadline=None)
@given(st.text("0123456789", min_size=17, max_size=17))
def test_same_check_character_as_stdnum(first17: str) -> None:
    expected = ric.calc_check_digit(first17 + "?")
    number = first17 + expected
    if int(first17[6:10]) >= 1800 and stdnum_verdict(number) == "ok":
        assert parse_id_number(number).value == number
    for wrong in "0123456789X".replace(expected, ""):
        assert hall_verdict(first17 + wrong) in ("check", "date")


# -- the known, intended differences ------------------------------------------------------------


@pytest.mark.parametrize(("text", "ours", "theirs"), [
    # 1. legacy 15-digit numbers
    ("110105491231002", "11010519491231002X", "length"),
    # 2. whitespace and full-width characters
    (" 1101 0519 4912 3100 2x ", "11010519491231002X", "length"),
    ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X", "check"),
    # 3. births before 1800 (a real date, and a valid check character for it)
    ("110105179912310024", "date", "ok"),
    # 4. regions stdnum does not know for the birth year, or answers with KeyError
    ("990426199112010074", "990426199112010074", "region"),
    ("34052419800101001X", "34052419800101001X", "KeyError"),
])
def test_known_differences(text: str, ours: str, theirs: str) -> None:
    try:
        got = parse_id_number(text).value
    except IdNumberError as exc:
        got = "date" if exc.reason == "birth_date" else exc.reason
    assert got == ours
    try:
        ric.validate(text)
        verdict = "ok"
    except InvalidChecksum:
        verdict = "check"
    except InvalidComponent:
        verdict = "region"
    except KeyError:
        verdict = "KeyError"
    except ValidationError as exc:
        verdict = "length" if type(exc).__name__ == "InvalidLength" else "format"
    assert verdict == theirs


def test_future_births_refused_given_today_stdnum_accepts_them() -> None:
    number = "11010520301231002" + ric.calc_check_digit("11010520301231002?")
    assert ric.is_valid(number)  # difference 3: stdnum has no "today"
    assert parse_id_number(number).value == number
    with pytest.raises(IdNumberError) as caught:
        parse_id_number(number, today=date(2026, 11, 23))
    assert caught.value.reason == "birth_date"
