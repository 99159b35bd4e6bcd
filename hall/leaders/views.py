"""Plain results of the reception-day acts (:mod:`hall.leaders`).

Like :mod:`hall.views`: values, not rows, printable with :func:`dataclasses.asdict`. Lists show
visitors masked; only the notification list of a cancelled day, which the desk needs to phone
people, carries names and phone numbers in full (and producing it is audited).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

UNCHECKED = "节假日未核对"
"""The mark of a day planned without its year's holiday data (:mod:`hall.leaders.schedule`)."""
DAY_STATUS = {"planned": "计划", "published": "已发布", "held": "已接待", "cancelled": "已取消",
              "lapsed": "未举行"}
BOOKING_STATUS = {
    "booked": "已预约",
    "waitlisted": "候补",
    "checked_in": "已签到",
    "cancelled": "已取消",
    "rescheduled": "已改约",
    "day_cancelled": "接待日取消",
}
ACTIVE_BOOKINGS = ("booked", "waitlisted", "checked_in")


def shown_status(stored: str, on: date, today: date, received: bool) -> str:
    """The status a day shows, the one rule for every list, export and command.

    A day becomes ``held`` in the database when its first booked visitor checks in. A published
    day whose date has passed without that was held only if the leader's room called a walk-in
    that day (``received``); otherwise it did not take place: ``lapsed`` (未举行), rather than
    "published" forever. Everything else shows as stored.
    """
    if stored == "published" and on < today:
        return "held" if received else "lapsed"
    return stored
HOLDS_PLACE = ("booked", "checked_in")


@dataclass(frozen=True)
class LeaderInfo:
    """A leader (or duty lawyer) of the roster (:mod:`hall.leaders.roster`)."""

    code: str
    name: str
    title: str
    portfolio: str
    kind: str
    department: str
    room: str
    retired: bool = False
    version: int = 0  # 0: as configured; each edit adds one (the editor hands it back)
    configured: bool = True  # False: added from the manager screen or the CLI

    @property
    def label(self) -> str:
        """「张伟副市长」"""
        return f"{self.name}{self.title}"


@dataclass(frozen=True)
class LeaderDayView:
    """A reception day with its fill."""

    id: int
    date: str  # YYYY-MM-DD
    leader: str  # code
    leader_name: str
    leader_title: str
    kind: str
    department: str
    room: str
    start: str
    end: str
    capacity: int
    booked: int  # places taken (booked and checked in)
    waitlisted: int
    checked_in: int
    topic: str
    walk_ins: bool
    status: str
    status_label: str
    shifted_from: str  # the rule's date when the day moved off a holiday, else ''
    calendar_checked: bool
    cancel_reason: str

    @property
    def free(self) -> int:
        """Places still free."""
        return max(0, self.capacity - self.booked)

    @property
    def leader_label(self) -> str:
        """「张伟副市长」"""
        return f"{self.leader_name}{self.leader_title}"

    @property
    def calendar_note(self) -> str:
        """「节假日未核对」 for a day planned without its year's holiday data, else ''."""
        return "" if self.calendar_checked else UNCHECKED


@dataclass(frozen=True)
class BookingView:
    """A booking as staff lists show it; the visitor masked."""

    id: int
    day_id: int
    date: str
    leader: str
    leader_label: str
    start: str
    end: str
    room: str
    seq: int
    status: str
    status_label: str
    waitlist_position: int  # 1 = next to move up; 0 when not waitlisted
    name_masked: str
    id_number_masked: str
    category: str
    matter: str
    ticket_number: str
    previous_id: int | None
    created_at: str  # local YYYY-MM-DD HH:MM


@dataclass(frozen=True)
class BookingEventView:
    """One entry of a booking's history."""

    at: str  # local YYYY-MM-DD HH:MM
    actor: str
    kind: str
    note: str


@dataclass(frozen=True)
class DayDetail:
    """A day and its bookings in booking order (places first, then the waiting list)."""

    day: LeaderDayView
    bookings: tuple[BookingView, ...]


@dataclass(frozen=True)
class BookResult:
    """What a booking act did: the booking, and whoever moved up from the waiting list."""

    booking: BookingView
    promoted: BookingView | None = None


@dataclass(frozen=True)
class NotifyEntry:
    """Someone the desk must tell that a day was cancelled."""

    booking_id: int
    name: str
    phone: str
    status: str  # what they held: booked / waitlisted


@dataclass(frozen=True)
class CancelResult:
    """A cancelled day and whom to notify."""

    day: LeaderDayView
    notify: tuple[NotifyEntry, ...]


@dataclass(frozen=True)
class PlanResult:
    """Days a planning run created, and warnings (a year without holiday data)."""

    created: tuple[LeaderDayView, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class RuleView:
    """A schedule rule: from the configuration (``rule_id`` None) or added by a manager."""

    rule_id: int | None
    origin: str
    leader: str
    leader_label: str
    description: str
    capacity: int
    room: str
    topic: str
    walk_ins: bool


@dataclass(frozen=True)
class DeskBookings:
    """What the desk's booking dialog shows for one ID number."""

    id_number_masked: str
    registered: bool  # False: no file yet, register first
    name: str  # the name on file (the desk sees it anyway), '' when unregistered
    bookings: tuple[BookingView, ...]  # this visitor's bookings from today on
    days: tuple[LeaderDayView, ...]  # published days from today on, bookable
