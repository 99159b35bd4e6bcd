"""Leader reception days (领导接待日) and the lawyer seat: days, 包案, walk-ins, the board line.

The :class:`Leaders` context, ``hall.leaders``; its parts are ``roster``
(:mod:`hall.leaders.roster`), ``plan`` (:mod:`hall.leaders.plan`) and ``bookings``
(:mod:`hall.leaders.bookings`):

    hall.leaders.plan.month(2026, 12, actor="mgr01")  # rules → planned days (holidays moved)
    hall.leaders.plan.publish_due(actor="mgr01")       # planned days in the horizon → published
    day = hall.leaders.add_day("zhangwei", date(2026, 12, 3), "09:00", "11:30", 8, actor="mgr01")
    hall.leaders.cancel_day(day.id, "领导临时公务", actor="mgr01").notify  # whom the desk must call

A day is planned, then published (bookable; ``leader_settings.publish_days_ahead`` days ahead),
then held (its first visitor checked in), or cancelled with a reason. Every change is one
transaction with its audit event and a bump of the ``leaders`` change counter.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from config.leaders import HHMM
from hall.clock import to_storage
from hall.desk.registration import CleanRegistration, FormError
from hall.errors import Refused
from hall.leaders.bookings import (
    LEADER_TEXTS,
    Bookings,
    FileLocked,
    IssueLocked,
    typed_text,
)
from hall.leaders.cases import LeaderCases
from hall.leaders.plan import Plan
from hall.leaders.queue import waits_for
from hall.leaders.roster import Roster
from hall.leaders.schedule import YEARS_AHEAD, last_plannable, month_bounds, working_day
from hall.leaders.shared import (
    LEADERS,
    LeaderState,
    RosterEntry,
    count_bookings,
    fill_places,
    set_booking,
)
from hall.leaders.views import (
    DAY_STATUS,
    HOLDS_PLACE,
    CancelResult,
    LeaderDayView,
    NotifyEntry,
)
from hall.text import freetext
from hall.views import CaseSummary, QueueEntry, ReceptionLine
from models import LeaderBooking, LeaderDay, Visitor

if TYPE_CHECKING:
    from collections.abc import Callable

    from hall.cases import Cases
    from hall.store import Store

OPEN = ("published", "held")


class Leaders:
    """Reception days, 包案 and the walk-in rule: ``hall.leaders``, with its ``roster``,
    ``plan`` and ``bookings`` over one shared state."""

    def __init__(self, store: Store, issue_locked: IssueLocked, file_locked: FileLocked,
                 cases: Callable[[], Cases]) -> None:
        self.state = LeaderState(store)  # shared by the parts; not for adapters
        self._store = store
        self._config = store.config
        self.roster = Roster(self.state)
        self.plan = Plan(self.state)
        self.bookings = Bookings(self.state, issue_locked, file_locked)
        self._led = LeaderCases(self.state, cases)  # 包案, on the case context

    # -- days -----------------------------------------------------------------------------------

    def days(self, first: date | None = None, last: date | None = None,
             leader: str | None = None) -> list[LeaderDayView]:
        """Days between ``first`` and ``last`` (default: this month), by date and time."""
        if first is None:
            today = self._store.today()
            first, end = month_bounds(today.year, today.month)
            last = last or end
        query = LeaderDay.select().where(LeaderDay.date >= first)
        if last is not None:
            query = query.where(LeaderDay.date <= last)
        if leader:
            query = query.where(LeaderDay.leader == leader)
        days = list(query.order_by(LeaderDay.date, LeaderDay.start, LeaderDay.id))
        return self.state.day_views(days)

    def day(self, day_id: int) -> LeaderDayView:
        """One day, or :class:`NotFound`."""
        return self.state.day_view(day_id)

    def add_day(self, leader: str, on: date, start: str, end: str, capacity: int, actor: str,
                room: str = "", topic: str = "", walk_ins: bool = False) -> LeaderDayView:
        """A one-off day; published at once when it lies within the publishing horizon.

        Raises :class:`FormError` (field → 中文说明) or :class:`NotFound` (the leader).
        """
        self._store.permit(actor, "leader.day")
        spec = self.state.active(leader)
        errors: dict[str, str] = {}
        today = self._store.today()
        if on < today:
            errors["date"] = f"日期 {on} 已过（今天是 {today}）"
        elif on > last_plannable(today):
            errors["date"] = (f"日期 {on} 过远：接待日最多排到 {last_plannable(today)}"
                              f"（{YEARS_AHEAD} 年内）")
        start, end = _time(errors, "start", start), _time(errors, "end", end)
        if start and end and end <= start:
            errors["end"] = f"结束时间 {end} 应晚于开始时间 {start}"
        if not isinstance(capacity, int) or not 1 <= capacity <= 500:
            errors["capacity"] = f"名额应为 1 到 500 之间的整数，实际为“{capacity}”"
        room, topic = freetext.fields(errors, LEADER_TEXTS, {"room": room, "topic": topic}).values()
        if errors:
            raise FormError(errors)
        horizon = today + timedelta(days=self._config.leader_settings.publish_days_ahead)
        status = "published" if on <= horizon else "planned"
        with self._store.transaction():
            self.state.lock_month([spec.code], on)
            spec = self.state.active(spec.code)  # again under the lock: retired meanwhile?
            at = to_storage(self._store.now())
            clash = LeaderDay.get_or_none((LeaderDay.leader == spec.code) & (LeaderDay.date == on)
                                          & (LeaderDay.status != "cancelled"))
            if clash is not None:
                raise Refused(f"{spec.label} {on} 已有接待日（编号 {clash.id}）")
            room = room or self.state.room_of(spec)
            errors = self.state.clash(on, start, end, room, spec.department)
            if errors:
                raise FormError(errors)
            day = LeaderDay.create(
                leader=spec.code, department=spec.department, date=on, start=start, end=end,
                room=room, capacity=capacity, topic=topic,
                walk_ins=walk_ins, status=status, origin=f"manual:{uuid.uuid4().hex}",
                calendar_checked=working_day(on)[1], created_at=at, created_by=actor,
                published_at=at if status == "published" else None,
                published_by=actor if status == "published" else "")
            self._store.audit(actor, "leader_day.add", "leader_day", day.id, at,
                              {"leader": spec.code, "date": on, "status": status})
            self._store.bump(LEADERS)
        return self.day(day.id)

    def edit_day(self, day_id: int, actor: str, *, start: str | None = None,
                 end: str | None = None, capacity: int | None = None, room: str | None = None,
                 topic: str | None = None, walk_ins: bool | None = None) -> LeaderDayView:
        """Change a coming day's time, place, capacity, topic or walk-ins.

        More places move the waiting list up; fewer than are booked is refused.
        """
        self._store.permit(actor, "leader.day")
        with self._store.transaction():
            day = self.state.lock_day(day_id)
            past = day.date < self._store.today()
            if day.status not in ("planned", "published") or past:
                raise Refused(f"接待日 {day_id} 当前为“{DAY_STATUS[day.status]}”"
                              f"{'（已过）' if past else ''}，不能修改")
            errors: dict[str, str] = {}
            new_start = _time(errors, "start", start) if start is not None else day.start
            new_end = _time(errors, "end", end) if end is not None else day.end
            if new_start and new_end and new_end <= new_start:
                errors["end"] = f"结束时间 {new_end} 应晚于开始时间 {new_start}"
            taken = count_bookings(day.id, HOLDS_PLACE)
            if capacity is not None and not 1 <= capacity <= 500:
                errors["capacity"] = f"名额应为 1 到 500 之间的整数，实际为“{capacity}”"
            elif capacity is not None and capacity < taken:
                errors["capacity"] = f"已有 {taken} 人预约，名额不能少于 {taken}"
            texts = {k: v for k, v in (("room", room), ("topic", topic)) if v is not None}
            texts = freetext.fields(errors, LEADER_TEXTS, texts)
            if errors:
                raise FormError(errors)
            changes: dict[str, Any] = {"start": new_start, "end": new_end}
            for key, value in (("capacity", capacity), ("walk_ins", walk_ins)):
                if value is not None:
                    changes[key] = value
            for key, text in texts.items():
                changes[key] = text or (
                    self.state.room_of(self.roster.spec(day.leader)) if key == "room" else "")
            self.state.lock_month([], day.date)
            errors = self.state.clash(day.date, new_start, new_end, changes.get("room", day.room),
                                      day.department, ignore=day.id)
            if errors:
                raise FormError(errors)
            at = to_storage(self._store.now())
            LeaderDay.update(**changes).where(LeaderDay.id == day_id).execute()
            moved = fill_places(day_id, changes.get("capacity", day.capacity) - taken, at, actor)
            self._store.audit(actor, "leader_day.edit", "leader_day", day_id, at,
                              {"changes": changes, "promoted": moved})
            self._store.bump(LEADERS)
        return self.day(day_id)

    def cancel_day(self, day_id: int, reason: str, actor: str) -> CancelResult:
        """Cancel a coming day with a reason; its bookings end and the desk gets the people to
        notify (names and phones in full: the act is audited)."""
        self._store.permit(actor, "leader.day")
        if not reason.strip():
            raise Refused("取消接待日须填写原因（将告知已预约的来访人）")
        reason = typed_text("reason", reason)
        with self._store.transaction():
            day = self.state.lock_day(day_id)
            if day.status not in ("planned", "published"):
                raise Refused(f"接待日 {day_id} 当前为“{DAY_STATUS[day.status]}”，不能取消")
            if day.date < self._store.today():
                raise Refused(f"接待日 {day_id}（{day.date}）已过，不能取消")
            at = to_storage(self._store.now())
            LeaderDay.update(status="cancelled", cancelled_at=at, cancelled_by=actor,
                             cancel_reason=reason).where(LeaderDay.id == day_id).execute()
            rows = list(LeaderBooking.select(LeaderBooking, Visitor).join(Visitor)
                        .where((LeaderBooking.day == day_id)
                               & LeaderBooking.status.in_(("booked", "waitlisted")))
                        .order_by(LeaderBooking.seq))
            notify = []
            for b in rows:
                set_booking(b.id, "day_cancelled", at, actor, note=reason)
                notify.append(NotifyEntry(b.id, b.visitor.name, b.visitor.phone, b.status))
            self._store.audit(actor, "leader_day.cancel", "leader_day", day_id, at,
                              {"reason": reason, "notified": len(notify)})
            self._store.bump(LEADERS)
        return CancelResult(self.day(day_id), tuple(notify))

    def todays_receptions(self) -> list[ReceptionLine]:
        """What the board's leader line announces: today's open receptions by time, each marked
        ``ended`` once its end time has passed; and when every one of a kind (leader, lawyer)
        has ended, that kind's next published reception (its ``date`` a later day)."""
        today, clock = self._store.today(), self._clock()
        rows = list(LeaderDay.select().where((LeaderDay.date == today)
                                             & LeaderDay.status.in_(OPEN))
                    .order_by(LeaderDay.start, LeaderDay.id))
        roster = self.state.roster() if rows else {}
        out = [self._line(d, roster, ended=d.end <= clock) for d in rows]
        over = {r.kind for r in out} - {r.kind for r in out if not r.ended}
        if over:
            later = (LeaderDay.select().where((LeaderDay.date > today)
                                              & (LeaderDay.status == "published"))
                     .order_by(LeaderDay.date, LeaderDay.start, LeaderDay.id).limit(50))
            for d in later:
                line = self._line(d, roster, ended=False)
                if line.kind in over:
                    out.append(line)
                    over.discard(line.kind)
        return out

    def _clock(self) -> str:
        """The hall's time of day, "HH:MM", to compare with a reception's start and end."""
        local = self._store.now().astimezone(self._store.tz)
        # After midnight, before the rollover hour, the business day is still yesterday's.
        return "24:00" if local.date() > self._store.today() else local.strftime("%H:%M")

    def _line(self, d: LeaderDay, roster: dict[str, RosterEntry], ended: bool) -> ReceptionLine:
        entry = roster.get(d.leader)
        spec = entry.spec if entry else None
        return ReceptionLine(spec.label if spec else d.leader, spec.kind if spec else "leader",
                             d.room, d.start, d.end, d.topic, ended, str(d.date))

    def waits_for(self, entries: list[QueueEntry]) -> list[QueueEntry]:
        """Queue entries with whom each visitor of a reception room waits for (the board's
        queue, so the window and ``hall queue``, call it)."""
        return waits_for(self.state, entries, {code for code, _ in self.roster.departments()})

    # -- 包案 -----------------------------------------------------------------------------------

    def take_case(self, id_number: str, leader: str, matter: str, actor: str, *,
                  category: str = "", case: str | int = "") -> CaseSummary:
        """A leader takes personal charge (包案) of a registered visitor's matter: a new case
        with the leader in charge, or (``case``) the visitor's open case (see
        :mod:`hall.leaders.cases`). Permitted for managers and the leader's own room."""
        return self._led.take(id_number, leader, matter, actor, category=category, case=case)

    def cases_of(self, visitor_id: int) -> list[CaseSummary]:
        """A visitor's 包案, newest first: cases with a leader, and the older records."""
        return self._led.of_visitor(visitor_id)

    # -- walk-ins (the desk asks before it issues) ---------------------------------------------

    def check_walk_in(self, clean: CleanRegistration) -> None:
        """Refuse a desk ticket to a reception department on a day it takes no walk-ins.

        A department of ``leader_settings.closed_without_day`` with no reception today, or
        whose last reception of today has ended, is closed: :class:`ClosedToday` names its next
        day (and, when that day is bookable, its id, which the desk's booking dialog opens on).
        A booked visitor's check-in is not a walk-in: it stays open all the day of the booking.
        """
        refusal = self._refusal(clean.department, transfer=False)
        if refusal is not None:
            raise refusal

    def check_transfer(self, department: str) -> None:
        """Refuse a window's transfer (转办) into a reception department that the desk would
        refuse a walk-in now, with the desk's words (the next day): :class:`Refused`."""
        refusal = self._refusal(department, transfer=True)
        if refusal is not None:
            raise Refused(refusal.errors["department"])

    def _refusal(self, dept: str, transfer: bool) -> FormError | None:
        if dept not in {code for code, _ in self.roster.departments()}:
            return None  # every other queue: no reception rule, no extra query on the hot path
        days = list(LeaderDay.select(LeaderDay.walk_ins, LeaderDay.end).where(
            (LeaderDay.date == self._store.today()) & (LeaderDay.department == dept)
            & LeaderDay.status.in_(OPEN)))
        name = self._config.department(dept).name  # type: ignore[union-attr]
        clock = self._clock() if days else ""
        ended = max((d.end for d in days), default="")
        days = [d for d in days if d.end > clock]  # after the last one ends: as if none
        if not days:
            if dept in self._config.leader_settings.closed_without_day:
                return self._closed(dept, name, ended, transfer)
            return None
        if not any(d.walk_ins for d in days):
            then = ("不能转入；已预约的来访人请到登记台签到" if transfer
                    else "请用预约签到（F7）为已预约的来访人签到")
            return FormError({"department": f"“{name}”今天只接待预约来访人：{then}"})
        return None

    def next_day(self, department: str) -> LeaderDayView | None:
        """The department's next reception after today (planned or published), or None."""
        row = (LeaderDay.select().where(
            (LeaderDay.department == department) & (LeaderDay.date > self._store.today())
            & LeaderDay.status.in_(("planned", "published")))
            .order_by(LeaderDay.date, LeaderDay.start, LeaderDay.id).first())
        return self.state.day_view(row.id) if row is not None else None

    def _closed(self, dept: str, name: str, ended: str, transfer: bool) -> ClosedToday:
        lawyer = any(e.spec.kind == "lawyer" and e.spec.department == dept
                     for e in self.state.roster().values())
        what, next_what = ("值班律师", "值班") if lawyer else ("领导接待", "接待")
        act = "不能转入" if transfer else "不能取号"
        closed = (f"“{name}”今天的{'律师值班' if lawyer else '领导接待'}已于 {ended} 结束，{act}"
                  if ended else f"“{name}”今天没有{what}，{act}")
        nxt = self.next_day(dept)
        if nxt is None:
            return ClosedToday(f"{closed}；近期尚未安排{next_what}日，请改选其他部门，"
                               "或请来访人留下电话待安排后通知", None)
        on = date.fromisoformat(nxt.date)
        when = (f"{on.month}月{on.day}日（周{'一二三四五六日'[on.weekday()]}）"
                f"{nxt.start}–{nxt.end} {nxt.leader_label}{'，' + nxt.topic if nxt.topic else ''}")
        if nxt.status != "published":
            return ClosedToday(f"{closed}。下次{next_what}：{when}（尚未发布，发布后可预约）", None)
        where = "请来访人到登记台" if transfer else "按 F7 为来访人"
        offer = (f"，余{nxt.free}个名额：{where}预约该日" if nxt.free
                 else f"，名额已满：{where}排候补")
        return ClosedToday(f"{closed}。下次{next_what}：{when}{offer}", nxt.id)


class ClosedToday(FormError):
    """A reception department without a reception today: the next day, and its id when it can
    be booked (the desk opens its booking dialog on it)."""

    def __init__(self, message: str, day_id: int | None) -> None:
        super().__init__({"department": message})
        self.day_id = day_id


def _time(errors: dict[str, str], key: str, value: str) -> str:
    """A validated HH:MM, or '' with the error recorded."""
    from pydantic import TypeAdapter, ValidationError

    try:
        return TypeAdapter(HHMM).validate_python(value)
    except ValidationError as exc:
        errors[key] = str(exc.errors()[0]["msg"]).removeprefix("Value error, ")
        return ""
