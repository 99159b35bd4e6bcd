"""Plain results the contexts of the :class:`hall.facade.Hall` hand to screens, the CLI and tests.

They hold values, not database rows, so a screen can keep them after the transaction is gone and
the CLI can print them as JSON with :func:`dataclasses.asdict`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from config.schema import HallConfig
    from hall.cases.appointments import AppointmentView
    from hall.cases.views import CaseSummary as OpenCase
    from hall.cases.views import CaseVisitView
    from hall.desk.files import FileChange
    from hall.incidents.views import VisitorIncident

STATUS_LABELS = {
    "waiting": "候谈",
    "called": "已叫号",
    "serving": "接谈中",
    "done": "已办结",
    "no_show": "过号",
    "cancelled": "已取消",
}


@dataclass(frozen=True)
class VisitSummary:
    """One earlier (or this) visit in a visitor's file."""

    visit_id: int
    date: str  # business day, YYYY-MM-DD
    number: str  # ticket number, '' if none
    category: str
    category_name: str
    department: str
    department_name: str
    status: str  # ticket status code
    outcome: str  # 办理方式 code, '' until finished
    outcome_label: str  # what to show: the outcome's name, or the ticket status
    district: str = ""  # the visit's 属地 code ('' when not given)
    matter: str = ""  # the visit's 事由, as registered
    confidential: bool = False  # a confidential category's visit (检举控告: 保密事项)
    masked: bool = False
    """Withheld from this viewer: only the date and 「保密事项」 (or nothing) are left, and it does
    not count as an earlier visit (:mod:`hall.accounts.visibility`)."""


@dataclass(frozen=True)
class CaseSummary:
    """包案: a leader in personal charge of one of the visitor's matters.

    Since issue 12 a 包案 is a case (信访事项) with a leader: ``case_id`` is the case's id and
    ``number``, ``state`` and ``due_on`` say where it stands. A 包案 recorded before cases existed
    keeps its own id and has no number, state or due date (history)."""

    case_id: int
    date: str  # YYYY-MM-DD, the day the leader took it
    leader: str  # the leader's code
    leader_label: str  # 「张伟副市长」
    matter: str  # 「保密事项」 for a confidential case
    number: str = ""  # the case's number (江信〔2026〕第 0137 号); "" for an older record
    state: str = ""  # the case's state code (hall.cases.states.STATES); "" for an older record
    state_label: str = ""  # 待受理, 办理中 …
    due_on: str = ""  # the case's next due date, "" when closed or none


@dataclass(frozen=True)
class ReceptionLine:
    """One of today's receptions as the board announces it: leader, room, time; no visitor."""

    leader_label: str
    kind: str  # leader / lawyer
    room: str
    start: str  # HH:MM
    end: str
    topic: str
    ended: bool = False  # today's, and its end time has passed
    date: str = ""  # YYYY-MM-DD: today's, or the next one's once today's of its kind are over


@dataclass(frozen=True)
class VisitorFile:
    """A visitor's file (一人一档) as the desk sees it: details and visits, newest first."""

    visitor_id: int
    id_number: str
    name: str
    sex: str
    birth_date: str
    phone: str
    address: str
    district: str
    visits: tuple[VisitSummary, ...]
    cases: tuple[CaseSummary, ...] = ()
    """包案: leaders in personal charge of this visitor's matters, newest first."""
    incidents: tuple[VisitorIncident, ...] = ()  # special situations involving them, newest first
    recused: bool = False  # the staff member looking recused themselves from them (回避)
    history: tuple[FileChange, ...] = ()
    """Every earlier name, phone, address and district of the file, newest first."""
    doc_type: str = "id_card"
    open_cases: tuple[OpenCase, ...] = ()
    """The visitor's open cases (信访事项) the viewer may link a repeat visit to, newest first;
    a confidential case of another department is left out, not named."""

    @property
    def visit_count(self) -> int:
        """How many visits the file holds that count for this viewer: a visit withheld from
        them (「保密事项」) is listed but never counts towards a repeat visit."""
        return sum(not v.masked for v in self.visits)

    @property
    def withheld_count(self) -> int:
        """How many visits are listed as 「保密事项」 (or withheld) for this viewer."""
        return sum(v.masked for v in self.visits)

    @property
    def last_visit(self) -> VisitSummary | None:
        """The most recent visit this viewer may see, if any."""
        return next((v for v in self.visits if not v.masked), None)


@dataclass(frozen=True)
class IssuedTicket:
    """A ticket as printed and shown: what the visitor needs, no personal data."""

    ticket_id: int
    visit_id: int
    number: str
    business_day: str
    department: str
    department_name: str
    windows: tuple[str, ...]
    status: str
    ahead: int
    priority: str
    priority_name: str
    repeat: bool
    people: int
    query_code: str
    qr: str
    issued_at: str  # local time, YYYY-MM-DD HH:MM
    visits: tuple[VisitSummary, ...]  # this visitor's visits, this one included, newest first


@dataclass(frozen=True)
class TicketStatus:
    """Where a ticket stands, for a kiosk or a phone scanning the QR code."""

    number: str
    business_day: str
    department: str
    department_name: str
    status: str
    status_label: str
    ahead: int
    window: int | None


@dataclass(frozen=True)
class QueueLength:
    """Today's waiting count of one department."""

    department: str
    department_name: str
    prefix: str
    waiting: int
    issued: int  # tickets issued today in this department


@dataclass(frozen=True)
class CallNotice:
    """A call (or recall) as the board shows and speaks it: ticket number and window only."""

    event_id: int
    number: str
    department: str
    window: int
    window_title: str
    kind: str  # "called" / "recalled"
    at: str  # local time HH:MM:SS


@dataclass(frozen=True)
class QueueEntry:
    """A waiting ticket as a window lists it; personal data masked."""

    number: str
    department: str
    department_name: str
    issued_at: str  # HH:MM
    waiting_minutes: int
    priority_name: str
    repeat: bool
    people: int
    collective: bool
    name_masked: str
    waits_for: str = ""  # a reception room's queue: whom for, 「李红 09:00–11:30」; else ''
    recused: bool = False  # the staff member looking recused themselves from the visitor (回避)


@dataclass(frozen=True)
class CurrentVisit:
    """The visitor a window is serving, with what the window needs from the registration."""

    number: str
    status: str
    status_label: str
    department: str
    department_name: str
    called_at: str
    recalls: int
    no_show_allowed: bool
    no_show_hint: str
    name: str
    sex: str
    age: int | None
    id_number_masked: str
    phone: str
    address: str
    district_name: str
    category_name: str
    matter: str
    request: str
    people: int
    representatives: tuple[str, ...]  # one line each: name, masked phone and ID number
    priority_name: str
    repeat: bool
    history: tuple[VisitSummary, ...]  # earlier visits, newest first
    incidents: tuple[VisitorIncident, ...] = ()  # special situations involving them, newest first
    recused: bool = False  # the staff member looking recused themselves from them (回避)
    visit_id: int = 0
    case: CurrentCase | None = None  # the case this visit is about (a repeat visit), if any
    interview_version: int = 0  # versions of its 接谈记录 saved so far (0: none)


@dataclass(frozen=True)
class CurrentCase:
    """The case a window's current visit is about, and what earlier windows recorded on it, so
    the hall answers the same way twice (口径一致)."""

    case_id: int
    number: str  # 江信〔2026〕第 0137 号
    state_label: str
    unit: str  # 承办单位 as shown
    due_on: str  # the next due date, "" when closed
    days_left: int | None
    overdue: bool
    earlier: tuple[CaseVisitView, ...]  # the case's other visits, oldest first: notes, reasons
    masked: bool = False  # a confidential case outside the viewer's department: no notes


@dataclass(frozen=True)
class WindowView:
    """Everything a window terminal shows."""

    number: int
    title: str
    departments: tuple[str, ...]
    department_names: tuple[str, ...]
    paused: bool
    current: CurrentVisit | None
    waiting: tuple[QueueEntry, ...]
    appointments: tuple[AppointmentView, ...] = ()  # the window's open 约谈 today, by time


@dataclass(frozen=True)
class BoardView:
    """Everything the hall board shows: no names, no ID numbers."""

    date: str
    time: str
    recent: tuple[CallNotice, ...]
    queues: tuple[QueueLength, ...]
    receptions: tuple[ReceptionLine, ...] = ()
    """Today's leader receptions and lawyer seat (the board's leader line)."""


def department_name(config: HallConfig, code: str) -> str:
    """A department's name, or its code when the configuration no longer has it."""
    dept = config.department(code)
    return dept.name if dept else code
