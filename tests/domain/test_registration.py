"""The registration form's rules: every field, routing (分流), priority and collective visits."""

from __future__ import annotations

import re
from datetime import date

import pytest

from config import HallConfig
from hall.desk.registration import (
    FormError,
    NeedsConfirmation,
    RepresentativeEntry,
    priority_for,
    route,
    validate,
)
from hall.text.idnumber import parse_id_number
from tests.helpers import config_with, form, make_id, named

TODAY = date(2026, 11, 23)
CJK = re.compile(r"[\u4e00-\u9fff]")


def errors_of(cfg: HallConfig, **changes: object) -> dict[str, str]:
    with pytest.raises(FormError) as caught:
        validate(form(**changes), cfg, TODAY)
    for message in caught.value.errors.values():
        assert CJK.search(message), message  # every message is for the operator, in Chinese
    return caught.value.errors


def test_valid_form_is_normalised(config: HallConfig) -> None:
    clean = validate(form(name="  张  三 ", id_number=" 1101 0519 4912 3100 2x ",
                          phone="138 1234 5678", address=" 江北区滨江路1号 ", matter=" 欠薪 "),
                     config, TODAY)
    assert clean.name == "张 三"
    assert clean.id.value == "11010519491231002X"
    assert clean.phone == "13812345678"
    assert clean.address == "江北区滨江路1号"
    assert clean.matter == "欠薪"
    assert clean.people == 1
    assert clean.representatives == ()


# -- one field at a time ------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "expected"), [
    ("", "必须填写"),
    ("   ", "必须填写"),
    ("张3", "不应包含数字"),
    ("张３", "不应包含数字"),  # a full-width digit from a Chinese input method
    ("张" * 33, "最多32个字"),
])
def test_name_rules(config: HallConfig, name: str, expected: str) -> None:
    errors = errors_of(config, name=name)
    assert list(errors) == ["name"]
    assert expected in errors["name"]


def test_name_at_the_limit_is_accepted(config: HallConfig) -> None:
    assert validate(form(name="张" * 32), config, TODAY).name == "张" * 32


@pytest.mark.parametrize(("number", "reason"), [
    ("", "为空"),
    ("1101051949123100", "实际为16位"),
    ("11010519491231002A", "不合法"),
    ("110105194913310025", "出生日期"),
    ("110105194912310021", "校验位错误"),
    (make_id("20270101"), "晚于今天"),
])
def test_id_number_problems_are_named(config: HallConfig, number: str, reason: str) -> None:
    errors = errors_of(config, id_number=number)
    assert list(errors) == ["id_number"]
    assert reason in errors["id_number"]


@pytest.mark.parametrize("phone", [
    "13812345678", "19912345678", "0571-87654321", "057187654321", "010-1234567", "87654321",
    "138 1234 5678", "",
])
def test_phone_formats_accepted(config: HallConfig, phone: str) -> None:
    assert validate(form(phone=phone), config, TODAY).phone == phone.replace(" ", "")


def test_full_width_phone_digits_are_read_as_digits(config: HallConfig) -> None:
    assert validate(form(phone="１３８１２３４５６７８"), config, TODAY).phone == "13812345678"
    clean = validate(form(phone="０５７１－８７６５４３２１"), config, TODAY)
    assert clean.phone == "0571-87654321"
    # Other scripts' digits are not phone numbers.
    assert "phone" in errors_of(config, phone="٨٧٦٥٤٣٢١")


@pytest.mark.parametrize("phone", [
    "12345", "12812345678", "1381234567", "138123456789", "abc", "+8613812345678",
    "0571-876", "1" * 21,
])
def test_phone_formats_refused(config: HallConfig, phone: str) -> None:
    errors = errors_of(config, phone=phone)
    assert list(errors) == ["phone"]
    assert "手机号" in errors["phone"]


@pytest.mark.parametrize(("field", "value", "expected"), [
    ("district", "mars", "未知的属地“mars”"),
    ("category", "weather", "未知的诉求类别“weather”"),
    ("category", "", "必须选择"),
    ("department", "nasa", "未知的部门“nasa”"),
    ("priority", "vip", "未知的优先类别“vip”"),
    ("matter", "", "必须填写"),
    ("matter", " \n ", "必须填写"),
    ("matter", "事" * 2001, "最多2000个字"),
    ("address", "址" * 201, "最多200个字"),
])
def test_unknown_codes_and_required_text(config: HallConfig, field: str, value: str,
                                         expected: str) -> None:
    errors = errors_of(config, **{field: value})
    assert list(errors) == [field]
    assert expected in errors[field]


@pytest.mark.parametrize("people", ["abc", "0", "-1", "2.5", "", " ", "10000", 0, -3, "²", "1e3"])
def test_people_must_be_a_positive_integer(config: HallConfig, people: object) -> None:
    errors = errors_of(config, people=people)
    assert list(errors) == ["people"]
    assert "整数" in errors["people"]


@pytest.mark.parametrize(("people", "expected"), [(3, 3), ("4", 4), (" 2 ", 2), ("１２", 12)])
def test_people_accepts_integers_and_digit_strings(config: HallConfig, people: object,
                                                    expected: int) -> None:
    reps = [make_id(seq=11)] if expected >= 5 else []
    clean = validate(form(people=people, representatives=named(reps)), config, TODAY)
    assert clean.people == expected


def test_a_blank_department_follows_the_route(config: HallConfig) -> None:
    assert validate(form(department="  "), config, TODAY).department == "hrss"
    # An unknown category is one problem, not two: a blank department is no choice at all.
    assert list(errors_of(config, category="weather", department=" ")) == ["category"]


def test_every_bad_field_is_reported_at_once(config: HallConfig) -> None:
    errors = errors_of(config, name="", id_number="123", phone="1", category="nope", matter="",
                       people="x", district="nowhere", priority="vip", department="nasa")
    assert set(errors) == {"name", "id_number", "phone", "category", "matter", "people",
                           "district", "priority", "department"}


def test_form_error_text_names_fields_in_chinese(config: HallConfig) -> None:
    with pytest.raises(FormError) as caught:
        validate(form(name="", matter=""), config, TODAY)
    assert "姓名：必须填写" in str(caught.value)
    assert "事由：必须填写" in str(caught.value)


# -- routing ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("category", "district", "department"), [
    ("wages", "jiangbei", "hrss"),
    ("arrears", "jiangbei", "housing"),
    ("report", "", "discipline"),
    ("land_contract", "jiangbei", "rural"),
    ("land_contract", "", "rural"),
    ("land_contract", "gaoxin", "land"),  # 高新区 has no contracted farmland left
    ("land_use", "gaoxin", "land"),
    ("litigation", "linhe", "court"),
])
def test_routing_by_category_and_district(config: HallConfig, category: str, district: str,
                                          department: str) -> None:
    assert route(config, category, district) == department
    clean = validate(form(category=category, district=district), config, TODAY)
    assert clean.suggested_department == department
    assert clean.department == department


def test_route_of_unknown_category_is_none(config: HallConfig) -> None:
    assert route(config, "weather", "gaoxin") is None


def test_operator_override_keeps_the_suggestion(config: HallConfig) -> None:
    clean = validate(form(category="land_contract", district="gaoxin", department="court"),
                     config, TODAY)
    assert clean.department == "court"
    assert clean.suggested_department == "land"


# -- priority -----------------------------------------------------------------------------------


def test_no_group_ranks_after_every_group(config: HallConfig) -> None:
    clean = validate(form(), config, TODAY)
    assert (clean.priority, clean.priority_rank) == ("", len(config.priority_groups))


@pytest.mark.parametrize(("group", "rank"), [("disabled", 1), ("pregnant", 2), ("appointment", 3)])
def test_priority_by_group(config: HallConfig, group: str, rank: int) -> None:
    clean = validate(form(priority=group), config, TODAY)
    assert (clean.priority, clean.priority_rank) == (group, rank)


def test_elderly_by_age_without_asking(config: HallConfig) -> None:
    clean = validate(form(id_number=make_id("19510101")), config, TODAY)  # 75 years old
    assert (clean.priority, clean.priority_rank) == ("elderly", 0)
    # The age group outranks a lower group the operator picked.
    clean = validate(form(id_number=make_id("19510101"), priority="appointment"), config, TODAY)
    assert (clean.priority, clean.priority_rank) == ("elderly", 0)


def test_age_is_counted_on_the_given_business_day(config: HallConfig) -> None:
    turns_70_today = make_id("19561123")
    assert validate(form(id_number=turns_70_today), config, TODAY).priority == "elderly"
    day_before = date(2026, 11, 22)
    assert validate(form(id_number=turns_70_today), config, day_before).priority == ""
    assert validate(form(id_number=make_id("19561124")), config, TODAY).priority == ""


def test_an_explicit_higher_group_wins_over_age() -> None:
    # A hall that ranks the disabled before the elderly.
    cfg = config_with((
        "  - {code: elderly, name: 老年人, min_age: 70}\n  - {code: disabled, name: 残疾人}\n",
        "  - {code: disabled, name: 残疾人}\n  - {code: elderly, name: 老年人, min_age: 70}\n"))
    old = make_id("19400101")
    assert validate(form(id_number=old), cfg, TODAY).priority == "elderly"
    clean = validate(form(id_number=old, priority="disabled"), cfg, TODAY)
    assert (clean.priority, clean.priority_rank) == ("disabled", 0)
    clean = validate(form(id_number=old, priority="pregnant"), cfg, TODAY)
    assert (clean.priority, clean.priority_rank) == ("elderly", 1)


def test_priority_for_directly(config: HallConfig) -> None:
    person = parse_id_number(make_id("19800101"))
    assert priority_for(config, "", person, TODAY) == ("", 4)
    assert priority_for(config, "pregnant", person, TODAY) == ("pregnant", 2)
    assert priority_for(config, "", parse_id_number(make_id("19000101")), TODAY) == ("elderly", 0)


# -- collective visits (集体访) -------------------------------------------------------------------


REPS = [make_id("19700101", seq=i) for i in range(11, 18)]


@pytest.mark.parametrize("count", [1, 2, 5])
def test_collective_visit_with_1_to_max_representatives(config: HallConfig, count: int) -> None:
    clean = validate(form(people=5, representatives=named(REPS[:count])), config, TODAY)
    assert [r.id.value for r in clean.representatives] == REPS[:count]
    clean = validate(form(people=40, representatives=named(REPS[:count])), config, TODAY)
    assert clean.people == 40


@pytest.mark.parametrize("count", [0, 6])
def test_collective_visit_needs_1_to_5_representatives(config: HallConfig, count: int) -> None:
    errors = errors_of(config, people=5, representatives=named(REPS[:count]))
    assert list(errors) == ["representatives"]
    assert errors["representatives"] == (
        f"5人来访属集体访（5人及以上），应推选1至5名代表，现有{count}名")


def test_blank_representative_entries_are_ignored(config: HallConfig) -> None:
    errors = errors_of(config, people=6, representatives=named(["", "   "]))
    assert "现有0名" in errors["representatives"]
    clean = validate(form(people=6, representatives=named(["", f" {REPS[0]} "])), config, TODAY)
    assert [r.id.value for r in clean.representatives] == [REPS[0]]


def test_each_representative_needs_a_valid_id(config: HallConfig) -> None:
    bad = REPS[1][:-1] + ("0" if REPS[1][-1] != "0" else "1")
    errors = errors_of(config, people=5, representatives=named([REPS[0], bad]))
    assert errors["representatives"].startswith("第2位代表的身份证号校验位错误")
    errors = errors_of(config, people=5, representatives=named(["12345"]))
    assert errors["representatives"].startswith("第1位代表的身份证号应为18位")


def test_duplicate_representatives_are_refused(config: HallConfig) -> None:
    # The same person typed twice, once in the legacy 15-digit form.
    errors = errors_of(config, people=5, representatives=named([REPS[0], REPS[0]]))
    assert errors["representatives"] == f"代表身份证号重复：{REPS[0]}"
    errors = errors_of(config, people=5,
                       representatives=named(["11010519491231002X", "110105491231002"]))
    assert "重复" in errors["representatives"]


def test_below_threshold_no_more_representatives_than_people(config: HallConfig) -> None:
    assert validate(form(people=4), config, TODAY).representatives == ()
    clean = validate(form(people=2, representatives=named(REPS[:2])), config, TODAY)
    assert len(clean.representatives) == 2
    errors = errors_of(config, people=2, representatives=named(REPS[:3]))
    assert errors["representatives"] == "代表人数（3）不能多于来访人数（2）"


def test_collective_rules_come_from_the_configuration() -> None:
    # Some provinces: 10 people or fewer, at most 3 representatives.
    cfg = config_with(("threshold: 5 ", "threshold: 10 "),
                      ("max_representatives: 5", "max_representatives: 3"))
    assert validate(form(people=9), cfg, TODAY).people == 9
    with pytest.raises(FormError) as caught:
        validate(form(people=10, representatives=named(REPS[:4])), cfg, TODAY)
    assert "应推选1至3名代表，现有4名" in caught.value.errors["representatives"]
    assert len(validate(form(people=10, representatives=named(REPS[:3])), cfg, TODAY)
               .representatives) == 3


def test_a_form_error_reads_field_by_field_in_chinese() -> None:
    """The message every screen and the CLI show: each field's Chinese name and what is wrong,
    joined by "；", in the order found; another form's labels when the raiser names them; a
    confirmation keeps the name on file and the earlier ticket. Written out by hand. Kills the
    separator, the labels' fallback and the confirmation's fields changed (mutation testing)."""
    error = FormError({"name": "不能为空", "phone": "应为手机号或固定电话", "odd": "未知"})
    assert str(error) == "姓名：不能为空；联系电话：应为手机号或固定电话；odd：未知"
    assert error.errors == {"name": "不能为空", "phone": "应为手机号或固定电话", "odd": "未知"}
    assert error.labels["id_number"] == "证件号码"
    other = FormError({"kind": "应为：acceptance"}, {"kind": "文书类型"})
    assert (str(other), other.labels) == ("文书类型：应为：acceptance", {"kind": "文书类型"})
    confirm = NeedsConfirmation({"name": "与档案姓名不同"}, file_name="张三",
                                first="R001（市人社局）")
    assert str(confirm) == "姓名：与档案姓名不同"
    assert (confirm.file_name, confirm.first, confirm.labels["name"]) == (
        "张三", "R001（市人社局）", "姓名")
    assert (NeedsConfirmation({}).file_name, NeedsConfirmation({}).first) == ("", "")


def test_a_representative_typed_on_one_line_keeps_a_comma_in_the_phone() -> None:
    """"ID,姓名,电话" splits at the first two commas (half- or full-width) only: a phone typed
    with a comma stays whole, so the form refuses it rather than keep its first part. Missing
    parts are blank; an entry already made is kept. Kills the split's bound changed (mutation
    testing, stop 25)."""
    assert RepresentativeEntry.of(" 110101198001010053 ，张三, 138,0013，8000 ") == \
        RepresentativeEntry("110101198001010053", "张三", "138,0013，8000")
    assert RepresentativeEntry.of("110101198001010053") == \
        RepresentativeEntry("110101198001010053", "", "")
    entry = RepresentativeEntry("1", "李四", "")
    assert RepresentativeEntry.of(entry) is entry
