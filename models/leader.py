"""Leader reception days (领导接待日): rules, days, bookings (预约) with their history, 包案.

Nothing here is ever deleted: a cancelled day keeps its row with the reason, a cancelled or
rescheduled booking keeps its row and its events, and a rescheduled booking points back to the
booking it replaced. Leaders themselves are configuration (``config/leaders.py``); tables refer
to them by code.
"""

from __future__ import annotations

import peewee as pw

from models.base import BaseModel
from models.ticket import Ticket
from models.visitor import Visitor


class LeaderRule(BaseModel):
    """A schedule rule added by a manager (the configuration holds the standing ones).

    A rule is never edited: it is retired (``active`` false) and a new one added, so the days it
    planned keep pointing at what planned them.
    """

    leader = pw.CharField(max_length=32)
    every = pw.CharField(max_length=8)  # month / week / quarter
    days = pw.CharField(max_length=100, default="")  # "1,15"
    weekday = pw.IntegerField(null=True)  # 1 Monday … 7 Sunday
    quarter_month = pw.IntegerField(default=1)
    start = pw.CharField(max_length=5)  # HH:MM, local
    end = pw.CharField(max_length=5)
    capacity = pw.IntegerField()
    room = pw.CharField(max_length=64, default="")
    topic = pw.CharField(max_length=200, default="")
    walk_ins = pw.BooleanField(default=False)
    active = pw.BooleanField(default=True)
    created_at = pw.DateTimeField()
    created_by = pw.CharField(max_length=32)
    retired_at = pw.DateTimeField(null=True)
    retired_by = pw.CharField(max_length=32, default="")


class LeaderDay(BaseModel):
    """One reception: a leader, a date, a room, a time range, a capacity; planned → published
    → held, or cancelled with a reason."""

    leader = pw.CharField(max_length=32)
    department = pw.CharField(max_length=32)  # the queue checked-in visitors join
    date = pw.DateField()
    start = pw.CharField(max_length=5)
    end = pw.CharField(max_length=5)
    room = pw.CharField(max_length=64)
    capacity = pw.IntegerField()
    topic = pw.CharField(max_length=200, default="")
    walk_ins = pw.BooleanField(default=False)
    status = pw.CharField(max_length=16, default="planned")
    # What made it: "cfg:<leader>:<n>" (a configured rule), "rule:<id>", or "manual:<uuid>".
    origin = pw.CharField(max_length=64)
    shifted_from = pw.DateField(null=True)  # the rule's date when it fell on a day off
    calendar_checked = pw.BooleanField(default=True)  # False: no holiday data for that year
    created_at = pw.DateTimeField()
    created_by = pw.CharField(max_length=32)
    published_at = pw.DateTimeField(null=True)
    published_by = pw.CharField(max_length=32, default="")
    cancelled_at = pw.DateTimeField(null=True)
    cancelled_by = pw.CharField(max_length=32, default="")
    cancel_reason = pw.TextField(default="")

    class Meta:
        indexes = (
            (("date", "leader"), False),
            # Planning a month twice (or on two terminals at once) makes each day once.
            (("leader", "date", "origin"), True),
        )


class LeaderBooking(BaseModel):
    """A visitor's place (or waiting-list place) on a day.

    ``seq`` is the booking order within the day (1, 2, …): places go, and checked-in visitors
    are called, in that order. Status: booked, waitlisted, checked_in, cancelled, rescheduled,
    day_cancelled.
    """

    day = pw.ForeignKeyField(LeaderDay, backref="bookings", on_delete="RESTRICT")
    visitor = pw.ForeignKeyField(Visitor, backref="bookings", on_delete="RESTRICT")
    seq = pw.IntegerField()
    status = pw.CharField(max_length=16)
    category = pw.CharField(max_length=32)
    matter = pw.TextField(default="")
    previous = pw.ForeignKeyField("self", null=True, backref="next", on_delete="RESTRICT")
    ticket = pw.ForeignKeyField(Ticket, null=True, on_delete="RESTRICT")
    created_at = pw.DateTimeField()
    created_by = pw.CharField(max_length=32)
    updated_at = pw.DateTimeField()

    class Meta:
        indexes = (
            (("day", "seq"), True),
            (("visitor", "day"), False),
        )


class BookingEvent(BaseModel):
    """Something that happened to a booking (booked, waitlisted, promoted, cancelled, …)."""

    booking = pw.ForeignKeyField(LeaderBooking, backref="events", on_delete="RESTRICT")
    at = pw.DateTimeField()
    actor = pw.CharField(max_length=32)
    kind = pw.CharField(max_length=16)
    note = pw.TextField(default="")


class LeaderCase(BaseModel):
    """包案: a leader takes personal charge of a visitor's matter."""

    visitor = pw.ForeignKeyField(Visitor, backref="leader_cases", on_delete="RESTRICT")
    leader = pw.CharField(max_length=32)
    taken_on = pw.DateField()
    matter = pw.TextField()
    created_at = pw.DateTimeField()
    created_by = pw.CharField(max_length=32)


LEADER_MODELS: list[type[BaseModel]] = [LeaderRule, LeaderDay, LeaderBooking, BookingEvent,
                                        LeaderCase]
