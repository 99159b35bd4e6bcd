"""Documents other than the mainland ID card (issue 9 §3), checked per type as far as it allows.

The check characters of the 18-digit cards come from python-stdnum's ``stdnum.cn.ric`` (the same
ISO 7064 MOD 11-2 as the ID card), an oracle the project did not write.
"""

from __future__ import annotations

from datetime import date

import pytest
from stdnum.cn import ric

from hall.text.documents import DOCUMENT_TYPES, Document, document_type, parse_document
from hall.text.idnumber import IdNumber, IdNumberError

TODAY = date(2026, 11, 23)


def valid18(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "?")  # stdnum skips the last character


def test_the_id_card_is_parsed_as_before() -> None:
    person = parse_document("", "11010519491231002x", today=TODAY)
    assert isinstance(person, IdNumber) and person.value == "11010519491231002X"
    assert parse_document("id_card", "110105491231002").value == "11010519491231002X"


def test_every_type_has_a_name_and_unknown_ones_are_refused() -> None:
    assert [t.name for t in DOCUMENT_TYPES][:1] == ["居民身份证"]
    assert {t.code for t in DOCUMENT_TYPES} >= {"passport", "hk_macao", "taiwan", "foreign_pr",
                                                "hmt_residence"}
    assert document_type("") is document_type("id_card")
    with pytest.raises(IdNumberError, match="未知的证件类型"):
        parse_document("library", "123")


@pytest.mark.parametrize(("kind", "text", "value"), [
    ("passport", " e1234 5678 ", "E12345678"),
    ("passport", "AB12345", "AB12345"),
    ("hk_macao", "h12345678", "H12345678"),
    ("hk_macao", "M1234567801", "M12345678"),  # the issue count is not the person's
    ("taiwan", "０１２３４５６７", "01234567"),
    ("foreign_pr", "USA110050123101", "USA110050123101"),  # the card before 2017
])
def test_valid_numbers_without_a_birth_date(kind: str, text: str, value: str) -> None:
    doc = parse_document(kind, text, today=TODAY)
    assert isinstance(doc, Document)
    assert (doc.kind, doc.value, doc.birth_date, doc.sex, doc.age_on(TODAY)) == (
        kind, value, None, "", None)


@pytest.mark.parametrize(("kind", "first17", "born", "sex"), [
    ("hmt_residence", "81000019940823002", date(1994, 8, 23), "F"),
    ("hmt_residence", "83000019600101003", date(1960, 1, 1), "M"),
    ("foreign_pr", "93115619800229011", date(1980, 2, 29), "M"),
])
def test_eighteen_digit_cards_read_birth_date_and_sex(kind: str, first17: str, born: date,
                                                       sex: str) -> None:
    doc = parse_document(kind, valid18(first17), today=TODAY)
    assert (doc.value, doc.birth_date, doc.sex) == (valid18(first17), born, sex)
    assert doc.age_on(TODAY) == TODAY.year - born.year - ((TODAY.month, TODAY.day)
                                                          < (born.month, born.day))


def wrong_check(first17: str) -> str:
    good = ric.calc_check_digit(first17 + "?")
    return first17 + ("0" if good != "0" else "1")


@pytest.mark.parametrize(("kind", "text", "words"), [
    ("passport", "", "护照号为空"),
    ("passport", "E12", "5至17位"),
    ("passport", "E1234-5678", "5至17位"),
    ("hk_macao", "X12345678", "H或M加8位数字"),
    ("hk_macao", "H1234567", "H或M加8位数字"),
    ("taiwan", "1234567", "8位数字"),
    ("taiwan", "A1234567", "8位数字"),
    ("foreign_pr", "12345", "18位、以9开头"),
    ("foreign_pr", "US1110050123101", "18位、以9开头"),
    ("foreign_pr", "USA110051323101", "出生日期"),  # month 13
    ("foreign_pr", wrong_check("93115619800101011"), "校验位错误"),
    ("foreign_pr", valid18("93115620301231011"), "晚于今天"),
    ("hmt_residence", valid18("11010519491231002"), "810000"),  # a mainland ID is not one
    ("hmt_residence", wrong_check("81000019940823002"), "校验位错误"),
    ("hmt_residence", valid18("81000019940230002"), "出生日期"),
    ("hmt_residence", "8100001994082300", "18位"),
])
def test_invalid_numbers_say_why_in_chinese(kind: str, text: str, words: str) -> None:
    with pytest.raises(IdNumberError) as caught:
        parse_document(kind, text, today=TODAY)
    assert words in caught.value.message
