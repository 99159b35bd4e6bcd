"""What the parts of the leaders' context share: the Store, the roster as read, days and places.

:class:`LeaderState` is made once per :class:`hall.leaders.Leaders` and handed to its parts (the
roster, the plan, the bookings), so each reads the roster, locks a day and builds a day's view the
same way. Nothing here is public API: adapters call the parts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import peewee as pw

from config.leaders import Leader
from hall.errors import NotFound, Refused
from hall.leaders.views import DAY_STATUS, LeaderDayView, shown_status
from hall.text.documents import ID_CARD, Document, document_type, parse_document
from hall.text.freetext import shown_in
from hall.text.idnumber import IdNumber, IdNumberError
from hall.text.masking import mask_id_number
from models import BookingEvent, LeaderBooking, LeaderDay, LeaderProfile, Ticket, Visitor
from models.locks import lock_leader_days, locked_leader_day

if TYPE_CHECKING:
    from hall.store import Store

LEADERS = "leaders"
"""The change-counter topic of the roster, rules, days and bookings."""


@dataclass(frozen=True)
class RosterEntry:
    """One leader of the effective roster."""

    spec: Leader
    retired: bool
    version: int  # 0: as configured, never edited
    configured: bool


class LeaderState:
    """The Store and the reads and locks every part of the leaders' context shares."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.config = store.config
        self.db = store.db

    # -- the roster -----------------------------------------------------------------------------

    def roster(self) -> dict[str, RosterEntry]:
        """Configured leaders overlaid with their latest stored version, then the added ones.

        One read of a small table (a few rows per leader ever edited), as plain tuples: every
        calendar, list and board poll pays it (see benchmarks/bench_roster.py).
        """
        latest: dict[str, tuple[Any, ...]] = {}
        for row in (LeaderProfile.select(
                LeaderProfile.code, LeaderProfile.version, LeaderProfile.name,
                LeaderProfile.title, LeaderProfile.portfolio, LeaderProfile.kind,
                LeaderProfile.department, LeaderProfile.retired)
                .order_by(LeaderProfile.id).tuples()):
            if row[0] not in latest or row[1] > latest[row[0]][1]:
                latest[row[0]] = row
        roster = {x.code: RosterEntry(x, False, 0, True) for x in self.config.leaders}
        for code, version, name, title, portfolio, kind, department, retired in latest.values():
            fields = {"name": name, "title": title, "portfolio": portfolio, "kind": kind,
                      "department": department}
            base = roster.get(code)
            if base is not None:
                spec = base.spec.model_copy(update=fields)
            else:
                spec = Leader.model_construct(code=code, room="", category=None, rules=[],
                                              **fields)
            roster[code] = RosterEntry(spec, bool(retired), version, base is not None)
        return roster

    def entry(self, code: str, roster: dict[str, RosterEntry]) -> RosterEntry:
        """The roster's entry of ``code``, or :class:`NotFound` naming the valid codes."""
        entry = roster.get(code.strip())
        if entry is None:
            valid = "、".join(f"{c}（{e.spec.label}）" for c, e in roster.items()
                             if not e.retired) or "无"
            raise NotFound(f"未知的领导“{code}”，应为：{valid}")
        return entry

    def active(self, code: str) -> Leader:
        """The leader, refused when retired: what new days, rules and 包案 are checked by."""
        entry = self.entry(code, self.roster())
        if entry.retired:
            raise Refused(f"{entry.spec.label}（{entry.spec.code}）已停用：不能再安排接待日、"
                          "规则或包案（可在领导名册中恢复）")
        return entry.spec

    def labels(self) -> dict[str, str]:
        """Leader code → 「张伟副市长」, retired ones too."""
        return {code: entry.spec.label for code, entry in self.roster().items()}

    def room_of(self, leader: Leader) -> str:
        windows = self.config.windows_for(leader.department)
        return leader.room or (windows[0].title if windows else leader.department)

    def lock_leaders(self, codes: list[str]) -> None:
        """Hold, until this transaction ends, the right to make days for these leaders."""
        lock_leader_days(self.db, codes)

    def lock_month(self, codes: list[str], on: date) -> None:
        """The leaders' locks and the month's: whoever makes or moves a day in that month waits
        here, so two managers cannot put two receptions in one room at once."""
        lock_leader_days(self.db, [*codes, f"month:{on:%Y-%m}"])

    # -- days -----------------------------------------------------------------------------------

    def clash(self, on: date, start: str, end: str, room: str, department: str,
              ignore: int | None = None) -> dict[str, str]:
        """Why a reception at this time and place cannot be, naming the other one, or {}.

        Two receptions of one day whose times overlap need their own room and their own queue
        (a department: the window that calls its visitors). In the same room they would sit
        together; in the same queue one leader's window would call the other's visitors.
        """
        query = LeaderDay.select().where(
            (LeaderDay.date == on) & (LeaderDay.status != "cancelled")
            & (LeaderDay.start < end) & (LeaderDay.end > start)
            & ((LeaderDay.room == room) | (LeaderDay.department == department)))
        if ignore is not None:
            query = query.where(LeaderDay.id != ignore)
        other = query.order_by(LeaderDay.start, LeaderDay.id).first()
        if other is None:
            return {}
        label = self.labels().get(other.leader, other.leader)
        what = (f"与接待日 {other.id}（{label} {other.start}–{other.end} {other.room}）时间重叠")
        if other.room == room:
            return {"room": f"“{room}” {on} {what}：同一接待室同一时间只能安排一场，"
                            "请改时间或地点"}
        queue = self.config.department(department)
        name = queue.name if queue else department
        return {"start": f"{what}，两场同用“{name}”的叫号队列：请改时间；"
                         "两场同时接待须各有接待室和窗口（在配置中为另一接待室设部门和窗口）"}

    def day_row(self, day_id: int) -> LeaderDay:
        day = LeaderDay.get_or_none(LeaderDay.id == day_id)
        if day is None:
            raise NotFound(f"没有编号为 {day_id} 的接待日")
        return day

    def lock_day(self, day_id: int) -> LeaderDay:
        """The day's row, locked for this transaction: bookings of one day queue up here."""
        day = locked_leader_day(self.db, day_id)
        if day is None:
            raise NotFound(f"没有编号为 {day_id} 的接待日")
        return day

    def day_view(self, day_id: int) -> LeaderDayView:
        """One day, or :class:`NotFound`."""
        return self.day_views([self.day_row(day_id)])[0]

    def day_views(self, days: list[LeaderDay]) -> list[LeaderDayView]:
        counts: dict[tuple[int, str], int] = {}
        if days:
            rows = (LeaderBooking.select(LeaderBooking.day, LeaderBooking.status,
                                         pw.fn.COUNT(LeaderBooking.id))
                    .where(LeaderBooking.day.in_([d.id for d in days]))
                    .group_by(LeaderBooking.day, LeaderBooking.status).tuples())
            counts = {(day_id, status): n for day_id, status, n in rows}
        today = self.store.today()
        received = _walk_ins_called([d for d in days if d.status == "published"
                                     and d.date < today and d.walk_ins])
        out = []
        roster = self.roster() if days else {}
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
        return shown_in(out)  # a room, topic or reason stored before text was checked: safe

    # -- visitors -------------------------------------------------------------------------------

    def person(self, id_number: str, doc_type: str = ID_CARD) -> IdNumber | Document:
        """The visitor's document number, validated as its type (the mainland ID card unless
        told: a passport holder is looked up by passport number)."""
        try:
            return parse_document(doc_type, id_number, today=self.store.today())
        except IdNumberError as exc:
            raise Refused(f"{_doc_name(doc_type)}有误：{exc.message}") from None

    def visitor(self, id_number: str, doc_type: str = ID_CARD) -> Visitor:
        visitor = Visitor.get_or_none((Visitor.doc_type == (doc_type or ID_CARD))
                                      & (Visitor.id_number == id_number))
        if visitor is None:
            raise NotFound(f"{_doc_name(doc_type)} {mask_id_number(id_number)} 没有登记档案："
                           "请先在登记分流台登记后再预约")
        return visitor


def _doc_name(doc_type: str) -> str:
    spec = document_type(doc_type or ID_CARD)
    return "身份证号" if spec is None or spec.code == ID_CARD else spec.short


# -- places of a day (under the day's lock, inside the caller's transaction) ----------------------

def count_bookings(day_id: int, statuses: tuple[str, ...]) -> int:
    return (LeaderBooking.select().where((LeaderBooking.day == day_id)
                                         & LeaderBooking.status.in_(statuses)).count())


def fill_places(day_id: int, free: int, at: datetime, actor: str) -> list[int]:
    """The first ``free`` of the day's waiting list move up, in booking order."""
    if free <= 0:
        return []
    rows = (LeaderBooking.select(LeaderBooking.id)
            .where((LeaderBooking.day == day_id) & (LeaderBooking.status == "waitlisted"))
            .order_by(LeaderBooking.seq).limit(free))
    moved = [r.id for r in rows]
    for booking_id in moved:
        set_booking(booking_id, "booked", at, actor, kind="promoted", note="候补递补")
    return moved


def set_booking(booking_id: int, status: str, at: datetime, actor: str, kind: str = "",
                note: str = "") -> None:
    LeaderBooking.update(status=status, updated_at=at).where(
        LeaderBooking.id == booking_id).execute()
    booking_event(booking_id, kind or status, at, actor, note)


def booking_event(booking_id: int, kind: str, at: datetime, actor: str, note: str = "") -> None:
    BookingEvent.create(booking=booking_id, at=at, actor=actor, kind=kind, note=note)


def _walk_ins_called(days: list[LeaderDay]) -> set[tuple[str, date]]:
    """(department, date) of these past walk-in days on which the room called someone."""
    if not days:
        return set()
    rows = (Ticket.select(Ticket.department, Ticket.business_day).distinct()
            .where(Ticket.department.in_({d.department for d in days})
                   & Ticket.business_day.in_({d.date for d in days})
                   & Ticket.called_at.is_null(False)).tuples())
    return {(dept, day if isinstance(day, date) else date.fromisoformat(str(day)))
            for dept, day in rows}
