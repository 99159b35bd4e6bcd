"""The schema as it was at version 1, frozen: build a v1 database to test the upgrade path.

Version 1 is today's schema with a visitor file that did not yet keep the sex and birth date
derived from the ID number. These models must never follow changes to :mod:`models`: they are the
past that an upgrade starts from. Rows go in through raw SQL, as the old program wrote them.
"""

from __future__ import annotations

import hashlib
import hmac
from base64 import b32encode
from datetime import date, datetime

import peewee as pw

from models.base import _connect

V1 = 1
SECRET = "ab" * 32
HALL_CODE = "jcs"  # the shipped configuration's hall code

_db = pw.DatabaseProxy()


class _Base(pw.Model):
    class Meta:
        database = _db
        legacy_table_names = False


class Visitor(_Base):
    id_number = pw.CharField(max_length=18, unique=True)
    name = pw.CharField(max_length=64)
    phone = pw.CharField(max_length=32, default="")
    address = pw.CharField(max_length=200, default="")
    district = pw.CharField(max_length=32, default="")
    created_at = pw.DateTimeField()
    updated_at = pw.DateTimeField()


class Visit(_Base):
    visitor = pw.ForeignKeyField(Visitor, backref="visits", on_delete="RESTRICT")
    business_day = pw.DateField(index=True)
    registered_at = pw.DateTimeField()
    registered_by = pw.CharField(max_length=32)
    district = pw.CharField(max_length=32, default="")
    category = pw.CharField(max_length=32)
    suggested_department = pw.CharField(max_length=32)
    department = pw.CharField(max_length=32)
    people = pw.IntegerField(default=1)
    matter = pw.TextField()
    request = pw.TextField(default="")
    is_repeat = pw.BooleanField(default=False)
    priority = pw.CharField(max_length=32, default="")
    outcome = pw.CharField(max_length=32, default="")
    outcome_note = pw.TextField(default="")

    class Meta:
        indexes = ((("visitor", "registered_at"), False),)


class Representative(_Base):
    visit = pw.ForeignKeyField(Visit, backref="representatives", on_delete="RESTRICT")
    position = pw.IntegerField()
    id_number = pw.CharField(max_length=18)

    class Meta:
        indexes = ((("visit", "position"), True),)


class TicketCounter(_Base):
    business_day = pw.DateField()
    department = pw.CharField(max_length=32)
    last = pw.IntegerField(default=0)

    class Meta:
        primary_key = pw.CompositeKey("business_day", "department")


class Ticket(_Base):
    visit = pw.ForeignKeyField(Visit, backref="tickets", unique=True, on_delete="RESTRICT")
    business_day = pw.DateField()
    number = pw.CharField(max_length=8)
    seq = pw.IntegerField()
    origin_department = pw.CharField(max_length=32)
    department = pw.CharField(max_length=32)
    priority_rank = pw.IntegerField()
    status = pw.CharField(max_length=16, default="waiting")
    issued_at = pw.DateTimeField()
    called_at = pw.DateTimeField(null=True)
    window = pw.IntegerField(null=True)
    query_code = pw.CharField(max_length=32, unique=True)

    class Meta:
        indexes = (
            (("business_day", "number"), True),
            (("business_day", "department", "status", "priority_rank", "issued_at"), False),
        )


class TicketEvent(_Base):
    ticket = pw.ForeignKeyField(Ticket, backref="events", on_delete="RESTRICT")
    at = pw.DateTimeField()
    actor = pw.CharField(max_length=32)
    kind = pw.CharField(max_length=16)
    department = pw.CharField(max_length=32)
    window = pw.IntegerField(null=True)
    note = pw.TextField(default="")


class AuditEvent(_Base):
    at = pw.DateTimeField(index=True)
    actor = pw.CharField(max_length=32)
    action = pw.CharField(max_length=32)
    entity = pw.CharField(max_length=32)
    entity_id = pw.CharField(max_length=32)
    detail = pw.TextField(default="{}")


class ChangeCounter(_Base):
    topic = pw.CharField(max_length=32, primary_key=True)
    version = pw.BigIntegerField(default=0)


class Setting(_Base):
    key = pw.CharField(max_length=64, primary_key=True)
    value = pw.TextField()


class SchemaVersion(_Base):
    id = pw.IntegerField(primary_key=True)
    version = pw.IntegerField()


MODELS = [Visitor, Visit, Representative, TicketCounter, Ticket, TicketEvent, AuditEvent,
          ChangeCounter, Setting, SchemaVersion]

# What the old program had written: three visitors (one with a legacy-looking but valid 18-digit
# number, one whose stored number cannot be parsed), four visits, tickets of two days.
VISITORS = [
    # id_number, name, phone, address, district
    ("11010519491231002X", "李秀英", "13812345678", "江北区滨江路1号", "jiangbei"),
    ("440524188001010014", "陈阿四", "", "", "gaoxin"),
    ("BROKEN-ID", "无法解析", "", "", ""),
]
# visitor index, business day, department, category, number, seq, status, outcome
VISITS = [
    (0, date(2026, 11, 20), "hrss", "wages", "L001", 1, "done", "answered"),
    (1, date(2026, 11, 20), "hrss", "wages", "L002", 2, "waiting", ""),
    (0, date(2026, 11, 23), "hrss", "wages", "L001", 1, "waiting", ""),
    (2, date(2026, 11, 23), "xfj", "policy", "R001", 1, "waiting", ""),
]


def query_code(day: date, number: str) -> str:
    """The query code the old program printed (the same HMAC the current one checks)."""
    message = f"{HALL_CODE}|{day.isoformat()}|{number}".encode()
    digest = hmac.new(bytes.fromhex(SECRET), message, hashlib.sha256).digest()
    return b32encode(digest).decode()[:12]


def build_v1_database(url: str) -> dict[str, int]:
    """Create a version-1 database at ``url`` holding :data:`VISITORS` and :data:`VISITS`.

    Returns the row counts per table, for comparison after the upgrade.
    """
    db = _connect(url)
    _db.initialize(db)
    with db.atomic():
        db.create_tables(MODELS)
        sql = db.execute_sql
        p = db.param
        sql(f"INSERT INTO schema_version (id, version) VALUES ({p}, {p})", (1, V1))
        sql(f"INSERT INTO setting (key, value) VALUES ({p}, {p})", ("query_secret", SECRET))
        visitor_ids = []
        for i, (number, name, phone, address, district) in enumerate(VISITORS):
            at = datetime(2026, 11, 20, 1, i)
            Visitor.insert(id_number=number, name=name, phone=phone, address=address,
                           district=district, created_at=at, updated_at=at).execute()
            visitor_ids.append(Visitor.get(Visitor.id_number == number).id)
        counters: dict[tuple[date, str], int] = {}
        visit_ids = []
        for k, (who, day, dept, category, number, seq, status, outcome) in enumerate(VISITS):
            at = datetime.combine(day, datetime.min.time()).replace(hour=1, minute=k)
            visit_id = Visit.insert(
                visitor=visitor_ids[who], business_day=day, registered_at=at,
                registered_by="desk01", district="", category=category,
                suggested_department=dept, department=dept, people=1, matter=f"旧事由{k}",
                is_repeat=k > 0 and who == 0, outcome=outcome).execute()
            visit_ids.append(visit_id)
            ticket_id = Ticket.insert(
                visit=visit_id, business_day=day, number=number, seq=seq,
                origin_department=dept, department=dept, priority_rank=4, status=status,
                issued_at=at, query_code=query_code(day, number)).execute()
            TicketEvent.insert(ticket=ticket_id, at=at, actor="desk01", kind="issued",
                               department=dept).execute()
            AuditEvent.insert(at=at, actor="desk01", action="ticket.issue", entity="ticket",
                              entity_id=str(ticket_id), detail="{}").execute()
            counters[(day, dept)] = max(counters.get((day, dept), 0), seq)
        for (day, dept), last in counters.items():
            TicketCounter.insert(business_day=day, department=dept, last=last).execute()
        Representative.insert(visit=visit_ids[1], position=1,
                              id_number="440524188001010014").execute()
        ChangeCounter.insert(topic="tickets", version=len(VISITS)).execute()
    counts = {m._meta.table_name: m.select().count() for m in MODELS}
    db.close()
    return counts
