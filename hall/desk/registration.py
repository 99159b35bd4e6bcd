"""The registration form (登记) and its rules: validation, routing (分流) and priority.

    form = Registration(name="张三", id_number="11010519491231002X", category="wages",
                        matter="工地拖欠工资三个月")
    clean = validate(form, config, today)      # raises FormError({field: 中文说明}) when invalid

Validation happens before anything is written: a form with any error writes nothing and consumes
no ticket number. Every message says, in Chinese, what is wrong and how to put it right.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from hall.text import freetext
from hall.text.documents import ID_CARD, Document, document_type, parse_document
from hall.text.idnumber import IdNumber, IdNumberError, parse_id_number

if TYPE_CHECKING:
    from config.schema import HallConfig

FIELD_LABELS = {
    "name": "姓名",
    "document_type": "证件类型",
    "id_number": "证件号码",
    "phone": "联系电话",
    "address": "住址",
    "district": "属地",
    "category": "诉求类别",
    "matter": "事由",
    "request": "具体诉求",
    "people": "人数",
    "representatives": "代表",
    "priority": "优先类别",
    "department": "接待部门",
    "again_reason": "再次取号原因",
    "other_channels": "其他渠道",
    "earlier_opinion": "原处理意见",
    "case_id": "同一事项案件",
}

_PHONE = re.compile(r"1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|\d{7,8}", re.ASCII)
# Full-width digits and dash as a Chinese input method types them.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９－", "0123456789-")
_MAX_NAME, _MAX_ADDRESS, _MAX_TEXT, _MAX_PEOPLE = 32, 200, 2000, 9999
# Channels as typed: codes or names, separated by commas (half- or full-width), 、 or spaces.
_CHANNEL_SEPARATORS = re.compile(r"[,，、\s]+")
_MAX_CHANNELS_STORED = 128  # models.Visit.other_channels


class FormError(ValueError):
    """The form is invalid; ``errors`` maps each field to what is wrong with it."""

    def __init__(self, errors: dict[str, str], labels: dict[str, str] | None = None) -> None:
        self.errors = errors
        self.labels = labels or FIELD_LABELS
        """The fields' names in Chinese (the registration's unless the raiser names others)."""
        super().__init__("；".join(f"{self.labels.get(k, k)}：{v}" for k, v in errors.items()))


class NeedsConfirmation(FormError):
    """The form is valid, but the operator must confirm before anything is written.

    ``errors`` has ``"name"`` for a name that differs from the file's (confirm with
    ``Registration.rename``) and/or ``"again_reason"`` for a person who already has a ticket
    waiting or called today (confirm with a reason in ``Registration.again_reason``).
    ``file_name`` is the name on file; ``first`` the earlier ticket as "R001（市人社局）".
    """

    def __init__(self, errors: dict[str, str], file_name: str = "", first: str = "") -> None:
        super().__init__(errors)
        self.file_name = file_name
        self.first = first


@dataclass(frozen=True)
class RepresentativeEntry:
    """A collective visit's representative as typed: ID number, name and phone."""

    id_number: str
    name: str = ""
    phone: str = ""

    @classmethod
    def of(cls, raw: RepresentativeEntry | str) -> RepresentativeEntry:
        """An entry, or "ID,姓名,电话" (commas half- or full-width) as the command line takes it."""
        if isinstance(raw, RepresentativeEntry):
            return raw
        parts = [p.strip() for p in re.split(r"[,，]", raw or "", maxsplit=2)]
        return cls(*[*parts, "", ""][:3])

    @property
    def blank(self) -> bool:
        return not (self.id_number.strip() or self.name.strip() or self.phone.strip())


@dataclass(frozen=True)
class CleanRepresentative:
    """A validated representative."""

    id: IdNumber
    name: str
    phone: str


@dataclass
class Registration:
    """What the desk (or the CLI) typed; plain strings, checked by :func:`validate`."""

    name: str
    id_number: str
    category: str
    matter: str
    phone: str = ""
    address: str = ""
    district: str = ""
    request: str = ""
    people: int | str = 1
    representatives: list[RepresentativeEntry | str] = field(default_factory=list)
    priority: str = ""
    department: str = ""
    """Department chosen by the operator; empty follows the routing rules."""
    document_type: str = ""
    """The identity document (:data:`hall.text.documents.DOCUMENT_TYPES`); "" is the ID card."""
    rename: bool = False
    """The operator confirmed a name that differs from the one on file."""
    again_reason: str = ""
    """Why the person gets a second ticket while one is waiting or called today."""
    other_channels: str | Sequence[str] = ""
    """Other channels the same matter was raised through (来信, 网上信访 …): codes or names of
    ``config.cases.channels``, as a list or one text separated by commas ("letter,online")."""
    earlier_opinion: str = ""
    """An earlier handling opinion (原处理意见) the visitor has, in a line; "" for none."""
    case_id: int | None = None
    """The visitor's open case this visit is about (重复访，同一事项); None: another matter."""


@dataclass(frozen=True)
class CleanRegistration:
    """A validated form: normalised values, the route and the priority decided."""

    name: str
    id: IdNumber | Document
    category: str
    matter: str
    phone: str
    address: str
    district: str
    request: str
    people: int
    representatives: tuple[CleanRepresentative, ...]
    priority: str
    """The effective priority group code, '' for none."""
    priority_rank: int
    suggested_department: str
    department: str
    document_type: str = ID_CARD
    rename: bool = False
    again_reason: str = ""
    other_channels: tuple[str, ...] = ()
    """Channel codes in the configuration's order."""
    earlier_opinion: str = ""
    case_id: int | None = None


def route(config: HallConfig, category: str, district: str = "") -> str | None:
    """The department a category routes to in a district, or None for an unknown category."""
    cat = config.category(category)
    if cat is None:
        return None
    return cat.district_overrides.get(district, cat.department)


def priority_for(config: HallConfig, chosen: str, person: IdNumber | Document,
                 today: date) -> tuple[str, int]:
    """The effective priority group and its rank (0 first; no group ranks last).

    The chosen group and any group the visitor's age qualifies for are compared; the higher wins
    (a document without a birth date, such as a passport, qualifies for none by age).
    """
    rank_of = {g.code: i for i, g in enumerate(config.priority_groups)}
    candidates = [chosen] if chosen else []
    age = person.age_on(today)
    candidates += [g.code for g in config.priority_groups
                   if g.min_age is not None and age is not None and age >= g.min_age]
    if not candidates:
        return "", len(config.priority_groups)
    best = min(candidates, key=rank_of.__getitem__)
    return best, rank_of[best]


def _text(errors: dict[str, str], key: str, value: str, limit: int, required: bool) -> str:
    # Every field is read on one line (a window's visit panel, the slip, a spreadsheet row): a
    # pasted line break or a full-width space becomes one space; controls, ESC sequences,
    # direction overrides and invisible-only values are refused (hall.text.freetext).
    return freetext.field(errors, key, value, limit, required="必须填写" if required else "")


def _people(errors: dict[str, str], raw: int | str) -> int:
    text = str(raw).strip()
    # isdecimal, not isdigit: "²" is a digit that int() refuses.
    if not text.isdecimal() or not 1 <= int(text) <= _MAX_PEOPLE:
        errors["people"] = f"应为1到{_MAX_PEOPLE}之间的整数，实际为“{text}”"
        return 1
    return int(text)


def validate(form: Registration, config: HallConfig, today: date) -> CleanRegistration:
    """Check every field; return the clean registration or raise :class:`FormError`."""
    errors: dict[str, str] = {}
    name, person, kind, phone, address, district = _person(errors, form, config, today)
    matter = _text(errors, "matter", form.matter, _MAX_TEXT, True)
    request = _text(errors, "request", form.request, _MAX_TEXT, False)
    category = (form.category or "").strip()
    suggested = route(config, category, district) if category else None
    if not category:
        errors["category"] = "必须选择"
    elif suggested is None:
        errors["category"] = f"未知的诉求类别“{category}”"
    chosen_department = (form.department or "").strip()
    department = chosen_department or (suggested or "")
    if chosen_department and config.department(department) is None:
        errors["department"] = f"未知的部门“{department}”"
    again = _text(errors, "again_reason", form.again_reason, _MAX_NAME * 4, False)
    people = _people(errors, form.people)
    representatives = _representatives(errors, form.representatives, people, config, today)
    chosen = (form.priority or "").strip()
    if chosen and config.priority_group(chosen) is None:
        errors["priority"] = f"未知的优先类别“{chosen}”"
    channels = _channels(errors, form.other_channels, config)
    opinion = _text(errors, "earlier_opinion", form.earlier_opinion, freetext.TEXT, False)
    case_id = _case_id(errors, form.case_id)
    if errors or person is None:
        raise FormError(errors)
    group, rank = priority_for(config, chosen, person, today)
    return CleanRegistration(
        name=name, id=person, category=category, matter=matter, phone=phone, address=address,
        district=district, request=request, people=people,
        representatives=representatives, priority=group, priority_rank=rank,
        suggested_department=suggested or department, department=department,
        document_type=kind, rename=bool(form.rename), again_reason=again,
        other_channels=channels, earlier_opinion=opinion, case_id=case_id,
    )


def validate_file(form: Registration, config: HallConfig, today: date) -> CleanRegistration:
    """Check only what a visitor's file holds (name, document, phone, address, district) and
    ``rename``: a file opened or updated without a visit (a booking). The visit's fields of the
    result are empty, and it is never issued. Raises :class:`FormError`."""
    errors: dict[str, str] = {}
    name, person, kind, phone, address, district = _person(errors, form, config, today)
    if errors or person is None:
        raise FormError(errors)
    return CleanRegistration(
        name=name, id=person, category="", matter="", phone=phone, address=address,
        district=district, request="", people=1, representatives=(), priority="",
        priority_rank=0, suggested_department="", department="", document_type=kind,
        rename=bool(form.rename))


def _person(errors: dict[str, str], form: Registration, config: HallConfig,
            today: date) -> tuple[str, IdNumber | Document | None, str, str, str, str]:
    """The file's fields of a form: name, document (None when invalid), its type, phone,
    address and district; what is wrong goes into ``errors``."""
    name = _text(errors, "name", form.name, _MAX_NAME, True)
    if name and "name" not in errors and any(ch.isdigit() for ch in name):
        errors["name"] = "姓名不应包含数字"
    person: IdNumber | Document | None = None
    kind = (form.document_type or "").strip() or ID_CARD
    if document_type(kind) is None:
        errors["document_type"] = f"未知的证件类型“{kind}”"
    else:
        try:
            person = parse_document(kind, form.id_number, today=today)
        except IdNumberError as exc:
            errors["id_number"] = exc.message
    phone = _phone(errors, "phone", form.phone)
    address = _text(errors, "address", form.address, _MAX_ADDRESS, False)
    district = (form.district or "").strip()
    if district and config.district(district) is None:
        errors["district"] = f"未知的属地“{district}”"
    return name, person, kind, phone, address, district


def _phone(errors: dict[str, str], key: str, raw: str) -> str:
    phone = _text(errors, key, raw, 20, False).replace(" ", "").translate(_FULL_WIDTH)
    if phone and not _PHONE.fullmatch(phone):
        errors[key] = "应为11位手机号（如13812345678）或固定电话（如0571-87654321）"
    return phone


def _representatives(errors: dict[str, str], raw: list[RepresentativeEntry | str], people: int,
                     config: HallConfig, today: date) -> tuple[CleanRepresentative, ...]:
    """Collective-visit rules: at the threshold 1..max representatives, each with a valid ID,
    a name and a phone (the hall talks to them, and calls them back)."""
    rules = config.collective
    entries = [e for e in (RepresentativeEntry.of(r) for r in raw or []) if not e.blank]
    parsed: list[CleanRepresentative] = []
    for i, entry in enumerate(entries, 1):
        problems: dict[str, str] = {}
        name = _text(problems, "name", entry.name, _MAX_NAME, True)
        if name and any(ch.isdigit() for ch in name):
            problems["name"] = "不应包含数字"
        phone = _phone(problems, "phone", entry.phone)
        if not phone and "phone" not in problems:
            problems["phone"] = "必须填写"
        try:
            person = parse_id_number(entry.id_number, today=today)
        except IdNumberError as exc:
            errors["representatives"] = f"第{i}位代表的{exc.message}"
            return ()
        if problems:
            errors["representatives"] = f"第{i}位代表的" + "；".join(
                f"{FIELD_LABELS[k]}{v}" for k, v in problems.items())
            return ()
        parsed.append(CleanRepresentative(person, name, phone))
    numbers = [p.id.value for p in parsed]
    duplicate = next((n for n in numbers if numbers.count(n) > 1), None)
    if duplicate:
        errors["representatives"] = f"代表身份证号重复：{duplicate}"
    elif people >= rules.threshold and not 1 <= len(parsed) <= rules.max_representatives:
        errors["representatives"] = (
            f"{people}人来访属集体访（{rules.threshold}人及以上），应推选1至"
            f"{rules.max_representatives}名代表，现有{len(parsed)}名")
    elif people < rules.threshold and len(parsed) > people:
        errors["representatives"] = f"代表人数（{len(parsed)}）不能多于来访人数（{people}）"
    return tuple(parsed)


def _channels(errors: dict[str, str], raw: str | Sequence[str],
              config: HallConfig) -> tuple[str, ...]:
    """The channel codes of ``raw`` (codes or names), each once, in the configuration's order;
    an unknown one names the channels there are."""
    known = config.cases.channels
    text = raw if isinstance(raw, str) else ",".join(str(part) for part in raw or ())
    typed = freetext.field(errors, "other_channels", text, freetext.LINE)
    if "other_channels" in errors:
        return ()
    by_name = {name: code for code, name in known.items()}
    codes: set[str] = set()
    for part in filter(None, _CHANNEL_SEPARATORS.split(typed)):
        code = part if part in known else by_name.get(part)
        if code is None:
            listed = "、".join(f"{c}（{n}）" for c, n in known.items())
            errors["other_channels"] = f"未知的渠道“{part[:32]}”，可选：{listed or '无'}"
            return ()
        codes.add(code)
    chosen = tuple(code for code in known if code in codes)
    if len(",".join(chosen)) > _MAX_CHANNELS_STORED:  # a configuration with very long codes
        errors["other_channels"] = f"所选渠道过多（代码合计不超过{_MAX_CHANNELS_STORED}个字符）"
        return ()
    return chosen


def _case_id(errors: dict[str, str], raw: object) -> int | None:
    """The case's id as an int, None for none ("" or None); a case the visit links to is
    checked against the visitor's open cases when issuing (:meth:`hall.desk.desk.Desk.issue`)."""
    if raw is None or raw == "":
        return None
    text = str(raw).strip()
    if isinstance(raw, bool) or not text.isdecimal() or not text.isascii() or len(text) > 18 \
            or int(text) < 1:
        errors["case_id"] = f"应为案件的序号（正整数），实际为“{freetext.shown(text[:32])}”"
        return None
    return int(text)
