"""A ticket's status as the public page behind its QR code shows it.

    lookup = PublicLookup(hall.desk)
    status = lookup.status(code)        # PublicStatus, or None: unknown, forged or malformed
    status.state_label, status.ahead, status.window, status.case

Only the query code finds a ticket here, never its number: numbers are counted from 001 each day
and would let anyone walk through the day's tickets; a code is an HMAC only the hall can make.

What it holds is what the hall board shows to everyone, plus the visitor's own place: the ticket's
number and business day, its state, how many wait before it (while it waits), the window (once
called), and once the visit has a case (信访事项) the case's number, state and next due date. No
name, ID number, phone, matter, category or department, for any visit: the department of a 检举控告
visit would say what it is about, and showing departments for the others would make the one page
without one stand out. A confidential case shows nothing at all
(:meth:`hall.desk.codes.QueryCodes.case_of`), exactly as a visit without a case.

Every code takes the same way through :meth:`PublicLookup.status`: a code that cannot be one
(wrong length or characters, a control character, a megabyte of text) is replaced by a probe
that matches nothing, the probe is looked up by the unique index as a real code would be, and the
HMAC of the row found (or of a fixed stand-in ticket when none is) is computed and compared with
the code in constant time. So an unknown, a forged and a malformed code cost the same work and
give the same answer (None), and a genuine one is told apart only by the HMAC.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from models import Ticket

if TYPE_CHECKING:
    from hall.desk.desk import Desk

CODE_SHAPE = re.compile(r"[A-Z2-7]{12}")
"""A query code: 12 characters of base32 (the day's 3, then 9 of the HMAC; or, printed before,
12 of the HMAC)."""
_PROBE = "!" * 12  # no code holds "!": looked up in place of a text that cannot be a code
_STAND_IN = (date(2000, 1, 1), "A000")  # the ticket whose HMAC is computed when none is found
SHOWN_WINDOW = ("called", "serving")
"""The states in which the page names the window the visitor is to go to."""


@dataclass(frozen=True)
class PublicCase:
    """The case of the ticket's visit: number, state and next due date ("" when none)."""

    number: str
    state: str
    state_label: str
    due_on: str


@dataclass(frozen=True)
class PublicStatus:
    """Where a ticket stands, for its holder's phone: nothing personal, no department."""

    number: str
    business_day: str
    state: str  # waiting, called, serving, done, no_show, cancelled
    state_label: str
    ahead: int | None  # waiting tickets called before this one; None once it is not waiting
    window: int | None  # the window to go to, while called or being served
    case: PublicCase | None


def normalise(code: str) -> str:
    """The code as looked up: stripped and upper-cased when it has a code's shape, else the probe
    that matches nothing (so nothing else in the text reaches the database)."""
    text = code.strip().upper() if len(code) <= 64 else ""
    return text if CODE_SHAPE.fullmatch(text) else _PROBE


class PublicLookup:
    """The public page's one read: a ticket's :class:`PublicStatus` by its query code."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.codes = desk.codes

    def find(self, code: str) -> tuple[date, str] | None:
        """(business day, number) of the ticket whose genuine query code ``code`` is, or None;
        the same work for every ``code`` (see the module)."""
        probe = normalise(code)
        row = (Ticket.select(Ticket.business_day, Ticket.number)
               .where(Ticket.query_code == probe).tuples().first())
        day, number = (row[0], row[1]) if row is not None else _STAND_IN
        if isinstance(day, str):  # SQLite hands a date back as text in a tuples() read
            day = date.fromisoformat(day)
        genuine = self.codes.genuine(probe, day, number)
        return (day, number) if genuine and row is not None else None

    def status(self, code: str) -> PublicStatus | None:
        """Where the ticket of query code ``code`` stands, or None for any code not genuine."""
        found = self.find(code)
        if found is None:
            return None
        day, number = found
        ticket = self.desk.ticket_status(number, day)
        case = self.codes.case_of(number, day)
        waiting = ticket.status == "waiting"
        return PublicStatus(
            number=ticket.number, business_day=ticket.business_day, state=ticket.status,
            state_label=ticket.status_label, ahead=ticket.ahead if waiting else None,
            window=ticket.window if ticket.status in SHOWN_WINDOW else None,
            case=PublicCase(case.number, case.state, case.state_label, case.due_on)
            if case is not None else None)
