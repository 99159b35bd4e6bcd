"""Reading the live hall: the queue in call order, queue lengths, recent calls, the board's view.

    hall.board.queue(["xfj"])          # today's waiting tickets of a department, in call order
    hall.board.view()                  # what the hall board shows now

Everything returned is a plain value from :mod:`hall.views`; the board's values never carry a name
or an ID number (the window's queue shows names masked).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

import peewee as pw

from hall.store import Store
from hall.text import freetext
from hall.text.masking import mask_name
from hall.views import (
    BoardView,
    CallNotice,
    QueueEntry,
    QueueLength,
    ReceptionLine,
    department_name,
)
from models import Ticket, TicketCounter, TicketEvent, Visit, Visitor


class Board:
    """Live reads of the queues and calls; ``receptions`` gives today's leader receptions."""

    def __init__(self, store: Store, *,
                 receptions: Callable[[], Sequence[ReceptionLine]]) -> None:
        self.store = store
        self.config = store.config
        self._receptions = receptions

    def queue(self, departments: list[str] | None = None) -> list[QueueEntry]:
        """Today's waiting tickets in call order (priority, then issue time), all or some queues."""
        query = (Ticket.select(Ticket, Visit, Visitor.name)
                 .join(Visit).join(Visitor)
                 .where((Ticket.business_day == self.store.today())
                        & (Ticket.status == "waiting"))
                 .order_by(Ticket.priority_rank, Ticket.issued_at, Ticket.id))
        if departments is not None:
            query = query.where(Ticket.department.in_(departments))
        now = self.store.now()
        threshold = self.config.collective.threshold
        out = []
        for t in query:
            issued = self.store.local(t.issued_at)
            group = self.config.priority_group(t.visit.priority)
            out.append(QueueEntry(
                number=t.number, department=t.department,
                department_name=department_name(self.config, t.department),
                issued_at=issued.strftime("%H:%M"),
                waiting_minutes=max(0, int((now - issued).total_seconds() // 60)),
                priority_name=group.name if group else "", repeat=t.visit.is_repeat,
                people=t.visit.people, collective=t.visit.people >= threshold,
                name_masked=freetext.shown(mask_name(t.visit.visitor.name))))
        return out

    def queue_lengths(self) -> list[QueueLength]:
        """Today's waiting and issued counts per department, in configured order."""
        day = self.store.today()
        waiting = dict(
            Ticket.select(Ticket.department, pw.fn.COUNT(Ticket.id))
            .where((Ticket.business_day == day) & (Ticket.status == "waiting"))
            .group_by(Ticket.department).tuples())
        issued = dict(TicketCounter.select(TicketCounter.department, TicketCounter.last)
                      .where(TicketCounter.business_day == day).tuples())
        return [QueueLength(d.code, d.name, d.prefix, waiting.get(d.code, 0),
                            issued.get(d.code, 0)) for d in self.config.departments]

    def recent_calls(self, limit: int | None = None) -> list[CallNotice]:
        """Today's latest calls and recalls, newest first (for the board)."""
        limit = limit or self.config.board.recent_calls
        rows = (TicketEvent.select(TicketEvent, Ticket)
                .join(Ticket)
                .where(TicketEvent.kind.in_(("called", "recalled"))
                       & (Ticket.business_day == self.store.today()))
                .order_by(TicketEvent.id.desc())
                .limit(limit))
        # The department the ticket was in when called (a transfer moves the ticket on).
        return [self.notice(e.ticket.number, e.department, e.window, e.kind, e.at, e.id)
                for e in rows]

    def view(self) -> BoardView:
        """What the hall board shows now."""
        local = self.store.now().astimezone(self.store.tz)
        return BoardView(date=self.store.today().isoformat(), time=local.strftime("%H:%M:%S"),
                         recent=tuple(self.recent_calls()),
                         queues=tuple(self.queue_lengths()),
                         # a room or topic typed before free text was checked: made safe
                         receptions=freetext.shown_in(tuple(self._receptions())))

    def notice(self, number: str, department: str, window: int | None, kind: str,
               at: datetime, event_id: int) -> CallNotice:
        """A call event (``at`` as stored) as the board shows and speaks it."""
        spec = self.config.window(window) if window is not None else None
        return CallNotice(event_id=event_id, number=number, department=department,
                          window=window or 0, window_title=spec.title if spec else "",
                          kind=kind, at=self.store.local(at).strftime("%H:%M:%S"))
