"""约谈: a follow-up appointment a window sets for its current visit, listed for that window.

    hall.cases.interviews.appoint(7, datetime(2026, 11, 25, 9, 30, tzinfo=tz), "带工资条原件",
                                  actor="win07")
    hall.cases.interviews.appointments(7, viewer="win07")          # open ones, today onwards
    hall.cases.interviews.settle(appointment_id, "kept", actor="win07")

A visit that could not be finished, or needs the visitor to bring materials, gets a date and a
time (:class:`~models.case.Appointment`). It belongs to the window's current visit and, when that
visit is about a case (a repeat visit the desk linked to an open case), to the case too: an
entry 「约谈」 on the case's timeline, under the case's row lock like every step. A visit that
opens its case only when it is finished keeps the appointment on the visit; the listing shows
the case the visit belongs to by then.

The time must be aware (it is stored as UTC). It is refused (:class:`FormError` on ``at``,
saying why in Chinese):

- in the past, or now: 约谈时间已过;
- more than :data:`MAX_DAYS` days ahead: a date that far is a typing error, and the hall's
  acceptance notice is due within 15 days anyway;
- on a day that is not a working day (weekends and statutory holidays; 调休 Saturdays are
  working days, :func:`hall.leaders.schedule.working_day`): the windows are closed, the
  visitor would find nobody;
- outside :data:`OFFICE_HOURS` (08:00–18:00, the hall's local time): the same reason.

Setting one takes ``window.start`` for one of the window's departments (as the interview does);
settling one (``kept``: the visitor came; ``cancelled``) takes it for the appointment's
department. Both are audited (``appointment.make``, ``appointment.kept`` / ``.cancelled``).
The listing (``visitor.view`` for the window) masks the visitor's name, and a confidential
visit's note reads 「保密事项」 outside its department.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from hall.accounts import visibility
from hall.cases.base import CASES
from hall.clock import to_storage
from hall.desk.registration import FormError
from hall.errors import NotFound, Refused
from hall.leaders.schedule import holiday_name, working_day
from hall.text import freetext
from hall.text.masking import mask_name
from models import Appointment, Case, CaseVisit, Ticket, Visit, Visitor, is_sqlite
from models import statements as sql

if TYPE_CHECKING:
    from config.schema import Window
    from hall.accounts.actor import Actor
    from hall.cases.context import Cases

MAX_DAYS = 90
"""An appointment at most this many days ahead."""
OFFICE_HOURS = (time(8, 0), time(18, 0))
"""The hall's local hours an appointment may start in (from, before)."""
STATUS_LABELS = {"open": "待约谈", "kept": "已到访", "cancelled": "已取消"}
ACTIVE = ("called", "serving")
_LABELS = {"at": "约谈时间", "note": "约谈事由", "status": "状态"}


@dataclass(frozen=True)
class AppointmentView:
    """A follow-up appointment as a window lists it: the visitor's name masked."""

    id: int
    at: str  # local, YYYY-MM-DD HH:MM
    date: str  # YYYY-MM-DD
    time: str  # HH:MM
    window: int | None
    department: str
    visit_id: int
    case_number: str  # the case it is on, or the case its visit belongs to now; "" when none
    visitor: str  # masked (李**); "" when withheld
    note: str  # 「保密事项」 for a confidential visit outside the viewer's department
    status: str
    status_label: str
    made_by: str
    masked: bool = False


def appointment_errors(when: datetime | None, note: str, now: datetime, tz: Any) -> dict[str, str]:
    """What is wrong with an appointment's time and note, by key (``at``, ``note``); empty when
    it may be set. ``now`` is the hall's clock, ``tz`` its zone."""
    errors: dict[str, str] = {}
    freetext.field(errors, "note", note, freetext.NOTE, lines=True,
                   required="请写明约谈事由或需携带的材料")
    if when is None:
        errors["at"] = "请填写约谈日期和时间"
    elif when.tzinfo is None:
        errors["at"] = "约谈时间须带时区"
    else:
        problem = _time_problem(when.astimezone(tz), now.astimezone(tz))
        if problem:
            errors["at"] = problem
    return errors


def _time_problem(local: datetime, now: datetime) -> str:
    if local <= now:
        return f"约谈时间已过（现在是 {now:%Y-%m-%d %H:%M}）：请选择以后的时间"
    if local.date() > now.date() + timedelta(days=MAX_DAYS):
        return f"约谈时间最远在 {MAX_DAYS} 天内（{now.date() + timedelta(days=MAX_DAYS)} 之前）"
    works, _ = working_day(local.date())
    if not works:
        why = holiday_name(local.date()) or "休息日"
        return f"{local:%Y-%m-%d} 是{why}，窗口不接待：请约在工作日（含调休上班日）"
    start, end = OFFICE_HOURS
    if not start <= local.time() < end:
        return (f"约谈时间应在办公时间 {start:%H:%M}–{end:%H:%M} 之内，"
                "来访人按时前来才有人接待")
    return ""


class Appointments:
    """约谈: set for a window's current visit, listed for the window, settled."""

    def __init__(self, cases: Cases) -> None:
        self._cases = cases
        self._store = cases._store
        self._config = cases._config

    # -- acts ---------------------------------------------------------------------------------

    def appoint(self, window: int, when: datetime, note: str, actor: str) -> AppointmentView:
        """A follow-up appointment for ``window``'s current visit at ``when`` (aware), on the
        visit's open case when it has one (an entry 「约谈」 on it)."""
        spec = self._window(window)
        self._store.permit(actor, "window.start", departments=spec.departments)
        errors = appointment_errors(when, note, self._store.now(), self._store.tz)
        if errors:
            raise FormError(errors, _LABELS)
        text = freetext.clean(note, freetext.NOTE, lines=True)
        with self._store.transaction():
            at = to_storage(self._store.now())
            ticket = self._current_ticket(spec, at, "约谈")
            case = self._cases._open_case_of_visit(ticket.visit_id)
            stored = to_storage(when)
            appointment_id = sql.insert_row(self._store.db, Appointment, {
                "case": case.id if case else None, "visit": ticket.visit_id,
                "window": spec.number, "department": ticket.department, "at": stored,
                "note": text, "status": "open", "made_at": at, "made_by": actor})
            local = self._local(stored)[:16]
            if case is not None:
                row = self._cases._locked(case.id)
                self._cases._append(row, actor, at, "appointment", row.state, note=text,
                                    detail={"appointment": appointment_id, "at": local,
                                            "window": spec.number})
            self._store.audit(actor, "appointment.make", "appointment", appointment_id, at,
                              {"visit": ticket.visit_id, "window": spec.number, "at": local,
                               "case": case.number if case else ""})
            self._store.bump(CASES)
            row = Appointment.get_by_id(appointment_id)
            return self._view(row, case.number if case else "", ticket.visit.visitor.name,
                              True)

    def settle(self, appointment_id: int, status: str, actor: str) -> AppointmentView:
        """Mark an open appointment ``kept`` (the visitor came) or ``cancelled``."""
        if status not in ("kept", "cancelled"):
            raise FormError({"status": "应为 kept（已到访）或 cancelled（已取消）"}, _LABELS)
        found = Appointment.get_or_none(Appointment.id == appointment_id)
        if found is None:
            raise NotFound(f"没有编号为 {appointment_id} 的约谈")
        self._store.permit(actor, "window.start", found.department)
        with self._store.transaction():
            query = Appointment.select().where(Appointment.id == appointment_id)
            row = (query if is_sqlite(self._store.db) else query.for_update()).get()
            if row.status != "open":
                raise Refused(f"该约谈已{STATUS_LABELS.get(row.status, row.status)}，不能再更改")
            at = to_storage(self._store.now())
            Appointment.update(status=status).where(Appointment.id == row.id).execute()
            number = ""
            if row.case_id is not None:
                case = self._cases._locked(row.case_id)
                number = case.number
                self._cases._append(case, actor, at, "appointment", case.state,
                                    note=STATUS_LABELS[status],
                                    detail={"appointment": row.id, "status": status})
            self._store.audit(actor, f"appointment.{status}", "appointment", row.id, at,
                              {"visit": row.visit_id})
            self._store.bump(CASES)
            row = Appointment.get_by_id(row.id)
            return self._view(row, number, row.visit.visitor.name, True)

    # -- reads --------------------------------------------------------------------------------

    def appointments(self, window: int, viewer: str, day: date | None = None
                     ) -> list[AppointmentView]:
        """``window``'s open appointments, earliest first: from today on, or on ``day`` only;
        as ``viewer`` (who reads the window's visitors) may see them."""
        spec = self._window(window)
        actor = visibility.viewer(self._store, viewer, spec.departments)
        return self.listed(spec.number, actor, day)

    def listed(self, window: int, actor: Actor, day: date | None = None
               ) -> list[AppointmentView]:
        """:meth:`appointments` for an actor already permitted (the window's own view passes
        today: the day's appointments)."""
        first = day or self._today()
        start = to_storage(datetime.combine(first, time(0), self._store.tz))
        query = (Appointment.select(Appointment, Visit.category, Visit.department.alias("vd"),
                                    Visitor.name.alias("visitor_name"))
                 .join(Visit, on=(Appointment.visit == Visit.id))
                 .join(Visitor, on=(Visit.visitor == Visitor.id))
                 .where((Appointment.window == window) & (Appointment.status == "open")
                        & (Appointment.at >= start)))
        if day is not None:
            end = to_storage(datetime.combine(first + timedelta(days=1), time(0),
                                              self._store.tz))
            query = query.where(Appointment.at < end)
        rows = list(query.order_by(Appointment.at, Appointment.id).objects())
        numbers = self._case_numbers(rows)
        out = []
        for row in rows:
            shown = visibility.sees_details(
                actor, visibility.is_confidential(self._config, row.category), row.vd)
            out.append(self._view(row, numbers.get(row.id, ""), row.visitor_name, shown))
        return freetext.shown_in(out)

    def today_at(self, window: int, actor: Actor) -> list[AppointmentView]:
        """The window's open appointments today (its terminal shows them)."""
        return self.listed(window, actor, self._today())

    # -- helpers ------------------------------------------------------------------------------

    def _view(self, row: Appointment, number: str, name: str, shown: bool) -> AppointmentView:
        local = self._store.local(row.at)
        return AppointmentView(
            id=row.id, at=local.strftime("%Y-%m-%d %H:%M"), date=str(local.date()),
            time=local.strftime("%H:%M"), window=row.window, department=row.department,
            visit_id=row.visit_id, case_number=number, visitor=mask_name(name) if shown else "",
            note=row.note if shown else visibility.CONFIDENTIAL_LABEL, status=row.status,
            status_label=STATUS_LABELS.get(row.status, row.status), made_by=row.made_by,
            masked=not shown)

    def _case_numbers(self, rows: list[Any]) -> dict[int, str]:
        """Each appointment's case number: its own case, else the case its visit belongs to
        (opened when the visit was finished after the appointment was set)."""
        visits = {r.visit_id for r in rows if r.case_id is None}
        by_visit: dict[int, str] = {}
        if visits:
            for visit_id, number in (Case.select(CaseVisit.visit, Case.number)
                                     .join(CaseVisit, on=(CaseVisit.case == Case.id))
                                     .where(CaseVisit.visit.in_(visits))
                                     .order_by(Case.id).tuples()):
                by_visit[visit_id] = number  # the newest wins
        own = {r.case_id for r in rows if r.case_id is not None}
        numbers = dict(Case.select(Case.id, Case.number).where(Case.id.in_(own)).tuples()) \
            if own else {}
        return {r.id: numbers.get(r.case_id, "") if r.case_id else by_visit.get(r.visit_id, "")
                for r in rows}

    def _window(self, window: int) -> Window:
        spec = self._config.window(window)
        if spec is None:
            valid = "、".join(str(w.number) for w in self._config.windows)
            raise NotFound(f"没有 {window} 号窗口（现有：{valid}）")
        return spec

    def _current_ticket(self, spec: Window, at: datetime, act: str) -> Ticket:
        """The window's current ticket (called or serving), its window row locked."""
        _, _, current = sql.lock_window(self._store.db, window=spec.number, at=at)
        ticket = Ticket.get_by_id(current) if current is not None else None
        if ticket is None or ticket.status not in ACTIVE:
            raise Refused(f"{spec.title}当前没有来访，无法{act}")
        return ticket

    def _today(self) -> date:
        return self._store.now().astimezone(self._store.tz).date()

    def _local(self, stored: datetime) -> str:
        return self._store.local(stored).strftime("%Y-%m-%d %H:%M:%S")
