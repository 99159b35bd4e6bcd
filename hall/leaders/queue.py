"""Whom a visitor in a reception room's queue waits for: the window and ``hall queue`` say it.

    hall.board.queue(["leader"])[0].waits_for    # 「李红 09:00–11:30」

A reception department (the leader's room, the lawyer seat) may hold two receptions on one day, one
after the other (two at once need their own room and queue: :meth:`LeaderState.clash`). A checked-
in booking waits for its own day's leader; a walk-in for the reception on when the ticket was
issued, else the next one that day, else the day's last.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from hall.views import QueueEntry
from models import LeaderBooking, LeaderDay, Ticket

if TYPE_CHECKING:
    from hall.leaders.shared import LeaderState

OPEN = ("published", "held")


def waits_for(state: LeaderState, entries: list[QueueEntry],
              departments: set[str]) -> list[QueueEntry]:
    """``entries`` with ``waits_for`` filled for those in the reception ``departments``."""
    mine = [e for e in entries if e.department in departments]
    if not mine:
        return entries  # every other queue: no query on the hot path
    today = state.store.today()
    days = list(LeaderDay.select().where(
        (LeaderDay.date == today) & LeaderDay.department.in_({e.department for e in mine})
        & LeaderDay.status.in_(OPEN)).order_by(LeaderDay.start, LeaderDay.id))
    if not days:
        return entries
    roster = state.roster()
    names = {code: entry.spec.name for code, entry in roster.items()}
    text = {d.id: f"{names.get(d.leader, d.leader)} {d.start}–{d.end}" for d in days}
    booked = dict(LeaderBooking.select(Ticket.number, LeaderBooking.day)
                  .join(Ticket, on=(LeaderBooking.ticket == Ticket.id))
                  .where((Ticket.business_day == today)
                         & Ticket.number.in_([e.number for e in mine])).tuples())
    out = []
    for e in entries:
        if e.department not in departments:
            out.append(e)
            continue
        day_id = booked.get(e.number)
        if day_id not in text:
            own = [d for d in days if d.department == e.department]
            on = next((d for d in own if d.start <= e.issued_at < d.end), None)
            later = next((d for d in own if d.start > e.issued_at), None)
            chosen = on or later or (own[-1] if own else None)
            day_id = chosen.id if chosen else None
        out.append(replace(e, waits_for=text[day_id]) if day_id in text else e)
    return out
