"""Tests of hall.text.idnumber: parsing, upgrading and validating Chinese resident ID numbers."""

from __future__ import annotations

import pickle
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hall.text.idnumber import (
    REASONS,
    IdNumber,
    IdNumberError,
    check_character,
    parse_id_number,
    upgrade_legacy,
)

FEMALE = "11010519491231002X"
MALE = "440524188001010014"
CHECK_CHARS = "0123456789X"


def _with_check(first17: str) -> str:
    return first17 + check_character(first17)


def _reason(text: str, **kwargs: date) -> IdNumberError:
    with pytest.raises(IdNumberError) as info:
        parse_id_number(text, **kwargs)
    return info.value


# --- valid numbers ----------------------------------------------------------------------------


def test_female_example() -> None:
    person = parse_id_number(FEMALE)
    assert person == IdNumber(value=FEMALE, region="110105", birth_date=date(1949, 12, 31), sex="F")
    assert person.sex_label == "女"
    assert person.upgraded_from is None


def test_male_example() -> None:
    person = parse_id_number(MALE)
    assert person.value == MALE
    assert person.region == "440524"
    assert person.birth_date == date(1880, 1, 1)
    assert person.sex == "M"
    assert person.sex_label == "男"


def test_check_character_examples() -> None:
    assert check_character(FEMALE[:17]) == "X"
    assert check_character(MALE[:17]) == "4"


@pytest.mark.parametrize("bad", ["", "1234", "1101051949123100X", "1" * 18])
def test_check_character_rejects_non_17_digits(bad: str) -> None:
    with pytest.raises(IdNumberError) as caught:
        check_character(bad)
    assert (caught.value.reason, str(caught.value)) == ("characters", "计算校验位需要17位数字")


def test_lower_case_x() -> None:
    assert parse_id_number(FEMALE.lower()).value == FEMALE


@pytest.mark.parametrize(
    "text",
    [
        f"  {FEMALE}\n",
        "110105 19491231 002X",
        "1101 0519 4912 3100 2x",
        "\t110105\u300019491231002X ",  # full-width (ideographic) space inside
        "１１０１０５１９４９１２３１００２ｘ",  # full-width digits from a Chinese IME
    ],
)
def test_whitespace_and_full_width_are_normalized(text: str) -> None:
    assert parse_id_number(text).value == FEMALE


def test_today_allows_birth_on_that_day() -> None:
    first17 = "11010520240301001"
    assert (
        parse_id_number(_with_check(first17), today=date(2024, 3, 1)).age_on(date(2024, 3, 1)) == 0
    )


def test_str_is_the_value() -> None:
    assert str(parse_id_number(MALE)) == MALE


# --- legacy 15-digit numbers ------------------------------------------------------------------


def test_upgrade_legacy() -> None:
    assert upgrade_legacy("110105491231002") == FEMALE


@pytest.mark.parametrize(("bad", "reason", "message"), [
    ("", "empty", "身份证号为空"),
    ("11010549123100", "length", "旧身份证号应为15位，实际为14位"),
    ("1A0105491231002", "characters", "15位旧身份证号只能包含数字，第2位“A”不合法"),
    ("11010549123100B", "characters", "15位旧身份证号只能包含数字，第15位“B”不合法"),
])
def test_upgrade_legacy_says_what_is_wrong(bad: str, reason: str, message: str) -> None:
    """The operator reads the message: the reason and the 1-based position are pinned."""
    with pytest.raises(IdNumberError) as caught:
        upgrade_legacy(bad)
    assert (caught.value.reason, str(caught.value)) == (reason, message)


def test_parse_upgrades_legacy() -> None:
    person = parse_id_number(" 110105 491231 002 ")
    assert person.value == FEMALE
    assert person.upgraded_from == "110105491231002"
    assert person.birth_date == date(1949, 12, 31)
    assert person.sex == "F"


def test_legacy_male() -> None:
    person = parse_id_number("440524800101001")
    assert person.value == _with_check("44052419800101001")
    assert person.sex == "M"


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("", "empty"),
        ("11010549123100", "length"),
        (FEMALE, "length"),
        ("11010549123100X", "characters"),
        ("110105491331002", "birth_date"),
    ],
)
def test_upgrade_legacy_rejects(bad: str, reason: str) -> None:
    with pytest.raises(IdNumberError) as info:
        upgrade_legacy(bad)
    assert info.value.reason == reason


def test_legacy_with_x_is_a_character_error() -> None:
    err = _reason("11010549123100X")
    assert err.reason == "characters"
    assert "第15位“X”不合法" in str(err)


def test_legacy_with_impossible_date() -> None:
    err = _reason("110105490230002")
    assert err.reason == "birth_date"
    assert "19490230" in str(err)


# --- errors: every reason with its Chinese message ---------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "\u3000"])
def test_empty(text: str) -> None:
    err = _reason(text)
    assert (err.reason, str(err)) == ("empty", "身份证号为空")


def test_none_is_empty() -> None:
    assert _reason(None).reason == "empty"  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["1", FEMALE[:17], FEMALE + "1", "1" * 16, "1234567"])
def test_length(text: str) -> None:
    err = _reason(text)
    assert err.reason == "length"
    assert str(err) == f"身份证号应为18位（或15位旧号），实际为{len(text)}位"


def test_length_message_example() -> None:
    assert str(_reason(FEMALE[:17])) == "身份证号应为18位（或15位旧号），实际为17位"


@pytest.mark.parametrize(
    ("text", "position", "char"),
    [
        ("1101A519491231002X", 5, "A"),
        ("X10105194912310023", 1, "X"),
        ("11010519491231X02X", 15, "X"),
        ("11010519491231002Y", 18, "Y"),
        ("110105-9491231002X", 7, "-"),
        ("11010519491231002²", 18, "²"),  # a Unicode digit that int() would accept
    ],
)
def test_characters(text: str, position: int, char: str) -> None:
    err = _reason(text)
    assert err.reason == "characters"
    assert "只能包含数字" in str(err)
    assert f"第{position}位“{char}”不合法" in str(err)


def test_characters_message_example() -> None:
    assert str(_reason("1101A519491231002X")) == "身份证号只能包含数字，末位可为X，第5位“A”不合法"


@pytest.mark.parametrize(
    "first17",
    [
        "11010519491331002",  # month 13
        "11010519490001002",  # month 0
        "11010519490100002",  # day 0
        "11010519490431002",  # 31 April
        "11010519000229002",  # 1900 is not a leap year
        "11010500000101002",  # year 0
    ],
)
def test_impossible_birth_date(first17: str) -> None:
    err = _reason(_with_check(first17))
    assert err.reason == "birth_date"
    assert f"出生日期{first17[6:14]}不存在" in str(err)


def test_birth_date_message_example() -> None:
    # The check character is irrelevant: the date is checked first.
    err = _reason("110105194913310023")
    assert str(err) == "身份证号中的出生日期19491331不存在"


def test_leap_day_is_a_real_date() -> None:
    assert parse_id_number(_with_check("11010520000229002")).birth_date == date(2000, 2, 29)


def test_birth_before_1800() -> None:
    err = _reason(_with_check("11010517991231002"))
    assert err.reason == "birth_date"
    assert "出生日期17991231" in str(err)
    assert "1800" in str(err)
    assert parse_id_number(_with_check("11010518000101002")).birth_date == date(1800, 1, 1)


def test_birth_after_today() -> None:
    number = _with_check("11010520300101002")
    err = _reason(number, today=date(2029, 12, 31))
    assert err.reason == "birth_date"
    assert "出生日期20300101" in str(err)
    assert "晚于今天" in str(err)
    # Without today= a future date is not checked.
    assert parse_id_number(number).birth_date == date(2030, 1, 1)


def test_wrong_check_character() -> None:
    err = _reason("110105194912310023")
    assert err.reason == "check"
    assert str(err) == "身份证号校验位错误：末位应为X，实际为3"
    assert err.message == str(err)


def test_wrong_check_character_says_expected_digit() -> None:
    err = _reason("44052418800101001X")
    assert err.reason == "check"
    assert "校验位错误" in str(err)
    assert "末位应为4" in str(err)
    assert "实际为X" in str(err)


def test_error_is_a_value_error_and_pickles() -> None:
    err = _reason("110105194912310023")
    assert isinstance(err, ValueError)
    copy = pickle.loads(pickle.dumps(err))
    assert (copy.reason, copy.message, str(copy)) == (err.reason, err.message, str(err))


# --- age_on ----------------------------------------------------------------------------------


def test_age_around_birthday() -> None:
    person = parse_id_number(FEMALE)  # born 1949-12-31
    assert person.age_on(date(2024, 12, 30)) == 74
    assert person.age_on(date(2024, 12, 31)) == 75
    assert person.age_on(date(2025, 1, 1)) == 75


def test_age_on_birth_day_is_zero() -> None:
    person = parse_id_number(MALE)
    assert person.age_on(date(1880, 1, 1)) == 0
    assert person.age_on(date(1880, 12, 31)) == 0
    assert person.age_on(date(1881, 1, 1)) == 1


def test_age_feb_29_birth() -> None:
    person = parse_id_number(_with_check("11010520000229002"))
    assert person.age_on(date(2001, 2, 28)) == 0
    assert person.age_on(date(2001, 3, 1)) == 1
    assert person.age_on(date(2004, 2, 28)) == 3
    assert person.age_on(date(2004, 2, 29)) == 4
    assert person.age_on(date(2018, 2, 28)) == 17
    assert person.age_on(date(2018, 3, 1)) == 18


def test_age_on_feb_29_of_someone_born_march_1() -> None:
    person = parse_id_number(_with_check("11010520000301002"))
    assert person.age_on(date(2004, 2, 29)) == 3
    assert person.age_on(date(2004, 3, 1)) == 4


def test_age_before_birth_raises() -> None:
    with pytest.raises(ValueError, match="早于出生日期"):
        parse_id_number(FEMALE).age_on(date(1949, 12, 30))


# --- properties -----------------------------------------------------------------------------


@st.composite
def valid_first17(draw: st.DrawFn) -> str:
    region = draw(st.text(alphabet="0123456789", min_size=6, max_size=6))
    born = draw(st.dates(min_value=date(1800, 1, 1), max_value=date(9999, 12, 31)))
    sequence = draw(st.text(alphabet="0123456789", min_size=3, max_size=3))
    return f"{region}{born:%Y%m%d}{sequence}"


@given(valid_first17())
def test_appending_check_character_parses(first17: str) -> None:
    person = parse_id_number(first17 + check_character(first17))
    assert person.value == first17 + check_character(first17)
    assert person.region == first17[:6]
    assert f"{person.birth_date:%Y%m%d}" == first17[6:14]
    assert person.sex == ("M" if int(first17[16]) % 2 else "F")


@given(valid_first17(), st.sampled_from(CHECK_CHARS))
def test_any_other_check_character_is_rejected(first17: str, wrong: str) -> None:
    expected = check_character(first17)
    if wrong == expected:
        wrong = CHECK_CHARS[(CHECK_CHARS.index(wrong) + 1) % len(CHECK_CHARS)]
    with pytest.raises(IdNumberError) as info:
        parse_id_number(first17 + wrong)
    assert info.value.reason == "check"
    assert f"末位应为{expected}" in str(info.value)


@given(valid_first17())
def test_single_digit_change_is_detected_or_rejected(first17: str) -> None:
    number = first17 + check_character(first17)
    for index in range(17):
        changed = number[:index] + str((int(number[index]) + 1) % 10) + number[index + 1 :]
        with pytest.raises(IdNumberError) as info:
            parse_id_number(changed)
        assert info.value.reason in ("check", "birth_date")


def _never_raises_other_errors(text: str) -> None:
    try:
        person = parse_id_number(text, today=date(2025, 1, 1))
    except IdNumberError as err:
        assert err.reason in REASONS
        assert str(err)
    else:
        assert len(person.value) == 18
        assert person.value[17] == check_character(person.value[:17])


@given(st.text())
def test_random_text_only_raises_id_number_error(text: str) -> None:
    _never_raises_other_errors(text)


@given(
    st.text(alphabet="0123456789Xx \u3000１٣²", min_size=14, max_size=19),
)
def test_random_near_numbers_only_raise_id_number_error(text: str) -> None:
    _never_raises_other_errors(text)
