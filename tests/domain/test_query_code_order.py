"""Query codes begin with their day, so the unique index on ``ticket.query_code`` grows at its end.

Random codes made every issue write into a random page of an index that never stops growing; once
it no longer stayed in memory, issuing waited for the disk (benchmarks/bench_scale.py: 34 µs for a
code that sorts by day against 698 µs for a random one, 10,000,000 codes, cold cache). Codes
printed before, 12 characters of the HMAC, keep finding their tickets.
"""

from __future__ import annotations

import hashlib
import hmac
from base64 import b32encode
from datetime import date, timedelta

import pytest

from hall import Hall
from hall.errors import NotFound
from models import Setting, Ticket
from tests.helpers import distinct_id, form

DAYS = [date(2000, 1, 1), date(2019, 12, 31), date(2020, 1, 1), date(2026, 2, 28),
        date(2026, 11, 23), date(2026, 11, 24), date(2027, 1, 1), date(2088, 6, 30)]


def test_codes_sort_by_day(hall: Hall) -> None:
    code = hall.desk.query_code
    assert sorted(DAYS, key=lambda d: code(d, "R001")) == DAYS
    day = date(2026, 11, 23)
    for shift in range(40):  # every day of a stretch, across month ends
        earlier, later = day + timedelta(days=shift), day + timedelta(days=shift + 1)
        assert code(earlier, "Z999") < code(later, "A001")
    same_day = {code(day, f"R{n:03d}") for n in range(1, 300)}
    assert len(same_day) == 299 and {c[:3] for c in same_day} == {code(day, "L001")[:3]}
    assert all(len(c) == 12 for c in same_day)


def test_issued_codes_find_their_tickets_and_old_codes_still_do(hall: Hall) -> None:
    first = hall.desk.issue(form(id_number=distinct_id(1)), actor="desk01")
    second = hall.desk.issue(form(id_number=distinct_id(2), category="policy"), actor="desk01")
    assert first.query_code[:3] == second.query_code[:3]
    assert hall.desk.ticket_status(second.query_code).number == second.number

    # A ticket printed before codes began with their day: 12 characters of the same HMAC.
    secret = bytes.fromhex(Setting.get(Setting.key == "query_secret").value)
    message = f"{hall.config.hall.code}|{first.business_day}|{first.number}".encode()
    old = b32encode(hmac.new(secret, message, hashlib.sha256).digest()).decode()[:12]
    Ticket.update(query_code=old).where(Ticket.id == first.ticket_id).execute()
    assert hall.desk.ticket_status(old).number == first.number
    # The new form of that code is not stored: it finds nothing.
    with pytest.raises(NotFound):
        hall.desk.ticket_status(first.query_code)
