"""Reading the live hall: the queue in call order, queue lengths, recent calls, the board's view.

    hall.board.queue(["xfj"])          # today's waiting tickets of a department, in call order
    hall.board.view()                  # what the hall board shows now

Everything returned is a plain value from :mod:`hall.views`; the board's values never carry a name
or an ID number (the window's queue shows names masked; :meth:`Board.queue` too, to a viewer whose
role reads files, and no name to anyone else: ``hall queue`` on a kiosk).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from hall.leaders.shared import LEADERS
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
from models import Ticket, Visit, Visitor
from models import statements as sql


class Board:
    """Live reads of the queues and calls; ``receptions`` gives today's leader receptions."""

    def __init__(self, store: Store, *,
                 receptions: Callable[[], Sequence[ReceptionLine]],
                 waits_for: Callable[[list[QueueEntry]], list[QueueEntry]] = list) -> None:
        self.store = store
        self.config = store.config
        self._receptions = receptions
        self._waits_for = waits_for  # whom a reception room's visitor waits for (leaders)
        self._titles = {w.number: w.title for w in self.config.windows}
        self._receptions_read: tuple[object, tuple[ReceptionLine, ...]] | None = None

    def queue(self, departments: list[str] | None = None,
              viewer: str | None = None) -> list[QueueEntry]:
        """Today's waiting tickets in call order (priority, then issue time), all or some queues.

        The masked names only for a ``viewer`` (login) whose role reads visitors' files; for
        nobody signed in, a kiosk or the board, no name at all (``name_masked`` is "")."""
        from hall.accounts.actor import find_actor

        actor = find_actor(viewer) if viewer else None
        names = actor is not None and actor.may("visitor.view")
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
                name_masked=freetext.shown(mask_name(t.visit.visitor.name)) if names else ""))
        return self._waits_for(out)

    def waits_for(self, entries: list[QueueEntry]) -> list[QueueEntry]:
        """``entries`` with whom each visitor of a reception room waits for (the leaders')."""
        return self._waits_for(entries)

    def queue_lengths(self) -> list[QueueLength]:
        """Today's waiting and issued counts per department, in configured order."""
        waiting, issued = sql.queue_counts(self.store.db, day=self.store.today())
        return [QueueLength(d.code, d.name, d.prefix, waiting.get(d.code, 0),
                            issued.get(d.code, 0)) for d in self.config.departments]

    def recent_calls(self, limit: int | None = None) -> list[CallNotice]:
        """Today's latest calls and recalls, newest first (for the board)."""
        rows = sql.recent_calls(self.store.db, day=self.store.today(),
                                limit=limit or self.config.board.recent_calls)
        # The department the ticket was in when called (a transfer moves the ticket on).
        return [self.notice(number, department, window, kind, at, event_id)
                for event_id, number, department, window, kind, at in rows]

    def view(self, calls: int | None = None) -> BoardView:
        """What the hall board shows now.

        ``recent`` holds the latest ``calls`` calls (at least ``board.recent_calls``, the ones the
        board lists): the board looks among them for those it has not announced yet, so the
        calls are read once per reload.
        """
        local = self.store.now().astimezone(self.store.tz)
        listed = self.config.board.recent_calls
        return BoardView(date=self.store.today().isoformat(), time=local.strftime("%H:%M:%S"),
                         recent=tuple(self.recent_calls(max(listed, calls or 0))),
                         queues=tuple(self.queue_lengths()),
                         receptions=self.todays_receptions())

    def todays_receptions(self) -> tuple[ReceptionLine, ...]:
        """Today's leader receptions (the leader line), read again only when the ``leaders``
        counter moved, the day turned or the minute changed (their times are minutes): building
        that query costs more than the rest of a reload. A room or topic typed before free text
        was checked is made safe to show."""
        key = (self.store.today(), self.store.change_version(LEADERS),
               self.store.now().replace(second=0, microsecond=0))
        read = self._receptions_read
        if read is None or read[0] != key:
            read = self._receptions_read = (key, freetext.shown_in(tuple(self._receptions())))
        return read[1]

    def notice(self, number: str, department: str, window: int | None, kind: str,
               at: datetime, event_id: int) -> CallNotice:
        """A call event (``at`` as stored) as the board shows and speaks it."""
        return CallNotice(event_id=event_id, number=number, department=department,
                          window=window or 0, window_title=self._titles.get(window, ""),
                          kind=kind, at=self.store.local(at).strftime("%H:%M:%S"))
