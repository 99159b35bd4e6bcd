"""Leader reception days (领导接待日) and the lawyer seat: days, 包案, walk-ins, the board line.

Part of the :class:`hall.service.Hall` facade (mixed in, with :class:`hall.leader_plan.PlanOps`
for rules and planning and :class:`hall.bookings.BookingOps` for the bookings):

    hall.plan_month(2026, 12, actor="mgr01")        # rules → planned days (holidays moved)
    hall.publish_due(actor="mgr01")                  # planned days within the horizon → published
    day = hall.add_day("zhangwei", date(2026, 12, 3), "09:00", "11:30", 8, actor="mgr01")
    hall.cancel_day(day.id, "领导临时公务", actor="mgr01").notify   # whom the desk must call

A day is planned, then published (bookable; ``leader_settings.publish_days_ahead`` days ahead),
then held (its first visitor checked in), or cancelled with a reason. Every change is one
transaction with its audit event and a bump of the ``leaders`` change counter.
"""

from __future__ import annotations

import uuid
import zlib
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import peewee as pw

from config.leaders import HHMM, Leader
from hall.bookings import BookingOps
from hall.clock import to_storage
from hall.desk.registration import CleanRegistration, FormError
from hall.errors import NotFound, Refused
from hall.leader_plan import LEADERS, PlanOps
from hall.leader_views import (
    DAY_STATUS,
    HOLDS_PLACE,
    CancelResult,
    LeaderDayView,
    NotifyEntry,
    shown_status,
)
from hall.roster import RosterOps
from hall.schedule import month_bounds
from hall.views import CaseSummary, ReceptionLine
from models import (
    LeaderBooking,
    LeaderCase,
    LeaderDay,
    Ticket,
    Visitor,
    is_sqlite,
    write_transaction,
)

if TYPE_CHECKING:
    from config.schema import HallConfig

OPEN = ("published", "held")
_DAY_LOCK = 72740002  # the advisory-lock class of "making a leader's days" (72740001: schema)


class LeaderOps(RosterOps, PlanOps, BookingOps):
    """Reception days and 包案 (with the roster, planning and bookings); mixed into the
    facade."""

    config: HallConfig
    db: pw.Database

    if TYPE_CHECKING:  # provided by Hall
        def now(self) -> datetime: ...
        def today(self) -> date: ...
        def _audit(self, actor: str, action: str, entity: str, entity_id: Any, at: datetime,
                   detail: dict[str, Any]) -> None: ...
        def _bump(self, topic: str) -> None: ...

    # -- days -----------------------------------------------------------------------------------

    def leader_days(self, first: date | None = None, last: date | None = None,
                    leader: str | None = None) -> list[LeaderDayView]:
        """Days between ``first`` and ``last`` (default: this month), by date and time."""
        if first is None:
            first, end = month_bounds(self.today().year, self.today().month)
            last = last or end
        query = LeaderDay.select().where(LeaderDay.date >= first)
        if last is not None:
            query = query.where(LeaderDay.date <= last)
        if leader:
            query = query.where(LeaderDay.leader == leader)
        days = list(query.order_by(LeaderDay.date, LeaderDay.start, LeaderDay.id))
        return self._day_views(days)

    def leader_day(self, day_id: int) -> LeaderDayView:
        """One day, or :class:`NotFound`."""
        return self._day_views([self._day(day_id)])[0]

    def add_day(self, leader: str, on: date, start: str, end: str, capacity: int, actor: str,
                room: str = "", topic: str = "", walk_ins: bool = False) -> LeaderDayView:
        """A one-off day; published at once when it lies within the publishing horizon.

        Raises :class:`FormError` (field → 中文说明) or :class:`NotFound` (the leader).
        """
        spec = self.active_leader(leader)
        errors: dict[str, str] = {}
        today = self.today()
        if on < today:
            errors["date"] = f"日期 {on} 已过（今天是 {today}）"
        start, end = _time(errors, "start", start), _time(errors, "end", end)
        if start and end and end <= start:
            errors["end"] = f"结束时间 {end} 应晚于开始时间 {start}"
        if not isinstance(capacity, int) or not 1 <= capacity <= 500:
            errors["capacity"] = f"名额应为 1 到 500 之间的整数，实际为“{capacity}”"
        room, topic = room.strip(), topic.strip()
        if len(room) > 64:
            errors["room"] = "地点不能超过64个字"
        if len(topic) > 200:
            errors["topic"] = "主题不能超过200个字"
        if errors:
            raise FormError(errors)
        horizon = today + timedelta(days=self.config.leader_settings.publish_days_ahead)
        status = "published" if on <= horizon else "planned"
        with write_transaction(self.db):
            self._lock_leaders([spec.code])
            spec = self.active_leader(spec.code)  # again under the lock: retired meanwhile?
            at = to_storage(self.now())
            clash = LeaderDay.get_or_none((LeaderDay.leader == spec.code) & (LeaderDay.date == on)
                                          & (LeaderDay.status != "cancelled"))
            if clash is not None:
                raise Refused(f"{spec.label} {on} 已有接待日（编号 {clash.id}）")
            day = LeaderDay.create(
                leader=spec.code, department=spec.department, date=on, start=start, end=end,
                room=room or self._room_of(spec), capacity=capacity, topic=topic,
                walk_ins=walk_ins, status=status, origin=f"manual:{uuid.uuid4().hex}",
                created_at=at, created_by=actor,
                published_at=at if status == "published" else None,
                published_by=actor if status == "published" else "")
            self._audit(actor, "leader_day.add", "leader_day", day.id, at,
                        {"leader": spec.code, "date": on, "status": status})
            self._bump(LEADERS)
        return self.leader_day(day.id)

    def edit_day(self, day_id: int, actor: str, *, start: str | None = None,
                 end: str | None = None, capacity: int | None = None, room: str | None = None,
                 topic: str | None = None, walk_ins: bool | None = None) -> LeaderDayView:
        """Change a coming day's time, place, capacity, topic or walk-ins.

        More places move the waiting list up; fewer than are booked is refused.
        """
        with write_transaction(self.db):
            day = self._lock_day(day_id)
            if day.status not in ("planned", "published") or day.date < self.today():
                raise Refused(f"接待日 {day_id} 当前为“{DAY_STATUS[day.status]}”"
                              f"{'（已过）' if day.date < self.today() else ''}，不能修改")
            errors: dict[str, str] = {}
            new_start = _time(errors, "start", start) if start is not None else day.start
            new_end = _time(errors, "end", end) if end is not None else day.end
            if new_start and new_end and new_end <= new_start:
                errors["end"] = f"结束时间 {new_end} 应晚于开始时间 {new_start}"
            taken = self._count(day.id, HOLDS_PLACE)
            if capacity is not None and not 1 <= capacity <= 500:
                errors["capacity"] = f"名额应为 1 到 500 之间的整数，实际为“{capacity}”"
            elif capacity is not None and capacity < taken:
                errors["capacity"] = f"已有 {taken} 人预约，名额不能少于 {taken}"
            if errors:
                raise FormError(errors)
            changes: dict[str, Any] = {"start": new_start, "end": new_end}
            for key, value in (("capacity", capacity), ("walk_ins", walk_ins)):
                if value is not None:
                    changes[key] = value
            for key, text in (("room", room), ("topic", topic)):
                if text is not None:
                    changes[key] = text.strip() or (self._room_of(self.leader_spec(day.leader))
                                                    if key == "room" else "")
            at = to_storage(self.now())
            LeaderDay.update(**changes).where(LeaderDay.id == day_id).execute()
            moved = self._fill_places(day_id, changes.get("capacity", day.capacity) - taken,
                                      at, actor)
            self._audit(actor, "leader_day.edit", "leader_day", day_id, at,
                        {"changes": changes, "promoted": moved})
            self._bump(LEADERS)
        return self.leader_day(day_id)

    def cancel_day(self, day_id: int, reason: str, actor: str) -> CancelResult:
        """Cancel a coming day with a reason; its bookings end and the desk gets the people to
        notify (names and phones in full: the act is audited)."""
        reason = reason.strip()
        if not reason:
            raise Refused("取消接待日须填写原因（将告知已预约的来访人）")
        with write_transaction(self.db):
            day = self._lock_day(day_id)
            if day.status not in ("planned", "published"):
                raise Refused(f"接待日 {day_id} 当前为“{DAY_STATUS[day.status]}”，不能取消")
            if day.date < self.today():
                raise Refused(f"接待日 {day_id}（{day.date}）已过，不能取消")
            at = to_storage(self.now())
            LeaderDay.update(status="cancelled", cancelled_at=at, cancelled_by=actor,
                             cancel_reason=reason).where(LeaderDay.id == day_id).execute()
            rows = list(LeaderBooking.select(LeaderBooking, Visitor).join(Visitor)
                        .where((LeaderBooking.day == day_id)
                               & LeaderBooking.status.in_(("booked", "waitlisted")))
                        .order_by(LeaderBooking.seq))
            notify = []
            for b in rows:
                self._set_booking(b.id, "day_cancelled", at, actor, note=reason)
                notify.append(NotifyEntry(b.id, b.visitor.name, b.visitor.phone, b.status))
            self._audit(actor, "leader_day.cancel", "leader_day", day_id, at,
                        {"reason": reason, "notified": len(notify)})
            self._bump(LEADERS)
        return CancelResult(self.leader_day(day_id), tuple(notify))

    def todays_receptions(self) -> list[ReceptionLine]:
        """Today's open receptions, by time: what the board's leader line announces."""
        rows = list(LeaderDay.select().where((LeaderDay.date == self.today())
                                              & LeaderDay.status.in_(OPEN))
                    .order_by(LeaderDay.start, LeaderDay.id))
        out = []
        roster = self._roster() if rows else {}
        for d in rows:
            entry = roster.get(d.leader)
            spec = entry.spec if entry else None
            out.append(ReceptionLine(spec.label if spec else d.leader,
                                     spec.kind if spec else "leader", d.room, d.start, d.end,
                                     d.topic))
        return out

    # -- 包案 -----------------------------------------------------------------------------------

    def take_case(self, id_number: str, leader: str, matter: str, actor: str,
                  on: date | None = None) -> CaseSummary:
        """Record that a leader takes personal charge (包案) of a registered visitor's matter."""
        spec = self.active_leader(leader)
        person = self._person(id_number)
        matter = matter.strip()
        if not matter:
            raise Refused("包案须写明所包的事项")
        if len(matter) > 2000:
            raise Refused(f"事项不能超过2000个字，现有{len(matter)}个")
        with write_transaction(self.db):
            visitor = self._visitor(person.value)
            at = to_storage(self.now())
            case = LeaderCase.create(visitor=visitor.id, leader=spec.code,
                                     taken_on=on or self.today(), matter=matter, created_at=at,
                                     created_by=actor)
            self._audit(actor, "leader_case.take", "leader_case", case.id, at,
                        {"leader": spec.code, "visitor": visitor.id})
            self._bump(LEADERS)
        return self._case_view(case)

    def cases_of(self, visitor_id: int) -> list[CaseSummary]:
        """A visitor's 包案, newest first."""
        rows = list(LeaderCase.select().where(LeaderCase.visitor == visitor_id)
                    .order_by(LeaderCase.taken_on.desc(), LeaderCase.id.desc()))
        roster = self._roster() if rows else {}
        return [self._case_view(c, roster) for c in rows]

    def _case_view(self, case: LeaderCase, roster: dict[str, Any] | None = None) -> CaseSummary:
        entry = (roster if roster is not None else self._roster()).get(case.leader)
        spec = entry.spec if entry else None
        return CaseSummary(case.id, str(case.taken_on), case.leader,
                           spec.label if spec else case.leader, case.matter)

    # -- walk-ins (called from Hall.issue) ------------------------------------------------------

    def check_walk_in(self, clean: CleanRegistration) -> None:
        """Refuse a desk ticket to a reception department on a day it takes no walk-ins."""
        dept = clean.department
        if dept not in {code for code, _ in self.leader_departments()}:
            return  # every other queue: no reception rule, no extra query on the hot path
        days = list(LeaderDay.select(LeaderDay.walk_ins).where(
            (LeaderDay.date == self.today()) & (LeaderDay.department == dept)
            & LeaderDay.status.in_(OPEN)))
        name = self.config.department(dept).name  # type: ignore[union-attr]
        if not days:
            if dept in self.config.leader_settings.closed_without_day:
                raise FormError({"department": f"“{name}”今天没有接待日，不能取号"})
            return
        if not any(d.walk_ins for d in days):
            raise FormError({"department": f"“{name}”今天只接待预约来访人：请用预约签到（F7）"
                                           "为已预约的来访人签到"})

    # -- helpers --------------------------------------------------------------------------------

    def _room_of(self, leader: Leader) -> str:
        windows = self.config.windows_for(leader.department)
        return leader.room or (windows[0].title if windows else leader.department)

    def _day(self, day_id: int) -> LeaderDay:
        day = LeaderDay.get_or_none(LeaderDay.id == day_id)
        if day is None:
            raise NotFound(f"没有编号为 {day_id} 的接待日")
        return day

    def _lock_leaders(self, codes: list[str]) -> None:
        """Hold, until this transaction ends, the right to make days for these leaders.

        The one-day-per-leader-per-date check reads rows that may not exist yet, so no row lock
        can guard it: on PostgreSQL a transaction-scoped advisory lock keyed by the leader makes
        a second manager's check wait for the first one's day (sorted, so that planning several
        leaders never deadlocks); SQLite's ``BEGIN IMMEDIATE`` already serialises writers.
        """
        if is_sqlite(self.db):
            return
        for code in sorted(set(codes)):
            key = zlib.crc32(code.encode()) - 2**31  # a signed 32-bit key per leader
            self.db.execute_sql("SELECT pg_advisory_xact_lock(%s, %s)", (_DAY_LOCK, key))

    def _lock_day(self, day_id: int) -> LeaderDay:
        """The day's row, locked for this transaction: bookings of one day queue up here
        (SQLite: ``BEGIN IMMEDIATE`` already serialises writers)."""
        query = LeaderDay.select().where(LeaderDay.id == day_id)
        if not is_sqlite(self.db):
            query = query.for_update()
        day = query.first()
        if day is None:
            raise NotFound(f"没有编号为 {day_id} 的接待日")
        return day

    def _walk_ins_called(self, days: list[LeaderDay]) -> set[tuple[str, date]]:
        """(department, date) of these past walk-in days on which the room called someone."""
        if not days:
            return set()
        rows = (Ticket.select(Ticket.department, Ticket.business_day).distinct()
                .where(Ticket.department.in_({d.department for d in days})
                       & Ticket.business_day.in_({d.date for d in days})
                       & Ticket.called_at.is_null(False)).tuples())
        return {(dept, day if isinstance(day, date) else date.fromisoformat(str(day)))
                for dept, day in rows}

    def _day_views(self, days: list[LeaderDay]) -> list[LeaderDayView]:
        counts: dict[tuple[int, str], int] = {}
        if days:
            rows = (LeaderBooking.select(LeaderBooking.day, LeaderBooking.status,
                                         pw.fn.COUNT(LeaderBooking.id))
                    .where(LeaderBooking.day.in_([d.id for d in days]))
                    .group_by(LeaderBooking.day, LeaderBooking.status).tuples())
            counts = {(day_id, status): n for day_id, status, n in rows}
        today = self.today()
        received = self._walk_ins_called([d for d in days if d.status == "published"
                                          and d.date < today and d.walk_ins])
        out = []
        roster = self._roster() if days else {}
        for d in days:
            entry = roster.get(d.leader)
            spec = entry.spec if entry else None
            checked_in = counts.get((d.id, "checked_in"), 0)
            status = shown_status(d.status, d.date, today,
                                  (d.department, d.date) in received)
            out.append(LeaderDayView(
                id=d.id, date=str(d.date), leader=d.leader,
                leader_name=spec.name if spec else d.leader,
                leader_title=spec.title if spec else "",
                kind=spec.kind if spec else "leader", department=d.department, room=d.room,
                start=d.start, end=d.end, capacity=d.capacity,
                booked=counts.get((d.id, "booked"), 0) + checked_in,
                waitlisted=counts.get((d.id, "waitlisted"), 0), checked_in=checked_in,
                topic=d.topic, walk_ins=d.walk_ins, status=status,
                status_label=DAY_STATUS.get(status, status),
                shifted_from=str(d.shifted_from) if d.shifted_from else "",
                calendar_checked=d.calendar_checked, cancel_reason=d.cancel_reason))
        return out


def _time(errors: dict[str, str], key: str, value: str) -> str:
    """A validated HH:MM, or '' with the error recorded."""
    from pydantic import TypeAdapter, ValidationError

    try:
        return TypeAdapter(HHMM).validate_python(value)
    except ValidationError as exc:
        errors[key] = str(exc.errors()[0]["msg"]).removeprefix("Value error, ")
        return ""
