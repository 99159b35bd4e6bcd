"""Identity documents other than the mainland ID card, validated as far as each type allows.

    >>> from hall.text.documents import parse_document
    >>> parse_document("hk_macao", " h1234 5678 03 ").value      # the 2-digit issue count dropped
    'H12345678'
    >>> parse_document("id_card", "11010519491231002X").value     # an IdNumber, as before
    '11010519491231002X'

A visitor's file is keyed by (document type, number). :func:`parse_document` returns an
:class:`~hall.text.idnumber.IdNumber` for the mainland ID card (居民身份证) and a :class:`Document`
for the others; both have ``value``, ``sex`` ("M"/"F", "" when the document does not say),
``birth_date`` (None when it does not say) and ``age_on(day)`` (None without a birth date).
Errors are :class:`~hall.text.idnumber.IdNumberError` with a Chinese sentence for the operator.

What each type's number can tell (public formats):

- 护照 (``passport``): 5 to 17 letters and digits (countries differ; China's: E + 8 characters).
- 港澳居民来往内地通行证 (``hk_macao``): H (Hong Kong) or M (Macao) and 8 digits; a card's
  2-digit issue count printed after it is dropped, so a renewed card finds the same file.
- 台湾居民来往大陆通行证 (``taiwan``): 8 digits (the card since 2015, the same for life).
- 外国人永久居留身份证 (``foreign_pr``): the 2017 card: 18 digits, first "9", birth date at 7–14,
  sex at 17, the mainland ID's check character; the older card: 15 characters, a 3-letter
  nationality code, 4 digits, the birth date YYMMDD, 2 digits.
- 港澳台居民居住证 (``hmt_residence``): 18 characters like the mainland ID with the address code
  810000 (Hong Kong), 820000 (Macao) or 830000 (Taiwan) and the same check character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from hall.text.idnumber import IdNumber, IdNumberError, check_character, parse_id_number

__all__ = ["DOCUMENT_TYPES", "ID_CARD", "Document", "DocumentType", "document_type",
           "parse_document"]

ID_CARD = "id_card"


@dataclass(frozen=True)
class DocumentType:
    """One kind of identity document: its code, its name and what its number may contain."""

    code: str
    name: str
    short: str
    """A short name for a field's label (证件号的标签)."""
    placeholder: str
    allowed: str
    """A regular expression of the characters the desk's field lets through."""


DOCUMENT_TYPES: tuple[DocumentType, ...] = (
    DocumentType(ID_CARD, "居民身份证", "身份证号", "18位，读卡或手输",
                 r"[0-9xX０-９Ｘｘ ]*"),
    DocumentType("passport", "护照", "护照号", "5至17位字母或数字", r"[0-9A-Za-z ]*"),
    DocumentType("hk_macao", "港澳居民来往内地通行证", "回乡证号", "H或M加8位数字",
                 r"[0-9HhMm ]*"),
    DocumentType("taiwan", "台湾居民来往大陆通行证", "台胞证号", "8位数字", r"[0-9 ]*"),
    DocumentType("foreign_pr", "外国人永久居留身份证", "永居证号", "18位数字（旧证15位）",
                 r"[0-9A-Za-zＸｘ ]*"),
    DocumentType("hmt_residence", "港澳台居民居住证", "居住证号", "18位，81/82/83开头",
                 r"[0-9xX０-９Ｘｘ ]*"),
)
_BY_CODE = {t.code: t for t in DOCUMENT_TYPES}
_FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def document_type(code: str) -> DocumentType | None:
    """The document type of a code ("" is the mainland ID card), or None for an unknown one."""
    return _BY_CODE.get(code or ID_CARD)


@dataclass(frozen=True)
class Document:
    """A valid, normalised document number other than the mainland ID card's."""

    kind: str
    value: str
    birth_date: date | None = None
    sex: str = ""

    def age_on(self, day: date) -> int | None:
        """Full years of age on ``day``, or None when the document does not give a birth date."""
        born = self.birth_date
        if born is None or day < born:
            return None
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def sex_label(self) -> str:
        return {"M": "男", "F": "女"}.get(self.sex, "")


def parse_document(kind: str, text: str, *, today: date | None = None) -> IdNumber | Document:
    """Validate a document number of type ``kind`` ("" is the mainland ID card)."""
    kind = kind or ID_CARD
    if kind == ID_CARD:
        return parse_id_number(text, today=today)
    spec = document_type(kind)
    if spec is None:
        raise IdNumberError("type", f"未知的证件类型“{kind}”")
    value = "".join(str(text or "").split()).translate(_FULL_WIDTH).upper()
    if not value:
        raise IdNumberError("empty", f"{spec.short}为空")
    if kind == "passport":
        if not re.fullmatch(r"[A-Z0-9]{5,17}", value):
            raise IdNumberError("characters", f"护照号应为5至17位字母或数字，实际为“{value}”")
        return Document(kind, value)
    if kind == "hk_macao":
        if not re.fullmatch(r"[HM]\d{8}(\d{2})?", value):
            raise IdNumberError(
                "characters",
                f"港澳居民来往内地通行证号应为H或M加8位数字（如H12345678），实际为“{value}”")
        return Document(kind, value[:9])
    if kind == "taiwan":
        if not re.fullmatch(r"\d{8}", value):
            raise IdNumberError(
                "characters", f"台湾居民来往大陆通行证号应为8位数字，实际为{len(value)}位“{value}”")
        return Document(kind, value)
    if kind == "foreign_pr":
        return _foreign_pr(value, today)
    return _residence(value, today)


def _foreign_pr(value: str, today: date | None) -> Document:
    if re.fullmatch(r"[A-Z]{3}\d{12}", value):  # the card before 2017
        # YYMMDD without its century: the date must exist (2000 is a leap year, so 0229
        # passes), but no birth date is kept, so no age-based priority is guessed from it.
        _date("20" + value[7:13], "外国人永久居留身份证", None)
        return Document("foreign_pr", value)
    if not re.fullmatch(r"9\d{16}[0-9X]", value):
        raise IdNumberError(
            "characters", "外国人永久居留身份证号应为18位、以9开头（2017年起的新证），"
            f"或15位、以3个字母开头（旧证），实际为{len(value)}位“{value}”")
    return _with_check("foreign_pr", value, "外国人永久居留身份证", today)


def _residence(value: str, today: date | None) -> Document:
    if len(value) != 18 or not re.fullmatch(r"\d{17}[0-9X]", value):
        raise IdNumberError(
            "characters", f"港澳台居民居住证号应为18位数字（末位可为X），实际为{len(value)}位")
    if value[:6] not in ("810000", "820000", "830000"):
        raise IdNumberError(
            "region", f"港澳台居民居住证号应以810000（香港）、820000（澳门）或830000（台湾）开头，"
            f"实际为{value[:6]}")
    return _with_check("hmt_residence", value, "港澳台居民居住证", today)


def _with_check(kind: str, value: str, name: str, today: date | None) -> Document:
    """An 18-character number with a birth date at 7–14, sex at 17 and the MOD 11-2 check."""
    born = _date(value[6:14], name, today)
    expected = check_character(value[:17])
    if value[17] != expected:
        raise IdNumberError("check", f"{name}号校验位错误：末位应为{expected}，实际为{value[17]}")
    return Document(kind, value, born, "M" if int(value[16]) % 2 else "F")


def _date(digits: str, name: str, today: date | None) -> date:
    try:
        born = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise IdNumberError("birth_date", f"{name}号中的出生日期{digits}不存在") from None
    if today is not None and born > today:
        raise IdNumberError("birth_date", f"{name}号中的出生日期晚于今天（{today.isoformat()}）")
    return born
