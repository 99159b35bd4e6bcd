"""The registration rules mutation testing found unpinned (issue 15, item 6): representatives'
birth dates against today, multi-line 事由 and 具体诉求, the people-count bound, the 2,000-character
limits and phones typed with full-width characters."""

from __future__ import annotations

from datetime import date

import pytest

from config import HallConfig
from hall.desk.registration import FormError, validate
from tests.helpers import form, make_id, named

TODAY = date(2026, 11, 23)
REPS = [make_id(seq=n) for n in (11, 12)]


def errors_of(config: HallConfig, **changes: object) -> dict[str, str]:
    with pytest.raises(FormError) as caught:
        validate(form(**changes), config, TODAY)
    return caught.value.errors


# -- representatives' ID numbers ----------------------------------------------------------------


@pytest.mark.parametrize("field", ["id_number", "representatives"])
def test_a_birth_date_after_today_is_refused_for_visitor_and_representative(
        config: HallConfig, field: str) -> None:
    tomorrow = make_id(birth="20261124", seq=21)
    changes: dict[str, object] = ({"id_number": tomorrow} if field == "id_number" else
                                  {"people": 5, "representatives": named([REPS[0], tomorrow])})
    errors = errors_of(config, **changes)
    assert list(errors) == [field]
    assert "晚于今天（2026-11-23）" in errors[field]
    if field == "representatives":
        assert errors[field].startswith("第2位代表的")


def test_a_representative_born_today_is_accepted(config: HallConfig) -> None:
    born_today = make_id(birth="20261123", seq=22)
    clean = validate(form(people=5, representatives=named([born_today])), config, TODAY)
    assert [r.id.value for r in clean.representatives] == [born_today]


# -- free text ----------------------------------------------------------------------------------


def test_multi_line_matter_and_request_become_one_line(config: HallConfig) -> None:
    clean = validate(form(matter="\n 工地拖欠\r\n\t工资\u3000三个月 \n",
                          request="请求 \n\n 足额支付\u3000\u3000工资\n"), config, TODAY)
    assert (clean.matter, clean.request) == ("工地拖欠 工资 三个月", "请求 足额支付 工资")


@pytest.mark.parametrize("field", ["matter", "request"])
def test_the_2000_character_limit_counts_the_collapsed_text(config: HallConfig,
                                                            field: str) -> None:
    exactly = "诉" * 1000 + " \n\n\u3000 " + "求" * 999  # 2,000 once the gap is one space
    assert getattr(validate(form(**{field: exactly}), config, TODAY), field) == (
        "诉" * 1000 + " " + "求" * 999)
    assert getattr(validate(form(**{field: "诉" * 2000}), config, TODAY), field) == "诉" * 2000
    errors = errors_of(config, **{field: "诉" * 2001})
    assert errors == {field: "最多2000个字，现有2001个"}


# -- people ---------------------------------------------------------------------------------------


def test_the_people_count_upper_bound(config: HallConfig) -> None:
    for most in ("9999", 9999):
        clean = validate(form(people=most, representatives=named(REPS[:1])), config, TODAY)
        assert clean.people == 9999
    for too_many in ("10000", 10000, "99999"):
        errors = errors_of(config, people=too_many, representatives=named(REPS[:1]))
        assert errors == {"people": f"应为1到9999之间的整数，实际为“{too_many}”"}


# -- phone --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "stored"), [
    ("１３８\u3000１２３４\u3000５６７８", "13812345678"),  # full-width digits and spaces
    ("\u3000138 1234\u30005678\u3000", "13812345678"),
    ("０５７１－８７６５４３２１", "0571-87654321"),  # full-width dash
    ("０５７１\u3000８７６５４３２１", "057187654321"),
    ("８７６５４３２１", "87654321"),
])
def test_phone_typed_with_a_chinese_input_method(config: HallConfig, typed: str,
                                                 stored: str) -> None:
    assert validate(form(phone=typed), config, TODAY).phone == stored


@pytest.mark.parametrize("typed", ["１３８\u3000１２３４\u3000５６７", "１２３４５６７８９０１",
                                   "138\u30001234\u30005678\u30009"])
def test_phone_still_checked_after_normalising(config: HallConfig, typed: str) -> None:
    assert list(errors_of(config, phone=typed)) == ["phone"]
