"""The incident form (``NewIncident``), its validation and its error.

What the form, the manager screen and ``hall incident log`` type is checked here, every field at
once, before any transaction: a wrong form writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hall.desk.registration import FormError
from hall.errors import NotFound
from hall.text import freetext
from models import Visitor

if TYPE_CHECKING:
    from datetime import date

    from config.schema import HallConfig
    from models import Ticket

MAX_PEOPLE = 9999
MAX_PLACE = freetext.PLACE

FindTicket = Callable[[str, "date | None"], "Ticket"]
"""The desk's lookup of a ticket by number (today) or query code; raises :class:`NotFound`."""

INCIDENT_FIELDS = {"type": "类型", "place": "地点", "ticket": "关联票号", "visitor": "来访人",
                   "people": "人数", "note": "经过", "result": "结果", "conclusion": "结论",
                   "reason": "理由"}
INCIDENT_TEXTS = {"place": (MAX_PLACE, False), "note": (freetext.TEXT, True),
                  "result": (freetext.NOTE, True), "conclusion": (freetext.TEXT, True),
                  "reason": (freetext.REASON, True)}
"""Each typed text of an incident, its entries included: (limit, whether line breaks are
kept). A step's note and a correction are ``note``."""


class IncidentFormError(FormError):
    """The incident form is invalid; ``errors`` maps each field to what is wrong."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors, INCIDENT_FIELDS)


def text_errors(**texts: str) -> dict[str, str]:
    """What is wrong with an incident's texts (by the keys of :data:`INCIDENT_TEXTS`); empty
    when they can be stored. The dialogs show these beside their fields before they close."""
    return freetext.errors_of(INCIDENT_TEXTS, texts)


def clean_texts(**texts: str) -> dict[str, str]:
    """The texts cleaned, or :class:`IncidentFormError` naming each field (nothing written)."""
    return freetext.cleaned_or_raise(INCIDENT_TEXTS, texts, IncidentFormError)


@dataclass(frozen=True)
class NewIncident:
    """What the incident form (or ``hall incident log``) typed."""

    type: str
    place: str
    note: str
    people: int | str = 1
    ticket: str = ""  # a ticket number of today, or a query code
    visitor_id: int | None = None  # the visitor, when known without a ticket (the desk)


def validate(new: NewIncident, config: HallConfig, find_ticket: FindTicket
             ) -> tuple[Any, str, str, int, int | None, int | None]:
    """The form's fields cleaned (type, place, note, people, ticket id, visitor id), or
    :class:`IncidentFormError` with every problem at once."""
    errors: dict[str, str] = {}
    spec = config.incidents.type_of(new.type.strip())
    if spec is None:
        valid = "、".join(f"{t.code}（{t.name}）" for t in config.incidents.types)
        errors["type"] = (f"未知的特殊情况类型“{new.type}”，应为：{valid}" if new.type.strip()
                          else "请选择特殊情况类型")
    place = freetext.field(errors, "place", new.place, MAX_PLACE, required="请填写发生地点")
    note = freetext.field(errors, "note", new.note, freetext.TEXT, lines=True,
                          required="请简述发生了什么")
    people = 0
    try:
        people = int(str(new.people).strip())
    except ValueError:
        errors["people"] = f"人数应为整数，实际为“{new.people}”"
    else:
        if not 1 <= people <= MAX_PEOPLE:
            errors["people"] = f"人数应在 1 到 {MAX_PEOPLE} 之间"
    ticket_id: int | None = None
    visitor_id = new.visitor_id
    if new.ticket.strip():
        try:
            ticket = find_ticket(new.ticket, None)
        except NotFound as exc:
            errors["ticket"] = str(exc)
        else:
            ticket_id = ticket.id
            visitor_id = ticket.visit.visitor_id
    elif visitor_id is not None and Visitor.get_or_none(Visitor.id == visitor_id) is None:
        errors["visitor"] = f"没有编号为 {visitor_id} 的来访人档案"
    if errors:
        raise IncidentFormError(errors)
    return spec, place, note, people, ticket_id, visitor_id
