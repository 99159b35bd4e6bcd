"""Bookings (预约) of reception days: book, waiting list, cancel, reschedule, check in.

    bookings = hall.leaders.bookings
    result = bookings.book(day_id, "11010519491231002X", actor="desk01")  # booked or waitlisted
    bookings.cancel(result.booking.id, actor="desk01")                     # the next one moves up
    ticket = bookings.check_in(booking_id, actor="desk01")                 # a ticket in the room

Capacity holds under concurrency: every act on a day's bookings first locks the day's row
(PostgreSQL ``SELECT … FOR UPDATE``; SQLite ``BEGIN IMMEDIATE`` serialises writers), then counts
and writes in the same transaction, so two desks booking the last place at once get one place
and one waiting-list place.

Check-in issues the ticket through the desk's own transaction (``issue_locked``, the desk's
issue inside a transaction already open, handed over by the facade): the same
numbering, query code, audit and visitor file. Booked visitors are called in booking order before
walk-ins without touching the windows' claim: the ticket's ``priority_rank`` is the booking's
sequence minus :data:`BOOKED_RANK_BASE`, less a step per minute the reception starts before
midnight (:func:`booked_rank`), a negative number, while walk-ins rank 0 and up (their priority
group). Priority groups (elderly first) therefore order only the walk-ins, and in a room with a
morning and an afternoon reception the morning's bookings go before the afternoon's.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import peewee as pw

from hall.accounts import visibility
from hall.clock import to_storage
from hall.desk.registration import (
    CleanRegistration,
    FormError,
    Registration,
    route,
    validate_file,
)
from hall.errors import NotFound, Refused
from hall.leaders.shared import (
    LEADERS,
    LeaderState,
    booking_event,
    count_bookings,
    fill_places,
    set_booking,
)
from hall.leaders.views import (
    ACTIVE_BOOKINGS,
    BOOKING_STATUS,
    DAY_STATUS,
    HOLDS_PLACE,
    BookingEventView,
    BookingView,
    BookResult,
    DayDetail,
    DeskBookings,
)
from hall.text import freetext
from hall.text.documents import ID_CARD, parse_document
from hall.text.freetext import shown_in
from hall.text.masking import mask_id_number, mask_name
from hall.views import IssuedTicket
from models import BookingEvent, LeaderBooking, LeaderDay, Ticket, Visitor

BOOKED_RANK_BASE = 1_000_000
"""A checked-in booking's ticket ranks below ``seq - BOOKED_RANK_BASE`` (negative): before
walk-ins."""


def booked_rank(start: str, seq: int) -> int:
    """The priority rank of a checked-in booking's ticket: negative (before every walk-in), in
    the order of the receptions' start times, then of booking (``seq`` < 1000 per day)."""
    minutes = int(start[:2]) * 60 + int(start[3:5])
    return seq - BOOKED_RANK_BASE - (24 * 60 - minutes) * 1000
_RETRIES = 5
LEADER_TEXTS = {"matter": (freetext.TEXT, False), "reason": (freetext.REASON, True),
                "room": (freetext.PLACE, False), "topic": (freetext.LINE, False)}
"""The texts typed about days, bookings and 包案: (limit, whether line breaks are kept)."""
LEADER_TEXT_LABELS = {"matter": "事由", "reason": "原因", "room": "地点", "topic": "主题"}


def typed_text(key: str, value: str) -> str:
    """One text of :data:`LEADER_TEXTS` cleaned (:mod:`hall.text.freetext`), or
    :class:`FormError` naming it: nothing is written."""
    errors: dict[str, str] = {}
    text = freetext.fields(errors, LEADER_TEXTS, {key: value})[key]
    if errors:
        raise FormError(errors, LEADER_TEXT_LABELS)
    return text

IssueLocked = Callable[[CleanRegistration, str], IssuedTicket]
"""The desk's issue inside the caller's transaction: ``issue_locked(clean, actor)``."""
FileLocked = Callable[[CleanRegistration, str, str], int]
"""The desk's file saved inside the caller's transaction: ``file_locked(clean, actor, act)``,
the visitor's id (:meth:`hall.desk.desk.Desk.save_file_locked`)."""


class Bookings:
    """Booking acts and reads: ``hall.leaders.bookings``."""

    def __init__(self, state: LeaderState, issue_locked: IssueLocked,
                 file_locked: FileLocked) -> None:
        self._state = state
        self._store = state.store
        self._config = state.config
        self._issue_locked = issue_locked
        self._file_locked = file_locked

    # -- reads ----------------------------------------------------------------------------------

    def day_detail(self, day_id: int) -> DayDetail:
        """A day with its bookings: places in booking order, then the waiting list."""
        rows = self._booking_rows(LeaderBooking.day == day_id)
        return DayDetail(self._state.day_view(day_id), tuple(self._booking_views(rows)))

    def get(self, booking_id: int) -> BookingView:
        """One booking, or :class:`NotFound`."""
        rows = self._booking_rows(LeaderBooking.id == booking_id)
        if not rows:
            raise NotFound(f"没有编号为 {booking_id} 的预约")
        return self._booking_views(rows)[0]

    def of(self, id_number: str, since: date | None = None,
           doc_type: str = ID_CARD) -> list[BookingView]:
        """A visitor's bookings of days from ``since`` (default today) on, by date."""
        person = self._state.person(id_number, doc_type)
        rows = self._booking_rows((Visitor.id_number == person.value)
                                  & (Visitor.doc_type == (doc_type or ID_CARD))
                                  & (LeaderDay.date >= (since or self._store.today())))
        return self._booking_views(rows)

    def for_desk(self, id_number: str, doc_type: str = ID_CARD, *, viewer: str) -> DeskBookings:
        """For the desk, as ``viewer`` may see it (audited: :mod:`hall.accounts.visibility`): the
        visitor's coming bookings and the published days to book; the number is of ``doc_type``."""
        person = self._state.person(id_number, doc_type)
        visitor = Visitor.get_or_none((Visitor.doc_type == (doc_type or ID_CARD))
                                      & (Visitor.id_number == person.value))
        bookings = visibility.bookings_for(self._store, viewer, visitor and visitor.id, lambda: (
            self.of(person.value, doc_type=doc_type)))
        days = self._state.day_views(list(LeaderDay.select().where(
            (LeaderDay.date >= self._store.today()) & LeaderDay.status.in_(("published", "held")))
            .order_by(LeaderDay.date, LeaderDay.start, LeaderDay.id)))
        return shown_in(DeskBookings(mask_id_number(person.value), visitor is not None,
                                     visitor.name if visitor else "", tuple(bookings),
                                     tuple(days)))

    def history(self, booking_id: int) -> list[BookingEventView]:
        """What happened to a booking, oldest first (and to the bookings it replaced)."""
        chain: list[int] = []
        current: int | None = booking_id
        while current is not None and current not in chain:
            row = LeaderBooking.get_or_none(LeaderBooking.id == current)
            if row is None:
                break
            chain.append(current)
            current = row.previous_id
        if not chain:
            raise NotFound(f"没有编号为 {booking_id} 的预约")
        events = (BookingEvent.select().where(BookingEvent.booking.in_(chain))
                  .order_by(BookingEvent.at, BookingEvent.id))
        local = self._store.local
        return shown_in([BookingEventView(local(e.at).strftime("%Y-%m-%d %H:%M"), e.actor, e.kind,
                                          e.note) for e in events])

    # -- acts -----------------------------------------------------------------------------------

    def book(self, day_id: int, id_number: str, actor: str, matter: str = "",
             category: str = "", doc_type: str = ID_CARD) -> BookResult:
        """Book a registered visitor into a published day: a place, or the waiting list."""
        person = self._state.person(id_number, doc_type)
        category, matter = self._booking_fields(category, matter)
        with self._store.transaction():
            day = self._locked_bookable(day_id)
            visitor_id = self._state.visitor(person.value, doc_type).id
            return self._booked(day, visitor_id, category, matter, actor)

    def book_form(self, day_id: int, form: Registration, actor: str) -> BookResult:
        """Book from the desk's registration form (or ``hall book --name …``): the visitor's
        file is opened, or updated, as issuing a ticket would (:meth:`Desk.save_file`: a new
        name needs ``form.rename``, the file's history keeps what is replaced), and the day
        booked with the form's category and matter, in one transaction: a refusal writes
        nothing, neither the booking nor the file."""
        clean = validate_file(form, self._config, self._store.today())
        category, matter = self._booking_fields(form.category, form.matter)
        for attempt in range(_RETRIES):
            try:
                with self._store.transaction():
                    day = self._locked_bookable(day_id)
                    visitor_id = self._file_locked(clean, actor, "预约")
                    return self._booked(day, visitor_id, category, matter, actor)
            except pw.IntegrityError:  # two desks opening one new file at once: found now
                if attempt == _RETRIES - 1:
                    raise
        raise AssertionError("unreachable")

    def _locked_bookable(self, day_id: int) -> LeaderDay:
        day = self._state.lock_day(day_id)
        self._check_bookable(day)
        return day

    def _booked(self, day: LeaderDay, visitor_id: int, category: str, matter: str,
                actor: str) -> BookResult:
        """The booking written under the day's lock (inside the caller's transaction)."""
        self._check_no_other(day.id, visitor_id)
        at = to_storage(self._store.now())
        booking_id, status = self._insert_booking(day, visitor_id, category or
                                                  self._default_category(day), matter,
                                                  None, at, actor)
        self._store.audit(actor, f"booking.{status}", "booking", booking_id, at,
                          {"day": day.id, "visitor": visitor_id})
        self._store.bump(LEADERS)
        return BookResult(self.get(booking_id))

    def cancel(self, booking_id: int, actor: str, reason: str = "") -> BookResult:
        """Cancel a booking (kept, with its history); the first on the waiting list moves up."""
        reason = typed_text("reason", reason)
        with self._store.transaction():
            row, day = self._lock_booking(booking_id)
            if row.status not in ("booked", "waitlisted"):
                raise Refused(f"预约 {booking_id} 当前为“{BOOKING_STATUS[row.status]}”，不能取消")
            at = to_storage(self._store.now())
            set_booking(row.id, "cancelled", at, actor, note=reason)
            promoted = self._refill(day, at, actor) if row.status == "booked" else []
            self._store.audit(actor, "booking.cancel", "booking", row.id, at,
                              {"day": day.id, "promoted": promoted})
            self._store.bump(LEADERS)
        return BookResult(self.get(booking_id),
                          self.get(promoted[0]) if promoted else None)

    def reschedule(self, booking_id: int, day_id: int, actor: str) -> BookResult:
        """Move a booking to another day: the old one is kept as 已改约, the new one points back
        to it; a place freed on the old day goes to its waiting list."""
        with self._store.transaction():
            row = LeaderBooking.get_or_none(LeaderBooking.id == booking_id)
            if row is None:
                raise NotFound(f"没有编号为 {booking_id} 的预约")
            if row.day_id == day_id:
                raise Refused("改约的日期与原预约相同")
            # Both days locked, lower id first: two desks moving bookings both ways never
            # wait on each other.
            first, second = sorted((row.day_id, day_id))
            locked = {first: self._state.lock_day(first), second: self._state.lock_day(second)}
            old_day, new_day = locked[row.day_id], locked[day_id]
            row = LeaderBooking.get_by_id(booking_id)  # re-read under the lock
            if row.status not in ("booked", "waitlisted"):
                raise Refused(f"预约 {booking_id} 当前为“{BOOKING_STATUS[row.status]}”，不能改约")
            self._check_bookable(new_day)
            self._check_no_other(new_day.id, row.visitor_id)
            at = to_storage(self._store.now())
            set_booking(row.id, "rescheduled", at, actor,
                              note=f"改约至 {new_day.date}（接待日 {new_day.id}）")
            new_id, status = self._insert_booking(new_day, row.visitor_id, row.category,
                                                  row.matter, row.id, at, actor)
            promoted = self._refill(old_day, at, actor) if row.status == "booked" else []
            self._store.audit(actor, "booking.reschedule", "booking", row.id, at,
                              {"to": new_id, "status": status, "promoted": promoted})
            self._store.bump(LEADERS)
        return BookResult(self.get(new_id), self.get(promoted[0]) if promoted else None)

    def check_in(self, booking_id: int, actor: str) -> IssuedTicket:
        """The booked visitor is here: a ticket in the room's queue, before the walk-ins."""
        for attempt in range(_RETRIES):
            try:
                with self._store.transaction():
                    return self._check_in(booking_id, actor)
            except pw.IntegrityError:
                if attempt == _RETRIES - 1:  # see the desk's issue: a file made meanwhile
                    raise
        raise AssertionError("unreachable")

    def _check_in(self, booking_id: int, actor: str) -> IssuedTicket:
        row, day = self._lock_booking(booking_id)
        if row.status == "checked_in":
            raise Refused(f"预约 {booking_id} 已签到（票号 {row.ticket.number}）")
        if row.status == "waitlisted":
            raise Refused(f"预约 {booking_id} 仍在候补，尚无名额，不能签到")
        if row.status != "booked":
            raise Refused(f"预约 {booking_id} 当前为“{BOOKING_STATUS[row.status]}”，不能签到")
        if day.status not in ("published", "held"):
            raise Refused(f"接待日 {day.id} 当前为“{DAY_STATUS[day.status]}”，不能签到")
        today = self._store.today()
        if day.date != today:
            raise Refused(f"预约的接待日是 {day.date}，今天是 {today}：只能在当天签到")
        visitor = Visitor.get_by_id(row.visitor_id)
        person = parse_document(visitor.doc_type, visitor.id_number, today=today)
        group = self._config.priority_group("appointment")
        label = self._state.labels().get(day.leader, day.leader)
        clean = CleanRegistration(
            name=visitor.name, id=person, category=row.category,
            matter=row.matter or f"领导接待日预约（{label}）",
            phone=visitor.phone, address=visitor.address, district=visitor.district,
            request="", people=1, representatives=(), document_type=visitor.doc_type,
            priority=group.code if group else "", priority_rank=booked_rank(day.start, row.seq),
            suggested_department=route(self._config, row.category, visitor.district)
            or day.department, department=day.department)
        ticket = self._issue_locked(clean, actor)
        at = to_storage(self._store.now())
        LeaderBooking.update(status="checked_in", ticket=ticket.ticket_id, updated_at=at).where(
            LeaderBooking.id == row.id).execute()
        booking_event(row.id, "checked_in", at, actor, note=ticket.number)
        if day.status == "published":
            LeaderDay.update(status="held").where(LeaderDay.id == day.id).execute()
        self._store.audit(actor, "booking.check_in", "booking", row.id, at,
                          {"day": day.id, "ticket": ticket.number})
        self._store.bump(LEADERS)
        return ticket

    # -- helpers --------------------------------------------------------------------------------

    def _booking_fields(self, category: str, matter: str) -> tuple[str, str]:
        category = category.strip()
        if category and self._config.category(category) is None:
            raise Refused(f"未知的诉求类别“{category}”")
        return category, typed_text("matter", matter)

    def _default_category(self, day: LeaderDay) -> str:
        entry = self._state.roster().get(day.leader)
        spec = entry.spec if entry else None
        return (spec.category if spec and spec.category
                else self._config.leader_settings.default_category)

    def _check_bookable(self, day: LeaderDay) -> None:
        if day.status == "cancelled":
            raise Refused(f"接待日 {day.id} 已取消（{day.cancel_reason}），不能预约")
        if day.status == "planned":
            raise Refused(f"接待日 {day.id}（{day.date}）尚未发布，不能预约")
        if day.date < self._store.today():
            raise Refused(f"接待日 {day.id}（{day.date}）已过，不能预约")

    def _check_no_other(self, day_id: int, visitor_id: int) -> None:
        other = LeaderBooking.get_or_none((LeaderBooking.day == day_id)
                                          & (LeaderBooking.visitor == visitor_id)
                                          & LeaderBooking.status.in_(ACTIVE_BOOKINGS))
        if other is not None:
            raise Refused(f"此人在该接待日已有预约（编号 {other.id}，"
                          f"{BOOKING_STATUS[other.status]}），同一天不能预约两次")

    def _insert_booking(self, day: LeaderDay, visitor_id: int, category: str, matter: str,
                        previous: int | None, at: datetime, actor: str) -> tuple[int, str]:
        """Insert under the day's lock: a place while any is free, else the waiting list."""
        status = "booked" if count_bookings(day.id, HOLDS_PLACE) < day.capacity else "waitlisted"
        seq = (LeaderBooking.select(pw.fn.MAX(LeaderBooking.seq))
               .where(LeaderBooking.day == day.id).scalar() or 0) + 1
        row = LeaderBooking.create(day=day.id, visitor=visitor_id, seq=seq, status=status,
                                   category=category, matter=matter, previous=previous,
                                   created_at=at, created_by=actor, updated_at=at)
        booking_event(row.id, status, at, actor,
                      note=f"改约自预约 {previous}" if previous is not None else "")
        return row.id, status

    def _lock_booking(self, booking_id: int) -> tuple[LeaderBooking, LeaderDay]:
        """The booking, read again after locking its day."""
        row = LeaderBooking.get_or_none(LeaderBooking.id == booking_id)
        if row is None:
            raise NotFound(f"没有编号为 {booking_id} 的预约")
        day = self._state.lock_day(row.day_id)
        return LeaderBooking.get_by_id(booking_id), day

    def _refill(self, day: LeaderDay, at: datetime, actor: str) -> list[int]:
        """Free places of ``day`` go to its waiting list, in booking order."""
        return fill_places(day.id, day.capacity - count_bookings(day.id, HOLDS_PLACE), at,
                           actor)

    def _booking_rows(self, where: Any) -> list[LeaderBooking]:
        return list(LeaderBooking.select(LeaderBooking, LeaderDay, Visitor, Ticket)
                    .join(LeaderDay).switch(LeaderBooking).join(Visitor)
                    .switch(LeaderBooking).join(Ticket, pw.JOIN.LEFT_OUTER)
                    .where(where)
                    .order_by(LeaderDay.date, LeaderDay.start, LeaderBooking.seq))

    def _booking_views(self, rows: list[LeaderBooking]) -> list[BookingView]:
        # Waiting-list positions: 1 for the next to move up, per day.
        positions: dict[int, int] = {}
        waiting = [r for r in rows if r.status == "waitlisted"]
        days = {r.day_id for r in waiting}
        for day_id in days:
            ids = (LeaderBooking.select(LeaderBooking.id)
                   .where((LeaderBooking.day == day_id) & (LeaderBooking.status == "waitlisted"))
                   .order_by(LeaderBooking.seq))
            positions.update((r.id, n) for n, r in enumerate(ids, 1))
        order = {"booked": 0, "checked_in": 0, "waitlisted": 1}
        rows = sorted(rows, key=lambda r: (r.day.date, r.day.start, r.day_id,
                                           order.get(r.status, 2), r.seq))
        out = []
        labels = self._state.labels() if rows else {}
        for r in rows:
            day, person = r.day, r.visitor
            out.append(BookingView(
                id=r.id, day_id=day.id, date=str(day.date), leader=day.leader,
                leader_label=labels.get(day.leader, day.leader), start=day.start, end=day.end,
                room=day.room, seq=r.seq, status=r.status,
                status_label=BOOKING_STATUS.get(r.status, r.status),
                waitlist_position=positions.get(r.id, 0), name_masked=mask_name(person.name),
                id_number_masked=mask_id_number(person.id_number), category=r.category,
                matter=r.matter, ticket_number=r.ticket.number if r.ticket_id else "",
                previous_id=r.previous_id,
                created_at=self._store.local(r.created_at).strftime("%Y-%m-%d %H:%M")))
        return shown_in(out)  # stored text made safe for a terminal
