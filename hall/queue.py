"""Reading the live hall: the queue in call order, a window's view, the board's view.

Part of the :class:`hall.service.Hall` facade (mixed in). Everything returned is a plain value from
:mod:`hall.views`; the board's values never carry a name or an ID number.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, Any

from hall.clock import to_storage
from hall.text.masking import mask_id_number, mask_name
from hall.views import (
    STATUS_LABELS,
    BoardView,
    CallNotice,
    CurrentVisit,
    QueueEntry,
    QueueLength,
    VisitSummary,
    WindowView,
)
from models import Representative, Ticket, TicketEvent, Visit, Visitor, WindowState

if TYPE_CHECKING:
    from config.schema import HallConfig, Window
    from hall.incidents import Incidents
    from hall.leaders import Leaders


class QueueReads:
    """Live reads; mixed into :class:`hall.service.Hall`."""

    config: HallConfig
    tz: tzinfo
    leaders: Leaders
    incidents: Incidents

    if TYPE_CHECKING:  # provided by Hall and WindowOps
        def now(self) -> datetime: ...
        def today(self) -> date: ...
        def local(self, stored: datetime) -> datetime: ...
        def queue_lengths(self) -> list[QueueLength]: ...
        def window_spec(self, window: int) -> Window: ...
        def no_show_allowed(self, recalls: int, called_at: datetime | None,
                            at: datetime) -> tuple[bool, str]: ...
        def _visit_summaries(self, visitor_id: int) -> list[VisitSummary]: ...

    def queue(self, departments: list[str] | None = None) -> list[QueueEntry]:
        """Today's waiting tickets in call order (priority, then issue time), all or some queues."""
        query = (Ticket.select(Ticket, Visit, Visitor.name)
                 .join(Visit).join(Visitor)
                 .where((Ticket.business_day == self.today()) & (Ticket.status == "waiting"))
                 .order_by(Ticket.priority_rank, Ticket.issued_at, Ticket.id))
        if departments is not None:
            query = query.where(Ticket.department.in_(departments))
        now = self.now()
        threshold = self.config.collective.threshold
        out = []
        for t in query:
            issued = self.local(t.issued_at)
            group = self.config.priority_group(t.visit.priority)
            out.append(QueueEntry(
                number=t.number, department=t.department,
                department_name=self._name_of(t.department), issued_at=issued.strftime("%H:%M"),
                waiting_minutes=max(0, int((now - issued).total_seconds() // 60)),
                priority_name=group.name if group else "", repeat=t.visit.is_repeat,
                people=t.visit.people, collective=t.visit.people >= threshold,
                name_masked=mask_name(t.visit.visitor.name)))
        return out

    def window_view(self, window: int) -> WindowView:
        """The window's departments, pause state, current visitor and waiting list."""
        spec = self.window_spec(window)
        state = WindowState.get_or_none(WindowState.number == spec.number)
        current = None
        if state is not None and state.current_id is not None:
            current = self._current_visit(Ticket.get_by_id(state.current_id))
        return WindowView(
            number=spec.number, title=spec.title, departments=tuple(spec.departments),
            department_names=tuple(self._name_of(d) for d in spec.departments),
            paused=bool(state and state.paused), current=current,
            waiting=tuple(self.queue(list(spec.departments))))

    def recent_calls(self, limit: int | None = None) -> list[CallNotice]:
        """Today's latest calls and recalls, newest first (for the board)."""
        limit = limit or self.config.board.recent_calls
        rows = (TicketEvent.select(TicketEvent, Ticket)
                .join(Ticket)
                .where(TicketEvent.kind.in_(("called", "recalled"))
                       & (Ticket.business_day == self.today()))
                .order_by(TicketEvent.id.desc())
                .limit(limit))
        # The department the ticket was in when called (a transfer moves the ticket on).
        return [self._notice(e.ticket.number, e.department, e.window, e.kind, e.at, e.id)
                for e in rows]

    def board_view(self) -> BoardView:
        """What the hall board shows now."""
        local = self.now().astimezone(self.tz)
        return BoardView(date=self.today().isoformat(), time=local.strftime("%H:%M:%S"),
                         recent=tuple(self.recent_calls()),
                         queues=tuple(self.queue_lengths()),
                         receptions=tuple(self.leaders.todays_receptions()))

    def _notice(self, number: str, department: str, window: int | None, kind: str,
                at: datetime, event_id: int) -> CallNotice:
        spec = self.config.window(window) if window is not None else None
        return CallNotice(event_id=event_id, number=number, department=department,
                          window=window or 0, window_title=spec.title if spec else "",
                          kind=kind, at=self.local(at).strftime("%H:%M:%S"))

    def _current_visit(self, ticket: Ticket) -> CurrentVisit:
        visit: Any = ticket.visit
        person: Any = visit.visitor
        allowed, hint = self.no_show_allowed(ticket.recalls, ticket.called_at,
                                             to_storage(self.now()))
        group = self.config.priority_group(visit.priority)
        district = self.config.district(visit.district)
        category = self.config.category(visit.category)
        age = None
        if person.birth_date:
            today = self.today()
            born = person.birth_date
            age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        reps = (Representative.select(Representative.id_number)
                .where(Representative.visit == visit.id).order_by(Representative.position))
        history = [v for v in self._visit_summaries(person.id) if v.visit_id != visit.id]
        return CurrentVisit(
            number=ticket.number, status=ticket.status,
            status_label=STATUS_LABELS.get(ticket.status, ticket.status),
            department=ticket.department, department_name=self._name_of(ticket.department),
            called_at=self.local(ticket.called_at).strftime("%H:%M") if ticket.called_at else "",
            recalls=ticket.recalls, no_show_allowed=allowed, no_show_hint=hint,
            name=person.name, sex={"M": "男", "F": "女"}.get(person.sex, ""), age=age,
            id_number_masked=mask_id_number(person.id_number), phone=person.phone,
            address=person.address, district_name=district.name if district else "",
            category_name=category.name if category else visit.category, matter=visit.matter,
            request=visit.request, people=visit.people,
            representatives=tuple(mask_id_number(r.id_number) for r in reps),
            priority_name=group.name if group else "", repeat=visit.is_repeat,
            history=tuple(history), incidents=tuple(self.incidents.of_visitor(person.id)))

    def _name_of(self, code: str) -> str:
        dept = self.config.department(code)
        return dept.name if dept else code

