"""Query codes (查询码) and finding a ticket by code or by number.

    codes = QueryCodes(store)
    codes.code(date(2026, 12, 3), "R001")     # the day in 3 characters, 9 of an HMAC (the secret)
    codes.find("R001")                        # today's R001, or NotFound
    codes.find("ABCDEFGHJKMN")                # by the code printed on the slip
    codes.find("https://x.gov.cn/cx?code=ABCDEFGHJKMN")   # by what the QR code carries

The secret is made once per database (the ``setting`` table) and never leaves it: a code can only
come from this hall, so guessing one is no way to read someone's ticket.

A code begins with its day (3 characters, in an order that sorts by day), so the unique index on
``ticket.query_code`` takes each new code at its end, next to the day's others: with random codes
every issue wrote into a random page of an index that grows by a million entries every few years,
and once it no longer stayed in memory an issue waited for the disk (``benchmarks/bench_scale.py``).
Codes printed before (12 characters of the HMAC) still find their tickets.

Once a case (信访事项) exists for the ticket's visit, :meth:`QueryCodes.case_of` says where it
stands (its number, state and next due date; issue 12) for the same lookup: no personal data, and
nothing at all for a confidential case (检举控告), whose lookup shows what it showed before.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import string
from base64 import b32encode
from datetime import date, datetime
from typing import NamedTuple

from hall.errors import NotFound
from hall.store import Store
from hall.text.freetext import shown
from models import Case, CaseVisit, Setting, Ticket

_NUMBER = re.compile(r"([A-Z]{1,2})(\d{3,6})")
"""A ticket number: prefix and 3 digits, more past 999 a day (R10000); never as long as a code."""
_DAY_DIGITS = "234567ABCDEFGHIJKLMNOPQRSTUVWXYZ"
"""Base32's characters in sorting order: the day's 3 characters sort as the days do."""
_EPOCH = date(2000, 1, 1)  # 32**3 days from here: until 2089
CASE_STATES = {"pending": "待受理", "accepted": "已受理", "handling": "办理中",
               "replied": "已答复", "followed": "已回访", "closed": "办结",
               "rejected": "不予受理", "not_again": "不再受理"}
"""A case's state → its name, as :data:`hall.cases.states.STATES` says (a test keeps them
equal): a kiosk's lookup does not import the case context, which costs it some 200 ms (pydantic
and the holiday calendar)."""
_FIELDS = {"code": r"[A-Za-z0-9]+", "number": r"[A-Za-z]{1,2}\d{3,6}", "date": r".+?"}


class CaseStatus(NamedTuple):
    """Where the case of a ticket's visit stands, as the visitor's status lookup shows it."""

    number: str  # 江信〔2026〕第 0137 号
    state: str
    state_label: str  # 待受理, 办理中 …
    due_on: str  # the next due date, "" when closed or none


class QueryCodes:
    """The hall's query codes and QR payloads, and ticket lookup by either."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.config = store.config
        self.secret = _query_secret(store)

    def code(self, day: date, number: str) -> str:
        """The query code of a ticket: its day, then an HMAC only the hall's secret can make."""
        days = (day - _EPOCH).days
        prefix = "".join(_DAY_DIGITS[days >> shift & 31] for shift in (10, 5, 0))
        return prefix + self._mac(day, number)[:9]

    def _mac(self, day: date, number: str) -> str:
        """The HMAC of (hall, day, number) in base32; its first 12 characters were the code
        printed before codes began with their day."""
        message = f"{self.config.hall.code}|{day.isoformat()}|{number}".encode()
        return b32encode(hmac.new(self.secret, message, hashlib.sha256).digest()).decode()

    def genuine(self, code: str, day: date, number: str) -> bool:
        """Whether ``code`` is the query code of ticket ``number`` of ``day`` (or the 12-character
        code printed before codes began with their day): both compared in constant time, both
        always (a public lookup does the same work for every code it is given)."""
        mac = self._mac(day, number)
        days = (day - _EPOCH).days
        current = "".join(_DAY_DIGITS[days >> shift & 31] for shift in (10, 5, 0)) + mac[:9]
        given = code.encode()
        return bool(hmac.compare_digest(given, current.encode())
                    | hmac.compare_digest(given, mac[:12].encode()))

    def qr(self, code: str, number: str, day: date) -> str:
        """What a ticket's QR code carries (the configured template)."""
        return self.config.tickets.qr_template.format(code=code, number=number, date=day)

    def find(self, code_or_number: str, day: date | None = None) -> Ticket:
        """A ticket by query code, by number on ``day`` (default today), or by the QR code's
        whole payload (``tickets.qr_template`` filled in: what a kiosk's scanner reads); else
        NotFound."""
        text = code_or_number.strip().upper()
        if not text.isprintable():  # no number or code holds a control (PostgreSQL refuses NUL)
            raise NotFound(f"查询码或票号“{shown(code_or_number.strip())}”无效：请核对票据")
        payload = self._payload(code_or_number.strip())
        if payload is not None:
            code, number, on = payload
            text, day = (code, day) if code else (number, on or day)
        if _NUMBER.fullmatch(text):
            day = day or self.store.today()
            ticket = Ticket.get_or_none((Ticket.business_day == day) & (Ticket.number == text))
            if ticket is None:
                raise NotFound(f"{day.isoformat()} 没有票号 {text}")
            return ticket
        ticket = Ticket.get_or_none(Ticket.query_code == text)
        if ticket is None or not any(hmac.compare_digest(ticket.query_code, made) for made in (
                self.code(ticket.business_day, ticket.number),
                self._mac(ticket.business_day, ticket.number)[:12])):
            raise NotFound(f"查询码“{code_or_number.strip()}”无效：请核对票据上的查询码")
        return ticket

    def case_of(self, number: str, day: date) -> CaseStatus | None:
        """The case of ticket ``number`` of ``day``'s visit, newest first (one indexed query);
        None when there is none, or when it is confidential."""
        row = (Case.select(Case.number, Case.state, Case.open, Case.due_on, Case.confidential)
               .join(CaseVisit, on=(CaseVisit.case == Case.id))
               .join(Ticket, on=(Ticket.visit == CaseVisit.visit))
               .where((Ticket.business_day == day) & (Ticket.number == number))
               .order_by(Case.id.desc()).first())
        if row is None or row.confidential:
            return None
        return CaseStatus(row.number, row.state, CASE_STATES.get(row.state, row.state),
                          str(row.due_on) if row.open and row.due_on else "")

    def _payload(self, text: str) -> tuple[str, str, date | None] | None:
        """(code, number, day) read back from a payload the configured template made ("" and
        None for fields it lacks); None when ``text`` is not such a payload."""
        pattern, specs = "", {}
        for literal, name, spec, _ in string.Formatter().parse(self.config.tickets.qr_template):
            pattern += re.escape(literal)
            if name is None:
                continue
            if name not in _FIELDS:  # e.g. {date.year}: valid for format(), not read back
                return None
            pattern += f"(?P={name})" if name in specs else f"(?P<{name}>{_FIELDS[name]})"
            specs[name] = spec or ""
        match = re.fullmatch(pattern, text, re.IGNORECASE)
        if match is None:
            return None
        fields = match.groupdict()
        on = None
        if "date" in fields:
            try:
                on = (datetime.strptime(fields["date"], specs["date"]).date() if specs["date"]
                      else date.fromisoformat(fields["date"]))
            except ValueError:
                return None
        return (fields.get("code") or "").upper(), (fields.get("number") or "").upper(), on


def _query_secret(store: Store) -> bytes:
    row = Setting.get_or_none(Setting.key == "query_secret")
    if row is None:
        with store.transaction():
            (Setting.insert(key="query_secret", value=secrets.token_hex(32))
             .on_conflict_ignore().execute())
        row = Setting.get(Setting.key == "query_secret")
    return bytes.fromhex(row.value)
